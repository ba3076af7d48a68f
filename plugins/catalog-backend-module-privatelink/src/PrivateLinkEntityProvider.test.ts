import {
  DescribeVpcEndpointConnectionsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointServicePermissionsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { AwsStub, mockClient } from 'aws-sdk-client-mock';
import { ConfigReader } from '@backstage/config';
import {
  configurationsPage,
  connection,
  CONSUMER,
  endpointId,
  PROVIDER,
  REGION,
  serviceConfiguration,
  serviceId,
  vpcEndpoint,
} from './__fixtures__/ec2';
import { readPrivateLinkConfig } from '@privatelink-backstage/plugin-privatelink-node';
import { PrivateLinkEntityProvider } from './PrivateLinkEntityProvider';

const config = readPrivateLinkConfig(
  new ConfigReader({
    privatelink: {
      regions: [REGION],
      accounts: [
        { accountId: PROVIDER, name: 'shared-services', owner: 'group:default/platform' },
        { accountId: CONSUMER, name: 'payments-prod', owner: 'group:default/payments', system: 'payments' },
      ],
      defaultOwner: 'group:default/cloud',
      sync: { concurrency: 2 },
    },
  }),
);

type Stub = AwsStub<any, any, any>;

function setup() {
  const clients: Record<string, EC2Client> = { [PROVIDER]: new EC2Client({ region: REGION }), [CONSUMER]: new EC2Client({ region: REGION }) };
  const mocks: Record<string, Stub> = { [PROVIDER]: mockClient(clients[PROVIDER]), [CONSUMER]: mockClient(clients[CONSUMER]) };
  for (const m of Object.values(mocks)) {
    m.on(DescribeVpcEndpointServiceConfigurationsCommand).resolves({ ServiceConfigurations: [] });
    m.on(DescribeVpcEndpointServicePermissionsCommand).resolves({ AllowedPrincipals: [] });
    m.on(DescribeVpcEndpointConnectionsCommand).resolves({ VpcEndpointConnections: [] });
    m.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [] });
  }
  const denied = new Set<string>();
  const factory = {
    ec2: jest.fn(async ({ accountId }: { accountId: string }) => {
      if (denied.has(accountId)) {
        throw Object.assign(new Error(`User is not authorized to perform sts:AssumeRole on ${accountId}`), { name: 'AccessDenied' });
      }
      return clients[accountId];
    }),
  };
  const mutations: any[] = [];
  const providerConnection: EntityProviderConnection = {
    applyMutation: jest.fn(async m => void mutations.push(m)),
    refresh: jest.fn(),
  };
  return { clients, mocks, denied, factory, mutations, connection: providerConnection };
}

function givenDemo(mocks: Record<string, Stub>) {
  const p = mocks[PROVIDER];
  p.on(DescribeVpcEndpointServiceConfigurationsCommand)
    .resolvesOnce(configurationsPage([serviceConfiguration(1, { name: 'orders-api', owner: 'group:default/orders', component: 'orders-api' })], 'page-2'))
    .resolvesOnce(configurationsPage([serviceConfiguration(2, { name: 'auth-service', privateDnsName: 'auth.internal.example.com', acceptanceRequired: false })]));
  p.on(DescribeVpcEndpointServicePermissionsCommand, { ServiceId: serviceId(1) }).resolves({
    AllowedPrincipals: [{ Principal: `arn:aws:iam::${CONSUMER}:root`, PrincipalType: 'Account' }],
  });
  p.on(DescribeVpcEndpointConnectionsCommand).resolves({
    VpcEndpointConnections: [connection(10, 1, 'pendingAcceptance'), connection(11, 2, 'available'), connection(12, 2, 'available', '999999999999')],
  });
  mocks[CONSUMER].on(DescribeVpcEndpointsCommand).resolves({
    VpcEndpoints: [
      vpcEndpoint(10, 1, { owner: 'group:default/payments', component: 'payments-api' }),
      vpcEndpoint(11, 2, { component: 'payments-api' }),
      vpcEndpoint(20, 0, { serviceName: 'com.amazonaws.us-east-1.s3' }),
    ],
  });
}

const byName = (mutation: any) =>
  Object.fromEntries(mutation.entities.map(({ entity }: { entity: Entity }) => [entity.metadata.name, entity])) as Record<string, Entity>;

describe('PrivateLinkEntityProvider', () => {
  it('emits services and consumers with owners, relations and annotations, reading every page', async () => {
    const { mocks, factory, mutations, connection: conn } = setup();
    givenDemo(mocks);
    const provider = new PrivateLinkEntityProvider({ config, clients: factory, logger: mockServices.logger.mock() });
    await provider.connect(conn);

    const report = await provider.refresh();

    expect(report.mutation).toBe('full');
    expect(report.targets.every(t => t.ok)).toBe(true);
    expect(mocks[PROVIDER].commandCalls(DescribeVpcEndpointServiceConfigurationsCommand)).toHaveLength(2);
    expect(mocks[PROVIDER].commandCalls(DescribeVpcEndpointServiceConfigurationsCommand)[1].args[0].input).toMatchObject({ NextToken: 'page-2', MaxResults: 1000 });
    expect(mocks[PROVIDER].commandCalls(DescribeVpcEndpointServicePermissionsCommand)).toHaveLength(2);

    const entities = byName(mutations[0]);
    expect(Object.keys(entities).sort()).toEqual(['auth-service', endpointId(10), endpointId(11), endpointId(12), endpointId(20), 'orders-api'].sort());

    const orders = entities['orders-api'];
    expect(orders.spec).toEqual({ type: 'vpc-endpoint-service', owner: 'group:default/orders', dependencyOf: ['component:default/orders-api'] });
    expect(orders.metadata.annotations).toMatchObject({
      'amazonaws.com/account-id': PROVIDER,
      'amazonaws.com/arn': `arn:aws:ec2:${REGION}:${PROVIDER}:vpc-endpoint-service/${serviceId(1)}`,
      'privatelink.io/service-id': serviceId(1),
      'privatelink.io/acceptance-required': 'true',
      'backstage.io/view-url': expect.stringContaining(`EndpointServiceDetails:endpointServiceId=${serviceId(1)}`),
      'backstage.io/managed-by-location': `privatelink:aws/${PROVIDER}/${REGION}`,
    });
    expect(orders.metadata.labels).toEqual({ 'aws-tag.privatelink.io/cost-center': 'CC-1234-shared' });
    expect(orders.metadata.annotations!['privatelink.io/allowed-principals']).toBe(`arn:aws:iam::${CONSUMER}:root`);
    expect(entities['auth-service'].metadata.annotations!['privatelink.io/allowed-principals']).toBe('');

    // No owner tag: the account's owner, never `unknown`.
    expect(entities['auth-service'].spec!.owner).toBe('group:default/platform');
    expect(entities['auth-service'].metadata.annotations!['privatelink.io/private-dns-state']).toBe('pendingVerification');

    // Consumer read in its own account: tags, state from the provider's view, relations both ways.
    const payments = entities[endpointId(10)];
    expect(payments.spec).toEqual({
      type: 'vpc-endpoint',
      owner: 'group:default/payments',
      system: 'system:default/payments',
      dependsOn: ['resource:default/orders-api'],
      dependencyOf: ['component:default/payments-api'],
    });
    expect(payments.metadata.annotations!['privatelink.io/state']).toBe('pendingAcceptance');
    expect(payments.metadata.annotations!['privatelink.io/vpc-id']).toBe('vpc-0a1b2c3d4e5f60718');
    // No owner tag on the endpoint: the consumer account's owner.
    expect(entities[endpointId(11)].spec!.owner).toBe('group:default/payments');
    // Connected from an account nobody configured: only the provider saw it; the default owner.
    expect(entities[endpointId(12)].spec).toMatchObject({ owner: 'group:default/cloud', dependsOn: ['resource:default/auth-service'] });
    // An endpoint to an AWS service depends on no emitted service.
    expect(entities[endpointId(20)].spec).not.toHaveProperty('dependsOn');
  });

  it('falls back to the consumer-side view when DescribeVpcEndpointConnections is not available', async () => {
    const { mocks, factory, mutations, connection: conn } = setup();
    givenDemo(mocks);
    mocks[PROVIDER].on(DescribeVpcEndpointConnectionsCommand).rejects(
      Object.assign(new Error('The action DescribeVpcEndpointConnections is not valid for this web service.'), { name: 'InvalidAction' }),
    );
    const provider = new PrivateLinkEntityProvider({ config, clients: factory, logger: mockServices.logger.mock() });
    await provider.connect(conn);

    const report = await provider.refresh();

    expect(report.targets.find(t => t.accountId === PROVIDER)!.warnings[0]).toContain('DescribeVpcEndpointConnections failed');
    const entities = byName(mutations[0]);
    expect(entities[endpointId(10)].spec!.dependsOn).toEqual(['resource:default/orders-api']);
    expect(entities[endpointId(10)].metadata.annotations!['privatelink.io/state']).toBe('available');
    expect(entities[endpointId(12)]).toBeUndefined();
  });

  it('keeps a failing account\'s last good entities, marked stale, while the others update', async () => {
    const { mocks, factory, mutations, connection: conn, denied } = setup();
    givenDemo(mocks);
    const provider = new PrivateLinkEntityProvider({ config, clients: factory, logger: mockServices.logger.mock() });
    await provider.connect(conn);
    const beforeFirstRead = new Date().toISOString();
    await provider.refresh();
    const afterFirstRead = new Date().toISOString();

    // The consumer account's credentials are now denied, and auth-service was deleted in the provider account.
    denied.add(CONSUMER);
    mocks[PROVIDER].on(DescribeVpcEndpointServiceConfigurationsCommand).resolves(
      configurationsPage([serviceConfiguration(1, { name: 'orders-api', owner: 'group:default/orders', component: 'orders-api' })]),
    );
    mocks[PROVIDER].on(DescribeVpcEndpointConnectionsCommand).resolves({ VpcEndpointConnections: [connection(10, 1, 'available')] });
    const report = await provider.refresh();

    expect(report.mutation).toBe('full');
    expect(report.targets.find(t => t.accountId === CONSUMER)).toMatchObject({ ok: false, error: expect.stringContaining('AccessDenied') });
    const entities = byName(mutations[1]);
    expect(entities['auth-service']).toBeUndefined();
    expect(entities['orders-api']).toBeDefined();
    // The consumer's own endpoints are still there, stale since the first read.
    const kept = entities[endpointId(10)];
    const staleSince = kept.metadata.annotations!['privatelink.io/stale-since'];
    expect(staleSince >= beforeFirstRead && staleSince <= afterFirstRead).toBe(true);
    expect(kept.spec!.dependencyOf).toEqual(['component:default/payments-api']);
    expect(kept.metadata.annotations!['privatelink.io/state']).toBe('available');
    expect(entities[endpointId(20)].metadata.annotations!['privatelink.io/stale-since']).toEqual(expect.any(String));
    expect(entities['orders-api'].metadata.annotations).not.toHaveProperty(['privatelink.io/stale-since']);
  });

  it('after a restart, takes a failing account\'s entities back from the catalog; without them it only adds', async () => {
    const { mocks, factory, mutations, connection: conn, denied } = setup();
    givenDemo(mocks);
    denied.add(CONSUMER);
    const lastEmitted: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name: endpointId(10), uid: 'x', etag: 'y', annotations: { 'privatelink.io/endpoint-id': endpointId(10) } },
      spec: { type: 'vpc-endpoint', owner: 'group:default/payments' },
      relations: [],
    };
    const loadLastEmitted = jest.fn(async () => [lastEmitted]);
    const provider = new PrivateLinkEntityProvider({ config, clients: factory, logger: mockServices.logger.mock(), loadLastEmitted });
    await provider.connect(conn);

    await provider.refresh();
    expect(loadLastEmitted).toHaveBeenCalledWith(`privatelink:aws/${CONSUMER}/${REGION}`);
    const kept = mutations[0].entities.find((e: any) => e.entity.metadata.name === endpointId(10)).entity;
    expect(kept).not.toHaveProperty('relations');
    expect(kept.metadata).not.toHaveProperty('uid');
    expect(kept.metadata.annotations['privatelink.io/stale-since']).toEqual(expect.any(String));

    const failingLoader = new PrivateLinkEntityProvider({
      config,
      clients: factory,
      logger: mockServices.logger.mock(),
      loadLastEmitted: async () => {
        throw new Error('catalog unavailable');
      },
    });
    await failingLoader.connect(conn);
    const report = await failingLoader.refresh();
    expect(report.mutation).toBe('delta');
    expect(mutations[1]).toMatchObject({ type: 'delta', removed: [] });
  });

  it('stops an aborted run: the call in flight is abandoned, nothing more is read, and no mutation is applied', async () => {
    const { mocks, factory, mutations, connection: conn } = setup();
    givenDemo(mocks);
    const logger = mockServices.logger.mock();
    const provider = new PrivateLinkEntityProvider({ config, clients: factory, logger });
    await provider.connect(conn);
    await provider.refresh();
    expect(mutations).toHaveLength(1);

    // The next run: every service and endpoint is gone in the consumer account (read at once), while the
    // provider account's first call never answers, until the run is aborted.
    mocks[CONSUMER].on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [] });
    let reached!: () => void;
    const hanging = new Promise<void>(resolve => (reached = resolve));
    mocks[PROVIDER].on(DescribeVpcEndpointServiceConfigurationsCommand).callsFake(() => {
      reached();
      return new Promise(() => {});
    });
    mocks[PROVIDER].resetHistory();
    const controller = new AbortController();
    const run = provider.refresh(undefined, controller.signal);
    await hanging;
    controller.abort();
    const report = await run;

    expect(report.aborted).toBe(true);
    // The signal reached the SDK call, which the HTTP handler would have destroyed.
    const calls = mocks[PROVIDER].commandCalls(DescribeVpcEndpointServiceConfigurationsCommand);
    expect(calls).toHaveLength(1);
    // commandCalls types only the command; send's second argument, the options, is recorded too.
    expect((calls[0].args as unknown[])[1]).toMatchObject({ abortSignal: controller.signal });
    // Nothing else was asked of the provider account once the run was aborted.
    expect(mocks[PROVIDER].commandCalls(DescribeVpcEndpointServicePermissionsCommand)).toHaveLength(0);
    expect(report.targets.find(t => t.accountId === PROVIDER)).toMatchObject({ ok: false, error: expect.stringContaining('AbortError') });
    // No mutation at all: the catalog keeps the last good state, the consumer's endpoints included.
    expect(mutations).toHaveLength(1);
    expect(conn.applyMutation).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('PrivateLink sync aborted'), expect.anything());

    // The next run that is not aborted reads again, and only it removes what is gone: auth-service, its
    // connections 11 and 12, and the consumer's endpoint 20 to S3.
    mocks[PROVIDER].on(DescribeVpcEndpointServiceConfigurationsCommand).resolves(
      configurationsPage([serviceConfiguration(1, { name: 'orders-api', owner: 'group:default/orders', component: 'orders-api' })]),
    );
    const next = await provider.refresh();
    expect(next.aborted).toBeUndefined();
    expect(next.mutation).toBe('full');
    expect(Object.keys(byName(mutations[1])).sort()).toEqual(['orders-api', endpointId(10)].sort());
  });

  it('reads nothing and applies nothing when the scheduler hands its task an aborted signal', async () => {
    const { mocks, factory, mutations, connection: conn } = setup();
    givenDemo(mocks);
    const controller = new AbortController();
    controller.abort();
    let task: Promise<void> | undefined;
    const taskRunner = {
      run: jest.fn(async ({ fn }: { fn: (signal: AbortSignal) => void | Promise<void> }) => {
        task = Promise.resolve(fn(controller.signal));
      }),
    };
    const logger = mockServices.logger.mock();
    const provider = new PrivateLinkEntityProvider({ config, clients: factory, logger, taskRunner });
    await provider.connect(conn);
    await task;

    expect(taskRunner.run).toHaveBeenCalledTimes(1);
    expect(factory.ec2).not.toHaveBeenCalled();
    expect(mocks[PROVIDER].calls()).toHaveLength(0);
    expect(mocks[CONSUMER].calls()).toHaveLength(0);
    expect(mutations).toHaveLength(0);
  });

  it('emits what a targeted refresh changed while the last permissions calls of a full sync ran', async () => {
    const { mocks, factory, mutations, connection: conn } = setup();
    givenDemo(mocks);
    const provider = new PrivateLinkEntityProvider({ config, clients: factory, logger: mockServices.logger.mock() });
    await provider.connect(conn);
    await provider.refresh();

    // The next sync: auth-service's permissions call answers only when told to, after every list was read.
    mocks[PROVIDER].on(DescribeVpcEndpointServiceConfigurationsCommand).resolves(
      configurationsPage([
        serviceConfiguration(1, { name: 'orders-api', owner: 'group:default/orders', component: 'orders-api' }),
        serviceConfiguration(2, { name: 'auth-service', privateDnsName: 'auth.internal.example.com', acceptanceRequired: false }),
      ]),
    );
    let answer: (() => void) | undefined;
    mocks[PROVIDER].on(DescribeVpcEndpointServicePermissionsCommand, { ServiceId: serviceId(2) }).callsFake(
      () => new Promise(resolve => (answer = () => resolve({ AllowedPrincipals: [{ Principal: '999999999999', PrincipalType: 'Account' }] }))),
    );
    const sync = provider.refresh();
    for (let i = 0; i < 100 && !answer; i++) await new Promise(resolve => setImmediate(resolve));
    for (let i = 0; i < 20; i++) await new Promise(resolve => setImmediate(resolve));
    expect(answer).toBeDefined();

    // Meanwhile a consumer endpoint 30 connects to orders-api, and a targeted refresh reads it.
    mocks[PROVIDER].on(DescribeVpcEndpointServiceConfigurationsCommand, { ServiceIds: [serviceId(1)] }).resolves(
      configurationsPage([serviceConfiguration(1, { name: 'orders-api', owner: 'group:default/orders', component: 'orders-api' })]),
    );
    mocks[CONSUMER].on(DescribeVpcEndpointsCommand, { Filters: [{ Name: 'service-name', Values: [`com.amazonaws.vpce.${REGION}.${serviceId(1)}`] }] }).resolves({
      VpcEndpoints: [vpcEndpoint(10, 1, { owner: 'group:default/payments', component: 'payments-api' }), vpcEndpoint(30, 1, { component: 'payments-api' })],
    });
    await provider.refreshService({ accountId: PROVIDER, region: REGION, serviceId: serviceId(1) });
    expect(mutations.at(-1).added.map((d: any) => d.entity.metadata.name)).toContain(endpointId(30));

    answer!();
    await sync;
    const entities = byName(mutations.at(-1));
    expect(mutations.at(-1).type).toBe('full');
    expect(entities[endpointId(30)]).toBeDefined();
    expect(entities['auth-service'].metadata.annotations!['privatelink.io/allowed-principals']).toBe('999999999999');
    expect(entities['orders-api'].metadata.annotations!['privatelink.io/allowed-principals']).toBe(`arn:aws:iam::${CONSUMER}:root`);
  });

  it('applies a targeted refresh of one service as a delta', async () => {
    const { mocks, factory, mutations, connection: conn } = setup();
    givenDemo(mocks);
    const provider = new PrivateLinkEntityProvider({ config, clients: factory, logger: mockServices.logger.mock() });
    await provider.connect(conn);
    await provider.refresh();
    mocks[PROVIDER].resetHistory();

    // The owner accepted endpoint 10, and a new consumer endpoint 13 connected to orders-api.
    mocks[PROVIDER].on(DescribeVpcEndpointServiceConfigurationsCommand, { ServiceIds: [serviceId(1)] }).resolves(
      configurationsPage([serviceConfiguration(1, { name: 'orders-api', owner: 'group:default/orders', component: 'orders-api' })]),
    );
    mocks[PROVIDER].on(DescribeVpcEndpointConnectionsCommand).resolves({
      VpcEndpointConnections: [connection(10, 1, 'available'), connection(13, 1, 'pendingAcceptance')],
    });
    mocks[CONSUMER].on(DescribeVpcEndpointsCommand).resolves({
      VpcEndpoints: [vpcEndpoint(10, 1, { owner: 'group:default/payments', component: 'payments-api' }), vpcEndpoint(13, 1, { component: 'payments-api' })],
    });

    const result = await provider.refreshService({ accountId: PROVIDER, region: REGION, serviceId: serviceId(1) });

    expect(result).toEqual({ added: 2, removed: 0 });
    const delta = mutations[1];
    expect(delta.type).toBe('delta');
    expect(delta.added.map((d: any) => d.entity.metadata.name).sort()).toEqual([endpointId(10), endpointId(13)]);
    expect(delta.added.find((d: any) => d.entity.metadata.name === endpointId(10)).entity.metadata.annotations['privatelink.io/state']).toBe('available');
    expect(mocks[PROVIDER].commandCalls(DescribeVpcEndpointConnectionsCommand)[0].args[0].input.Filters).toEqual([{ Name: 'service-id', Values: [serviceId(1)] }]);
    expect(mocks[CONSUMER].commandCalls(DescribeVpcEndpointsCommand).at(-1)!.args[0].input.Filters).toEqual([
      { Name: 'service-name', Values: [`com.amazonaws.vpce.${REGION}.${serviceId(1)}`] },
    ]);

    // The service is deleted: it and the consumers only it explains are removed.
    mocks[PROVIDER].on(DescribeVpcEndpointServiceConfigurationsCommand, { ServiceIds: [serviceId(1)] }).rejects(
      Object.assign(new Error('The Vpc Endpoint Service Id does not exist'), { name: 'InvalidVpcEndpointServiceId.NotFound' }),
    );
    mocks[CONSUMER].on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [] });
    const gone = await provider.refreshService({ accountId: PROVIDER, region: REGION, serviceId: serviceId(1) });
    expect(gone.removed).toBe(3);
    expect(mutations[2].removed.map((d: any) => d.entity.metadata.name).sort()).toEqual([endpointId(10), endpointId(13), 'orders-api'].sort());
  });

  it('builds complete consumer entities in a targeted refresh before any full sync (a replica that did not run it)', async () => {
    const { mocks, factory, mutations, connection: conn } = setup();
    givenDemo(mocks);
    mocks[PROVIDER].on(DescribeVpcEndpointServiceConfigurationsCommand, { ServiceIds: [serviceId(1)] }).resolves(
      configurationsPage([serviceConfiguration(1, { name: 'orders-api', owner: 'group:default/orders', component: 'orders-api' })]),
    );
    const provider = new PrivateLinkEntityProvider({ config, clients: factory, logger: mockServices.logger.mock() });
    await provider.connect(conn);

    await provider.refreshService({ accountId: PROVIDER, region: REGION, serviceId: serviceId(1) });

    const added = Object.fromEntries(mutations[0].added.map(({ entity }: { entity: Entity }) => [entity.metadata.name, entity]));
    // The consumer's own account was read: its endpoint's tags place it (owner, component), its VPC is known.
    expect(added[endpointId(10)].spec).toMatchObject({ owner: 'group:default/payments', dependencyOf: ['component:default/payments-api'] });
    expect(added[endpointId(10)].metadata.annotations).toHaveProperty(['privatelink.io/vpc-id'], 'vpc-0a1b2c3d4e5f60718');
    // The same entity a full sync emits.
    await provider.refresh();
    expect(byName(mutations.at(-1))[endpointId(10)]).toEqual(added[endpointId(10)]);
  });

  it('recovers what the last full sync left in the catalog on a replica that did not run it: one permissions call, the same entities, and what is gone removed', async () => {
    const { mocks, factory, mutations, connection: conn } = setup();
    givenDemo(mocks);
    const syncing = new PrivateLinkEntityProvider({ config, clients: factory, logger: mockServices.logger.mock() });
    await syncing.connect(conn);
    await syncing.refresh();
    // The catalog as the full sync left it: with the fields the catalog adds.
    const catalog: Entity[] = mutations[0].entities.map(({ entity }: { entity: Entity }) => ({
      ...entity,
      metadata: { namespace: 'default', ...entity.metadata, uid: `uid-${entity.metadata.name}`, etag: 'e1' },
      relations: [],
    }));
    const loadLastEmitted = jest.fn(async (location: string) =>
      catalog.filter(e => e.metadata.annotations?.['backstage.io/managed-by-location'] === location),
    );
    // A hand-registered copy of a consumer (a catalog file's location): never taken as the sync's state.
    const forged: Entity = {
      ...catalog.find(e => e.metadata.name === endpointId(12))!,
      metadata: {
        name: 'forged-endpoint',
        namespace: 'default',
        annotations: { 'backstage.io/managed-by-location': 'url:https://example.com/catalog-info.yaml' },
      },
    };
    const loadConsumers = jest.fn(async (serviceRef: string) =>
      [...catalog, forged].filter(e => e.spec?.type === 'vpc-endpoint' && (e.spec?.dependsOn as string[] | undefined)?.includes(serviceRef)),
    );
    const fresh = () => {
      const replica = new PrivateLinkEntityProvider({ config, clients: factory, logger: mockServices.logger.mock(), loadLastEmitted, loadConsumers });
      const seen = setup();
      return { replica, seen };
    };
    // AWS as it was: the account's list again, and auth-service alone.
    givenDemo(mocks);
    mocks[PROVIDER].on(DescribeVpcEndpointServiceConfigurationsCommand, { ServiceIds: [serviceId(2)] }).resolves(
      configurationsPage([serviceConfiguration(2, { name: 'auth-service', privateDnsName: 'auth.internal.example.com', acceptanceRequired: false })]),
    );
    Object.values(mocks).forEach(m => m.resetHistory());

    const b = fresh();
    await b.replica.connect(b.seen.connection);
    await b.replica.refreshService({ accountId: PROVIDER, region: REGION, serviceId: serviceId(2) });
    // Only auth-service's own permissions are read: orders-api's come from the catalog.
    expect(mocks[PROVIDER].commandCalls(DescribeVpcEndpointServicePermissionsCommand).map(c => c.args[0].input.ServiceId)).toEqual([serviceId(2)]);
    const added = b.seen.mutations[0].added.map(({ entity }: { entity: Entity }) => entity);
    const full = byName(mutations[0]);
    for (const entity of added) expect(entity).toEqual(full[entity.metadata.name]);
    expect(added.map((e: Entity) => e.metadata.name).sort()).toEqual(['auth-service', endpointId(11), endpointId(12)].sort());
    expect(b.seen.mutations[0].removed).toEqual([]);

    // The consumer removes endpoint 11: a fresh replica removes its entity, known only from the catalog.
    mocks[PROVIDER].on(DescribeVpcEndpointConnectionsCommand).resolves({
      VpcEndpointConnections: [connection(10, 1, 'pendingAcceptance'), connection(12, 2, 'available', '999999999999')],
    });
    mocks[CONSUMER].on(DescribeVpcEndpointsCommand).resolves({
      VpcEndpoints: [vpcEndpoint(10, 1, { owner: 'group:default/payments', component: 'payments-api' }), vpcEndpoint(20, 0, { serviceName: 'com.amazonaws.us-east-1.s3' })],
    });
    // The list's pages answer again from the first (their answers go by call count).
    Object.values(mocks).forEach(m => m.resetHistory());
    const c = fresh();
    await c.replica.connect(c.seen.connection);
    await c.replica.refreshService({ accountId: PROVIDER, region: REGION, serviceId: serviceId(2) });
    expect(c.seen.mutations[0].removed.map(({ entity }: { entity: Entity }) => entity.metadata.name)).toEqual([endpointId(11)]);
    expect(loadConsumers).toHaveBeenCalledWith('resource:default/auth-service');
  });

  it("on a replica that has not read every account, never gives a service a name another account's service holds in the catalog", async () => {
    // A third account this replica never reads in the refresh: its service holds `orders-api` in the catalog.
    const OTHER_ACCOUNT = '333344445555';
    const wide = readPrivateLinkConfig(
      new ConfigReader({
        privatelink: {
          regions: [REGION],
          accounts: [
            {
              accountId: PROVIDER,
              name: 'shared-services',
              owner: 'group:default/platform',
            },
            {
              accountId: CONSUMER,
              name: 'payments-prod',
              owner: 'group:default/payments',
            },
            {
              accountId: OTHER_ACCOUNT,
              name: 'analytics',
              owner: 'group:default/analytics',
            },
          ],
          defaultOwner: 'group:default/cloud',
        },
      }),
    );
    const theirs: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'orders-api',
        namespace: 'default',
        annotations: {
          'backstage.io/managed-by-location': `privatelink:aws/${OTHER_ACCOUNT}/${REGION}`,
          'privatelink.io/service-id': 'vpce-svc-0ther0000000000000',
        },
      },
      spec: { type: 'vpc-endpoint-service', owner: 'group:default/analytics' },
    };
    const refreshOrders = async (
      loadEntity: (ref: string) => Promise<Entity | undefined>,
    ) => {
      const t = setup();
      givenDemo(t.mocks);
      t.mocks[PROVIDER].on(DescribeVpcEndpointServiceConfigurationsCommand, {
        ServiceIds: [serviceId(1)],
      }).resolves(
        configurationsPage([
          serviceConfiguration(1, {
            name: 'orders-api',
            owner: 'group:default/orders',
          }),
        ]),
      );
      const replica = new PrivateLinkEntityProvider({
        config: wide,
        clients: t.factory,
        logger: mockServices.logger.mock(),
        loadLastEmitted: async () => [],
        loadConsumers: async () => [],
        loadEntity: jest.fn(loadEntity),
      });
      await replica.connect(t.connection);
      await replica.refreshService({
        accountId: PROVIDER,
        region: REGION,
        serviceId: serviceId(1),
      });
      const added: Entity[] = t.mutations[0].added.map(
        ({ entity }: { entity: Entity }) => entity,
      );
      return added.find(e => e.spec?.type === 'vpc-endpoint-service')!;
    };

    const loadEntity = jest.fn(async (ref: string) =>
      ref === 'resource:default/orders-api' ? theirs : undefined,
    );
    const ours = await refreshOrders(loadEntity);
    // Its service id, not `orders-api`: the delta would have replaced the other account's entity.
    expect(ours.metadata.name).toBe(serviceId(1));
    expect(ours.metadata.annotations?.['privatelink.io/service-id']).toBe(
      serviceId(1),
    );
    expect(loadEntity).toHaveBeenCalledWith('resource:default/orders-api');
    // The name is free in the catalog: the service takes it.
    expect((await refreshOrders(async () => undefined)).metadata.name).toBe(
      'orders-api',
    );
    // The catalog cannot be asked: the safe choice, its service id.
    expect(
      (
        await refreshOrders(async () => {
          throw new Error('catalog unavailable');
        })
      ).metadata.name,
    ).toBe(serviceId(1));
  });

  it('reads the account whole on a replica whose catalog cannot be read', async () => {
    const { mocks, factory, mutations, connection: conn } = setup();
    givenDemo(mocks);
    mocks[PROVIDER].on(DescribeVpcEndpointServiceConfigurationsCommand, { ServiceIds: [serviceId(1)] }).resolves(
      configurationsPage([serviceConfiguration(1, { name: 'orders-api', owner: 'group:default/orders', component: 'orders-api' })]),
    );
    const logger = mockServices.logger.mock();
    const replica = new PrivateLinkEntityProvider({
      config,
      clients: factory,
      logger,
      loadLastEmitted: async () => {
        throw new Error('catalog unavailable');
      },
    });
    await replica.connect(conn);
    await replica.refreshService({ accountId: PROVIDER, region: REGION, serviceId: serviceId(1) }, logger);
    // Both services' permissions: the account's list read whole, then orders-api's own read.
    expect(new Set(mocks[PROVIDER].commandCalls(DescribeVpcEndpointServicePermissionsCommand).map(c => c.args[0].input.ServiceId))).toEqual(
      new Set([serviceId(1), serviceId(2)]),
    );
    expect(mutations[0].added.length).toBeGreaterThan(0);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('reading the account and region whole'), expect.objectContaining({ error: 'catalog unavailable' }));
  });

  it("reads a targeted refresh's consumers only in the accounts its connections name (or that held one), all of them when the connections cannot be read", async () => {
    const OTHER = '345678901234';
    const { clients, mocks, factory, mutations, connection: conn } = setup();
    clients[OTHER] = new EC2Client({ region: REGION });
    mocks[OTHER] = mockClient(clients[OTHER]);
    mocks[OTHER].on(DescribeVpcEndpointServiceConfigurationsCommand).resolves({ ServiceConfigurations: [] });
    mocks[OTHER].on(DescribeVpcEndpointConnectionsCommand).resolves({ VpcEndpointConnections: [] });
    mocks[OTHER].on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [] });
    givenDemo(mocks);
    const threeAccounts = readPrivateLinkConfig(
      new ConfigReader({
        privatelink: {
          regions: [REGION],
          accounts: [{ accountId: PROVIDER }, { accountId: CONSUMER }, { accountId: OTHER }],
        },
      }),
    );
    const provider = new PrivateLinkEntityProvider({ config: threeAccounts, clients: factory, logger: mockServices.logger.mock() });
    await provider.connect(conn);
    await provider.refresh();
    const endpointReads = () =>
      Object.fromEntries(Object.entries(mocks).map(([account, m]) => [account, m.commandCalls(DescribeVpcEndpointsCommand).length]));
    Object.values(mocks).forEach(m => m.resetHistory());

    // orders-api: one connection, from CONSUMER; OTHER and the provider hold none and are not asked.
    mocks[PROVIDER].on(DescribeVpcEndpointServiceConfigurationsCommand, { ServiceIds: [serviceId(1)] }).resolves(
      configurationsPage([serviceConfiguration(1, { name: 'orders-api' })]),
    );
    mocks[PROVIDER].on(DescribeVpcEndpointConnectionsCommand).resolves({ VpcEndpointConnections: [connection(10, 1, 'available')] });
    await provider.refreshService({ accountId: PROVIDER, region: REGION, serviceId: serviceId(1) });
    expect(endpointReads()).toEqual({ [PROVIDER]: 0, [CONSUMER]: 1, [OTHER]: 0 });

    // The consumer's endpoint went: its connection is gone, but CONSUMER held one, so it is asked, and the
    // endpoint leaves the catalog.
    Object.values(mocks).forEach(m => m.resetHistory());
    mocks[PROVIDER].on(DescribeVpcEndpointConnectionsCommand).resolves({ VpcEndpointConnections: [] });
    mocks[CONSUMER].on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [vpcEndpoint(11, 2, { component: 'payments-api' })] });
    const gone = await provider.refreshService({ accountId: PROVIDER, region: REGION, serviceId: serviceId(1) });
    expect(endpointReads()).toEqual({ [PROVIDER]: 0, [CONSUMER]: 1, [OTHER]: 0 });
    expect(mutations.at(-1).removed.map((d: any) => d.entity.metadata.name)).toEqual([endpointId(10)]);
    expect(gone.removed).toBe(1);

    // Without the provider's connection list, every account of the region is asked.
    Object.values(mocks).forEach(m => m.resetHistory());
    mocks[PROVIDER].on(DescribeVpcEndpointConnectionsCommand).rejects(
      Object.assign(new Error('You are not authorized to perform this operation.'), { name: 'UnauthorizedOperation' }),
    );
    await provider.refreshService({ accountId: PROVIDER, region: REGION, serviceId: serviceId(1) });
    expect(endpointReads()).toEqual({ [PROVIDER]: 1, [CONSUMER]: 1, [OTHER]: 1 });
  });

  it('leaves the catalog after targeted refreshes as a full sync of the same AWS state would, renames included', async () => {
    const { mocks, factory, mutations, connection: conn } = setup();
    givenDemo(mocks);
    const provider = new PrivateLinkEntityProvider({ config, clients: factory, logger: mockServices.logger.mock() });
    await provider.connect(conn);
    await provider.refresh();
    // The catalog as the mutations leave it.
    const catalog = new Map<string, Entity>();
    const apply = (m: any) => {
      if (m.type === 'full') catalog.clear();
      for (const { entity } of m.type === 'full' ? m.entities : m.added) catalog.set(entity.metadata.name, entity);
      for (const { entity } of m.type === 'full' ? [] : m.removed) catalog.delete(entity.metadata.name);
    };
    apply(mutations[0]);
    const refresh1 = () => provider.refreshService({ accountId: PROVIDER, region: REGION, serviceId: serviceId(1) });

    // orders-api: a new consumer, then a new name that auth-service already has (both become their ids), then
    // deleted (its consumers stay, depending on nothing).
    const orders = (name: string) =>
      mocks[PROVIDER].on(DescribeVpcEndpointServiceConfigurationsCommand, { ServiceIds: [serviceId(1)] }).resolves(
        configurationsPage([serviceConfiguration(1, { name, owner: 'group:default/orders', component: 'orders-api' })]),
      );
    orders('orders-api');
    mocks[PROVIDER].on(DescribeVpcEndpointConnectionsCommand).resolves({
      VpcEndpointConnections: [connection(10, 1, 'available'), connection(13, 1, 'pendingAcceptance'), connection(11, 2, 'available'), connection(12, 2, 'available', '999999999999')],
    });
    mocks[CONSUMER].on(DescribeVpcEndpointsCommand).resolves({
      VpcEndpoints: [
        vpcEndpoint(10, 1, { owner: 'group:default/payments', component: 'payments-api' }),
        vpcEndpoint(13, 1, { component: 'payments-api' }),
        vpcEndpoint(11, 2, { component: 'payments-api' }),
        vpcEndpoint(20, 0, { serviceName: 'com.amazonaws.us-east-1.s3' }),
      ],
    });
    const steps: Array<() => void> = [
      () => undefined,
      () => orders('auth-service'),
      () =>
        mocks[PROVIDER].on(DescribeVpcEndpointServiceConfigurationsCommand, { ServiceIds: [serviceId(1)] }).rejects(
          Object.assign(new Error('The Vpc Endpoint Service Id does not exist'), { name: 'InvalidVpcEndpointServiceId.NotFound' }),
        ),
    ];
    for (const step of steps) {
      step();
      await refresh1();
      apply(mutations.at(-1));
      // A full sync of the same AWS state, by a provider of its own.
      const fresh = setup();
      Object.assign(fresh.mocks, mocks);
      const check = new PrivateLinkEntityProvider({ config, clients: factory, logger: mockServices.logger.mock() });
      await check.connect(fresh.connection);
      const configurations = [...mocks[PROVIDER].commandCalls(DescribeVpcEndpointServiceConfigurationsCommand)];
      expect(configurations.length).toBeGreaterThan(0);
      // The full listing answers what the targeted reads saw: the deleted service is gone from it too.
      const listed = step === steps[2] ? [serviceConfiguration(2, { name: 'auth-service', privateDnsName: 'auth.internal.example.com', acceptanceRequired: false })] : undefined;
      if (listed) mocks[PROVIDER].on(DescribeVpcEndpointServiceConfigurationsCommand, {}).resolves(configurationsPage(listed));
      else {
        mocks[PROVIDER].on(DescribeVpcEndpointServiceConfigurationsCommand, {}).resolves(
          configurationsPage([
            serviceConfiguration(1, { name: step === steps[1] ? 'auth-service' : 'orders-api', owner: 'group:default/orders', component: 'orders-api' }),
            serviceConfiguration(2, { name: 'auth-service', privateDnsName: 'auth.internal.example.com', acceptanceRequired: false }),
          ]),
        );
      }
      await check.refresh();
      const full = fresh.mutations[0].entities.map((d: any) => d.entity);
      expect(Object.fromEntries([...catalog].sort(([a], [b]) => a.localeCompare(b)))).toEqual(
        Object.fromEntries(full.map((e: Entity) => [e.metadata.name, e]).sort(([a]: [string], [b]: [string]) => a.localeCompare(b))),
      );
    }
  });
});
