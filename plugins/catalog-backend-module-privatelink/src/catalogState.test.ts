import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { catalogStateLoaders } from './catalogState';

const LOCATION = 'privatelink:aws/111122223333/us-east-1';

function resource(
  name: string,
  type: string,
  location: string,
  dependsOn?: string,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      annotations: { 'backstage.io/managed-by-location': location },
    },
    spec: { type, owner: 'group:default/team' },
    ...(dependsOn
      ? { relations: [{ type: 'dependsOn', targetRef: dependsOn }] }
      : {}),
  };
}

describe('catalogStateLoaders', () => {
  const entities = [
    resource('orders-api', 'vpc-endpoint-service', LOCATION),
    resource(
      'vpce-1',
      'vpc-endpoint',
      'privatelink:aws/444455556666/us-east-1',
      'resource:default/orders-api',
    ),
    resource(
      'vpce-2',
      'vpc-endpoint',
      LOCATION,
      'resource:default/billing-api',
    ),
    resource(
      'elsewhere',
      'vpc-endpoint-service',
      'privatelink:aws/111122223333/eu-west-1',
    ),
  ];

  it('reads with the plugin own credentials: the entities at one location, the consumers of one service, one entity', async () => {
    const catalog = catalogServiceMock({ entities });
    const getEntities = jest.spyOn(catalog, 'getEntities');
    const auth = mockServices.auth.mock({
      getOwnServiceCredentials: async () =>
        mockCredentials.service('plugin:catalog'),
    });
    const getEntityByRef = jest.spyOn(catalog, 'getEntityByRef');
    const { loadLastEmitted, loadConsumers, loadEntity } = catalogStateLoaders(
      catalog,
      auth,
    );

    expect(
      (await loadLastEmitted(LOCATION)).map(e => e.metadata.name).sort(),
    ).toEqual(['orders-api', 'vpce-2']);
    expect(
      (await loadConsumers('resource:default/orders-api')).map(
        e => e.metadata.name,
      ),
    ).toEqual(['vpce-1']);
    expect(
      (await loadEntity('resource:default/elsewhere'))?.metadata.name,
    ).toBe('elsewhere');
    expect(await loadEntity('resource:default/nothing')).toBeUndefined();
    for (const [, options] of [
      ...getEntities.mock.calls,
      ...getEntityByRef.mock.calls,
    ]) {
      expect((options as { credentials?: unknown })?.credentials).toEqual(
        mockCredentials.service('plugin:catalog'),
      );
    }
  });
});
