/**
 * Integration: the sync against a real moto_server seeded with the demo organisation (packages/dev-aws).
 * Three accounts, the consumers reached through STS AssumeRole, which moto maps to separate accounts.
 */
import {
  AcceptVpcEndpointConnectionsCommand,
  CreateVpcEndpointCommand,
  DeleteVpcEndpointsCommand,
  RejectVpcEndpointConnectionsCommand,
  CreateVpcEndpointServiceConfigurationCommand,
  DeleteVpcEndpointServiceConfigurationsCommand,
  EC2Client,
  ModifyVpcEndpointServicePermissionsCommand,
} from '@aws-sdk/client-ec2';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import {
  DEMO_ORG,
  MOTO_CREDENTIALS,
  MotoServer,
  seedDemoOrg,
  SeedResult,
  startMoto,
} from '@privatelink-backstage/dev-aws';
import { createAwsClientFactory } from './aws/clients';
import { readPrivateLinkConfig } from '@privatelink-backstage/plugin-privatelink-node';
import { PrivateLinkEntityProvider } from './PrivateLinkEntityProvider';

jest.setTimeout(120_000);

const PROVIDER = '123456789012';
const PAYMENTS = '210987654321';
const ORDERS = '345678901234';
const REGION = 'us-east-1';

let moto: MotoServer;
let seed: SeedResult;
const savedEndpointUrl = process.env.AWS_ENDPOINT_URL;

beforeAll(async () => {
  moto = await startMoto();
  // The STS client inside @backstage/integration-aws-node takes its endpoint from the environment.
  process.env.AWS_ENDPOINT_URL = moto.endpoint;
  seed = await seedDemoOrg({ endpoint: moto.endpoint });
});

afterAll(async () => {
  if (savedEndpointUrl === undefined) delete process.env.AWS_ENDPOINT_URL;
  else process.env.AWS_ENDPOINT_URL = savedEndpointUrl;
  await moto?.stop();
});

function rootConfig() {
  return new ConfigReader({
    aws: { mainAccount: { ...MOTO_CREDENTIALS }, accountDefaults: { roleName: 'PrivateLinkDemo' } },
    privatelink: {
      endpoint: moto.endpoint,
      regions: [REGION],
      accounts: [
        { accountId: PROVIDER, name: 'shared-services', owner: 'group:default/platform' },
        { accountId: PAYMENTS, name: 'payments-prod', owner: 'group:default/payments' },
        { accountId: ORDERS, name: 'orders-prod', owner: 'group:default/orders' },
      ],
    },
  });
}

function newProvider() {
  const config = rootConfig();
  const privatelink = readPrivateLinkConfig(config);
  const real = createAwsClientFactory({ config, endpoint: privatelink.endpoint, rateLimit: privatelink.sync.rateLimit });
  // Accounts whose credentials are refused, the way an expired or revoked role fails.
  const denied = new Set<string>();
  const clients = {
    ec2: async (target: { accountId: string; region: string }) => {
      if (denied.has(target.accountId)) {
        throw Object.assign(new Error(`not authorized to perform sts:AssumeRole in ${target.accountId}`), { name: 'AccessDenied' });
      }
      return real.ec2(target);
    },
  };
  const mutations: any[] = [];
  const connection: EntityProviderConnection = {
    applyMutation: async m => void mutations.push(m),
    refresh: async () => {},
  };
  const logger = mockServices.logger.mock();
  const published: Array<{ topic: string; eventPayload: any }> = [];
  const events = { publish: async (params: { topic: string; eventPayload: unknown }) => void published.push(params) };
  const provider = new PrivateLinkEntityProvider({ config: privatelink, clients, logger, events });
  return { provider, connection, mutations, denied, logger, published, real };
}

const entitiesOf = (mutation: any): Entity[] =>
  (mutation.type === 'full' ? mutation.entities : mutation.added).map((d: any) => d.entity);
const named = (entities: Entity[], name: string) => entities.find(e => e.metadata.name === name);

describe('sync against moto', () => {
  it('emits the seeded services and consumers, across accounts, with owners and relations', async () => {
    const { provider, connection, mutations } = newProvider();
    await provider.connect(connection);
    const report = await provider.refresh();

    expect(report.targets.map(t => [t.accountId, t.ok])).toEqual(
      expect.arrayContaining([[PROVIDER, true], [PAYMENTS, true], [ORDERS, true]]),
    );
    const entities = entitiesOf(mutations[0]);

    for (const service of DEMO_ORG.services) {
      const seeded = seed.services.find(s => s.name === service.name)!;
      const entity = named(entities, service.name)!;
      expect(entity).toBeDefined();
      expect(entity.spec).toMatchObject({ type: 'vpc-endpoint-service', owner: service.tags['backstage:owner'] });
      expect(entity.metadata.annotations).toMatchObject({
        'privatelink.io/service-id': seeded.serviceId,
        'privatelink.io/service-name': seeded.serviceName,
        'amazonaws.com/account-id': PROVIDER,
      });
    }

    // Each consumer endpoint was read in its own account (a separate moto account) and points at its service.
    for (const endpoint of seed.endpoints.filter(e => e.service)) {
      const entity = named(entities, endpoint.endpointId)!;
      expect(entity).toBeDefined();
      expect(entity.metadata.annotations!['amazonaws.com/account-id']).toBe(endpoint.accountId);
      expect(entity.spec!.dependsOn).toEqual([`resource:default/${endpoint.service}`]);
      expect(entity.spec!.owner).toBe(endpoint.accountId === PAYMENTS ? 'group:default/payments' : 'group:default/orders');
    }
    // The S3 gateway and EC2 interface endpoints of payments-prod are there too, depending on nothing emitted.
    for (const endpoint of seed.endpoints.filter(e => !e.service)) {
      expect(named(entities, endpoint.endpointId)?.spec).not.toHaveProperty('dependsOn');
    }
  });

  it("reads the owners' side from the emulator: the pending connection, the accepted ones, the private DNS states", async () => {
    const { provider, connection, mutations, logger } = newProvider();
    await provider.connect(connection);
    await provider.refresh();
    const entities = entitiesOf(mutations[0]);
    const stateOf = (key: string) =>
      named(entities, seed.endpoints.find(e => e.key === key)!.endpointId)?.metadata.annotations?.['privatelink.io/state'];
    expect(stateOf('endpoint/orders-prod/orders-api')).toBe('pendingAcceptance');
    expect(stateOf('endpoint/payments-prod/orders-api')).toBe('available');
    const dnsState = (name: string) => named(entities, name)?.metadata.annotations?.['privatelink.io/private-dns-state'];
    expect([dnsState('auth-service'), dnsState('central-logging'), dnsState('metrics-gateway')]).toEqual([
      'verified',
      'verified',
      'pendingVerification',
    ]);
    // DescribeVpcEndpointConnections answers: no fallback to the consumers' side, no warning at all.
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('shows a new service after a targeted refresh and drops a deleted one at the next sync', async () => {
    const { provider, connection, mutations } = newProvider();
    await provider.connect(connection);
    await provider.refresh();

    const ec2 = new EC2Client({ region: REGION, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });
    const nlbArn = seed.services[0].nlbArn;
    const created = await ec2.send(
      new CreateVpcEndpointServiceConfigurationCommand({
        NetworkLoadBalancerArns: [nlbArn],
        AcceptanceRequired: true,
        TagSpecifications: [
          { ResourceType: 'vpc-endpoint-service', Tags: [{ Key: 'backstage:name', Value: 'sync-test-service' }] },
        ],
      }),
    );
    const serviceId = created.ServiceConfiguration!.ServiceId!;
    try {
      const delta = await provider.refreshService({ accountId: PROVIDER, region: REGION, serviceId });
      expect(delta.added).toBeGreaterThanOrEqual(1);
      expect(named(entitiesOf(mutations.at(-1)), 'sync-test-service')?.metadata.annotations!['privatelink.io/service-id']).toBe(serviceId);
    } finally {
      await ec2.send(new DeleteVpcEndpointServiceConfigurationsCommand({ ServiceIds: [serviceId] }));
    }

    await provider.refresh();
    const after = entitiesOf(mutations.at(-1));
    expect(mutations.at(-1).type).toBe('full');
    expect(named(after, 'sync-test-service')).toBeUndefined();
    expect(named(after, 'orders-api')).toBeDefined();
  });

  it("drops a consumer's deleted endpoint, then a retired service, within one targeted refresh each", async () => {
    const { provider, connection, mutations, real } = newProvider();
    await provider.connect(connection);
    await provider.refresh();
    const ec2 = new EC2Client({ region: REGION, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });
    const created = await ec2.send(
      new CreateVpcEndpointServiceConfigurationCommand({
        NetworkLoadBalancerArns: [seed.services[0].nlbArn],
        AcceptanceRequired: true,
        TagSpecifications: [{ ResourceType: 'vpc-endpoint-service', Tags: [{ Key: 'backstage:name', Value: 'retired-service' }] }],
      }),
    );
    const serviceId = created.ServiceConfiguration!.ServiceId!;
    const target = { accountId: PROVIDER, region: REGION, serviceId };
    const orders = seed.accounts.find(a => a.accountId === ORDERS)!;
    const consumer = await real.ec2({ accountId: ORDERS, region: REGION });
    try {
      await ec2.send(new ModifyVpcEndpointServicePermissionsCommand({ ServiceId: serviceId, AddAllowedPrincipals: [`arn:aws:iam::${ORDERS}:root`] }));
      const endpoints = await Promise.all(
        [0, 1].map(() =>
          consumer.send(
            new CreateVpcEndpointCommand({
              VpcId: orders.vpcId,
              ServiceName: created.ServiceConfiguration!.ServiceName!,
              VpcEndpointType: 'Interface',
              SubnetIds: orders.subnetIds,
              SecurityGroupIds: [orders.securityGroupId],
            }),
          ),
        ),
      );
      const [removedId, keptId] = endpoints.map(e => e.VpcEndpoint!.VpcEndpointId!);
      await ec2.send(new AcceptVpcEndpointConnectionsCommand({ ServiceId: serviceId, VpcEndpointIds: [removedId, keptId] }));
      await provider.refreshService(target);
      const refs = (m: any, key: 'added' | 'removed') => (m[key] as any[]).map(d => d.entity.metadata.name);
      expect(refs(mutations.at(-1), 'added')).toEqual(expect.arrayContaining(['retired-service', removedId, keptId]));

      // The consumer deletes one endpoint (EC2 lists it as `deleted` for a while): the refresh drops its entity.
      await consumer.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [removedId] }));
      await provider.refreshService(target);
      expect(refs(mutations.at(-1), 'removed')).toEqual([removedId]);

      // Retired: the connection rejected, the service deleted. Its entity goes; the consumer's rejected endpoint
      // stays, now depending on nothing the sync emits, until its team removes it.
      await ec2.send(new RejectVpcEndpointConnectionsCommand({ ServiceId: serviceId, VpcEndpointIds: [keptId] }));
      await ec2.send(new DeleteVpcEndpointServiceConfigurationsCommand({ ServiceIds: [serviceId] }));
      await provider.refreshService({ ...target, retired: true });
      expect(refs(mutations.at(-1), 'removed')).toEqual(['retired-service']);
      const kept = (mutations.at(-1).added as any[]).map(d => d.entity).find((e: Entity) => e.metadata.name === keptId);
      expect(kept?.metadata.annotations?.['privatelink.io/state']).toBe('rejected');
      expect(kept?.spec).not.toHaveProperty('dependsOn');
    } finally {
      await ec2.send(new DeleteVpcEndpointServiceConfigurationsCommand({ ServiceIds: [serviceId] })).catch(() => undefined);
      ec2.destroy();
      consumer.destroy();
    }
  });

  it('announces a consumer endpoint created after the first sync, once, as pending on the emulator', async () => {
    const { provider, connection, published, real } = newProvider();
    await provider.connect(connection);
    await provider.refresh();
    // The first read since start: only what was created within the window, i.e. the seed's own pending connection.
    const seededPending = seed.endpoints.find(e => e.key === 'endpoint/orders-prod/orders-api')!.endpointId;
    expect(published.map(p => [p.topic, p.eventPayload.endpointId])).toEqual([['privatelink.connection.pending', seededPending]]);
    published.length = 0;

    const ec2 = new EC2Client({ region: REGION, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });
    const created = await ec2.send(
      new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [seed.services[0].nlbArn], AcceptanceRequired: true }),
    );
    const serviceId = created.ServiceConfiguration!.ServiceId!;
    try {
      await ec2.send(new ModifyVpcEndpointServicePermissionsCommand({ ServiceId: serviceId, AddAllowedPrincipals: [`arn:aws:iam::${ORDERS}:root`] }));
      await provider.refresh();
      expect(published).toEqual([]);

      // The consumer connects in its own account (STS AssumeRole), as a consumer team would.
      const orders = seed.accounts.find(a => a.accountId === ORDERS)!;
      const consumer = await real.ec2({ accountId: ORDERS, region: REGION });
      const endpoint = await consumer.send(
        new CreateVpcEndpointCommand({
          VpcId: orders.vpcId,
          ServiceName: created.ServiceConfiguration!.ServiceName!,
          VpcEndpointType: 'Interface',
          SubnetIds: orders.subnetIds,
          SecurityGroupIds: [orders.securityGroupId],
        }),
      );
      const endpointId = endpoint.VpcEndpoint!.VpcEndpointId!;
      await provider.refresh();
      expect(published).toEqual([
        {
          topic: 'privatelink.connection.pending',
          eventPayload: { accountId: PROVIDER, region: REGION, serviceId, endpointId, consumerAccountId: ORDERS, createdAt: expect.any(String) },
        },
      ]);
      await provider.refresh();
      expect(published).toHaveLength(1);
    } finally {
      await ec2.send(new DeleteVpcEndpointServiceConfigurationsCommand({ ServiceIds: [serviceId] }));
      ec2.destroy();
    }
  });

  it('keeps the entities of an account whose credentials fail, marked stale, while the others update', async () => {
    const { provider, connection, mutations, denied } = newProvider();
    await provider.connect(connection);
    await provider.refresh();
    const inOrders = (entities: Entity[]) =>
      entities.filter(e => e.metadata.annotations?.['amazonaws.com/account-id'] === ORDERS);
    const before = inOrders(entitiesOf(mutations[0]));
    expect(before.length).toBeGreaterThan(0);

    denied.add(ORDERS);
    const report = await provider.refresh();
    expect(report.targets.filter(t => t.accountId !== ORDERS).every(t => t.ok)).toBe(true);
    const after = entitiesOf(mutations.at(-1));
    expect(mutations.at(-1).type).toBe('full');
    expect(inOrders(after).map(e => e.metadata.name).sort()).toEqual(before.map(e => e.metadata.name).sort());
    expect(inOrders(after).every(e => e.metadata.annotations?.['privatelink.io/stale-since'])).toBe(true);
    expect(after.filter(e => e.metadata.annotations?.['amazonaws.com/account-id'] === PAYMENTS).length).toBeGreaterThan(0);
  });

  it('removes nothing when an account fails before it was ever read', async () => {
    const { provider, connection, mutations, denied } = newProvider();
    denied.add(ORDERS);
    await provider.connect(connection);
    const report = await provider.refresh();
    expect(report.mutation).toBe('delta');
    expect(mutations[0].removed).toEqual([]);
    expect(entitiesOf(mutations[0]).some(e => e.metadata.name === 'orders-api')).toBe(true);
  });
});
