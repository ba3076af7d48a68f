import {
  DescribeSecurityGroupsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointConnectionsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointServicePermissionsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import {
  DescribeOrganizationCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  ListTagsForResourceCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { DEMO_KEY_TAG, DEMO_ORG, demoKeys, getDemoAccount } from './demoOrg.ts';
import type { DemoAccount } from './demoOrg.ts';
import { startMoto } from './moto.ts';
import type { MotoServer } from './moto.ts';
import { MOTO_CREDENTIALS, seedDemoOrg } from './seed.ts';
import type { SeedResult } from './seed.ts';

const region = DEMO_ORG.region;

function tagMap(tags: { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map(t => [t.Key!, t.Value!]));
}

describe('seedDemoOrg (against moto)', () => {
  let moto: MotoServer;
  let first: SeedResult;
  const clients: { destroy(): void }[] = [];

  async function credentialsOf(account: DemoAccount) {
    if (!account.assumeRoleArn) return MOTO_CREDENTIALS;
    const sts = new STSClient({
      endpoint: moto.endpoint,
      region,
      credentials: MOTO_CREDENTIALS,
    });
    clients.push(sts);
    const res = await sts.send(
      new AssumeRoleCommand({
        RoleArn: account.assumeRoleArn,
        RoleSessionName: 'seed-test',
      }),
    );
    return {
      accessKeyId: res.Credentials!.AccessKeyId!,
      secretAccessKey: res.Credentials!.SecretAccessKey!,
      sessionToken: res.Credentials!.SessionToken,
    };
  }

  async function ec2For(account: DemoAccount) {
    const client = new EC2Client({
      endpoint: moto.endpoint,
      region,
      credentials: await credentialsOf(account),
    });
    clients.push(client);
    return client;
  }

  async function demoEndpointsIn(account: DemoAccount) {
    const ec2 = await ec2For(account);
    const res = await ec2.send(new DescribeVpcEndpointsCommand({}));
    return (res.VpcEndpoints ?? []).filter(e =>
      (e.Tags ?? []).some(t => t.Key === DEMO_KEY_TAG),
    );
  }

  beforeAll(async () => {
    moto = await startMoto();
    first = await seedDemoOrg({ endpoint: moto.endpoint });
  }, 60_000);

  afterAll(async () => {
    clients.forEach(c => c.destroy());
    await moto?.stop();
  }, 30_000);

  it('creates every resource of the org once', () => {
    expect(first.counts.reused).toBe(0);
    expect(first.counts.byKind).toEqual({
      organization: { created: 1, reused: 0 },
      organizationalUnit: { created: 1, reused: 0 },
      account: { created: 2, reused: 0 },
      vpc: { created: 3, reused: 0 },
      subnet: { created: 7, reused: 0 },
      securityGroup: { created: 3, reused: 0 },
      loadBalancer: { created: 4, reused: 0 },
      targetGroup: { created: 4, reused: 0 },
      listener: { created: 4, reused: 0 },
      endpointService: { created: 4, reused: 0 },
      vpcEndpoint: { created: 8, reused: 0 },
      hostedZone: { created: 1, reused: 0 },
    });
    expect(first.counts.created).toBe(42);
    expect(first.accounts.map(a => a.accountId)).toEqual(
      DEMO_ORG.accounts.map(a => a.accountId),
    );
    expect(first.services).toHaveLength(4);
    expect(first.endpoints).toHaveLength(8);
  });

  it('proves the private DNS names in the public zone, except the one its owners have not proved yet', async () => {
    expect(first.publicZone?.name).toBe(DEMO_ORG.publicZone);
    const states = Object.fromEntries(first.services.map(s => [s.name, s.privateDnsState]));
    expect(states).toEqual({
      'orders-api': undefined,
      'auth-service': 'verified',
      'central-logging': 'verified',
      'metrics-gateway': 'pendingVerification',
    });
    const ec2 = await ec2For(getDemoAccount(DEMO_ORG.providerAccountId));
    const res = await ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({}));
    for (const seeded of first.services) {
      const config = res.ServiceConfigurations!.find(c => c.ServiceId === seeded.serviceId)!;
      expect(config.PrivateDnsNameConfiguration?.State).toBe(seeded.privateDnsState);
    }
    // The record is in the zone, at the name EC2 asked for.
    const auth = res.ServiceConfigurations!.find(c => c.PrivateDnsName === 'auth.internal.example.com')!;
    const route53 = new Route53Client({ endpoint: moto.endpoint, region, credentials: MOTO_CREDENTIALS });
    clients.push(route53);
    const records = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: first.publicZone!.id }));
    expect(records.ResourceRecordSets).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Name: `${auth.PrivateDnsNameConfiguration!.Name}.auth.internal.example.com.`,
          Type: 'TXT',
          ResourceRecords: [{ Value: `"${auth.PrivateDnsNameConfiguration!.Value}"` }],
        }),
      ]),
    );
  });

  it('accepts the decided connections and leaves orders-prod waiting for the owners of orders-api', async () => {
    const orders = first.services.find(s => s.name === 'orders-api')!;
    const ec2 = await ec2For(getDemoAccount(DEMO_ORG.providerAccountId));
    const res = await ec2.send(
      new DescribeVpcEndpointConnectionsCommand({ Filters: [{ Name: 'service-id', Values: [orders.serviceId] }] }),
    );
    const states = Object.fromEntries(
      (res.VpcEndpointConnections ?? []).map(c => [c.VpcEndpointOwner, c.VpcEndpointState]),
    );
    expect(states).toEqual({ '210987654321': 'available', '345678901234': 'pendingAcceptance' });
    // The consumer sees the same state on its endpoint.
    const [waiting] = (await demoEndpointsIn(getDemoAccount('345678901234'))).filter(
      e => e.ServiceName === orders.serviceName,
    );
    expect(waiting.State).toBe('pendingAcceptance');
  });

  it('builds the organisation that account discovery reads: the consumer accounts, with their known ids and tags, in one unit', async () => {
    const org = new OrganizationsClient({ endpoint: moto.endpoint, region, credentials: MOTO_CREDENTIALS });
    clients.push(org);
    const { Organization } = await org.send(new DescribeOrganizationCommand({}));
    expect(Organization?.MasterAccountId).toBe(DEMO_ORG.providerAccountId);
    const rootId = (await org.send(new ListRootsCommand({}))).Roots![0].Id!;
    const { OrganizationalUnits = [] } = await org.send(new ListOrganizationalUnitsForParentCommand({ ParentId: rootId }));
    const unit = OrganizationalUnits.find(u => u.Name === DEMO_ORG.organizationalUnit)!;
    const { Accounts = [] } = await org.send(new ListAccountsForParentCommand({ ParentId: unit.Id }));
    const members = DEMO_ORG.accounts.filter(a => a.organizationTags);
    expect(Accounts.map(a => [a.Id, a.Name]).sort()).toEqual(members.map(a => [a.accountId, a.name]).sort());
    for (const account of members) {
      const { Tags = [] } = await org.send(new ListTagsForResourceCommand({ ResourceId: account.accountId }));
      // The emulator's id tag is not kept; the account tags are.
      expect(tagMap(Tags)).toEqual(account.organizationTags);
    }
  });

  it('acts in three separate accounts', async () => {
    for (const account of DEMO_ORG.accounts) {
      const sts = new STSClient({
        endpoint: moto.endpoint,
        region,
        credentials: await credentialsOf(account),
      });
      clients.push(sts);
      const identity = await sts.send(new GetCallerIdentityCommand({}));
      expect(identity.Account).toBe(account.accountId);

      // Each account sees only its own demo VPC.
      const ec2 = await ec2For(account);
      const vpcs = await ec2.send(new DescribeVpcsCommand({}));
      const demoVpcs = (vpcs.Vpcs ?? []).filter(
        v => tagMap(v.Tags)[DEMO_KEY_TAG] !== undefined,
      );
      expect(demoVpcs.map(v => [v.CidrBlock, v.OwnerId])).toEqual([
        [account.vpc.cidr, account.accountId],
      ]);
      for (const attribute of [
        'enableDnsSupport',
        'enableDnsHostnames',
      ] as const) {
        const res = await ec2.send(
          new DescribeVpcAttributeCommand({
            VpcId: demoVpcs[0].VpcId,
            Attribute: attribute,
          }),
        );
        const value =
          attribute === 'enableDnsSupport'
            ? res.EnableDnsSupport?.Value
            : res.EnableDnsHostnames?.Value;
        expect(value).toBe(true);
      }
    }
  });

  it('publishes the four endpoint services with their tags, settings and principals', async () => {
    const provider = getDemoAccount(DEMO_ORG.providerAccountId);
    const ec2 = await ec2For(provider);
    const res = await ec2.send(
      new DescribeVpcEndpointServiceConfigurationsCommand({}),
    );
    const configs = res.ServiceConfigurations ?? [];
    expect(configs).toHaveLength(4);

    for (const service of DEMO_ORG.services) {
      const seeded = first.services.find(s => s.name === service.name)!;
      expect(seeded).toEqual(
        expect.objectContaining({
          key: demoKeys.service(service.name),
          accountId: DEMO_ORG.providerAccountId,
          privateDnsName: service.privateDnsName,
        }),
      );
      const config = configs.find(c => c.ServiceId === seeded.serviceId)!;
      expect(config).toBeDefined();
      expect(config.ServiceName).toBe(seeded.serviceName);
      expect(config.AcceptanceRequired).toBe(service.acceptanceRequired);
      expect(config.PrivateDnsName ?? undefined).toBe(service.privateDnsName);
      expect(config.NetworkLoadBalancerArns).toEqual([seeded.nlbArn]);
      expect(tagMap(config.Tags)).toEqual({
        ...service.tags,
        [DEMO_KEY_TAG]: demoKeys.service(service.name),
      });

      const permissions = await ec2.send(
        new DescribeVpcEndpointServicePermissionsCommand({
          ServiceId: seeded.serviceId,
        }),
      );
      expect(
        (permissions.AllowedPrincipals ?? []).map(p => p.Principal).sort(),
      ).toEqual([...service.allowedPrincipals].sort());
    }
  });

  it('fronts each service with an internal cross-zone NLB, a TCP listener on 443 and an ip target group on 8080', async () => {
    const elb = new ElasticLoadBalancingV2Client({
      endpoint: moto.endpoint,
      region,
      credentials: MOTO_CREDENTIALS,
    });
    clients.push(elb);
    const provider = first.accounts.find(a => a.role === 'provider')!;
    for (const seeded of first.services) {
      const lb = (
        await elb.send(
          new DescribeLoadBalancersCommand({
            LoadBalancerArns: [seeded.nlbArn],
          }),
        )
      ).LoadBalancers![0];
      expect(lb.Type).toBe('network');
      expect(lb.Scheme).toBe('internal');
      expect(lb.VpcId).toBe(provider.vpcId);
      expect((lb.AvailabilityZones ?? []).map(z => z.SubnetId).sort()).toEqual(
        [...provider.subnetIds].sort(),
      );

      const attributes = await elb.send(
        new DescribeLoadBalancerAttributesCommand({
          LoadBalancerArn: seeded.nlbArn,
        }),
      );
      expect(
        attributes.Attributes?.find(
          a => a.Key === 'load_balancing.cross_zone.enabled',
        )?.Value,
      ).toBe('true');

      const listeners = await elb.send(
        new DescribeListenersCommand({ LoadBalancerArn: seeded.nlbArn }),
      );
      expect(listeners.Listeners).toHaveLength(1);
      expect(listeners.Listeners![0]).toEqual(
        expect.objectContaining({
          Protocol: 'TCP',
          Port: 443,
          DefaultActions: [
            expect.objectContaining({
              Type: 'forward',
              TargetGroupArn: seeded.targetGroupArn,
            }),
          ],
        }),
      );

      const tg = (
        await elb.send(
          new DescribeTargetGroupsCommand({
            TargetGroupArns: [seeded.targetGroupArn],
          }),
        )
      ).TargetGroups![0];
      expect(tg).toEqual(
        expect.objectContaining({
          Protocol: 'TCP',
          Port: 8080,
          TargetType: 'ip',
          VpcId: provider.vpcId,
        }),
      );
    }

    // The targets' security group accepts 8080 from the VPC.
    const ec2 = await ec2For(getDemoAccount(DEMO_ORG.providerAccountId));
    const sg = (
      await ec2.send(
        new DescribeSecurityGroupsCommand({
          GroupIds: [provider.securityGroupId],
        }),
      )
    ).SecurityGroups![0];
    expect(sg.IpPermissions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          IpProtocol: 'tcp',
          FromPort: 8080,
          ToPort: 8080,
          IpRanges: [expect.objectContaining({ CidrIp: '10.0.0.0/16' })],
        }),
      ]),
    );
  });

  it('creates the consumer endpoints in the consumer accounts, not in the provider', async () => {
    const provider = getDemoAccount(DEMO_ORG.providerAccountId);
    expect(await demoEndpointsIn(provider)).toEqual([]);

    const payments = getDemoAccount('210987654321');
    const orders = getDemoAccount('345678901234');
    const serviceNameOf = (name: string) =>
      first.services.find(s => s.name === name)!.serviceName;

    const paymentsEndpoints = await demoEndpointsIn(payments);
    const ordersEndpoints = await demoEndpointsIn(orders);
    expect(paymentsEndpoints).toHaveLength(5);
    expect(ordersEndpoints).toHaveLength(3);

    const summary = (
      endpoints: typeof paymentsEndpoints,
    ): Record<string, unknown> =>
      Object.fromEntries(
        endpoints.map(e => [
          tagMap(e.Tags)[DEMO_KEY_TAG],
          [e.ServiceName, e.VpcEndpointType, e.OwnerId],
        ]),
      );
    expect(summary(paymentsEndpoints)).toEqual({
      'endpoint/payments-prod/orders-api': [
        serviceNameOf('orders-api'),
        'Interface',
        payments.accountId,
      ],
      'endpoint/payments-prod/auth-service': [
        serviceNameOf('auth-service'),
        'Interface',
        payments.accountId,
      ],
      'endpoint/payments-prod/central-logging': [
        serviceNameOf('central-logging'),
        'Interface',
        payments.accountId,
      ],
      'endpoint/payments-prod/s3': [
        'com.amazonaws.us-east-1.s3',
        'Gateway',
        payments.accountId,
      ],
      'endpoint/payments-prod/ec2': [
        'com.amazonaws.us-east-1.ec2',
        'Interface',
        payments.accountId,
      ],
    });
    expect(summary(ordersEndpoints)).toEqual({
      'endpoint/orders-prod/auth-service': [
        serviceNameOf('auth-service'),
        'Interface',
        orders.accountId,
      ],
      'endpoint/orders-prod/central-logging': [
        serviceNameOf('central-logging'),
        'Interface',
        orders.accountId,
      ],
      'endpoint/orders-prod/orders-api': [
        serviceNameOf('orders-api'),
        'Interface',
        orders.accountId,
      ],
    });

    for (const spec of DEMO_ORG.endpoints) {
      const account = getDemoAccount(spec.accountId);
      const seededAccount = first.accounts.find(
        a => a.accountId === spec.accountId,
      )!;
      const key = demoKeys.endpoint(account.name, spec.service);
      const endpoint = [...paymentsEndpoints, ...ordersEndpoints].find(
        e => tagMap(e.Tags)[DEMO_KEY_TAG] === key,
      )!;
      expect(tagMap(endpoint.Tags)).toEqual({
        ...spec.tags,
        [DEMO_KEY_TAG]: key,
      });
      expect(endpoint.VpcId).toBe(seededAccount.vpcId);
      expect([...(endpoint.SubnetIds ?? [])].sort()).toEqual(
        [...seededAccount.subnetIds].sort(),
      );
      expect((endpoint.Groups ?? []).map(g => g.GroupId)).toEqual([
        seededAccount.securityGroupId,
      ]);
      expect(endpoint.PrivateDnsEnabled).toBe(spec.privateDnsEnabled);
    }

    const s3 = paymentsEndpoints.find(
      e => tagMap(e.Tags)[DEMO_KEY_TAG] === 'endpoint/payments-prod/s3',
    )!;
    expect(s3.RouteTableIds).toHaveLength(1);
    expect(tagMap(s3.Tags)['backstage:owner']).toBe('group:default/payments');
  });

  it('creates nothing when run again', async () => {
    const lines: string[] = [];
    const second = await seedDemoOrg({
      endpoint: moto.endpoint,
      log: line => lines.push(line),
    });
    expect(second.counts.created).toBe(0);
    expect(second.counts.reused).toBe(first.counts.created);
    for (const kind of Object.keys(second.counts.byKind)) {
      const k = kind as keyof typeof second.counts.byKind;
      expect(second.counts.byKind[k]).toEqual({
        created: 0,
        reused: first.counts.byKind[k].created,
      });
    }
    expect(second.accounts).toEqual(first.accounts);
    expect(second.services).toEqual(first.services);
    expect(second.endpoints).toEqual(first.endpoints);
    expect(lines.filter(l => l.startsWith('created'))).toEqual([]);
    // Nothing to accept again, nothing to prove again.
    expect(lines).toEqual(
      expect.arrayContaining([
        'reused  connection(s) to service/orders-api: none pending',
        'reused  private DNS name auth.internal.example.com (verified)',
      ]),
    );
    expect(lines.filter(l => l.startsWith('accepted') || l.startsWith('verified'))).toEqual([]);

    // Nothing new in moto either.
    const provider = getDemoAccount(DEMO_ORG.providerAccountId);
    const configs = await (
      await ec2For(provider)
    ).send(new DescribeVpcEndpointServiceConfigurationsCommand({}));
    expect(configs.ServiceConfigurations).toHaveLength(4);
    expect(await demoEndpointsIn(getDemoAccount('210987654321'))).toHaveLength(
      5,
    );
    expect(await demoEndpointsIn(getDemoAccount('345678901234'))).toHaveLength(
      3,
    );
  }, 60_000);
});
