import { Entity } from '@backstage/catalog-model';
import { PrivateLinkEntityGuard } from './PrivateLinkEntityGuard';

const resource = (type: string, kind = 'Resource'): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'orders-api' },
  spec: { type, owner: 'group:default/mallory' },
});

describe('PrivateLinkEntityGuard', () => {
  const guard = new PrivateLinkEntityGuard();

  it.each(['vpc-endpoint-service', 'vpc-endpoint'])('refuses a %s Resource from a registered file or URL', async type => {
    for (const location of [
      { type: 'url', target: 'https://example.com/catalog-info.yaml' },
      { type: 'file', target: '/tmp/forged.yaml' },
    ]) {
      await expect(guard.preProcessEntity(resource(type), location)).rejects.toThrow(
        `Resources of type ${type} come from the PrivateLink sync only; refusing one from ${location.type}:${location.target}`,
      );
    }
  });

  it('lets the sync’s own entities and everything else through unchanged', async () => {
    const synced = resource('vpc-endpoint-service');
    await expect(guard.preProcessEntity(synced, { type: 'privatelink', target: 'aws/123456789012/us-east-1' })).resolves.toBe(synced);
    for (const other of [resource('database'), resource('vpc-endpoint-service', 'Component')]) {
      await expect(guard.preProcessEntity(other, { type: 'url', target: 'https://example.com/x.yaml' })).resolves.toBe(other);
    }
  });
});
