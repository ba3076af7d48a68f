import { makeService } from '../__fixtures__/entities';
import {
  getDependentResourceRefs,
  getExposedComponentRef,
  getOwnerRef,
  getSystemRef,
  isPrivateDnsVerified,
  readEndpointService,
  sortCounts,
} from './model';

describe('model', () => {
  it('reads what the page shows from the endpoint service annotations', () => {
    expect(
      readEndpointService(
        makeService({
          annotations: {
            'privatelink.io/acceptance-required': 'FALSE',
            'privatelink.io/private-dns-state': 'failed',
          },
        }),
      ),
    ).toEqual({
      serviceName: 'com.amazonaws.vpce.eu-west-1.vpce-svc-0a1b2c3d4e5f60718',
      acceptanceRequired: false,
      privateDnsName: 'payments.internal.example.com',
      privateDnsState: 'failed',
    });
    expect(
      readEndpointService(
        makeService({
          annotations: { 'privatelink.io/acceptance-required': 'maybe' },
        }),
      ).acceptanceRequired,
    ).toBeUndefined();
  });

  it('sorts counts per state, most frequent first', () => {
    expect(
      sortCounts({ pendingAcceptance: 1, available: 2, rejected: 0 }),
    ).toEqual([
      { state: 'available', count: 2 },
      { state: 'pendingAcceptance', count: 1 },
    ]);
  });

  it('only takes Resource dependants as consumer candidates', () => {
    expect(getDependentResourceRefs(makeService())).toEqual([
      'resource:default/checkout-vpce',
      'resource:default/billing-vpce',
      'resource:default/ledger-vpce',
    ]);
  });

  it('falls back to spec.owner and spec.system without relations', () => {
    const service = makeService({ relations: [] });
    expect(getOwnerRef(service)).toBe('group:default/payments');
    expect(getSystemRef(service)).toBe('system:default/payments');
  });

  it('reads the component a service exposes from spec.dependencyOf, not from its relations', () => {
    const service = makeService();
    // Its relations name a component that depends on it: not the one it exposes.
    expect(getExposedComponentRef(service)).toBeNull();
    expect(
      getExposedComponentRef({
        ...service,
        spec: {
          ...service.spec,
          dependencyOf: ['resource:default/other', 'component:payments-api'],
        },
      }),
    ).toBe('component:default/payments-api');
    expect(
      getExposedComponentRef({
        ...service,
        spec: { ...service.spec, dependencyOf: 'payments-api' },
      }),
    ).toBeNull();
  });

  it('knows a verified private DNS name in any spelling', () => {
    expect(isPrivateDnsVerified('verified')).toBe(true);
    expect(isPrivateDnsVerified('Verified')).toBe(true);
    expect(isPrivateDnsVerified('pendingVerification')).toBe(false);
    expect(isPrivateDnsVerified(undefined)).toBe(false);
  });
});
