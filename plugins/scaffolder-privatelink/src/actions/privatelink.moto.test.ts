/**
 * Integration: the actions against a real moto_server seeded with the demo organisation (packages/dev-aws).
 * The provider is moto's default account; the consumer is reached through STS AssumeRole, which moto maps to a
 * separate account, the way @backstage/integration-aws-node does it in production.
 */
import {
  CreateSubnetCommand,
  CreateVpcEndpointCommand,
  DescribeVpcEndpointConnectionsCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointServicePermissionsCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcEndpointsCommand,
} from '@aws-sdk/client-ec2';
import {
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateHostedZoneCommand, ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  MOTO_CREDENTIALS,
  MotoServer,
  seedDemoOrg,
  SeedResult,
  startMoto,
} from '@privatelink-backstage/dev-aws';
import { Entity } from '@backstage/catalog-model';
import { startLossyProxy } from '../__testUtils__/lossyProxy';
import { syncedServiceEntity, testWrites, TEST_USER } from '../__testUtils__/writes';
import { AwsClientFactories, createAwsClientFactories } from '../aws';
import { readActionsConfig } from '../config';
import { createAllowPrincipalsAction } from './allowPrincipals';
import { createEndpointServiceAction } from './createEndpointService';
import { createNetworkLoadBalancerAction } from './createNetworkLoadBalancer';
import { createVerifyPrivateDnsAction } from './verifyPrivateDns';
import { createAcceptConnectionsAction } from './acceptConnections';
import { createRevokePrincipalsAction } from './revokePrincipals';
import { createRejectConnectionsAction } from './rejectConnections';
import { createVpcEndpointAction } from './createVpcEndpoint';

jest.setTimeout(180_000);

const PROVIDER = '123456789012';
const PAYMENTS = '210987654321';
const ORDERS = '345678901234';
const root = (accountId: string) => `arn:aws:iam::${accountId}:root`;
const REGION = 'us-east-1';

let moto: MotoServer;
let seed: SeedResult;
let clients: AwsClientFactories;
const savedEndpointUrl = process.env.AWS_ENDPOINT_URL;

function rootConfig(endpoint: string) {
  return new ConfigReader({
    aws: {
      mainAccount: { ...MOTO_CREDENTIALS },
      accountDefaults: { roleName: 'PrivateLinkDemo' },
    },
    privatelink: {
      endpoint,
      emulator: true,
      accounts: [{ accountId: PROVIDER }, { accountId: PAYMENTS }],
    },
  });
}

/** The owners the test's user belongs to: the teams whose resources the journeys create. */
const OWNERSHIP = [TEST_USER, 'group:default/orders', 'group:default/payments', 'group:default/platform'];

/**
 * The actions as the module wires them, against `endpoint`, through the real write path. The catalog holds
 * `synced`: what the sync would have emitted by the time a later step acts on a service an earlier one created.
 */
function actionsFor(endpoint: string) {
  const config = rootConfig(endpoint);
  const settings = readActionsConfig(config);
  const factories = createAwsClientFactories(config);
  const synced: Entity[] = [];
  const { writes, audit, published } = testWrites({
    ec2: factories.ec2,
    entities: () => synced,
    accounts: [{ accountId: PROVIDER, owner: 'group:default/platform' }, { accountId: PAYMENTS, owner: 'group:default/payments' }],
    ownershipRefs: OWNERSHIP,
  });
  const { tagKeys } = settings.privatelink;
  return {
    audit,
    published,
    /** The sync's entity for a service, as the catalog holds it after the targeted refresh. */
    sync: (serviceId: string) => {
      if (!synced.some(e => e.metadata.annotations?.['privatelink.io/service-id'] === serviceId)) {
        synced.push(syncedServiceEntity({ serviceId, owner: 'group:default/orders' }));
      }
    },
    nlb: createNetworkLoadBalancerAction({ clients: factories, tagKeys, writes }),
    service: createEndpointServiceAction({ clients: factories, tagKeys, emulator: settings.emulator, writes }),
    allow: createAllowPrincipalsAction({ writes, allowWildcardPrincipal: false }),
    dns: createVerifyPrivateDnsAction({ clients: factories, writes }),
    revoke: createRevokePrincipalsAction({ writes }),
    accept: createAcceptConnectionsAction({ writes }),
    reject: createRejectConnectionsAction({ writes }),
    endpoint: createVpcEndpointAction({ ec2: factories.ec2, tagKeys, writes, pollMinDelayMs: 200 }),
  };
}

async function run(
  action: { handler: (ctx: any) => Promise<void> },
  input: Record<string, unknown>,
) {
  const ctx = createMockActionContext({ input: input as any });
  await action.handler(ctx);
  return Object.fromEntries((ctx.output as jest.Mock).mock.calls) as Record<
    string,
    any
  >;
}

const provider = () => seed.accounts.find(a => a.accountId === PROVIDER)!;
const payments = () => seed.accounts.find(a => a.accountId === PAYMENTS)!;

beforeAll(async () => {
  moto = await startMoto();
  // The STS client inside @backstage/integration-aws-node takes its endpoint from the environment.
  process.env.AWS_ENDPOINT_URL = moto.endpoint;
  seed = await seedDemoOrg({ endpoint: moto.endpoint });
  clients = createAwsClientFactories(rootConfig(moto.endpoint));
});

afterAll(async () => {
  if (savedEndpointUrl === undefined) delete process.env.AWS_ENDPOINT_URL;
  else process.env.AWS_ENDPOINT_URL = savedEndpointUrl;
  await moto?.stop();
});

/** The state of an endpoint as its own account sees it. */
async function consumerState(accountId: string, endpointId: string) {
  const ec2 = await clients.ec2({ accountId, region: REGION });
  try {
    const res = await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpointId] }));
    return res.VpcEndpoints?.[0]?.State;
  } finally {
    ec2.destroy();
  }
}

async function countAll(names: {
  nlb: string;
  serviceKey: string;
  endpointKey: string;
}) {
  const elb = await clients.elb({ accountId: PROVIDER, region: REGION });
  const ec2 = await clients.ec2({ accountId: PROVIDER, region: REGION });
  const consumer = await clients.ec2({ accountId: PAYMENTS, region: REGION });
  try {
    const lbs =
      (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ??
      [];
    const ours = lbs.filter(l => l.LoadBalancerName === names.nlb);
    const tgs =
      (await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? [];
    const listeners = ours.length
      ? (
          await elb.send(
            new DescribeListenersCommand({
              LoadBalancerArn: ours[0].LoadBalancerArn,
            }),
          )
        ).Listeners ?? []
      : [];
    const services = (
      (await ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({})))
        .ServiceConfigurations ?? []
    ).filter(s =>
      s.Tags?.some(
        t =>
          t.Key === 'privatelink:idempotency-key' &&
          t.Value === names.serviceKey,
      ),
    );
    const endpoints = (
      (await consumer.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints ??
      []
    ).filter(e =>
      e.Tags?.some(
        t =>
          t.Key === 'privatelink:idempotency-key' &&
          t.Value === names.endpointKey,
      ),
    );
    const groups = (
      (await consumer.send(new DescribeSecurityGroupsCommand({})))
        .SecurityGroups ?? []
    ).filter(g =>
      g.Tags?.some(
        t =>
          t.Key === 'privatelink:idempotency-key' &&
          t.Value === `${names.endpointKey}#security-group`,
      ),
    );
    return {
      loadBalancers: ours.length,
      targetGroups: tgs.filter(t => t.TargetGroupName === `${names.nlb}-tg`)
        .length,
      listeners: listeners.length,
      services: services.length,
      endpoints: endpoints.length,
      securityGroups: groups.length,
      service: services[0],
      endpoint: endpoints[0],
      loadBalancer: ours[0],
    };
  } finally {
    elb.destroy();
    ec2.destroy();
    consumer.destroy();
  }
}

describe('the actions against moto', () => {
  it('expose a service and connect a consumer in another account, each part exactly once, also when run again', async () => {
    const actions = actionsFor(moto.endpoint);
    const r53 = await clients.route53({ accountId: PROVIDER, region: REGION });
    const zone = await r53.send(
      new CreateHostedZoneCommand({
        Name: 'moto.example.com',
        CallerReference: 'moto-test',
      }),
    );
    r53.destroy();

    const runAll = async () => {
      const nlb = await run(actions.nlb, {
        accountId: PROVIDER,
        region: REGION,
        name: 'moto-expose',
        vpcId: provider().vpcId,
        subnetIds: provider().subnetIds.slice(0, 2),
        port: 443,
        targetPort: 8080,
        targetSecurityGroupId: provider().securityGroupId,
        owner: 'group:default/orders',
      });
      const service = await run(actions.service, {
        accountId: PROVIDER,
        region: REGION,
        networkLoadBalancerArns: [nlb.loadBalancerArn],
        name: 'moto-expose',
        owner: 'group:default/orders',
        system: 'system:default/commerce',
        component: 'component:default/orders-api',
        privateDnsName: 'api.moto.example.com',
      });
      // The targeted refresh brings the new service into the catalog before the next step acts on it.
      actions.sync(service.serviceId);
      const allow = await run(actions.allow, {
        accountId: PROVIDER,
        region: REGION,
        serviceId: service.serviceId,
        principals: [`arn:aws:iam::${PAYMENTS}:root`],
      });
      const dns = await run(actions.dns, {
        accountId: PROVIDER,
        region: REGION,
        serviceId: service.serviceId,
        hostedZoneId: zone.HostedZone!.Id!,
      });
      const endpoint = await run(actions.endpoint, {
        accountId: PAYMENTS,
        region: REGION,
        serviceName: service.serviceName,
        serviceAccountId: PROVIDER,
        vpcId: payments().vpcId,
        subnetIds: payments().subnetIds,
        name: 'payments-api-to-moto-expose',
        owner: 'group:default/payments',
        component: 'component:default/payments-api',
      });
      return { nlb, service, allow, dns, endpoint };
    };

    const first = await runAll();
    expect(first.nlb.created).toBe(true);
    expect(first.service.created).toBe(true);
    expect(first.allow.added).toEqual([`arn:aws:iam::${PAYMENTS}:root`]);
    // The emulator verifies the name once the TXT record EC2 asked for is in the public zone.
    expect(first.dns).toMatchObject({
      recordName: expect.stringMatching(/^_[a-z0-9]{20}\.api\.moto\.example\.com$/),
      recordType: 'TXT',
      recordValue: expect.stringMatching(/^vpce:[A-Za-z0-9]{20}$/),
      state: 'verified',
      recordWritten: true,
      verificationStarted: true,
    });
    const zoneClient = await clients.route53({ accountId: PROVIDER, region: REGION });
    const records = await zoneClient.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone.HostedZone!.Id! }));
    zoneClient.destroy();
    expect(records.ResourceRecordSets).toContainEqual(
      expect.objectContaining({
        Name: `${first.dns.recordName}.`,
        Type: 'TXT',
        ResourceRecords: [{ Value: `"${first.dns.recordValue}"` }],
      }),
    );
    // The service requires acceptance: the consumer's endpoint waits for the owners, who accept it.
    expect(first.endpoint).toMatchObject({ created: true, state: 'pendingAcceptance' });
    expect(first.endpoint.dnsNames.length).toBeGreaterThan(0);
    expect(
      await run(actions.accept, {
        accountId: PROVIDER,
        region: REGION,
        serviceId: first.service.serviceId,
        endpointIds: [first.endpoint.endpointId],
      }),
    ).toEqual({ accepted: [first.endpoint.endpointId], unchanged: [] });
    expect(await consumerState(PAYMENTS, first.endpoint.endpointId)).toBe('available');

    const keys = {
      nlb: 'moto-expose',
      serviceKey: 'service:moto-expose',
      endpointKey: 'endpoint:payments-api-to-moto-expose',
    };
    const after = await countAll(keys);
    expect(after).toMatchObject({
      loadBalancers: 1,
      targetGroups: 1,
      listeners: 1,
      services: 1,
      endpoints: 1,
      securityGroups: 1,
    });
    expect(after.service?.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'backstage:owner', Value: 'group:default/orders' },
        { Key: 'backstage:name', Value: 'moto-expose' },
      ]),
    );
    expect(after.endpoint?.PrivateDnsEnabled).toBe(true);
    expect(after.endpoint?.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'backstage:component', Value: 'component:default/payments-api' },
      ]),
    );

    const elb = await clients.elb({ accountId: PROVIDER, region: REGION });
    const attributes = await elb.send(
      new DescribeLoadBalancerAttributesCommand({
        LoadBalancerArn: first.nlb.loadBalancerArn,
      }),
    );
    elb.destroy();
    expect(attributes.Attributes).toContainEqual({
      Key: 'load_balancing.cross_zone.enabled',
      Value: 'true',
    });
    const ec2 = await clients.ec2({ accountId: PROVIDER, region: REGION });
    const permissions = await ec2.send(
      new DescribeVpcEndpointServicePermissionsCommand({
        ServiceId: first.service.serviceId,
      }),
    );
    ec2.destroy();
    expect(permissions.AllowedPrincipals?.map(p => p.Principal)).toEqual([
      `arn:aws:iam::${PAYMENTS}:root`,
    ]);
    expect(actions.published).toContainEqual({
      accountId: PROVIDER,
      region: REGION,
      serviceId: first.service.serviceId,
    });
    // Every change of the journey was authorised for the user and written to the audit log with its outcome.
    expect(actions.audit.map(r => [r.action, r.result, r.actor, r.via])).toEqual(
      ['nlb.create', 'endpoint-service.create', 'principals.allow', 'private-dns.verify', 'endpoint.create', 'connections.accept'].map(a => [
        a,
        'success',
        TEST_USER,
        'scaffolder',
      ]),
    );

    // A second run of the whole template finds everything and creates nothing.
    const second = await runAll();
    expect(second.nlb).toMatchObject({
      created: false,
      loadBalancerArn: first.nlb.loadBalancerArn,
    });
    expect(second.service).toMatchObject({
      created: false,
      serviceId: first.service.serviceId,
    });
    expect(second.allow.added).toEqual([]);
    // Verified already: nothing written, nothing started.
    expect(second.dns).toMatchObject({ state: 'verified', recordWritten: false, verificationStarted: false });
    expect(second.endpoint).toMatchObject({
      created: false,
      endpointId: first.endpoint.endpointId,
      state: 'available',
    });
    expect(await countAll(keys)).toMatchObject({
      loadBalancers: 1,
      targetGroups: 1,
      listeners: 1,
      services: 1,
      endpoints: 1,
      securityGroups: 1,
    });
  });

  it('the owners accept one pending connection and reject another; each consumer sees its decision', async () => {
    const actions = actionsFor(moto.endpoint);
    const orders = seed.services.find(s => s.name === 'orders-api')!;
    actions.sync(orders.serviceId);
    // The seed left orders-prod's endpoint pending; payments asks for a second one.
    const waiting = seed.endpoints.find(e => e.key === 'endpoint/orders-prod/orders-api')!;
    const paymentsEc2 = await clients.ec2({ accountId: PAYMENTS, region: REGION });
    const { VpcEndpoint } = await paymentsEc2.send(
      new CreateVpcEndpointCommand({
        VpcId: payments().vpcId,
        ServiceName: orders.serviceName,
        VpcEndpointType: 'Interface',
        SubnetIds: payments().subnetIds,
      }),
    );
    expect(VpcEndpoint?.State).toBe('pendingAcceptance');
    const second = VpcEndpoint!.VpcEndpointId!;
    const target = { accountId: PROVIDER, region: REGION, serviceId: orders.serviceId };

    // An id that is no connection of the service is refused before any change.
    await expect(run(actions.accept, { ...target, endpointIds: [waiting.endpointId, 'vpce-0123456789abcdef0'] })).rejects.toThrow(
      /vpce-0123456789abcdef0/,
    );
    expect(await consumerState(ORDERS, waiting.endpointId)).toBe('pendingAcceptance');

    expect(await run(actions.accept, { ...target, endpointIds: [waiting.endpointId] })).toEqual({ accepted: [waiting.endpointId], unchanged: [] });
    expect(await run(actions.reject, { ...target, endpointIds: [second] })).toEqual({ rejected: [second], unchanged: [] });
    expect(await consumerState(ORDERS, waiting.endpointId)).toBe('available');
    expect(await consumerState(PAYMENTS, second)).toBe('rejected');
    paymentsEc2.destroy();

    // Again: nothing to do, nothing changed.
    expect(await run(actions.accept, { ...target, endpointIds: [waiting.endpointId] })).toEqual({ accepted: [], unchanged: [waiting.endpointId] });
    const owners = await clients.ec2({ accountId: PROVIDER, region: REGION });
    const { VpcEndpointConnections = [] } = await owners.send(
      new DescribeVpcEndpointConnectionsCommand({ Filters: [{ Name: 'service-id', Values: [orders.serviceId] }] }),
    );
    owners.destroy();
    expect(Object.fromEntries(VpcEndpointConnections.map(c => [c.VpcEndpointId, c.VpcEndpointState]))).toMatchObject({
      [waiting.endpointId]: 'available',
      [second]: 'rejected',
    });
    expect(actions.audit.map(r => [r.action, r.result])).toEqual([
      ['connections.accept', 'refused'],
      ['connections.accept', 'success'],
      ['connections.reject', 'success'],
      ['connections.accept', 'success'],
    ]);
  });

  it('allows and revokes a principal: EC2 offers the service to the account, then no longer', async () => {
    const actions = actionsFor(moto.endpoint);
    const metrics = seed.services.find(s => s.name === 'metrics-gateway')!;
    actions.sync(metrics.serviceId);
    const target = { accountId: PROVIDER, region: REGION, serviceId: metrics.serviceId };
    const orders = root(ORDERS);
    const offered = async () => {
      const ec2 = await clients.ec2({ accountId: ORDERS, region: REGION });
      try {
        const res = await ec2.send(new DescribeVpcEndpointServicesCommand({}));
        return (res.ServiceNames ?? []).includes(metrics.serviceName);
      } finally {
        ec2.destroy();
      }
    };
    expect(await offered()).toBe(false);
    expect((await run(actions.allow, { ...target, principals: [orders] })).added).toEqual([orders]);
    expect(await offered()).toBe(true);
    expect(await run(actions.revoke, { ...target, principals: [orders] })).toEqual({ removed: [orders], notAllowed: [] });
    expect(await offered()).toBe(false);
    // The seeded principal stays.
    const ec2 = await clients.ec2({ accountId: PROVIDER, region: REGION });
    const permissions = await ec2.send(new DescribeVpcEndpointServicePermissionsCommand({ ServiceId: metrics.serviceId }));
    ec2.destroy();
    expect(permissions.AllowedPrincipals?.map(p => p.Principal)).toEqual([root(PAYMENTS)]);
    expect(actions.audit.map(r => [r.action, r.result])).toEqual([
      ['principals.allow', 'success'],
      ['principals.revoke', 'success'],
    ]);
  });

  it('refuses a consumer subnet in a zone the service does not offer, before creating anything', async () => {
    const actions = actionsFor(moto.endpoint);
    const service = seed.services.find(s => s.name === 'auth-service')!;
    // auth-service's NLB spans the provider's three zones; a subnet in us-east-1d is outside them.
    const consumer = await clients.ec2({ accountId: PAYMENTS, region: REGION });
    const subnet = await consumer.send(
      new CreateSubnetCommand({
        VpcId: payments().vpcId,
        CidrBlock: '10.1.9.0/24',
        AvailabilityZone: 'us-east-1d',
      }),
    );
    consumer.destroy();
    await expect(
      run(actions.endpoint, {
        accountId: PAYMENTS,
        region: REGION,
        serviceName: service.serviceName,
        serviceAccountId: PROVIDER,
        vpcId: payments().vpcId,
        subnetIds: [subnet.Subnet!.SubnetId!],
        name: 'payments-api-to-auth-1d',
        owner: 'group:default/payments',
      }),
    ).rejects.toThrow(`is in us-east-1d (use1-az`);
  });

  it("refuses to create for an owner the user does not belong to, and leaves moto as it was", async () => {
    const config = rootConfig(moto.endpoint);
    const factories = createAwsClientFactories(config);
    const { writes, audit } = testWrites({
      ec2: factories.ec2,
      accounts: [{ accountId: PROVIDER, owner: 'group:default/platform' }],
      ownershipRefs: [TEST_USER, 'group:default/payments'],
    });
    const nlb = createNetworkLoadBalancerAction({ clients: factories, tagKeys: readActionsConfig(config).privatelink.tagKeys, writes });
    const before = await countAll({ nlb: 'moto-refused', serviceKey: '-', endpointKey: '-' });
    await expect(
      run(nlb, {
        accountId: PROVIDER,
        region: REGION,
        name: 'moto-refused',
        vpcId: provider().vpcId,
        subnetIds: provider().subnetIds.slice(0, 2),
        owner: 'group:default/orders',
      }),
    ).rejects.toThrow('You may only create resources owned by yourself or a group you belong to, not by group:default/orders');
    expect(await countAll({ nlb: 'moto-refused', serviceKey: '-', endpointKey: '-' })).toEqual(before);
    expect(audit).toEqual([expect.objectContaining({ action: 'nlb.create', result: 'refused', actor: TEST_USER })]);
  });

  it('removes the load balancer and target group it created when the TLS listener fails', async () => {
    const actions = actionsFor(moto.endpoint);
    await expect(
      run(actions.nlb, {
        accountId: PROVIDER,
        region: REGION,
        name: 'moto-broken',
        vpcId: provider().vpcId,
        subnetIds: provider().subnetIds.slice(0, 2),
        protocol: 'TLS',
        certificateArn:
          'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000',
        owner: 'group:default/platform',
      }),
    ).rejects.toThrow(/certificate/i);
    expect(
      await countAll({ nlb: 'moto-broken', serviceKey: '-', endpointKey: '-' }),
    ).toMatchObject({
      loadBalancers: 0,
      targetGroups: 0,
    });
  });

  it('creates exactly one endpoint service when the response to the create is lost', async () => {
    const nlb = await run(actionsFor(moto.endpoint).nlb, {
      accountId: PROVIDER,
      region: REGION,
      name: 'moto-lossy',
      vpcId: provider().vpcId,
      subnetIds: provider().subnetIds.slice(1, 3),
      owner: 'group:default/platform',
    });
    const proxy = await startLossyProxy({
      target: moto.endpoint,
      dropFirst: ['CreateVpcEndpointServiceConfiguration'],
    });
    try {
      const actions = actionsFor(proxy.endpoint);
      const service = await run(actions.service, {
        accountId: PROVIDER,
        region: REGION,
        networkLoadBalancerArns: [nlb.loadBalancerArn],
        name: 'moto-lossy',
        owner: 'group:default/platform',
      });

      expect(proxy.dropped).toEqual(['CreateVpcEndpointServiceConfiguration']);
      // The create reached moto once; the look-up after the reset found what it had made.
      expect(
        proxy.forwarded.filter(
          a => a === 'CreateVpcEndpointServiceConfiguration',
        ),
      ).toHaveLength(1);
      expect(service.created).toBe(true);
      const { services, service: found } = await countAll({
        nlb: 'moto-lossy',
        serviceKey: 'service:moto-lossy',
        endpointKey: '-',
      });
      expect(services).toBe(1);
      expect(found?.ServiceId).toBe(service.serviceId);
    } finally {
      await proxy.close();
    }
  });
});
