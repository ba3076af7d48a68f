import { Entity } from '@backstage/catalog-model';
import {
  componentWithServiceId,
  componentWithServiceRef,
  endpoints,
  makeService,
  plainComponent,
} from './__fixtures__/entities';
import { isPrivateLinkAvailable } from './conditions';

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
