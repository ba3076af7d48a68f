/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "expectRefused", "request.**.expect", "api.**.expect"] }] */
import {
  AcceptVpcEndpointConnectionsCommand,
  DeleteVpcEndpointsCommand,
  DeleteVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointsCommand,
  CreateTagsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  ModifyVpcEndpointServiceConfigurationCommand,
  DescribeVpcEndpointConnectionsCommand,
  DescribeVpcEndpointServicePermissionsCommand,
  EC2Client,
  ModifyVpcEndpointServicePermissionsCommand,
  RejectVpcEndpointConnectionsCommand,
  VpcEndpointConnection,
} from '@aws-sdk/client-ec2';
import { BackstageCredentials, BackstageUserPrincipal, createServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend, TestDatabases } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock, MockActionsRegistry } from '@backstage/backend-test-utils/alpha';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  AuthorizePermissionRequest,
  AuthorizePermissionResponse,
  AuthorizeResult,
} from '@backstage/plugin-permission-common';
import {
  AuditEntry,
  privatelinkAccessRequestCreatePermission,
  privatelinkOwnerPermissions,
} from '@privatelink-backstage/plugin-privatelink-common';
import { mockClient } from 'aws-sdk-client-mock';
import { Knex } from 'knex';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import {
  ALLOWED,
  catalogEntities,
  CONSUMER,
  CONSUMER_GROUP,
  CONSUMER_USER,
  CREATED_AT,
  EP_AVAILABLE,
  EP_OTHER_PENDING,
  EP_PENDING,
  EP_REJECTED,
  FORGED_LOCATION,
  FORGED_SERVICE_REF,
  forgedServiceEntity,
  LEGACY_SERVICE_REF,
  NLB_ARN,
  OTHER,
  OTHER_SERVICE_ID,
  OTHER_SERVICE_REF,
  OTHER_USER,
  OWNER_GROUP,
  OWNER_USER,
  PRIVATE_DNS,
  PROVIDER,
  REGION,
  SERVICE_DNS,
  SERVICE_ID,
  SERVICE_NAME,
  SERVICE_REF,
  USER_GROUPS,
} from './__testUtils__/entities';
import { privatelinkPlugin } from './plugin';
import { createPrivateLinkStore, PrivateLinkStore } from './service/store';

/**
 * The HTTP API end to end inside a test backend: the real plugin, router, service, store (SQLite) and EC2 client
 * factory; the catalog holds what the sync emits; EC2 is mocked at the SDK level, so every AWS command the API
 * sends is recorded. Every refusal is checked to have changed nothing in AWS, announced and notified nothing, and
 * written nothing but, when it came from the write path, its one `refused` audit row.
 */

const ec2 = mockClient(EC2Client);
const databases = TestDatabases.create({ ids: ['SQLITE_3'], disableDocker: true });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UNKNOWN_ID = '3f2c7a1e-8b4d-4c6e-9a0f-1d2e3f4a5b6c';

/** A user nobody allows anything, not even to file requests. */
const BLOCKED_USER = 'user:default/mallory';

const auth = (userRef: string) => `Bearer ${mockCredentials.user.token(userRef)}`;
const OWNER = auth(OWNER_USER);
const CARL = auth(CONSUMER_USER);
const DANA = auth(OTHER_USER);
const MALLORY = auth(BLOCKED_USER);
const SERVICE = mockCredentials.service.header();
const NONE = mockCredentials.none.header();

/**
 * A user's token as the scaffolder passes it on when an action calls this plugin: the user, with the scaffolder as
 * the actor (`principal.actor`, as Backstage's auth service gives it for an on-behalf-of token). The mock httpAuth
 * service of @backstage/backend-test-utils turns such a mock token into exactly those credentials.
 */
const viaPlugin = (userRef: string, pluginId: string) =>
  `Bearer ${mockCredentials.user.token(userRef, { actor: { subject: `plugin:${pluginId}` } })}`;
const SCAFFOLDER_OLIVIA = viaPlugin(OWNER_USER, 'scaffolder');
const SCAFFOLDER_CARL = viaPlugin(CONSUMER_USER, 'scaffolder');

const TARGET = { accountId: PROVIDER, region: REGION, serviceId: SERVICE_ID };
const CHANGED_EVENT = { topic: 'privatelink.service.changed', eventPayload: TARGET };
const ENTITY_LINK = 'http://localhost:3000/catalog/default/resource/orders-api';

/**
 * Olivia owns orders-api; billing-api's owners are not among the test users. The policy lets her act on the
 * entities she owns but the sync did not write, too (the legacy one, the forged copy): refusing those is the
 * plugin's part, whatever the policy says.
 */
const OWNERS: Record<string, string> = {
  [SERVICE_REF]: OWNER_USER,
  [LEGACY_SERVICE_REF]: OWNER_USER,
  [FORGED_SERVICE_REF]: OWNER_USER,
  // Carl's team's endpoint: he may delete it (privatelink.endpoint.delete on its own entity).
  [`resource:default/${EP_AVAILABLE}`]: CONSUMER_USER,
};
const OWNER_PERMISSION_NAMES = new Set(privatelinkOwnerPermissions.map(p => p.name));

function decide(req: AuthorizePermissionRequest, credentials: BackstageCredentials): AuthorizeResult.ALLOW | AuthorizeResult.DENY {
  const principal = credentials.principal as { type: string; userEntityRef?: string };
  const user = principal.type === 'user' ? principal.userEntityRef : undefined;
  if (!user || user === BLOCKED_USER) return AuthorizeResult.DENY;
  if (req.permission.name === privatelinkAccessRequestCreatePermission.name) return AuthorizeResult.ALLOW;
  const resourceRef = 'resourceRef' in req ? req.resourceRef : undefined;
  if (OWNER_PERMISSION_NAMES.has(req.permission.name) && resourceRef && OWNERS[resourceRef] === user) {
    return AuthorizeResult.ALLOW;
  }
  return AuthorizeResult.DENY;
}

/** The connections EC2 holds for orders-api, answered with the filters the caller sends. */
const CONNECTIONS: VpcEndpointConnection[] = [
  { ServiceId: SERVICE_ID, VpcEndpointId: EP_AVAILABLE, VpcEndpointOwner: CONSUMER, VpcEndpointState: 'available' as any },
  { ServiceId: SERVICE_ID, VpcEndpointId: EP_PENDING, VpcEndpointOwner: CONSUMER, VpcEndpointState: 'pendingAcceptance' as any },
  { ServiceId: SERVICE_ID, VpcEndpointId: EP_OTHER_PENDING, VpcEndpointOwner: OTHER, VpcEndpointState: 'pendingAcceptance' as any },
  { ServiceId: SERVICE_ID, VpcEndpointId: EP_REJECTED, VpcEndpointOwner: OTHER, VpcEndpointState: 'rejected' as any },
];

function mockEc2Defaults() {
  ec2.reset();
  // Like AWS: what a change allows or removes is what the next read answers.
  let allowed = [...ALLOWED];
  ec2.on(DescribeVpcEndpointServicePermissionsCommand).callsFake(() => ({
    AllowedPrincipals: allowed.map(Principal => ({ Principal, PrincipalType: 'Account' as const })),
  }));
  ec2.on(ModifyVpcEndpointServicePermissionsCommand).callsFake(input => {
    const removed = new Set<string>(input.RemoveAllowedPrincipals ?? []);
    allowed = [...new Set([...allowed.filter(p => !removed.has(p)), ...(input.AddAllowedPrincipals ?? [])])];
    return { ReturnValue: true };
  });
  mockConnections(CONNECTIONS);
  ec2.on(AcceptVpcEndpointConnectionsCommand).resolves({ Unsuccessful: [] });
  ec2.on(RejectVpcEndpointConnectionsCommand).resolves({ Unsuccessful: [] });
}

/** EC2 holds these connections of orders-api, answered with the filters the caller sends. */
function mockConnections(connections: VpcEndpointConnection[]) {
  ec2.on(DescribeVpcEndpointConnectionsCommand).callsFake(input => {
    const filters = new Map<string, string[]>((input.Filters ?? []).map((f: any) => [f.Name, f.Values]));
    const matches = (name: string, value: string | undefined) => !filters.has(name) || filters.get(name)!.includes(value ?? '');
    return {
      VpcEndpointConnections: connections.filter(
        c =>
          matches('service-id', c.ServiceId) &&
          matches('vpc-endpoint-id', c.VpcEndpointId) &&
          matches('vpc-endpoint-owner', c.VpcEndpointOwner) &&
          matches('vpc-endpoint-state', c.VpcEndpointState),
      ),
    };
  });
}

/**
 * orders-api's connections, but none of OTHER's rejected, for the tests that are not about rejections (an owner's
 * rejection before the approval is recorded and does not stop the acceptance; see the test of that case).
 */
const WITHOUT_REJECTED = CONNECTIONS.filter(c => c.VpcEndpointId !== EP_REJECTED);

beforeEach(() => mockEc2Defaults());
afterAll(() => ec2.restore());

interface Api {
  server: Parameters<typeof request>[0];
  /** The actions registry the plugin registered its actions with (ids `test:<name>` in the mock). */
  actions: MockActionsRegistry;
  knex: Knex;
  store: PrivateLinkStore;
  events: ReturnType<typeof mockServices.events.mock>;
  send: jest.Mock;
  auditEvents: Array<{ eventId: string; success: jest.Mock; fail: jest.Mock }>;
}

/** The configured accounts: the provider's, and those of the consumers (payments, analytics). */
const ACCOUNTS = [
  { accountId: PROVIDER, name: 'shared-services' },
  { accountId: CONSUMER, name: 'payments' },
  { accountId: OTHER, name: 'analytics' },
];
/** An account of another organisation: not configured. */
const EXTERNAL = '999988887777';

/** `forged`: the catalog holds the forged copy of orders-api too (it shares orders-api's service id). */
async function startApi(privatelink: Record<string, unknown> = {}, catalog: { forged?: boolean } = {}): Promise<Api> {
  const knex = await databases.init('SQLITE_3');
  const actions = actionsRegistryServiceMock();
  const events = mockServices.events.mock();
  const send = jest.fn(async () => {});
  const auditEvents: Api['auditEvents'] = [];
  const auditor = mockServices.auditor.mock({
    createEvent: async options => {
      const event = { eventId: options.eventId, success: jest.fn(async () => {}), fail: jest.fn(async () => {}) };
      auditEvents.push(event);
      return event;
    },
  });
  const permissions = mockServices.permissions.mock({
    authorize: (async (requests: AuthorizePermissionRequest[], options: { credentials: BackstageCredentials }) =>
      requests.map(r => ({ result: decide(r, options.credentials) })) as AuthorizePermissionResponse[]) as any,
    // The catalog read decision the details cache asks: everybody may read the whole catalog here.
    authorizeConditional: (async (requests: unknown[]) => requests.map(() => ({ result: AuthorizeResult.ALLOW }))) as any,
  });

  const { server } = await startTestBackend({
    features: [
      privatelinkPlugin,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          // Static credentials: no STS call, and every EC2 command ends at the SDK mock.
          aws: {
            accounts: [
              { accountId: PROVIDER, accessKeyId: 'test', secretAccessKey: 'test' },
              { accountId: CONSUMER, accessKeyId: 'test', secretAccessKey: 'test' },
            ],
          },
          privatelink: {
            // A closed loopback port: should anything slip past the SDK mock, it reaches nothing.
            endpoint: 'http://127.0.0.1:9',
            regions: [REGION],
            // The provider's account, and the two accounts consumers request access from.
            accounts: ACCOUNTS,
            sync: { enabled: false },
            ...privatelink,
          },
        },
      }),
      mockServices.database.factory({ knex }),
      // As in production: a request without a token is unauthenticated.
      mockServices.httpAuth.factory({ defaultCredentials: mockCredentials.none() }),
      // The ownership refs of a verified token: the user and the groups they belong to.
      mockServices.userInfo.mock({
        getUserInfo: async credentials => {
          const { userEntityRef } = credentials.principal as BackstageUserPrincipal;
          return { userEntityRef, ownershipEntityRefs: [userEntityRef, ...(USER_GROUPS[userEntityRef] ?? [])] };
        },
      }).factory,
      catalogServiceMock.factory({ entities: [...catalogEntities(), ...(catalog.forged ? [forgedServiceEntity()] : [])] }),
      permissions.factory,
      events.factory,
      auditor.factory,
      createServiceFactory({ service: notificationService, deps: {}, factory: () => ({ send }) }),
      createServiceFactory({ service: actionsRegistryServiceRef, deps: {}, factory: () => actions }),
    ],
  });
  const store = await createPrivateLinkStore({ getClient: async () => knex }, { skipMigrations: true });
  return { server, knex, store, events, send, auditEvents, actions };
}

async function dbState(knex: Knex) {
  return {
    requests: await knex('privatelink_access_requests').orderBy('id'),
    audit: await knex('privatelink_audit').orderBy('id'),
  };
}

/** The one row a refusal in the write path writes. `subject` defaults to orders-api's. */
interface RefusedRow {
  actor: string;
  action: string;
  /** The whole message, the same as the response's. */
  message: string;
  details: Record<string, unknown>;
  subject?: Pick<AuditEntry, 'serviceRef' | 'accountId' | 'region' | 'serviceId'>;
}

const ORDERS_SUBJECT = { serviceRef: SERVICE_REF, ...TARGET };

/**
 * Sends a request that must be refused, and checks that the refusal changed nothing: no AWS mutation, no access
 * request row changed, no event, no notification, and no audit row, or, with `refused`, exactly that one `refused`
 * row (a refusal in the write path). `reads` are the AWS commands, all reads, that the refusal may have needed.
 */
async function expectRefused(
  api: Api,
  send: () => request.Test,
  status: number,
  message?: string | RegExp,
  options: { refused?: RefusedRow; reads?: string[] } = {},
) {
  const before = await dbState(api.knex);
  const calls = ec2.calls().length;
  const published = api.events.publish.mock.calls.length;
  const notified = api.send.mock.calls.length;
  const res = await send();
  expect({ status: res.status, body: res.body }).toMatchObject({ status });
  if (message !== undefined) {
    if (typeof message === 'string') expect(res.body.error.message).toContain(message);
    else expect(res.body.error.message).toMatch(message);
  }
  expect(ec2.calls().slice(calls).map(c => c.args[0].constructor.name)).toEqual(options.reads ?? []);
  const after = await dbState(api.knex);
  expect(after.requests).toEqual(before.requests);
  const { refused } = options;
  if (!refused) {
    expect(after.audit).toEqual(before.audit);
  } else {
    expect(res.body.error.message).toBe(refused.message);
    expect(after.audit.slice(0, before.audit.length)).toEqual(before.audit);
    expect(after.audit).toHaveLength(before.audit.length + 1);
    const id = Number(after.audit[after.audit.length - 1].id);
    expect(await api.store.getAudit(id)).toEqual({
      id,
      actor: refused.actor,
      via: 'api',
      action: refused.action,
      ...(refused.subject ?? ORDERS_SUBJECT),
      details: refused.details,
      result: 'refused',
      message: refused.message,
      createdAt: expect.stringMatching(ISO),
      completedAt: expect.stringMatching(ISO),
    });
  }
  expect(api.events.publish).toHaveBeenCalledTimes(published);
  expect(api.send).toHaveBeenCalledTimes(notified);
  return res;
}

const api = (server: Api['server']) => ({
  get: (path: string, authorization?: string) => {
    const r = request(server).get(`/api/privatelink${path}`);
    return authorization ? r.set('Authorization', authorization) : r;
  },
  post: (path: string, authorization: string | undefined, body?: unknown) => {
    let r = request(server).post(`/api/privatelink${path}`);
    if (authorization) r = r.set('Authorization', authorization);
    return body === undefined ? r : r.send(body as object);
  },
});

const requestBody = (overrides: Record<string, unknown> = {}) => ({
  serviceRef: SERVICE_REF,
  consumerRef: 'component:default/payments-api',
  accountId: OTHER,
  reason: 'payments reads orders',
  ...overrides,
});

async function fileRequest(a: Api, authorization = CARL, overrides: Record<string, unknown> = {}) {
  const res = await api(a.server).post('/v1/access-requests', authorization, requestBody(overrides));
  expect(res.status).toBe(201);
  return res.body as { id: string; requestedAt: string };
}

/**
 * What a request filed through the API carries besides its body: the AWS service it was filed for, whether its
 * account is external, and where the follow-up of an approval stands.
 */
const FILED = { external: false, target: TARGET, followUp: 'active' };

/** A request stored before its service stopped being one the sync wrote (filing one now is refused). */
async function storedRequest(a: Api, serviceRef: string) {
  return a.store.createRequest({ ...requestBody({ serviceRef }), requestedBy: CONSUMER_USER });
}

const commandInputs = (command: any) => ec2.commandCalls(command).map(c => c.args[0].input);

const ORDERS_DETAILS = {
  entityRef: SERVICE_REF,
  title: 'Orders API',
  owner: 'group:default/orders',
  system: 'system:default/commerce',
  serviceId: SERVICE_ID,
  serviceName: SERVICE_NAME,
  accountId: PROVIDER,
  region: REGION,
  state: 'Available',
  acceptanceRequired: true,
  privateDnsName: PRIVATE_DNS,
  privateDnsState: 'verified',
  dnsNames: [SERVICE_DNS],
  loadBalancerArns: [NLB_ARN],
  supportedRegions: [REGION],
  supportedIpAddressTypes: ['ipv4'],
  allowedPrincipals: ['arn:aws:iam::210987654321:root', 'arn:aws:iam::444455556666:role/ingest'],
  consumers: [
    {
      entityRef: `resource:default/${EP_AVAILABLE}`,
      endpointId: EP_AVAILABLE,
      accountId: CONSUMER,
      region: REGION,
      state: 'available',
      owner: 'group:default/payments',
      component: 'component:default/payments-api',
      createdAt: CREATED_AT,
      dnsNames: [`${EP_AVAILABLE}-abc.${SERVICE_DNS}`],
      vpcId: 'vpc-0a1b2c3d4e5f60718',
      privateDnsEnabled: true,
    },
    {
      entityRef: `resource:default/${EP_PENDING}`,
      endpointId: EP_PENDING,
      accountId: CONSUMER,
      region: REGION,
      state: 'pendingAcceptance',
      owner: 'group:default/platform',
      createdAt: CREATED_AT,
      dnsNames: [`${EP_PENDING}-abc.${SERVICE_DNS}`],
    },
    {
      entityRef: `resource:default/${EP_OTHER_PENDING}`,
      endpointId: EP_OTHER_PENDING,
      accountId: OTHER,
      region: REGION,
      state: 'pendingAcceptance',
      owner: 'group:default/platform',
      createdAt: CREATED_AT,
      dnsNames: [`${EP_OTHER_PENDING}-abc.${SERVICE_DNS}`],
    },
    {
      entityRef: `resource:default/${EP_REJECTED}`,
      endpointId: EP_REJECTED,
      accountId: OTHER,
      region: REGION,
      state: 'rejected',
      owner: 'group:default/platform',
      createdAt: CREATED_AT,
      dnsNames: [`${EP_REJECTED}-abc.${SERVICE_DNS}`],
    },
  ],
  counts: { available: 1, pendingAcceptance: 2, rejected: 1 },
};

describe('privatelink API', () => {
  describe('GET /health', () => {
    it('answers without credentials', async () => {
      const a = await startApi();
      await api(a.server).get('/health').expect(200, { status: 'ok' });
      await api(a.server).get('/health', NONE).expect(200, { status: 'ok' });
    });
  });

  describe('GET /v1/settings', () => {
    it('tells users and services what the frontend needs, and nothing secret', async () => {
      const a = await startApi({ allowWildcardPrincipal: true, regions: [REGION, 'eu-west-1'] });
      const expected = {
        regions: [REGION, 'eu-west-1'],
        accounts: ACCOUNTS.map(account => ({ ...account, regions: [REGION, 'eu-west-1'] })),
        allowWildcardPrincipal: true,
        syncEnabled: false,
      };
      await api(a.server).get('/v1/settings', CARL).expect(200, expected);
      await api(a.server).get('/v1/settings', SERVICE).expect(200, expected);
    });

    it('refuses requests without credentials', async () => {
      const a = await startApi();
      await api(a.server).get('/v1/settings').expect(401);
      await api(a.server).get('/v1/settings', NONE).expect(401);
      await api(a.server).get('/v1/settings', mockCredentials.user.invalidHeader()).expect(401);
    });
  });

  describe('GET /v1/consumers', () => {
    const PAYMENTS_API = 'component:default/payments-api';
    const AVAILABLE_ROW = {
      entityRef: `resource:default/${EP_AVAILABLE}`,
      endpointId: EP_AVAILABLE,
      accountId: CONSUMER,
      region: REGION,
      state: 'available',
      vpcId: 'vpc-0a1b2c3d4e5f60718',
      privateDnsEnabled: true,
      createdAt: CREATED_AT,
      // Private DNS is enabled on the endpoint and the service's name is verified: the name to use is the service's.
      dnsNameToUse: PRIVATE_DNS,
      dnsNameSource: 'private-dns',
      otherDnsNames: [`${EP_AVAILABLE}-abc.${SERVICE_DNS}`],
      service: {
        entityRef: SERVICE_REF,
        title: 'Orders API',
        serviceName: SERVICE_NAME,
        privateDnsName: PRIVATE_DNS,
        privateDnsState: 'verified',
        owner: 'group:default/orders',
      },
    };

    it("serves a component's endpoints from the catalog, with the DNS name to use, and its team's open requests", async () => {
      const a = await startApi();
      const filed = await fileRequest(a, DANA, { consumerRef: PAYMENTS_API });
      const res = await api(a.server).get(`/v1/consumers?entityRef=${PAYMENTS_API}`, CARL);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        entityRef: PAYMENTS_API,
        endpoints: [AVAILABLE_ROW],
        // Dana filed it; Carl sees it too, as a member of payments, which owns payments-api.
        requests: [expect.objectContaining({ id: filed.id, status: 'pending', consumerRef: PAYMENTS_API, requestedBy: OTHER_USER })],
      });
      // Someone outside the consumer's team sees its endpoints (the catalog lets them) but not its requests.
      const outsider = await api(a.server).get(`/v1/consumers?entityRef=${PAYMENTS_API}`, OWNER);
      expect(outsider.body).toEqual({ entityRef: PAYMENTS_API, endpoints: [AVAILABLE_ROW], requests: [] });
      expect(ec2.calls()).toHaveLength(0);
    });

    it("serves a group's endpoints: those it owns", async () => {
      const a = await startApi();
      const res = await api(a.server).get(`/v1/consumers?entityRef=${CONSUMER_GROUP}`, CARL);
      expect(res.status).toBe(200);
      expect(res.body.endpoints.map((e: { endpointId: string }) => e.endpointId)).toEqual([EP_AVAILABLE]);
    });

    it.each([
      ['a resource', SERVICE_REF, 400, 'only components and groups consume services'],
      ['a malformed ref', 'not a ref', 400, 'is not an entity ref'],
      ['an entity nobody can see', 'component:default/nowhere', 404, 'No entity component:default/nowhere'],
    ])('answers %s with its status, naming it', async (_what, ref, status, message) => {
      const a = await startApi();
      const res = await api(a.server).get(`/v1/consumers?entityRef=${encodeURIComponent(ref)}`, CARL);
      expect(res.status).toBe(status);
      expect(res.body.error.message).toContain(message);
    });

    it('answers 401 without a user token', async () => {
      const a = await startApi();
      expect((await api(a.server).get(`/v1/consumers?entityRef=${PAYMENTS_API}`)).status).toBe(401);
    });
  });

  describe('the actions registry (privatelink:<name>, served over MCP)', () => {
    const as = (userRef: string) => mockCredentials.user(userRef);
    const invoke = (a: Api, name: string, input: Record<string, unknown>, credentials = as(CONSUMER_USER)) =>
      a.actions.invoke({ id: `test:${name}`, input: input as any, credentials });

    it('registers five actions, three of them read-only and the decision destructive', async () => {
      const a = await startApi();
      const { actions } = await a.actions.list();
      expect(Object.fromEntries(actions.map(x => [x.name, x.attributes]))).toEqual({
        'find-endpoint-services': { readOnly: true, destructive: false, idempotent: true },
        'get-endpoint-service': { readOnly: true, destructive: false, idempotent: true },
        'get-consumer-connections': { readOnly: true, destructive: false, idempotent: true },
        'request-access': { readOnly: false, destructive: false, idempotent: false },
        'review-access-request': { readOnly: false, destructive: true, idempotent: false },
      });
    });

    it('registers only the actions privatelink.actions.enabled names', async () => {
      const a = await startApi({ actions: { enabled: ['find-endpoint-services', 'get-consumer-connections'] } });
      expect((await a.actions.list()).actions.map(x => x.name).sort()).toEqual(['find-endpoint-services', 'get-consumer-connections']);
    });

    it("finds the synced services by text, with where the caller's teams stand, never a forged copy", async () => {
      const a = await startApi({}, { forged: true });
      const { output } = (await invoke(a, 'find-endpoint-services', { text: 'orders' })) as any;
      expect(output.items).toEqual([
        expect.objectContaining({ entityRef: SERVICE_REF, serviceName: SERVICE_NAME, privateDnsName: PRIVATE_DNS, accountId: PROVIDER, access: 'connected' }),
      ]);
      const everything = (await invoke(a, 'find-endpoint-services', { limit: 1 })) as any;
      expect(everything.output.items).toHaveLength(1);
      expect(everything.output.nextCursor).toEqual(expect.any(String));
      const next = (await invoke(a, 'find-endpoint-services', { limit: 1, cursor: everything.output.nextCursor })) as any;
      expect(next.output.items.map((i: { entityRef: string }) => i.entityRef)).not.toEqual(everything.output.items.map((i: { entityRef: string }) => i.entityRef));
      // A service token has no teams: it finds services, but stands nowhere.
      const asService = (await invoke(a, 'find-endpoint-services', { text: 'orders' }, mockCredentials.service() as any)) as any;
      expect(asService.output.items[0].access).toBe('none');
    });

    it('shows the allowed principals of a service to its owners only', async () => {
      const a = await startApi();
      const owner = (await invoke(a, 'get-endpoint-service', { entityRef: SERVICE_REF }, as(OWNER_USER))) as any;
      expect(owner.output.allowedPrincipals).toEqual([...ALLOWED].sort());
      const consumer = (await invoke(a, 'get-endpoint-service', { entityRef: SERVICE_REF })) as any;
      expect(consumer.output).not.toHaveProperty('allowedPrincipals');
      expect(consumer.output).toMatchObject({ serviceName: SERVICE_NAME, privateDnsName: PRIVATE_DNS, acceptanceRequired: true });
    });

    it("gives a component's connections with the DNS name to use", async () => {
      const a = await startApi();
      const { output } = (await invoke(a, 'get-consumer-connections', { entityRef: 'component:default/payments-api' })) as any;
      expect(output.endpoints).toEqual([expect.objectContaining({ endpointId: EP_AVAILABLE, service: SERVICE_REF, dnsNameToUse: PRIVATE_DNS, state: 'available' })]);
    });

    it('files an access request exactly as the API does, and the owners hear of it; a service token is refused', async () => {
      const a = await startApi();
      const input = { serviceRef: SERVICE_REF, consumerRef: 'component:default/payments-api', accountId: OTHER, reason: 'payments reads orders' };
      const { output } = (await invoke(a, 'request-access', input)) as any;
      expect(output.request).toMatchObject({ status: 'pending', requestedBy: CONSUMER_USER, serviceRef: SERVICE_REF });
      expect(await a.store.getRequest(output.request.id)).toMatchObject({ requestedBy: CONSUMER_USER, consumerRef: 'component:default/payments-api' });
      expect(a.send).toHaveBeenCalledWith(expect.objectContaining({ recipients: { type: 'entity', entityRef: 'group:default/orders' } }));
      expect(a.auditEvents.map(e => e.eventId)).toContain('privatelink-access-request-create');

      // The same validation as the route: hidden characters in the reason, a consumer the caller does not own.
      await expect(invoke(a, 'request-access', { ...input, reason: 'ok\u202Egnp.exe' })).rejects.toThrow('must not contain control or bidirectional formatting characters');
      await expect(invoke(a, 'request-access', { ...input, consumerRef: 'component:default/unrelated' })).rejects.toMatchObject({ name: 'NotAllowedError' });
      const before = await dbState(a.knex);
      await expect(invoke(a, 'request-access', input, mockCredentials.service() as any)).rejects.toThrow('for a signed-in user only');
      expect(await dbState(a.knex)).toEqual(before);
    });

    it('lets an owner decide a request and refuses everyone else, writing nothing for them', async () => {
      const a = await startApi();
      const filed = await fileRequest(a);
      const before = await dbState(a.knex);
      await expect(invoke(a, 'review-access-request', { id: filed.id, decision: 'deny', reason: 'not now' }, as(OTHER_USER))).rejects.toThrow(
        'privatelink.accessRequest.review is not allowed',
      );
      expect((await dbState(a.knex)).requests).toEqual(before.requests);
      await expect(invoke(a, 'review-access-request', { id: filed.id, decision: 'deny' }, as(OWNER_USER))).rejects.toThrow('reason');
      const { output } = (await invoke(a, 'review-access-request', { id: filed.id, decision: 'deny', reason: 'not now' }, as(OWNER_USER))) as any;
      expect(output.request).toMatchObject({ id: filed.id, status: 'denied', decisionReason: 'not now' });
    });
  });

  describe('GET /v1/services', () => {
    it('serves the details of a service from the catalog: consumers, counts per state, principals, DNS', async () => {
      const a = await startApi();
      const res = await api(a.server).get(`/v1/services?entityRef=${SERVICE_REF}`, OWNER);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(ORDERS_DETAILS);
      // Anyone who can see the entity sees the same, services included; nothing is read from AWS.
      await api(a.server).get(`/v1/services?entityRef=${SERVICE_REF}`, CARL).expect(200, ORDERS_DETAILS);
      await api(a.server).get(`/v1/services?entityRef=${SERVICE_REF}`, SERVICE).expect(200, ORDERS_DETAILS);
      expect(ec2.calls()).toHaveLength(0);
    });

    it('answers gzip with an ETag, and 304 to a client that holds it', async () => {
      const a = await startApi();
      const first = await api(a.server).get(`/v1/services?entityRef=${SERVICE_REF}`, CARL).set('Accept-Encoding', 'gzip');
      expect(first.status).toBe(200);
      expect(first.headers['content-encoding']).toBe('gzip');
      expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(first.headers['cache-control']).toBe('private, no-cache');
      expect(first.headers.vary).toContain('Accept-Encoding');
      expect(first.body).toEqual(ORDERS_DETAILS);
      const etag = first.headers.etag;
      expect(etag).toMatch(/^"[\w-]{32}"$/);

      const plain = await api(a.server).get(`/v1/services?entityRef=${SERVICE_REF}`, CARL).set('Accept-Encoding', 'identity');
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(JSON.parse(plain.text)).toEqual(ORDERS_DETAILS);
      expect(plain.headers.etag).toBe(etag);

      const again = await api(a.server).get(`/v1/services?entityRef=${SERVICE_REF}`, CARL).set('If-None-Match', etag);
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
      // Another service has another tag: the 304 is not given for any tag.
      await api(a.server).get(`/v1/services?entityRef=${OTHER_SERVICE_REF}`, CARL).set('If-None-Match', etag).expect(200);
    });

    it('resolves a component to the service it is exposed through, by service id or by entity ref', async () => {
      const a = await startApi();
      await api(a.server).get('/v1/services?entityRef=component:default/orders', CARL).expect(200, ORDERS_DETAILS);
      await api(a.server).get('/v1/services?entityRef=component:default/orders-web', CARL).expect(200, ORDERS_DETAILS);
      // The short form of a ref is accepted like the catalog accepts it.
      await api(a.server).get('/v1/services?entityRef=resource:orders-api', CARL).expect(200, ORDERS_DETAILS);
    });

    it('serves a service without consumers with empty lists and counts', async () => {
      const a = await startApi();
      const res = await api(a.server).get(`/v1/services?entityRef=${OTHER_SERVICE_REF}`, CARL);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        entityRef: OTHER_SERVICE_REF,
        title: 'billing-api',
        owner: 'group:default/billing',
        serviceId: OTHER_SERVICE_ID,
        serviceName: `com.amazonaws.vpce.${REGION}.${OTHER_SERVICE_ID}`,
        accountId: PROVIDER,
        region: REGION,
        state: 'Available',
        acceptanceRequired: false,
        dnsNames: [`${OTHER_SERVICE_ID}.${REGION}.vpce.amazonaws.com`],
        loadBalancerArns: [],
        supportedRegions: [],
        supportedIpAddressTypes: ['ipv4'],
        allowedPrincipals: [],
        consumers: [],
        counts: {},
      });
    });

    it('answers 404 for an unknown entity or one not exposed through a service', async () => {
      const a = await startApi();
      const unknown = await api(a.server).get('/v1/services?entityRef=resource:default/nope', CARL);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toMatchObject({ name: 'NotFoundError', message: 'No entity resource:default/nope' });
      const unrelated = await api(a.server).get('/v1/services?entityRef=component:default/unrelated', CARL);
      expect(unrelated.status).toBe(404);
      expect(unrelated.body.error.message).toBe(
        'component:default/unrelated is not exposed through an endpoint service known to the catalog',
      );
      // An endpoint is not a service.
      await api(a.server).get(`/v1/services?entityRef=resource:default/${EP_AVAILABLE}`, CARL).expect(404);
    });

    it.each([
      ['no entityRef', '', 'entityRef'],
      ['an entityRef too short', '?entityRef=ab', 'entityRef'],
      ['an unknown query field', `?entityRef=${SERVICE_REF}&verbose=1`, 'verbose'],
      ['two entityRefs', `?entityRef=${SERVICE_REF}&entityRef=${OTHER_SERVICE_REF}`, 'entityRef'],
      ['a malformed entity ref', '?entityRef=resource:default/', "'resource:default/' is not an entity ref"],
      ['an entity ref without a kind', '?entityRef=orders-api', "'orders-api' is not an entity ref"],
    ])('answers 400 for %s', async (_name, query, field) => {
      const a = await startApi();
      const res = await api(a.server).get(`/v1/services${query}`, CARL);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toContain(field);
    });

    it('answers 401 without credentials', async () => {
      const a = await startApi();
      await api(a.server).get(`/v1/services?entityRef=${SERVICE_REF}`).expect(401);
      await api(a.server).get(`/v1/services?entityRef=${SERVICE_REF}`, NONE).expect(401);
    });
  });

  describe('GET /v1/services/search', () => {
    type Item = { entityRef: string; access: string };
    const search = (a: Api, query: string, authorization = CARL) => api(a.server).get(`/v1/services/search${query}`, authorization);
    const refsOf = (body: { items: Item[] }) => body.items.map(i => i.entityRef);
    const accessOf = (body: { items: Item[] }) => Object.fromEntries(body.items.map(i => [i.entityRef, i.access]));
    /** The analytics account is the orders team's: Olivia's team may connect to orders-api, which allows it. */
    const ORDERS_OWN_ANALYTICS = { accounts: ACCOUNTS.map(a => (a.accountId === OTHER ? { ...a, owner: 'group:default/orders' } : a)) };

    it('serves a page of the synced services with what the list shows, never a hand-written or forged copy', async () => {
      const a = await startApi({}, { forged: true });
      const res = await search(a, '');
      expect(res.status).toBe(200);
      // Ordered by name; legacy-api (no AWS annotations) and orders-api-copy (registered from a file) are left out
      // by the catalog already, so the count matches what can be listed.
      expect(res.body).toEqual({
        items: [
          {
            entityRef: OTHER_SERVICE_REF,
            name: 'billing-api',
            // The sync titles a service without a Name tag by its name.
            title: 'billing-api',
            owner: 'group:default/billing',
            serviceName: `com.amazonaws.vpce.${REGION}.${OTHER_SERVICE_ID}`,
            acceptanceRequired: false,
            accountId: PROVIDER,
            region: REGION,
            consumers: 0,
            access: 'none',
          },
          {
            entityRef: SERVICE_REF,
            name: 'orders-api',
            title: 'Orders API',
            owner: 'group:default/orders',
            system: 'system:default/commerce',
            serviceName: SERVICE_NAME,
            privateDnsName: PRIVATE_DNS,
            privateDnsState: 'verified',
            acceptanceRequired: true,
            accountId: PROVIDER,
            region: REGION,
            consumers: 4,
            // Carl's team, payments, owns the synced endpoint vpce-…0001 to it.
            access: 'connected',
          },
        ],
        totalItems: 2,
      });
      expect(ec2.calls()).toHaveLength(0);
    });

    it("tells each user where their own teams stand: connected, allowed, requested or none", async () => {
      const a = await startApi(ORDERS_OWN_ANALYTICS);
      // Carl (payments): connected to orders-api through his team's endpoint; nothing with billing-api yet.
      expect(accessOf((await search(a, '', CARL)).body)).toEqual({ [SERVICE_REF]: 'connected', [OTHER_SERVICE_REF]: 'none' });
      // Olivia (orders): no endpoint of her team, but the analytics account her team owns is allowed on orders-api.
      expect(accessOf((await search(a, '', OWNER)).body)).toEqual({ [SERVICE_REF]: 'allowed', [OTHER_SERVICE_REF]: 'none' });

      // Carl asks for billing-api: requested, for him; Dana, in his team, did not ask and sees none.
      await fileRequest(a, CARL, { serviceRef: OTHER_SERVICE_REF });
      expect(accessOf((await search(a, '', CARL)).body)).toEqual({ [SERVICE_REF]: 'connected', [OTHER_SERVICE_REF]: 'requested' });
      expect(accessOf((await search(a, '', DANA)).body)).toEqual({ [SERVICE_REF]: 'connected', [OTHER_SERVICE_REF]: 'none' });

      // Being allowed outranks a pending request: Olivia can connect now, and "I can connect" lists it.
      await fileRequest(a, OWNER, { consumerRef: 'component:default/orders-web' });
      expect(accessOf((await search(a, '', OWNER)).body)).toEqual({ [SERVICE_REF]: 'allowed', [OTHER_SERVICE_REF]: 'none' });
    });

    it('keeps to the services the user can connect to with access=connectable, reading on past the others', async () => {
      const a = await startApi(ORDERS_OWN_ANALYTICS);
      await fileRequest(a, CARL, { serviceRef: OTHER_SERVICE_REF });
      // billing-api comes first by name: Carl only requested it, so one page of one reads on to orders-api.
      const carl = await search(a, '?access=connectable&limit=1', CARL);
      expect(carl.body).toEqual({ items: [expect.objectContaining({ entityRef: SERVICE_REF, access: 'connected' })], totalItems: 2, scanned: 2 });
      const olivia = await search(a, '?access=connectable', OWNER);
      expect(olivia.body).toMatchObject({ items: [{ entityRef: SERVICE_REF, access: 'allowed' }], totalItems: 2, scanned: 2 });
      // A user whose teams stand nowhere gets an empty page, and no cursor: there is nothing further.
      const mallory = await search(a, '?access=connectable', MALLORY);
      expect(mallory.body).toEqual({ items: [], totalItems: 2, scanned: 2 });
    });

    it('pages with the cursor, which carries the search', async () => {
      const a = await startApi();
      const first = await search(a, '?limit=1');
      expect(first.body).toMatchObject({ items: [{ entityRef: OTHER_SERVICE_REF }], totalItems: 2, nextCursor: expect.stringMatching(/^[\w-]+$/) });
      const second = await search(a, `?cursor=${first.body.nextCursor}&limit=1`);
      expect(second.status).toBe(200);
      expect(second.body).toEqual({ items: [expect.objectContaining({ entityRef: SERVICE_REF, access: 'connected' })], totalItems: 2 });

      // The cursor of a filtered search keeps its filters: the second page of a search by account is still by account.
      const byAccount = await search(a, `?accountId=${PROVIDER}&limit=1`);
      expect(refsOf(byAccount.body)).toEqual([OTHER_SERVICE_REF]);
      expect(refsOf((await search(a, `?cursor=${byAccount.body.nextCursor}`)).body)).toEqual([SERVICE_REF]);
    });

    it.each([
      ['words of the title', '?q=orders', [SERVICE_REF]],
      ['part of the service name', `?q=${OTHER_SERVICE_ID.slice(-8)}`, [OTHER_SERVICE_REF]],
      ['an owner', '?owner=group:default/billing', [OTHER_SERVICE_REF]],
      ['an owner named without kind and namespace', '?owner=orders', [SERVICE_REF]],
      ['a system', '?system=commerce', [SERVICE_REF]],
      ['the provider account', `?accountId=${PROVIDER}`, [OTHER_SERVICE_REF, SERVICE_REF]],
      ['an account without services', `?accountId=${CONSUMER}`, []],
      ['a region', `?region=${REGION}`, [OTHER_SERVICE_REF, SERVICE_REF]],
      ['another region', '?region=eu-west-1', []],
      ['words and an owner', '?q=api&owner=group:default/orders', [SERVICE_REF]],
    ])('searches by %s', async (_what, query, refs) => {
      const a = await startApi();
      const res = await search(a, query);
      expect(res.status).toBe(200);
      expect(refsOf(res.body)).toEqual(refs);
      expect(res.body.totalItems).toBe(refs.length);
    });

    it.each([
      ['a limit of 0', '?limit=0', 'limit'],
      ['a limit over 100', '?limit=101', 'limit'],
      ['a limit that is no number', '?limit=ten', 'limit'],
      ['a malformed account id', '?accountId=1234', 'accountId'],
      ['an unknown region', '?region=mars-1', 'region'],
      ['an unknown access filter', '?access=all', 'access'],
      ['an unknown field', '?sort=name', 'sort'],
      ['two search texts', '?q=a&q=b', 'q'],
      ['hidden characters in the text', `?q=${encodeURIComponent('orders\u202E')}`, 'control or bidirectional'],
      ['a cursor with search fields', '?cursor=abc&q=orders', 'q: must not be sent with a cursor'],
      ['a cursor that is none of ours', '?cursor=bm90LWEtY3Vyc29y', 'Invalid cursor'],
      ['a cursor with characters no cursor has', '?cursor=a.b', 'cursor'],
    ])('answers 400 for %s', async (_what, query, message) => {
      const a = await startApi();
      const res = await search(a, query);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toContain(message);
    });

    it('answers 400 for a cursor of ours whose catalog cursor was tampered with', async () => {
      const a = await startApi();
      const forged = Buffer.from(JSON.stringify({ c: 'not-a-catalog-cursor' })).toString('base64url');
      const res = await search(a, `?cursor=${forged}`);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ name: 'InputError', message: expect.stringContaining('Invalid cursor') });
    });

    it('is for signed-in users only: a service token is refused, no token is 401', async () => {
      const a = await startApi();
      const asService = await search(a, '', SERVICE);
      expect(asService.status).toBe(403);
      expect(asService.body.error.name).toBe('NotAllowedError');
      await search(a, '?limit=ten', SERVICE).expect(403);
      await api(a.server).get('/v1/services/search').expect(401);
      await api(a.server).get('/v1/services/search', NONE).expect(401);
    });
  });

  describe('POST /v1/access-requests', () => {
    it('files a request: stored, audited, the owners notified, nothing sent to AWS', async () => {
      const a = await startApi();
      const res = await api(a.server).post('/v1/access-requests', CARL, requestBody());
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID),
        serviceRef: SERVICE_REF,
        consumerRef: 'component:default/payments-api',
        accountId: OTHER,
        reason: 'payments reads orders',
        status: 'pending',
        requestedBy: CONSUMER_USER,
        requestedAt: expect.stringMatching(ISO),
        external: false,
        // The service as it is now: a decision acts only while the entity at the ref is still this service.
        target: TARGET,
        followUp: 'active',
      });
      expect(await a.store.getRequest(res.body.id)).toEqual(res.body);
      expect(await a.knex('privatelink_access_requests').where({ id: res.body.id }).first()).toMatchObject({
        service_account_id: PROVIDER,
        service_region: REGION,
        service_id: SERVICE_ID,
        claimed_at: null,
        follow_up: 'active',
      });
      expect(await a.store.listAudit({ serviceRef: SERVICE_REF }, 10)).toEqual([
        {
          id: expect.any(Number),
          actor: CONSUMER_USER,
          via: 'api',
          action: 'accessRequest.create',
          ...ORDERS_SUBJECT,
          details: { requestId: res.body.id, consumerRef: 'component:default/payments-api', accountId: OTHER, external: false },
          result: 'success',
          createdAt: expect.stringMatching(ISO),
          completedAt: expect.stringMatching(ISO),
        },
      ]);
      expect(a.send).toHaveBeenCalledTimes(1);
      expect(a.send).toHaveBeenCalledWith({
        recipients: { type: 'entity', entityRef: 'group:default/orders' },
        payload: {
          title: 'Access request to Orders API',
          description: `${CONSUMER_USER} asks to connect component:default/payments-api from account ${OTHER}: payments reads orders`,
          topic: 'privatelink',
          severity: 'normal',
          link: ENTITY_LINK,
        },
      });
      expect(ec2.calls()).toHaveLength(0);
      // Filing a request changes nothing in AWS: there is nothing for the catalog to re-read.
      expect(a.events.publish).not.toHaveBeenCalled();
      expect(a.auditEvents.map(e => [e.eventId, e.success.mock.calls.length, e.fail.mock.calls.length])).toEqual([
        ['privatelink-access-request-create', 1, 0],
      ]);
    });

    it('files the request on the service a component is exposed through, trimming the reason', async () => {
      const a = await startApi();
      const res = await api(a.server).post(
        '/v1/access-requests',
        CARL,
        requestBody({ serviceRef: 'component:default/orders', reason: '   payments reads orders  ' }),
      );
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ serviceRef: SERVICE_REF, reason: 'payments reads orders' });
    });

    it('answers 409 for a second pending request of the same consumer and account, writing nothing', async () => {
      const a = await startApi();
      await fileRequest(a);
      await expectRefused(
        a,
        () => api(a.server).post('/v1/access-requests', CARL, requestBody()),
        409,
        `There is already a pending request for component:default/payments-api from account ${OTHER}`,
      );
      // Another account, or another consumer, is another request.
      await fileRequest(a, CARL, { accountId: CONSUMER });
      await fileRequest(a, CARL, { consumerRef: 'component:default/payments-worker' });
      // The same consumer in another form is the same request.
      await expectRefused(
        a,
        () => api(a.server).post('/v1/access-requests', CARL, requestBody({ consumerRef: 'payments-api' })),
        409,
        `There is already a pending request for component:default/payments-api from account ${OTHER}`,
      );
      expect(await a.store.listRequests({ serviceRef: SERVICE_REF })).toHaveLength(3);
    });

    it.each([
      ['a bad account id', requestBody({ accountId: '12345' }), 'accountId: must be a 12-digit AWS account id'],
      ['an account id that is a number', requestBody({ accountId: 444455556666 }), 'accountId'],
      ['an unknown body field', { ...requestBody(), principal: 'arn:aws:iam::444455556666:root' }, 'Unrecognized key: "principal"'],
      ['a missing serviceRef', { ...requestBody(), serviceRef: undefined }, 'serviceRef'],
      ['a missing consumerRef', { ...requestBody(), consumerRef: undefined }, 'consumerRef'],
      ['a reason of blanks', requestBody({ reason: '     ' }), 'reason'],
      ['a reason too long', requestBody({ reason: 'x'.repeat(2001) }), 'reason'],
      ['an array body', [requestBody()], 'Invalid request body'],
      ['a malformed entity ref', requestBody({ serviceRef: 'resource:default/' }), "'resource:default/' is not an entity ref"],
    ])('answers 400 for %s, writing nothing', async (_name, body, message) => {
      const a = await startApi();
      const res = await expectRefused(a, () => api(a.server).post('/v1/access-requests', CARL, body), 400, message);
      expect(res.body.error.name).toBe('InputError');
    });

    it('answers 400 for a body that is not JSON, writing nothing', async () => {
      const a = await startApi();
      await expectRefused(
        a,
        () => api(a.server).post('/v1/access-requests', CARL).set('Content-Type', 'application/json').send('{"serviceRef":'),
        400,
      );
    });

    it('answers 404 for an unknown service, writing nothing', async () => {
      const a = await startApi();
      await expectRefused(
        a,
        () => api(a.server).post('/v1/access-requests', CARL, requestBody({ serviceRef: 'resource:default/nope' })),
        404,
        'No entity resource:default/nope',
      );
    });

    it('answers 403 to a user not allowed to file requests, and to services; 401 without credentials', async () => {
      const a = await startApi();
      await expectRefused(
        a,
        () => api(a.server).post('/v1/access-requests', MALLORY, requestBody()),
        403,
        `privatelink.accessRequest.create is not allowed on ${SERVICE_REF}`,
      );
      // The refusal is still an auditor event, recorded as a failure.
      expect(a.auditEvents.map(e => [e.eventId, e.success.mock.calls.length, e.fail.mock.calls.length])).toEqual([
        ['privatelink-access-request-create', 0, 1],
      ]);
      await expectRefused(a, () => api(a.server).post('/v1/access-requests', SERVICE, requestBody()), 403, "does not allow 'service' credentials");
      await expectRefused(a, () => api(a.server).post('/v1/access-requests', NONE, requestBody()), 401);
      await expectRefused(a, () => api(a.server).post('/v1/access-requests', undefined, requestBody()), 401);
    });
    it.each([
      ['a component of a group the requester belongs to, in short form', 'payments-worker', 'component:default/payments-worker'],
      ['a component the requester owns himself', 'component:default/carl-sandbox', 'component:default/carl-sandbox'],
      ['a resource of a group the requester belongs to', `resource:default/${EP_AVAILABLE}`, `resource:default/${EP_AVAILABLE}`],
      ['a group the requester belongs to', 'group:payments', CONSUMER_GROUP],
    ])('files a request for %s, under its full ref', async (_name, consumerRef, stored) => {
      const a = await startApi();
      const res = await api(a.server).post('/v1/access-requests', CARL, requestBody({ consumerRef }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ consumerRef: stored, ...FILED });
      expect(await a.store.getRequest(res.body.id)).toEqual(res.body);
      const [row] = await a.store.listAudit({ serviceRef: SERVICE_REF }, 1);
      expect(row).toMatchObject({ action: 'accessRequest.create', details: { requestId: res.body.id, consumerRef: stored } });
      expect(a.send.mock.calls[0][0].payload.description).toBe(`${CONSUMER_USER} asks to connect ${stored} from account ${OTHER}: payments reads orders`);
    });

    it.each([
      ['an unknown consumer', 'component:default/nope', 'consumerRef: there is no entity component:default/nope in the catalog'],
      ['an unknown consumer in short form', 'nope', 'consumerRef: there is no entity component:default/nope in the catalog'],
      ['a consumer of a kind that does not consume', 'user:default/carl', 'consumerRef: user:default/carl is a User; a consumer is a Component, Resource or Group'],
      ['a malformed consumer ref', 'component:default/', "consumerRef: 'component:default/' is not an entity ref"],
    ])('answers 400 for %s, writing nothing', async (_name, consumerRef, message) => {
      const a = await startApi();
      const res = await expectRefused(a, () => api(a.server).post('/v1/access-requests', CARL, requestBody({ consumerRef })), 400, message);
      expect(res.body.error).toMatchObject({ name: 'InputError', message });
      expect(a.auditEvents.map(e => [e.eventId, e.success.mock.calls.length, e.fail.mock.calls.length])).toEqual([
        ['privatelink-access-request-create', 0, 1],
      ]);
    });

    it.each([
      ["a component of a group the requester is not in", CARL, 'component:default/orders', 'group:default/orders'],
      ['a group the requester is not in', CARL, 'group:default/orders', 'group:default/orders'],
      ["a resource of another team", CARL, `resource:default/${EP_PENDING}`, 'group:default/platform'],
      ["another user's component", DANA, 'component:default/carl-sandbox', CONSUMER_USER],
      ["the payments team's component, for an owner of the service who is not in it", OWNER, 'component:default/payments-api', CONSUMER_GROUP],
    ])('answers 403 for %s, writing nothing', async (_name, authorization, consumerRef, owner) => {
      const a = await startApi();
      const message = `You may request access only for what you or a group you belong to owns; ${consumerRef} is owned by ${owner}`;
      const res = await expectRefused(a, () => api(a.server).post('/v1/access-requests', authorization, requestBody({ consumerRef })), 403, message);
      expect(res.body.error).toMatchObject({ name: 'NotAllowedError', message });
    });

    it('answers 400 for an account that is not configured, naming the setting that allows it; writing nothing', async () => {
      const a = await startApi();
      const message = `accountId: ${EXTERNAL} is not one of the configured accounts (accounts of other organisations need privatelink.accessRequests.allowExternalAccounts)`;
      const res = await expectRefused(a, () => api(a.server).post('/v1/access-requests', CARL, requestBody({ accountId: EXTERNAL })), 400, message);
      expect(res.body.error).toMatchObject({ name: 'InputError', message });
    });

    it('files a request from an external account where allowed, flagged external to the owners', async () => {
      const a = await startApi({ accessRequests: { allowExternalAccounts: true } });
      const res = await api(a.server).post('/v1/access-requests', CARL, requestBody({ accountId: EXTERNAL }));
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID),
        ...requestBody({ accountId: EXTERNAL }),
        status: 'pending',
        requestedBy: CONSUMER_USER,
        requestedAt: expect.stringMatching(ISO),
        ...FILED,
        external: true,
      });
      expect(await a.store.getRequest(res.body.id)).toEqual(res.body);
      expect(Boolean((await a.knex('privatelink_access_requests').where({ id: res.body.id }).first()).external)).toBe(true);
      const [row] = await a.store.listAudit({ serviceRef: SERVICE_REF }, 1);
      expect(row).toMatchObject({
        action: 'accessRequest.create',
        result: 'success',
        details: { requestId: res.body.id, consumerRef: 'component:default/payments-api', accountId: EXTERNAL, external: true },
      });
      expect(a.send).toHaveBeenCalledTimes(1);
      expect(a.send.mock.calls[0][0]).toMatchObject({
        recipients: { type: 'entity', entityRef: 'group:default/orders' },
        payload: {
          description: `${CONSUMER_USER} asks to connect component:default/payments-api from the external account ${EXTERNAL}: payments reads orders`,
        },
      });
      // A configured account is not external, whatever the setting.
      const configured = await fileRequest(a, CARL, { accountId: CONSUMER });
      expect(await a.store.getRequest(configured.id)).toMatchObject({ accountId: CONSUMER, external: false });
      expect(a.send.mock.calls[1][0].payload.description).toContain(`from account ${CONSUMER}:`);

      // The owners see which one is external.
      const owners = await api(a.server).get(`/v1/access-requests?serviceRef=${SERVICE_REF}`, OWNER);
      expect(owners.status).toBe(200);
      expect(owners.body.items.map((i: any) => [i.accountId, i.external]).sort()).toEqual([
        [CONSUMER, false],
        [EXTERNAL, true],
      ]);
      expect(owners.body.items.find((i: any) => i.id === res.body.id)).toEqual(res.body);
      expect(ec2.calls()).toHaveLength(0);
    });

    it.each([
      ['a reason with a NUL', requestBody({ reason: 'payments\u0000reads orders' }), 'reason: must not contain control or bidirectional formatting characters'],
      ['a reason with an escape sequence', requestBody({ reason: 'payments \u001b[2Kreads orders' }), 'reason: must not contain control or bidirectional formatting characters'],
      ['a reason with a right-to-left override', requestBody({ reason: 'payments reads \u202esredro' }), 'reason: must not contain control or bidirectional formatting characters'],
      ['a reason with a bidi isolate', requestBody({ reason: 'payments \u2066reads\u2069 orders' }), 'reason: must not contain control or bidirectional formatting characters'],
      ['a reason with a C1 control', requestBody({ reason: 'payments \u0085reads orders' }), 'reason: must not contain control or bidirectional formatting characters'],
      ['a consumerRef with a newline inside', requestBody({ consumerRef: 'component:default/payments-api\ncomponent:default/orders' }), 'consumerRef: must not contain control or bidirectional formatting characters'],
      ['a consumerRef with a right-to-left override', requestBody({ consumerRef: 'component:default/\u202eipa-stnemyap' }), 'consumerRef: must not contain control or bidirectional formatting characters'],
      ['a serviceRef with a NUL', requestBody({ serviceRef: `${SERVICE_REF}\u0000` }), 'serviceRef: must not contain control or bidirectional formatting characters'],
    ])('answers 400 for %s, writing nothing', async (_name, body, message) => {
      const a = await startApi();
      const res = await expectRefused(a, () => api(a.server).post('/v1/access-requests', CARL, body), 400, message);
      expect(res.body.error.name).toBe('InputError');
      // Refused before the service is called: no auditor event either.
      expect(a.auditEvents).toEqual([]);
    });

    it('keeps line breaks and tabs in a reason, as written', async () => {
      const a = await startApi();
      const reason = 'payments reads orders\r\nfor the nightly settlement:\n\t- order totals';
      const res = await api(a.server).post('/v1/access-requests', CARL, requestBody({ reason }));
      expect(res.status).toBe(201);
      expect(res.body.reason).toBe(reason);
      expect((await a.store.getRequest(res.body.id))!.reason).toBe(reason);
      expect(a.send.mock.calls[0][0].payload.description).toBe(
        `${CONSUMER_USER} asks to connect component:default/payments-api from account ${OTHER}: ${reason}`,
      );
    });

    it('answers 429 past privatelink.accessRequests.maxOpenPerUser open requests per user and service, writing nothing, notifying nobody', async () => {
      const a = await startApi({ accessRequests: { maxOpenPerUser: 2 } });
      const first = await fileRequest(a, CARL);
      await fileRequest(a, CARL, { accountId: CONSUMER });
      const message = `You have 2 open requests on ${SERVICE_REF}, the most allowed (privatelink.accessRequests.maxOpenPerUser); wait for the owners to decide`;
      const res = await expectRefused(
        a,
        () => api(a.server).post('/v1/access-requests', CARL, requestBody({ consumerRef: 'component:default/payments-worker' })),
        429,
        message,
      );
      expect(res.body.error).toMatchObject({ name: 'TooManyRequestsError', message });
      // A component ref of the same service counts on the same service.
      await expectRefused(
        a,
        () => api(a.server).post('/v1/access-requests', CARL, requestBody({ serviceRef: 'component:default/orders', consumerRef: 'component:default/payments-worker' })),
        429,
        message,
      );
      // Per user and per service: Dana may still file on orders-api, Carl on billing-api.
      await fileRequest(a, DANA, { consumerRef: 'component:default/payments-worker' });
      await fileRequest(a, CARL, { serviceRef: OTHER_SERVICE_REF });
      // A decided request is not open: once the owners decide one, Carl may file another.
      await api(a.server).post(`/v1/access-requests/${first.id}/deny`, OWNER, { reason: 'not from analytics' }).expect(200);
      await fileRequest(a, CARL, { consumerRef: 'component:default/payments-worker' });
      expect(await a.store.countOpen({ serviceRef: SERVICE_REF, requestedBy: CONSUMER_USER })).toBe(2);
    });

    it('allows 5 open requests per user and service by default', async () => {
      const a = await startApi();
      const consumers = ['component:default/payments-api', 'component:default/payments-worker', 'component:default/carl-sandbox', CONSUMER_GROUP];
      for (const consumerRef of consumers) await fileRequest(a, CARL, { consumerRef });
      await fileRequest(a, CARL, { consumerRef: consumers[0], accountId: CONSUMER });
      await expectRefused(
        a,
        () => api(a.server).post('/v1/access-requests', CARL, requestBody({ consumerRef: consumers[1], accountId: CONSUMER })),
        429,
        `You have 5 open requests on ${SERVICE_REF}, the most allowed (privatelink.accessRequests.maxOpenPerUser)`,
      );
    });
  });

  describe('GET /v1/access-requests', () => {
    it('shows owners every request of their service, and anyone else their own', async () => {
      const a = await startApi();
      const carlOrders = await fileRequest(a, CARL);
      const danaOrders = await fileRequest(a, DANA, { accountId: CONSUMER });
      const carlBilling = await fileRequest(a, CARL, { serviceRef: OTHER_SERVICE_REF });
      const ids = (res: request.Response) => (res.body.items as Array<{ id: string }>).map(i => i.id).sort();

      const owner = await api(a.server).get(`/v1/access-requests?serviceRef=${SERVICE_REF}`, OWNER);
      expect(owner.status).toBe(200);
      expect(ids(owner)).toEqual([carlOrders.id, danaOrders.id].sort());
      expect(owner.body.items.find((i: any) => i.id === carlOrders.id)).toEqual(await a.store.getRequest(carlOrders.id));

      expect(ids(await api(a.server).get(`/v1/access-requests?serviceRef=${SERVICE_REF}`, CARL))).toEqual([carlOrders.id]);
      expect(ids(await api(a.server).get(`/v1/access-requests?serviceRef=${SERVICE_REF}`, DANA))).toEqual([danaOrders.id]);
      // Olivia owns orders-api only: on billing-api she is a consumer like any other.
      expect(ids(await api(a.server).get(`/v1/access-requests?serviceRef=${OTHER_SERVICE_REF}`, OWNER))).toEqual([]);
      // A component ref lists the requests of its service.
      expect(ids(await api(a.server).get('/v1/access-requests?serviceRef=component:default/orders', OWNER))).toEqual(
        [carlOrders.id, danaOrders.id].sort(),
      );
      // Without a service: the caller's own requests, everywhere.
      expect(ids(await api(a.server).get('/v1/access-requests', CARL))).toEqual([carlOrders.id, carlBilling.id].sort());
      await api(a.server).get('/v1/access-requests', OWNER).expect(200, { items: [] });
      expect(ec2.calls()).toHaveLength(0);
    });

    it('answers 400 for an unknown query field, 404 for an unknown service, 403 to services, 401 without credentials', async () => {
      const a = await startApi();
      const bad = await api(a.server).get(`/v1/access-requests?serviceRef=${SERVICE_REF}&status=pending`, OWNER);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('status');
      await api(a.server).get('/v1/access-requests?serviceRef=resource:default/nope', OWNER).expect(404);
      await api(a.server).get(`/v1/access-requests?serviceRef=${SERVICE_REF}`, SERVICE).expect(403);
      await api(a.server).get(`/v1/access-requests?serviceRef=${SERVICE_REF}`).expect(401);
      await api(a.server).get(`/v1/access-requests?serviceRef=${SERVICE_REF}`, NONE).expect(401);
    });
  });

  describe('POST /v1/access-requests/:id/approve', () => {
    const approve = (a: Api, id: string, authorization: string | undefined, body?: unknown) =>
      api(a.server).post(`/v1/access-requests/${id}/approve`, authorization, body);
    const ROOT = `arn:aws:iam::${OTHER}:root`;
    /** A finished row of Olivia's on orders-api. */
    const row = (action: string, details: Record<string, unknown>, extra: Partial<AuditEntry> = {}) => ({
      id: expect.any(Number),
      actor: OWNER_USER,
      via: 'api',
      action,
      ...ORDERS_SUBJECT,
      details,
      result: 'success',
      createdAt: expect.stringMatching(ISO),
      completedAt: expect.stringMatching(ISO),
      ...extra,
    });
    const createdRow = (id: string, overrides: Record<string, unknown> = {}) =>
      row('accessRequest.create', { requestId: id, consumerRef: 'component:default/payments-api', accountId: OTHER, external: false, ...overrides }, { actor: CONSUMER_USER });
    /** The service's rows, oldest first. */
    const rowsInOrder = async (a: Api) => (await a.store.listAudit({ serviceRef: SERVICE_REF }, 20)).reverse();

    it('allows the account root, accepts its pending connections, records, audits, announces and notifies', async () => {
      const a = await startApi();
      mockConnections(WITHOUT_REJECTED);
      const filed = await fileRequest(a);
      a.send.mockClear();

      const res = await approve(a, filed.id, OWNER, { reason: ' welcome ' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        ...requestBody(),
        id: filed.id,
        status: 'approved',
        requestedBy: CONSUMER_USER,
        requestedAt: filed.requestedAt,
        decidedBy: OWNER_USER,
        decidedAt: expect.stringMatching(ISO),
        decisionReason: 'welcome',
        acceptedEndpointIds: [EP_OTHER_PENDING],
        ...FILED,
        // Its connection is accepted: the follow-up has nothing more to do.
        followUp: 'accepted',
      });
      expect(await a.store.getRequest(filed.id)).toEqual(res.body);
      // The claim is given up with the decision.
      expect(await a.knex('privatelink_access_requests').where({ id: filed.id }).first()).toMatchObject({ status: 'approved', claimed_at: null });

      // Allowed principals are read before the change, and again before accepting: the owners may have revoked since.
      expect(ec2.calls().map(c => c.args[0].constructor.name)).toEqual([
        'DescribeVpcEndpointServicePermissionsCommand',
        'ModifyVpcEndpointServicePermissionsCommand',
        'DescribeVpcEndpointServicePermissionsCommand',
        'DescribeVpcEndpointConnectionsCommand',
        'AcceptVpcEndpointConnectionsCommand',
      ]);
      expect(commandInputs(DescribeVpcEndpointServicePermissionsCommand)).toEqual([
        { ServiceId: SERVICE_ID, MaxResults: 1000 },
        { ServiceId: SERVICE_ID, MaxResults: 1000 },
      ]);
      expect(commandInputs(ModifyVpcEndpointServicePermissionsCommand)).toEqual([{ ServiceId: SERVICE_ID, AddAllowedPrincipals: [ROOT] }]);
      // Every connection of the account is read (a rejected one stops the acceptance), the pending ones accepted.
      expect(commandInputs(DescribeVpcEndpointConnectionsCommand)).toEqual([
        {
          MaxResults: 1000,
          Filters: [
            { Name: 'service-id', Values: [SERVICE_ID] },
            { Name: 'vpc-endpoint-owner', Values: [OTHER] },
          ],
        },
      ]);
      expect(commandInputs(AcceptVpcEndpointConnectionsCommand)).toEqual([{ ServiceId: SERVICE_ID, VpcEndpointIds: [EP_OTHER_PENDING] }]);

      // Two changes, each announced: the principal, then the connection.
      expect(a.events.publish.mock.calls).toEqual([[CHANGED_EVENT], [CHANGED_EVENT]]);
      expect(a.send).toHaveBeenCalledTimes(1);
      expect(a.send).toHaveBeenCalledWith({
        recipients: { type: 'entity', entityRef: CONSUMER_USER },
        payload: {
          title: 'Access to Orders API approved',
          description: `Account ${OTHER} may now connect. welcome`,
          topic: 'privatelink',
          severity: 'normal',
          link: ENTITY_LINK,
        },
      });

      // The decision's row is started first, with the claim; each AWS change goes through the write path; the
      // decision's row is completed last, once the request is decided.
      const rows = await rowsInOrder(a);
      expect(rows).toEqual([
        createdRow(filed.id),
        row('accessRequest.approve', { requestId: filed.id, principal: ROOT, acceptedEndpointIds: [EP_OTHER_PENDING] }),
        row('principals.allow', { principals: [ROOT], requestId: filed.id, changed: [ROOT] }),
        row('connections.accept', { accountId: OTHER, requestId: filed.id, changed: [EP_OTHER_PENDING], failed: [] }),
      ]);
      const [, decision, allow, accept] = rows;
      expect(decision.createdAt <= allow.createdAt).toBe(true);
      expect(decision.completedAt! >= accept.completedAt!).toBe(true);
      // The owner reads the same, newest first.
      const audit = await api(a.server).get(`/v1/audit?serviceRef=${SERVICE_REF}`, OWNER);
      expect(audit.status).toBe(200);
      expect(audit.body).toEqual({ items: [...rows].reverse() });
    });

    it("writes the decision's started row with the claim, before anything is sent to AWS; meanwhile the request is taken", async () => {
      const a = await startApi();
      mockConnections(WITHOUT_REJECTED);
      const filed = await fileRequest(a);
      let arrived!: () => void;
      const atAws = new Promise<void>(resolve => {
        arrived = resolve;
      });
      let release!: () => void;
      const released = new Promise<void>(resolve => {
        release = resolve;
      });
      let reads = 0;
      ec2.on(DescribeVpcEndpointServicePermissionsCommand).callsFake(async () => {
        if (++reads === 1) {
          arrived();
          await released;
        }
        return { AllowedPrincipals: [...ALLOWED, ...(reads > 1 ? [ROOT] : [])].map(Principal => ({ Principal })) };
      });

      const approval = approve(a, filed.id, OWNER, { reason: 'ok' }).then(res => res);
      await atAws;
      // Claimed, and the decision's row started: the first read of AWS is under way, nothing has changed yet.
      expect(ec2.calls().map(c => c.args[0].constructor.name)).toEqual(['DescribeVpcEndpointServicePermissionsCommand']);
      const claimed = await a.knex('privatelink_access_requests').where({ id: filed.id }).first();
      expect(claimed.status).toBe('approving');
      expect(claimed.claimed_at).not.toBeNull();
      expect(await rowsInOrder(a)).toEqual([
        createdRow(filed.id),
        {
          id: expect.any(Number),
          actor: OWNER_USER,
          via: 'api',
          action: 'accessRequest.approve',
          ...ORDERS_SUBJECT,
          details: { requestId: filed.id, principal: ROOT },
          result: 'started',
          createdAt: expect.stringMatching(ISO),
        },
      ]);
      // To readers it is still pending; to another decision it is taken.
      expect((await a.store.getRequest(filed.id))!.status).toBe('pending');
      await expectRefused(
        a,
        () => api(a.server).post(`/v1/access-requests/${filed.id}/deny`, OWNER, { reason: 'changed my mind' }),
        409,
        `Access request ${filed.id} is being decided by someone else`,
      );

      release();
      const res = await approval;
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'approved', acceptedEndpointIds: [EP_OTHER_PENDING], followUp: 'accepted' });
      const rows = await rowsInOrder(a);
      expect(rows.map(r => [r.action, r.result])).toEqual([
        ['accessRequest.create', 'success'],
        ['accessRequest.approve', 'success'],
        ['principals.allow', 'success'],
        ['connections.accept', 'success'],
      ]);
    });

    it('approves without a body; an account already allowed and without pending endpoints changes nothing in AWS', async () => {
      const a = await startApi();
      ec2.on(DescribeVpcEndpointServicePermissionsCommand).resolves({
        AllowedPrincipals: [{ Principal: ROOT }],
      });
      ec2.on(DescribeVpcEndpointConnectionsCommand).resolves({ VpcEndpointConnections: [] });
      const filed = await fileRequest(a);
      const res = await approve(a, filed.id, OWNER);
      expect(res.status).toBe(200);
      // No endpoint yet: the follow-up accepts it when it appears.
      expect(res.body).toMatchObject({ status: 'approved', decidedBy: OWNER_USER, acceptedEndpointIds: [], ...FILED, followUp: 'active' });
      expect(res.body).not.toHaveProperty('decisionReason');
      expect(res.body).not.toHaveProperty('error');
      expect(ec2.commandCalls(ModifyVpcEndpointServicePermissionsCommand)).toHaveLength(0);
      expect(ec2.commandCalls(AcceptVpcEndpointConnectionsCommand)).toHaveLength(0);
      // Nothing changed in AWS: nothing to announce; the attempts are recorded all the same.
      expect(a.events.publish).not.toHaveBeenCalled();
      expect(await rowsInOrder(a)).toEqual([
        createdRow(filed.id),
        row('accessRequest.approve', { requestId: filed.id, principal: ROOT, acceptedEndpointIds: [] }),
        row('principals.allow', { principals: [ROOT], requestId: filed.id, changed: [] }),
        row('connections.accept', { accountId: OTHER, requestId: filed.id }),
      ]);
      expect(a.send).toHaveBeenLastCalledWith(
        expect.objectContaining({ payload: expect.objectContaining({ description: `Account ${OTHER} may now connect.` }) }),
      );
    });

    it('records connections EC2 would not accept on the approved request', async () => {
      const a = await startApi();
      mockConnections(WITHOUT_REJECTED);
      ec2.on(AcceptVpcEndpointConnectionsCommand).resolves({
        Unsuccessful: [
          { ResourceId: EP_OTHER_PENDING, Error: { Code: 'InvalidVpcEndpoint.NotFound', Message: 'The endpoint does not exist' } },
        ],
      });
      const filed = await fileRequest(a);
      const res = await approve(a, filed.id, OWNER, {});
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'approved',
        acceptedEndpointIds: [],
        error: `${EP_OTHER_PENDING}: InvalidVpcEndpoint.NotFound: The endpoint does not exist`,
        followUp: 'active',
      });
      // The principal changed, the connection did not: one announcement.
      expect(a.events.publish.mock.calls).toEqual([[CHANGED_EVENT]]);
      const failed = [{ endpointId: EP_OTHER_PENDING, reason: 'InvalidVpcEndpoint.NotFound: The endpoint does not exist' }];
      expect(await rowsInOrder(a)).toEqual([
        createdRow(filed.id),
        // The decision stands: the approval is a success, the acceptance an error.
        row('accessRequest.approve', { requestId: filed.id, principal: ROOT, acceptedEndpointIds: [] }),
        row('principals.allow', { principals: [ROOT], requestId: filed.id, changed: [ROOT] }),
        row(
          'connections.accept',
          { accountId: OTHER, requestId: filed.id, changed: [], failed },
          { result: 'error', message: `Could not accept ${EP_OTHER_PENDING} (InvalidVpcEndpoint.NotFound: The endpoint does not exist)` },
        ),
      ]);
    });

    it('approves an account one of whose connections an owner rejected before: its pending one is accepted, the rejected one left alone and recorded', async () => {
      // The rejection predates the approval, so it does not stop the acceptance; a later one would (the job's test).
      const a = await startApi();
      const filed = await fileRequest(a);
      const res = await approve(a, filed.id, OWNER, {});
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'approved',
        decidedBy: OWNER_USER,
        ...FILED,
        followUp: 'accepted',
        acceptedEndpointIds: [EP_OTHER_PENDING],
        rejectedAtApproval: [EP_REJECTED],
      });
      expect(commandInputs(ModifyVpcEndpointServicePermissionsCommand)).toEqual([{ ServiceId: SERVICE_ID, AddAllowedPrincipals: [ROOT] }]);
      expect(commandInputs(AcceptVpcEndpointConnectionsCommand)).toEqual([{ ServiceId: SERVICE_ID, VpcEndpointIds: [EP_OTHER_PENDING] }]);
      expect(ec2.commandCalls(RejectVpcEndpointConnectionsCommand)).toHaveLength(0);
      expect((await rowsInOrder(a)).map(r => [r.action, r.result])).toEqual([
        ['accessRequest.create', 'success'],
        ['accessRequest.approve', 'success'],
        ['principals.allow', 'success'],
        ['connections.accept', 'success'],
      ]);
    });

    it('answers 503 when AWS refuses: the request is pending again, the decision and the failure audited as errors, announced', async () => {
      const a = await startApi();
      mockConnections(WITHOUT_REJECTED);
      ec2.on(ModifyVpcEndpointServicePermissionsCommand).rejects(
        Object.assign(new Error('User is not authorized to perform ec2:ModifyVpcEndpointServicePermissions'), { name: 'UnauthorizedOperation' }),
      );
      const filed = await fileRequest(a);
      a.send.mockClear();

      const failure = `Could not allow principals on ${SERVICE_ID}: User is not authorized to perform ec2:ModifyVpcEndpointServicePermissions`;
      const res = await approve(a, filed.id, OWNER, { reason: 'ok' });
      expect(res.status).toBe(503);
      expect(res.body.error).toMatchObject({ name: 'ServiceUnavailableError', message: failure });
      expect(await a.store.getRequest(filed.id)).toEqual({
        ...requestBody(),
        id: filed.id,
        status: 'pending',
        requestedBy: CONSUMER_USER,
        requestedAt: filed.requestedAt,
        error: failure,
        ...FILED,
      });
      // Given back: decidable again.
      expect(await a.knex('privatelink_access_requests').where({ id: filed.id }).first()).toMatchObject({ status: 'pending', claimed_at: null });
      // The decision was started and ended in the error of the change that failed.
      expect(await rowsInOrder(a)).toEqual([
        createdRow(filed.id),
        row('accessRequest.approve', { requestId: filed.id, principal: ROOT }, { result: 'error', message: failure }),
        row('principals.allow', { principals: [ROOT], requestId: filed.id }, { result: 'error', message: failure }),
      ]);
      expect(ec2.commandCalls(DescribeVpcEndpointConnectionsCommand)).toHaveLength(0);
      expect(ec2.commandCalls(AcceptVpcEndpointConnectionsCommand)).toHaveLength(0);
      // A failed change may have been made in part: the catalog is told to re-read the service.
      expect(a.events.publish.mock.calls).toEqual([[CHANGED_EVENT]]);
      expect(a.send).not.toHaveBeenCalled();

      // Pending again: once AWS allows it, the approval goes through.
      ec2.on(ModifyVpcEndpointServicePermissionsCommand).resolves({ ReturnValue: true });
      const retry = await approve(a, filed.id, OWNER, { reason: 'ok' });
      expect(retry.status).toBe(200);
      expect(retry.body).toMatchObject({ status: 'approved', acceptedEndpointIds: [EP_OTHER_PENDING], followUp: 'accepted' });
      expect(retry.body).not.toHaveProperty('error');
      expect((await rowsInOrder(a)).slice(3).map(r => [r.action, r.result])).toEqual([
        ['accessRequest.approve', 'success'],
        ['principals.allow', 'success'],
        ['connections.accept', 'success'],
      ]);
    });

    it('answers 403 to a consumer, and to the owner of another service: one refused row each, nothing changes', async () => {
      const a = await startApi();
      const filed = await fileRequest(a);
      const billing = await fileRequest(a, DANA, { serviceRef: OTHER_SERVICE_REF });
      const orders = `privatelink.accessRequest.review is not allowed on ${SERVICE_REF}`;
      // Carl filed it; he is refused as one who may not review, before it matters who filed it.
      await expectRefused(a, () => approve(a, filed.id, CARL, {}), 403, orders, {
        refused: { actor: CONSUMER_USER, action: 'accessRequest.approve', message: orders, details: { requestId: filed.id } },
      });
      await expectRefused(a, () => approve(a, filed.id, DANA, {}), 403, orders, {
        refused: { actor: OTHER_USER, action: 'accessRequest.approve', message: orders, details: { requestId: filed.id } },
      });
      const other = `privatelink.accessRequest.review is not allowed on ${OTHER_SERVICE_REF}`;
      await expectRefused(a, () => approve(a, billing.id, OWNER, {}), 403, other, {
        refused: {
          actor: OWNER_USER,
          action: 'accessRequest.approve',
          message: other,
          details: { requestId: billing.id },
          subject: { serviceRef: OTHER_SERVICE_REF, accountId: PROVIDER, region: REGION, serviceId: OTHER_SERVICE_ID },
        },
      });
      // Refused before the service is called: no row.
      await expectRefused(a, () => approve(a, filed.id, SERVICE, {}), 403, "does not allow 'service' credentials");
      await expectRefused(a, () => approve(a, filed.id, MALLORY, {}), 403, orders, {
        refused: { actor: BLOCKED_USER, action: 'accessRequest.approve', message: orders, details: { requestId: filed.id } },
      });
      expect((await a.store.getRequest(filed.id))!.status).toBe('pending');
      expect((await a.store.getRequest(billing.id))!.status).toBe('pending');
    });

    it('refuses the owner who filed a request approving or denying it: 403, one refused row each, the request unchanged', async () => {
      const a = await startApi();
      const own = await fileRequest(a, OWNER, { consumerRef: 'component:default/orders' });
      const message = `You filed access request ${own.id}; another owner of ${SERVICE_REF} decides it (privatelink.accessRequests.allowSelfApproval)`;
      const approval = await expectRefused(a, () => approve(a, own.id, OWNER, { reason: 'mine' }), 403, message, {
        refused: { actor: OWNER_USER, action: 'accessRequest.approve', message, details: { requestId: own.id } },
      });
      expect(approval.body.error.name).toBe('NotAllowedError');
      await expectRefused(a, () => api(a.server).post(`/v1/access-requests/${own.id}/deny`, OWNER, { reason: 'mine, withdrawn' }), 403, message, {
        refused: { actor: OWNER_USER, action: 'accessRequest.deny', message, details: { requestId: own.id } },
      });
      expect(await a.store.getRequest(own.id)).toEqual({
        ...requestBody({ consumerRef: 'component:default/orders' }),
        id: own.id,
        status: 'pending',
        requestedBy: OWNER_USER,
        requestedAt: own.requestedAt,
        ...FILED,
      });
      // She decides the requests of others all the same.
      const carls = await fileRequest(a, CARL, { accountId: CONSUMER });
      await api(a.server).post(`/v1/access-requests/${carls.id}/deny`, OWNER, { reason: 'not now' }).expect(200);
    });

    it('lets an owner decide their own request where privatelink.accessRequests.allowSelfApproval is set', async () => {
      const a = await startApi({ accessRequests: { allowSelfApproval: true } });
      mockConnections(WITHOUT_REJECTED);
      const own = await fileRequest(a, OWNER, { consumerRef: 'component:default/orders' });
      const res = await approve(a, own.id, OWNER, {});
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'approved', requestedBy: OWNER_USER, decidedBy: OWNER_USER, acceptedEndpointIds: [EP_OTHER_PENDING] });
      const denied = await fileRequest(a, OWNER, { consumerRef: 'component:default/orders', accountId: CONSUMER });
      const deny = await api(a.server).post(`/v1/access-requests/${denied.id}/deny`, OWNER, { reason: 'not needed after all' });
      expect(deny.status).toBe(200);
      expect(deny.body).toMatchObject({ status: 'denied', requestedBy: OWNER_USER, decidedBy: OWNER_USER });
      // The setting does not let anyone else decide.
      const carls = await fileRequest(a, CARL, { accountId: CONSUMER });
      await expectRefused(a, () => approve(a, carls.id, CARL, {}), 403, `privatelink.accessRequest.review is not allowed on ${SERVICE_REF}`, {
        refused: {
          actor: CONSUMER_USER,
          action: 'accessRequest.approve',
          message: `privatelink.accessRequest.review is not allowed on ${SERVICE_REF}`,
          details: { requestId: carls.id },
        },
      });
    });

    it.each([
      ['another endpoint service', { serviceId: 'vpce-svc-0aaaaaaaaaaaaaaaa' }],
      ['the service in another region', { region: 'eu-west-1' }],
      ['the service in another account', { accountId: CONSUMER }],
    ])('answers 409 to deciding a request filed for %s than the entity stands for now: one refused row each, nothing sent to AWS', async (_name, moved) => {
      const a = await startApi();
      const target = { ...TARGET, ...moved };
      // Filed while the ref stood for that service; the entity at the ref has changed since.
      const filed = await a.store.createRequest({ ...requestBody(), requestedBy: CONSUMER_USER, target });
      const message = `${SERVICE_REF} is no longer the endpoint service ${target.serviceId} this request was filed for; it cannot be decided`;
      const approval = await expectRefused(a, () => approve(a, filed.id, OWNER, {}), 409, message, {
        refused: { actor: OWNER_USER, action: 'accessRequest.approve', message, details: { requestId: filed.id } },
      });
      expect(approval.body.error.name).toBe('ConflictError');
      await expectRefused(a, () => api(a.server).post(`/v1/access-requests/${filed.id}/deny`, OWNER, { reason: 'not this one' }), 409, message, {
        refused: { actor: OWNER_USER, action: 'accessRequest.deny', message, details: { requestId: filed.id } },
      });
      expect(await a.knex('privatelink_access_requests').where({ id: filed.id }).first()).toMatchObject({ status: 'pending', claimed_at: null });
    });

    it('answers 401 without credentials, 404 for an unknown request, 400 for a malformed id or body', async () => {
      const a = await startApi();
      const filed = await fileRequest(a);
      await expectRefused(a, () => approve(a, filed.id, NONE, {}), 401);
      await expectRefused(a, () => approve(a, filed.id, undefined, {}), 401);
      await expectRefused(a, () => approve(a, UNKNOWN_ID, OWNER, {}), 404, `No access request ${UNKNOWN_ID}`);
      await expectRefused(a, () => api(a.server).post('/v1/access-requests/42/approve', OWNER, {}), 400, 'Invalid path: id: must be an access request id');
      await expectRefused(a, () => approve(a, filed.id, OWNER, { reason: 'ok', principal: '*' }), 400, 'Unrecognized key: "principal"');
      await expectRefused(a, () => approve(a, filed.id, OWNER, { reason: 'x'.repeat(2001) }), 400, 'reason');
      await expectRefused(
        a,
        () => approve(a, filed.id, OWNER, { reason: 'ok\u0000' }),
        400,
        'reason: must not contain control or bidirectional formatting characters',
      );
      await expectRefused(
        a,
        () => approve(a, filed.id, OWNER, { reason: 'ok \u202edevorppa' }),
        400,
        'reason: must not contain control or bidirectional formatting characters',
      );
    });

    it('answers 409 to a second approval, and to approving a denied request, sending nothing to AWS', async () => {
      const a = await startApi();
      const filed = await fileRequest(a);
      await approve(a, filed.id, OWNER, {}).expect(200);
      await expectRefused(a, () => approve(a, filed.id, OWNER, {}), 409, `Access request ${filed.id} is already approved`);
      const denied = await fileRequest(a, CARL, { accountId: CONSUMER });
      await api(a.server).post(`/v1/access-requests/${denied.id}/deny`, OWNER, { reason: 'not now' }).expect(200);
      await expectRefused(a, () => approve(a, denied.id, OWNER, {}), 409, 'is already denied');
    });

    // Regression: a request must never stay claimed when the approval is refused after it was read.
    it('refuses filing a request on a service the sync did not write: 403, nothing stored, nobody notified', async () => {
      const a = await startApi({}, { forged: true });
      const refusals: Array<[string, string]> = [
        [LEGACY_SERVICE_REF, `${LEGACY_SERVICE_REF} is not a vpc-endpoint-service with account, region and service id`],
        ['resource:default/orders-api-copy', 'PrivateLink acts only on the endpoint services it synced'],
      ];
      for (const [serviceRef, message] of refusals) {
        await expectRefused(a, () => api(a.server).post('/v1/access-requests', CARL, requestBody({ serviceRef })), 403, message);
      }
    });

    it('refuses deciding a request on a service the sync did not write, leaving the request unclaimed', async () => {
      const a = await startApi();
      const filed = await storedRequest(a, LEGACY_SERVICE_REF);
      const message = `${LEGACY_SERVICE_REF} is not a vpc-endpoint-service with account, region and service id`;
      const subject = { serviceRef: LEGACY_SERVICE_REF, accountId: 'unknown' };
      // expectRefused checks the stored row: still 'pending', not the approver's 'approving' claim.
      await expectRefused(a, () => approve(a, filed.id, OWNER, {}), 403, message, {
        refused: { actor: OWNER_USER, action: 'accessRequest.approve', message, details: { requestId: filed.id }, subject },
      });
      await expectRefused(a, () => api(a.server).post(`/v1/access-requests/${filed.id}/deny`, OWNER, { reason: 'not synced yet' }), 403, message, {
        refused: { actor: OWNER_USER, action: 'accessRequest.deny', message, details: { requestId: filed.id }, subject },
      });
      expect((await a.knex('privatelink_access_requests').where({ id: filed.id }).first()).status).toBe('pending');
    });

    it('lets exactly one of two concurrent approvals through; AWS is changed once', async () => {
      const a = await startApi();
      mockConnections(WITHOUT_REJECTED);
      const filed = await fileRequest(a);

      // The winner waits inside AWS until the loser has been answered, so that the two truly overlap. Were both
      // let through, the second arrival at AWS opens the gate instead, and the assertions below fail.
      let open!: () => void;
      const gate = new Promise<void>(resolve => {
        open = resolve;
      });
      let arrivals = 0;
      ec2.on(DescribeVpcEndpointServicePermissionsCommand).callsFake(async () => {
        if (++arrivals > 1) open();
        await gate;
        return { AllowedPrincipals: ALLOWED.map(Principal => ({ Principal })) };
      });

      const approveOnce = () =>
        approve(a, filed.id, OWNER, { reason: 'first come' }).then(res => {
          open();
          return res;
        });
      const responses = await Promise.all([approveOnce(), approveOnce()]);

      expect(responses.map(r => r.status).sort()).toEqual([200, 409]);
      const conflict = responses.find(r => r.status === 409)!;
      expect(conflict.body.error.message).toBe(`Access request ${filed.id} is being decided by someone else`);
      // The winner's reads (before the change, and before accepting), its change and its acceptance; none of the loser's.
      expect(ec2.commandCalls(DescribeVpcEndpointServicePermissionsCommand)).toHaveLength(2);
      expect(ec2.commandCalls(ModifyVpcEndpointServicePermissionsCommand)).toHaveLength(1);
      expect(ec2.commandCalls(DescribeVpcEndpointConnectionsCommand)).toHaveLength(1);
      expect(ec2.commandCalls(AcceptVpcEndpointConnectionsCommand)).toHaveLength(1);
      // The winner's two changes; the loser announced nothing.
      expect(a.events.publish.mock.calls).toEqual([[CHANGED_EVENT], [CHANGED_EVENT]]);
      expect((await a.store.getRequest(filed.id))!.status).toBe('approved');
      // The loser found the request taken when claiming it: it wrote no row.
      expect((await rowsInOrder(a)).map(i => [i.action, i.result])).toEqual([
        ['accessRequest.create', 'success'],
        ['accessRequest.approve', 'success'],
        ['principals.allow', 'success'],
        ['connections.accept', 'success'],
      ]);
    });
  });

  describe('POST /v1/access-requests/:id/deny', () => {
    const deny = (a: Api, id: string, authorization: string | undefined, body?: unknown) =>
      api(a.server).post(`/v1/access-requests/${id}/deny`, authorization, body);

    it('denies with a reason: recorded, audited, the requester notified, nothing sent to AWS', async () => {
      const a = await startApi();
      const filed = await fileRequest(a);
      a.send.mockClear();
      const res = await deny(a, filed.id, OWNER, { reason: 'use the public API' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        ...requestBody(),
        id: filed.id,
        status: 'denied',
        requestedBy: CONSUMER_USER,
        requestedAt: filed.requestedAt,
        decidedBy: OWNER_USER,
        decidedAt: expect.stringMatching(ISO),
        decisionReason: 'use the public API',
        ...FILED,
      });
      expect(await a.store.getRequest(filed.id)).toEqual(res.body);
      expect(await a.knex('privatelink_access_requests').where({ id: filed.id }).first()).toMatchObject({ status: 'denied', claimed_at: null });
      expect(ec2.calls()).toHaveLength(0);
      expect(a.events.publish).not.toHaveBeenCalled();
      expect(a.send).toHaveBeenCalledWith({
        recipients: { type: 'entity', entityRef: CONSUMER_USER },
        payload: {
          title: 'Access to Orders API denied',
          description: 'use the public API',
          topic: 'privatelink',
          severity: 'normal',
          link: ENTITY_LINK,
        },
      });
      // One row for the decision: started with the claim, completed once decided.
      const audit = (await api(a.server).get(`/v1/audit?serviceRef=${SERVICE_REF}`, OWNER)).body.items;
      expect(audit).toEqual([
        {
          id: expect.any(Number),
          actor: OWNER_USER,
          via: 'api',
          action: 'accessRequest.deny',
          ...ORDERS_SUBJECT,
          details: { requestId: filed.id, reason: 'use the public API' },
          result: 'success',
          createdAt: expect.stringMatching(ISO),
          completedAt: expect.stringMatching(ISO),
        },
        expect.objectContaining({ action: 'accessRequest.create', result: 'success' }),
      ]);
      // Decided: neither approval nor a second denial.
      await expectRefused(a, () => deny(a, filed.id, OWNER, { reason: 'again' }), 409, 'is already denied');
      await expectRefused(a, () => api(a.server).post(`/v1/access-requests/${filed.id}/approve`, OWNER, {}), 409);
    });

    it('keeps line breaks in the reason of a denial', async () => {
      const a = await startApi();
      const filed = await fileRequest(a);
      const reason = 'not from this account:\nuse the payments account instead';
      const res = await deny(a, filed.id, OWNER, { reason });
      expect(res.status).toBe(200);
      expect(res.body.decisionReason).toBe(reason);
      expect(a.send).toHaveBeenLastCalledWith(expect.objectContaining({ payload: expect.objectContaining({ description: reason }) }));
    });

    it.each([
      ['no body', undefined, 'reason'],
      ['no reason', {}, 'reason'],
      ['a reason too short', { reason: ' no ' }, 'reason'],
      ['an unknown body field', { reason: 'not now', notify: false }, 'Unrecognized key: "notify"'],
      ['a reason with a NUL', { reason: 'not now\u0000' }, 'reason: must not contain control or bidirectional formatting characters'],
      ['a reason with a right-to-left override', { reason: 'not now \u202ewon ton' }, 'reason: must not contain control or bidirectional formatting characters'],
      ['a reason with a backspace', { reason: 'approved\b\b\b\b\b\b\b\bnot now' }, 'reason: must not contain control or bidirectional formatting characters'],
    ])('answers 400 for %s, changing nothing; the request is still decidable', async (_name, body, message) => {
      const a = await startApi();
      const filed = await fileRequest(a);
      const res = await expectRefused(a, () => deny(a, filed.id, OWNER, body), 400, message);
      expect(res.body.error.name).toBe('InputError');
      const denied = await deny(a, filed.id, OWNER, { reason: 'not now' });
      expect(denied.status).toBe(200);
      expect(denied.body).toMatchObject({ status: 'denied', decisionReason: 'not now' });
    });

    it('answers 403 to a consumer (one refused row), 404 for an unknown request, 400 for a malformed id, 401 without credentials', async () => {
      const a = await startApi();
      const filed = await fileRequest(a);
      const body = { reason: 'not now' };
      const message = `privatelink.accessRequest.review is not allowed on ${SERVICE_REF}`;
      await expectRefused(a, () => deny(a, filed.id, CARL, body), 403, message, {
        refused: { actor: CONSUMER_USER, action: 'accessRequest.deny', message, details: { requestId: filed.id } },
      });
      await expectRefused(a, () => deny(a, filed.id, DANA, body), 403, message, {
        refused: { actor: OTHER_USER, action: 'accessRequest.deny', message, details: { requestId: filed.id } },
      });
      await expectRefused(a, () => deny(a, filed.id, SERVICE, body), 403, "does not allow 'service' credentials");
      await expectRefused(a, () => deny(a, UNKNOWN_ID, OWNER, body), 404, `No access request ${UNKNOWN_ID}`);
      await expectRefused(a, () => api(a.server).post('/v1/access-requests/not-a-uuid/deny', OWNER, body), 400, 'id: must be an access request id');
      await expectRefused(a, () => deny(a, filed.id, NONE, body), 401);
      expect((await a.store.getRequest(filed.id))!.status).toBe('pending');
    });
  });

  describe.each(['accept', 'reject'] as const)('POST /v1/connections/%s', decision => {
    const Command = decision === 'accept' ? AcceptVpcEndpointConnectionsCommand : RejectVpcEndpointConnectionsCommand;
    const Other = decision === 'accept' ? RejectVpcEndpointConnectionsCommand : AcceptVpcEndpointConnectionsCommand;
    const path = `/v1/connections/${decision}`;
    const action = `connections.${decision}`;
    /** A connection of orders-api in the state this decision leads to already. */
    const DONE = decision === 'accept' ? EP_AVAILABLE : EP_REJECTED;
    /** Not a connection of orders-api. */
    const STRANGER = 'vpce-0cccccccccccc0005';
    const READ = 'DescribeVpcEndpointConnectionsCommand';
    const readInput = (ids: string[]) => ({
      MaxResults: 1000,
      Filters: [
        { Name: 'service-id', Values: [SERVICE_ID] },
        { Name: 'vpc-endpoint-id', Values: ids },
      ],
    });
    const row = (extra: Partial<AuditEntry>) => ({
      id: expect.any(Number),
      actor: OWNER_USER,
      via: 'api',
      action,
      ...ORDERS_SUBJECT,
      createdAt: expect.stringMatching(ISO),
      completedAt: expect.stringMatching(ISO),
      ...extra,
    });

    it('reads the states, changes the connections, audits and announces', async () => {
      const a = await startApi();
      const res = await api(a.server).post(path, OWNER, { serviceRef: SERVICE_REF, endpointIds: [EP_OTHER_PENDING, EP_PENDING] });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ changed: [EP_PENDING, EP_OTHER_PENDING], unchanged: [], failed: [] });
      expect(commandInputs(DescribeVpcEndpointConnectionsCommand)).toEqual([readInput([EP_PENDING, EP_OTHER_PENDING])]);
      expect(commandInputs(Command)).toEqual([{ ServiceId: SERVICE_ID, VpcEndpointIds: [EP_PENDING, EP_OTHER_PENDING] }]);
      expect(ec2.commandCalls(Other)).toHaveLength(0);
      expect(a.events.publish.mock.calls).toEqual([[CHANGED_EVENT]]);
      expect(await a.store.listAudit({ serviceRef: SERVICE_REF }, 10)).toEqual([
        row({
          details: { endpointIds: [EP_PENDING, EP_OTHER_PENDING], changed: [EP_PENDING, EP_OTHER_PENDING], failed: [] },
          result: 'success',
        }),
      ]);
    });

    it('sends only the connections not in the wanted state already, once each', async () => {
      const a = await startApi();
      const res = await api(a.server).post(path, OWNER, { serviceRef: SERVICE_REF, endpointIds: [EP_PENDING, DONE, EP_PENDING] });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ changed: [EP_PENDING], unchanged: [DONE], failed: [] });
      expect(commandInputs(DescribeVpcEndpointConnectionsCommand)).toEqual([readInput([EP_PENDING, DONE].sort())]);
      expect(commandInputs(Command)).toEqual([{ ServiceId: SERVICE_ID, VpcEndpointIds: [EP_PENDING] }]);
      expect(a.events.publish.mock.calls).toEqual([[CHANGED_EVENT]]);
      expect(await a.store.listAudit({ serviceRef: SERVICE_REF }, 10)).toEqual([
        row({ details: { endpointIds: [EP_PENDING, DONE].sort(), changed: [EP_PENDING], failed: [] }, result: 'success' }),
      ]);
    });

    it('sends nothing and announces nothing when every connection is in the wanted state already; the attempt is recorded', async () => {
      const a = await startApi();
      await api(a.server).post(path, OWNER, { serviceRef: SERVICE_REF, endpointIds: [DONE] }).expect(200, { changed: [], unchanged: [DONE], failed: [] });
      expect(ec2.calls().map(c => c.args[0].constructor.name)).toEqual([READ]);
      expect(a.events.publish).not.toHaveBeenCalled();
      expect(await a.store.listAudit({ serviceRef: SERVICE_REF }, 10)).toEqual([row({ details: { endpointIds: [DONE] }, result: 'success' })]);
    });

    it('reports the connections EC2 did not change, and audits them as an error', async () => {
      const a = await startApi();
      const gone = `The Vpc Endpoint Id '${EP_OTHER_PENDING}' does not exist`;
      ec2.on(Command).resolves({
        Unsuccessful: [{ ResourceId: EP_OTHER_PENDING, Error: { Code: 'InvalidVpcEndpointId.NotFound', Message: gone } }],
      });
      const res = await api(a.server).post(path, OWNER, { serviceRef: 'component:default/orders', endpointIds: [EP_PENDING, EP_OTHER_PENDING] });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        changed: [EP_PENDING],
        unchanged: [],
        failed: [{ endpointId: EP_OTHER_PENDING, reason: `InvalidVpcEndpointId.NotFound: ${gone}` }],
      });
      expect(commandInputs(Command)).toEqual([{ ServiceId: SERVICE_ID, VpcEndpointIds: [EP_PENDING, EP_OTHER_PENDING] }]);
      expect(a.events.publish.mock.calls).toEqual([[CHANGED_EVENT]]);
      expect(await a.store.listAudit({ serviceRef: SERVICE_REF }, 10)).toEqual([
        row({
          details: {
            endpointIds: [EP_PENDING, EP_OTHER_PENDING],
            changed: [EP_PENDING],
            failed: [{ endpointId: EP_OTHER_PENDING, reason: `InvalidVpcEndpointId.NotFound: ${gone}` }],
          },
          result: 'error',
          message: `Could not ${decision} ${EP_OTHER_PENDING} (InvalidVpcEndpointId.NotFound: ${gone})`,
        }),
      ]);
    });

    it('answers 503 when the AWS call fails, audited as an error and announced for a re-read', async () => {
      const a = await startApi();
      ec2.on(Command).rejects(new Error('Rate exceeded'));
      const res = await api(a.server).post(path, OWNER, { serviceRef: SERVICE_REF, endpointIds: [EP_PENDING] });
      expect(res.status).toBe(503);
      const failure = `Could not ${decision} connections on ${SERVICE_ID}: Rate exceeded`;
      expect(res.body.error).toMatchObject({ name: 'ServiceUnavailableError', message: failure });
      expect(await a.store.listAudit({ serviceRef: SERVICE_REF }, 10)).toEqual([
        row({ details: { endpointIds: [EP_PENDING] }, result: 'error', message: failure }),
      ]);
      // The call may have changed some of them before it failed: the catalog re-reads the service.
      expect(a.events.publish.mock.calls).toEqual([[CHANGED_EVENT]]);
    });

    it('answers 503 when the states cannot be read, audited as an error; nothing is sent or announced', async () => {
      const a = await startApi();
      ec2.on(DescribeVpcEndpointConnectionsCommand).rejects(new Error('Request limit exceeded'));
      const res = await api(a.server).post(path, OWNER, { serviceRef: SERVICE_REF, endpointIds: [EP_PENDING] });
      expect(res.status).toBe(503);
      const failure = `Could not ${decision} connections on ${SERVICE_ID}: Request limit exceeded`;
      expect(res.body.error).toMatchObject({ name: 'ServiceUnavailableError', message: failure });
      expect(ec2.calls().map(c => c.args[0].constructor.name)).toEqual([READ]);
      expect(await a.store.listAudit({ serviceRef: SERVICE_REF }, 10)).toEqual([
        row({ details: { endpointIds: [EP_PENDING] }, result: 'error', message: failure }),
      ]);
      expect(a.events.publish).not.toHaveBeenCalled();
    });

    it('answers 400 for ids that are no connection of the service, before any change: one refused row', async () => {
      const a = await startApi();
      const one = `endpointIds: ${STRANGER} is not a connection of ${SERVICE_ID}`;
      await expectRefused(a, () => api(a.server).post(path, OWNER, { serviceRef: SERVICE_REF, endpointIds: [EP_PENDING, STRANGER] }), 400, one, {
        reads: [READ],
        refused: { actor: OWNER_USER, action, message: one, details: { endpointIds: [EP_PENDING, STRANGER] } },
      });
      const other = 'vpce-0dddddddddddd0006';
      const two = `endpointIds: ${STRANGER}, ${other} are not connections of ${SERVICE_ID}`;
      const res = await expectRefused(a, () => api(a.server).post(path, OWNER, { serviceRef: SERVICE_REF, endpointIds: [other, STRANGER] }), 400, two, {
        reads: [READ],
        refused: { actor: OWNER_USER, action, message: two, details: { endpointIds: [STRANGER, other] } },
      });
      expect(res.body.error.name).toBe('InputError');
      expect(commandInputs(DescribeVpcEndpointConnectionsCommand)).toEqual([readInput([EP_PENDING, STRANGER]), readInput([STRANGER, other])]);
    });

    it('refuses a connection of another service even when EC2 ignores the filters', async () => {
      const a = await startApi();
      ec2.on(DescribeVpcEndpointConnectionsCommand).resolves({
        VpcEndpointConnections: [
          ...CONNECTIONS,
          { ServiceId: OTHER_SERVICE_ID, VpcEndpointId: STRANGER, VpcEndpointOwner: OTHER, VpcEndpointState: 'pendingAcceptance' as any },
        ],
      });
      const message = `endpointIds: ${STRANGER} is not a connection of ${SERVICE_ID}`;
      await expectRefused(a, () => api(a.server).post(path, OWNER, { serviceRef: SERVICE_REF, endpointIds: [STRANGER] }), 400, message, {
        reads: [READ],
        refused: { actor: OWNER_USER, action, message, details: { endpointIds: [STRANGER] } },
      });
    });

    it.each([
      ['a malformed endpoint id', { serviceRef: SERVICE_REF, endpointIds: ['vpc-123'] }, 'endpointIds.0: must be a VPC endpoint id'],
      ['a service id instead of an endpoint id', { serviceRef: SERVICE_REF, endpointIds: [SERVICE_ID] }, 'endpointIds.0'],
      ['no endpoint ids', { serviceRef: SERVICE_REF, endpointIds: [] }, 'endpointIds'],
      ['too many endpoint ids', { serviceRef: SERVICE_REF, endpointIds: Array(101).fill(EP_PENDING) }, 'endpointIds'],
      ['a missing serviceRef', { endpointIds: [EP_PENDING] }, 'serviceRef'],
      ['an unknown body field', { serviceRef: SERVICE_REF, endpointIds: [EP_PENDING], force: true }, 'Unrecognized key: "force"'],
    ])('answers 400 for %s, changing nothing', async (_name, body, message) => {
      const a = await startApi();
      await expectRefused(a, () => api(a.server).post(path, OWNER, body), 400, message);
    });

    it('answers 403 to a consumer and to another service owner (one refused row each), 403 to services, 404 for an unknown service, 401 without credentials', async () => {
      const a = await startApi();
      const body = { serviceRef: SERVICE_REF, endpointIds: [EP_PENDING] };
      const consumer = `privatelink.connection.review is not allowed on ${SERVICE_REF}`;
      await expectRefused(a, () => api(a.server).post(path, CARL, body), 403, consumer, {
        refused: { actor: CONSUMER_USER, action, message: consumer, details: { endpointIds: [EP_PENDING] } },
      });
      const billing = `privatelink.connection.review is not allowed on ${OTHER_SERVICE_REF}`;
      await expectRefused(a, () => api(a.server).post(path, OWNER, { ...body, serviceRef: OTHER_SERVICE_REF }), 403, billing, {
        refused: {
          actor: OWNER_USER,
          action,
          message: billing,
          details: { endpointIds: [EP_PENDING] },
          subject: { serviceRef: OTHER_SERVICE_REF, accountId: PROVIDER, region: REGION, serviceId: OTHER_SERVICE_ID },
        },
      });
      // Refused before the write path: no row.
      await expectRefused(a, () => api(a.server).post(path, SERVICE, body), 403, "does not allow 'service' credentials");
      await expectRefused(a, () => api(a.server).post(path, OWNER, { ...body, serviceRef: 'resource:default/nope' }), 404, 'No entity resource:default/nope');
      await expectRefused(a, () => api(a.server).post(path, NONE, body), 401);
      await expectRefused(a, () => api(a.server).post(path, undefined, body), 401);
    });
  });

  describe('POST /v1/principals/allow and /revoke', () => {
    const NEW_ROOT = 'arn:aws:iam::555566667777:root';
    const NEW_ROLE = 'arn:aws:iam::555566667777:role/consumer-app';
    const READ = 'DescribeVpcEndpointServicePermissionsCommand';
    const row = (action: string, extra: Partial<AuditEntry>) => ({
      id: expect.any(Number),
      actor: OWNER_USER,
      via: 'api',
      action,
      ...ORDERS_SUBJECT,
      createdAt: expect.stringMatching(ISO),
      completedAt: expect.stringMatching(ISO),
      ...extra,
    });

    it('reads the allowed principals, allows those not yet allowed, audits and announces', async () => {
      const a = await startApi();
      const res = await api(a.server).post('/v1/principals/allow', OWNER, {
        serviceRef: SERVICE_REF,
        principals: [NEW_ROOT, ALLOWED[0], NEW_ROLE, NEW_ROOT],
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ changed: [NEW_ROLE, NEW_ROOT] });
      expect(commandInputs(DescribeVpcEndpointServicePermissionsCommand)).toEqual([{ ServiceId: SERVICE_ID, MaxResults: 1000 }]);
      expect(commandInputs(ModifyVpcEndpointServicePermissionsCommand)).toEqual([
        { ServiceId: SERVICE_ID, AddAllowedPrincipals: [NEW_ROLE, NEW_ROOT] },
      ]);
      expect(a.events.publish.mock.calls).toEqual([[CHANGED_EVENT]]);
      expect(await a.store.listAudit({ serviceRef: SERVICE_REF }, 10)).toEqual([
        row('principals.allow', { details: { principals: [ALLOWED[0], NEW_ROLE, NEW_ROOT], changed: [NEW_ROLE, NEW_ROOT] }, result: 'success' }),
      ]);
    });

    it('revokes the principals that are allowed', async () => {
      const a = await startApi();
      const res = await api(a.server).post('/v1/principals/revoke', OWNER, { serviceRef: SERVICE_REF, principals: [NEW_ROOT, ALLOWED[1]] });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ changed: [ALLOWED[1]] });
      expect(commandInputs(DescribeVpcEndpointServicePermissionsCommand)).toEqual([{ ServiceId: SERVICE_ID, MaxResults: 1000 }]);
      expect(commandInputs(ModifyVpcEndpointServicePermissionsCommand)).toEqual([
        { ServiceId: SERVICE_ID, RemoveAllowedPrincipals: [ALLOWED[1]] },
      ]);
      expect(a.events.publish.mock.calls).toEqual([[CHANGED_EVENT]]);
      expect(await a.store.listAudit({ serviceRef: SERVICE_REF }, 10)).toEqual([
        row('principals.revoke', { details: { principals: [ALLOWED[1], NEW_ROOT], changed: [ALLOWED[1]] }, result: 'success' }),
      ]);
    });

    it('changes nothing in AWS, and announces nothing, when every principal is already in place', async () => {
      const a = await startApi();
      await api(a.server).post('/v1/principals/allow', OWNER, { serviceRef: SERVICE_REF, principals: [ALLOWED[0]] }).expect(200, { changed: [] });
      await api(a.server).post('/v1/principals/revoke', OWNER, { serviceRef: SERVICE_REF, principals: [NEW_ROOT] }).expect(200, { changed: [] });
      expect(ec2.calls().map(c => c.args[0].constructor.name)).toEqual([READ, READ]);
      expect(a.events.publish).not.toHaveBeenCalled();
      expect(await a.store.listAudit({ serviceRef: SERVICE_REF }, 10)).toEqual([
        row('principals.revoke', { details: { principals: [NEW_ROOT], changed: [] }, result: 'success' }),
        row('principals.allow', { details: { principals: [ALLOWED[0]], changed: [] }, result: 'success' }),
      ]);
    });

    it('accepts the principal * only when the configuration allows it', async () => {
      const a = await startApi({ allowWildcardPrincipal: true });
      await api(a.server).post('/v1/principals/allow', OWNER, { serviceRef: SERVICE_REF, principals: ['*'] }).expect(200, { changed: ['*'] });
      expect(commandInputs(ModifyVpcEndpointServicePermissionsCommand)).toEqual([{ ServiceId: SERVICE_ID, AddAllowedPrincipals: ['*'] }]);
    });

    it('answers 400 to allowing the principal * when the configuration does not allow it, changing nothing', async () => {
      const a = await startApi();
      const res = await expectRefused(
        a,
        () => api(a.server).post('/v1/principals/allow', OWNER, { serviceRef: SERVICE_REF, principals: [NEW_ROOT, '*'] }),
        400,
        "principals.1: the principal '*' lets every AWS account connect; it is refused unless privatelink.allowWildcardPrincipal is true",
      );
      expect(res.body.error.name).toBe('InputError');
    });

    it('revokes the principal * even when the configuration does not allow it: removing it only narrows access', async () => {
      const a = await startApi();
      // Set outside Backstage.
      ec2.on(DescribeVpcEndpointServicePermissionsCommand).resolves({
        AllowedPrincipals: [...ALLOWED, '*'].map(Principal => ({ Principal, PrincipalType: 'Account' as const })),
      });
      const res = await api(a.server).post('/v1/principals/revoke', OWNER, { serviceRef: SERVICE_REF, principals: ['*'] });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ changed: ['*'] });
      expect(commandInputs(ModifyVpcEndpointServicePermissionsCommand)).toEqual([{ ServiceId: SERVICE_ID, RemoveAllowedPrincipals: ['*'] }]);
      expect(a.events.publish.mock.calls).toEqual([[CHANGED_EVENT]]);
      expect(await a.store.listAudit({ serviceRef: SERVICE_REF }, 10)).toEqual([
        row('principals.revoke', { details: { principals: ['*'], changed: ['*'] }, result: 'success' }),
      ]);
      // Revoking * only where it is not allowed changes nothing, and is recorded all the same.
      ec2.on(DescribeVpcEndpointServicePermissionsCommand).resolves({ AllowedPrincipals: ALLOWED.map(Principal => ({ Principal })) });
      await api(a.server).post('/v1/principals/revoke', OWNER, { serviceRef: SERVICE_REF, principals: ['*', ALLOWED[1]] }).expect(200, { changed: [ALLOWED[1]] });
      // Consumers may revoke nothing, * included: one refused row.
      const message = `privatelink.principal.manage is not allowed on ${SERVICE_REF}`;
      await expectRefused(a, () => api(a.server).post('/v1/principals/revoke', CARL, { serviceRef: SERVICE_REF, principals: ['*'] }), 403, message, {
        refused: { actor: CONSUMER_USER, action: 'principals.revoke', message, details: { principals: ['*'] } },
      });
    });

    it.each(['allow', 'revoke'] as const)('answers 503 when AWS fails to %s, audited as an error and announced for a re-read', async change => {
      const a = await startApi();
      ec2.on(ModifyVpcEndpointServicePermissionsCommand).rejects(new Error('InvalidPrincipal'));
      const principals = change === 'allow' ? [NEW_ROOT] : [ALLOWED[0]];
      const res = await api(a.server).post(`/v1/principals/${change}`, OWNER, { serviceRef: SERVICE_REF, principals });
      expect(res.status).toBe(503);
      const failure = `Could not ${change} principals on ${SERVICE_ID}: InvalidPrincipal`;
      expect(res.body.error).toMatchObject({ name: 'ServiceUnavailableError', message: failure });
      expect(await a.store.listAudit({ serviceRef: SERVICE_REF }, 10)).toEqual([
        row(`principals.${change}`, { details: { principals }, result: 'error', message: failure }),
      ]);
      expect(a.events.publish.mock.calls).toEqual([[CHANGED_EVENT]]);
    });

    it('answers 503 when the allowed principals cannot be read, audited as an error; nothing is changed or announced', async () => {
      const a = await startApi();
      ec2.on(DescribeVpcEndpointServicePermissionsCommand).rejects(new Error('Request limit exceeded'));
      const res = await api(a.server).post('/v1/principals/allow', OWNER, { serviceRef: SERVICE_REF, principals: [NEW_ROOT] });
      expect(res.status).toBe(503);
      const failure = `Could not allow principals on ${SERVICE_ID}: Request limit exceeded`;
      expect(res.body.error).toMatchObject({ name: 'ServiceUnavailableError', message: failure });
      expect(ec2.calls().map(c => c.args[0].constructor.name)).toEqual([READ]);
      expect(await a.store.listAudit({ serviceRef: SERVICE_REF }, 10)).toEqual([
        row('principals.allow', { details: { principals: [NEW_ROOT] }, result: 'error', message: failure }),
      ]);
      expect(a.events.publish).not.toHaveBeenCalled();
    });

    it.each([
      ['a principal with a path', ['arn:aws:iam::555566667777:role/team/app'], "principals.0: 'arn:aws:iam::555566667777:role/team/app' is not an IAM principal ARN"],
      ['a bad account in an ARN', ['arn:aws:iam::5555:root'], 'principals.0'],
      ['a plain account id', ['555566667777'], 'principals.0'],
      ['no principals', [], 'principals'],
      ['too many principals', Array(101).fill(NEW_ROOT), 'principals'],
    ])('answers 400 for %s, changing nothing', async (_name, principals, message) => {
      const a = await startApi();
      for (const change of ['allow', 'revoke']) {
        const res = await expectRefused(
          a,
          () => api(a.server).post(`/v1/principals/${change}`, OWNER, { serviceRef: SERVICE_REF, principals }),
          400,
          message,
        );
        expect(res.body.error.name).toBe('InputError');
      }
    });

    it('answers 400 for an unknown body field, 403 to a consumer and to another service owner (one refused row each), 403 to services, 404 for an unknown service, 401 without credentials', async () => {
      const a = await startApi();
      const body = { serviceRef: SERVICE_REF, principals: [NEW_ROOT] };
      for (const change of ['allow', 'revoke']) {
        const path = `/v1/principals/${change}`;
        const action = `principals.${change}`;
        await expectRefused(a, () => api(a.server).post(path, OWNER, { ...body, principal: NEW_ROOT }), 400, 'Unrecognized key: "principal"');
        const consumer = `privatelink.principal.manage is not allowed on ${SERVICE_REF}`;
        await expectRefused(a, () => api(a.server).post(path, CARL, body), 403, consumer, {
          refused: { actor: CONSUMER_USER, action, message: consumer, details: { principals: [NEW_ROOT] } },
        });
        const billing = `privatelink.principal.manage is not allowed on ${OTHER_SERVICE_REF}`;
        await expectRefused(a, () => api(a.server).post(path, OWNER, { ...body, serviceRef: OTHER_SERVICE_REF }), 403, billing, {
          refused: {
            actor: OWNER_USER,
            action,
            message: billing,
            details: { principals: [NEW_ROOT] },
            subject: { serviceRef: OTHER_SERVICE_REF, accountId: PROVIDER, region: REGION, serviceId: OTHER_SERVICE_ID },
          },
        });
        await expectRefused(a, () => api(a.server).post(path, SERVICE, body), 403, "does not allow 'service' credentials");
        await expectRefused(a, () => api(a.server).post(path, OWNER, { ...body, serviceRef: 'resource:default/nope' }), 404, 'No entity resource:default/nope');
        await expectRefused(a, () => api(a.server).post(path, NONE, body), 401);
      }
    });
  });

  describe('POST /v1/services/settings, /v1/services/retire and /v1/endpoints/delete', () => {
    const CONFIGURATION = {
      ServiceId: SERVICE_ID,
      AcceptanceRequired: true,
      PrivateDnsName: PRIVATE_DNS,
      PrivateDnsNameConfiguration: { State: 'verified' as const },
      NetworkLoadBalancerArns: [NLB_ARN],
      SupportedRegions: [{ Region: REGION }],
    };
    const READS = ['DescribeVpcEndpointServiceConfigurationsCommand', 'DescribeVpcEndpointConnectionsCommand'];
    beforeEach(() => {
      let configuration: typeof CONFIGURATION | undefined = { ...CONFIGURATION };
      ec2.on(DescribeVpcEndpointServiceConfigurationsCommand).callsFake(() => {
        if (!configuration) throw Object.assign(new Error('The VpcEndpointService Id does not exist'), { name: 'InvalidVpcEndpointServiceId.NotFound' });
        return { ServiceConfigurations: [configuration] };
      });
      ec2.on(ModifyVpcEndpointServiceConfigurationCommand).callsFake(input => {
        configuration = { ...configuration!, ...(input.AcceptanceRequired !== undefined ? { AcceptanceRequired: input.AcceptanceRequired } : {}) };
        return { Return: true };
      });
      ec2.on(DeleteVpcEndpointServiceConfigurationsCommand).callsFake(() => {
        configuration = undefined;
        return { Unsuccessful: [] };
      });
      ec2.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [{ VpcEndpointId: EP_AVAILABLE, State: 'available' as any }] });
      ec2.on(DeleteVpcEndpointsCommand).resolves({ Unsuccessful: [] });
    });

    it("changes a service's settings for its owner, sending only what differs, audited and announced", async () => {
      const a = await startApi();
      const res = await api(a.server).post('/v1/services/settings', OWNER, { serviceRef: SERVICE_REF, acceptanceRequired: false, addSupportedRegions: [REGION] });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ serviceRef: SERVICE_REF, changed: ['acceptanceRequired'], cuts: [], privateDnsState: 'verified' });
      expect(commandInputs(ModifyVpcEndpointServiceConfigurationCommand)).toEqual([{ ServiceId: SERVICE_ID, AcceptanceRequired: false }]);
      expect(a.events.publish.mock.calls).toEqual([[CHANGED_EVENT]]);
      expect(await a.store.listAudit({ serviceRef: SERVICE_REF }, 10)).toEqual([
        expect.objectContaining({ actor: OWNER_USER, via: 'api', action: 'service.update', result: 'success', details: expect.objectContaining({ changed: ['acceptanceRequired'] }) }),
      ]);
    });

    it('answers 409 to a change that cuts connected consumers, naming them, and makes it with confirmCuts', async () => {
      const a = await startApi();
      const body = { serviceRef: SERVICE_REF, privateDnsName: 'orders2.internal.example.com' };
      const message = `This change cuts 1 consumer: ${EP_AVAILABLE} (account ${CONSUMER}, resolves ${PRIVATE_DNS}). Tell them first, then make the change again with confirmCuts to make it anyway`;
      await expectRefused(a, () => api(a.server).post('/v1/services/settings', OWNER, body), 409, message, {
        refused: { actor: OWNER_USER, action: 'service.update', message, details: { change: { privateDnsName: 'orders2.internal.example.com' } } },
        reads: READS,
      });
      const confirmed = await api(a.server).post('/v1/services/settings', OWNER, { ...body, confirmCuts: true });
      expect(confirmed.status).toBe(200);
      expect(confirmed.body.cuts).toEqual([{ endpointId: EP_AVAILABLE, accountId: CONSUMER, state: 'available', reason: `resolves ${PRIVATE_DNS}` }]);
      expect(commandInputs(ModifyVpcEndpointServiceConfigurationCommand)).toEqual([{ ServiceId: SERVICE_ID, PrivateDnsName: 'orders2.internal.example.com' }]);
    });

    it.each([
      ['/v1/services/settings', { serviceRef: SERVICE_REF, acceptanceRequired: false }, 'service.update', 'privatelink.endpointService.update', { change: { acceptanceRequired: false } }],
      ['/v1/services/retire', { serviceRef: SERVICE_REF, confirmName: 'orders-api', force: true }, 'service.delete', 'privatelink.endpointService.delete', { force: true }],
    ])('refuses %s to a user who does not own the service: 403 before any AWS call, one refused row', async (path, body, action, permission, details) => {
      const a = await startApi();
      const message = `${permission} is not allowed on ${SERVICE_REF}`;
      await expectRefused(a, () => api(a.server).post(path, DANA, body), 403, message, { refused: { actor: OTHER_USER, action, message, details } });
    });

    it.each([
      ['no setting', { serviceRef: SERVICE_REF }, 'name at least one setting to change'],
      ['an unknown field', { serviceRef: SERVICE_REF, acceptanceRequired: false, tags: { a: 'b' } }, 'tags'],
      ['a malformed DNS name', { serviceRef: SERVICE_REF, privateDnsName: 'Not A Name' }, 'privateDnsName'],
      ['a region both added and removed', { serviceRef: SERVICE_REF, addSupportedRegions: ['eu-west-1'], removeSupportedRegions: ['eu-west-1'] }, 'both added and removed'],
    ])('answers 400 to settings with %s, writing nothing', async (_what, body, message) => {
      const a = await startApi();
      await expectRefused(a, () => api(a.server).post('/v1/services/settings', OWNER, body), 400, message);
    });

    it('refuses to retire a service with connected consumers unless forced; forced, rejects them, tells their owners, deletes it and closes its requests', async () => {
      const a = await startApi();
      const filed = await fileRequest(a);
      const connected = `${SERVICE_REF} has 1 consumer: ${EP_AVAILABLE} (account ${CONSUMER}, connected). Ask them to remove their endpoints, or retire it with force`;
      await expectRefused(a, () => api(a.server).post('/v1/services/retire', OWNER, { serviceRef: SERVICE_REF, confirmName: 'orders-api' }), 409, connected, {
        refused: { actor: OWNER_USER, action: 'service.delete', message: connected, details: { force: false } },
        reads: READS,
      });
      const wrongName = "confirmName: type the service's name, orders-api, to retire it";
      await expectRefused(a, () => api(a.server).post('/v1/services/retire', OWNER, { serviceRef: SERVICE_REF, confirmName: 'orders', force: true }), 400, wrongName, {
        refused: { actor: OWNER_USER, action: 'service.delete', message: wrongName, details: { force: true } },
      });

      const res = await api(a.server).post('/v1/services/retire', OWNER, { serviceRef: SERVICE_REF, confirmName: 'orders-api', force: true });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        serviceRef: SERVICE_REF,
        serviceId: SERVICE_ID,
        deleted: true,
        rejectedConnections: [EP_AVAILABLE, EP_PENDING, EP_OTHER_PENDING].sort(),
        notified: ['group:default/payments', 'group:default/platform'],
        closedRequests: 1,
        loadBalancerArns: [NLB_ARN],
      });
      expect(commandInputs(RejectVpcEndpointConnectionsCommand)).toEqual([{ ServiceId: SERVICE_ID, VpcEndpointIds: [EP_AVAILABLE, EP_PENDING, EP_OTHER_PENDING].sort() }]);
      expect(commandInputs(DeleteVpcEndpointServiceConfigurationsCommand)).toEqual([{ ServiceIds: [SERVICE_ID] }]);
      // The consumers' owners hear of it before the deletion; the request's filer hears nothing more (it is closed).
      expect(a.send).toHaveBeenCalledWith(
        expect.objectContaining({ recipients: { type: 'entity', entityRef: ['group:default/payments', 'group:default/platform'] }, payload: expect.objectContaining({ severity: 'high' }) }),
      );
      expect(a.events.publish.mock.calls).toEqual([[{ topic: 'privatelink.service.changed', eventPayload: { ...TARGET, retired: true } }]]);
      expect(await a.store.getRequest(filed.id)).toMatchObject({ status: 'denied', decisionReason: 'The endpoint service was retired', decidedBy: 'plugin:privatelink' });
      expect((await a.store.listAudit({ serviceRef: SERVICE_REF }, 10)).map(r => `${r.action}:${r.result}`)).toEqual([
        'access-requests.close:success',
        'service.delete:success',
        'service.delete:refused',
        'service.delete:refused',
        'accessRequest.create:success',
      ]);

      // Retried after a lost answer: AWS no longer has it; nothing is done again.
      const again = await api(a.server).post('/v1/services/retire', OWNER, { serviceRef: SERVICE_REF, confirmName: 'orders-api', force: true });
      expect(again.body).toMatchObject({ deleted: false, rejectedConnections: [], closedRequests: 0 });
      expect(ec2.commandCalls(DeleteVpcEndpointServiceConfigurationsCommand)).toHaveLength(1);
    });

    it("sends only EC2 actions that the API's IAM policy grants (docs/iam/privatelink-api-policy.json)", async () => {
      const a = await startApi();
      await api(a.server).post('/v1/connections/accept', OWNER, { serviceRef: SERVICE_REF, endpointIds: [EP_PENDING] }).expect(200);
      await api(a.server).post('/v1/connections/reject', OWNER, { serviceRef: SERVICE_REF, endpointIds: [EP_OTHER_PENDING] }).expect(200);
      await api(a.server).post('/v1/principals/allow', OWNER, { serviceRef: SERVICE_REF, principals: ['arn:aws:iam::555566667777:root'] }).expect(200);
      await api(a.server).post('/v1/principals/revoke', OWNER, { serviceRef: SERVICE_REF, principals: [ALLOWED[0]] }).expect(200);
      await api(a.server).post('/v1/services/settings', OWNER, { serviceRef: SERVICE_REF, acceptanceRequired: false }).expect(200);
      // The owner tag (CreateTags), within the policy's tag-key condition.
      await api(a.server).post('/v1/services/settings', OWNER, { serviceRef: SERVICE_REF, owner: OWNER_GROUP }).expect(200);
      expect(commandInputs(CreateTagsCommand)).toEqual([{ Resources: [SERVICE_ID], Tags: [{ Key: 'backstage:owner', Value: OWNER_GROUP }] }]);
      await api(a.server).post('/v1/endpoints/delete', CARL, { endpointRef: `resource:default/${EP_AVAILABLE}` }).expect(200);
      await api(a.server).post('/v1/services/retire', OWNER, { serviceRef: SERVICE_REF, confirmName: 'orders-api', force: true }).expect(200);
      const policy = JSON.parse(readFileSync(join(__dirname, '../../../docs/iam/privatelink-api-policy.json'), 'utf8'));
      const granted = new Set(policy.Statement.flatMap((st: { Action: string[] }) => st.Action));
      const tagging = policy.Statement.find((st: { Action: string[] }) => st.Action.includes('ec2:CreateTags'));
      expect(tagging.Condition['ForAllValues:StringEquals']['aws:TagKeys']).toEqual(
        expect.arrayContaining(['backstage:owner', 'backstage:system', 'backstage:component', 'privatelink:retirement-announced']),
      );
      const sent = [...new Set(ec2.calls().map(c => `ec2:${(c.args[0] as object).constructor.name.replace(/Command$/, '')}`))].sort();
      expect(sent.length).toBeGreaterThan(8);
      expect(sent.filter(action => !granted.has(action))).toEqual([]);
    });

    it("deletes a consumer's endpoint for its owners and refuses everyone else", async () => {
      const a = await startApi();
      const endpointRef = `resource:default/${EP_AVAILABLE}`;
      const message = `privatelink.endpoint.delete is not allowed on ${endpointRef}`;
      await expectRefused(a, () => api(a.server).post('/v1/endpoints/delete', OWNER, { endpointRef }), 403, message, {
        refused: { actor: OWNER_USER, action: 'endpoint.delete', message, details: { endpointRef, endpointId: EP_AVAILABLE }, subject: { serviceRef: SERVICE_REF, accountId: CONSUMER, region: REGION } },
      });
      const res = await api(a.server).post('/v1/endpoints/delete', CARL, { endpointRef });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ endpointRef, endpointId: EP_AVAILABLE, deleted: true });
      expect(commandInputs(DeleteVpcEndpointsCommand)).toEqual([{ VpcEndpointIds: [EP_AVAILABLE] }]);
      // The provider's service is re-read, so that the endpoint leaves the catalog.
      expect(a.events.publish.mock.calls).toEqual([[CHANGED_EVENT]]);
      await expectRefused(a, () => api(a.server).post('/v1/endpoints/delete', CARL, { endpointRef: SERVICE_REF }), 403, 'is not a vpc-endpoint', {
        refused: {
          actor: CONSUMER_USER,
          action: 'endpoint.delete',
          message: `${SERVICE_REF} is not a vpc-endpoint with account, region and endpoint id`,
          details: { endpointRef: SERVICE_REF },
          subject: { serviceRef: SERVICE_REF, accountId: PROVIDER },
        },
      });
    });
  });

  describe('owner routes on an endpoint service the sync did not emit', () => {
    /** The request to send, and what its refused row records beyond the attempt (the access request's id). */
    type Prepare = (a: Api, serviceRef: string) => Promise<{ send: () => request.Test; details?: Record<string, unknown> }>;
    /** What the refused row records of each route's attempt. */
    const attempted: Record<string, Record<string, unknown>> = {
      'principals.allow': { principals: ['arn:aws:iam::555566667777:root'] },
      'principals.revoke': { principals: [ALLOWED[0]] },
      'connections.accept': { endpointIds: [EP_PENDING] },
      'connections.reject': { endpointIds: [EP_PENDING] },
    };
    const onService = (path: string, body: Record<string, unknown>): Prepare => async (a, serviceRef) => ({
      send: () => api(a.server).post(path, OWNER, { serviceRef, ...body }),
    });
    const onRequest = (decision: 'approve' | 'deny', body: Record<string, unknown>): Prepare => async (a, serviceRef) => {
      const filed = await storedRequest(a, serviceRef);
      return { send: () => api(a.server).post(`/v1/access-requests/${filed.id}/${decision}`, OWNER, body), details: { requestId: filed.id } };
    };
    const routes: Array<[string, Prepare]> = [
      ['principals.allow', onService('/v1/principals/allow', { principals: ['arn:aws:iam::555566667777:root'] })],
      ['principals.revoke', onService('/v1/principals/revoke', { principals: [ALLOWED[0]] })],
      ['connections.accept', onService('/v1/connections/accept', { endpointIds: [EP_PENDING] })],
      ['connections.reject', onService('/v1/connections/reject', { endpointIds: [EP_PENDING] })],
      ['accessRequest.approve', onRequest('approve', {})],
      ['accessRequest.deny', onRequest('deny', { reason: 'not this one' })],
    ];

    it.each(routes)('refuses %s on a forged copy of a synced service that the caller owns: 403, no AWS call, one refused row', async (action, prepare) => {
      const a = await startApi({}, { forged: true });
      const { send, details } = await prepare(a, FORGED_SERVICE_REF);
      const message = `${FORGED_SERVICE_REF} was not written by the PrivateLink sync (it is managed by ${FORGED_LOCATION}); PrivateLink acts only on the endpoint services it synced`;
      await expectRefused(a, send, 403, message, {
        refused: { actor: OWNER_USER, action, message, details: details ?? attempted[action], subject: { serviceRef: FORGED_SERVICE_REF, accountId: PROVIDER } },
      });
    });

    it.each(routes)('refuses %s on a synced service whose account is no longer configured: 403, no AWS call, one refused row', async (action, prepare) => {
      const a = await startApi({ accounts: [{ accountId: CONSUMER, name: 'payments' }] });
      const { send, details } = await prepare(a, SERVICE_REF);
      const message = `${SERVICE_REF} is in account ${PROVIDER}, which is not configured under privatelink.accounts`;
      await expectRefused(a, send, 403, message, {
        refused: { actor: OWNER_USER, action, message, details: details ?? attempted[action], subject: { serviceRef: SERVICE_REF, accountId: PROVIDER } },
      });
    });
  });

  describe('POST /v1/audit/attempts and /v1/audit/attempts/:id/outcome', () => {
    const PRINCIPAL = `arn:aws:iam::${OTHER}:root`;
    const attempt = (overrides: Record<string, unknown> = {}) => ({
      action: 'principals.allow',
      serviceRef: SERVICE_REF,
      ...TARGET,
      details: { principals: [PRINCIPAL], taskId: 'task-1' },
      result: 'started',
      ...overrides,
    });
    const write = (a: Api, authorization: string | undefined, body: unknown) => api(a.server).post('/v1/audit/attempts', authorization, body);
    const complete = (a: Api, id: number | string, authorization: string | undefined, body: unknown) =>
      api(a.server).post(`/v1/audit/attempts/${id}/outcome`, authorization, body);
    async function start(a: Api, authorization = SCAFFOLDER_OLIVIA, body: unknown = attempt()): Promise<number> {
      const res = await write(a, authorization, body);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ id: expect.any(Number) });
      return res.body.id;
    }
    const NOT_THE_SCAFFOLDER = 'Only the PrivateLink scaffolder actions write audit rows, with a token the scaffolder issued';

    it('records the attempt of a scaffolder action for the user it runs for, then its outcome', async () => {
      const a = await startApi();
      const id = await start(a);
      const started = {
        id,
        actor: OWNER_USER,
        via: 'scaffolder',
        action: 'principals.allow',
        ...ORDERS_SUBJECT,
        details: { principals: [PRINCIPAL], taskId: 'task-1' },
        result: 'started',
        createdAt: expect.stringMatching(ISO),
      };
      expect(await a.store.getAudit(id)).toEqual(started);

      await complete(a, id, SCAFFOLDER_OLIVIA, { result: 'success', details: { changed: [PRINCIPAL] } }).expect(200, { id });
      const done = {
        ...started,
        details: { principals: [PRINCIPAL], taskId: 'task-1', changed: [PRINCIPAL] },
        result: 'success',
        completedAt: expect.stringMatching(ISO),
      };
      expect(await a.store.getAudit(id)).toEqual(done);
      // The owner reads it with the rest of the service's log.
      const audit = await api(a.server).get(`/v1/audit?serviceRef=${SERVICE_REF}`, OWNER);
      expect(audit.status).toBe(200);
      expect(audit.body.items).toEqual([done]);
      // Only rows: the action made the change itself, and announces it itself.
      expect(ec2.calls()).toHaveLength(0);
      expect(a.events.publish).not.toHaveBeenCalled();
      expect(a.send).not.toHaveBeenCalled();
    });

    it('records a refusal at once, and an outcome in error with its message', async () => {
      const a = await startApi();
      const refusal = `privatelink.principal.manage is not allowed on ${SERVICE_REF}`;
      // A refused row is complete: there is nothing to come back to, so no id is given.
      await write(a, SCAFFOLDER_CARL, attempt({ result: 'refused', message: refusal })).expect(201, {});
      await write(a, SCAFFOLDER_CARL, attempt({ action: 'principals.revoke', result: 'refused' })).expect(201, {});
      const id = await start(a, SCAFFOLDER_OLIVIA, attempt({ action: 'connections.accept', details: { endpointIds: [EP_PENDING] } }));
      const failure = `Could not accept connections on ${SERVICE_ID}: Rate exceeded`;
      await complete(a, id, SCAFFOLDER_OLIVIA, { result: 'error', message: failure }).expect(200, { id });

      const common = { id: expect.any(Number), via: 'scaffolder', ...ORDERS_SUBJECT, createdAt: expect.stringMatching(ISO), completedAt: expect.stringMatching(ISO) };
      expect(await a.store.listAudit({ serviceRef: SERVICE_REF }, 10)).toEqual([
        { ...common, id, actor: OWNER_USER, action: 'connections.accept', details: { endpointIds: [EP_PENDING] }, result: 'error', message: failure },
        { ...common, actor: CONSUMER_USER, action: 'principals.revoke', details: { principals: [PRINCIPAL], taskId: 'task-1' }, result: 'refused', message: 'refused' },
        { ...common, actor: CONSUMER_USER, action: 'principals.allow', details: { principals: [PRINCIPAL], taskId: 'task-1' }, result: 'refused', message: refusal },
      ]);
    });

    it('takes the actor and the door from the token: a body that names them is refused', async () => {
      const a = await startApi();
      await expectRefused(a, () => write(a, SCAFFOLDER_CARL, { ...attempt(), actor: OWNER_USER }), 400, 'Unrecognized key: "actor"');
      await expectRefused(a, () => write(a, SCAFFOLDER_CARL, { ...attempt(), via: 'job' }), 400, 'Unrecognized key: "via"');
      const id = await start(a, SCAFFOLDER_CARL);
      await expectRefused(a, () => complete(a, id, SCAFFOLDER_CARL, { result: 'success', actor: OWNER_USER }), 400, 'Unrecognized key: "actor"');
      // Carl's action on Olivia's service is Carl's row.
      expect(await a.store.getAudit(id)).toMatchObject({ actor: CONSUMER_USER, via: 'scaffolder', result: 'started' });
    });

    it.each([
      ['an unknown field', { ...attempt(), dryRun: true }, 'Unrecognized key: "dryRun"'],
      ['an action name without a dot', attempt({ action: 'allow' }), 'action: must be an action name like principals.allow'],
      ['an action name with blanks', attempt({ action: 'principals.allow all' }), 'action: must be an action name like principals.allow'],
      ['details over 16 KiB', attempt({ details: { blob: 'x'.repeat(16 * 1024) } }), 'details: must be at most 16 KiB of JSON'],
      ['details that are not an object', attempt({ details: ['x'] }), 'details'],
      ['no details', { ...attempt(), details: undefined }, 'details'],
      ['a result that is an outcome', attempt({ result: 'success' }), 'result'],
      ['a malformed account id', attempt({ accountId: '1234' }), 'accountId'],
      ['a malformed service id', attempt({ serviceId: 'svc-123' }), 'serviceId'],
    ])('answers 400 to an attempt with %s, writing nothing', async (_name, body, message) => {
      const a = await startApi();
      const res = await expectRefused(a, () => write(a, SCAFFOLDER_OLIVIA, body), 400, message);
      expect(res.body.error.name).toBe('InputError');
    });

    it.each([
      ['a result that is not an outcome', { result: 'started' }, 'result'],
      ['an unknown field', { result: 'success', accountId: OTHER }, 'Unrecognized key: "accountId"'],
      ['a subject that moves the row to another account', { result: 'success', subject: { accountId: OTHER } }, 'Unrecognized key: "accountId"'],
      ['details over 16 KiB', { result: 'success', details: { blob: 'x'.repeat(16 * 1024) } }, 'details: must be at most 16 KiB of JSON'],
    ])('answers 400 to an outcome with %s, changing nothing', async (_name, body, message) => {
      const a = await startApi();
      const id = await start(a);
      const res = await expectRefused(a, () => complete(a, id, SCAFFOLDER_OLIVIA, body), 400, message);
      expect(res.body.error.name).toBe('InputError');
    });

    it('answers 400 to an outcome for a malformed row id', async () => {
      const a = await startApi();
      await expectRefused(a, () => complete(a, 'abc', SCAFFOLDER_OLIVIA, { result: 'success' }), 400, 'Invalid path');
      await expectRefused(a, () => complete(a, 0, SCAFFOLDER_OLIVIA, { result: 'success' }), 400, 'Invalid path');
    });

    it('answers 403 to anyone but the scaffolder acting for a user, 401 without credentials, writing nothing', async () => {
      const a = await startApi();
      const id = await start(a);
      const refusals: Array<[string | undefined, number, string | undefined]> = [
        // The user themselves, calling the route directly.
        [OWNER, 403, NOT_THE_SCAFFOLDER],
        // Another plugin acting for the user.
        [viaPlugin(OWNER_USER, 'catalog'), 403, NOT_THE_SCAFFOLDER],
        // An on-behalf-of token that does not name its issuer.
        [mockCredentials.service.header({ onBehalfOf: mockCredentials.user(OWNER_USER), targetPluginId: 'privatelink' }), 403, NOT_THE_SCAFFOLDER],
        [SERVICE, 403, "does not allow 'service' credentials"],
        [NONE, 401, undefined],
        [undefined, 401, undefined],
      ];
      for (const [authorization, status, message] of refusals) {
        await expectRefused(a, () => write(a, authorization, attempt()), status, message);
        await expectRefused(a, () => complete(a, id, authorization, { result: 'success' }), status, message);
      }
      expect(await a.store.getAudit(id)).toMatchObject({ result: 'started' });
    });

    it('lets only the user a row was written for complete it, and only once', async () => {
      const a = await startApi();
      const id = await start(a, SCAFFOLDER_OLIVIA);
      await expectRefused(a, () => complete(a, id, SCAFFOLDER_CARL, { result: 'error', message: 'gone' }), 404, `No audit row ${id} of yours`);
      await expectRefused(a, () => complete(a, 9999, SCAFFOLDER_OLIVIA, { result: 'success' }), 404, 'No audit row 9999 of yours');
      // A row the API wrote for the same user is not the scaffolder's to complete.
      const filed = await fileRequest(a, CARL);
      const [apiRow] = await a.store.listAudit({ serviceRef: SERVICE_REF }, 1);
      expect(apiRow).toMatchObject({ actor: CONSUMER_USER, via: 'api', action: 'accessRequest.create', details: { requestId: filed.id } });
      await expectRefused(a, () => complete(a, apiRow.id, SCAFFOLDER_CARL, { result: 'error' }), 404, `No audit row ${apiRow.id} of yours`);

      await complete(a, id, SCAFFOLDER_OLIVIA, { result: 'success' }).expect(200, { id });
      await expectRefused(a, () => complete(a, id, SCAFFOLDER_OLIVIA, { result: 'error', message: 'late' }), 409, `Audit row ${id} is complete already`);
      // The first outcome stands.
      expect(await a.store.getAudit(id)).toEqual({
        id,
        actor: OWNER_USER,
        via: 'scaffolder',
        action: 'principals.allow',
        ...ORDERS_SUBJECT,
        details: { principals: [PRINCIPAL], taskId: 'task-1' },
        result: 'success',
        createdAt: expect.stringMatching(ISO),
        completedAt: expect.stringMatching(ISO),
      });
    });

    it("lists, for the service's owner, rows a scaffolder action wrote on its service id before the entity existed", async () => {
      const a = await startApi();
      // The create knows the service id only once AWS answers; no row has the entity ref.
      const created = await start(a, SCAFFOLDER_OLIVIA, {
        action: 'endpoint-service.create',
        accountId: PROVIDER,
        region: REGION,
        details: { loadBalancerArns: [NLB_ARN] },
        result: 'started',
      });
      await complete(a, created, SCAFFOLDER_OLIVIA, { result: 'success', subject: { serviceId: SERVICE_ID }, details: { serviceName: SERVICE_NAME } }).expect(200);
      const verified = await start(a, SCAFFOLDER_OLIVIA, {
        action: 'private-dns.verify',
        ...TARGET,
        details: { privateDnsName: PRIVATE_DNS },
        result: 'started',
      });
      // Rows on another service, and a create that never learnt its service id, are not orders-api's.
      await start(a, SCAFFOLDER_OLIVIA, { action: 'endpoint-service.create', accountId: PROVIDER, region: REGION, details: {}, result: 'started' });
      const billing = await start(a, SCAFFOLDER_OLIVIA, { action: 'endpoint-service.create', accountId: PROVIDER, region: REGION, details: {}, result: 'started' });
      await complete(a, billing, SCAFFOLDER_OLIVIA, { result: 'success', subject: { serviceId: OTHER_SERVICE_ID } }).expect(200);

      const expected = [
        {
          id: verified,
          actor: OWNER_USER,
          via: 'scaffolder',
          action: 'private-dns.verify',
          ...TARGET,
          details: { privateDnsName: PRIVATE_DNS },
          result: 'started',
          createdAt: expect.stringMatching(ISO),
        },
        {
          id: created,
          actor: OWNER_USER,
          via: 'scaffolder',
          action: 'endpoint-service.create',
          ...TARGET,
          details: { loadBalancerArns: [NLB_ARN], serviceName: SERVICE_NAME },
          result: 'success',
          createdAt: expect.stringMatching(ISO),
          completedAt: expect.stringMatching(ISO),
        },
      ];
      const audit = await api(a.server).get(`/v1/audit?serviceRef=${SERVICE_REF}`, OWNER);
      expect(audit.status).toBe(200);
      expect(audit.body.items).toEqual(expected);
      expect(audit.body.items.map((i: AuditEntry) => i.serviceRef)).toEqual([undefined, undefined]);
      await api(a.server).get('/v1/audit?serviceRef=component:default/orders', OWNER).expect(200);
      expect((await api(a.server).get('/v1/audit?serviceRef=component:default/orders', OWNER)).body.items).toEqual(expected);
    });
  });

  describe('GET /v1/audit', () => {
    it('shows owners the audit log of their service, newest first, up to a limit', async () => {
      const a = await startApi();
      const first = await fileRequest(a);
      await fileRequest(a, DANA, { accountId: CONSUMER });
      await api(a.server).post(`/v1/access-requests/${first.id}/deny`, OWNER, { reason: 'not now' }).expect(200);
      await fileRequest(a, CARL, { serviceRef: OTHER_SERVICE_REF });

      const all = await api(a.server).get(`/v1/audit?serviceRef=${SERVICE_REF}`, OWNER);
      expect(all.status).toBe(200);
      expect(all.body.items.map((i: any) => [i.actor, i.action])).toEqual([
        [OWNER_USER, 'accessRequest.deny'],
        [OTHER_USER, 'accessRequest.create'],
        [CONSUMER_USER, 'accessRequest.create'],
      ]);
      const ids = all.body.items.map((i: any) => i.id);
      expect([...ids].sort((x: number, y: number) => y - x)).toEqual(ids);
      const limited = await api(a.server).get(`/v1/audit?serviceRef=component:default/orders&limit=2`, OWNER);
      expect(limited.body.items.map((i: any) => i.id)).toEqual(ids.slice(0, 2));
      expect(ec2.calls()).toHaveLength(0);
    });

    it.each([
      ['no serviceRef', '', 'serviceRef'],
      ['a limit of 0', `?serviceRef=${SERVICE_REF}&limit=0`, 'limit'],
      ['a limit over 1000', `?serviceRef=${SERVICE_REF}&limit=1001`, 'limit'],
      ['a limit that is not a number', `?serviceRef=${SERVICE_REF}&limit=ten`, 'limit'],
      ['an unknown query field', `?serviceRef=${SERVICE_REF}&actor=x`, 'actor'],
    ])('answers 400 for %s', async (_name, query, field) => {
      const a = await startApi();
      const res = await api(a.server).get(`/v1/audit${query}`, OWNER);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(field);
    });

    it('answers 403 to a consumer, to another service owner and to services, 404 for an unknown service, 401 without credentials', async () => {
      const a = await startApi();
      await fileRequest(a);
      const forbidden = await api(a.server).get(`/v1/audit?serviceRef=${SERVICE_REF}`, CARL);
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.error.message).toBe(`privatelink.audit.read is not allowed on ${SERVICE_REF}`);
      await api(a.server).get(`/v1/audit?serviceRef=${OTHER_SERVICE_REF}`, OWNER).expect(403);
      await api(a.server).get(`/v1/audit?serviceRef=${SERVICE_REF}`, SERVICE).expect(403);
      await api(a.server).get('/v1/audit?serviceRef=resource:default/nope', OWNER).expect(404);
      await api(a.server).get(`/v1/audit?serviceRef=${SERVICE_REF}`).expect(401);
      await api(a.server).get(`/v1/audit?serviceRef=${SERVICE_REF}`, NONE).expect(401);
    });
  });
});
