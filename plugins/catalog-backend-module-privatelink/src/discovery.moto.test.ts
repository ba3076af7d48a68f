/**
 * Integration: accounts discovered from AWS Organizations (moto's), and the sync that follows them. The
 * organisation is built in moto as a platform team's would be: organizational units, accounts created in them,
 * account tags; an endpoint service in a discovered account is reached through STS AssumeRole like any other.
 */
import { CreateVpcEndpointServiceConfigurationCommand, DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateLoadBalancerCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  DescribeCreateAccountStatusCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockServices, ServiceFactoryTester } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { MOTO_CREDENTIALS, MotoServer, resetMoto, startMoto } from '@privatelink-backstage/dev-aws';
import {
  AccountDirectory,
  listOrganizationAccounts,
  privatelinkConfigServiceFactory,
  readPrivateLinkConfig,
} from '@privatelink-backstage/plugin-privatelink-node';
import { createAwsClientFactory } from './aws/clients';
import { PrivateLinkEntityProvider } from './PrivateLinkEntityProvider';

jest.setTimeout(120_000);

const MANAGEMENT = '123456789012';
const REGION = 'us-east-1';
let moto: MotoServer;
let org: OrganizationsClient;
const savedEndpointUrl = process.env.AWS_ENDPOINT_URL;

/** The organisation of these tests: root → workloads (→ payments, with one account) and sandbox. */
type TestOrg = {
  rootId: string;
  workloads: string;
  paymentsUnit: string;
  sandbox: string;
  /** Account ids by name. */
  accounts: Record<'logging' | 'payments' | 'sandbox' | 'untagged', string>;
};

async function createAccount(name: string, parentId: string, rootId: string, tags: Record<string, string>) {
  const created = await org.send(
    new CreateAccountCommand({
      AccountName: name,
      Email: `${name}@example.com`,
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
  const status = await org.send(
    new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: created.CreateAccountStatus!.Id! }),
  );
  const accountId = status.CreateAccountStatus!.AccountId!;
  if (parentId !== rootId) {
    await org.send(new MoveAccountCommand({ AccountId: accountId, SourceParentId: rootId, DestinationParentId: parentId }));
  }
  return accountId;
}

async function buildOrg(): Promise<TestOrg> {
  await resetMoto(moto.endpoint);
  await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const rootId = (await org.send(new ListRootsCommand({}))).Roots![0].Id!;
  const unit = async (parentId: string, name: string) =>
    (await org.send(new CreateOrganizationalUnitCommand({ ParentId: parentId, Name: name }))).OrganizationalUnit!.Id!;
  const workloads = await unit(rootId, 'workloads');
  const paymentsUnit = await unit(workloads, 'payments');
  const sandbox = await unit(rootId, 'sandbox');
  const enabled = { privatelink: 'enabled' };
  return {
    rootId,
    workloads,
    paymentsUnit,
    sandbox,
    accounts: {
      logging: await createAccount('logging', workloads, rootId, {
        ...enabled,
        'backstage:owner': 'group:default/platform',
        'backstage:system': 'observability',
      }),
      payments: await createAccount('payments', paymentsUnit, rootId, { ...enabled, 'backstage:owner': 'payments' }),
      sandbox: await createAccount('sandbox', sandbox, rootId, { ...enabled, 'backstage:owner': 'not a ref!' }),
      untagged: await createAccount('untagged', workloads, rootId, {}),
    },
  };
}

beforeAll(async () => {
  moto = await startMoto();
  process.env.AWS_ENDPOINT_URL = moto.endpoint;
  org = new OrganizationsClient({ region: REGION, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });
});

afterAll(async () => {
  if (savedEndpointUrl === undefined) delete process.env.AWS_ENDPOINT_URL;
  else process.env.AWS_ENDPOINT_URL = savedEndpointUrl;
  org?.destroy();
  await moto?.stop();
});

const discoveryConfig = (organizations: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  readPrivateLinkConfig(
    new ConfigReader({
      privatelink: {
        endpoint: moto.endpoint,
        regions: [REGION],
        discovery: { organizations: { accountId: MANAGEMENT, ...organizations } },
        ...extra,
      },
    }),
  );

describe('listOrganizationAccounts against moto', () => {
  let o: TestOrg;
  beforeAll(async () => {
    o = await buildOrg();
  });

  const list = (organizations: Record<string, unknown>) => {
    const config = discoveryConfig(organizations);
    return listOrganizationAccounts(org, config.discovery.organizations!, { defaultRegions: config.regions });
  };
  const ids = (accounts: { accountId: string }[]) => accounts.map(a => a.accountId).sort();

  it('lists every account of the organisation by default, with owner and system from their tags', async () => {
    const listing = await list({});
    // The management account belongs to the organisation too.
    expect(ids(listing.accounts)).toEqual(ids([...Object.values(o.accounts), MANAGEMENT].map(accountId => ({ accountId }))));
    expect(listing.accounts.find(a => a.accountId === o.accounts.logging)).toEqual({
      accountId: o.accounts.logging,
      name: 'logging',
      regions: [REGION],
      owner: 'group:default/platform',
      system: 'system:default/observability',
    });
    expect(listing.accounts.find(a => a.accountId === o.accounts.payments)?.owner).toBe('group:default/payments');
    // A tag that is not an entity ref is not used, and said so.
    expect(listing.accounts.find(a => a.accountId === o.accounts.sandbox)).not.toHaveProperty('owner');
    expect(listing.warnings).toEqual([expect.stringContaining(`Account ${o.accounts.sandbox}: its tag backstage:owner=not a ref!`)]);
  });

  it('keeps the accounts that carry every required tag, minus the excluded ones', async () => {
    const listing = await list({ tags: { privatelink: 'enabled' }, exclude: [o.accounts.sandbox] });
    expect(ids(listing.accounts)).toEqual([o.accounts.logging, o.accounts.payments].sort());
  });

  it('reads organizational units with the units below them, or without, each with its regions', async () => {
    const withChildren = await list({
      organizationalUnits: [{ id: o.workloads, regions: ['eu-west-1', 'us-east-1'] }],
    });
    expect(ids(withChildren.accounts)).toEqual([o.accounts.logging, o.accounts.payments, o.accounts.untagged].sort());
    expect(withChildren.accounts.every(a => a.regions.join() === 'eu-west-1,us-east-1')).toBe(true);

    const only = await list({ organizationalUnits: [{ id: o.workloads, includeChildren: false }, { id: o.paymentsUnit, regions: ['eu-central-1'] }] });
    expect(only.accounts.map(a => [a.accountId, a.regions])).toEqual(
      expect.arrayContaining([
        [o.accounts.logging, [REGION]],
        [o.accounts.untagged, [REGION]],
        [o.accounts.payments, ['eu-central-1']],
      ]),
    );
    expect(only.accounts).toHaveLength(3);
  });

  it('refuses a discovery block with a malformed unit, account or tag key, naming the field', () => {
    expect(() => discoveryConfig({ organizationalUnits: [{ id: 'workloads' }] })).toThrow(
      /privatelink\.discovery\.organizations\.organizationalUnits\.0\.id: must be an organizational unit id/,
    );
    expect(() => discoveryConfig({ exclude: ['12345'] })).toThrow(/privatelink\.discovery\.organizations\.exclude\.0/);
    expect(() => discoveryConfig({ accountId: 'management' })).toThrow(/privatelink\.discovery\.organizations\.accountId/);
    expect(() => discoveryConfig({ tags: { '': 'x' } })).toThrow(/privatelink\.discovery\.organizations\.tags/);
  });
});

describe('the sync follows the organisation', () => {
  let o: TestOrg;
  let serviceId: string;

  beforeAll(async () => {
    o = await buildOrg();
    // An endpoint service in the discovered payments account, created with that account's own credentials.
    const sts = new STSClient({ region: REGION, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });
    const assumed = await sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${o.accounts.payments}:role/PrivateLinkReader`, RoleSessionName: 'test' }),
    );
    sts.destroy();
    const c = assumed.Credentials!;
    const client = {
      region: REGION,
      endpoint: moto.endpoint,
      credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken },
    };
    const ec2 = new EC2Client(client);
    const elb = new ElasticLoadBalancingV2Client(client);
    // The account's default VPC, as a new account has one.
    const { Subnets = [] } = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }));
    const nlb = await elb.send(
      new CreateLoadBalancerCommand({
        Name: 'payments-nlb',
        Type: 'network',
        Scheme: 'internal',
        Subnets: Subnets.slice(0, 2).map(subnet => subnet.SubnetId!),
      }),
    );
    elb.destroy();
    const created = await ec2.send(
      new CreateVpcEndpointServiceConfigurationCommand({
        NetworkLoadBalancerArns: [nlb.LoadBalancers![0].LoadBalancerArn!],
        AcceptanceRequired: false,
        TagSpecifications: [{ ResourceType: 'vpc-endpoint-service', Tags: [{ Key: 'backstage:name', Value: 'payments-gateway' }] }],
      }),
    );
    ec2.destroy();
    serviceId = created.ServiceConfiguration!.ServiceId!;
  });

  function setUp() {
    const rootConfig = new ConfigReader({
      aws: { mainAccount: { ...MOTO_CREDENTIALS }, accountDefaults: { roleName: 'PrivateLinkReader' } },
      privatelink: {
        endpoint: moto.endpoint,
        regions: [REGION],
        defaultOwner: 'group:default/platform',
        // Configured accounts win over discovered ones.
        accounts: [{ accountId: o.accounts.logging, name: 'logging (configured)', owner: 'group:default/observability' }],
        discovery: { organizations: { accountId: MANAGEMENT, tags: { privatelink: 'enabled' }, exclude: [o.accounts.sandbox] } },
      },
    });
    const config = readPrivateLinkConfig(rootConfig);
    const logger = mockServices.logger.mock();
    let failNext = false;
    const directory = new AccountDirectory({
      config,
      logger,
      list: async () => {
        if (failNext) {
          failNext = false;
          throw Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
        }
        return listOrganizationAccounts(org, config.discovery.organizations!, { defaultRegions: config.regions });
      },
    });
    const mutations: any[] = [];
    const connection: EntityProviderConnection = { applyMutation: async m => void mutations.push(m), refresh: async () => {} };
    const provider = new PrivateLinkEntityProvider({
      config: directory.config,
      clients: createAwsClientFactory({ config: rootConfig, endpoint: config.endpoint }),
      logger,
    });
    return { directory, provider, connection, mutations, logger, failNextListing: () => (failNext = true) };
  }

  const servicesIn = (mutation: any): Entity[] =>
    mutation.entities.map((d: any) => d.entity).filter((e: Entity) => e.spec?.type === 'vpc-endpoint-service');

  it("reads a discovered account's services, drops them when the account stops matching, and keeps them when Organizations fails", async () => {
    const { directory, provider, connection, mutations, logger, failNextListing } = setUp();
    await provider.connect(connection);

    // Before the first listing only the configured account is read.
    await provider.refresh();
    expect(servicesIn(mutations.at(-1))).toEqual([]);

    expect(await directory.refresh()).toMatchObject({ discovery: 'ok', accounts: 2, discovered: 1 });
    expect(directory.config.accounts.map(a => [a.accountId, a.name])).toEqual([
      [o.accounts.logging, 'logging (configured)'],
      [o.accounts.payments, 'payments'],
    ]);
    const report = await provider.refresh();
    expect(report.targets.map(t => [t.accountId, t.ok])).toEqual([
      [o.accounts.logging, true],
      [o.accounts.payments, true],
    ]);
    const [service] = servicesIn(mutations.at(-1));
    expect(service.metadata.name).toBe('payments-gateway');
    expect(service.metadata.annotations).toMatchObject({
      'privatelink.io/service-id': serviceId,
      'amazonaws.com/account-id': o.accounts.payments,
    });
    // The owner comes from the account's own tag.
    expect(service.spec?.owner).toBe('group:default/payments');

    // Organizations refuses: the last good list stays, and so do the entities.
    failNextListing();
    expect(await directory.refresh()).toMatchObject({ discovery: 'failed', accounts: 2, lastError: expect.stringContaining('AccessDeniedException') });
    expect(logger.warn).toHaveBeenCalledWith(
      'Could not list the AWS organisation; keeping the accounts of the last good listing',
      expect.objectContaining({ accounts: 2 }),
    );
    await provider.refresh();
    expect(servicesIn(mutations.at(-1)).map(e => e.metadata.name)).toEqual(['payments-gateway']);

    // The account loses its tag: at the next good listing it is gone, and its entities with the next sync.
    await org.send(new UntagResourceCommand({ ResourceId: o.accounts.payments, TagKeys: ['privatelink'] }));
    try {
      expect(await directory.refresh()).toMatchObject({ discovery: 'ok', accounts: 1, discovered: 0 });
      await provider.refresh();
      expect(mutations.at(-1).type).toBe('full');
      expect(servicesIn(mutations.at(-1))).toEqual([]);
    } finally {
      await org.send(new TagResourceCommand({ ResourceId: o.accounts.payments, Tags: [{ Key: 'privatelink', Value: 'enabled' }] }));
    }
  });

  it('lists the organisation when the backend starts, through the shared config service', async () => {
    const tester = ServiceFactoryTester.from(privatelinkConfigServiceFactory, {
      dependencies: [
        mockServices.rootConfig.factory({
          data: {
            aws: { mainAccount: { ...MOTO_CREDENTIALS } },
            privatelink: {
              endpoint: moto.endpoint,
              regions: [REGION],
              discovery: { organizations: { accountId: MANAGEMENT, tags: { privatelink: 'enabled' } } },
            },
          },
        }),
      ],
    });
    const service = await tester.getSubject();
    expect(service.accountsStatus()).toMatchObject({ discovery: 'ok', accounts: 3 });
    expect(service.config.accounts.map(a => a.accountId).sort()).toEqual(
      [o.accounts.logging, o.accounts.payments, o.accounts.sandbox].sort(),
    );
  });

  it('discovers nothing while the sync is off', async () => {
    const tester = ServiceFactoryTester.from(privatelinkConfigServiceFactory, {
      dependencies: [
        mockServices.rootConfig.factory({
          data: {
            privatelink: {
              endpoint: moto.endpoint,
              sync: { enabled: false },
              discovery: { organizations: { accountId: MANAGEMENT } },
            },
          },
        }),
      ],
    });
    const service = await tester.getSubject();
    expect(service.accountsStatus()).toEqual({ discovery: 'off', accounts: 0, discovered: 0 });
  });
});
