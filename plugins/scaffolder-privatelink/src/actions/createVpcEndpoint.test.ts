/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "expectRefusedStep"] }] */
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateVpcEndpointCommand,
  DeleteSecurityGroupCommand,
  DeleteVpcEndpointsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointServicePermissionsCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { InputError, NotAllowedError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { mockClient } from 'aws-sdk-client-mock';
import {
  awsError,
  DEFAULT_TAG_KEYS,
  mockClientFactories,
  wire,
} from '../__testUtils__/clients';
import { expectRefusedStep, TEST_ACCOUNTS, TEST_OWNER, TEST_USER, TestAuditRow, testWrites } from '../__testUtils__/writes';
import { createVpcEndpointAction } from './createVpcEndpoint';

const ec2Mock = mockClient(EC2Client);
const { ec2 } = mockClientFactories();

const PROVIDER = '123456789012';
const CONSUMER = '210987654321';
const SERVICE_ID = 'vpce-svc-0123456789abcdef0';
const SERVICE_NAME = `com.amazonaws.vpce.us-east-1.${SERVICE_ID}`;
const VPC = 'vpc-0123456789abcdef0';
const SUBNETS = ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'];
const SG = 'sg-0123456789abcdef0';
const ENDPOINT = 'vpce-0a1b2c3d4e5f60718';

const input = {
  accountId: CONSUMER,
  region: 'us-east-1',
  serviceName: SERVICE_NAME,
  vpcId: VPC,
  subnetIds: SUBNETS,
  name: 'payments-api-to-orders-api',
  owner: TEST_OWNER,
  component: 'component:default/payments-api',
};

/** The provider's service, as the catalog module refreshes it. */
const PROVIDER_SERVICE = {
  accountId: PROVIDER,
  region: 'us-east-1',
  serviceId: SERVICE_ID,
};
const ROW = {
  actor: TEST_USER,
  via: 'scaffolder',
  action: 'endpoint.create',
  accountId: CONSUMER,
  region: 'us-east-1',
};

function setUp(options: Partial<Parameters<typeof testWrites>[0]> = {}) {
  const t = testWrites({ ec2, ...options });
  return {
    ...t,
    action: createVpcEndpointAction({
      ec2,
      tagKeys: DEFAULT_TAG_KEYS,
      writes: t.writes,
      pollMinDelayMs: 10,
      cleanupRetryDelayMs: 1,
    }),
  };
}

/** No call of any kind went to AWS, nor was a client asked for. */
function expectNoAwsCall() {
  expect(ec2).not.toHaveBeenCalled();
  expect(ec2Mock.calls()).toHaveLength(0);
}

function expectOneRow(audit: TestAuditRow[], result: string, message: string) {
  expect(audit).toEqual([expect.objectContaining({ ...ROW, result })]);
  expect(audit[0].message).toContain(message);
}

/** An earlier run's endpoint with this key, tagged for `owner` (null: no owner tag). */
const foundEndpoint = (owner: string | null) => ({
  VpcEndpoints: [
    {
      VpcEndpointId: ENDPOINT,
      VpcId: VPC,
      State: wire('available'),
      Tags: [
        {
          Key: 'privatelink:idempotency-key',
          Value: 'endpoint:payments-api-to-orders-api',
        },
        ...(owner ? [{ Key: 'backstage:owner', Value: owner }] : []),
      ],
    },
  ],
});

/** A consumer account that can see the service, with DNS on and no endpoint yet. */
function consumerAccount(options: { privateDnsName?: string } = {}) {
  ec2Mock.on(DescribeSubnetsCommand).resolves({
    Subnets: [
      {
        SubnetId: SUBNETS[0],
        VpcId: VPC,
        AvailabilityZone: 'us-east-1a',
        AvailabilityZoneId: 'use1-az1',
      },
      {
        SubnetId: SUBNETS[1],
        VpcId: VPC,
        AvailabilityZone: 'us-east-1b',
        AvailabilityZoneId: 'use1-az2',
      },
    ],
  });
  ec2Mock.on(DescribeVpcEndpointServicesCommand).resolves({
    ServiceDetails: [
      {
        ServiceName: SERVICE_NAME,
        Owner: PROVIDER,
        AvailabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
        AvailabilityZoneIds: ['use1-az1', 'use1-az2', 'use1-az4'],
        AcceptanceRequired: true,
        ...(options.privateDnsName
          ? {
              PrivateDnsName: options.privateDnsName,
              PrivateDnsNameVerificationState: 'verified',
            }
          : {}),
      },
    ],
  });
  ec2Mock.on(DescribeVpcAttributeCommand).resolves({
    EnableDnsSupport: { Value: true },
    EnableDnsHostnames: { Value: true },
  });
  ec2Mock
    .on(DescribeVpcsCommand)
    .resolves({ Vpcs: [{ VpcId: VPC, CidrBlock: '10.1.0.0/16' }] });
  ec2Mock.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
  ec2Mock.on(DescribeSecurityGroupsCommand, { GroupIds: [SG] }).resolves({
    SecurityGroups: [{ GroupId: SG, VpcId: VPC, IpPermissions: [] }],
  });
  ec2Mock.on(CreateSecurityGroupCommand).resolves({ GroupId: SG });
  ec2Mock.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true });
  ec2Mock.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [] });
  ec2Mock
    .on(DescribeVpcEndpointsCommand, { VpcEndpointIds: [ENDPOINT] })
    .resolves({
      VpcEndpoints: [
        {
          VpcEndpointId: ENDPOINT,
          State: wire('pendingAcceptance'),
          DnsEntries: [
            {
              DnsName: `${ENDPOINT}-abc.${SERVICE_ID}.us-east-1.vpce.amazonaws.com`,
            },
          ],
        },
      ],
    });
  ec2Mock.on(CreateVpcEndpointCommand).resolves({
    VpcEndpoint: { VpcEndpointId: ENDPOINT, State: wire('pending') },
  });
}

beforeEach(() => {
  ec2Mock.reset();
  ec2.mockClear();
});

describe('aws:privatelink:endpoint:create', () => {
  it('creates a security group for 443 from the VPC, then the tagged endpoint, audited, and announces the provider service', async () => {
    consumerAccount();
    const requests: Array<{ permission: string; resourceRef?: string }> = [];
    const { action, audit, published } = setUp({
      allow: request => {
        requests.push(request);
        return true;
      },
    });
    const ctx = createMockActionContext({ input });

    await action.handler(ctx);

    expect(
      ec2Mock.commandCalls(CreateSecurityGroupCommand)[0].args[0].input,
    ).toMatchObject({
      VpcId: VPC,
      GroupName: expect.stringMatching(/^privatelink-endpoint-[0-9a-f]{12}$/),
    });
    expect(
      ec2Mock.commandCalls(AuthorizeSecurityGroupIngressCommand)[0].args[0]
        .input,
    ).toMatchObject({
      GroupId: SG,
      IpPermissions: [
        {
          IpProtocol: 'tcp',
          FromPort: 443,
          ToPort: 443,
          IpRanges: [expect.objectContaining({ CidrIp: '10.1.0.0/16' })],
        },
      ],
    });
    const create = ec2Mock.commandCalls(CreateVpcEndpointCommand);
    expect(create).toHaveLength(1);
    expect(create[0].args[0].input).toMatchObject({
      VpcEndpointType: 'Interface',
      VpcId: VPC,
      ServiceName: SERVICE_NAME,
      SubnetIds: SUBNETS,
      SecurityGroupIds: [SG],
      PrivateDnsEnabled: false,
      ClientToken: expect.any(String),
      TagSpecifications: [
        {
          ResourceType: 'vpc-endpoint',
          Tags: expect.arrayContaining([
            { Key: 'backstage:owner', Value: TEST_OWNER },
            {
              Key: 'backstage:component',
              Value: 'component:default/payments-api',
            },
            { Key: 'Name', Value: 'payments-api-to-orders-api' },
            {
              Key: 'privatelink:idempotency-key',
              Value: 'endpoint:payments-api-to-orders-api',
            },
          ]),
        },
      ],
    });
    // The DNS attributes are only read when private DNS is wanted.
    expect(ec2Mock.commandCalls(DescribeVpcAttributeCommand)).toHaveLength(0);
    expect(ec2).toHaveBeenCalledWith({
      accountId: CONSUMER,
      region: 'us-east-1',
    });
    // The create permission is asked for on the consumer's account, where the endpoint is made.
    expect(requests).toEqual([
      { permission: 'privatelink.resource.create', resourceRef: CONSUMER },
    ]);
    expect(published).toEqual([PROVIDER_SERVICE]);
    expect(audit).toEqual([
      expect.objectContaining({
        ...ROW,
        // The provider's service id: the row shows in that service's audit log too.
        serviceId: SERVICE_ID,
        result: 'success',
        details: {
          serviceName: SERVICE_NAME,
          vpcId: VPC,
          owner: TEST_OWNER,
          name: 'payments-api-to-orders-api',
        },
        outcome: expect.objectContaining({
          result: 'success',
          details: {
            endpointId: ENDPOINT,
            state: 'pendingAcceptance',
            created: true,
          },
        }),
      }),
    ]);
    expect(ctx.output).toHaveBeenCalledWith('endpointId', ENDPOINT);
    expect(ctx.output).toHaveBeenCalledWith('state', 'pendingAcceptance');
    expect(ctx.output).toHaveBeenCalledWith('dnsNames', [
      `${ENDPOINT}-abc.${SERVICE_ID}.us-east-1.vpce.amazonaws.com`,
    ]);
    expect(ctx.output).toHaveBeenCalledWith('securityGroupIds', [SG]);
    expect(ctx.output).toHaveBeenCalledWith('created', true);
  });

  it('turns private DNS on when the service has a verified name and the VPC resolves it', async () => {
    const { action } = setUp();
    consumerAccount({ privateDnsName: 'orders.internal.example.com' });
    const ctx = createMockActionContext({
      input: { ...input, securityGroupIds: [SG] },
    });
    await action.handler(ctx);
    expect(ec2Mock.commandCalls(DescribeVpcAttributeCommand)).toHaveLength(2);
    expect(
      ec2Mock.commandCalls(CreateVpcEndpointCommand)[0].args[0].input
        .PrivateDnsEnabled,
    ).toBe(true);
    expect(ec2Mock.commandCalls(CreateSecurityGroupCommand)).toHaveLength(0);
  });

  it('polls until the endpoint leaves pending', async () => {
    const { action } = setUp();
    consumerAccount();
    ec2Mock
      .on(DescribeVpcEndpointsCommand, { VpcEndpointIds: [ENDPOINT] })
      .resolvesOnce({
        VpcEndpoints: [{ VpcEndpointId: ENDPOINT, State: wire('pending') }],
      })
      .resolves({
        VpcEndpoints: [
          { VpcEndpointId: ENDPOINT, State: wire('available'), DnsEntries: [] },
        ],
      });
    const ctx = createMockActionContext({ input });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('state', 'available');
  });

  it('refuses a subnet in a zone the service does not offer, naming the zones it offers', async () => {
    const { action, audit, published } = setUp();
    consumerAccount();
    ec2Mock.on(DescribeSubnetsCommand).resolves({
      Subnets: [
        {
          SubnetId: SUBNETS[0],
          VpcId: VPC,
          AvailabilityZone: 'us-east-1a',
          AvailabilityZoneId: 'use1-az1',
        },
        {
          SubnetId: SUBNETS[1],
          VpcId: VPC,
          AvailabilityZone: 'us-east-1e',
          AvailabilityZoneId: 'use1-az3',
        },
      ],
    });
    const ctx = createMockActionContext({ input });
    const failure = action.handler(ctx);
    await expect(failure).rejects.toThrow(InputError);
    await expect(failure).rejects.toThrow(
      `subnetIds: ${SUBNETS[1]} is in us-east-1e (use1-az3), which ${SERVICE_NAME} does not offer; it offers us-east-1a, us-east-1b, us-east-1c`,
    );
    expect(ec2Mock.commandCalls(CreateSecurityGroupCommand)).toHaveLength(0);
    expect(ec2Mock.commandCalls(CreateVpcEndpointCommand)).toHaveLength(0);
    // The checks that read AWS run within the attempt: it ends in an error.
    expectOneRow(audit, 'error', `${SUBNETS[1]} is in us-east-1e`);
    expect(published).toEqual([]);
  });

  it('refuses private DNS in a VPC whose DNS hostnames are off', async () => {
    const { action } = setUp();
    consumerAccount({ privateDnsName: 'orders.internal.example.com' });
    ec2Mock
      .on(DescribeVpcAttributeCommand, { Attribute: 'enableDnsHostnames' })
      .resolves({ EnableDnsHostnames: { Value: false } });
    const ctx = createMockActionContext({
      input: { ...input, privateDnsEnabled: true },
    });
    const failure = action.handler(ctx);
    await expect(failure).rejects.toThrow(InputError);
    await expect(failure).rejects.toThrow(`${VPC} has enableDnsHostnames off`);
    expect(ec2Mock.commandCalls(CreateVpcEndpointCommand)).toHaveLength(0);
  });

  it('refuses private DNS for a service that has no private DNS name', async () => {
    const { action } = setUp();
    consumerAccount();
    const ctx = createMockActionContext({
      input: { ...input, privateDnsEnabled: true },
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      `${SERVICE_NAME} has no private DNS name`,
    );
  });

  it("reads the provider's side when the consumer cannot see the service, and says the account is not allowed", async () => {
    const { action } = setUp();
    consumerAccount();
    ec2Mock
      .on(DescribeVpcEndpointServicesCommand)
      .rejects(awsError('InvalidServiceName', 400));
    ec2Mock.on(DescribeVpcEndpointServiceConfigurationsCommand).resolves({
      ServiceConfigurations: [
        {
          ServiceId: SERVICE_ID,
          AvailabilityZones: ['us-east-1a', 'us-east-1b'],
        },
      ],
    });
    ec2Mock.on(DescribeVpcEndpointServicePermissionsCommand).resolves({
      AllowedPrincipals: [{ Principal: 'arn:aws:iam::345678901234:root' }],
    });
    const ctx = createMockActionContext({
      input: { ...input, serviceAccountId: PROVIDER },
    });
    const failure = action.handler(ctx);
    await expect(failure).rejects.toThrow(InputError);
    await expect(failure).rejects.toThrow(
      `Account ${CONSUMER} is not allowed to connect to ${SERVICE_NAME}; its owners must allow arn:aws:iam::${CONSUMER}:root first`,
    );
    expect(ec2).toHaveBeenCalledWith({
      accountId: PROVIDER,
      region: 'us-east-1',
    });
    expect(ec2Mock.commandCalls(CreateVpcEndpointCommand)).toHaveLength(0);
  });

  it("proceeds on the provider's word when the consumer account is allowed", async () => {
    const { action, published } = setUp();
    consumerAccount();
    ec2Mock
      .on(DescribeVpcEndpointServicesCommand)
      .rejects(awsError('InvalidServiceName', 400));
    ec2Mock.on(DescribeVpcEndpointServiceConfigurationsCommand).resolves({
      ServiceConfigurations: [
        {
          ServiceId: SERVICE_ID,
          AvailabilityZones: ['us-east-1a', 'us-east-1b'],
        },
      ],
    });
    ec2Mock.on(DescribeVpcEndpointServicePermissionsCommand).resolves({
      AllowedPrincipals: [{ Principal: `arn:aws:iam::${CONSUMER}:root` }],
    });
    const ctx = createMockActionContext({
      input: { ...input, serviceAccountId: PROVIDER },
    });
    await action.handler(ctx);
    expect(ec2Mock.commandCalls(CreateVpcEndpointCommand)).toHaveLength(1);
    expect(published).toEqual([PROVIDER_SERVICE]);
  });

  it('refuses a service the consumer cannot see when the provider is unknown', async () => {
    const { action } = setUp();
    consumerAccount();
    ec2Mock
      .on(DescribeVpcEndpointServicesCommand)
      .rejects(awsError('InvalidServiceName', 400));
    const ctx = createMockActionContext({ input });
    await expect(action.handler(ctx)).rejects.toThrow(
      /is not offered to account 210987654321: it does not exist in this region, or the account is not allowed/,
    );
  });

  it('does not announce services of accounts the catalog does not know', async () => {
    const { action, audit, published } = setUp();
    consumerAccount();
    ec2Mock.on(DescribeVpcEndpointServicesCommand).resolves({
      ServiceDetails: [
        {
          ServiceName: SERVICE_NAME,
          Owner: '999999999999',
          AvailabilityZones: ['us-east-1a', 'us-east-1b'],
        },
      ],
    });
    const ctx = createMockActionContext({ input });
    await action.handler(ctx);
    expect(ec2Mock.commandCalls(CreateVpcEndpointCommand)).toHaveLength(1);
    expect(published).toEqual([]);
    expect(audit).toEqual([
      expect.objectContaining({ ...ROW, result: 'success' }),
    ]);
  });

  it('does not announce the service of a provider account that is not configured', async () => {
    // Only the consumer account is configured: the provider (seen as the service's owner) is not.
    const { action, published } = setUp({
      accounts: [{ accountId: TEST_ACCOUNTS.consumer, owner: TEST_OWNER }],
    });
    consumerAccount();
    const ctx = createMockActionContext({ input });
    await action.handler(ctx);
    expect(ec2Mock.commandCalls(CreateVpcEndpointCommand)).toHaveLength(1);
    expect(published).toEqual([]);
  });

  it("refuses to reuse another owner's security group under the same key, creating nothing", async () => {
    const { action, audit } = setUp();
    consumerAccount();
    ec2Mock.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        {
          GroupId: SG,
          VpcId: VPC,
          Tags: [
            { Key: 'privatelink:idempotency-key', Value: 'endpoint:payments-api-to-orders-api#security-group' },
            { Key: 'backstage:owner', Value: 'group:default/orders' },
          ],
        },
      ],
    });
    const ctx = createMockActionContext({ input: { ...input, securityGroupIds: undefined } as any });
    await expect(action.handler(ctx)).rejects.toThrow(`Security group ${SG} already carries the key 'endpoint:payments-api-to-orders-api#security-group' for another owner (group:default/orders)`);
    expect(ec2Mock.commandCalls(AuthorizeSecurityGroupIngressCommand)).toHaveLength(0);
    expect(ec2Mock.commandCalls(CreateVpcEndpointCommand)).toHaveLength(0);
    expect(audit).toEqual([expect.objectContaining({ action: 'endpoint.create', result: 'error' })]);
  });

  it('reuses the endpoint and security group of an earlier run for the same owner', async () => {
    const { action, audit, published } = setUp();
    consumerAccount();
    ec2Mock.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        {
          GroupId: SG,
          VpcId: VPC,
          Tags: [
            {
              Key: 'privatelink:idempotency-key',
              Value: 'endpoint:payments-api-to-orders-api#security-group',
            },
            { Key: 'backstage:owner', Value: TEST_OWNER },
          ],
          IpPermissions: [
            {
              IpProtocol: 'tcp',
              FromPort: 443,
              ToPort: 443,
              IpRanges: [{ CidrIp: '10.1.0.0/16' }],
            },
          ],
        },
      ],
    });
    ec2Mock.on(DescribeVpcEndpointsCommand).resolves(foundEndpoint(TEST_OWNER));
    const ctx = createMockActionContext({ input });
    await action.handler(ctx);
    expect(ec2Mock.commandCalls(CreateSecurityGroupCommand)).toHaveLength(0);
    expect(
      ec2Mock.commandCalls(AuthorizeSecurityGroupIngressCommand),
    ).toHaveLength(0);
    expect(ec2Mock.commandCalls(CreateVpcEndpointCommand)).toHaveLength(0);
    expect(ctx.output).toHaveBeenCalledWith('created', false);
    expect(audit).toEqual([
      expect.objectContaining({
        ...ROW,
        result: 'success',
        outcome: expect.objectContaining({
          details: { endpointId: ENDPOINT, state: 'available', created: false },
        }),
      }),
    ]);
    expect(published).toEqual([PROVIDER_SERVICE]);
  });

  it('removes the security group it created when the endpoint cannot be created', async () => {
    const { action, audit, published } = setUp();
    consumerAccount();
    ec2Mock
      .on(CreateVpcEndpointCommand)
      .rejects(
        awsError('InvalidParameter', 400, 'subnet has no free addresses'),
      );
    ec2Mock.on(RevokeSecurityGroupIngressCommand).resolves({ Return: true });
    ec2Mock
      .on(DeleteSecurityGroupCommand)
      .rejectsOnce(awsError('DependencyViolation', 400))
      .resolves({});
    const ctx = createMockActionContext({ input });

    await expect(action.handler(ctx)).rejects.toThrow(
      'subnet has no free addresses',
    );

    expect(ec2Mock.commandCalls(DeleteVpcEndpointsCommand)).toHaveLength(0);
    expect(
      ec2Mock.commandCalls(RevokeSecurityGroupIngressCommand),
    ).toHaveLength(1);
    expect(ec2Mock.commandCalls(DeleteSecurityGroupCommand)).toHaveLength(2);
    expect(published).toEqual([]);
    expectOneRow(audit, 'error', 'subnet has no free addresses');
  });

  it('removes the endpoint and its security group when the endpoint fails', async () => {
    const { action, published } = setUp();
    consumerAccount();
    ec2Mock
      .on(DescribeVpcEndpointsCommand, { VpcEndpointIds: [ENDPOINT] })
      .resolves({
        VpcEndpoints: [
          {
            VpcEndpointId: ENDPOINT,
            State: wire('failed'),
            LastError: { Message: 'no capacity' },
          },
        ],
      });
    ec2Mock.on(DeleteVpcEndpointsCommand).resolves({ Unsuccessful: [] });
    ec2Mock.on(RevokeSecurityGroupIngressCommand).resolves({ Return: true });
    ec2Mock.on(DeleteSecurityGroupCommand).resolves({});
    const ctx = createMockActionContext({ input });

    await expect(action.handler(ctx)).rejects.toThrow(
      `endpoint ${ENDPOINT} failed: it is failed: no capacity`,
    );

    expect(
      ec2Mock.commandCalls(DeleteVpcEndpointsCommand)[0].args[0].input,
    ).toEqual({ VpcEndpointIds: [ENDPOINT] });
    expect(
      ec2Mock.commandCalls(DeleteSecurityGroupCommand)[0].args[0].input,
    ).toEqual({ GroupId: SG });
    expect(published).toEqual([]);
  });

  it('creates an S3 gateway endpoint on route tables, with neither subnets nor a security group', async () => {
    const { action, audit, published } = setUp();
    consumerAccount();
    ec2Mock.on(DescribeVpcEndpointServicesCommand).resolves({
      ServiceDetails: [
        {
          ServiceName: 'com.amazonaws.us-east-1.s3',
          Owner: 'amazon',
          AvailabilityZones: ['us-east-1a'],
        },
      ],
    });
    ec2Mock
      .on(DescribeVpcEndpointsCommand, { VpcEndpointIds: [ENDPOINT] })
      .resolves({
        VpcEndpoints: [{ VpcEndpointId: ENDPOINT, State: wire('available') }],
      });
    const ctx = createMockActionContext({
      input: {
        accountId: CONSUMER,
        region: 'us-east-1',
        serviceName: 'com.amazonaws.us-east-1.s3',
        type: 'Gateway' as const,
        vpcId: VPC,
        routeTableIds: ['rtb-0123456789abcdef0'],
        owner: TEST_OWNER,
      },
    });
    await action.handler(ctx);
    expect(
      ec2Mock.commandCalls(CreateVpcEndpointCommand)[0].args[0].input,
    ).toMatchObject({
      VpcEndpointType: 'Gateway',
      RouteTableIds: ['rtb-0123456789abcdef0'],
    });
    expect(
      ec2Mock.commandCalls(CreateVpcEndpointCommand)[0].args[0].input.SubnetIds,
    ).toBeUndefined();
    expect(ec2Mock.commandCalls(CreateSecurityGroupCommand)).toHaveLength(0);
    expect(ec2Mock.commandCalls(DescribeSubnetsCommand)).toHaveLength(0);
    // An AWS service: no endpoint service of ours to announce.
    expect(published).toEqual([]);
    expect(audit).toEqual([
      expect.objectContaining({ ...ROW, result: 'success' }),
    ]);
    expect(audit[0].serviceId).toBeUndefined();
  });

  it.each([
    [
      { subnetIds: [] },
      'subnetIds: an interface endpoint needs at least one subnet',
    ],
    [{ subnetIds: [SUBNETS[0], SUBNETS[0]] }, 'more than once'],
    [
      {
        serviceName: 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0',
      },
      'serviceName: is in eu-west-1, not in us-east-1',
    ],
    [
      { serviceName: 'my-service' },
      'serviceName: must be an endpoint service name',
    ],
    [
      { type: 'Gateway', routeTableIds: ['rtb-0123456789abcdef0'] },
      'gateway endpoints exist only for S3 and DynamoDB',
    ],
    [
      {
        serviceAccountId: PROVIDER,
        serviceName: 'com.amazonaws.us-east-1.ec2',
      },
      'serviceAccountId: is only used with an endpoint service name',
    ],
    [
      { securityGroupIds: ['sg-1'] },
      'securityGroupIds.0: must be an id like sg-',
    ],
    [{ ports: [70000] }, 'ports.0'],
    [{ accountId: 'payments' }, 'accountId: must be a 12-digit'],
  ])('refuses %j before any AWS call', async (override, message) => {
    const { action, audit } = setUp();
    const ctx = createMockActionContext({
      input: { ...input, ...override } as typeof input,
    });
    const failure = action.handler(ctx);
    await expect(failure).rejects.toThrow(InputError);
    await expect(failure).rejects.toThrow(message);
    expectNoAwsCall();
    // A malformed input is refused before the write path: no row.
    expect(audit).toEqual([]);
  });

  it('makes no AWS call in a dry run and writes no row, after the same checks', async () => {
    const requests: string[] = [];
    const { action, audit, published } = setUp({
      allow: ({ permission }) => {
        requests.push(permission);
        return true;
      },
    });
    const ctx = { ...createMockActionContext({ input }), isDryRun: true };
    await action.handler(ctx);
    expectNoAwsCall();
    expect(requests).toEqual(['privatelink.resource.create']);
    expect(audit).toEqual([]);
    expect(published).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith(
      'endpointId',
      expect.stringMatching(/^vpce-/),
    );
  });

  describe('never hands over an endpoint an earlier run made for another owner', () => {
    it.each([
      ['another group', 'group:default/orders', 'group:default/orders'],
      ['no owner tag at all', null, 'none'],
    ])(
      'refuses an endpoint with this key tagged for %s, creating nothing',
      async (_what, owner, named) => {
        const { action, audit, published } = setUp();
        consumerAccount();
        ec2Mock.on(DescribeVpcEndpointsCommand).resolves(foundEndpoint(owner));
        const ctx = createMockActionContext({
          input: { ...input, securityGroupIds: [SG] },
        });
        const failure = action.handler(ctx);
        await expect(failure).rejects.toThrow(InputError);
        await expect(failure).rejects.toThrow(
          `Endpoint ${ENDPOINT} already carries the key 'endpoint:payments-api-to-orders-api' for another owner (${named}); choose another name`,
        );
        expect(ec2Mock.commandCalls(CreateVpcEndpointCommand)).toHaveLength(0);
        expect(ec2Mock.commandCalls(CreateSecurityGroupCommand)).toHaveLength(
          0,
        );
        expect(
          ec2Mock.commandCalls(AuthorizeSecurityGroupIngressCommand),
        ).toHaveLength(0);
        expect(ec2Mock.commandCalls(DeleteVpcEndpointsCommand)).toHaveLength(0);
        expect(ctx.output).not.toHaveBeenCalled();
        expect(published).toEqual([]);
        expectOneRow(audit, 'error', 'for another owner');
      },
    );

    it('leaves no security group of its own behind when it refuses', async () => {
      const { action } = setUp();
      consumerAccount();
      ec2Mock
        .on(DescribeVpcEndpointsCommand)
        .resolves(foundEndpoint('group:default/orders'));
      ec2Mock.on(RevokeSecurityGroupIngressCommand).resolves({ Return: true });
      ec2Mock.on(DeleteSecurityGroupCommand).resolves({});
      const ctx = createMockActionContext({ input });
      await expect(action.handler(ctx)).rejects.toThrow('for another owner');
      expect(ec2Mock.commandCalls(CreateVpcEndpointCommand)).toHaveLength(0);
      // The security group this run created for the endpoint before finding it is removed again.
      expect(ec2Mock.commandCalls(CreateSecurityGroupCommand)).toHaveLength(1);
      expect(ec2Mock.commandCalls(DeleteSecurityGroupCommand)).toHaveLength(1);
      expect(ec2Mock.commandCalls(DeleteVpcEndpointsCommand)).toHaveLength(0);
    });
  });

  describe('refuses, with no AWS call, nothing announced and one refused row', () => {
    const noCreate = {
      allow: ({ permission }: { permission: string }) =>
        permission !== 'privatelink.resource.create',
    };

    it.each<
      [
        string,
        Partial<Parameters<typeof testWrites>[0]>,
        { input?: object; isDryRun?: boolean },
        string,
        any,
      ]
    >([
      [
        'a consumer account that is not configured',
        {},
        { input: { ...input, accountId: '999999999999' } },
        'Account 999999999999 is not configured under privatelink.accounts',
        NotAllowedError,
      ],
      [
        'a user who may not create resources in the consumer account',
        noCreate,
        {},
        `privatelink.resource.create is not allowed on account ${CONSUMER}`,
        NotAllowedError,
      ],
      [
        'a user who may not create resources, in a dry run too',
        noCreate,
        { isDryRun: true },
        `privatelink.resource.create is not allowed on account ${CONSUMER}`,
        NotAllowedError,
      ],
      [
        'a permission on the provider account only',
        {
          allow: ({ resourceRef }: { resourceRef?: string }) =>
            resourceRef === PROVIDER,
        },
        {},
        `privatelink.resource.create is not allowed on account ${CONSUMER}`,
        NotAllowedError,
      ],
      [
        'no owner',
        {},
        { input: { ...input, owner: undefined } },
        'owner: the owner of what is created is required',
        InputError,
      ],
      [
        'no owner, in a dry run too',
        {},
        { input: { ...input, owner: undefined }, isDryRun: true },
        'owner: the owner of what is created is required',
        InputError,
      ],
      [
        'an owner the initiator does not belong to',
        {},
        { input: { ...input, owner: 'group:default/payments' } },
        'You may only create resources owned by yourself or a group you belong to, not by group:default/payments',
        NotAllowedError,
      ],
      [
        'an owner the account does not permit',
        {
          accounts: [
            { accountId: TEST_ACCOUNTS.provider, owner: TEST_OWNER },
            {
              accountId: TEST_ACCOUNTS.consumer,
              owner: 'group:default/payments',
              owners: ['group:default/payments-admins'],
            },
          ],
        },
        {},
        `Account ${CONSUMER} does not permit the owner ${TEST_OWNER}`,
        NotAllowedError,
      ],
    ])('%s', async (_what, options, ctxOverride, message, type) => {
      const { action, audit, published } = setUp(options);
      const ctx = {
        ...createMockActionContext({
          input: (ctxOverride.input ?? input) as typeof input,
        }),
        isDryRun: Boolean(ctxOverride.isDryRun),
      };
      await expectRefusedStep({ failure: action.handler(ctx), type, message, ctx, expectNoAwsCall, published, audit, action: 'endpoint.create' });
    });

    it('creates for the user themselves, an owner among their own refs', async () => {
      const { action } = setUp();
      consumerAccount();
      const ctx = createMockActionContext({
        input: { ...input, owner: TEST_USER },
      });
      await action.handler(ctx);
      expect(
        ec2Mock.commandCalls(CreateVpcEndpointCommand)[0].args[0].input
          .TagSpecifications?.[0].Tags,
      ).toContainEqual({ Key: 'backstage:owner', Value: TEST_USER });
    });
  });
});
