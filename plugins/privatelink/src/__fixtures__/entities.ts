import { Entity } from '@backstage/catalog-model';

/** Test entities shaped the way the PrivateLink sync writes them. */

export const SERVICE_ID = 'vpce-svc-0a1b2c3d4e5f60718';
export const SERVICE_NAME = `com.amazonaws.vpce.eu-west-1.${SERVICE_ID}`;
export const SERVICE_REF = 'resource:default/payments-endpoint-service';

export function makeService(
  overrides: {
    name?: string;
    title?: string;
    annotations?: Record<string, string | undefined>;
    relations?: Entity['relations'];
    system?: string;
  } = {},
): Entity {
  const annotations: Record<string, string> = {};
  const merged: Record<string, string | undefined> = {
    'amazonaws.com/arn': `arn:aws:ec2:eu-west-1:111111111111:vpc-endpoint-service/${SERVICE_ID}`,
    'amazonaws.com/account-id': '111111111111',
    'amazonaws.com/region': 'eu-west-1',
    'privatelink.io/service-id': SERVICE_ID,
    'privatelink.io/service-name': SERVICE_NAME,
    'privatelink.io/private-dns-name': 'payments.internal.example.com',
    'privatelink.io/private-dns-state': 'verified',
    'privatelink.io/acceptance-required': 'true',
    'privatelink.io/state': 'Available',
    'privatelink.io/dns-names': `${SERVICE_ID}.eu-west-1.vpce.amazonaws.com, ${SERVICE_ID}-eu-west-1a.eu-west-1.vpce.amazonaws.com`,
    ...overrides.annotations,
  };
  for (const [key, value] of Object.entries(merged)) {
    if (value !== undefined) annotations[key] = value;
  }
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: overrides.name ?? 'payments-endpoint-service',
      title: overrides.title,
      namespace: 'default',
      annotations,
    },
    spec: {
      type: 'vpc-endpoint-service',
      owner: 'group:default/payments',
      system: overrides.system ?? 'payments',
    },
    relations: overrides.relations ?? [
      { type: 'ownedBy', targetRef: 'group:default/payments' },
      {
        type: 'partOf',
        targetRef: `system:default/${overrides.system ?? 'payments'}`,
      },
      { type: 'dependencyOf', targetRef: 'resource:default/checkout-vpce' },
      { type: 'dependencyOf', targetRef: 'resource:default/billing-vpce' },
      { type: 'dependencyOf', targetRef: 'resource:default/ledger-vpce' },
      // Not a consumer endpoint: components that depend on the service are not listed.
      {
        type: 'dependencyOf',
        targetRef: 'component:default/payments-worker',
      },
    ],
  };
}

export function makeEndpoint(options: {
  name: string;
  owner: string;
  accountId: string;
  endpointId: string;
  state: string;
  serviceRef?: string;
}): Entity {
  const serviceRef = options.serviceRef ?? SERVICE_REF;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: options.name,
      namespace: 'default',
      annotations: {
        'amazonaws.com/account-id': options.accountId,
        'amazonaws.com/region': 'eu-west-1',
        'privatelink.io/endpoint-id': options.endpointId,
        'privatelink.io/state': options.state,
      },
    },
    spec: {
      type: 'vpc-endpoint',
      owner: options.owner,
      dependsOn: [serviceRef],
    },
    relations: [
      { type: 'ownedBy', targetRef: options.owner },
      { type: 'dependsOn', targetRef: serviceRef },
    ],
  };
}

export const endpoints: Entity[] = [
  makeEndpoint({
    name: 'checkout-vpce',
    owner: 'group:default/checkout',
    accountId: '222222222222',
    endpointId: 'vpce-0123456789abcdef0',
    state: 'available',
  }),
  makeEndpoint({
    name: 'billing-vpce',
    owner: 'group:default/billing',
    accountId: '333333333333',
    endpointId: 'vpce-0fedcba9876543210',
    state: 'pending-acceptance',
  }),
  makeEndpoint({
    name: 'ledger-vpce',
    owner: 'group:default/ledger',
    accountId: '444444444444',
    endpointId: 'vpce-0aaaabbbbccccdddd',
    state: 'available',
  }),
];

export const componentWithServiceId: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: { 'privatelink.io/service-id': SERVICE_ID },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'payments' },
};

export const plainComponent: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'plain', namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: 'payments' },
};

/** A Component that names its endpoint service by entity ref (written before the service id is known). */
export const componentWithServiceRef: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-web',
    namespace: 'default',
    annotations: {
      'privatelink.io/endpoint-service': 'payments-endpoint-service',
    },
  },
  spec: { type: 'website', lifecycle: 'production', owner: 'payments' },
};

/**
 * A consumer: the Component payments-api, which the sync relates to its three endpoints (named by endpoint id)
 * through their `spec.dependencyOf`, and which depends on other things as well.
 */
export const consumerComponent: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: 'payments' },
  relations: [
    { type: 'ownedBy', targetRef: 'group:default/payments' },
    { type: 'dependsOn', targetRef: 'resource:default/payments-db' },
    { type: 'dependsOn', targetRef: 'resource:default/vpce-0aaa1111bbbb22223' },
    { type: 'dependsOn', targetRef: 'resource:default/vpce-0bbb1111cccc22223' },
    { type: 'dependsOn', targetRef: 'resource:default/vpce-0ccc1111dddd22223' },
  ],
};

/** The Group that owns payments-api and its endpoints. */
export const consumerGroup: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments', namespace: 'default' },
  spec: { type: 'team', children: [] },
  relations: [
    { type: 'ownerOf', targetRef: 'component:default/payments-api' },
    { type: 'ownerOf', targetRef: 'resource:default/vpce-0aaa1111bbbb22223' },
  ],
};
