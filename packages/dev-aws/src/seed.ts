// Seeds the demo organisation (DEMO_ORG) into moto through the AWS SDK v3.
// Idempotent: every resource carries the tag `privatelink-demo:key` and is
// looked up by it before being created. Only erasable TypeScript syntax.
import {
  AcceptVpcEndpointConnectionsCommand,
  paginateDescribeVpcEndpointConnections,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  CreateVpcEndpointServiceConfigurationCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcAttributeCommand,
  EC2Client,
  ModifyVpcAttributeCommand,
  ModifyVpcEndpointServicePermissionsCommand,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVpcEndpointServiceConfigurations,
  paginateDescribeVpcEndpointServicePermissions,
  paginateDescribeVpcEndpoints,
  paginateDescribeVpcs,
} from '@aws-sdk/client-ec2';
import type {
  Filter,
  ResourceType,
  SecurityGroup,
  Tag,
  TagSpecification,
} from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  ModifyLoadBalancerAttributesCommand,
  paginateDescribeListeners,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { Route53Client } from '@aws-sdk/client-route-53';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import {
  createAccount,
  createOrganization,
  createUnit,
  findAccount,
  findOrganization,
  findUnit,
  rootId,
  tagAccount,
} from './seedOrganization.ts';
import { DEMO_KEY_TAG, DEMO_ORG, demoKeys, getDemoAccount } from './demoOrg.ts';
import { createPublicZone, findPublicZone, verifyPrivateDnsName } from './seedDns.ts';
import type { DemoAccount, DemoOrg, DemoService } from './demoOrg.ts';

/**
 * Static credentials accepted by moto; they act in moto's default account
 * (`123456789012`, the demo provider account).
 *
 * @public
 */
export const MOTO_CREDENTIALS = {
  accessKeyId: 'testing',
  secretAccessKey: 'testing',
} as const;

/**
 * Options of {@link seedDemoOrg}.
 *
 * @public
 */
export type SeedOptions = {
  /** moto (or other AWS-compatible) endpoint, e.g. `http://127.0.0.1:5000`. */
  endpoint: string;
  /** Defaults to the org's region (`us-east-1`). */
  region?: string;
  /** Receives one line per created or reused resource and per notable event. */
  log?: (line: string) => void;
  /** The organisation to seed; defaults to {@link DEMO_ORG}. */
  org?: DemoOrg;
};

/**
 * Kinds of resources the seed creates.
 *
 * @public
 */
export type SeedResourceKind =
  | 'organization'
  | 'organizationalUnit'
  | 'account'
  | 'vpc'
  | 'subnet'
  | 'securityGroup'
  | 'loadBalancer'
  | 'targetGroup'
  | 'listener'
  | 'endpointService'
  | 'vpcEndpoint'
  | 'hostedZone';

/**
 * How many resources the seed created and how many it found and reused.
 *
 * @public
 */
export type SeedCounts = {
  created: number;
  reused: number;
  byKind: Record<SeedResourceKind, { created: number; reused: number }>;
};

/**
 * A seeded account.
 *
 * @public
 */
export type SeededAccount = {
  accountId: string;
  name: string;
  role: 'provider' | 'consumer';
  vpcId: string;
  subnetIds: string[];
  /** Targets' security group (provider) or endpoints' security group (consumer). */
  securityGroupId: string;
};

/**
 * A seeded endpoint service.
 *
 * @public
 */
export type SeededService = {
  /** Stable key, e.g. `service/orders-api`. */
  key: string;
  /** Demo service name, e.g. `orders-api`. */
  name: string;
  serviceId: string;
  serviceName: string;
  accountId: string;
  privateDnsName?: string;
  /** `pendingVerification`, `verified` or `failed`, as EC2 reports it after the seed. */
  privateDnsState?: string;
  acceptanceRequired: boolean;
  nlbArn: string;
  targetGroupArn: string;
  allowedPrincipals: string[];
};

/**
 * A seeded VPC endpoint (to a demo endpoint service or to an AWS service).
 *
 * @public
 */
export type SeededEndpoint = {
  /** Stable key, e.g. `endpoint/payments-prod/orders-api`. */
  key: string;
  endpointId: string;
  accountId: string;
  serviceName: string;
  type: 'Interface' | 'Gateway';
  /** Demo service name when the endpoint targets a demo endpoint service. */
  service?: string;
  privateDnsEnabled: boolean;
};

/**
 * What {@link seedDemoOrg} created or found.
 *
 * @public
 */
export type SeedResult = {
  endpoint: string;
  region: string;
  accounts: SeededAccount[];
  services: SeededService[];
  endpoints: SeededEndpoint[];
  /** The public hosted zone of the private DNS names, when a service has one. */
  publicZone?: { name: string; id: string };
  counts: SeedCounts;
};

type Credentials = {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
};

type Ctx = {
  endpoint: string;
  region: string;
  log: (line: string) => void;
  counts: SeedCounts;
};

const KINDS: readonly SeedResourceKind[] = [
  'organization',
  'organizationalUnit',
  'account',
  'vpc',
  'subnet',
  'securityGroup',
  'loadBalancer',
  'targetGroup',
  'listener',
  'endpointService',
  'vpcEndpoint',
  'hostedZone',
];

function emptyCounts(): SeedCounts {
  const byKind = {} as SeedCounts['byKind'];
  for (const kind of KINDS) byKind[kind] = { created: 0, reused: 0 };
  return { created: 0, reused: 0, byKind };
}

function keyFilter(key: string): Filter[] {
  return [{ Name: `tag:${DEMO_KEY_TAG}`, Values: [key] }];
}

function hasKey(tags: Tag[] | undefined, key: string): boolean {
  return (tags ?? []).some(t => t.Key === DEMO_KEY_TAG && t.Value === key);
}

/** Tags in the shape both the EC2 and the ELBv2 clients accept. */
function toTags(
  key: string,
  extra: Readonly<Record<string, string>> = {},
): { Key: string; Value: string }[] {
  return [
    ...Object.entries(extra).map(([Key, Value]) => ({ Key, Value })),
    { Key: DEMO_KEY_TAG, Value: key },
  ];
}

function tagSpec(
  resourceType: ResourceType,
  key: string,
  extra?: Readonly<Record<string, string>>,
): TagSpecification[] {
  return [{ ResourceType: resourceType, Tags: toTags(key, extra) }];
}

function required<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) {
    throw new Error(`AWS API response is missing ${what}`);
  }
  return value;
}

function errorName(err: unknown): string {
  return (err as { name?: string } | undefined)?.name ?? '';
}

/** First item of all pages that matches `match`. */
async function findInPages<P, T>(
  pages: AsyncIterable<P>,
  items: (page: P) => T[] | undefined,
  match: (item: T) => boolean,
): Promise<T | undefined> {
  for await (const page of pages) {
    const found = (items(page) ?? []).find(match);
    if (found) return found;
  }
  return undefined;
}

/** Finds a resource, or creates it; counts and logs which one happened. */
async function ensure<T>(
  ctx: Ctx,
  kind: SeedResourceKind,
  key: string,
  find: () => Promise<T | undefined>,
  create: () => Promise<T>,
  id: (value: T) => string | undefined,
): Promise<T> {
  const existing = await find();
  if (existing !== undefined) {
    ctx.counts.reused += 1;
    ctx.counts.byKind[kind].reused += 1;
    ctx.log(`reused  ${kind} ${key} (${id(existing)})`);
    return existing;
  }
  const created = await create();
  ctx.counts.created += 1;
  ctx.counts.byKind[kind].created += 1;
  ctx.log(`created ${kind} ${key} (${id(created)})`);
  return created;
}

/**
 * The organisation, its unit and its member accounts, with the account tags that account discovery reads; the
 * provider account is the management account.
 */
async function ensureOrganization(ctx: Ctx, org: DemoOrg, credentials: Credentials): Promise<void> {
  const client = new OrganizationsClient({ endpoint: ctx.endpoint, region: ctx.region, credentials });
  try {
    await ensure(ctx, 'organization', 'organization', () => findOrganization(client), () => createOrganization(client), o => o.Id);
    const root = await rootId(client);
    const unit = await ensure(
      ctx,
      'organizationalUnit',
      `ou/${org.organizationalUnit}`,
      () => findUnit(client, root, org.organizationalUnit),
      () => createUnit(client, root, org.organizationalUnit),
      u => u.Id,
    );
    for (const account of org.accounts) {
      const tags = account.organizationTags;
      if (!tags) continue;
      const existing = await ensure(
        ctx,
        'account',
        `account/${account.name}`,
        () => findAccount(client, account.accountId),
        () => createAccount(client, { accountId: account.accountId, name: account.name, tags, rootId: root, unitId: unit.Id! }),
        a => a.Id,
      );
      // Tags as the demo defines them, also on an account from an earlier run.
      await tagAccount(client, required(existing.Id, 'Account.Id'), tags);
    }
  } finally {
    client.destroy();
  }
}

function ec2Client(ctx: Ctx, credentials: Credentials, maxAttempts?: number) {
  return new EC2Client({
    endpoint: ctx.endpoint,
    region: ctx.region,
    credentials,
    maxAttempts,
  });
}

async function credentialsFor(
  ctx: Ctx,
  account: DemoAccount,
): Promise<Credentials> {
  let credentials: Credentials = { ...MOTO_CREDENTIALS };
  if (account.assumeRoleArn) {
    const sts = new STSClient({
      endpoint: ctx.endpoint,
      region: ctx.region,
      credentials,
    });
    const res = await sts.send(
      new AssumeRoleCommand({
        RoleArn: account.assumeRoleArn,
        RoleSessionName: 'privatelink-demo-seed',
        DurationSeconds: 3600,
      }),
    );
    const c = required(res.Credentials, 'AssumeRole Credentials');
    credentials = {
      accessKeyId: required(c.AccessKeyId, 'AccessKeyId'),
      secretAccessKey: required(c.SecretAccessKey, 'SecretAccessKey'),
      sessionToken: c.SessionToken,
    };
  }
  // The whole demo relies on really acting in separate accounts: check it.
  const identity = await new STSClient({
    endpoint: ctx.endpoint,
    region: ctx.region,
    credentials,
  }).send(new GetCallerIdentityCommand({}));
  if (identity.Account !== account.accountId) {
    throw new Error(
      `Expected to act in account ${account.accountId} (${account.name}) but the credentials act in ${identity.Account}`,
    );
  }
  return credentials;
}

async function ensureSecurityGroupIngress(
  ctx: Ctx,
  ec2: EC2Client,
  group: SecurityGroup,
  port: number,
  cidr: string,
): Promise<void> {
  const groupId = required(group.GroupId, 'GroupId');
  // Re-read: a freshly created group has no rules yet, a reused one may.
  const res = await ec2.send(
    new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }),
  );
  const present = (res.SecurityGroups?.[0]?.IpPermissions ?? []).some(
    p =>
      p.IpProtocol === 'tcp' &&
      p.FromPort === port &&
      p.ToPort === port &&
      (p.IpRanges ?? []).some(r => r.CidrIp === cidr),
  );
  if (!present) {
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: port,
            ToPort: port,
            IpRanges: [{ CidrIp: cidr, Description: 'from the VPC' }],
          },
        ],
      }),
    );
    ctx.log(`allowed tcp/${port} from ${cidr} on ${groupId}`);
  }
}

type Network = { vpcId: string; subnetIds: string[]; securityGroupId: string };

/** VPC (DNS support and hostnames on), its subnets, and one security group. */
async function ensureNetwork(
  ctx: Ctx,
  ec2: EC2Client,
  account: DemoAccount,
  sg: { purpose: string; description: string; port: number },
): Promise<Network> {
  const vpcKey = demoKeys.vpc(account.name);
  const vpc = await ensure(
    ctx,
    'vpc',
    vpcKey,
    () =>
      findInPages(
        paginateDescribeVpcs({ client: ec2 }, { Filters: keyFilter(vpcKey) }),
        p => p.Vpcs,
        v => hasKey(v.Tags, vpcKey),
      ),
    async () =>
      required(
        (
          await ec2.send(
            new CreateVpcCommand({
              CidrBlock: account.vpc.cidr,
              TagSpecifications: tagSpec('vpc', vpcKey, {
                Name: `${account.name}-vpc`,
              }),
            }),
          )
        ).Vpc,
        'Vpc',
      ),
    v => v.VpcId,
  );
  const vpcId = required(vpc.VpcId, 'VpcId');

  const dnsAttributes = [
    ['enableDnsSupport', 'EnableDnsSupport', account.vpc.enableDnsSupport],
    [
      'enableDnsHostnames',
      'EnableDnsHostnames',
      account.vpc.enableDnsHostnames,
    ],
  ] as const;
  for (const [attribute, field, wanted] of dnsAttributes) {
    const current = await ec2.send(
      new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: attribute }),
    );
    if (current[field]?.Value !== wanted) {
      // ModifyVpcAttribute accepts a single attribute per call.
      await ec2.send(
        new ModifyVpcAttributeCommand(
          field === 'EnableDnsSupport'
            ? { VpcId: vpcId, EnableDnsSupport: { Value: wanted } }
            : { VpcId: vpcId, EnableDnsHostnames: { Value: wanted } },
        ),
      );
    }
  }

  const subnetIds: string[] = [];
  for (const subnet of account.vpc.subnets) {
    const key = demoKeys.subnet(account.name, subnet.availabilityZone);
    const created = await ensure(
      ctx,
      'subnet',
      key,
      () =>
        findInPages(
          paginateDescribeSubnets({ client: ec2 }, { Filters: keyFilter(key) }),
          p => p.Subnets,
          s => hasKey(s.Tags, key),
        ),
      async () =>
        required(
          (
            await ec2.send(
              new CreateSubnetCommand({
                VpcId: vpcId,
                CidrBlock: subnet.cidr,
                AvailabilityZone: subnet.availabilityZone,
                TagSpecifications: tagSpec('subnet', key, {
                  Name: `${account.name}-private-${subnet.availabilityZone}`,
                }),
              }),
            )
          ).Subnet,
          'Subnet',
        ),
      s => s.SubnetId,
    );
    subnetIds.push(required(created.SubnetId, 'SubnetId'));
  }

  const sgKey = demoKeys.securityGroup(account.name, sg.purpose);
  const group = await ensure(
    ctx,
    'securityGroup',
    sgKey,
    () =>
      findInPages(
        paginateDescribeSecurityGroups(
          { client: ec2 },
          { Filters: keyFilter(sgKey) },
        ),
        p => p.SecurityGroups,
        g => hasKey(g.Tags, sgKey),
      ),
    async () => {
      const res = await ec2.send(
        new CreateSecurityGroupCommand({
          GroupName: `pl-demo-${sg.purpose}`,
          Description: sg.description,
          VpcId: vpcId,
          TagSpecifications: tagSpec('security-group', sgKey, {
            Name: `${account.name}-${sg.purpose}`,
          }),
        }),
      );
      return { GroupId: required(res.GroupId, 'GroupId') } as SecurityGroup;
    },
    g => g.GroupId,
  );
  await ensureSecurityGroupIngress(ctx, ec2, group, sg.port, account.vpc.cidr);

  return {
    vpcId,
    subnetIds,
    securityGroupId: required(group.GroupId, 'GroupId'),
  };
}

/** Internal NLB, TCP target group (ip targets) and TCP listener. */
async function ensureLoadBalancer(
  ctx: Ctx,
  elb: ElasticLoadBalancingV2Client,
  service: DemoService,
  network: Network,
): Promise<{ nlbArn: string; targetGroupArn: string }> {
  const nlbKey = demoKeys.nlb(service.name);
  const lb = await ensure(
    ctx,
    'loadBalancer',
    nlbKey,
    async () => {
      try {
        const res = await elb.send(
          new DescribeLoadBalancersCommand({ Names: [service.nlb.name] }),
        );
        return res.LoadBalancers?.[0];
      } catch (err) {
        if (errorName(err) === 'LoadBalancerNotFoundException') {
          return undefined;
        }
        throw err;
      }
    },
    async () =>
      required(
        (
          await elb.send(
            new CreateLoadBalancerCommand({
              Name: service.nlb.name,
              Type: 'network',
              Scheme: 'internal',
              IpAddressType: 'ipv4',
              Subnets: network.subnetIds,
              Tags: toTags(nlbKey, { Name: service.nlb.name }),
            }),
          )
        ).LoadBalancers?.[0],
        'LoadBalancers[0]',
      ),
    l => l.LoadBalancerArn,
  );
  const nlbArn = required(lb.LoadBalancerArn, 'LoadBalancerArn');

  const crossZone = String(service.nlb.crossZone);
  const attributes = await elb.send(
    new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: nlbArn }),
  );
  const currentCrossZone = attributes.Attributes?.find(
    a => a.Key === 'load_balancing.cross_zone.enabled',
  )?.Value;
  if (currentCrossZone !== crossZone) {
    await elb.send(
      new ModifyLoadBalancerAttributesCommand({
        LoadBalancerArn: nlbArn,
        Attributes: [
          { Key: 'load_balancing.cross_zone.enabled', Value: crossZone },
        ],
      }),
    );
  }

  const tgKey = demoKeys.targetGroup(service.name);
  const tg = await ensure(
    ctx,
    'targetGroup',
    tgKey,
    async () => {
      try {
        const res = await elb.send(
          new DescribeTargetGroupsCommand({
            Names: [service.nlb.targetGroupName],
          }),
        );
        return res.TargetGroups?.[0];
      } catch (err) {
        if (errorName(err) === 'TargetGroupNotFoundException') {
          return undefined;
        }
        throw err;
      }
    },
    async () =>
      required(
        (
          await elb.send(
            new CreateTargetGroupCommand({
              Name: service.nlb.targetGroupName,
              Protocol: 'TCP',
              Port: service.nlb.targetPort,
              VpcId: network.vpcId,
              TargetType: 'ip',
              Tags: toTags(tgKey, { Name: service.nlb.targetGroupName }),
            }),
          )
        ).TargetGroups?.[0],
        'TargetGroups[0]',
      ),
    t => t.TargetGroupArn,
  );
  const targetGroupArn = required(tg.TargetGroupArn, 'TargetGroupArn');

  await ensure(
    ctx,
    'listener',
    `listener/${service.name}/${service.nlb.listenerPort}`,
    () =>
      findInPages(
        paginateDescribeListeners({ client: elb }, { LoadBalancerArn: nlbArn }),
        p => p.Listeners,
        l => l.Port === service.nlb.listenerPort,
      ),
    async () =>
      required(
        (
          await elb.send(
            new CreateListenerCommand({
              LoadBalancerArn: nlbArn,
              Protocol: 'TCP',
              Port: service.nlb.listenerPort,
              DefaultActions: [
                { Type: 'forward', TargetGroupArn: targetGroupArn },
              ],
            }),
          )
        ).Listeners?.[0],
        'Listeners[0]',
      ),
    l => l.ListenerArn,
  );

  return { nlbArn, targetGroupArn };
}

async function ensureEndpointService(
  ctx: Ctx,
  ec2: EC2Client,
  service: DemoService,
  nlbArn: string,
): Promise<{ serviceId: string; serviceName: string; principals: string[]; privateDnsState?: string }> {
  const key = demoKeys.service(service.name);
  const config = await ensure(
    ctx,
    'endpointService',
    key,
    // moto ignores Filters here: the tags are also checked client-side.
    () =>
      findInPages(
        paginateDescribeVpcEndpointServiceConfigurations(
          { client: ec2 },
          { Filters: keyFilter(key) },
        ),
        p => p.ServiceConfigurations,
        c => hasKey(c.Tags, key),
      ),
    async () =>
      required(
        (
          await ec2.send(
            new CreateVpcEndpointServiceConfigurationCommand({
              NetworkLoadBalancerArns: [nlbArn],
              AcceptanceRequired: service.acceptanceRequired,
              PrivateDnsName: service.privateDnsName,
              TagSpecifications: tagSpec(
                'vpc-endpoint-service',
                key,
                service.tags,
              ),
            }),
          )
        ).ServiceConfiguration,
        'ServiceConfiguration',
      ),
    c => c.ServiceId,
  );
  const serviceId = required(config.ServiceId, 'ServiceId');

  const principals: string[] = [];
  for await (const page of paginateDescribeVpcEndpointServicePermissions(
    { client: ec2 },
    { ServiceId: serviceId },
  )) {
    for (const p of page.AllowedPrincipals ?? []) {
      if (p.Principal) principals.push(p.Principal);
    }
  }
  const missing = service.allowedPrincipals.filter(
    p => !principals.includes(p),
  );
  if (missing.length > 0) {
    await ec2.send(
      new ModifyVpcEndpointServicePermissionsCommand({
        ServiceId: serviceId,
        AddAllowedPrincipals: missing,
      }),
    );
    ctx.log(`allowed ${missing.join(', ')} on ${key}`);
    principals.push(...missing);
  }
  principals.sort(); // moto keeps them in a set: make the result stable

  return {
    serviceId,
    serviceName: required(config.ServiceName, 'ServiceName'),
    principals,
    privateDnsState: config.PrivateDnsNameConfiguration?.State,
  };
}

type EndpointSpec = {
  key: string;
  serviceName: string;
  type: 'Interface' | 'Gateway';
  privateDnsEnabled: boolean;
  subnetIds?: string[];
  securityGroupIds?: string[];
  routeTableIds?: string[];
  tags: Readonly<Record<string, string>>;
};

function isClientError(err: unknown): boolean {
  const status = (err as { $metadata?: { httpStatusCode?: number } })?.$metadata
    ?.httpStatusCode;
  return status !== undefined && status >= 400 && status < 500;
}

async function ensureVpcEndpoint(
  ctx: Ctx,
  ec2: EC2Client,
  vpcId: string,
  spec: EndpointSpec,
): Promise<{ endpointId: string; privateDnsEnabled: boolean }> {
  const create = async (privateDnsEnabled: boolean) =>
    required(
      (
        await ec2.send(
          new CreateVpcEndpointCommand({
            VpcId: vpcId,
            ServiceName: spec.serviceName,
            VpcEndpointType: spec.type,
            SubnetIds: spec.subnetIds,
            SecurityGroupIds: spec.securityGroupIds,
            RouteTableIds: spec.routeTableIds,
            // Only meaningful (and only accepted) for interface endpoints.
            PrivateDnsEnabled:
              spec.type === 'Interface' ? privateDnsEnabled : undefined,
            TagSpecifications: tagSpec('vpc-endpoint', spec.key, spec.tags),
          }),
        )
      ).VpcEndpoint,
      'VpcEndpoint',
    );

  const endpoint = await ensure(
    ctx,
    'vpcEndpoint',
    spec.key,
    () =>
      findInPages(
        paginateDescribeVpcEndpoints(
          { client: ec2 },
          { Filters: keyFilter(spec.key) },
        ),
        p => p.VpcEndpoints,
        e => hasKey(e.Tags, spec.key),
      ),
    async () => {
      if (spec.type !== 'Interface' || !spec.privateDnsEnabled) {
        return create(false);
      }
      try {
        return await create(true);
      } catch (err) {
        if (!isClientError(err)) throw err;
        ctx.log(
          `private DNS refused for ${spec.key} (${
            (err as Error).message
          }); creating it with PrivateDnsEnabled=false`,
        );
        return create(false);
      }
    },
    e => e.VpcEndpointId,
  );
  return {
    endpointId: required(endpoint.VpcEndpointId, 'VpcEndpointId'),
    privateDnsEnabled: endpoint.PrivateDnsEnabled ?? false,
  };
}

async function mainRouteTableId(ec2: EC2Client, vpcId: string) {
  const tables = [];
  for await (const page of paginateDescribeRouteTables(
    { client: ec2 },
    { Filters: [{ Name: 'vpc-id', Values: [vpcId] }] },
  )) {
    tables.push(...(page.RouteTables ?? []));
  }
  const main =
    tables.find(t => (t.Associations ?? []).some(a => a.Main)) ?? tables[0];
  return required(main?.RouteTableId, `route table of ${vpcId}`);
}

/**
 * Accepts those of `endpointIds` whose connection is still pending (running the seed again accepts nothing new).
 */
async function acceptConnections(
  ctx: Ctx,
  providerCredentials: Credentials,
  serviceId: string,
  serviceKey: string,
  endpointIds: string[],
): Promise<void> {
  if (endpointIds.length === 0) return;
  // One attempt: a moto without the emulator layer answers 500 at once, and retrying only waits.
  const ec2 = ec2Client(ctx, providerCredentials, 1);
  try {
    const waiting: string[] = [];
    for await (const page of paginateDescribeVpcEndpointConnections(
      { client: ec2 },
      {
        Filters: [
          { Name: 'service-id', Values: [serviceId] },
          { Name: 'vpc-endpoint-state', Values: ['pendingAcceptance'] },
        ],
      },
    )) {
      for (const c of page.VpcEndpointConnections ?? []) {
        if (c.VpcEndpointId && endpointIds.includes(c.VpcEndpointId)) waiting.push(c.VpcEndpointId);
      }
    }
    if (waiting.length === 0) {
      ctx.log(`reused  connection(s) to ${serviceKey}: none pending`);
      return;
    }
    const res = await ec2.send(
      new AcceptVpcEndpointConnectionsCommand({ ServiceId: serviceId, VpcEndpointIds: waiting }),
    );
    const failed = res.Unsuccessful ?? [];
    if (failed.length > 0) {
      throw new Error(
        `accepting connection(s) to ${serviceKey} failed: ${failed.map(f => `${f.ResourceId}: ${f.Error?.Message}`).join('; ')}`,
      );
    }
    ctx.log(`accepted ${waiting.length} connection(s) to ${serviceKey}`);
  } catch (err) {
    const status = (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
    if (status !== undefined && status >= 500) {
      throw new Error(
        `${ctx.endpoint} does not answer DescribeVpcEndpointConnections (HTTP ${status}): it is a moto without the PrivateLink emulator layer; start moto through packages/dev-aws (startMoto, or \`node packages/dev-aws/src/cli.ts moto\`), see docs/emulator.md`,
      );
    }
    throw err;
  } finally {
    ec2.destroy();
  }
}

/**
 * Creates the demo organisation ({@link DEMO_ORG}) in moto, or finds it when
 * it already exists: running it again creates nothing new.
 *
 * The provider account is reached with {@link MOTO_CREDENTIALS}, consumer
 * accounts through STS AssumeRole into their `PrivateLinkDemo` role.
 *
 * @public
 */
export async function seedDemoOrg(options: SeedOptions): Promise<SeedResult> {
  const org = options.org ?? DEMO_ORG;
  const ctx: Ctx = {
    endpoint: options.endpoint.replace(/\/+$/, ''),
    region: options.region ?? org.region,
    log: options.log ?? (() => {}),
    counts: emptyCounts(),
  };

  const accounts: SeededAccount[] = [];
  const services: SeededService[] = [];
  const endpoints: SeededEndpoint[] = [];
  let publicZone: SeedResult['publicZone'];

  // Provider: network, one NLB per service, endpoint services.
  const provider = getDemoAccount(org.providerAccountId, org);
  const providerCredentials = await credentialsFor(ctx, provider);
  await ensureOrganization(ctx, org, providerCredentials);
  const providerEc2 = ec2Client(ctx, providerCredentials);
  const elb = new ElasticLoadBalancingV2Client({
    endpoint: ctx.endpoint,
    region: ctx.region,
    credentials: providerCredentials,
  });
  try {
    const providerNetwork = await ensureNetwork(ctx, providerEc2, provider, {
      purpose: 'nlb-targets',
      description: 'Lets the NLB targets accept traffic from the NLBs',
      port: org.services[0]?.nlb.targetPort ?? 8080,
    });
    accounts.push({
      accountId: provider.accountId,
      name: provider.name,
      role: provider.role,
      ...providerNetwork,
    });

    for (const service of org.services) {
      const account = getDemoAccount(service.accountId, org);
      if (account.accountId !== provider.accountId) {
        throw new Error(
          `Service ${service.name} must live in the provider account`,
        );
      }
      const { nlbArn, targetGroupArn } = await ensureLoadBalancer(
        ctx,
        elb,
        service,
        providerNetwork,
      );
      const { serviceId, serviceName, principals, privateDnsState } =
        await ensureEndpointService(ctx, providerEc2, service, nlbArn);
      services.push({
        key: demoKeys.service(service.name),
        name: service.name,
        serviceId,
        serviceName,
        accountId: service.accountId,
        privateDnsName: service.privateDnsName,
        // Verified below for the names the owners prove; otherwise as EC2 reported it.
        ...(privateDnsState ? { privateDnsState } : {}),
        acceptanceRequired: service.acceptanceRequired,
        nlbArn,
        targetGroupArn,
        allowedPrincipals: principals,
      });
    }

    // The owners prove their private DNS names in the org's public zone (the emulator verifies them as EC2 does).
    if (org.services.some(s => s.privateDnsName)) {
      const route53 = new Route53Client({ endpoint: ctx.endpoint, region: ctx.region, credentials: providerCredentials });
      try {
        const zone = await ensure(
          ctx,
          'hostedZone',
          `zone/${org.publicZone}`,
          () => findPublicZone(route53, org.publicZone),
          () => createPublicZone(route53, org.publicZone),
          z => z.Id,
        );
        publicZone = { name: org.publicZone, id: required(zone.Id, 'HostedZone.Id').replace(/^\/hostedzone\//, '') };
        for (const service of org.services) {
          const seeded = services.find(s => s.name === service.name)!;
          if (!service.privateDnsName || service.verifyPrivateDns === false) continue;
          seeded.privateDnsState = await verifyPrivateDnsName({
            ec2: providerEc2,
            route53,
            zoneId: publicZone.id,
            serviceId: seeded.serviceId,
            log: ctx.log,
          });
        }
      } finally {
        route53.destroy();
      }
    }
  } finally {
    providerEc2.destroy();
    elb.destroy();
  }

  // Consumers: network, interface endpoints to the services, AWS endpoints.
  for (const account of org.accounts) {
    if (account.role !== 'consumer') continue;
    const ec2 = ec2Client(ctx, await credentialsFor(ctx, account));
    try {
      const network = await ensureNetwork(ctx, ec2, account, {
        purpose: 'endpoints',
        description: 'Lets the VPC reach its interface endpoints on 443',
        port: 443,
      });
      accounts.push({
        accountId: account.accountId,
        name: account.name,
        role: account.role,
        ...network,
      });

      for (const spec of org.endpoints) {
        if (spec.accountId !== account.accountId) continue;
        const service = services.find(s => s.name === spec.service);
        if (!service) {
          throw new Error(
            `Endpoint of ${account.name} targets unknown service ${spec.service}`,
          );
        }
        const key = demoKeys.endpoint(account.name, spec.service);
        const ep = await ensureVpcEndpoint(ctx, ec2, network.vpcId, {
          key,
          serviceName: service.serviceName,
          type: 'Interface',
          privateDnsEnabled: spec.privateDnsEnabled,
          subnetIds: network.subnetIds,
          securityGroupIds: [network.securityGroupId],
          tags: spec.tags,
        });
        endpoints.push({
          key,
          accountId: account.accountId,
          serviceName: service.serviceName,
          type: 'Interface',
          service: service.name,
          ...ep,
        });
      }

      for (const spec of org.awsServiceEndpoints) {
        if (spec.accountId !== account.accountId) continue;
        const key = demoKeys.endpoint(account.name, spec.name);
        const ep = await ensureVpcEndpoint(ctx, ec2, network.vpcId, {
          key,
          serviceName: spec.serviceName,
          type: spec.type,
          privateDnsEnabled: spec.privateDnsEnabled ?? false,
          ...(spec.type === 'Gateway'
            ? { routeTableIds: [await mainRouteTableId(ec2, network.vpcId)] }
            : {
                subnetIds: network.subnetIds,
                securityGroupIds: [network.securityGroupId],
              }),
          tags: spec.tags,
        });
        endpoints.push({
          key,
          accountId: account.accountId,
          serviceName: spec.serviceName,
          type: spec.type,
          ...ep,
        });
      }
    } finally {
      ec2.destroy();
    }
  }

  // The owners accept the connections they decided on; the `pending` ones wait for them in the demo.
  for (const service of services) {
    if (!service.acceptanceRequired) continue;
    const pending = new Set(
      org.endpoints
        .filter(e => e.service === service.name && e.pending)
        .map(e => demoKeys.endpoint(getDemoAccount(e.accountId, org).name, e.service)),
    );
    await acceptConnections(
      ctx,
      providerCredentials,
      service.serviceId,
      service.key,
      endpoints.filter(e => e.service === service.name && !pending.has(e.key)).map(e => e.endpointId),
    );
  }

  return {
    endpoint: ctx.endpoint,
    region: ctx.region,
    accounts,
    services,
    endpoints,
    ...(publicZone ? { publicZone } : {}),
    counts: ctx.counts,
  };
}
