import {
  AccessRequest,
  PrivateLinkConsumer,
  PrivateLinkConsumerDetails,
  PrivateLinkConsumerEndpoint,
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
    supportedIpAddressTypes: ['ipv4'],
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

/** What the backend answers for the consumer payments-api: three endpoints, one request pending, one denied. */

export const CONSUMER_REF = 'component:default/payments-api';

/** DNS names as AWS gives them to an endpoint, regional first. */
function endpointDnsNames(endpointId: string, serviceId: string) {
  const base = `${endpointId}-abcd1234.${serviceId}.eu-west-1.vpce.amazonaws.com`;
  return [
    base,
    `${endpointId}-abcd1234-eu-west-1a.${serviceId}.eu-west-1.vpce.amazonaws.com`,
    `${endpointId}-abcd1234-eu-west-1b.${serviceId}.eu-west-1.vpce.amazonaws.com`,
  ];
}

export function makeConsumerEndpoint(
  overrides: Partial<PrivateLinkConsumerEndpoint> & { endpointId: string },
): PrivateLinkConsumerEndpoint {
  return {
    entityRef: `resource:default/${overrides.endpointId}`,
    accountId: '222222222222',
    region: 'eu-west-1',
    state: 'available',
    vpcId: 'vpc-0a1b2c3d4e5f60718',
    privateDnsEnabled: true,
    createdAt: daysAgo(3),
    otherDnsNames: [],
    ...overrides,
  };
}

const [ordersRegional, ...ordersZonal] = endpointDnsNames(
  'vpce-0aaa1111bbbb22223',
  'vpce-svc-0aaaaaaaaaaaaaaa1',
);
const [authRegional, ...authZonal] = endpointDnsNames(
  'vpce-0bbb1111cccc22223',
  'vpce-svc-0bbbbbbbbbbbbbbb2',
);

export const consumerEndpoints: PrivateLinkConsumerEndpoint[] = [
  // Private DNS: the service's verified name resolves to the endpoint.
  makeConsumerEndpoint({
    endpointId: 'vpce-0aaa1111bbbb22223',
    dnsNameToUse: 'orders.internal.example.com',
    dnsNameSource: 'private-dns',
    otherDnsNames: [ordersRegional, ...ordersZonal],
    service: {
      entityRef: 'resource:default/orders-api',
      title: 'Orders API',
      serviceName: 'com.amazonaws.vpce.eu-west-1.vpce-svc-0aaaaaaaaaaaaaaa1',
      privateDnsName: 'orders.internal.example.com',
      privateDnsState: 'verified',
      owner: 'group:default/orders',
    },
  }),
  // The service has a private DNS name, but the endpoint does not enable private DNS: its own name is the one.
  makeConsumerEndpoint({
    endpointId: 'vpce-0bbb1111cccc22223',
    state: 'pendingAcceptance',
    privateDnsEnabled: false,
    createdAt: daysAgo(1),
    dnsNameToUse: authRegional,
    dnsNameSource: 'endpoint',
    otherDnsNames: authZonal,
    service: {
      entityRef: 'resource:default/auth-service',
      title: 'Auth service',
      privateDnsName: 'auth.internal.example.com',
      privateDnsState: 'verified',
      owner: 'group:default/identity',
    },
  }),
  // Read only from the provider's side lately: no VPC, stale.
  makeConsumerEndpoint({
    endpointId: 'vpce-0ccc1111dddd22223',
    vpcId: undefined,
    privateDnsEnabled: undefined,
    staleSince: '2024-05-01T10:00:00Z',
    createdAt: daysAgo(60),
    dnsNameToUse:
      'vpce-0ccc1111dddd22223-abcd1234.vpce-svc-0ccccccccccccccc3.eu-west-1.vpce.amazonaws.com',
    dnsNameSource: 'endpoint',
    service: { entityRef: 'resource:default/central-logging' },
  }),
];

export const consumerRequests: AccessRequest[] = [
  makeRequest({
    id: 'req-pending',
    serviceRef: 'resource:default/search-api',
    consumerRef: CONSUMER_REF,
    accountId: '222222222222',
    reason: 'Payments searches past payments',
    requestedAt: '2024-06-03T08:00:00Z',
  }),
  makeRequest({
    id: 'req-denied',
    serviceRef: 'resource:default/ledger-api',
    consumerRef: CONSUMER_REF,
    accountId: '222222222222',
    reason: 'Reconcile payouts',
    status: 'denied',
    requestedAt: '2024-06-01T08:00:00Z',
    decidedBy: 'user:default/olivia',
    decidedAt: '2024-06-02T08:00:00Z',
    decisionReason: 'Use the reporting replica instead',
  }),
];

export function makeConsumerDetails(
  overrides: Partial<PrivateLinkConsumerDetails> = {},
): PrivateLinkConsumerDetails {
  return {
    entityRef: CONSUMER_REF,
    endpoints: consumerEndpoints,
    requests: consumerRequests,
    ...overrides,
  };
}
