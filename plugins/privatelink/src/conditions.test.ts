import { Entity } from '@backstage/catalog-model';
import {
  componentWithServiceId,
  componentWithServiceRef,
  consumerComponent,
  consumerGroup,
  endpoints,
  makeService,
  plainComponent,
} from './__fixtures__/entities';
import {
  isPrivateLinkAvailable,
  isPrivateLinkConsumerAvailable,
} from './conditions';

function resource(type: string, annotations?: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'r', annotations },
    spec: { type, owner: 'team' },
  };
}

describe('isPrivateLinkAvailable', () => {
  it('is true for a vpc-endpoint-service Resource', () => {
    expect(isPrivateLinkAvailable(makeService())).toBe(true);
    // Even before the sync has annotated it.
    expect(isPrivateLinkAvailable(resource('vpc-endpoint-service'))).toBe(true);
  });

  it('accepts the kind in any case', () => {
    expect(
      isPrivateLinkAvailable({
        ...resource('vpc-endpoint-service'),
        kind: 'resource',
      }),
    ).toBe(true);
  });

  it('is true for any entity carrying the service id annotation', () => {
    expect(isPrivateLinkAvailable(componentWithServiceId)).toBe(true);
    expect(
      isPrivateLinkAvailable(
        resource('database', { 'privatelink.io/service-id': 'vpce-svc-1' }),
      ),
    ).toBe(true);
  });

  it('is true for any entity naming its endpoint service by entity ref', () => {
    expect(isPrivateLinkAvailable(componentWithServiceRef)).toBe(true);
  });

  it('is false for other entities', () => {
    expect(isPrivateLinkAvailable(plainComponent)).toBe(false);
    expect(isPrivateLinkAvailable(resource('database'))).toBe(false);
    // A consumer endpoint is not the service.
    expect(isPrivateLinkAvailable(endpoints[0])).toBe(false);
    // A Component whose spec.type happens to be vpc-endpoint-service.
    expect(
      isPrivateLinkAvailable({
        ...plainComponent,
        spec: { type: 'vpc-endpoint-service' },
      }),
    ).toBe(false);
    // Blank or invalid annotations do not count.
    expect(
      isPrivateLinkAvailable(
        resource('database', {
          'privatelink.io/endpoint-service': 'resource:default/',
        }),
      ),
    ).toBe(false);
    expect(
      isPrivateLinkAvailable(
        resource('database', { 'privatelink.io/service-id': '  ' }),
      ),
    ).toBe(false);
  });
});

describe('isPrivateLinkConsumerAvailable', () => {
  function withRelations(
    kind: string,
    relations: Array<{ type: string; targetRef: string }>,
  ): Entity {
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind,
      metadata: { name: 'x', namespace: 'default' },
      spec: {},
      relations,
    };
  }
  const endpointRef = 'resource:default/vpce-0123456789abcdef0';

  it('is true for a Component that depends on a VPC endpoint Resource', () => {
    expect(isPrivateLinkConsumerAvailable(consumerComponent)).toBe(true);
    expect(
      isPrivateLinkConsumerAvailable(
        withRelations('Component', [
          { type: 'dependsOn', targetRef: endpointRef },
        ]),
      ),
    ).toBe(true);
    // In another namespace, and whatever the case of the kind and of the ref.
    expect(
      isPrivateLinkConsumerAvailable(
        withRelations('component', [
          {
            type: 'dependsOn',
            targetRef: 'Resource:aws/VPCE-0123456789abcdef0',
          },
        ]),
      ),
    ).toBe(true);
  });

  it('is true for a Group that owns a VPC endpoint Resource', () => {
    expect(isPrivateLinkConsumerAvailable(consumerGroup)).toBe(true);
    expect(
      isPrivateLinkConsumerAvailable(
        withRelations('Group', [{ type: 'ownerOf', targetRef: endpointRef }]),
      ),
    ).toBe(true);
  });

  it('is false without such a relation', () => {
    // No relations at all, or none yet (before the catalog has processed the entity).
    expect(isPrivateLinkConsumerAvailable(plainComponent)).toBe(false);
    expect(
      isPrivateLinkConsumerAvailable({
        ...consumerComponent,
        relations: undefined,
      }),
    ).toBe(false);
    // Depending on other Resources, or on a Component named like an endpoint.
    expect(
      isPrivateLinkConsumerAvailable(
        withRelations('Component', [
          { type: 'dependsOn', targetRef: 'resource:default/payments-db' },
          {
            type: 'dependsOn',
            targetRef: 'component:default/vpce-0123456789abcdef0',
          },
          { type: 'dependsOn', targetRef: 'resource:default/my-vpce-1' },
        ]),
      ),
    ).toBe(false);
    // An endpoint service named by its service id is not a consumer endpoint: its providing Component depends on it.
    expect(
      isPrivateLinkConsumerAvailable(
        withRelations('Component', [
          {
            type: 'dependsOn',
            targetRef: 'resource:default/vpce-svc-0a1b2c3d4e5f60718',
          },
        ]),
      ),
    ).toBe(false);
    // Malformed refs are ignored.
    expect(
      isPrivateLinkConsumerAvailable(
        withRelations('Component', [
          { type: 'dependsOn', targetRef: 'vpce-1' },
        ]),
      ),
    ).toBe(false);
  });

  it('takes the relation that fits the kind only', () => {
    // A Component that owns an endpoint, or a Group that depends on one, is not a consumer of it.
    expect(
      isPrivateLinkConsumerAvailable(
        withRelations('Component', [
          { type: 'ownerOf', targetRef: endpointRef },
        ]),
      ),
    ).toBe(false);
    expect(
      isPrivateLinkConsumerAvailable(
        withRelations('Group', [{ type: 'dependsOn', targetRef: endpointRef }]),
      ),
    ).toBe(false);
    // Other kinds never are, not even the endpoint itself or the service.
    expect(
      isPrivateLinkConsumerAvailable(
        withRelations('System', [
          { type: 'dependsOn', targetRef: endpointRef },
        ]),
      ),
    ).toBe(false);
    expect(isPrivateLinkConsumerAvailable(endpoints[0])).toBe(false);
    expect(isPrivateLinkConsumerAvailable(makeService())).toBe(false);
  });

  it('is independent of the provider condition', () => {
    // A provider Component with the service id annotation and no endpoint of its own.
    expect(isPrivateLinkConsumerAvailable(componentWithServiceId)).toBe(false);
    expect(isPrivateLinkAvailable(consumerComponent)).toBe(false);
  });
});
