import { endpoints, makeService } from '../__fixtures__/entities';
import {
  countByState,
  getDependentResourceRefs,
  getOwnerRef,
  getSystemRef,
  readEndpointConsumer,
  readEndpointService,
  splitList,
} from './model';

describe('model', () => {
  it('reads the endpoint service annotations', () => {
    const info = readEndpointService(
      makeService({
        annotations: {
          'privatelink.io/acceptance-required': 'FALSE',
          'privatelink.io/private-dns-state': 'failed',
          'privatelink.io/load-balancer-arns': 'arn:a, ,arn:b',
        },
      }),
    );
    expect(info).toMatchObject({
      serviceId: 'vpce-svc-0a1b2c3d4e5f60718',
      acceptanceRequired: false,
      privateDnsName: 'payments.internal.example.com',
      privateDnsVerified: false,
      state: 'available',
      accountId: '111111111111',
      region: 'eu-west-1',
      loadBalancerArns: ['arn:a', 'arn:b'],
    });
    expect(info.dnsNames).toHaveLength(2);
  });

  it('reads consumers and counts them per state', () => {
    const consumers = endpoints.map(readEndpointConsumer);
    expect(consumers[1]).toMatchObject({
      entityRef: 'resource:default/billing-vpce',
      ownerRef: 'group:default/billing',
      accountId: '333333333333',
      endpointId: 'vpce-0fedcba9876543210',
      state: 'pendingAcceptance',
    });
    expect(countByState(consumers)).toEqual([
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

  it('splits comma-separated lists', () => {
    expect(splitList(' a, b ,,c ')).toEqual(['a', 'b', 'c']);
    expect(splitList(undefined)).toEqual([]);
  });
});
