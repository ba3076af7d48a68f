import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { findTrustedService, trustService } from './trustedService';

const TARGET = { accountId: '123456789012', region: 'us-east-1', serviceId: 'vpce-svc-0123456789abcdef0' };
const config = { accounts: [{ accountId: TARGET.accountId, regions: ['us-east-1'] }] };

function service(name: string, overrides: Record<string, string> = {}, kind = 'Resource', type = 'vpc-endpoint-service'): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location': `privatelink:aws/${TARGET.accountId}/${TARGET.region}`,
        'amazonaws.com/account-id': TARGET.accountId,
        'amazonaws.com/region': TARGET.region,
        'privatelink.io/service-id': TARGET.serviceId,
        ...overrides,
      },
    },
    spec: { type, owner: 'group:default/orders' },
  };
}

describe('trustService', () => {
  it('accepts the sync’s own entity and names its AWS service', () => {
    expect(trustService(service('orders-api'), config)).toEqual({ entity: service('orders-api'), ref: 'resource:default/orders-api', target: TARGET });
  });

  it.each([
    ['a registered catalog file with the same annotations', service('forged', { 'backstage.io/managed-by-location': 'url:https://example.com/catalog-info.yaml' }), 'was not written by the PrivateLink sync'],
    ['a location of another account', service('moved', { 'amazonaws.com/account-id': '999999999999' }), 'was not written by the PrivateLink sync'],
    ['an account that is not configured', service('other', { 'amazonaws.com/account-id': '999999999999', 'backstage.io/managed-by-location': 'privatelink:aws/999999999999/us-east-1' }), 'not configured'],
    ['an entity of another type', service('endpoint', {}, 'Resource', 'vpc-endpoint'), 'is not a vpc-endpoint-service'],
    ['a component', service('orders', {}, 'Component', 'service'), 'is not a vpc-endpoint-service'],
    ['a service without its id', service('broken', { 'privatelink.io/service-id': '' }), 'is not a vpc-endpoint-service'],
  ])('refuses %s', (_what, entity, message) => {
    expect(() => trustService(entity, config)).toThrow(expect.objectContaining({ name: 'NotAllowedError', message: expect.stringContaining(message) }));
  });
});

describe('findTrustedService', () => {
  const credentials = mockCredentials.user('user:default/olivia');

  it('finds the one synced entity of the service, never a forged one beside it', async () => {
    const catalog = catalogServiceMock({
      entities: [service('forged', { 'backstage.io/managed-by-location': 'url:https://example.com/x.yaml' }), service('orders-api')],
    });
    const found = await findTrustedService({ catalog, config, target: TARGET, credentials });
    expect(found.ref).toBe('resource:default/orders-api');
  });

  it('does not find a service the catalog holds only as a forgery', async () => {
    const catalog = catalogServiceMock({ entities: [service('forged', { 'backstage.io/managed-by-location': 'url:https://example.com/x.yaml' })] });
    await expect(findTrustedService({ catalog, config, target: TARGET, credentials })).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('refuses to pick one of two synced entities of one service', async () => {
    const catalog = catalogServiceMock({ entities: [service('a'), service('b')] });
    await expect(findTrustedService({ catalog, config, target: TARGET, credentials })).rejects.toThrow('is in the catalog 2 times; refusing to pick one');
  });

  it('refuses an account that is not configured before reading the catalog', async () => {
    const catalog = catalogServiceMock({ entities: [] });
    const getEntities = jest.spyOn(catalog, 'getEntities');
    await expect(
      findTrustedService({ catalog, config, target: { ...TARGET, accountId: '999999999999' }, credentials }),
    ).rejects.toMatchObject({ name: 'NotAllowedError', message: 'Account 999999999999 is not configured under privatelink.accounts' });
    expect(getEntities).not.toHaveBeenCalled();
  });
});
