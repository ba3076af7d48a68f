import { Entity } from '@backstage/catalog-model';

/** Sample catalog data for the dev app, shaped the way the PrivateLink sync writes it. */
const serviceRef = 'resource:default/payments-api-endpoint-service';

export const sampleService: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'payments-api-endpoint-service',
    title: 'Payments API endpoint service',
    annotations: {
      'amazonaws.com/arn':
        'arn:aws:ec2:eu-west-1:111111111111:vpc-endpoint-service/vpce-svc-0a1b2c3d4e5f60718',
      'amazonaws.com/account-id': '111111111111',
      'amazonaws.com/region': 'eu-west-1',
      'privatelink.io/service-id': 'vpce-svc-0a1b2c3d4e5f60718',
      'privatelink.io/service-name':
        'com.amazonaws.vpce.eu-west-1.vpce-svc-0a1b2c3d4e5f60718',
      'privatelink.io/private-dns-name': 'payments.internal.example.com',
      'privatelink.io/private-dns-state': 'pendingVerification',
      'privatelink.io/acceptance-required': 'true',
      'privatelink.io/state': 'available',
      'privatelink.io/dns-names':
        'vpce-svc-0a1b2c3d4e5f60718.eu-west-1.vpce.amazonaws.com',
    },
  },
  spec: {
    type: 'vpc-endpoint-service',
    owner: 'group:default/payments',
    system: 'payments',
  },
  relations: [
    { type: 'ownedBy', targetRef: 'group:default/payments' },
    { type: 'partOf', targetRef: 'system:default/payments' },
    {
      type: 'dependencyOf',
      targetRef: 'resource:default/vpce-0123456789abcdef0',
    },
    {
      type: 'dependencyOf',
      targetRef: 'resource:default/vpce-0fedcba9876543210',
    },
  ],
};

/** A consumer endpoint, named by its endpoint id as the sync names it; `component` is the one it is tagged with. */
function endpoint(
  title: string,
  owner: string,
  accountId: string,
  endpointId: string,
  state: string,
  component?: string,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: endpointId,
      title,
      annotations: {
        'amazonaws.com/account-id': accountId,
        'amazonaws.com/region': 'eu-west-1',
        'privatelink.io/endpoint-id': endpointId,
        'privatelink.io/state': state,
      },
    },
    spec: {
      type: 'vpc-endpoint',
      owner,
      dependsOn: [serviceRef],
      ...(component ? { dependencyOf: [component] } : {}),
    },
    relations: [
      { type: 'ownedBy', targetRef: owner },
      { type: 'dependsOn', targetRef: serviceRef },
      ...(component ? [{ type: 'dependencyOf', targetRef: component }] : []),
    ],
  };
}

export const sampleEndpoints: Entity[] = [
  endpoint(
    'checkout → payments-api-endpoint-service',
    'group:default/checkout',
    '222222222222',
    'vpce-0123456789abcdef0',
    'available',
    'component:default/checkout',
  ),
  endpoint(
    'billing → payments-api-endpoint-service',
    'group:default/billing',
    '333333333333',
    'vpce-0fedcba9876543210',
    'pendingAcceptance',
  ),
];

export const sampleComponent: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    annotations: {
      'privatelink.io/service-id': 'vpce-svc-0a1b2c3d4e5f60718',
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'payments' },
};

/** A consumer: checkout reaches the payments API through its endpoint (the consumer card's sample). */
export const sampleConsumer: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout', namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: 'checkout' },
  relations: [
    { type: 'ownedBy', targetRef: 'group:default/checkout' },
    { type: 'dependsOn', targetRef: 'resource:default/vpce-0123456789abcdef0' },
  ],
};

export const sampleEntities: Entity[] = [
  sampleService,
  ...sampleEndpoints,
  sampleComponent,
  sampleConsumer,
];
