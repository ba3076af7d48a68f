/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "expectRefused"] }] */
import {
  AcceptVpcEndpointConnectionsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointConnectionsCommand,
  DescribeVpcEndpointServicePermissionsCommand,
  EC2Client,
  ModifyVpcEndpointServicePermissionsCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  ModifyLoadBalancerAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  AuthService,
  BackstageCredentials,
  coreServices,
  createBackendModule,
  createServiceFactory,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ANNOTATION_LOCATION, ANNOTATION_ORIGIN_LOCATION, Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
// The real backend plugin next to the module: this test runs both in one backend.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import privatelinkPlugin from '@privatelink-backstage/plugin-privatelink-backend';
import {
  ANNOTATIONS,
  privatelinkOwnerPermissions,
  privatelinkResourceCreatePermission,
  VPC_ENDPOINT_SERVICE_TYPE,
} from '@privatelink-backstage/plugin-privatelink-common';
import { mockClient } from 'aws-sdk-client-mock';
import { Knex } from 'knex';
import request from 'supertest';
import { awsError } from './__testUtils__/clients';
import { scaffolderModulePrivateLink } from './module';

/**
 * The write path of the scaffolder actions through the framework: the real scaffolder backend runs the
 * templates (dry runs and tasks, over HTTP), the real catalog (SQLite) holds the synced service, a forged copy
 * of it, the org and the templates, and the real PrivateLink backend plugin keeps the audit log that the
 * actions write to over HTTP, with the token the scaffolder issues on behalf of the initiator. EC2 and ELB are
 * mocked at the SDK level, so every AWS command is recorded; a refusal must send none, read or write.
 */

// ---------------------------------------------------------------------------------------------------------
// The world: accounts, people, the service and its forged copy.
// ---------------------------------------------------------------------------------------------------------

const PROVIDER = '123456789012';
const UNCONFIGURED = '999999999999';
const REGION = 'us-east-1';
const SERVICE_ID = 'vpce-svc-0123456789abcdef0';
const SYNCED_LOCATION = `privatelink:aws/${PROVIDER}/${REGION}`;
const FORGED_LOCATION = 'url:https://example.com/catalog-info.yaml';

const OLIVIA = 'user:default/olivia';
const MALLORY = 'user:default/mallory';
const ORDERS = 'group:default/orders';
const PAYMENTS = 'group:default/payments';
const MEMBERS: Record<string, string[]> = { [OLIVIA]: [ORDERS], [MALLORY]: [PAYMENTS] };

const SERVICE_REF = 'resource:default/orders-api';
const FORGED_REF = 'resource:default/orders-api-copy';
const TARGET = { accountId: PROVIDER, region: REGION, serviceId: SERVICE_ID };
const CONSUMER_ROOT = 'arn:aws:iam::210987654321:root';
const EP_PENDING = 'vpce-0a1b2c3d4e5f60718';

const NLB = {
  name: 'orders-nlb',
  vpcId: 'vpc-0123456789abcdef0',
  subnetIds: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'],
  arn: `arn:aws:elasticloadbalancing:${REGION}:${PROVIDER}:loadbalancer/net/orders-nlb/0123456789abcdef`,
  tg: `arn:aws:elasticloadbalancing:${REGION}:${PROVIDER}:targetgroup/orders-nlb-tg/0123456789abcdef`,
  listener: `arn:aws:elasticloadbalancing:${REGION}:${PROVIDER}:listener/net/orders-nlb/0123456789abcdef/fedcba9876543210`,
};

const located = (location: string) => ({ [ANNOTATION_LOCATION]: location, [ANNOTATION_ORIGIN_LOCATION]: location });

function endpointService(name: string, owner: string, location: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        ...located(location),
        [ANNOTATIONS.accountId]: PROVIDER,
        [ANNOTATIONS.region]: REGION,
        [ANNOTATIONS.serviceId]: SERVICE_ID,
      },
    },
    spec: { type: VPC_ENDPOINT_SERVICE_TYPE, owner },
  };
}

const ORG_LOCATION = 'url:https://example.com/org.yaml';
const user = (ref: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: ref.split('/')[1], namespace: 'default', annotations: located(ORG_LOCATION) },
  spec: { memberOf: MEMBERS[ref] },
});
const group = (ref: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: ref.split('/')[1], namespace: 'default', annotations: located(ORG_LOCATION) },
  spec: { type: 'team', children: [] },
});

/** One template per action: a single step whose input comes from the parameters, its output the task's. */
const TEMPLATE_LOCATION = 'url:https://example.com/templates/privatelink.yaml';
function template(name: string, action: string, inputs: string[]): Entity {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name, namespace: 'default', annotations: located(TEMPLATE_LOCATION) },
    spec: {
      type: 'privatelink',
      owner: ORDERS,
      steps: [{ id: 'step', name: action, action, input: Object.fromEntries(inputs.map(i => [i, `\${{ parameters.${i} }}`])) }],
      output: { step: '${{ steps.step.output }}' },
    },
  };
}
const TEMPLATES = {
  allow: template('privatelink-allow', 'aws:privatelink:principals:allow', ['accountId', 'region', 'serviceId', 'principals']),
  accept: template('privatelink-accept', 'aws:privatelink:connections:accept', ['accountId', 'region', 'serviceId', 'endpointIds']),
  nlb: template('privatelink-nlb', 'aws:privatelink:nlb:create', ['accountId', 'region', 'name', 'vpcId', 'subnetIds', 'owner', 'timeoutSeconds']),
};

/** What the catalog module applies, each entity under its own location key. */
const CATALOG: Array<{ entity: Entity; locationKey: string }> = [
  { entity: endpointService('orders-api', ORDERS, SYNCED_LOCATION), locationKey: SYNCED_LOCATION },
  // Registered from a URL: same annotations as the synced one, but owned by mallory's team.
  { entity: endpointService('orders-api-copy', PAYMENTS, FORGED_LOCATION), locationKey: FORGED_LOCATION },
  ...[user(OLIVIA), user(MALLORY), group(ORDERS), group(PAYMENTS)].map(entity => ({ entity, locationKey: ORG_LOCATION })),
  ...Object.values(TEMPLATES).map(entity => ({ entity, locationKey: TEMPLATE_LOCATION })),
];

const testCatalog = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'privatelink-write-path-test',
  register(env) {
    env.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        catalog.addEntityProvider({
          getProviderName: () => 'privatelink-write-path-test',
          connect: connection => connection.applyMutation({ type: 'full', entities: CATALOG }),
        });
      },
    });
  },
});

// ---------------------------------------------------------------------------------------------------------
// Services: an owners-only policy, ownership refs per user, and tokens that say which plugin issued them.
// ---------------------------------------------------------------------------------------------------------

type Principal = { type: string; userEntityRef?: string };
const userOf = (credentials: BackstageCredentials) => (credentials.principal as Principal).userEntityRef;
const groupsOf = (credentials: BackstageCredentials) => MEMBERS[userOf(credentials) ?? ''] ?? [];

/** Owners of each entity and configured account, as the policy sees them; it would let mallory act on the copy. */
const ENTITY_OWNERS: Record<string, string> = { [SERVICE_REF]: ORDERS, [FORGED_REF]: PAYMENTS };
const ACCOUNT_OWNERS: Record<string, string> = { [PROVIDER]: ORDERS };
const OWNER_PERMISSIONS = new Set(privatelinkOwnerPermissions.map(p => p.name));

/** Owners-only: PrivateLink owner permissions for the entity's owners, create for the account's; else allowed. */
function decide(permission: string, resourceRef: string | undefined, credentials: BackstageCredentials) {
  let owner: string | undefined;
  if (OWNER_PERMISSIONS.has(permission)) owner = ENTITY_OWNERS[resourceRef ?? ''];
  else if (permission === privatelinkResourceCreatePermission.name) owner = ACCOUNT_OWNERS[resourceRef ?? ''];
  else return AuthorizeResult.ALLOW;
  return owner && groupsOf(credentials).includes(owner) ? AuthorizeResult.ALLOW : AuthorizeResult.DENY;
}

const permissions = mockServices.permissions.mock({
  authorize: (async (requests: Array<{ permission: { name: string }; resourceRef?: string }>, { credentials }: { credentials: BackstageCredentials }) =>
    requests.map(r => ({ result: decide(r.permission.name, r.resourceRef, credentials) }))) as any,
  // Catalog reads and the scaffolder's template and action checks: everybody may.
  authorizeConditional: (async (requests: unknown[]) => requests.map(() => ({ result: AuthorizeResult.ALLOW }))) as any,
});

/** The user's ownership refs: themselves and their groups (what the sign-in resolver puts in their token). */
const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: BackstageCredentials) {
      const ref = userOf(credentials);
      if (!ref) throw new Error(`No user info for a ${(credentials.principal as Principal).type} principal`);
      return { userEntityRef: ref, ownershipEntityRefs: [ref, ...groupsOf(credentials)] };
    },
  }),
});

const MOCK_SERVICE_TOKEN_PREFIX = 'mock-service-token:';

/**
 * The mock auth service, except that an on-behalf-of token for a user names the plugin that issued it (`sub`),
 * as the real one does; the mock leaves `sub` out for users.
 */
const authFactory = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }): AuthService {
    const auth = mockServices.auth({ pluginId: plugin.getId() });
    const issue = auth.getPluginRequestToken.bind(auth);
    auth.getPluginRequestToken = async options => {
      const principal = options.onBehalfOf.principal as Principal;
      if (principal.type !== 'user') return issue(options);
      const claims = { sub: `plugin:${plugin.getId()}`, obo: principal.userEntityRef, target: options.targetPluginId };
      return { token: `${MOCK_SERVICE_TOKEN_PREFIX}${JSON.stringify(claims)}` };
    };
    return auth;
  },
});

/**
 * The mock httpAuth service (no token: no credentials), except that for an on-behalf-of token it returns the user
 * with the issuing plugin as `principal.actor`, as the real DefaultAuthService does.
 */
const httpAuthFactory = createServiceFactory({
  service: coreServices.httpAuth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }): HttpAuthService {
    const mock = mockServices.httpAuth({ pluginId: plugin.getId(), defaultCredentials: mockCredentials.none() });
    return {
      credentials: (async (req: any, options: any) => {
        // The mock checks the token, its target plugin and the allowed principal types.
        const credentials = await mock.credentials(req, options);
        const token = /^Bearer[ ]+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
        if ((credentials.principal as Principal).type === 'user' && token.startsWith(MOCK_SERVICE_TOKEN_PREFIX)) {
          const { sub, obo } = JSON.parse(token.slice(MOCK_SERVICE_TOKEN_PREFIX.length));
          if (obo && sub) return mockCredentials.user(obo, { actor: { subject: sub } });
        }
        return credentials;
      }) as HttpAuthService['credentials'],
      issueUserCookie: (res, options) => mock.issueUserCookie(res, options),
    };
  },
});

/** The PrivateLink plugin's own database (the default SQLite one), to read its audit table. */
let knex: Knex;
const privatelinkDatabase = createBackendModule({
  pluginId: 'privatelink',
  moduleId: 'test-database',
  register(env) {
    env.registerInit({
      deps: { database: coreServices.database },
      async init({ database }) {
        knex = await database.getClient();
      },
    });
  },
});

// ---------------------------------------------------------------------------------------------------------
// AWS, mocked at the SDK level.
// ---------------------------------------------------------------------------------------------------------

const ec2 = mockClient(EC2Client);
const elb = mockClient(ElasticLoadBalancingV2Client);

/** The provider account: orders-api allows one principal and has a pending connection; no load balancer yet. */
function mockAws() {
  ec2.reset();
  elb.reset();
  ec2.on(DescribeVpcEndpointServicePermissionsCommand).resolves({ AllowedPrincipals: [{ Principal: 'arn:aws:iam::111111111111:root' }] });
  ec2.on(ModifyVpcEndpointServicePermissionsCommand).resolves({ ReturnValue: true });
  ec2.on(DescribeVpcEndpointConnectionsCommand).resolves({
    VpcEndpointConnections: [{ ServiceId: SERVICE_ID, VpcEndpointId: EP_PENDING, VpcEndpointOwner: '210987654321', VpcEndpointState: 'pendingAcceptance' as any }],
  });
  ec2.on(AcceptVpcEndpointConnectionsCommand).resolves({ Unsuccessful: [] });
  ec2.on(DescribeSubnetsCommand).resolves({
    Subnets: NLB.subnetIds.map((SubnetId, i) => ({ SubnetId, VpcId: NLB.vpcId, AvailabilityZone: `${REGION}${'ab'[i]}` })),
  });
  elb.on(DescribeLoadBalancersCommand, { Names: [NLB.name] }).rejects(awsError('LoadBalancerNotFoundException', 400));
  elb.on(DescribeLoadBalancersCommand, { LoadBalancerArns: [NLB.arn] }).resolves({ LoadBalancers: [{ LoadBalancerArn: NLB.arn, State: { Code: 'active' } }] });
  elb.on(CreateLoadBalancerCommand).resolves({ LoadBalancers: [{ LoadBalancerArn: NLB.arn, DNSName: 'orders-nlb.elb.amazonaws.com' }] });
  elb.on(DescribeLoadBalancerAttributesCommand).resolves({ Attributes: [{ Key: 'load_balancing.cross_zone.enabled', Value: 'false' }] });
  elb.on(ModifyLoadBalancerAttributesCommand).resolves({});
  elb.on(DescribeTargetGroupsCommand).rejects(awsError('TargetGroupNotFoundException', 400));
  elb.on(CreateTargetGroupCommand).resolves({ TargetGroups: [{ TargetGroupArn: NLB.tg }] });
  elb.on(DescribeListenersCommand).resolves({ Listeners: [] });
  elb.on(CreateListenerCommand).resolves({ Listeners: [{ ListenerArn: NLB.listener }] });
}

/** The names of the AWS commands sent since the last reset, EC2 and ELB alike. */
const awsCommands = () => [...ec2.calls(), ...elb.calls()].map(c => (c.args[0] as object).constructor.name);
const inputsOf = (mock: typeof ec2 | typeof elb, command: any) => mock.commandCalls(command).map(c => c.args[0].input);

// ---------------------------------------------------------------------------------------------------------
// The backend, and talking to it.
// ---------------------------------------------------------------------------------------------------------

type Server = Parameters<typeof request>[0];
let server: Server;

const as = (ref: string) => mockCredentials.user.header(ref);

async function startBackend() {
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleScaffolderEntityModel,
      testCatalog,
      scaffolderPlugin,
      scaffolderModulePrivateLink,
      privatelinkPlugin,
      permissions.factory,
      userInfoFactory,
      authFactory,
      httpAuthFactory,
      privatelinkDatabase,
      createServiceFactory({ service: notificationService, deps: {}, factory: () => ({ send: async () => {} }) }),
      mockServices.rootConfig.factory({
        data: {
          catalog: {
            rules: [{ allow: ['Resource', 'User', 'Group', 'Template', 'Location'] }],
            processingInterval: { seconds: 1 },
          },
          // Static credentials: no STS call, and every command ends at the SDK mocks.
          aws: {
            accounts: [PROVIDER, UNCONFIGURED].map(accountId => ({ accountId, accessKeyId: 'test', secretAccessKey: 'test' })),
          },
          privatelink: {
            // A closed loopback port: should anything slip past the SDK mocks, it reaches nothing.
            endpoint: 'http://127.0.0.1:9',
            regions: [REGION],
            accounts: [{ accountId: PROVIDER, name: 'shared-services', owner: ORDERS }],
            sync: { enabled: false },
          },
        },
      }),
    ],
  });
  server = backend.server;
}

/** Polls the catalog's API until it has processed every entity the test module applied. */
async function untilCatalogHolds(entities: Entity[]) {
  const refs = entities.map(e => `${e.kind.toLocaleLowerCase('en-US')}:default/${e.metadata.name}`).sort();
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await request(server).post('/api/catalog/entities/by-refs').set('Authorization', as(OLIVIA)).send({ entityRefs: refs });
    const found = (res.body.items ?? []).filter(Boolean).length;
    if (res.status === 200 && found === refs.length) return;
    if (Date.now() > deadline) throw new Error(`The catalog holds ${found} of ${refs.length} entities: ${res.status}`);
    await new Promise(resolve => setTimeout(resolve, 200)); // the catalog's processing loop runs on its own clock
  }
}

type Template = keyof typeof TEMPLATES;
/** How a dry run or task ended: its error, if any, and the template's output (the step's). */
type RunResult = { status: 'completed' | 'failed'; error?: { name: string; message: string }; output?: any; httpStatus?: number };

async function dryRun(userRef: string, name: Template, values: object): Promise<RunResult> {
  const res = await request(server)
    .post('/api/scaffolder/v2/dry-run')
    .set('Authorization', as(userRef))
    .send({ template: TEMPLATES[name], values, secrets: {}, directoryContents: [] });
  if (res.status === 200) return { status: 'completed', output: res.body.output.step };
  return { status: 'failed', error: { name: res.body.error?.name, message: res.body.error?.message }, httpStatus: res.status };
}

async function runTask(userRef: string, name: Template, values: object): Promise<RunResult> {
  const created = await request(server)
    .post('/api/scaffolder/v2/tasks')
    .set('Authorization', as(userRef))
    .send({ templateRef: `template:default/${TEMPLATES[name].metadata.name}`, values });
  expect(created.status).toBe(201);
  const id = created.body.id;
  const deadline = Date.now() + 30_000;
  let status: string;
  for (;;) {
    const task = await request(server).get(`/api/scaffolder/v2/tasks/${id}`).set('Authorization', as(userRef));
    status = task.body.status;
    if (['completed', 'failed', 'cancelled'].includes(status)) break;
    if (Date.now() > deadline) throw new Error(`Task ${id} is still ${status}`);
    await new Promise(resolve => setTimeout(resolve, 100)); // the task worker runs on its own clock
  }
  // The completion event carries the error (name and message) or the template's output.
  const events = await request(server).get(`/api/scaffolder/v2/tasks/${id}/events`).set('Authorization', as(userRef));
  const completion = (events.body as Array<{ type: string; body: any }>).find(e => e.type === 'completion');
  return { status: status as RunResult['status'], error: completion?.body.error, output: completion?.body.output?.step };
}

const run = (mode: 'dry run' | 'real run', userRef: string, name: Template, values: object) =>
  mode === 'dry run' ? dryRun(userRef, name, values) : runTask(userRef, name, values);

/** The audit rows in the PrivateLink plugin's database, oldest first. */
async function auditRows() {
  const rows = await knex('privatelink_audit').orderBy('id');
  return rows.map(r => ({
    id: Number(r.id),
    actor: r.actor,
    via: r.via,
    action: r.action,
    serviceRef: r.service_ref ?? undefined,
    accountId: r.account_id ?? undefined,
    region: r.region ?? undefined,
    serviceId: r.service_id ?? undefined,
    details: JSON.parse(r.details),
    result: r.result,
    message: r.message ?? undefined,
  }));
}

/** The audit log of orders-api as its owner reads it, through the plugin's route. */
async function ordersAuditAsOlivia() {
  const res = await request(server).get(`/api/privatelink/v1/audit?serviceRef=${SERVICE_REF}`).set('Authorization', as(OLIVIA));
  expect(res.status).toBe(200);
  return res.body.items as Array<{ id: number; actor: string; via: string; action: string; result: string; message?: string }>;
}

/** Runs and returns the one audit row that the run wrote (failing when it wrote none or several). */
async function runWritingOneRow(mode: 'dry run' | 'real run', userRef: string, name: Template, values: object) {
  const before = await auditRows();
  const result = await run(mode, userRef, name, values);
  const after = await auditRows();
  expect(after.slice(0, before.length)).toEqual(before);
  expect(after.slice(before.length)).toHaveLength(1);
  return { result, row: after[after.length - 1] };
}

/** A refusal, in a dry run or a real run. */
interface Refusal {
  user: string;
  values: object;
  /** The whole message of the NotAllowedError. */
  message: string;
  /** The row's subject and details, besides actor, via, action and result. */
  row: Record<string, unknown>;
  /** Whether orders-api's owners see the row in its audit log. */
  onOrdersApi: boolean;
}

/**
 * Runs a template that must be refused: it fails with the refusal, not one AWS command was sent (read or write),
 * and exactly one `refused` row was written, by the initiator through the scaffolder.
 */
async function expectRefused(mode: 'dry run' | 'real run', name: Template, action: string, refusal: Refusal) {
  const { result, row } = await runWritingOneRow(mode, refusal.user, name, refusal.values);
  expect(result).toMatchObject({ status: 'failed', error: { name: 'NotAllowedError', message: refusal.message } });
  // The dry-run route answers with the refusal's own status.
  if (mode === 'dry run') expect(result.httpStatus).toBe(403);
  expect(awsCommands()).toEqual([]);
  expect(row).toEqual({
    id: expect.any(Number),
    actor: refusal.user,
    via: 'scaffolder',
    action,
    serviceRef: undefined,
    region: undefined,
    serviceId: undefined,
    ...refusal.row,
    result: 'refused',
    message: refusal.message,
  });
  const listed = (await ordersAuditAsOlivia()).filter(r => r.id === row.id);
  expect(listed).toEqual(
    refusal.onOrdersApi ? [expect.objectContaining({ actor: refusal.user, via: 'scaffolder', action, result: 'refused' })] : [],
  );
}

// ---------------------------------------------------------------------------------------------------------

beforeAll(async () => {
  await startBackend();
  await untilCatalogHolds(CATALOG.map(c => c.entity));
}, 90_000);

beforeEach(() => mockAws());
afterAll(() => {
  ec2.restore();
  elb.restore();
});

const MODES = ['dry run', 'real run'] as const;
const ORDERS_SUBJECT = { serviceRef: SERVICE_REF, ...TARGET };

describe('the premises', () => {
  it('the catalog holds the synced service and a forged copy with its annotations, which the policy gives to payments', async () => {
    const res = await request(server)
      .get(`/api/catalog/entities/by-query?filter=metadata.annotations.${ANNOTATIONS.serviceId}=${SERVICE_ID}`)
      .set('Authorization', as(MALLORY));
    const byName = Object.fromEntries(
      (res.body.items as Entity[]).map(e => [e.metadata.name, { owner: e.spec?.owner, location: e.metadata.annotations?.[ANNOTATION_LOCATION] }]),
    );
    expect(byName).toEqual({
      'orders-api': { owner: ORDERS, location: SYNCED_LOCATION },
      'orders-api-copy': { owner: PAYMENTS, location: FORGED_LOCATION },
    });
    const mallory = mockCredentials.user(MALLORY);
    expect(decide('privatelink.principal.manage', FORGED_REF, mallory)).toBe(AuthorizeResult.ALLOW);
    expect(decide('privatelink.principal.manage', SERVICE_REF, mallory)).toBe(AuthorizeResult.DENY);
  });
});

describe('the audit routes', () => {
  const attempt = { action: 'principals.allow', ...ORDERS_SUBJECT, details: {}, result: 'refused', message: 'forged' };

  it('refuse a plain user token, and an on-behalf-of token another plugin issued, writing nothing', async () => {
    const before = await auditRows();
    const plain = await request(server).post('/api/privatelink/v1/audit/attempts').set('Authorization', as(OLIVIA)).send(attempt);
    expect(plain.status).toBe(403);
    expect(plain.body.error.name).toBe('NotAllowedError');
    const outcome = await request(server)
      .post('/api/privatelink/v1/audit/attempts/1/outcome')
      .set('Authorization', as(OLIVIA))
      .send({ result: 'success' });
    expect(outcome.status).toBe(403);
    const byCatalog = `${MOCK_SERVICE_TOKEN_PREFIX}${JSON.stringify({ sub: 'plugin:catalog', obo: OLIVIA, target: 'privatelink' })}`;
    const other = await request(server).post('/api/privatelink/v1/audit/attempts').set('Authorization', `Bearer ${byCatalog}`).send(attempt);
    expect(other.status).toBe(403);
    expect(await auditRows()).toEqual(before);
    expect(awsCommands()).toEqual([]);
  });
});

describe('aws:privatelink:principals:allow', () => {
  const values = (overrides: object = {}) => ({ ...TARGET, principals: [CONSUMER_ROOT], ...overrides });

  it('dry run as the owner: reads the principals, changes nothing, writes no row', async () => {
    const before = await auditRows();
    const result = await dryRun(OLIVIA, 'allow', values());
    expect(result).toEqual({ status: 'completed', output: { added: [CONSUMER_ROOT], alreadyAllowed: [] } });
    expect(awsCommands()).toEqual(['DescribeVpcEndpointServicePermissionsCommand']);
    expect(await auditRows()).toEqual(before);
  });

  it('real run as the owner: allows the principal, with a success row that the owner reads', async () => {
    const { result, row } = await runWritingOneRow('real run', OLIVIA, 'allow', values());
    expect(result).toEqual({ status: 'completed', output: { added: [CONSUMER_ROOT], alreadyAllowed: [] } });
    expect(awsCommands()).toEqual(['DescribeVpcEndpointServicePermissionsCommand', 'ModifyVpcEndpointServicePermissionsCommand']);
    expect(inputsOf(ec2, ModifyVpcEndpointServicePermissionsCommand)).toEqual([{ ServiceId: SERVICE_ID, AddAllowedPrincipals: [CONSUMER_ROOT] }]);
    expect(row).toMatchObject({ actor: OLIVIA, via: 'scaffolder', action: 'principals.allow', ...ORDERS_SUBJECT, result: 'success' });
    expect((await ordersAuditAsOlivia()).find(r => r.id === row.id)).toMatchObject({
      actor: OLIVIA,
      via: 'scaffolder',
      action: 'principals.allow',
      result: 'success',
    });
  });

  describe.each(MODES)('%s: refused', mode => {
    const dry = mode === 'dry run' ? { dryRun: true } : {};

    it('for a non-owner', async () => {
      await expectRefused(mode, 'allow', 'principals.allow', {
        user: MALLORY,
        values: values(),
        message: `privatelink.principal.manage is not allowed on ${SERVICE_REF}`,
        row: { ...ORDERS_SUBJECT, details: { principals: [CONSUMER_ROOT], ...dry } },
        onOrdersApi: true,
      });
    });

    it('in an account that is not configured, even for the owner', async () => {
      await expectRefused(mode, 'allow', 'principals.allow', {
        user: OLIVIA,
        values: values({ accountId: UNCONFIGURED }),
        message: `Account ${UNCONFIGURED} is not configured under privatelink.accounts`,
        // Refused while resolving the service: the row still says what was attempted.
        row: { accountId: UNCONFIGURED, region: REGION, serviceId: SERVICE_ID, details: { principals: [CONSUMER_ROOT], ...dry } },
        // The service id is orders-api's: its owners see who tried it in another account.
        onOrdersApi: true,
      });
    });

    it('for the owner of a forged copy: the write path acts on the synced entity only', async () => {
      permissions.authorize.mockClear();
      await expectRefused(mode, 'allow', 'principals.allow', {
        user: MALLORY,
        values: values(),
        message: `privatelink.principal.manage is not allowed on ${SERVICE_REF}`,
        row: { ...ORDERS_SUBJECT, details: { principals: [CONSUMER_ROOT], ...dry } },
        onOrdersApi: true,
      });
      const asked = permissions.authorize.mock.calls.flatMap(([requests]) => requests.map(r => ('resourceRef' in r ? r.resourceRef : undefined)));
      expect(asked).toContain(SERVICE_REF);
      expect(asked).not.toContain(FORGED_REF);
    });
  });
});

describe('aws:privatelink:connections:accept', () => {
  const values = (overrides: object = {}) => ({ ...TARGET, endpointIds: [EP_PENDING], ...overrides });

  it('dry run as the owner: reads the connections, accepts nothing, writes no row', async () => {
    const before = await auditRows();
    const result = await dryRun(OLIVIA, 'accept', values());
    expect(result).toEqual({ status: 'completed', output: { accepted: [EP_PENDING], unchanged: [] } });
    expect(awsCommands()).toEqual(['DescribeVpcEndpointConnectionsCommand']);
    expect(await auditRows()).toEqual(before);
  });

  it('real run as the owner: accepts the connection, with a success row that the owner reads', async () => {
    const { result, row } = await runWritingOneRow('real run', OLIVIA, 'accept', values());
    expect(result).toEqual({ status: 'completed', output: { accepted: [EP_PENDING], unchanged: [] } });
    expect(awsCommands()).toEqual(['DescribeVpcEndpointConnectionsCommand', 'AcceptVpcEndpointConnectionsCommand']);
    expect(inputsOf(ec2, AcceptVpcEndpointConnectionsCommand)).toEqual([{ ServiceId: SERVICE_ID, VpcEndpointIds: [EP_PENDING] }]);
    expect(row).toMatchObject({ actor: OLIVIA, via: 'scaffolder', action: 'connections.accept', ...ORDERS_SUBJECT, result: 'success' });
    expect((await ordersAuditAsOlivia()).find(r => r.id === row.id)).toMatchObject({
      actor: OLIVIA,
      via: 'scaffolder',
      action: 'connections.accept',
      result: 'success',
    });
  });

  describe.each(MODES)('%s: refused', mode => {
    const dry = mode === 'dry run' ? { dryRun: true } : {};

    it('for a non-owner', async () => {
      await expectRefused(mode, 'accept', 'connections.accept', {
        user: MALLORY,
        values: values(),
        message: `privatelink.connection.review is not allowed on ${SERVICE_REF}`,
        row: { ...ORDERS_SUBJECT, details: { endpointIds: [EP_PENDING], ...dry } },
        onOrdersApi: true,
      });
    });

    it('in an account that is not configured, even for the owner', async () => {
      await expectRefused(mode, 'accept', 'connections.accept', {
        user: OLIVIA,
        values: values({ accountId: UNCONFIGURED }),
        message: `Account ${UNCONFIGURED} is not configured under privatelink.accounts`,
        // As for principals:allow: refused while resolving the service, saying what was attempted.
        row: { accountId: UNCONFIGURED, region: REGION, serviceId: SERVICE_ID, details: { endpointIds: [EP_PENDING], ...dry } },
        onOrdersApi: true,
      });
    });

    it('for the owner of a forged copy: the write path acts on the synced entity only', async () => {
      permissions.authorize.mockClear();
      await expectRefused(mode, 'accept', 'connections.accept', {
        user: MALLORY,
        values: values(),
        message: `privatelink.connection.review is not allowed on ${SERVICE_REF}`,
        row: { ...ORDERS_SUBJECT, details: { endpointIds: [EP_PENDING], ...dry } },
        onOrdersApi: true,
      });
      const asked = permissions.authorize.mock.calls.flatMap(([requests]) => requests.map(r => ('resourceRef' in r ? r.resourceRef : undefined)));
      expect(asked).not.toContain(FORGED_REF);
    });
  });
});

describe('aws:privatelink:nlb:create', () => {
  const values = (overrides: object = {}) => ({
    accountId: PROVIDER,
    region: REGION,
    name: NLB.name,
    vpcId: NLB.vpcId,
    subnetIds: NLB.subnetIds,
    owner: ORDERS,
    timeoutSeconds: 60,
    ...overrides,
  });
  const details = (overrides: object = {}) => ({ name: NLB.name, vpcId: NLB.vpcId, subnetIds: NLB.subnetIds, owner: ORDERS, ...overrides });

  it('dry run as a member of the account owner: no AWS call, no row', async () => {
    const before = await auditRows();
    const result = await dryRun(OLIVIA, 'nlb', values());
    expect(result).toMatchObject({ status: 'completed', output: { created: true, loadBalancerArn: expect.stringContaining(`loadbalancer/net/${NLB.name}/`) } });
    expect(awsCommands()).toEqual([]);
    expect(await auditRows()).toEqual(before);
  });

  it('real run as a member of the account owner: creates the load balancer, with a success row', async () => {
    const { result, row } = await runWritingOneRow('real run', OLIVIA, 'nlb', values());
    expect(result).toEqual({
      status: 'completed',
      output: { loadBalancerArn: NLB.arn, targetGroupArn: NLB.tg, listenerArn: NLB.listener, dnsName: 'orders-nlb.elb.amazonaws.com', created: true },
    });
    expect(inputsOf(elb, CreateLoadBalancerCommand)).toEqual([
      expect.objectContaining({ Name: NLB.name, Type: 'network', Scheme: 'internal', Subnets: NLB.subnetIds }),
    ]);
    expect(inputsOf(elb, CreateTargetGroupCommand)).toEqual([expect.objectContaining({ Name: `${NLB.name}-tg`, VpcId: NLB.vpcId })]);
    expect(inputsOf(elb, CreateListenerCommand)).toEqual([expect.objectContaining({ LoadBalancerArn: NLB.arn, Port: 443 })]);
    expect(awsCommands()).toContain('DescribeSubnetsCommand');
    // A load balancer has no service entity yet: the row names the account and region.
    expect(row).toMatchObject({ actor: OLIVIA, via: 'scaffolder', action: 'nlb.create', accountId: PROVIDER, region: REGION, result: 'success' });
    expect(row.serviceRef).toBeUndefined();
  });

  describe.each(MODES)('%s: refused', mode => {
    const dry = mode === 'dry run' ? { dryRun: true } : {};
    const subject = { accountId: PROVIDER, region: REGION };

    it('for someone who may not create in the account', async () => {
      await expectRefused(mode, 'nlb', 'nlb.create', {
        user: MALLORY,
        values: values({ owner: PAYMENTS }),
        message: `privatelink.resource.create is not allowed on account ${PROVIDER}`,
        row: { ...subject, details: details({ owner: PAYMENTS, ...dry }) },
        onOrdersApi: false,
      });
    });

    it('in an account that is not configured, even for a member of the owner', async () => {
      await expectRefused(mode, 'nlb', 'nlb.create', {
        user: OLIVIA,
        values: values({ accountId: UNCONFIGURED }),
        message: `Account ${UNCONFIGURED} is not configured under privatelink.accounts; PrivateLink creates nothing there`,
        row: { accountId: UNCONFIGURED, region: REGION, details: details(dry) },
        onOrdersApi: false,
      });
    });

    it('for an owner the initiator does not belong to (a forged owner tag)', async () => {
      await expectRefused(mode, 'nlb', 'nlb.create', {
        user: OLIVIA,
        values: values({ owner: PAYMENTS }),
        message: `You may only create resources owned by yourself or a group you belong to, not by ${PAYMENTS}`,
        row: { ...subject, details: details({ owner: PAYMENTS, ...dry }) },
        onOrdersApi: false,
      });
    });
  });
});
