import {
  AccessRequest,
  PrivateLinkConsumer,
  PrivateLinkServiceDetails,
} from '@privatelink-backstage/plugin-privatelink-common';
import { SERVICE_ID, SERVICE_NAME, SERVICE_REF } from './entities';

/** What the backend answers for the payments endpoint service, shaped by the tests. */

const DAY_MS = 24 * 3600 * 1000;

/** An ISO time `days` ago. */
export function daysAgo(days: number): string {
  return new Date(Date.now() - days * DAY_MS).toISOString();
}

export function makeConsumer(
  overrides: Partial<PrivateLinkConsumer> & { endpointId: string },
): PrivateLinkConsumer {
  return {
    entityRef: `resource:default/${overrides.endpointId}`,
    accountId: '222222222222',
    region: 'eu-west-1',
    state: 'available',
    owner: 'group:default/checkout',
    createdAt: '2024-03-01T09:00:00Z',
    dnsNames: [],
    ...overrides,
  };
}

export const consumers: PrivateLinkConsumer[] = [
  makeConsumer({
    endpointId: 'vpce-0123456789abcdef0',
    entityRef: 'resource:default/checkout-vpce',
    component: 'component:default/checkout',
  }),
  makeConsumer({
    endpointId: 'vpce-0fedcba9876543210',
    entityRef: 'resource:default/billing-vpce',
    owner: 'group:default/billing',
    accountId: '333333333333',
    state: 'pendingAcceptance',
    createdAt: daysAgo(1),
  }),
  makeConsumer({
    endpointId: 'vpce-0aaaabbbbccccdddd',
    entityRef: 'resource:default/ledger-vpce',
    owner: 'ledger',
    accountId: '444444444444',
  }),
];

function countStates(list: PrivateLinkConsumer[]) {
  const counts: PrivateLinkServiceDetails['counts'] = {};
  for (const c of list) counts[c.state] = (counts[c.state] ?? 0) + 1;
  return counts;
}

export function makeDetails(
  overrides: Partial<PrivateLinkServiceDetails> = {},
): PrivateLinkServiceDetails {
  const list = overrides.consumers ?? consumers;
  return {
    entityRef: SERVICE_REF,
    title: 'Payments endpoint service',
    owner: 'group:default/payments',
    system: 'payments',
    serviceId: SERVICE_ID,
    serviceName: SERVICE_NAME,
    accountId: '111111111111',
    region: 'eu-west-1',
    state: 'Available',
    acceptanceRequired: true,
    privateDnsName: 'payments.internal.example.com',
    privateDnsState: 'verified',
    dnsNames: [
      `${SERVICE_ID}.eu-west-1.vpce.amazonaws.com`,
      `${SERVICE_ID}-eu-west-1a.eu-west-1.vpce.amazonaws.com`,
    ],
    loadBalancerArns: [],
    supportedRegions: ['eu-west-1', 'us-east-1'],
    allowedPrincipals: [
      'arn:aws:iam::222222222222:root',
      'arn:aws:iam::333333333333:root',
      'arn:aws:iam::444444444444:role/ledger',
    ],
    ...overrides,
    consumers: list,
    counts: overrides.counts ?? countStates(list),
  };
}

export function makeRequest(
  overrides: Partial<AccessRequest> = {},
): AccessRequest {
  return {
    id: '6f1c1e64-8f7e-4f63-9d61-1b2f1f0c0a01',
    serviceRef: SERVICE_REF,
    consumerRef: 'component:default/orders',
    accountId: '555555555555',
    reason: 'Orders needs to charge cards',
    status: 'pending',
    requestedBy: 'user:default/olivia',
    requestedAt: '2024-04-02T08:00:00Z',
    external: false,
    followUp: 'active',
    ...overrides,
  };
}
