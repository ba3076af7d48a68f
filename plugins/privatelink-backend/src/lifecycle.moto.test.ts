/**
 * Integration: the PrivateLink connection lifecycle through one backend, against moto with the emulator layer
 * (packages/dev-aws). The real catalog (SQLite) holds the org and what the real catalog module syncs from moto;
 * the real PrivateLink plugin serves the API that users call with their tokens; the permissions follow the
 * installation's owners-only policy, decided by the catalog's own isEntityOwner rule. The consumers act in their
 * own moto accounts (STS AssumeRole), with the AWS SDK, as a consumer team would.
 *
 * Nothing waits on a clock of its own: the full sync and the follow-up job are the plugin's scheduled tasks,
 * run through the scheduler at the step that needs them; only the catalog's processing loop (which stitches
 * what a sync applied) is polled, with a deadline.
 */
import {
  CreateVpcEndpointCommand,
  CreateVpcEndpointServiceConfigurationCommand,
  DescribeVpcEndpointServicePermissionsCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
  ModifyVpcEndpointServicePermissionsCommand,
} from '@aws-sdk/client-ec2';
import { BackstageCredentials, coreServices, createBackendModule, createServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ANNOTATION_LOCATION, ANNOTATION_ORIGIN_LOCATION, Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogConditions, createCatalogConditionalDecision } from '@backstage/plugin-catalog-backend/alpha';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { AuthorizeResult, isPermission, Permission, PolicyDecision, ResourcePermission } from '@backstage/plugin-permission-common';
import { MOTO_CREDENTIALS, MotoServer, seedDemoOrg, SeedResult, startMoto } from '@privatelink-backstage/dev-aws';
import {
  AccessRequest,
  AuditEntry,
  PrivateLinkServiceDetails,
  privatelinkOwnerPermissions,
  privatelinkResourceCreatePermission,
} from '@privatelink-backstage/plugin-privatelink-common';
import {
  createPrivateLinkAccountConditionalDecision,
  privatelinkAccountConditions,
} from '@privatelink-backstage/plugin-privatelink-node';
import request from 'supertest';
import catalogModulePrivateLinkEntityProvider from '@privatelink-backstage/plugin-catalog-backend-module-privatelink';
import { privatelinkPlugin } from './plugin';
import { until } from './__testUtils__/until';

jest.setTimeout(180_000);

// ---------------------------------------------------------------------------------------------------------
// The world: the demo org's accounts, two people, their teams.
// ---------------------------------------------------------------------------------------------------------

const PROVIDER = '123456789012';
const PAYMENTS = '210987654321';
const ORDERS = '345678901234';
const REGION = 'us-east-1';
const root = (accountId: string) => `arn:aws:iam::${accountId}:root`;

const ORDERS_TEAM = 'group:default/orders';
const PAYMENTS_TEAM = 'group:default/payments';
const PLATFORM_TEAM = 'group:default/platform';
/** Olivia is in the team that owns orders-api and the services the tests create. */
const OLIVIA = 'user:default/olivia';
/** Mallory is a consumer, in payments: she owns none of those services. */
const MALLORY = 'user:default/mallory';
const MEMBERS: Record<string, string[]> = { [OLIVIA]: [ORDERS_TEAM], [MALLORY]: [PAYMENTS_TEAM] };

/** The scheduled tasks the catalog module and the plugin register. */
const SYNC_TASK = 'PrivateLinkEntityProvider:refresh';
const FOLLOW_UP_TASK = 'privatelink-accept-approved-connections';

// ---------------------------------------------------------------------------------------------------------
// moto
// ---------------------------------------------------------------------------------------------------------

let moto: MotoServer;
let seed: SeedResult;
const savedEndpointUrl = process.env.AWS_ENDPOINT_URL;

/** The root `aws` block: the provider with moto's static credentials, the consumers by their demo role. */
const awsConfig = () => ({ mainAccount: { ...MOTO_CREDENTIALS }, accountDefaults: { roleName: 'PrivateLinkDemo' } });

let providerEc2: EC2Client;
const consumerClients = new Map<string, Promise<EC2Client>>();

/** An EC2 client acting in a consumer account, through STS AssumeRole into its demo role (as the sync does). */
function consumerEc2(accountId: string): Promise<EC2Client> {
  let client = consumerClients.get(accountId);
  if (!client) {
    const manager = DefaultAwsCredentialsManager.fromConfig(new ConfigReader({ aws: awsConfig() }));
    client = manager
      .getCredentialProvider({ accountId })
      .then(({ sdkCredentialProvider }) => new EC2Client({ region: REGION, endpoint: moto.endpoint, credentials: sdkCredentialProvider }));
    consumerClients.set(accountId, client);
  }
  return client;
}

interface TestService {
  ref: string;
  serviceId: string;
  serviceName: string;
}

/**
 * A new endpoint service of the provider account, owned by the orders team and requiring acceptance, with no
 * allowed principal unless given: each test has its own, so that none depends on another's connections.
 */
async function createService(label: string, allowed: string[] = []): Promise<TestService> {
  const name = `lifecycle-${label}`;
  const created = await providerEc2.send(
    new CreateVpcEndpointServiceConfigurationCommand({
      NetworkLoadBalancerArns: [seed.services.find(s => s.name === 'orders-api')!.nlbArn],
      AcceptanceRequired: true,
      TagSpecifications: [
        {
          ResourceType: 'vpc-endpoint-service',
          Tags: [
            { Key: 'backstage:name', Value: name },
            { Key: 'backstage:owner', Value: ORDERS_TEAM },
            { Key: 'Name', Value: name },
          ],
        },
      ],
    }),
  );
  const serviceId = created.ServiceConfiguration!.ServiceId!;
  const serviceName = created.ServiceConfiguration!.ServiceName!;
  if (allowed.length > 0) {
    await providerEc2.send(new ModifyVpcEndpointServicePermissionsCommand({ ServiceId: serviceId, AddAllowedPrincipals: allowed }));
  }
  return { ref: `resource:default/${name}`, serviceId, serviceName };
}

/** The principals allowed on a service, as moto has them. */
async function allowedPrincipals(serviceId: string): Promise<string[]> {
  const out = await providerEc2.send(new DescribeVpcEndpointServicePermissionsCommand({ ServiceId: serviceId }));
  return (out.AllowedPrincipals ?? []).map(p => p.Principal!).sort();
}

/** An interface endpoint of a consumer account's demo VPC to a service, created in that account. */
async function createEndpoint(accountId: string, serviceName: string): Promise<string> {
  const account = seed.accounts.find(a => a.accountId === accountId)!;
  const team = accountId === PAYMENTS ? PAYMENTS_TEAM : ORDERS_TEAM;
  const ec2 = await consumerEc2(accountId);
  const out = await ec2.send(
    new CreateVpcEndpointCommand({
      VpcId: account.vpcId,
      ServiceName: serviceName,
      VpcEndpointType: 'Interface',
      SubnetIds: account.subnetIds,
      SecurityGroupIds: [account.securityGroupId],
      PrivateDnsEnabled: false,
      TagSpecifications: [{ ResourceType: 'vpc-endpoint', Tags: [{ Key: 'backstage:owner', Value: team }] }],
    }),
  );
  return out.VpcEndpoint!.VpcEndpointId!;
}

/** The state of an endpoint as its own account sees it. */
async function consumerSees(accountId: string, endpointId: string): Promise<string | undefined> {
  const ec2 = await consumerEc2(accountId);
  const out = await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpointId] }));
  return out.VpcEndpoints?.[0]?.State;
}

// ---------------------------------------------------------------------------------------------------------
// The org in the catalog
// ---------------------------------------------------------------------------------------------------------

const ORG_LOCATION = 'url:https://example.com/org.yaml';
const located = { [ANNOTATION_LOCATION]: ORG_LOCATION, [ANNOTATION_ORIGIN_LOCATION]: ORG_LOCATION };
const nameOf = (ref: string) => ref.split('/')[1];
const ORG: Entity[] = [
  ...[OLIVIA, MALLORY].map(ref => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: nameOf(ref), namespace: 'default', annotations: located },
    spec: { memberOf: MEMBERS[ref] },
  })),
  ...[ORDERS_TEAM, PAYMENTS_TEAM, PLATFORM_TEAM].map(ref => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: nameOf(ref), namespace: 'default', annotations: located },
    spec: { type: 'team', children: [] },
  })),
];

const orgModule = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'privatelink-lifecycle-org',
  register(env) {
    env.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        catalog.addEntityProvider({
          getProviderName: () => 'privatelink-lifecycle-org',
          connect: connection =>
            connection.applyMutation({ type: 'full', entities: ORG.map(entity => ({ entity, locationKey: ORG_LOCATION })) }),
        });
      },
    });
  },
});

// ---------------------------------------------------------------------------------------------------------
// Services: the installation's policy, users' ownership refs, one scheduler and one event bus for all plugins.
// ---------------------------------------------------------------------------------------------------------

type Server = Parameters<typeof request>[0];
let server: Server;

type Principal = { type: string; userEntityRef?: string };
const userOf = (credentials: BackstageCredentials) => (credentials.principal as Principal).userEntityRef;
/** What the sign-in resolver puts in a user's token: themselves and their groups. */
const claimsOf = (credentials: BackstageCredentials) => {
  const ref = userOf(credentials);
  return ref ? [ref, ...(MEMBERS[ref] ?? [])] : [];
};

/**
 * The installation's policy (packages/backend/src/modules/permissionPolicy.ts): PrivateLink owner permissions
 * for the owners of the service's catalog entity, by the catalog's isEntityOwner condition on the user's claims;
 * creating in an account for its owners; everything else allowed.
 */
function policy(permission: Permission, claims: string[]): PolicyDecision {
  if (isPermission(permission, privatelinkResourceCreatePermission)) {
    return createPrivateLinkAccountConditionalDecision(permission, {
      anyOf: [privatelinkAccountConditions.isAccountOwner({ claims }), privatelinkAccountConditions.isDelegatedOwner({ claims })],
    });
  }
  if (privatelinkOwnerPermissions.some(p => isPermission(permission, p))) {
    return createCatalogConditionalDecision(permission as ResourcePermission<'catalog-entity'>, catalogConditions.isEntityOwner({ claims }));
  }
  return { result: AuthorizeResult.ALLOW };
}

/**
 * What the permission framework does with the policy's answer: a service principal is allowed (the
 * ServerPermissionClient decides it without a policy); a conditional decision is applied by the plugin that owns
 * the resource type, through its apply-conditions endpoint, on the resource as it is now (for a catalog entity:
 * its stitched ownedBy relations).
 */
async function decide(
  requests: Array<{ permission: Permission; resourceRef?: string }>,
  credentials: BackstageCredentials,
): Promise<Array<{ result: AuthorizeResult.ALLOW | AuthorizeResult.DENY }>> {
  if ((credentials.principal as Principal).type === 'service') return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
  return Promise.all(
    requests.map(async ({ permission, resourceRef }, i) => {
      const decision = policy(permission, claimsOf(credentials));
      if (decision.result !== AuthorizeResult.CONDITIONAL) return { result: decision.result };
      if (!resourceRef) return { result: AuthorizeResult.DENY };
      const res = await request(server)
        .post(`/api/${decision.pluginId}/.well-known/backstage/permissions/apply-conditions`)
        .set('Authorization', mockCredentials.service.header())
        .send({ items: [{ id: String(i), resourceRef, resourceType: decision.resourceType, conditions: decision.conditions }] });
      if (res.status !== 200) throw new Error(`apply-conditions of ${decision.pluginId} answered ${res.status}: ${res.text}`);
      return { result: res.body.items[0].result };
    }),
  );
}

const permissions = mockServices.permissions.mock({
  authorize: (async (requests: Array<{ permission: Permission; resourceRef?: string }>, { credentials }: { credentials: BackstageCredentials }) =>
    decide(requests, credentials)) as any,
  // Catalog reads: the policy allows them to everybody.
  authorizeConditional: (async (requests: unknown[]) => requests.map(() => ({ result: AuthorizeResult.ALLOW }))) as any,
});

const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: BackstageCredentials) {
      const ref = userOf(credentials);
      if (!ref) throw new Error(`No user info for a ${(credentials.principal as Principal).type} principal`);
      return { userEntityRef: ref, ownershipEntityRefs: claimsOf(credentials) };
    },
  }),
});

/**
 * One scheduler for every plugin, which runs a task when the test says so (and never on its own): the full sync
 * and the follow-up job run at the step that needs them, and the call returns when the run has ended.
 */
const scheduler = mockServices.scheduler();
const schedulerFactory = createServiceFactory({ service: coreServices.scheduler, deps: {}, factory: () => scheduler });

/** One event bus for every plugin, as the backend's: the plugin's change events reach the catalog module. */
const events = mockServices.events();
const eventsFactory = createServiceFactory({ service: eventsServiceRef, deps: {}, factory: () => events });

const notifications: Array<{ recipients: unknown; payload: { title: string; description?: string; link?: string; topic?: string; scope?: string } }> = [];
const notificationsFactory = createServiceFactory({
  service: notificationService,
  deps: {},
  factory: () => ({ send: async (n: any) => void notifications.push(n) }),
});

// ---------------------------------------------------------------------------------------------------------
// Talking to the backend
// ---------------------------------------------------------------------------------------------------------

const as = (ref: string) => mockCredentials.user.header(ref);

/** Runs the catalog module's full sync of every account, and returns when it has applied its mutation. */
async function sync() {
  await until('the sync task to be scheduled', () => scheduler.getScheduledTasks(), tasks => tasks.some(t => t.id === SYNC_TASK));
  await scheduler.triggerTask(SYNC_TASK);
}

/** What the service's card reads: GET /v1/services. */
async function details(ref: string, user = OLIVIA) {
  const res = await request(server).get(`/api/privatelink/v1/services?entityRef=${encodeURIComponent(ref)}`).set('Authorization', as(user));
  return { status: res.status, body: res.body as PrivateLinkServiceDetails };
}

/** Until the card shows the service as moto has it now (its allowed principals included). */
async function untilServiceShown(service: TestService, principals: string[] = []) {
  return until(
    `${service.ref} on the card`,
    () => details(service.ref),
    d => d.status === 200 && d.body.serviceId === service.serviceId && principals.every(p => d.body.allowedPrincipals.includes(p)),
  );
}

/** Until the card shows the endpoint in `state`; returns the card. */
async function untilConsumerShown(service: TestService, endpointId: string, state: string) {
  const shown = await until(
    `${endpointId} ${state} on the card of ${service.ref}`,
    () => details(service.ref),
    d => d.status === 200 && d.body.consumers?.some(c => c.endpointId === endpointId && c.state === state),
  );
  return shown.body;
}

/** A service of the test's own with a pending connection from orders-prod, synced and shown on the card. */
async function pendingConnection(label: string) {
  const service = await createService(label, [root(ORDERS)]);
  const endpointId = await createEndpoint(ORDERS, service.serviceName);
  expect(await consumerSees(ORDERS, endpointId)).toBe('pendingAcceptance');
  await sync();
  await untilConsumerShown(service, endpointId, 'pendingAcceptance');
  return { service, endpointId };
}

const review = (decision: 'accept' | 'reject', user: string, serviceRef: string, endpointIds: string[]) =>
  request(server).post(`/api/privatelink/v1/connections/${decision}`).set('Authorization', as(user)).send({ serviceRef, endpointIds });

/** The service's audit log as its owner reads it, newest first. */
async function auditOf(serviceRef: string): Promise<AuditEntry[]> {
  const res = await request(server).get(`/api/privatelink/v1/audit?serviceRef=${encodeURIComponent(serviceRef)}`).set('Authorization', as(OLIVIA));
  expect(res.status).toBe(200);
  return res.body.items;
}

/** The service's access requests as its owner reads them. */
async function requestsOf(serviceRef: string): Promise<AccessRequest[]> {
  const res = await request(server)
    .get(`/api/privatelink/v1/access-requests?serviceRef=${encodeURIComponent(serviceRef)}`)
    .set('Authorization', as(OLIVIA));
  expect(res.status).toBe(200);
  return res.body.items;
}

async function fileRequest(serviceRef: string, accountId: string) {
  const res = await request(server)
    .post('/api/privatelink/v1/access-requests')
    .set('Authorization', as(MALLORY))
    .send({ serviceRef, consumerRef: PAYMENTS_TEAM, accountId, reason: 'payments-api needs the orders data' });
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ serviceRef, consumerRef: PAYMENTS_TEAM, accountId, status: 'pending', requestedBy: MALLORY });
  return res.body as AccessRequest;
}

// ---------------------------------------------------------------------------------------------------------

beforeAll(async () => {
  moto = await startMoto();
  // The STS client inside @backstage/integration-aws-node takes its endpoint from the environment.
  process.env.AWS_ENDPOINT_URL = moto.endpoint;
  seed = await seedDemoOrg({ endpoint: moto.endpoint });
  providerEc2 = new EC2Client({ region: REGION, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });

  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      orgModule,
      catalogModulePrivateLinkEntityProvider,
      privatelinkPlugin,
      permissions.factory,
      userInfoFactory,
      schedulerFactory,
      eventsFactory,
      notificationsFactory,
      mockServices.rootConfig.factory({
        data: {
          catalog: {
            rules: [{ allow: ['Resource', 'Component', 'System', 'User', 'Group', 'Location'] }],
            processingInterval: { seconds: 1 },
          },
          aws: awsConfig(),
          privatelink: {
            endpoint: moto.endpoint,
            regions: [REGION],
            accounts: [
              { accountId: PROVIDER, name: 'shared-services', owner: PLATFORM_TEAM },
              { accountId: PAYMENTS, name: 'payments-prod', owner: PAYMENTS_TEAM },
              { accountId: ORDERS, name: 'orders-prod', owner: ORDERS_TEAM },
            ],
            sync: { enabled: true },
            // Every read of the card goes to the catalog: what a test sees is what the catalog holds.
            detailsCache: { ttlSeconds: 0 },
          },
        },
      }),
    ],
  });
  server = backend.server;

  await sync();
  // The org and the seeded services, processed and stitched.
  await until(
    'the org and orders-api in the catalog',
    () =>
      request(server)
        .post('/api/catalog/entities/by-refs')
        .set('Authorization', as(OLIVIA))
        .send({ entityRefs: [OLIVIA, MALLORY, ORDERS_TEAM, PAYMENTS_TEAM, 'resource:default/orders-api'] }),
    res => res.status === 200 && res.body.items.every(Boolean),
  );
});

afterAll(async () => {
  for (const client of consumerClients.values()) (await client.catch(() => undefined))?.destroy();
  providerEc2?.destroy();
  if (savedEndpointUrl === undefined) delete process.env.AWS_ENDPOINT_URL;
  else process.env.AWS_ENDPOINT_URL = savedEndpointUrl;
  await moto?.stop();
});

describe('the PrivateLink connection lifecycle against the emulator', () => {
  it('shows a pending connection, after the owner allowed the account through the API, in the sync and on the card', async () => {
    const service = await createService('pending');
    await sync();
    await untilServiceShown(service);

    // Before the owner allows orders-prod, EC2 does not even show it the service.
    await expect(createEndpoint(ORDERS, service.serviceName)).rejects.toMatchObject({ name: 'InvalidServiceName' });

    const allowed = await request(server)
      .post('/api/privatelink/v1/principals/allow')
      .set('Authorization', as(OLIVIA))
      .send({ serviceRef: service.ref, principals: [root(ORDERS)] });
    expect(allowed.status).toBe(200);
    expect(allowed.body).toEqual({ changed: [root(ORDERS)] });
    expect(await allowedPrincipals(service.serviceId)).toEqual([root(ORDERS)]);
    // The change event re-read the service: the card shows the new principal without a full sync.
    await untilServiceShown(service, [root(ORDERS)]);

    const endpointId = await createEndpoint(ORDERS, service.serviceName);
    expect(await consumerSees(ORDERS, endpointId)).toBe('pendingAcceptance');

    await sync();
    const card = await untilConsumerShown(service, endpointId, 'pendingAcceptance');
    expect(card).toMatchObject({ entityRef: service.ref, owner: ORDERS_TEAM, acceptanceRequired: true, counts: { pendingAcceptance: 1 } });
    expect(card.consumers).toEqual([
      expect.objectContaining({ entityRef: `resource:default/${endpointId}`, endpointId, accountId: ORDERS, owner: ORDERS_TEAM, state: 'pendingAcceptance' }),
    ]);
    // The synced entity itself, as the catalog serves it.
    const entity = await request(server).get(`/api/catalog/entities/by-name/resource/default/${endpointId}`).set('Authorization', as(OLIVIA));
    expect(entity.status).toBe(200);
    expect(entity.body.metadata.annotations).toMatchObject({ 'privatelink.io/state': 'pendingAcceptance', 'amazonaws.com/account-id': ORDERS });
    expect(entity.body.spec.dependsOn).toEqual([service.ref]);

    const [row] = await auditOf(service.ref);
    expect(row).toMatchObject({ actor: OLIVIA, via: 'api', action: 'principals.allow', result: 'success', serviceId: service.serviceId });
  });

  it('notifies the owners once of a consumer endpoint created after a sync, whoever announces it again', async () => {
    const service = await createService('notify', [root(ORDERS)]);
    await sync();
    await untilServiceShown(service, [root(ORDERS)]);
    const aboutService = () => notifications.filter(n => n.payload.scope?.includes(`/${service.serviceId}/`));
    expect(aboutService()).toEqual([]);

    // orders-prod connects outside Backstage (no announcement of its own): the next sync finds it pending.
    const endpointId = await createEndpoint(ORDERS, service.serviceName);
    expect(await consumerSees(ORDERS, endpointId)).toBe('pendingAcceptance');
    await sync();
    // The sync's announcement is handled before its publication returns: the owners have heard of it by now.
    expect(aboutService()).toEqual([
      {
        recipients: { type: 'entity', entityRef: ORDERS_TEAM },
        payload: {
          title: 'New connection to lifecycle-notify awaits acceptance',
          description: `Account ${ORDERS} (orders-prod), owned by ${ORDERS_TEAM}, asks to connect through VPC endpoint ${endpointId}. Accept or reject the connection on the service's PrivateLink tab.`,
          link: '/catalog/default/resource/lifecycle-notify/privatelink',
          topic: 'privatelink',
          scope: `privatelink.connection.pending:${PROVIDER}/${REGION}/${service.serviceId}/${endpointId}`,
          severity: 'normal',
        },
      },
    ]);

    // Still pending at the next sync: nothing new. Announced again (another replica's sync after a restart, a
    // repeated event): the shared record says its owners were told.
    await sync();
    await events.publish({
      topic: 'privatelink.connection.pending',
      eventPayload: { accountId: PROVIDER, region: REGION, serviceId: service.serviceId, endpointId, consumerAccountId: ORDERS },
    });
    expect(aboutService()).toHaveLength(1);

    // A forged announcement of a connection AWS does not have notifies nobody.
    await events.publish({
      topic: 'privatelink.connection.pending',
      eventPayload: { accountId: PROVIDER, region: REGION, serviceId: service.serviceId, endpointId: 'vpce-0fffffffffffffff0' },
    });
    expect(aboutService()).toHaveLength(1);
    // Nor does one of a connection the owners accepted meanwhile (its row is new: the accepted one is not).
    const other = await createEndpoint(ORDERS, service.serviceName);
    expect((await review('accept', OLIVIA, service.ref, [other])).status).toBe(200);
    expect(await consumerSees(ORDERS, other)).toBe('available');
    await events.publish({
      topic: 'privatelink.connection.pending',
      eventPayload: { accountId: PROVIDER, region: REGION, serviceId: service.serviceId, endpointId: other },
    });
    expect(aboutService()).toHaveLength(1);
  });

  it('lets the owner accept a pending connection: the consumer sees it available, with a success row in the audit log', async () => {
    const { service, endpointId } = await pendingConnection('accept');

    const res = await review('accept', OLIVIA, service.ref, [endpointId]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ changed: [endpointId], unchanged: [], failed: [] });

    expect(await consumerSees(ORDERS, endpointId)).toBe('available');
    const audit = await auditOf(service.ref);
    expect(audit[0]).toMatchObject({
      actor: OLIVIA,
      via: 'api',
      action: 'connections.accept',
      serviceRef: service.ref,
      accountId: PROVIDER,
      serviceId: service.serviceId,
      details: expect.objectContaining({ endpointIds: [endpointId] }),
      result: 'success',
    });
    // The change event re-read the service and its consumers: the card follows without a full sync.
    await untilConsumerShown(service, endpointId, 'available');
  });

  it('lets the owner reject a pending connection: the consumer sees it rejected', async () => {
    const { service, endpointId } = await pendingConnection('reject');

    const res = await review('reject', OLIVIA, service.ref, [endpointId]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ changed: [endpointId], unchanged: [], failed: [] });

    expect(await consumerSees(ORDERS, endpointId)).toBe('rejected');
    expect((await auditOf(service.ref))[0]).toMatchObject({ actor: OLIVIA, via: 'api', action: 'connections.reject', result: 'success' });
    await untilConsumerShown(service, endpointId, 'rejected');
  });

  it('refuses a non-owner who accepts or rejects: 403, and the connection stays pending in AWS', async () => {
    const { service, endpointId } = await pendingConnection('non-owner');

    for (const decision of ['accept', 'reject'] as const) {
      const res = await review(decision, MALLORY, service.ref, [endpointId]);
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({ name: 'NotAllowedError', message: `privatelink.connection.review is not allowed on ${service.ref}` });
      expect(await consumerSees(ORDERS, endpointId)).toBe('pendingAcceptance');
    }
    // Nor may she allow her own account.
    const allow = await request(server)
      .post('/api/privatelink/v1/principals/allow')
      .set('Authorization', as(MALLORY))
      .send({ serviceRef: service.ref, principals: [root(PAYMENTS)] });
    expect(allow.status).toBe(403);
    expect(await allowedPrincipals(service.serviceId)).toEqual([root(ORDERS)]);

    // Each attempt is on the owners' record, as refused.
    const audit = await auditOf(service.ref);
    expect(audit.slice(0, 3).map(r => [r.actor, r.action, r.result])).toEqual([
      [MALLORY, 'principals.allow', 'refused'],
      [MALLORY, 'connections.reject', 'refused'],
      [MALLORY, 'connections.accept', 'refused'],
    ]);
    await untilConsumerShown(service, endpointId, 'pendingAcceptance');
  });

  it('approves an access request: the account is allowed, and the follow-up accepts the endpoint created after approval', async () => {
    const service = await createService('request-later');
    await sync();
    await untilServiceShown(service);
    // payments-prod may not connect yet: EC2 does not show it the service.
    await expect(createEndpoint(PAYMENTS, service.serviceName)).rejects.toMatchObject({ name: 'InvalidServiceName' });

    const filed = await fileRequest(service.ref, PAYMENTS);
    // Only an owner decides it.
    const refused = await request(server).post(`/api/privatelink/v1/access-requests/${filed.id}/approve`).set('Authorization', as(MALLORY)).send({});
    expect(refused.status).toBe(403);
    expect(await allowedPrincipals(service.serviceId)).toEqual([]);

    const approved = await request(server)
      .post(`/api/privatelink/v1/access-requests/${filed.id}/approve`)
      .set('Authorization', as(OLIVIA))
      .send({ reason: 'go ahead' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ id: filed.id, status: 'approved', decidedBy: OLIVIA, decisionReason: 'go ahead', followUp: 'active', acceptedEndpointIds: [] });
    expect(approved.body.error).toBeUndefined();
    // (a) the account is an allowed principal in AWS.
    expect(await allowedPrincipals(service.serviceId)).toEqual([root(PAYMENTS)]);

    // The consumer connects: pending, the service requires acceptance.
    const endpointId = await createEndpoint(PAYMENTS, service.serviceName);
    expect(await consumerSees(PAYMENTS, endpointId)).toBe('pendingAcceptance');

    // The follow-up job, as the scheduler runs it once a minute.
    await scheduler.triggerTask(FOLLOW_UP_TASK);

    expect(await consumerSees(PAYMENTS, endpointId)).toBe('available');
    const [after] = (await requestsOf(service.ref)).filter(r => r.id === filed.id);
    expect(after).toMatchObject({ status: 'approved', followUp: 'accepted', acceptedEndpointIds: [endpointId] });
    expect(after.error).toBeUndefined();
    expect((await auditOf(service.ref))[0]).toMatchObject({
      actor: 'plugin:privatelink',
      via: 'job',
      action: 'connections.accept',
      details: expect.objectContaining({ accountId: PAYMENTS, requestIds: [filed.id] }),
      result: 'success',
    });

    // Nothing is left for the job: another run changes nothing and writes no row.
    const rows = (await auditOf(service.ref)).length;
    await scheduler.triggerTask(FOLLOW_UP_TASK);
    expect(await auditOf(service.ref)).toHaveLength(rows);
    await untilConsumerShown(service, endpointId, 'available');
  });

  it('approves an access request of an account that is allowed already: its pending endpoint is accepted at once', async () => {
    const service = await createService('request-pending', [root(PAYMENTS)]);
    const endpointId = await createEndpoint(PAYMENTS, service.serviceName);
    expect(await consumerSees(PAYMENTS, endpointId)).toBe('pendingAcceptance');
    await sync();
    await untilConsumerShown(service, endpointId, 'pendingAcceptance');

    const filed = await fileRequest(service.ref, PAYMENTS);
    const approved = await request(server)
      .post(`/api/privatelink/v1/access-requests/${filed.id}/approve`)
      .set('Authorization', as(OLIVIA))
      .send({});
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', decidedBy: OLIVIA, followUp: 'accepted', acceptedEndpointIds: [endpointId] });
    // No error text in any of the decision's fields.
    expect(approved.body.error).toBeUndefined();
    expect(approved.body.decisionReason).toBeUndefined();

    // Accepted by the approval itself, without the follow-up job.
    expect(await consumerSees(PAYMENTS, endpointId)).toBe('available');
    expect(await allowedPrincipals(service.serviceId)).toEqual([root(PAYMENTS)]);
    const [listed] = (await requestsOf(service.ref)).filter(r => r.id === filed.id);
    expect(listed).toMatchObject({ status: 'approved', followUp: 'accepted', acceptedEndpointIds: [endpointId] });
    expect(listed.error).toBeUndefined();

    const audit = await auditOf(service.ref);
    const byAction = (action: string) => audit.filter(r => r.action === action);
    expect(byAction('accessRequest.approve')).toEqual([expect.objectContaining({ actor: OLIVIA, result: 'success' })]);
    expect(byAction('connections.accept')).toEqual([
      expect.objectContaining({ actor: OLIVIA, via: 'api', result: 'success', details: expect.objectContaining({ accountId: PAYMENTS, requestId: filed.id }) }),
    ]);
    expect(audit.every(r => r.result !== 'error' && !r.message)).toBe(true);
    expect(notifications.map(n => [n.recipients, n.payload.title])).toContainEqual([
      { type: 'entity', entityRef: MALLORY },
      `Access to lifecycle-request-pending approved`,
    ]);
    await untilConsumerShown(service, endpointId, 'available');
  });

  it('revokes a principal through the API: EC2 no longer offers the service to the account; a non-owner is refused', async () => {
    const service = await createService('revoke', [root(ORDERS)]);
    await sync();
    await untilServiceShown(service, [root(ORDERS)]);

    const revoke = (user: string) =>
      request(server)
        .post('/api/privatelink/v1/principals/revoke')
        .set('Authorization', as(user))
        .send({ serviceRef: service.ref, principals: [root(ORDERS)] });
    expect((await revoke(MALLORY)).status).toBe(403);
    expect(await allowedPrincipals(service.serviceId)).toEqual([root(ORDERS)]);

    const revoked = await revoke(OLIVIA);
    expect(revoked.status).toBe(200);
    expect(await allowedPrincipals(service.serviceId)).toEqual([]);
    // orders-prod cannot connect any more.
    await expect(createEndpoint(ORDERS, service.serviceName)).rejects.toMatchObject({ name: 'InvalidServiceName' });
    expect((await auditOf(service.ref)).map(r => [r.action, r.result, r.actor])).toEqual(
      expect.arrayContaining([
        ['principals.revoke', 'success', OLIVIA],
        ['principals.revoke', 'refused', MALLORY],
      ]),
    );
  });

  it('denies an access request through the API: nothing changes in AWS, and the requester hears of it', async () => {
    const service = await createService('deny');
    await sync();
    await untilServiceShown(service);
    const filed = await fileRequest(service.ref, PAYMENTS);

    const denied = await request(server)
      .post(`/api/privatelink/v1/access-requests/${filed.id}/deny`)
      .set('Authorization', as(OLIVIA))
      .send({ reason: 'use the public API' });
    expect(denied.status).toBe(200);
    expect(denied.body).toMatchObject({ id: filed.id, status: 'denied', decidedBy: OLIVIA, decisionReason: 'use the public API' });
    expect(await allowedPrincipals(service.serviceId)).toEqual([]);
    await expect(createEndpoint(PAYMENTS, service.serviceName)).rejects.toMatchObject({ name: 'InvalidServiceName' });
    expect(notifications.map(n => [n.recipients, n.payload.title])).toContainEqual([
      { type: 'entity', entityRef: MALLORY },
      expect.stringContaining('denied'),
    ]);
  });

  it("accepts an approved consumer's endpoint as soon as its creation is announced, without the job", async () => {
    const service = await createService('request-announced');
    await sync();
    await untilServiceShown(service);
    const filed = await fileRequest(service.ref, PAYMENTS);
    const approved = await request(server).post(`/api/privatelink/v1/access-requests/${filed.id}/approve`).set('Authorization', as(OLIVIA)).send({});
    expect(approved.status).toBe(200);
    const endpointId = await createEndpoint(PAYMENTS, service.serviceName);
    expect(await consumerSees(PAYMENTS, endpointId)).toBe('pendingAcceptance');

    // What the template's endpoint step publishes; the scheduler here never runs the job by itself.
    await events.publish({
      topic: 'privatelink.service.changed',
      eventPayload: { accountId: PROVIDER, region: REGION, serviceId: service.serviceId },
    });
    // The follow-up ends by recording its outcome on the request (after EC2 has accepted): wait for that record.
    const [after] = await until(
      `the request's follow-up to end after the announcement`,
      async () => (await requestsOf(service.ref)).filter(r => r.id === filed.id),
      ([r]) => r?.followUp !== 'active',
    );
    expect(await consumerSees(PAYMENTS, endpointId)).toBe('available');
    expect(after).toMatchObject({ status: 'approved', followUp: 'accepted', acceptedEndpointIds: [endpointId] });
    expect(after.error).toBeUndefined();
    // The follow-up's row (the approval's own acceptance found nothing pending yet).
    expect((await auditOf(service.ref)).filter(r => r.action === 'connections.accept' && r.via === 'job')).toEqual([
      expect.objectContaining({ actor: 'plugin:privatelink', result: 'success', details: expect.objectContaining({ changed: [endpointId] }) }),
    ]);
  });
});
