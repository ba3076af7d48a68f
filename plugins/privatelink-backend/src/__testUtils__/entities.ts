import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ANNOTATIONS } from '@privatelink-backstage/plugin-privatelink-common';
import {
  AccountRegionSnapshot,
  buildEntities,
  EntityConfig,
} from '@privatelink-backstage/plugin-catalog-backend-module-privatelink/internal';

/**
 * Catalog fixtures for the API tests, built by the sync's own entity builder from snapshots shaped like what
 * the AWS inventory reads, so that they are exactly what the sync emits. The catalog adds relations when it
 * processes entities; `withRelations` adds them the way the built-in processor does, because the in-memory
 * catalog filters on them (`relations.dependsOn`).
 */

export const PROVIDER = '123456789012';
export const CONSUMER = '210987654321';
export const OTHER = '444455556666';
export const REGION = 'us-east-1';

export const SERVICE_ID = 'vpce-svc-0123456789abcdef0';
export const SERVICE_NAME = `com.amazonaws.vpce.${REGION}.${SERVICE_ID}`;
export const SERVICE_REF = 'resource:default/orders-api';
export const SERVICE_DNS = `${SERVICE_ID}.${REGION}.vpce.amazonaws.com`;
export const NLB_ARN = `arn:aws:elasticloadbalancing:${REGION}:${PROVIDER}:loadbalancer/net/orders/0123456789abcdef`;
export const PRIVATE_DNS = 'orders.internal.example.com';
export const ALLOWED = [`arn:aws:iam::${CONSUMER}:root`, `arn:aws:iam::${OTHER}:role/ingest`];

/** A second service, owned by another team, for which nobody in the tests is an owner. */
export const OTHER_SERVICE_ID = 'vpce-svc-0fedcba9876543210';
export const OTHER_SERVICE_REF = 'resource:default/billing-api';

/** payments-api's endpoint, connected. */
export const EP_AVAILABLE = 'vpce-0aaaaaaaaaaaa0001';
/** A second endpoint of the consumer account, waiting for acceptance. */
export const EP_PENDING = 'vpce-0aaaaaaaaaaaa0002';
/** Another account's endpoint, waiting for acceptance. */
export const EP_OTHER_PENDING = 'vpce-0bbbbbbbbbbbb0003';
/** Another account's endpoint, rejected. */
export const EP_REJECTED = 'vpce-0bbbbbbbbbbbb0004';

export const CREATED_AT = '2026-10-01T10:00:00.000Z';
export const READ_AT = '2026-11-20T08:00:00.000Z';

export const OWNER_GROUP = 'group:default/orders';
export const OWNER_USER = 'user:default/olivia';
export const CONSUMER_USER = 'user:default/carl';
export const OTHER_USER = 'user:default/dana';

const endpointDns = (endpointId: string) => `${endpointId}-abc.${SERVICE_DNS}`;

export const entityConfig: EntityConfig = {
  accounts: [
    { accountId: PROVIDER, name: 'shared-services', regions: [REGION] },
    { accountId: CONSUMER, name: 'payments', regions: [REGION] },
  ],
  defaultOwner: 'group:default/platform',
  tagKeys: { owner: 'backstage:owner', system: 'backstage:system', component: 'backstage:component', name: 'backstage:name' },
};

const connection = (endpointId: string, ownerAccountId: string, state: 'available' | 'pendingAcceptance' | 'rejected') => ({
  endpointId,
  ownerAccountId,
  state,
  createdAt: CREATED_AT,
  dnsNames: [endpointDns(endpointId)],
});

export const snapshots: AccountRegionSnapshot[] = [
  {
    accountId: PROVIDER,
    region: REGION,
    readAt: READ_AT,
    warnings: [],
    endpoints: [],
    services: [
      {
        accountId: PROVIDER,
        region: REGION,
        serviceId: SERVICE_ID,
        serviceName: SERVICE_NAME,
        serviceType: 'Interface',
        state: 'Available',
        acceptanceRequired: true,
        privateDnsName: PRIVATE_DNS,
        privateDnsState: 'verified',
        baseEndpointDnsNames: [SERVICE_DNS],
        loadBalancerArns: [NLB_ARN],
        supportedIpAddressTypes: ['ipv4'],
        supportedRegions: [REGION],
        tags: {
          'backstage:name': 'orders-api',
          Name: 'Orders API',
          'backstage:owner': 'group:orders',
          'backstage:system': 'commerce',
        },
        allowedPrincipals: [...ALLOWED].reverse(),
        connections: [
          connection(EP_AVAILABLE, CONSUMER, 'available'),
          connection(EP_PENDING, CONSUMER, 'pendingAcceptance'),
          connection(EP_OTHER_PENDING, OTHER, 'pendingAcceptance'),
          connection(EP_REJECTED, OTHER, 'rejected'),
        ],
      },
      {
        accountId: PROVIDER,
        region: REGION,
        serviceId: OTHER_SERVICE_ID,
        serviceName: `com.amazonaws.vpce.${REGION}.${OTHER_SERVICE_ID}`,
        state: 'Available',
        acceptanceRequired: false,
        baseEndpointDnsNames: [`${OTHER_SERVICE_ID}.${REGION}.vpce.amazonaws.com`],
        loadBalancerArns: [],
        supportedIpAddressTypes: ['ipv4'],
        supportedRegions: [],
        tags: { 'backstage:name': 'billing-api', 'backstage:owner': 'group:billing' },
        allowedPrincipals: [],
        connections: [],
      },
    ],
  },
  {
    accountId: CONSUMER,
    region: REGION,
    readAt: READ_AT,
    warnings: [],
    services: [],
    endpoints: [
      {
        accountId: CONSUMER,
        region: REGION,
        endpointId: EP_AVAILABLE,
        endpointType: 'Interface',
        serviceName: SERVICE_NAME,
        vpcId: 'vpc-0a1b2c3d4e5f60718',
        subnetIds: ['subnet-0aaa', 'subnet-0bbb'],
        state: 'available',
        privateDnsEnabled: true,
        dnsNames: [endpointDns(EP_AVAILABLE)],
        tags: { 'backstage:component': 'payments-api', 'backstage:owner': 'group:payments' },
        createdAt: CREATED_AT,
      },
    ],
  },
];

/** Adds the relations the catalog's built-in processor derives from spec (both ends where both are present). */
export function withRelations(entities: Entity[]): Entity[] {
  const refs = new Set(entities.map(e => stringifyEntityRef(e)));
  const relations = new Map<string, Array<{ type: string; targetRef: string }>>(entities.map(e => [stringifyEntityRef(e), []]));
  const add = (source: string, type: string, target: string) => {
    if (relations.has(source)) relations.get(source)!.push({ type, targetRef: target });
  };
  for (const e of entities) {
    const ref = stringifyEntityRef(e);
    const spec = (e.spec ?? {}) as Record<string, unknown>;
    if (typeof spec.owner === 'string') add(ref, 'ownedBy', spec.owner);
    if (typeof spec.system === 'string') add(ref, 'partOf', spec.system);
    for (const target of (spec.dependsOn as string[] | undefined) ?? []) {
      add(ref, 'dependsOn', target);
      if (refs.has(target)) add(target, 'dependencyOf', ref);
    }
    for (const target of (spec.dependencyOf as string[] | undefined) ?? []) {
      add(ref, 'dependencyOf', target);
      if (refs.has(target)) add(target, 'dependsOn', ref);
    }
  }
  return entities.map(e => ({ ...e, relations: relations.get(stringifyEntityRef(e)) }));
}

const component = (name: string, owner: string, annotations: Record<string, string> = {}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, annotations },
  spec: { type: 'service', lifecycle: 'production', owner },
});

/** The Resource of a service that carries no AWS annotations (written by hand, before any sync). */
export const LEGACY_SERVICE_REF = 'resource:default/legacy-api';

const legacyService: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'legacy-api', title: 'Legacy API' },
  spec: { type: 'vpc-endpoint-service', owner: OWNER_GROUP },
};

/** The team Carl and Dana belong to: it owns payments-api (and its endpoint) and payments-worker. */
export const CONSUMER_GROUP = 'group:default/payments';

/**
 * The groups each test user belongs to, as the sign-in resolver puts them in their ownership refs (besides the
 * user themselves): Olivia is in orders, Carl and Dana in payments.
 */
export const USER_GROUPS: Record<string, string[]> = {
  [OWNER_USER]: [OWNER_GROUP],
  [CONSUMER_USER]: [CONSUMER_GROUP],
  [OTHER_USER]: [CONSUMER_GROUP],
};

const group = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name },
  spec: { type: 'team', children: [] },
});

/** Carl's own User entity: a catalog entity, but not one that consumes a service. */
const carl: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'carl' },
  spec: { memberOf: [CONSUMER_GROUP] },
};

/** Everything in the catalog of the API tests. */
export function catalogEntities(): Entity[] {
  return withRelations([
    ...buildEntities(snapshots, entityConfig),
    legacyService,
    group('payments'),
    group('orders'),
    carl,
    component('payments-api', 'group:default/payments'),
    // A second consumer of the payments team, and one Carl owns himself.
    component('payments-worker', CONSUMER_GROUP),
    component('carl-sandbox', CONSUMER_USER),
    // A component that says which endpoint service it is exposed through, by service id …
    component('orders', OWNER_GROUP, { [ANNOTATIONS.serviceId]: SERVICE_ID }),
    // … or by the entity ref of the service's Resource.
    component('orders-web', OWNER_GROUP, { [ANNOTATIONS.endpointService]: SERVICE_REF }),
    component('unrelated', OWNER_GROUP),
  ]);
}

/** The ref of a Resource registered by hand as a copy of orders-api's entity (see {@link forgedServiceEntity}). */
export const FORGED_SERVICE_REF = 'resource:default/orders-api-copy';
/** Where the forged copy was registered from: the catalog writes this location itself for a registered file. */
export const FORGED_LOCATION = 'url:https://example.com/catalog-info.yaml';

/**
 * A forged endpoint service: orders-api's entity exactly as the sync emits it (the same account, region and service
 * id annotations), under another name, owned by Olivia herself, registered from a catalog file. Only its
 * `backstage.io/managed-by-location` tells it from the sync's own entity.
 */
export function forgedServiceEntity(): Entity {
  const orders = buildEntities(snapshots, entityConfig).find(e => stringifyEntityRef(e) === SERVICE_REF)!;
  return withRelations([
    {
      ...orders,
      metadata: {
        ...orders.metadata,
        name: 'orders-api-copy',
        annotations: {
          ...orders.metadata.annotations,
          'backstage.io/managed-by-location': FORGED_LOCATION,
          'backstage.io/managed-by-origin-location': FORGED_LOCATION,
        },
      },
      spec: { ...orders.spec, owner: OWNER_USER },
    },
  ])[0];
}
