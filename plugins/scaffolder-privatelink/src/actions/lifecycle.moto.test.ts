/**
 * Integration: changing and retiring a service against a real moto_server with the PrivateLink emulator layer,
 * through the actions and the real write path (gate, service operations, trust rules), as the owner and as
 * someone else. The provider is moto's default account; the consumer account is reached through STS AssumeRole.
 */
import {
  CreateTagsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointsCommand,
} from '@aws-sdk/client-ec2';
import {
  DescribeLoadBalancersCommand,
  ModifyLoadBalancerAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { MOTO_CREDENTIALS, MotoServer, seedDemoOrg, SeedResult, startMoto } from '@privatelink-backstage/dev-aws';
import { syncedEndpointEntity, syncedServiceEntity, testWrites, TEST_USER } from '../__testUtils__/writes';
import { AwsClientFactories, createAwsClientFactories } from '../aws';
import { readActionsConfig } from '../config';
import { createAllowPrincipalsAction } from './allowPrincipals';
import { createAcceptConnectionsAction } from './acceptConnections';
import { createDeleteNetworkLoadBalancerAction } from './deleteNetworkLoadBalancer';
import { createDeleteVpcEndpointAction } from './deleteVpcEndpoint';
import { createEndpointServiceAction } from './createEndpointService';
import { createNetworkLoadBalancerAction } from './createNetworkLoadBalancer';
import { createRetireEndpointServiceAction } from './retireEndpointService';
import { createUpdateEndpointServiceAction } from './updateEndpointService';
import { createVpcEndpointAction } from './createVpcEndpoint';

jest.setTimeout(180_000);

const PROVIDER = '123456789012';
const PAYMENTS = '210987654321';
const REGION = 'us-east-1';
const ORDERS = 'group:default/orders';

let moto: MotoServer;
let seed: SeedResult;
let clients: AwsClientFactories;
const savedEndpointUrl = process.env.AWS_ENDPOINT_URL;

beforeAll(async () => {
  moto = await startMoto();
  process.env.AWS_ENDPOINT_URL = moto.endpoint;
  seed = await seedDemoOrg({ endpoint: moto.endpoint });
  clients = createAwsClientFactories(rootConfig());
});

afterAll(async () => {
  if (savedEndpointUrl === undefined) delete process.env.AWS_ENDPOINT_URL;
  else process.env.AWS_ENDPOINT_URL = savedEndpointUrl;
  await moto?.stop();
});

function rootConfig() {
  return new ConfigReader({
    aws: { mainAccount: { ...MOTO_CREDENTIALS }, accountDefaults: { roleName: 'PrivateLinkDemo' } },
    privatelink: { endpoint: moto.endpoint, emulator: true, accounts: [{ accountId: PROVIDER }, { accountId: PAYMENTS }] },
  });
}

/**
 * The actions over the real write path. The catalog holds what the sync would have emitted (`synced`); `denied`
 * names the permissions the user does not hold; `ownership` are the user's ownership refs.
 */
function actionsFor(
  options: {
    denied?: string[];
    ownership?: string[];
    privatelink?: Record<string, unknown>;
    accounts?: Array<{ accountId: string; owner?: string; owners?: string[] }>;
  } = {},
) {
  const config = rootConfig();
  const settings = readActionsConfig(config);
  const synced: Entity[] = [];
  let ownership = options.ownership ?? [TEST_USER, ORDERS, 'group:default/payments'];
  const { writes, audit, published, notices } = testWrites({
    ec2: clients.ec2,
    entities: () => synced,
    accounts: options.accounts ?? [{ accountId: PROVIDER, owner: 'group:default/platform' }, { accountId: PAYMENTS, owner: 'group:default/payments' }],
    allow: ({ permission }) => !(options.denied ?? []).includes(permission),
    ownershipRefs: () => ownership,
    privatelink: options.privatelink,
  });
  const { tagKeys } = settings.privatelink;
  return {
    audit,
    published,
    notices,
    synced,
    setOwnership: (refs: string[]) => {
      ownership = refs;
    },
    nlb: createNetworkLoadBalancerAction({ clients, tagKeys, writes }),
    service: createEndpointServiceAction({ clients, tagKeys, emulator: settings.emulator, writes }),
    allow: createAllowPrincipalsAction({ writes, allowWildcardPrincipal: false }),
    accept: createAcceptConnectionsAction({ writes }),
    endpoint: createVpcEndpointAction({ ec2: clients.ec2, tagKeys, writes, pollMinDelayMs: 200 }),
    update: createUpdateEndpointServiceAction({ writes }),
    retire: createRetireEndpointServiceAction({ writes }),
    deleteEndpoint: createDeleteVpcEndpointAction({ writes }),
    deleteNlb: createDeleteNetworkLoadBalancerAction({ clients, tagKeys, writes, emulator: settings.emulator }),
  };
}

async function run(action: { handler: (ctx: any) => Promise<void> }, input: Record<string, unknown>) {
  const ctx = createMockActionContext({ input: input as any });
  await action.handler(ctx);
  return Object.fromEntries((ctx.output as jest.Mock).mock.calls) as Record<string, any>;
}

const account = (id: string) => seed.accounts.find(a => a.accountId === id)!;

async function withEc2<T>(accountId: string, fn: (ec2: Awaited<ReturnType<AwsClientFactories['ec2']>>) => Promise<T>) {
  const ec2 = await clients.ec2({ accountId, region: REGION });
  try {
    return await fn(ec2);
  } finally {
    ec2.destroy();
  }
}

const configurationOf = (serviceId: string) =>
  withEc2(PROVIDER, async ec2 => (await ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [serviceId] }))).ServiceConfigurations![0]);
const consumerState = (endpointId: string) =>
  withEc2(PAYMENTS, async ec2 => (await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpointId] }))).VpcEndpoints?.[0]?.State);

async function loadBalancerExists(arn: string) {
  const elb = await clients.elb({ accountId: PROVIDER, region: REGION });
  try {
    return ((await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? []).some(l => l.LoadBalancerArn === arn);
  } finally {
    elb.destroy();
  }
}

/**
 * A service exposed by the actions, synced into the test catalog under `name`, with `consumers` endpoints of
 * the payments account connected (accepted) and synced as the consumers' entities.
 */
async function exposed(actions: ReturnType<typeof actionsFor>, name: string, consumers: number, options: { dualstack?: boolean } = {}) {
  const p = account(PROVIDER);
  const nlb = await run(actions.nlb, {
    ...(options.dualstack ? { ipAddressType: 'dualstack' } : {}),
    accountId: PROVIDER,
    region: REGION,
    name,
    vpcId: p.vpcId,
    subnetIds: p.subnetIds.slice(0, 2),
    port: 443,
    targetPort: 8080,
    targetSecurityGroupId: p.securityGroupId,
    owner: ORDERS,
  });
  const service = await run(actions.service, { accountId: PROVIDER, region: REGION, networkLoadBalancerArns: [nlb.loadBalancerArn], name, owner: ORDERS });
  const serviceEntity = syncedServiceEntity({ serviceId: service.serviceId, name, owner: ORDERS });
  actions.synced.push(serviceEntity);
  await run(actions.allow, { accountId: PROVIDER, region: REGION, serviceId: service.serviceId, principals: [`arn:aws:iam::${PAYMENTS}:root`] });
  const endpointIds: string[] = [];
  for (let i = 0; i < consumers; i++) {
    const endpoint = await run(actions.endpoint, {
      accountId: PAYMENTS,
      region: REGION,
      serviceName: service.serviceName,
      serviceAccountId: PROVIDER,
      vpcId: account(PAYMENTS).vpcId,
      subnetIds: account(PAYMENTS).subnetIds,
      name: `${name}-consumer-${i}`,
      owner: 'group:default/payments',
    });
    endpointIds.push(endpoint.endpointId);
    actions.synced.push(syncedEndpointEntity({ endpointId: endpoint.endpointId, serviceRef: `resource:default/${name}` }));
  }
  if (endpointIds.length) await run(actions.accept, { accountId: PROVIDER, region: REGION, serviceId: service.serviceId, endpointIds });
  return { serviceId: service.serviceId as string, loadBalancerArn: nlb.loadBalancerArn as string, endpointIds, serviceEntity };
}

describe('changing and retiring a service against moto', () => {
  it("changes a service's settings and names the consumers a change cuts before making it", async () => {
    const actions = actionsFor();
    const { serviceId, endpointIds } = await exposed(actions, 'life-settings', 1);
    const target = { accountId: PROVIDER, region: REGION, serviceId };

    expect(await run(actions.update, { ...target, acceptanceRequired: false })).toEqual({ changed: ['acceptanceRequired'], cutConsumers: [] });
    expect((await configurationOf(serviceId)).AcceptanceRequired).toBe(false);
    // Asking for what is so already sends nothing.
    expect(await run(actions.update, { ...target, acceptanceRequired: false })).toEqual({ changed: [], cutConsumers: [] });

    expect(await run(actions.update, { ...target, addSupportedRegions: ['us-west-2'] })).toEqual({ changed: ['supportedRegions'], cutConsumers: [] });
    expect((await configurationOf(serviceId)).SupportedRegions?.map(r => r.Region)).toContain('us-west-2');
    await expect(run(actions.update, { ...target, removeSupportedRegions: [REGION] })).rejects.toThrow(InputError);

    // A first name cuts nobody; it starts verification.
    expect(await run(actions.update, { ...target, privateDnsName: 'api.life.example.com' })).toEqual({
      changed: ['privateDnsName'],
      cutConsumers: [],
      privateDnsState: 'pendingVerification',
    });
    // Another name would cut the connected consumer: refused, naming it, and AWS keeps the old name.
    const renamed = run(actions.update, { ...target, privateDnsName: 'api2.life.example.com' });
    await expect(renamed).rejects.toThrow(ConflictError);
    await expect(renamed).rejects.toThrow(`${endpointIds[0]} (account ${PAYMENTS}, resolves api.life.example.com)`);
    expect((await configurationOf(serviceId)).PrivateDnsName).toBe('api.life.example.com');
    expect(actions.audit.at(-1)).toMatchObject({ action: 'service.update', result: 'refused', actor: TEST_USER });

    expect(await run(actions.update, { ...target, removePrivateDnsName: true, confirmCuts: true })).toEqual({
      changed: ['privateDnsName'],
      cutConsumers: [endpointIds[0]],
    });
    expect((await configurationOf(serviceId)).PrivateDnsName).toBeFalsy();
    expect(actions.published.filter(e => e.serviceId === serviceId).length).toBeGreaterThan(0);
  });

  it('removes a consumer endpoint, refuses to retire a service with connected consumers unless forced, then retires it and its load balancer once', async () => {
    const actions = actionsFor();
    const { serviceId, loadBalancerArn, endpointIds } = await exposed(actions, 'life-retire', 2);
    const target = { accountId: PROVIDER, region: REGION, serviceId };
    const [gone, kept] = endpointIds;

    // The consumer removes one endpoint; a retry finds it gone and succeeds without a change.
    expect(await run(actions.deleteEndpoint, { accountId: PAYMENTS, region: REGION, endpointId: gone })).toEqual({
      deleted: true,
      endpointRef: `resource:default/${gone}`,
    });
    expect(await consumerState(gone)).toBe('deleted');
    expect(actions.published.at(-1)).toEqual(target);
    expect(await run(actions.deleteEndpoint, { accountId: PAYMENTS, region: REGION, endpointId: gone })).toMatchObject({ deleted: false });

    // The load balancer cannot go while the service uses it.
    await expect(run(actions.deleteNlb, { accountId: PROVIDER, region: REGION, loadBalancerArn })).rejects.toThrow(/still used by the endpoint service/);

    // One consumer is still connected: refused, naming it; nothing changed.
    const refused = run(actions.retire, { ...target, confirmName: 'life-retire' });
    await expect(refused).rejects.toThrow(ConflictError);
    await expect(refused).rejects.toThrow(kept);
    expect((await configurationOf(serviceId)).ServiceId).toBe(serviceId);
    expect(await consumerState(kept)).toBe('available');
    await expect(run(actions.retire, { ...target, confirmName: 'life', force: true })).rejects.toThrow(InputError);
    expect(actions.notices).toEqual([]);

    expect(await run(actions.retire, { ...target, confirmName: 'life-retire', force: true })).toEqual({
      deleted: true,
      rejectedConnections: [kept],
      notified: ['group:default/payments'],
      loadBalancerArns: [loadBalancerArn],
    });
    expect(actions.notices).toEqual([expect.objectContaining({ recipients: ['group:default/payments'], entityRef: 'resource:default/life-retire' })]);
    expect(await consumerState(kept)).toBe('rejected');
    await expect(configurationOf(serviceId)).rejects.toMatchObject({ name: 'InvalidVpcEndpointServiceId.NotFound' });
    expect(actions.published.at(-1)).toEqual({ ...target, retired: true });
    // A retried retirement (the entity not yet gone from the catalog) succeeds without a change.
    expect(await run(actions.retire, { ...target, confirmName: 'life-retire', force: true })).toMatchObject({ deleted: false, rejectedConnections: [] });

    // The load balancer: only its owners, not while deletion protection is on, then once.
    actions.setOwnership([TEST_USER, 'group:default/payments']);
    await expect(run(actions.deleteNlb, { accountId: PROVIDER, region: REGION, loadBalancerArn })).rejects.toThrow(NotAllowedError);
    actions.setOwnership([TEST_USER, ORDERS]);
    const elb = await clients.elb({ accountId: PROVIDER, region: REGION });
    const protect = (on: boolean) =>
      elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: loadBalancerArn, Attributes: [{ Key: 'deletion_protection.enabled', Value: String(on) }] }));
    try {
      await protect(true);
      await expect(run(actions.deleteNlb, { accountId: PROVIDER, region: REGION, loadBalancerArn })).rejects.toThrow(/deletion protection/);
      expect(await loadBalancerExists(loadBalancerArn)).toBe(true);
      await protect(false);
    } finally {
      elb.destroy();
    }
    expect(await run(actions.deleteNlb, { accountId: PROVIDER, region: REGION, loadBalancerArn })).toEqual({ deleted: true });
    expect(await loadBalancerExists(loadBalancerArn)).toBe(false);
    expect(await run(actions.deleteNlb, { accountId: PROVIDER, region: REGION, loadBalancerArn })).toEqual({ deleted: false });

    const rows = actions.audit.filter(r => ['endpoint.delete', 'service.delete', 'nlb.delete'].includes(r.action)).map(r => `${r.action}:${r.result}`);
    expect(rows).toEqual([
      'endpoint.delete:success',
      'endpoint.delete:success',
      'nlb.delete:refused',
      'service.delete:refused',
      'service.delete:refused',
      'service.delete:success',
      'service.delete:success',
      'nlb.delete:refused',
      'nlb.delete:refused',
      'nlb.delete:success',
      'nlb.delete:success',
    ]);
  });

  it('changes the IP address types consumers connect over: IPv6 only behind a dualstack load balancer, naming the consumers a removed type cuts', async () => {
    const actions = actionsFor();
    const plain = await exposed(actions, 'life-ipv4', 0);
    // EC2 refuses IPv6 behind an IPv4-only load balancer: a short message, nothing changed.
    const refused = run(actions.update, { accountId: PROVIDER, region: REGION, serviceId: plain.serviceId, supportedIpAddressTypes: ['ipv4', 'ipv6'] });
    await expect(refused).rejects.toThrow(`Could not change the settings of ${plain.serviceId}`);
    expect((await configurationOf(plain.serviceId)).SupportedIpAddressTypes).toEqual(['ipv4']);
    expect(actions.audit.at(-1)).toMatchObject({ action: 'service.update', result: 'error' });

    const { serviceId, endpointIds } = await exposed(actions, 'life-dualstack', 1, { dualstack: true });
    const target = { accountId: PROVIDER, region: REGION, serviceId };
    expect(await run(actions.update, { ...target, supportedIpAddressTypes: ['ipv4', 'ipv6'] })).toEqual({
      changed: ['supportedIpAddressTypes'],
      cutConsumers: [],
    });
    expect((await configurationOf(serviceId)).SupportedIpAddressTypes).toEqual(['ipv4', 'ipv6']);
    // The consumer connects over IPv4: dropping IPv4 cuts it.
    const cut = run(actions.update, { ...target, supportedIpAddressTypes: ['ipv6'] });
    await expect(cut).rejects.toThrow(ConflictError);
    await expect(cut).rejects.toThrow(`${endpointIds[0]} (account ${PAYMENTS}, connects over IPv4)`);
    expect((await configurationOf(serviceId)).SupportedIpAddressTypes).toEqual(['ipv4', 'ipv6']);
    await expect(run(actions.update, { ...target, supportedIpAddressTypes: [] })).rejects.toThrow(InputError);
  });

  it('moves a service in the catalog through the tags Backstage owns: system and component as named, the owner only to a team of the initiator that the account permits', async () => {
    const actions = actionsFor({ ownership: [TEST_USER, ORDERS, 'group:default/payments'] });
    const { serviceId } = await exposed(actions, 'life-tags', 0);
    const target = { accountId: PROVIDER, region: REGION, serviceId };
    const entity = (kind: string, name: string): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind,
      metadata: { name, namespace: 'default' },
      spec: kind === 'Group' ? { type: 'team', children: [] } : { owner: ORDERS },
    });
    actions.synced.push(entity('Group', 'payments'), entity('Group', 'search'), entity('System', 'checkout'), entity('Component', 'orders-api'));
    const tagsOf = async () =>
      Object.fromEntries(((await configurationOf(serviceId)).Tags ?? []).map(t => [t.Key, t.Value]));

    expect(await run(actions.update, { ...target, system: 'checkout', component: 'orders-api' })).toEqual({ changed: ['system', 'component'], cutConsumers: [] });
    expect(await tagsOf()).toMatchObject({ 'backstage:system': 'system:default/checkout', 'backstage:component': 'component:default/orders-api' });
    // Named as written or in full, the same entity changes nothing.
    expect(await run(actions.update, { ...target, system: 'system:default/checkout' })).toEqual({ changed: [], cutConsumers: [] });

    await expect(run(actions.update, { ...target, system: 'no-such-system' })).rejects.toThrow('system: system:default/no-such-system is not in the catalog');
    // A team the initiator is not in: refused, the owner tag unchanged.
    const notMine = run(actions.update, { ...target, owner: 'search' });
    await expect(notMine).rejects.toThrow(NotAllowedError);
    await expect(notMine).rejects.toThrow('only to a team you belong to, not to group:default/search');
    expect((await tagsOf())['backstage:owner']).toBe(ORDERS);

    expect(await run(actions.update, { ...target, owner: 'group:default/payments' })).toEqual({ changed: ['owner'], cutConsumers: [] });
    expect((await tagsOf())['backstage:owner']).toBe('group:default/payments');
    expect(actions.published.at(-1)).toEqual(target);
    expect(actions.audit.filter(r => r.action === 'service.update').map(r => r.result)).toEqual(['success', 'success', 'refused', 'refused', 'success']);

    // An account that permits only some teams (accounts[].owners) refuses a handover to another, even by its member.
    const strict = actionsFor({
      ownership: [TEST_USER, 'group:default/payments', 'group:default/search'],
      accounts: [{ accountId: PROVIDER, owner: 'group:default/platform', owners: [ORDERS, 'group:default/payments'] }, { accountId: PAYMENTS }],
    });
    strict.synced.push(...actions.synced);
    await expect(run(strict.update, { ...target, owner: 'search' })).rejects.toThrow(
      `Account ${PROVIDER} does not permit the owner group:default/search`,
    );
    expect((await tagsOf())['backstage:owner']).toBe('group:default/payments');
  });

  it('with a grace period, announces a forced retirement to the connected consumers first and retires the service only once the period has passed', async () => {
    const actions = actionsFor({ privatelink: { retirement: { gracePeriod: { days: 7 } } } });
    const { serviceId, endpointIds } = await exposed(actions, 'life-grace', 1);
    const target = { accountId: PROVIDER, region: REGION, serviceId };
    const before = Date.now();

    const announced = await run(actions.retire, { ...target, confirmName: 'life-grace', force: true });
    expect(announced).toMatchObject({ deleted: false, rejectedConnections: [], notified: ['group:default/payments'] });
    const announcedAt = Date.parse((await configurationOf(serviceId)).Tags!.find(t => t.Key === 'privatelink:retirement-announced')!.Value!);
    expect(announcedAt).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(announced.retireAfter) - announcedAt).toBe(7 * 24 * 3600 * 1000);
    expect(actions.notices).toEqual([
      expect.objectContaining({ recipients: ['group:default/payments'], title: 'life-grace will be retired', description: expect.stringContaining(announced.retireAfter) }),
    ]);
    expect(await consumerState(endpointIds[0])).toBe('available');

    // Within the period a forced retirement is refused, saying from when it is possible; nothing changes.
    const early = run(actions.retire, { ...target, confirmName: 'life-grace', force: true });
    await expect(early).rejects.toThrow(ConflictError);
    await expect(early).rejects.toThrow(`it can be retired with force from ${announced.retireAfter}`);
    expect(actions.notices).toHaveLength(1);

    // Eight days later (the announcement's tag set back), it retires the service.
    await withEc2(PROVIDER, ec2 =>
      ec2.send(
        new CreateTagsCommand({
          Resources: [serviceId],
          Tags: [{ Key: 'privatelink:retirement-announced', Value: new Date(announcedAt - 8 * 24 * 3600 * 1000).toISOString() }],
        }),
      ),
    );
    expect(await run(actions.retire, { ...target, confirmName: 'life-grace', force: true })).toMatchObject({ deleted: true, rejectedConnections: endpointIds });
    expect(await consumerState(endpointIds[0])).toBe('rejected');
    expect(actions.audit.filter(r => r.action === 'service.delete').map(r => r.result)).toEqual(['success', 'refused', 'success']);
  });

  it.each([
    ['update', 'privatelink.endpointService.update', (t: Record<string, string>) => ({ ...t, acceptanceRequired: false })],
    ['retire', 'privatelink.endpointService.delete', (t: Record<string, string>) => ({ ...t, confirmName: 'life-refused-retire', force: true })],
  ] as const)('refuses %s to a user without %s, changing nothing in AWS', async (action, permission, input) => {
    const owner = actionsFor();
    const { serviceId } = await exposed(owner, `life-refused-${action}`, 0);
    const other = actionsFor({ denied: [permission] });
    other.synced.push(...owner.synced);
    const before = await configurationOf(serviceId);
    const target = { accountId: PROVIDER, region: REGION, serviceId };
    const step = run(other[action], input(target));
    await expect(step).rejects.toThrow(NotAllowedError);
    await expect(step).rejects.toThrow(`${permission} is not allowed`);
    expect(await configurationOf(serviceId)).toEqual(before);
    expect(other.published).toEqual([]);
    expect(other.audit).toEqual([expect.objectContaining({ action: action === 'update' ? 'service.update' : 'service.delete', result: 'refused' })]);
  });

  it("refuses to delete another team's endpoint (no privatelink.endpoint.delete on it), and a forged endpoint entity", async () => {
    const owner = actionsFor();
    const { endpointIds } = await exposed(owner, 'life-endpoint-refused', 1);
    const other = actionsFor({ denied: ['privatelink.endpoint.delete'] });
    other.synced.push(...owner.synced);
    const input = { accountId: PAYMENTS, region: REGION, endpointId: endpointIds[0] };
    await expect(run(other.deleteEndpoint, input)).rejects.toThrow('privatelink.endpoint.delete is not allowed');

    const forger = actionsFor();
    const real = owner.synced.find(e => e.metadata.name === endpointIds[0])!;
    forger.synced.push({
      ...real,
      metadata: { ...real.metadata, annotations: { ...real.metadata.annotations, 'backstage.io/managed-by-location': 'url:https://example.com/catalog-info.yaml' } },
    });
    await expect(run(forger.deleteEndpoint, input)).rejects.toThrow(`No VPC endpoint ${endpointIds[0]}`);
    expect(await consumerState(endpointIds[0])).toBe('available');
    expect([...other.audit, ...forger.audit].map(r => r.result)).toEqual(['refused', 'refused']);
  });
});
