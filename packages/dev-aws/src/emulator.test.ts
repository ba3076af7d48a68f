// The PrivateLink emulator layer (emulator/privatelink_emulator.py) on top of moto, exercised through the AWS SDK
// the way the plugins use it: a provider account publishing endpoint services, consumer accounts connecting.
import {
  AcceptVpcEndpointConnectionsCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  CreateVpcEndpointServiceConfigurationCommand,
  DeleteVpcEndpointServiceConfigurationsCommand,
  DeleteVpcEndpointsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeVpcEndpointConnectionsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
  ModifyVpcEndpointServiceConfigurationCommand,
  ModifyVpcEndpointServicePermissionsCommand,
  RejectVpcEndpointConnectionsCommand,
  StartVpcEndpointServicePrivateDnsVerificationCommand,
} from '@aws-sdk/client-ec2';
import type {
  DescribeVpcEndpointConnectionsCommandInput,
  Filter,
  ModifyVpcEndpointServiceConfigurationCommandInput,
  ServiceConfiguration,
  ServiceDetail,
  VpcEndpoint,
  VpcEndpointConnection,
} from '@aws-sdk/client-ec2';
import {
  CreateLoadBalancerCommand,
  DeleteLoadBalancerCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
  ModifyLoadBalancerAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  ListHostedZonesCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { resetMoto, startMoto } from './moto.ts';
import type { MotoServer } from './moto.ts';
import { MOTO_CREDENTIALS } from './seed.ts';

// ---------------------------------------------------------------------------------------------------------------
// Helpers

const REGION = 'us-east-1';
const PROVIDER = '123456789012';
const CONSUMER_A = '111122223333';
const CONSUMER_B = '444455556666';
const TEST_TIMEOUT = 60_000;

type Credentials = {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
};

type Actor = {
  accountId: string;
  ec2: EC2Client;
  elb: ElasticLoadBalancingV2Client;
  route53: Route53Client;
  /** A VPC with two subnets in this account, created on first use. */
  network(): Promise<Network>;
};

type Network = { vpcId: string; subnetIds: string[] };

type Service = { serviceId: string; serviceName: string; nlbArn: string };

type Actors = { provider: Actor; consumerA: Actor; consumerB: Actor };

const clients: { destroy(): void }[] = [];

function track<T extends { destroy(): void }>(client: T): T {
  clients.push(client);
  return client;
}

function destroyClients() {
  clients.splice(0).forEach(c => c.destroy());
}

let sequence = 0;
/** A name no other test uses, e.g. for domains. */
function unique(prefix: string): string {
  sequence += 1;
  return `${prefix}${sequence}x${Date.now().toString(36)}`;
}

async function credentialsIn(
  moto: MotoServer,
  accountId: string,
): Promise<Credentials> {
  if (accountId === PROVIDER) return { ...MOTO_CREDENTIALS };
  const sts = track(
    new STSClient({
      endpoint: moto.endpoint,
      region: REGION,
      credentials: MOTO_CREDENTIALS,
    }),
  );
  const res = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${accountId}:role/emulator-test`,
      RoleSessionName: 'emulator-test',
    }),
  );
  return {
    accessKeyId: res.Credentials!.AccessKeyId!,
    secretAccessKey: res.Credentials!.SecretAccessKey!,
    sessionToken: res.Credentials!.SessionToken,
  };
}

async function createNetwork(ec2: EC2Client): Promise<Network> {
  const vpc = await ec2.send(
    new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }),
  );
  const vpcId = vpc.Vpc!.VpcId!;
  const subnetIds: string[] = [];
  for (const [i, zone] of ['us-east-1a', 'us-east-1b'].entries()) {
    const subnet = await ec2.send(
      new CreateSubnetCommand({
        VpcId: vpcId,
        CidrBlock: `10.0.${i}.0/24`,
        AvailabilityZone: zone,
      }),
    );
    subnetIds.push(subnet.Subnet!.SubnetId!);
  }
  return { vpcId, subnetIds };
}

async function actor(moto: MotoServer, accountId: string): Promise<Actor> {
  const config = {
    endpoint: moto.endpoint,
    region: REGION,
    credentials: await credentialsIn(moto, accountId),
  };
  const identity = await track(new STSClient(config)).send(
    new GetCallerIdentityCommand({}),
  );
  expect(identity.Account).toBe(accountId);
  const ec2 = track(new EC2Client(config));
  let network: Promise<Network> | undefined;
  return {
    accountId,
    ec2,
    elb: track(new ElasticLoadBalancingV2Client(config)),
    route53: track(new Route53Client(config)),
    network: () => (network ??= createNetwork(ec2)),
  };
}

/** Fresh clients for the provider and both consumers (assumed roles do not survive a moto reset). */
async function actors(moto: MotoServer): Promise<Actors> {
  return {
    provider: await actor(moto, PROVIDER),
    consumerA: await actor(moto, CONSUMER_A),
    consumerB: await actor(moto, CONSUMER_B),
  };
}

/** An NLB-backed endpoint service of `provider`, allowing the given accounts (as `arn:aws:iam::<id>:root`). */
async function createService(
  provider: Actor,
  options: {
    acceptanceRequired?: boolean;
    privateDnsName?: string;
    allow?: string[];
    /** A dualstack load balancer (IPv6 capable); default IPv4 only. */
    dualstack?: boolean;
    supportedIpAddressTypes?: ('ipv4' | 'ipv6')[];
  } = {},
): Promise<Service> {
  const { subnetIds } = await provider.network();
  const lb = await provider.elb.send(
    new CreateLoadBalancerCommand({
      Name: unique('nlb'),
      Type: 'network',
      Scheme: 'internal',
      Subnets: subnetIds,
      IpAddressType: options.dualstack ? 'dualstack' : undefined,
    }),
  );
  const nlbArn = lb.LoadBalancers![0].LoadBalancerArn!;
  const created = await provider.ec2.send(
    new CreateVpcEndpointServiceConfigurationCommand({
      NetworkLoadBalancerArns: [nlbArn],
      AcceptanceRequired: options.acceptanceRequired ?? true,
      PrivateDnsName: options.privateDnsName,
      SupportedIpAddressTypes: options.supportedIpAddressTypes,
    }),
  );
  const serviceId = created.ServiceConfiguration!.ServiceId!;
  const allow = options.allow ?? [];
  if (allow.length > 0) {
    await provider.ec2.send(
      new ModifyVpcEndpointServicePermissionsCommand({
        ServiceId: serviceId,
        AddAllowedPrincipals: allow.map(id => `arn:aws:iam::${id}:root`),
      }),
    );
  }
  return {
    serviceId,
    serviceName: created.ServiceConfiguration!.ServiceName!,
    nlbArn,
  };
}

/** An interface endpoint of `consumer` (in its own VPC) to `service`. */
async function createEndpoint(
  consumer: Actor,
  service: Service,
  privateDnsEnabled?: boolean,
): Promise<VpcEndpoint> {
  const { vpcId, subnetIds } = await consumer.network();
  const res = await consumer.ec2.send(
    new CreateVpcEndpointCommand({
      VpcId: vpcId,
      ServiceName: service.serviceName,
      VpcEndpointType: 'Interface',
      SubnetIds: subnetIds,
      PrivateDnsEnabled: privateDnsEnabled,
    }),
  );
  return res.VpcEndpoint!;
}

/** The consumer's view: its endpoints to `service`. */
async function endpointsTo(
  consumer: Actor,
  service: Service,
): Promise<VpcEndpoint[]> {
  const res = await consumer.ec2.send(new DescribeVpcEndpointsCommand({}));
  return (res.VpcEndpoints ?? []).filter(
    e => e.ServiceName === service.serviceName,
  );
}

async function endpointState(consumer: Actor, endpointId: string) {
  const res = await consumer.ec2.send(
    new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpointId] }),
  );
  return res.VpcEndpoints![0].State;
}

/** The provider's view: one page of DescribeVpcEndpointConnections. */
async function connectionsPage(
  provider: Actor,
  input: DescribeVpcEndpointConnectionsCommandInput,
) {
  return provider.ec2.send(new DescribeVpcEndpointConnectionsCommand(input));
}

/** The connections to `service` matching `filters` (all pages). */
async function connectionsTo(
  provider: Actor,
  service: Service,
  filters: Filter[] = [],
): Promise<VpcEndpointConnection[]> {
  const found: VpcEndpointConnection[] = [];
  let token: string | undefined;
  do {
    const page = await connectionsPage(provider, {
      Filters: [
        { Name: 'service-id', Values: [service.serviceId] },
        ...filters,
      ],
      NextToken: token,
    });
    found.push(...(page.VpcEndpointConnections ?? []));
    token = page.NextToken;
  } while (token);
  return found;
}

function idsOf(items: { VpcEndpointId?: string }[]): string[] {
  return items.map(i => i.VpcEndpointId!).sort();
}

async function serviceConfiguration(
  provider: Actor,
  service: Service,
): Promise<ServiceConfiguration> {
  const res = await provider.ec2.send(
    new DescribeVpcEndpointServiceConfigurationsCommand({
      ServiceIds: [service.serviceId],
    }),
  );
  expect(res.ServiceConfigurations).toHaveLength(1);
  return res.ServiceConfigurations![0];
}

async function dnsConfiguration(provider: Actor, service: Service) {
  return (await serviceConfiguration(provider, service))
    .PrivateDnsNameConfiguration;
}

async function dnsState(provider: Actor, service: Service) {
  return (await dnsConfiguration(provider, service))?.State;
}

/** The services `consumer` can see (DescribeVpcEndpointServices, all pages). */
async function visibleServices(consumer: Actor): Promise<ServiceDetail[]> {
  const found: ServiceDetail[] = [];
  let token: string | undefined;
  do {
    const page = await consumer.ec2.send(
      new DescribeVpcEndpointServicesCommand({ NextToken: token }),
    );
    found.push(...(page.ServiceDetails ?? []));
    token = page.NextToken;
  } while (token);
  return found;
}

async function serviceDetail(
  consumer: Actor,
  service: Service,
): Promise<ServiceDetail> {
  const res = await consumer.ec2.send(
    new DescribeVpcEndpointServicesCommand({
      ServiceNames: [service.serviceName],
    }),
  );
  expect(res.ServiceDetails).toHaveLength(1);
  return res.ServiceDetails![0];
}

/** A hosted zone `zoneName` of `owner` (public unless `privateIn` gives a VPC) with one TXT record. */
async function publishTxt(
  owner: Actor,
  zoneName: string,
  recordName: string,
  value: string,
  privateIn?: Network,
) {
  const zone = await owner.route53.send(
    new CreateHostedZoneCommand({
      Name: zoneName,
      CallerReference: unique('zone'),
      HostedZoneConfig: privateIn ? { PrivateZone: true } : undefined,
      VPC: privateIn
        ? { VPCId: privateIn.vpcId, VPCRegion: REGION }
        : undefined,
    }),
  );
  await owner.route53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zone.HostedZone!.Id!,
      ChangeBatch: {
        Changes: [
          {
            Action: 'CREATE',
            ResourceRecordSet: {
              Name: recordName,
              Type: 'TXT',
              TTL: 300,
              ResourceRecords: [{ Value: `"${value}"` }],
            },
          },
        ],
      },
    }),
  );
}

/** Publishes the service's current verification record at `domain` in a public zone of `owner`. */
async function publishVerificationRecord(
  owner: Actor,
  provider: Actor,
  service: Service,
  domain: string,
) {
  const dns = (await dnsConfiguration(provider, service))!;
  await publishTxt(owner, domain, `${dns.Name}.${domain}`, dns.Value!);
}

/** Rejects with an AWS error whose code (the SDK's `name`) is `code`. */
async function expectAwsError(promise: Promise<unknown>, code: string) {
  await expect(promise).rejects.toMatchObject({ name: code });
}

function unsuccessfulCodes(
  items: { ResourceId?: string; Error?: { Code?: string } }[] | undefined,
): Record<string, string | undefined> {
  return Object.fromEntries(
    (items ?? []).map(i => [i.ResourceId!, i.Error?.Code]),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Tests


/** Two services open to consumer A without acceptance: one without a private DNS name, one with an unverified one. */
async function servicesWithAndWithoutName(provider: Actor, label: string) {
  const domain = `${unique(label)}.example.com`;
  const nameless = await createService(provider, { acceptanceRequired: false, allow: [CONSUMER_A] });
  const named = await createService(provider, {
    acceptanceRequired: false,
    privateDnsName: `api.${domain}`,
    allow: [CONSUMER_A],
  });
  return { domain, nameless, named };
}

describe('PrivateLink emulator layer (moto)', () => {
  let moto: MotoServer;

  beforeAll(async () => {
    moto = await startMoto();
  }, 60_000);

  afterAll(async () => {
    destroyClients();
    await moto?.stop();
  }, 30_000);

  describe('CreateVpcEndpoint', () => {
    it(
      'starts an endpoint pendingAcceptance when the service requires acceptance, available otherwise',
      async () => {
        const { provider, consumerA } = await actors(moto);
        const gated = await createService(provider, {
          acceptanceRequired: true,
          allow: [CONSUMER_A],
        });
        const open = await createService(provider, {
          acceptanceRequired: false,
          allow: [CONSUMER_A],
        });

        const pending = await createEndpoint(consumerA, gated);
        const available = await createEndpoint(consumerA, open);
        expect(pending.State).toBe('pendingAcceptance');
        expect(available.State).toBe('available');
        expect(pending.OwnerId).toBe(CONSUMER_A);

        // The consumer sees the same states later on.
        expect(await endpointState(consumerA, pending.VpcEndpointId!)).toBe(
          'pendingAcceptance',
        );
        expect(await endpointState(consumerA, available.VpcEndpointId!)).toBe(
          'available',
        );

        // The provider sees one connection per service, from the consumer's account.
        const [connection] = await connectionsTo(provider, gated);
        expect(connection).toEqual(
          expect.objectContaining({
            ServiceId: gated.serviceId,
            VpcEndpointId: pending.VpcEndpointId,
            VpcEndpointOwner: CONSUMER_A,
            VpcEndpointState: 'pendingAcceptance',
            NetworkLoadBalancerArns: [gated.nlbArn],
            IpAddressType: 'ipv4',
            VpcEndpointRegion: REGION,
          }),
        );
        expect(connection.VpcEndpointConnectionId).toMatch(
          /^vpce-con-[0-9a-f]{17}$/,
        );
        expect(connection.CreationTimestamp).toBeInstanceOf(Date);
        expect(connection.DnsEntries?.length).toBeGreaterThan(0);
        expect(idsOf(await connectionsTo(provider, open))).toEqual([
          available.VpcEndpointId,
        ]);
        expect((await connectionsTo(provider, open))[0].VpcEndpointState).toBe(
          'available',
        );
      },
      TEST_TIMEOUT,
    );

    it(
      'lets the owner and allowed principals connect and refuses other accounts with InvalidServiceName, creating nothing',
      async () => {
        const { provider, consumerA, consumerB } = await actors(moto);
        const service = await createService(provider, {
          acceptanceRequired: false,
          allow: [CONSUMER_A],
        });

        await expectAwsError(
          createEndpoint(consumerB, service),
          'InvalidServiceName',
        );
        // Nothing was created in the refused account: no endpoint, no network interface, no connection.
        expect(await endpointsTo(consumerB, service)).toEqual([]);
        const { vpcId } = await consumerB.network();
        const enis = await consumerB.ec2.send(
          new DescribeNetworkInterfacesCommand({
            Filters: [{ Name: 'vpc-id', Values: [vpcId] }],
          }),
        );
        expect(enis.NetworkInterfaces ?? []).toEqual([]);
        expect(await connectionsTo(provider, service)).toEqual([]);

        // An allowed account and the owner itself may connect.
        const fromA = await createEndpoint(consumerA, service);
        const fromOwner = await createEndpoint(provider, service);
        expect(idsOf(await connectionsTo(provider, service))).toEqual(
          idsOf([fromA, fromOwner]),
        );

        // Once allowed (here as a role of the account), B may connect too.
        await provider.ec2.send(
          new ModifyVpcEndpointServicePermissionsCommand({
            ServiceId: service.serviceId,
            AddAllowedPrincipals: [`arn:aws:iam::${CONSUMER_B}:role/any`],
          }),
        );
        const fromB = await createEndpoint(consumerB, service);
        expect(
          (await connectionsTo(provider, service)).map(c => [
            c.VpcEndpointId,
            c.VpcEndpointOwner,
          ]),
        ).toEqual(
          expect.arrayContaining([
            [fromA.VpcEndpointId, CONSUMER_A],
            [fromOwner.VpcEndpointId, PROVIDER],
            [fromB.VpcEndpointId, CONSUMER_B],
          ]),
        );

        // A service that does not exist.
        await expectAwsError(
          createEndpoint(consumerA, {
            ...service,
            serviceName: `com.amazonaws.vpce.${REGION}.vpce-svc-0123456789abcdef0`,
          }),
          'InvalidServiceName',
        );
      },
      TEST_TIMEOUT,
    );

    it(
      'refuses PrivateDnsEnabled=true with InvalidParameter when the service has no private DNS name or it is not verified',
      async () => {
        const { provider, consumerA } = await actors(moto);
        const { domain, nameless, named: unverified } = await servicesWithAndWithoutName(provider, 'refused');

        await expectAwsError(
          createEndpoint(consumerA, nameless, true),
          'InvalidParameter',
        );
        await expectAwsError(
          createEndpoint(consumerA, unverified, true),
          'InvalidParameter',
        );
        expect(await endpointsTo(consumerA, nameless)).toEqual([]);
        expect(await endpointsTo(consumerA, unverified)).toEqual([]);
        expect(await connectionsTo(provider, unverified)).toEqual([]);

        // Once verified, it is accepted.
        await publishVerificationRecord(provider, provider, unverified, domain);
        const endpoint = await createEndpoint(consumerA, unverified, true);
        expect(endpoint.PrivateDnsEnabled).toBe(true);
      },
      TEST_TIMEOUT,
    );

    it(
      'enables private DNS when PrivateDnsEnabled is unset only if the private DNS name is verified',
      async () => {
        const { provider, consumerA } = await actors(moto);
        const { domain, nameless, named } = await servicesWithAndWithoutName(provider, 'default');

        const enabled = async (service: Service, explicit?: boolean) => {
          const created = await createEndpoint(consumerA, service, explicit);
          const described = await consumerA.ec2.send(
            new DescribeVpcEndpointsCommand({
              VpcEndpointIds: [created.VpcEndpointId!],
            }),
          );
          expect(described.VpcEndpoints![0].PrivateDnsEnabled).toBe(
            created.PrivateDnsEnabled,
          );
          return created.PrivateDnsEnabled;
        };

        expect(await enabled(nameless)).toBe(false);
        expect(await enabled(nameless, false)).toBe(false);
        expect(await enabled(named)).toBe(false); // pendingVerification
        expect(await enabled(named, false)).toBe(false);

        await publishVerificationRecord(provider, provider, named, domain);
        expect(await dnsState(provider, named)).toBe('verified');
        expect(await enabled(named)).toBe(true);
        expect(await enabled(named, true)).toBe(true);
        expect(await enabled(named, false)).toBe(false);
      },
      TEST_TIMEOUT,
    );
  });

  describe('DescribeVpcEndpointConnections', () => {
    it(
      "lists the connections to the caller's services from every account and applies each filter",
      async () => {
        const { provider, consumerA, consumerB } = await actors(moto);
        const service = await createService(provider, {
          allow: [CONSUMER_A, CONSUMER_B],
        });
        const other = await createService(provider, {
          acceptanceRequired: false,
          allow: [CONSUMER_A],
        });
        const a1 = await createEndpoint(consumerA, service);
        const a2 = await createEndpoint(consumerA, service);
        const b1 = await createEndpoint(consumerB, service);
        const elsewhere = await createEndpoint(consumerA, other);
        await provider.ec2.send(
          new AcceptVpcEndpointConnectionsCommand({
            ServiceId: service.serviceId,
            VpcEndpointIds: [a2.VpcEndpointId!],
          }),
        );

        const all = idsOf([a1, a2, b1]);
        const byFilter = async (Name: string, Values: string[]) =>
          idsOf(await connectionsTo(provider, service, [{ Name, Values }]));

        expect(idsOf(await connectionsTo(provider, service))).toEqual(all);
        expect(await byFilter('vpc-endpoint-owner', [CONSUMER_A])).toEqual(
          idsOf([a1, a2]),
        );
        expect(await byFilter('vpc-endpoint-owner', [CONSUMER_B])).toEqual(
          idsOf([b1]),
        );
        expect(
          await byFilter('vpc-endpoint-state', ['pendingAcceptance']),
        ).toEqual(idsOf([a1, b1]));
        expect(await byFilter('vpc-endpoint-state', ['available'])).toEqual(
          idsOf([a2]),
        );
        expect(
          await byFilter('vpc-endpoint-state', [
            'available',
            'pendingAcceptance',
          ]),
        ).toEqual(all);
        expect(
          await byFilter('vpc-endpoint-id', [b1.VpcEndpointId!, 'vpce-0000']),
        ).toEqual(idsOf([b1]));
        expect(await byFilter('ip-address-type', ['ipv4'])).toEqual(all);
        expect(await byFilter('ip-address-type', ['dualstack'])).toEqual([]);
        expect(await byFilter('vpc-endpoint-region', [REGION])).toEqual(all);
        expect(await byFilter('vpc-endpoint-region', ['eu-west-1'])).toEqual(
          [],
        );
        // Filters combine with AND.
        expect(
          idsOf(
            await connectionsTo(provider, service, [
              { Name: 'vpc-endpoint-owner', Values: [CONSUMER_A] },
              { Name: 'vpc-endpoint-state', Values: ['pendingAcceptance'] },
            ]),
          ),
        ).toEqual(idsOf([a1]));

        // Without a service-id filter: every service of the caller, including the other one.
        const everything = idsOf(
          (await connectionsPage(provider, { MaxResults: 1000 }))
            .VpcEndpointConnections ?? [],
        );
        expect(everything).toEqual(
          expect.arrayContaining(idsOf([a1, a2, b1, elsewhere])),
        );

        // A consumer has no services: it sees no connections, not even its own endpoints'.
        const seenByConsumer = await connectionsPage(consumerA, {});
        expect(seenByConsumer.VpcEndpointConnections ?? []).toEqual([]);

        await expectAwsError(
          connectionsPage(provider, {
            Filters: [{ Name: 'vpc-endpoint-type', Values: ['Interface'] }],
          }),
          'InvalidFilter',
        );
      },
      TEST_TIMEOUT,
    );

    it(
      'pages through 12 connections with MaxResults 5: three pages, each connection once',
      async () => {
        const { provider, consumerA, consumerB } = await actors(moto);
        const service = await createService(provider, {
          allow: [CONSUMER_A, CONSUMER_B],
        });
        const created: VpcEndpoint[] = [];
        for (let i = 0; i < 12; i++) {
          created.push(
            await createEndpoint(i % 2 === 0 ? consumerA : consumerB, service),
          );
        }
        const filters = [{ Name: 'service-id', Values: [service.serviceId] }];

        const pages: VpcEndpointConnection[][] = [];
        let token: string | undefined;
        do {
          const page = await connectionsPage(provider, {
            Filters: filters,
            MaxResults: 5,
            NextToken: token,
          });
          pages.push(page.VpcEndpointConnections ?? []);
          token = page.NextToken;
          expect(pages.length).toBeLessThanOrEqual(3);
        } while (token);

        expect(pages.map(p => p.length)).toEqual([5, 5, 2]);
        const seen = pages.flat().map(c => c.VpcEndpointId!);
        expect(new Set(seen).size).toBe(12);
        expect([...seen].sort()).toEqual(idsOf(created));

        // MaxResults 5 is the least EC2 takes; without it (or above 1000) everything comes in one page.
        const single = await connectionsPage(provider, {
          Filters: filters,
          MaxResults: 5000,
        });
        expect(single.VpcEndpointConnections).toHaveLength(12);
        expect(single.NextToken).toBeUndefined();
        const unbounded = await connectionsPage(provider, { Filters: filters });
        expect(unbounded.VpcEndpointConnections).toHaveLength(12);
        expect(unbounded.NextToken).toBeUndefined();
        await expectAwsError(
          connectionsPage(provider, { Filters: filters, MaxResults: 4 }),
          'InvalidParameterValue',
        );
      },
      TEST_TIMEOUT,
    );

    it(
      'refuses a malformed NextToken and one issued for other filters with InvalidNextToken',
      async () => {
        const { provider, consumerA } = await actors(moto);
        const service = await createService(provider, {
          allow: [CONSUMER_A],
        });
        for (let i = 0; i < 6; i++) {
          await createEndpoint(consumerA, service);
        }
        const filters = [{ Name: 'service-id', Values: [service.serviceId] }];
        const first = await connectionsPage(provider, {
          Filters: filters,
          MaxResults: 5,
        });
        expect(first.NextToken).toEqual(expect.any(String));

        // The token works with the filters it was issued for.
        const second = await connectionsPage(provider, {
          Filters: filters,
          MaxResults: 5,
          NextToken: first.NextToken,
        });
        expect(second.VpcEndpointConnections).toHaveLength(1);

        await expectAwsError(
          connectionsPage(provider, {
            Filters: [
              ...filters,
              { Name: 'vpc-endpoint-owner', Values: [CONSUMER_A] },
            ],
            MaxResults: 5,
            NextToken: first.NextToken,
          }),
          'InvalidNextToken',
        );
        await expectAwsError(
          connectionsPage(provider, {
            MaxResults: 5,
            NextToken: first.NextToken,
          }),
          'InvalidNextToken',
        );
        await expectAwsError(
          connectionsPage(provider, {
            Filters: filters,
            MaxResults: 5,
            NextToken: 'not-a-token',
          }),
          'InvalidNextToken',
        );
      },
      TEST_TIMEOUT,
    );
  });

  describe('Accept/RejectVpcEndpointConnections', () => {
    it(
      'accepts pending connections (the consumers see them available) and reports unknown ids and wrong states',
      async () => {
        const { provider, consumerA, consumerB } = await actors(moto);
        const service = await createService(provider, {
          allow: [CONSUMER_A, CONSUMER_B],
        });
        const other = await createService(provider, {
          acceptanceRequired: false,
          allow: [CONSUMER_A],
        });
        const a1 = (await createEndpoint(consumerA, service)).VpcEndpointId!;
        const a2 = (await createEndpoint(consumerA, service)).VpcEndpointId!;
        const b1 = (await createEndpoint(consumerB, service)).VpcEndpointId!;
        const toOther = (await createEndpoint(consumerA, other)).VpcEndpointId!;
        const missing = 'vpce-0123456789abcdef0';

        const accepted = await provider.ec2.send(
          new AcceptVpcEndpointConnectionsCommand({
            ServiceId: service.serviceId,
            VpcEndpointIds: [a1, b1, missing, toOther],
          }),
        );
        expect(unsuccessfulCodes(accepted.Unsuccessful)).toEqual({
          [missing]: 'InvalidVpcEndpointId.NotFound',
          [toOther]: 'InvalidVpcEndpointId.NotFound',
        });
        expect(await endpointState(consumerA, a1)).toBe('available');
        expect(await endpointState(consumerB, b1)).toBe('available');
        expect(await endpointState(consumerA, a2)).toBe('pendingAcceptance');
        expect(await endpointState(consumerA, toOther)).toBe('available');
        expect(
          Object.fromEntries(
            (await connectionsTo(provider, service)).map(c => [
              c.VpcEndpointId,
              c.VpcEndpointState,
            ]),
          ),
        ).toEqual({
          [a1]: 'available',
          [a2]: 'pendingAcceptance',
          [b1]: 'available',
        });

        // Accepting again: the available one is in the wrong state, the pending one goes through.
        const again = await provider.ec2.send(
          new AcceptVpcEndpointConnectionsCommand({
            ServiceId: service.serviceId,
            VpcEndpointIds: [a1, a2],
          }),
        );
        expect(unsuccessfulCodes(again.Unsuccessful)).toEqual({
          [a1]: 'IncorrectState',
        });
        expect(await endpointState(consumerA, a2)).toBe('available');
      },
      TEST_TIMEOUT,
    );

    it(
      'rejects pending and available connections; a rejected one can be neither rejected nor accepted again',
      async () => {
        const { provider, consumerA, consumerB } = await actors(moto);
        const service = await createService(provider, {
          allow: [CONSUMER_A, CONSUMER_B],
        });
        const pending = (await createEndpoint(consumerA, service))
          .VpcEndpointId!;
        const available = (await createEndpoint(consumerB, service))
          .VpcEndpointId!;
        const untouched = (await createEndpoint(consumerB, service))
          .VpcEndpointId!;
        await provider.ec2.send(
          new AcceptVpcEndpointConnectionsCommand({
            ServiceId: service.serviceId,
            VpcEndpointIds: [available],
          }),
        );

        const rejected = await provider.ec2.send(
          new RejectVpcEndpointConnectionsCommand({
            ServiceId: service.serviceId,
            VpcEndpointIds: [pending, available, 'vpce-0123456789abcdef0'],
          }),
        );
        expect(unsuccessfulCodes(rejected.Unsuccessful)).toEqual({
          'vpce-0123456789abcdef0': 'InvalidVpcEndpointId.NotFound',
        });
        expect(await endpointState(consumerA, pending)).toBe('rejected');
        expect(await endpointState(consumerB, available)).toBe('rejected');
        expect(await endpointState(consumerB, untouched)).toBe(
          'pendingAcceptance',
        );
        expect(
          idsOf(
            await connectionsTo(provider, service, [
              { Name: 'vpc-endpoint-state', Values: ['rejected'] },
            ]),
          ),
        ).toEqual([pending, available].sort());

        const rejectAgain = await provider.ec2.send(
          new RejectVpcEndpointConnectionsCommand({
            ServiceId: service.serviceId,
            VpcEndpointIds: [pending],
          }),
        );
        expect(unsuccessfulCodes(rejectAgain.Unsuccessful)).toEqual({
          [pending]: 'IncorrectState',
        });
        const acceptRejected = await provider.ec2.send(
          new AcceptVpcEndpointConnectionsCommand({
            ServiceId: service.serviceId,
            VpcEndpointIds: [pending, available],
          }),
        );
        expect(unsuccessfulCodes(acceptRejected.Unsuccessful)).toEqual({
          [pending]: 'IncorrectState',
          [available]: 'IncorrectState',
        });
        expect(await endpointState(consumerA, pending)).toBe('rejected');
      },
      TEST_TIMEOUT,
    );

    it(
      'answers InvalidVpcEndpointServiceId.NotFound for a service the caller does not own',
      async () => {
        const { provider, consumerA } = await actors(moto);
        const service = await createService(provider, { allow: [CONSUMER_A] });
        const endpointId = (await createEndpoint(consumerA, service))
          .VpcEndpointId!;

        for (const [ec2, serviceId] of [
          [provider.ec2, 'vpce-svc-0123456789abcdef0'],
          // The consumer cannot decide on its own connection: the service is not in its account.
          [consumerA.ec2, service.serviceId],
        ] as const) {
          await expectAwsError(
            ec2.send(
              new AcceptVpcEndpointConnectionsCommand({
                ServiceId: serviceId,
                VpcEndpointIds: [endpointId],
              }),
            ),
            'InvalidVpcEndpointServiceId.NotFound',
          );
          await expectAwsError(
            ec2.send(
              new RejectVpcEndpointConnectionsCommand({
                ServiceId: serviceId,
                VpcEndpointIds: [endpointId],
              }),
            ),
            'InvalidVpcEndpointServiceId.NotFound',
          );
        }
        expect(await endpointState(consumerA, endpointId)).toBe(
          'pendingAcceptance',
        );
      },
      TEST_TIMEOUT,
    );
  });

  describe('private DNS name verification', () => {
    it(
      'issues a TXT record to publish and stays pendingVerification until it is published',
      async () => {
        const { provider } = await actors(moto);
        const domain = `${unique('issued')}.example.com`;
        const named = await createService(provider, {
          privateDnsName: `api.${domain}`,
        });
        const nameless = await createService(provider);

        const config = await serviceConfiguration(provider, named);
        expect(config.PrivateDnsName).toBe(`api.${domain}`);
        expect(config.PrivateDnsNameConfiguration).toEqual({
          State: 'pendingVerification',
          Type: 'TXT',
          Name: expect.stringMatching(/^_[a-z0-9]{20}$/),
          Value: expect.stringMatching(/^vpce:[A-Za-z0-9]{20}$/),
        });

        const namelessConfig = await serviceConfiguration(provider, nameless);
        expect(namelessConfig.PrivateDnsName).toBeUndefined();
        expect(
          namelessConfig.PrivateDnsNameConfiguration?.State,
        ).toBeUndefined();

        // Each service gets its own record.
        const another = await createService(provider, {
          privateDnsName: `api.${domain}`,
        });
        const anotherDns = await dnsConfiguration(provider, another);
        expect(anotherDns?.Name).not.toBe(
          config.PrivateDnsNameConfiguration!.Name,
        );
        expect(anotherDns?.Value).not.toBe(
          config.PrivateDnsNameConfiguration!.Value,
        );

        // Restarting a pending verification keeps the record.
        await expect(
          provider.ec2.send(
            new StartVpcEndpointServicePrivateDnsVerificationCommand({
              ServiceId: named.serviceId,
            }),
          ),
        ).resolves.toMatchObject({ ReturnValue: true });
        expect(await dnsConfiguration(provider, named)).toEqual(
          config.PrivateDnsNameConfiguration,
        );
      },
      TEST_TIMEOUT,
    );

    it(
      "is verified by the record at the name's own domain in the provider's public zone",
      async () => {
        const { provider } = await actors(moto);
        const name = `api.${unique('own')}.example.com`;
        const service = await createService(provider, { privateDnsName: name });
        expect(await dnsState(provider, service)).toBe('pendingVerification');

        await publishVerificationRecord(provider, provider, service, name);

        const dns = await dnsConfiguration(provider, service);
        expect(dns?.State).toBe('verified');
      },
      TEST_TIMEOUT,
    );

    it(
      "is verified by the record at a parent domain in another account's public zone, not by a private zone, another value or another domain",
      async () => {
        const { provider, consumerB } = await actors(moto);
        const parent = `${unique('parent')}.example.com`;
        const service = await createService(provider, {
          privateDnsName: `api.eu.${parent}`,
        });
        const { Name, Value } = (await dnsConfiguration(provider, service))!;

        // A private zone does not count, even with the right record.
        await publishTxt(
          consumerB,
          parent,
          `${Name}.${parent}`,
          Value!,
          await consumerB.network(),
        );
        expect(await dnsState(provider, service)).toBe('pendingVerification');

        // Nor does another value, the right value under another domain, or another record name.
        await publishTxt(
          consumerB,
          `eu.${parent}`,
          `${Name}.eu.${parent}`,
          'vpce:somethingelse',
        );
        await publishTxt(
          consumerB,
          `other.${parent}`,
          `${Name}.other.${parent}`,
          Value!,
        );
        await publishTxt(
          consumerB,
          `api.eu.${parent}`,
          `_other.api.eu.${parent}`,
          Value!,
        );
        expect(await dnsState(provider, service)).toBe('pendingVerification');

        await publishTxt(consumerB, parent, `${Name}.${parent}`, Value!);
        expect(await dnsConfiguration(provider, service)).toEqual({
          State: 'verified',
          Type: 'TXT',
          Name,
          Value,
        });
      },
      TEST_TIMEOUT,
    );

    it(
      'StartVpcEndpointServicePrivateDnsVerification refuses a service without private DNS name and an unknown service',
      async () => {
        const { provider } = await actors(moto);
        const nameless = await createService(provider);
        await expectAwsError(
          provider.ec2.send(
            new StartVpcEndpointServicePrivateDnsVerificationCommand({
              ServiceId: nameless.serviceId,
            }),
          ),
          'InvalidParameter',
        );
        await expectAwsError(
          provider.ec2.send(
            new StartVpcEndpointServicePrivateDnsVerificationCommand({
              ServiceId: 'vpce-svc-0123456789abcdef0',
            }),
          ),
          'InvalidVpcEndpointServiceId.NotFound',
        );
        // The refused service is left as it was: no name, nothing to verify.
        const config = await serviceConfiguration(provider, nameless);
        expect(config.PrivateDnsName).toBeUndefined();
        expect(config.PrivateDnsNameConfiguration?.State).toBeUndefined();
      },
      TEST_TIMEOUT,
    );

    it(
      'a new PrivateDnsName issues a new record and goes back to pendingVerification; the same name keeps the verification',
      async () => {
        const { provider } = await actors(moto);
        const domain = `${unique('modify')}.example.com`;
        const service = await createService(provider, {
          privateDnsName: `api.${domain}`,
        });
        await publishVerificationRecord(provider, provider, service, domain);
        const verified = (await dnsConfiguration(provider, service))!;
        expect(verified.State).toBe('verified');

        const modify = (
          input: Omit<
            ModifyVpcEndpointServiceConfigurationCommandInput,
            'ServiceId'
          >,
        ) =>
          provider.ec2.send(
            new ModifyVpcEndpointServiceConfigurationCommand({
              ServiceId: service.serviceId,
              ...input,
            }),
          );

        // Other changes, and the same name, leave the verification alone.
        await modify({ AcceptanceRequired: false });
        await modify({ PrivateDnsName: `API.${domain}` });
        expect(await dnsConfiguration(provider, service)).toEqual(verified);

        // A new name (even under the already proven domain) must be proven with a new record.
        await modify({ PrivateDnsName: `web.${domain}` });
        const config = await serviceConfiguration(provider, service);
        expect(config.PrivateDnsName).toBe(`web.${domain}`);
        const fresh = config.PrivateDnsNameConfiguration!;
        expect(fresh.State).toBe('pendingVerification');
        expect(fresh.Name).toMatch(/^_[a-z0-9]{20}$/);
        expect(fresh.Name).not.toBe(verified.Name);
        expect(fresh.Value).not.toBe(verified.Value);

        await publishVerificationRecord(
          provider,
          provider,
          service,
          `web.${domain}`,
        );
        expect(await dnsState(provider, service)).toBe('verified');
      },
      TEST_TIMEOUT,
    );

    it(
      'RemovePrivateDnsName removes the name and its verification',
      async () => {
        const { provider, consumerA } = await actors(moto);
        const domain = `${unique('remove')}.example.com`;
        const service = await createService(provider, {
          acceptanceRequired: false,
          privateDnsName: `api.${domain}`,
          allow: [CONSUMER_A],
        });
        await publishVerificationRecord(provider, provider, service, domain);
        expect(await dnsState(provider, service)).toBe('verified');

        await expectAwsError(
          provider.ec2.send(
            new ModifyVpcEndpointServiceConfigurationCommand({
              ServiceId: service.serviceId,
              PrivateDnsName: `web.${domain}`,
              RemovePrivateDnsName: true,
            }),
          ),
          'InvalidParameter',
        );
        expect(
          (await serviceConfiguration(provider, service)).PrivateDnsName,
        ).toBe(`api.${domain}`);

        await provider.ec2.send(
          new ModifyVpcEndpointServiceConfigurationCommand({
            ServiceId: service.serviceId,
            RemovePrivateDnsName: true,
          }),
        );
        const config = await serviceConfiguration(provider, service);
        expect(config.PrivateDnsName).toBeUndefined();
        expect(config.PrivateDnsNameConfiguration?.State).toBeUndefined();

        const detail = await serviceDetail(consumerA, service);
        expect(detail.PrivateDnsName).toBeUndefined();
        expect(detail.PrivateDnsNames ?? []).toEqual([]);
        expect(detail.PrivateDnsNameVerificationState).toBeUndefined();

        await expectAwsError(
          provider.ec2.send(
            new StartVpcEndpointServicePrivateDnsVerificationCommand({
              ServiceId: service.serviceId,
            }),
          ),
          'InvalidParameter',
        );
        await expectAwsError(
          createEndpoint(consumerA, service, true),
          'InvalidParameter',
        );
        expect(
          (await createEndpoint(consumerA, service)).PrivateDnsEnabled,
        ).toBe(false);

        // A name given again starts a new verification.
        await provider.ec2.send(
          new ModifyVpcEndpointServiceConfigurationCommand({
            ServiceId: service.serviceId,
            PrivateDnsName: `api.${domain}`,
          }),
        );
        expect(await dnsState(provider, service)).toBe('pendingVerification');
      },
      TEST_TIMEOUT,
    );
  });

  describe('DescribeVpcEndpointServices', () => {
    it(
      "shows a consumer the other accounts' services that allow it, with their verification state",
      async () => {
        const { provider, consumerA, consumerB } = await actors(moto);
        const domain = `${unique('visible')}.example.com`;
        const forA = await createService(provider, {
          acceptanceRequired: true,
          privateDnsName: `api.${domain}`,
          allow: [CONSUMER_A],
        });
        const forBoth = await createService(provider, {
          acceptanceRequired: false,
          privateDnsName: `web.${domain}`,
          allow: [CONSUMER_A, CONSUMER_B],
        });
        const forNobody = await createService(provider);
        await publishVerificationRecord(
          provider,
          provider,
          forBoth,
          `web.${domain}`,
        );

        const namesSeenBy = async (consumer: Actor) =>
          (await visibleServices(consumer)).map(s => s.ServiceName);
        const seenByA = await namesSeenBy(consumerA);
        const seenByB = await namesSeenBy(consumerB);
        expect(seenByA).toEqual(
          expect.arrayContaining([forA.serviceName, forBoth.serviceName]),
        );
        expect(seenByA).not.toContain(forNobody.serviceName);
        expect(seenByB).toContain(forBoth.serviceName);
        expect(seenByB).not.toContain(forA.serviceName);
        expect(seenByB).not.toContain(forNobody.serviceName);
        // AWS's own services are still listed.
        expect(seenByB).toContain(`com.amazonaws.${REGION}.s3`);
        // The owner sees its own services.
        expect(await namesSeenBy(provider)).toEqual(
          expect.arrayContaining([
            forA.serviceName,
            forBoth.serviceName,
            forNobody.serviceName,
          ]),
        );

        expect(await serviceDetail(consumerA, forA)).toEqual(
          expect.objectContaining({
            ServiceId: forA.serviceId,
            ServiceName: forA.serviceName,
            Owner: PROVIDER,
            AcceptanceRequired: true,
            PrivateDnsName: `api.${domain}`,
            PrivateDnsNameVerificationState: 'pendingVerification',
          }),
        );
        expect(await serviceDetail(consumerB, forBoth)).toEqual(
          expect.objectContaining({
            Owner: PROVIDER,
            AcceptanceRequired: false,
            PrivateDnsName: `web.${domain}`,
            PrivateDnsNameVerificationState: 'verified',
          }),
        );
        await expectAwsError(
          serviceDetail(consumerB, forA),
          'InvalidServiceName',
        );
      },
      TEST_TIMEOUT,
    );
  });

  describe('DeleteVpcEndpointServiceConfigurations', () => {
    it(
      'keeps services with pending or available connections (ExistingVpcEndpointConnections) and deletes the others',
      async () => {
        const { provider, consumerA } = await actors(moto);
        const withPending = await createService(provider, {
          allow: [CONSUMER_A],
        });
        const withAvailable = await createService(provider, {
          acceptanceRequired: false,
          allow: [CONSUMER_A],
        });
        const withRejected = await createService(provider, {
          allow: [CONSUMER_A],
        });
        const unused = await createService(provider);
        const pendingId = (await createEndpoint(consumerA, withPending))
          .VpcEndpointId!;
        await createEndpoint(consumerA, withAvailable);
        const rejectedId = (await createEndpoint(consumerA, withRejected))
          .VpcEndpointId!;
        await provider.ec2.send(
          new RejectVpcEndpointConnectionsCommand({
            ServiceId: withRejected.serviceId,
            VpcEndpointIds: [rejectedId],
          }),
        );
        const missing = 'vpce-svc-0123456789abcdef0';

        const res = await provider.ec2.send(
          new DeleteVpcEndpointServiceConfigurationsCommand({
            ServiceIds: [
              withPending.serviceId,
              withAvailable.serviceId,
              withRejected.serviceId,
              unused.serviceId,
              missing,
            ],
          }),
        );
        expect(unsuccessfulCodes(res.Unsuccessful)).toEqual({
          [withPending.serviceId]: 'ExistingVpcEndpointConnections',
          [withAvailable.serviceId]: 'ExistingVpcEndpointConnections',
          [missing]: 'InvalidVpcEndpointService.NotFound',
        });

        const remaining = (
          await provider.ec2.send(
            new DescribeVpcEndpointServiceConfigurationsCommand({}),
          )
        ).ServiceConfigurations!.map(c => c.ServiceId);
        expect(remaining).toEqual(
          expect.arrayContaining([
            withPending.serviceId,
            withAvailable.serviceId,
          ]),
        );
        expect(remaining).not.toContain(withRejected.serviceId);
        expect(remaining).not.toContain(unused.serviceId);
        // The same id twice: reported once, still kept.
        const twice = await provider.ec2.send(
          new DeleteVpcEndpointServiceConfigurationsCommand({
            ServiceIds: [withAvailable.serviceId, withAvailable.serviceId],
          }),
        );
        expect(twice.Unsuccessful).toEqual([
          expect.objectContaining({
            ResourceId: withAvailable.serviceId,
            Error: expect.objectContaining({
              Code: 'ExistingVpcEndpointConnections',
            }),
          }),
        ]);
        expect(
          (await serviceConfiguration(provider, withAvailable)).ServiceId,
        ).toBe(withAvailable.serviceId);

        // The kept services still have their connections.
        expect(idsOf(await connectionsTo(provider, withPending))).toEqual([
          pendingId,
        ]);

        // Once the consumer deletes its endpoint, the service can go.
        await consumerA.ec2.send(
          new DeleteVpcEndpointsCommand({ VpcEndpointIds: [pendingId] }),
        );
        expect(await connectionsTo(provider, withPending)).toEqual([]);
        const retry = await provider.ec2.send(
          new DeleteVpcEndpointServiceConfigurationsCommand({
            ServiceIds: [withPending.serviceId],
          }),
        );
        expect(retry.Unsuccessful ?? []).toEqual([]);
        await expectAwsError(
          serviceConfiguration(provider, withPending),
          'InvalidVpcEndpointServiceId.NotFound',
        );
      },
      TEST_TIMEOUT,
    );
  });

  describe('supported IP address types', () => {
    const supportedTypes = async (provider: Actor, serviceId: string) =>
      (await provider.ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [serviceId] })))
        .ServiceConfigurations![0].SupportedIpAddressTypes;

    it(
      'are IPv4 by default, IPv6 only behind a dualstack load balancer, never none; a refused change changes nothing',
      async () => {
        const { provider } = await actors(moto);
        const ipv4 = await createService(provider);
        expect(await supportedTypes(provider, ipv4.serviceId)).toEqual(['ipv4']);

        await expectAwsError(
          provider.ec2.send(new ModifyVpcEndpointServiceConfigurationCommand({ ServiceId: ipv4.serviceId, AddSupportedIpAddressTypes: ['ipv6'] })),
          'InvalidParameter',
        );
        await expectAwsError(
          provider.ec2.send(new ModifyVpcEndpointServiceConfigurationCommand({ ServiceId: ipv4.serviceId, RemoveSupportedIpAddressTypes: ['ipv4'] })),
          'InvalidParameter',
        );
        // A refused change leaves the rest of the request undone too.
        await expectAwsError(
          provider.ec2.send(
            new ModifyVpcEndpointServiceConfigurationCommand({ ServiceId: ipv4.serviceId, AcceptanceRequired: false, AddSupportedIpAddressTypes: ['ipv5'] }),
          ),
          'InvalidParameter',
        );
        const after = await provider.ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [ipv4.serviceId] }));
        expect(after.ServiceConfigurations![0]).toMatchObject({ SupportedIpAddressTypes: ['ipv4'], AcceptanceRequired: true });

        await expectAwsError(createService(provider, { supportedIpAddressTypes: ['ipv6'] }), 'InvalidParameter');

        const dual = await createService(provider, { dualstack: true, supportedIpAddressTypes: ['ipv4', 'ipv6'] });
        expect(await supportedTypes(provider, dual.serviceId)).toEqual(['ipv4', 'ipv6']);
        await provider.ec2.send(new ModifyVpcEndpointServiceConfigurationCommand({ ServiceId: dual.serviceId, RemoveSupportedIpAddressTypes: ['ipv4'] }));
        expect(await supportedTypes(provider, dual.serviceId)).toEqual(['ipv6']);
      },
      TEST_TIMEOUT,
    );

    it(
      'decide the endpoints a consumer may create, and the connections report their type',
      async () => {
        const { provider, consumerA } = await actors(moto);
        const service = await createService(provider, { dualstack: true, supportedIpAddressTypes: ['ipv4'], allow: [CONSUMER_A] });
        const { vpcId, subnetIds } = await consumerA.network();
        const create = (IpAddressType?: 'ipv4' | 'ipv6' | 'dualstack') =>
          consumerA.ec2.send(
            new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: service.serviceName, VpcEndpointType: 'Interface', SubnetIds: subnetIds, IpAddressType }),
          );
        await expectAwsError(create('dualstack'), 'InvalidParameter');
        const plain = (await create()).VpcEndpoint!.VpcEndpointId!;

        await provider.ec2.send(new ModifyVpcEndpointServiceConfigurationCommand({ ServiceId: service.serviceId, AddSupportedIpAddressTypes: ['ipv6'] }));
        const dual = (await create('dualstack')).VpcEndpoint!.VpcEndpointId!;

        const connections = await provider.ec2.send(
          new DescribeVpcEndpointConnectionsCommand({ Filters: [{ Name: 'service-id', Values: [service.serviceId] }] }),
        );
        const types = Object.fromEntries(connections.VpcEndpointConnections!.map(c => [c.VpcEndpointId, c.IpAddressType]));
        expect(types).toEqual({ [plain]: 'ipv4', [dual]: 'dualstack' });
        const consumerView = await consumerA.ec2.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: [service.serviceName] }));
        expect(consumerView.ServiceDetails![0].SupportedIpAddressTypes).toEqual(['ipv4', 'ipv6']);
      },
      TEST_TIMEOUT,
    );
  });

  describe('DeleteLoadBalancer', () => {
    it(
      'refuses while an endpoint service uses the load balancer (ResourceInUse) or its deletion protection is on (OperationNotPermitted), as ELB does',
      async () => {
        const { provider } = await actors(moto);
        const service = await createService(provider);
        const exists = async () =>
          (await provider.elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers!.some(l => l.LoadBalancerArn === service.nlbArn);

        await expectAwsError(provider.elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: service.nlbArn })), 'ResourceInUseException');
        expect(await exists()).toBe(true);

        await provider.ec2.send(new DeleteVpcEndpointServiceConfigurationsCommand({ ServiceIds: [service.serviceId] }));
        await provider.elb.send(
          new ModifyLoadBalancerAttributesCommand({
            LoadBalancerArn: service.nlbArn,
            Attributes: [{ Key: 'deletion_protection.enabled', Value: 'true' }],
          }),
        );
        await expectAwsError(provider.elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: service.nlbArn })), 'OperationNotPermittedException');
        expect(await exists()).toBe(true);

        await provider.elb.send(
          new ModifyLoadBalancerAttributesCommand({
            LoadBalancerArn: service.nlbArn,
            Attributes: [{ Key: 'deletion_protection.enabled', Value: 'false' }],
          }),
        );
        await provider.elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: service.nlbArn }));
        expect(await exists()).toBe(false);
      },
      TEST_TIMEOUT,
    );
  });

  describe('resetMoto', () => {
    it(
      'clears services, connections, verifications and hosted zones',
      async () => {
        const before = await actors(moto);
        const domain = `${unique('reset')}.example.com`;
        const service = await createService(before.provider, {
          privateDnsName: `api.${domain}`,
          allow: [CONSUMER_A],
        });
        await createEndpoint(before.consumerA, service);
        await publishVerificationRecord(
          before.consumerA,
          before.provider,
          service,
          domain,
        );
        expect(await dnsState(before.provider, service)).toBe('verified');

        await resetMoto(moto.endpoint);

        const { provider, consumerA } = await actors(moto);
        const configs = await provider.ec2.send(
          new DescribeVpcEndpointServiceConfigurationsCommand({}),
        );
        expect(configs.ServiceConfigurations ?? []).toEqual([]);
        expect(
          (await connectionsPage(provider, {})).VpcEndpointConnections ?? [],
        ).toEqual([]);
        const endpoints = await consumerA.ec2.send(
          new DescribeVpcEndpointsCommand({}),
        );
        expect(endpoints.VpcEndpoints ?? []).toEqual([]);
        expect(
          (await visibleServices(consumerA)).map(s => s.ServiceName),
        ).not.toContain(service.serviceName);
        const zones = await consumerA.route53.send(
          new ListHostedZonesCommand({}),
        );
        expect(zones.HostedZones ?? []).toEqual([]);

        // A new service starts over with its own pending verification.
        const again = await createService(provider, {
          privateDnsName: `api.${domain}`,
        });
        expect(await dnsState(provider, again)).toBe('pendingVerification');
      },
      TEST_TIMEOUT,
    );
  });
});

describe('PrivateLink emulator layer with a DNS verification timeout of 0 s', () => {
  let moto: MotoServer;

  beforeAll(async () => {
    moto = await startMoto({ dnsVerificationTimeoutSeconds: 0 });
  }, 60_000);

  afterAll(async () => {
    destroyClients();
    await moto?.stop();
  }, 30_000);

  it(
    'fails a verification without its record; a restart after publishing it verifies the name',
    async () => {
      const provider = await actor(moto, PROVIDER);
      const domain = `${unique('failed')}.example.com`;
      const service = await createService(provider, {
        privateDnsName: `api.${domain}`,
      });
      const failed = (await dnsConfiguration(provider, service))!;
      expect(failed.State).toBe('failed');

      const start = () =>
        provider.ec2.send(
          new StartVpcEndpointServicePrivateDnsVerificationCommand({
            ServiceId: service.serviceId,
          }),
        );

      // Restarting without the record fails again, with the same record to publish.
      await start();
      expect(await dnsConfiguration(provider, service)).toEqual(failed);

      // Publishing the record does not revive a failed verification by itself: a restart does.
      await publishVerificationRecord(provider, provider, service, domain);
      expect(await dnsState(provider, service)).toBe('failed');
      await expect(start()).resolves.toMatchObject({ ReturnValue: true });
      expect(await dnsConfiguration(provider, service)).toEqual({
        ...failed,
        State: 'verified',
      });

      // A verified name stays verified when restarted.
      await start();
      expect(await dnsState(provider, service)).toBe('verified');
    },
    TEST_TIMEOUT,
  );
});

describe('plain moto (emulator: false)', () => {
  it('does not answer DescribeVpcEndpointConnections: the reason the layer exists', async () => {
    const moto = await startMoto({ emulator: false });
    const ec2 = new EC2Client({
      endpoint: moto.endpoint,
      region: REGION,
      credentials: MOTO_CREDENTIALS,
      maxAttempts: 1,
    });
    try {
      const error = await ec2
        .send(new DescribeVpcEndpointConnectionsCommand({}))
        .then(
          () => undefined,
          (err: unknown) => err as { $metadata?: { httpStatusCode?: number } },
        );
      expect(error).toBeDefined();
      expect(error!.$metadata?.httpStatusCode).toBeGreaterThanOrEqual(400);
    } finally {
      ec2.destroy();
      await moto.stop();
    }
  }, 60_000);
});
