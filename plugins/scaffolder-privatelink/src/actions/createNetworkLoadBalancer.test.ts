/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "expectRefusedStep"] }] */
import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  ModifyLoadBalancerAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { InputError, NotAllowedError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { mockClient } from 'aws-sdk-client-mock';
import {
  awsError,
  DEFAULT_TAG_KEYS,
  lostResponse,
  mockClientFactories,
} from '../__testUtils__/clients';
import { expectRefusedStep, TEST_ACCOUNTS, TEST_OWNER, TEST_USER, testWrites } from '../__testUtils__/writes';
import { createNetworkLoadBalancerAction } from './createNetworkLoadBalancer';

const ec2Mock = mockClient(EC2Client);
const elbMock = mockClient(ElasticLoadBalancingV2Client);
const clients = mockClientFactories();

const LB_ARN =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/orders-api/0123456789abcdef';
const TG_ARN =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/orders-api-tg/0123456789abcdef';
const LISTENER_ARN =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/net/orders-api/0123456789abcdef/fedcba9876543210';

const input = {
  accountId: '123456789012',
  region: 'us-east-1',
  name: 'orders-api',
  vpcId: 'vpc-0123456789abcdef0',
  subnetIds: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'],
  port: 443,
  targetPort: 8080,
  targetSecurityGroupId: 'sg-0123456789abcdef0',
  owner: TEST_OWNER,
};

function setUp(options: Partial<Parameters<typeof testWrites>[0]> = {}) {
  const t = testWrites({ ec2: clients.ec2, ...options });
  return {
    ...t,
    action: createNetworkLoadBalancerAction({
      clients,
      tagKeys: DEFAULT_TAG_KEYS,
      waiterMinDelaySeconds: 0.05,
      writes: t.writes,
    }),
  };
}

/** The tags of a part an earlier run created under this key, for `owner` (null: no owner tag). */
const ourTags = (key: string, owner: string | null = TEST_OWNER) => ({
  TagDescriptions: [
    {
      Tags: [
        { Key: 'privatelink:idempotency-key', Value: key },
        ...(owner ? [{ Key: 'backstage:owner', Value: owner }] : []),
      ],
    },
  ],
});

/** No call of any kind went to AWS, nor was a client asked for. */
function expectNoAwsCall() {
  expect(clients.ec2).not.toHaveBeenCalled();
  expect(clients.elb).not.toHaveBeenCalled();
  expect(ec2Mock.calls()).toHaveLength(0);
  expect(elbMock.calls()).toHaveLength(0);
}

const ROW = {
  actor: TEST_USER,
  via: 'scaffolder',
  action: 'nlb.create',
  accountId: '123456789012',
  region: 'us-east-1',
};

/** The account as it is before the first run: network in place, no load balancer. */
function emptyAccount() {
  ec2Mock.on(DescribeSubnetsCommand).resolves({
    Subnets: [
      {
        SubnetId: input.subnetIds[0],
        VpcId: input.vpcId,
        AvailabilityZone: 'us-east-1a',
      },
      {
        SubnetId: input.subnetIds[1],
        VpcId: input.vpcId,
        AvailabilityZone: 'us-east-1b',
      },
    ],
  });
  ec2Mock
    .on(DescribeVpcsCommand)
    .resolves({ Vpcs: [{ VpcId: input.vpcId, CidrBlock: '10.0.0.0/16' }] });
  ec2Mock.on(DescribeSecurityGroupsCommand).resolves({
    SecurityGroups: [
      {
        GroupId: input.targetSecurityGroupId,
        VpcId: input.vpcId,
        IpPermissions: [],
      },
    ],
  });
  ec2Mock.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true });
  elbMock
    .on(DescribeLoadBalancersCommand, { Names: ['orders-api'] })
    .rejects(awsError('LoadBalancerNotFoundException', 400));
  elbMock
    .on(DescribeLoadBalancersCommand, { LoadBalancerArns: [LB_ARN] })
    .resolves({
      LoadBalancers: [{ LoadBalancerArn: LB_ARN, State: { Code: 'active' } }],
    });
  elbMock.on(CreateLoadBalancerCommand).resolves({
    LoadBalancers: [
      { LoadBalancerArn: LB_ARN, DNSName: 'orders-api.elb.amazonaws.com' },
    ],
  });
  elbMock.on(DescribeLoadBalancerAttributesCommand).resolves({
    Attributes: [{ Key: 'load_balancing.cross_zone.enabled', Value: 'false' }],
  });
  elbMock.on(ModifyLoadBalancerAttributesCommand).resolves({});
  elbMock
    .on(DescribeTargetGroupsCommand)
    .rejects(awsError('TargetGroupNotFoundException', 400));
  elbMock
    .on(CreateTargetGroupCommand)
    .resolves({ TargetGroups: [{ TargetGroupArn: TG_ARN }] });
  elbMock.on(DescribeListenersCommand).resolves({ Listeners: [] });
  elbMock
    .on(CreateListenerCommand)
    .resolves({ Listeners: [{ ListenerArn: LISTENER_ARN }] });
}

beforeEach(() => {
  ec2Mock.reset();
  elbMock.reset();
  Object.values(clients).forEach(f => f.mockClear());
});

describe('aws:privatelink:nlb:create', () => {
  it('creates an internal NLB, cross-zone on, a TCP target group, a listener and the ingress rule, audited', async () => {
    emptyAccount();
    const requests: Array<{ permission: string; resourceRef?: string }> = [];
    const { action, audit, published } = setUp({
      allow: request => {
        requests.push(request);
        return true;
      },
    });
    const ctx = createMockActionContext({ input });

    await action.handler(ctx);

    const create = elbMock.commandCalls(CreateLoadBalancerCommand);
    expect(create).toHaveLength(1);
    expect(create[0].args[0].input).toMatchObject({
      Name: 'orders-api',
      Type: 'network',
      Scheme: 'internal',
      Subnets: input.subnetIds,
      Tags: expect.arrayContaining([
        { Key: 'privatelink:idempotency-key', Value: 'nlb:orders-api' },
        { Key: 'backstage:owner', Value: TEST_OWNER },
        { Key: 'Name', Value: 'orders-api' },
      ]),
    });
    expect(
      elbMock.commandCalls(ModifyLoadBalancerAttributesCommand)[0].args[0].input
        .Attributes,
    ).toEqual([{ Key: 'load_balancing.cross_zone.enabled', Value: 'true' }]);
    expect(
      elbMock.commandCalls(CreateTargetGroupCommand)[0].args[0].input,
    ).toMatchObject({
      Name: 'orders-api-tg',
      Protocol: 'TCP',
      Port: 8080,
      VpcId: input.vpcId,
      TargetType: 'ip',
    });
    expect(
      elbMock.commandCalls(CreateListenerCommand)[0].args[0].input,
    ).toMatchObject({
      LoadBalancerArn: LB_ARN,
      Protocol: 'TCP',
      Port: 443,
      DefaultActions: [{ Type: 'forward', TargetGroupArn: TG_ARN }],
    });
    expect(
      ec2Mock.commandCalls(AuthorizeSecurityGroupIngressCommand)[0].args[0]
        .input,
    ).toMatchObject({
      GroupId: input.targetSecurityGroupId,
      IpPermissions: [
        {
          IpProtocol: 'tcp',
          FromPort: 8080,
          ToPort: 8080,
          IpRanges: [expect.objectContaining({ CidrIp: '10.0.0.0/16' })],
        },
      ],
    });
    // Creates go through a client that does not resend by itself.
    expect(clients.elb).toHaveBeenCalledWith(
      { accountId: '123456789012', region: 'us-east-1' },
      { maxAttempts: 1 },
    );
    expect(ctx.output).toHaveBeenCalledWith('loadBalancerArn', LB_ARN);
    expect(ctx.output).toHaveBeenCalledWith('targetGroupArn', TG_ARN);
    expect(ctx.output).toHaveBeenCalledWith('listenerArn', LISTENER_ARN);
    expect(ctx.output).toHaveBeenCalledWith(
      'dnsName',
      'orders-api.elb.amazonaws.com',
    );
    expect(ctx.output).toHaveBeenCalledWith('created', true);
    // The create permission is asked for on the account.
    expect(requests).toEqual([
      {
        permission: 'privatelink.resource.create',
        resourceRef: '123456789012',
      },
    ]);
    expect(audit).toEqual([
      expect.objectContaining({
        ...ROW,
        result: 'success',
        details: {
          name: 'orders-api',
          vpcId: input.vpcId,
          subnetIds: input.subnetIds,
          owner: TEST_OWNER,
        },
        outcome: expect.objectContaining({
          result: 'success',
          details: { loadBalancerArn: LB_ARN, created: true },
        }),
      }),
    ]);
    // A load balancer alone is no endpoint service: nothing to announce.
    expect(published).toEqual([]);
  });

  it('creates a TLS listener with the certificate', async () => {
    emptyAccount();
    const { action } = setUp();
    const certificateArn =
      'arn:aws:acm:us-east-1:123456789012:certificate/0b6c5a2e-1111-2222-3333-444455556666';
    const ctx = createMockActionContext({
      input: { ...input, protocol: 'TLS' as const, certificateArn },
    });
    await action.handler(ctx);
    expect(
      elbMock.commandCalls(CreateListenerCommand)[0].args[0].input,
    ).toMatchObject({
      Protocol: 'TLS',
      Certificates: [{ CertificateArn: certificateArn }],
    });
  });

  it('reuses what an earlier run created for the same owner and creates nothing', async () => {
    emptyAccount();
    const { action, audit, published } = setUp();
    elbMock
      .on(DescribeLoadBalancersCommand, { Names: ['orders-api'] })
      .resolves({
        LoadBalancers: [
          {
            LoadBalancerArn: LB_ARN,
            DNSName: 'orders-api.elb.amazonaws.com',
            Type: 'network',
            Scheme: 'internal',
            VpcId: input.vpcId,
          },
        ],
      });
    elbMock
      .on(DescribeTagsCommand, { ResourceArns: [LB_ARN] })
      .resolves(ourTags('nlb:orders-api'));
    elbMock
      .on(DescribeTagsCommand, { ResourceArns: [TG_ARN] })
      .resolves(ourTags('tg:orders-api-tg'));
    elbMock.on(DescribeLoadBalancerAttributesCommand).resolves({
      Attributes: [{ Key: 'load_balancing.cross_zone.enabled', Value: 'true' }],
    });
    elbMock.on(DescribeTargetGroupsCommand).resolves({
      TargetGroups: [
        {
          TargetGroupArn: TG_ARN,
          Protocol: 'TCP',
          Port: 8080,
          VpcId: input.vpcId,
          TargetType: 'ip',
        },
      ],
    });
    elbMock.on(DescribeListenersCommand).resolves({
      Listeners: [
        {
          ListenerArn: LISTENER_ARN,
          Port: 443,
          Protocol: 'TCP',
          DefaultActions: [{ Type: 'forward', TargetGroupArn: TG_ARN }],
        },
      ],
    });
    ec2Mock.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        {
          GroupId: input.targetSecurityGroupId,
          VpcId: input.vpcId,
          IpPermissions: [
            {
              IpProtocol: 'tcp',
              FromPort: 8080,
              ToPort: 8080,
              IpRanges: [{ CidrIp: '10.0.0.0/16' }],
            },
          ],
        },
      ],
    });
    const ctx = createMockActionContext({ input });

    await action.handler(ctx);

    for (const command of [
      CreateLoadBalancerCommand,
      CreateTargetGroupCommand,
      CreateListenerCommand,
      ModifyLoadBalancerAttributesCommand,
    ]) {
      expect(elbMock.commandCalls(command as any)).toHaveLength(0);
    }
    expect(
      ec2Mock.commandCalls(AuthorizeSecurityGroupIngressCommand),
    ).toHaveLength(0);
    expect(ctx.output).toHaveBeenCalledWith('loadBalancerArn', LB_ARN);
    expect(ctx.output).toHaveBeenCalledWith('created', false);
    expect(audit).toEqual([
      expect.objectContaining({
        ...ROW,
        result: 'success',
        outcome: expect.objectContaining({
          details: { loadBalancerArn: LB_ARN, created: false },
        }),
      }),
    ]);
    expect(published).toEqual([]);
  });

  it('refuses a load balancer of the same name that Backstage did not create', async () => {
    emptyAccount();
    const { action } = setUp();
    elbMock
      .on(DescribeLoadBalancersCommand, { Names: ['orders-api'] })
      .resolves({
        LoadBalancers: [
          {
            LoadBalancerArn: LB_ARN,
            Type: 'network',
            Scheme: 'internal',
            VpcId: input.vpcId,
          },
        ],
      });
    elbMock
      .on(DescribeTagsCommand)
      .resolves({ TagDescriptions: [{ Tags: [] }] });
    const ctx = createMockActionContext({ input });
    await expect(action.handler(ctx)).rejects.toThrow(
      /already exists .* was not created by Backstage for this name/,
    );
    expect(elbMock.commandCalls(CreateLoadBalancerCommand)).toHaveLength(0);
  });

  it('removes what it created when the listener fails, and nothing else', async () => {
    emptyAccount();
    const { action, audit, published } = setUp();
    elbMock
      .on(CreateListenerCommand)
      .rejects(
        awsError('CertificateNotFoundException', 400, 'Certificate not found'),
      );
    elbMock.on(DeleteTargetGroupCommand).resolves({});
    elbMock.on(DeleteLoadBalancerCommand).resolves({});
    const ctx = createMockActionContext({ input });

    await expect(action.handler(ctx)).rejects.toThrow('Certificate not found');

    expect(elbMock.commandCalls(DeleteListenerCommand)).toHaveLength(0);
    expect(
      elbMock.commandCalls(DeleteTargetGroupCommand)[0].args[0].input,
    ).toEqual({ TargetGroupArn: TG_ARN });
    expect(
      elbMock.commandCalls(DeleteLoadBalancerCommand)[0].args[0].input,
    ).toEqual({ LoadBalancerArn: LB_ARN });
    // The target group goes first: it cannot be deleted while the load balancer's listener uses it.
    const order = elbMock.calls().map(c => c.args[0].constructor.name);
    expect(order.indexOf('DeleteTargetGroupCommand')).toBeLessThan(
      order.indexOf('DeleteLoadBalancerCommand'),
    );
    // The attempt is recorded as an error.
    expect(audit).toEqual([
      expect.objectContaining({
        ...ROW,
        result: 'error',
        message: expect.stringContaining('Certificate not found'),
      }),
    ]);
    expect(published).toEqual([]);
  });

  it('does not delete a load balancer it found when a later step fails', async () => {
    emptyAccount();
    const { action } = setUp();
    elbMock
      .on(DescribeLoadBalancersCommand, { Names: ['orders-api'] })
      .resolves({
        LoadBalancers: [
          {
            LoadBalancerArn: LB_ARN,
            Type: 'network',
            Scheme: 'internal',
            VpcId: input.vpcId,
          },
        ],
      });
    elbMock.on(DescribeTagsCommand).resolves(ourTags('nlb:orders-api'));
    elbMock
      .on(CreateTargetGroupCommand)
      .rejects(awsError('TooManyTargetGroupsException', 400));
    const ctx = createMockActionContext({ input });
    await expect(action.handler(ctx)).rejects.toThrow(
      'TooManyTargetGroupsException',
    );
    expect(elbMock.commandCalls(DeleteLoadBalancerCommand)).toHaveLength(0);
  });

  it('after a lost response, looks the load balancer up instead of creating a second one', async () => {
    emptyAccount();
    const { action } = setUp();
    elbMock
      .on(DescribeLoadBalancersCommand, { Names: ['orders-api'] })
      .rejectsOnce(awsError('LoadBalancerNotFoundException', 400))
      .resolves({
        LoadBalancers: [
          {
            LoadBalancerArn: LB_ARN,
            DNSName: 'x',
            Type: 'network',
            Scheme: 'internal',
            VpcId: input.vpcId,
          },
        ],
      });
    elbMock.on(DescribeTagsCommand).resolves(ourTags('nlb:orders-api'));
    elbMock.on(CreateLoadBalancerCommand).rejects(lostResponse());
    const ctx = createMockActionContext({ input });

    await action.handler(ctx);

    expect(elbMock.commandCalls(CreateLoadBalancerCommand)).toHaveLength(1);
    expect(ctx.output).toHaveBeenCalledWith('loadBalancerArn', LB_ARN);
  });

  it('times out after timeoutSeconds while the NLB provisions, and removes what it created', async () => {
    emptyAccount();
    const { action, audit } = setUp();
    elbMock
      .on(DescribeLoadBalancersCommand, { LoadBalancerArns: [LB_ARN] })
      .resolves({
        LoadBalancers: [
          { LoadBalancerArn: LB_ARN, State: { Code: 'provisioning' } },
        ],
      });
    elbMock.on(DeleteListenerCommand).resolves({});
    elbMock.on(DeleteTargetGroupCommand).resolves({});
    elbMock.on(DeleteLoadBalancerCommand).resolves({});
    ec2Mock.on(RevokeSecurityGroupIngressCommand).resolves({ Return: true });
    const ctx = createMockActionContext({
      input: { ...input, timeoutSeconds: 1 },
    });

    await expect(action.handler(ctx)).rejects.toThrow(
      /did not become active within 1s/,
    );

    expect(elbMock.commandCalls(DeleteLoadBalancerCommand)).toHaveLength(1);
    expect(
      ec2Mock.commandCalls(RevokeSecurityGroupIngressCommand),
    ).toHaveLength(1);
    expect(audit).toEqual([
      expect.objectContaining({
        ...ROW,
        result: 'error',
        message: expect.stringMatching(/did not become active within 1s/),
      }),
    ]);
  });

  it('refuses two subnets in one zone before creating anything', async () => {
    emptyAccount();
    const { action } = setUp();
    ec2Mock.on(DescribeSubnetsCommand).resolves({
      Subnets: input.subnetIds.map(SubnetId => ({
        SubnetId,
        VpcId: input.vpcId,
        AvailabilityZone: 'us-east-1a',
      })),
    });
    const ctx = createMockActionContext({ input });
    const failure = action.handler(ctx);
    await expect(failure).rejects.toThrow(InputError);
    await expect(failure).rejects.toThrow(
      'subnet-0123456789abcdef0 and subnet-0fedcba9876543210 are both in us-east-1a',
    );
    expect(elbMock.calls()).toHaveLength(0);
  });

  it('refuses a subnet of another VPC', async () => {
    emptyAccount();
    const { action } = setUp();
    ec2Mock.on(DescribeSubnetsCommand).resolves({
      Subnets: [
        {
          SubnetId: input.subnetIds[0],
          VpcId: input.vpcId,
          AvailabilityZone: 'us-east-1a',
        },
        {
          SubnetId: input.subnetIds[1],
          VpcId: 'vpc-0aaaaaaaaaaaaaaaa',
          AvailabilityZone: 'us-east-1b',
        },
      ],
    });
    const ctx = createMockActionContext({ input });
    await expect(action.handler(ctx)).rejects.toThrow(
      'subnet-0fedcba9876543210 is in vpc-0aaaaaaaaaaaaaaaa, not in vpc-0123456789abcdef0',
    );
    expect(elbMock.calls()).toHaveLength(0);
  });

  it.each([
    [
      { subnetIds: ['subnet-0123456789abcdef0'] },
      'subnetIds: needs at least two',
    ],
    [
      { subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef0'] },
      'more than once',
    ],
    [{ protocol: 'TLS' }, 'certificateArn: a TLS listener needs'],
    [
      {
        certificateArn:
          'arn:aws:acm:us-east-1:123456789012:certificate/0b6c5a2e-1111-2222-3333-444455556666',
      },
      'only used with protocol TLS',
    ],
    [{ name: 'internal-orders' }, "must not start with 'internal-'"],
    [{ name: 'a-name-that-is-far-too-long-for-an-nlb' }, 'name: must be 1-29'],
    [{ vpcId: 'vpc-1' }, 'vpcId: must be an id'],
    [{ targetType: 'lambda' }, 'targetType'],
    [{ accountId: '12' }, 'accountId: must be a 12-digit'],
  ])('refuses %j before any AWS call', async (override, message) => {
    const { action, audit } = setUp();
    const ctx = createMockActionContext({
      input: { ...input, ...override } as typeof input,
    });
    const failure = action.handler(ctx);
    await expect(failure).rejects.toThrow(InputError);
    await expect(failure).rejects.toThrow(message);
    expect(clients.ec2).not.toHaveBeenCalled();
    expect(clients.elb).not.toHaveBeenCalled();
    // A malformed input is refused before the write path: no row.
    expect(audit).toEqual([]);
  });

  it('makes no AWS call in a dry run, writes no row and outputs plausible ARNs, after the same checks', async () => {
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
      'loadBalancerArn',
      expect.stringMatching(
        /^arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer\/net\/orders-api\//,
      ),
    );
  });

  describe('never hands over what an earlier run made for another owner', () => {
    /** An earlier run's load balancer of this name, tagged for `owner`. */
    function foundLoadBalancer(owner: string | null) {
      elbMock
        .on(DescribeLoadBalancersCommand, { Names: ['orders-api'] })
        .resolves({
          LoadBalancers: [
            {
              LoadBalancerArn: LB_ARN,
              DNSName: 'orders-api.elb.amazonaws.com',
              Type: 'network',
              Scheme: 'internal',
              VpcId: input.vpcId,
            },
          ],
        });
      elbMock
        .on(DescribeTagsCommand, { ResourceArns: [LB_ARN] })
        .resolves(ourTags('nlb:orders-api', owner));
    }

    function expectNothingCreated() {
      for (const command of [
        CreateLoadBalancerCommand,
        CreateTargetGroupCommand,
        CreateListenerCommand,
        ModifyLoadBalancerAttributesCommand,
        DeleteLoadBalancerCommand,
        DeleteTargetGroupCommand,
      ]) {
        expect(elbMock.commandCalls(command as any)).toHaveLength(0);
      }
      expect(
        ec2Mock.commandCalls(AuthorizeSecurityGroupIngressCommand),
      ).toHaveLength(0);
    }

    it.each([
      ['another group', 'group:default/orders', 'group:default/orders'],
      ['no owner tag at all', null, 'none'],
    ])(
      'refuses a load balancer of this name tagged for %s',
      async (_what, owner, named) => {
        emptyAccount();
        foundLoadBalancer(owner);
        const { action, audit, published } = setUp();
        const ctx = createMockActionContext({ input });
        const failure = action.handler(ctx);
        await expect(failure).rejects.toThrow(InputError);
        await expect(failure).rejects.toThrow(
          `A load balancer named orders-api already exists (${LB_ARN}) for another owner (${named}); choose another name`,
        );
        expectNothingCreated();
        expect(ctx.output).not.toHaveBeenCalled();
        expect(published).toEqual([]);
        expect(audit).toEqual([
          expect.objectContaining({
            ...ROW,
            result: 'error',
            message: expect.stringContaining('for another owner'),
          }),
        ]);
      },
    );

    it('takes the owner as the same when the tag spells it in short form', async () => {
      emptyAccount();
      foundLoadBalancer('platform');
      elbMock.on(DescribeLoadBalancerAttributesCommand).resolves({
        Attributes: [
          { Key: 'load_balancing.cross_zone.enabled', Value: 'true' },
        ],
      });
      const { action } = setUp();
      const ctx = createMockActionContext({ input });
      await action.handler(ctx);
      expect(elbMock.commandCalls(CreateLoadBalancerCommand)).toHaveLength(0);
      expect(ctx.output).toHaveBeenCalledWith('loadBalancerArn', LB_ARN);
    });

    it('refuses a target group of this name tagged for another owner, and keeps the load balancer it found', async () => {
      emptyAccount();
      foundLoadBalancer(TEST_OWNER);
      elbMock.on(DescribeLoadBalancerAttributesCommand).resolves({
        Attributes: [
          { Key: 'load_balancing.cross_zone.enabled', Value: 'true' },
        ],
      });
      elbMock.on(DescribeTargetGroupsCommand).resolves({
        TargetGroups: [
          {
            TargetGroupArn: TG_ARN,
            Protocol: 'TCP',
            Port: 8080,
            VpcId: input.vpcId,
            TargetType: 'ip',
          },
        ],
      });
      elbMock
        .on(DescribeTagsCommand, { ResourceArns: [TG_ARN] })
        .resolves(ourTags('tg:orders-api-tg', 'group:default/orders'));
      const { action } = setUp();
      const ctx = createMockActionContext({ input });
      const failure = action.handler(ctx);
      await expect(failure).rejects.toThrow(InputError);
      await expect(failure).rejects.toThrow(
        `A target group named orders-api-tg already exists (${TG_ARN}) for another owner (group:default/orders)`,
      );
      expectNothingCreated();
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
        'an account that is not configured',
        {},
        { input: { ...input, accountId: '999999999999' } },
        'Account 999999999999 is not configured under privatelink.accounts',
        NotAllowedError,
      ],
      [
        'a user who may not create resources in the account',
        noCreate,
        {},
        'privatelink.resource.create is not allowed on account 123456789012',
        NotAllowedError,
      ],
      [
        'a user who may not create resources, in a dry run too',
        noCreate,
        { isDryRun: true },
        'privatelink.resource.create is not allowed on account 123456789012',
        NotAllowedError,
      ],
      [
        'a permission granted on another account only',
        {
          allow: ({ resourceRef }: { resourceRef?: string }) =>
            resourceRef === TEST_ACCOUNTS.consumer,
        },
        {},
        'privatelink.resource.create is not allowed on account 123456789012',
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
        { input: { ...input, owner: 'group:default/orders' } },
        'You may only create resources owned by yourself or a group you belong to, not by group:default/orders',
        NotAllowedError,
      ],
      [
        'an owner the account does not permit',
        {
          accounts: [
            {
              accountId: TEST_ACCOUNTS.provider,
              owner: 'group:default/network',
              owners: ['group:default/orders'],
            },
          ],
          ownershipRefs: [TEST_USER, TEST_OWNER, 'group:default/orders'],
        },
        {},
        `Account 123456789012 does not permit the owner ${TEST_OWNER}`,
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
      await expectRefusedStep({ failure: action.handler(ctx), type, message, ctx, expectNoAwsCall, published, audit, action: 'nlb.create' });
    });

    it('creates for an owner the account lists under owners', async () => {
      emptyAccount();
      const { action, audit } = setUp({
        accounts: [
          {
            accountId: TEST_ACCOUNTS.provider,
            owner: 'group:default/network',
            owners: [TEST_OWNER],
          },
        ],
      });
      const ctx = createMockActionContext({ input });
      await action.handler(ctx);
      expect(elbMock.commandCalls(CreateLoadBalancerCommand)).toHaveLength(1);
      expect(audit).toEqual([
        expect.objectContaining({ ...ROW, result: 'success' }),
      ]);
    });
  });
});
