import {
  CreateVpcEndpointServiceConfigurationCommand,
  DeleteVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { mockClient } from 'aws-sdk-client-mock';
import {
  awsError,
  DEFAULT_TAG_KEYS,
  lostResponse,
  mockClientFactories,
} from '../__testUtils__/clients';
import { createEndpointServiceAction } from './createEndpointService';

const ec2Mock = mockClient(EC2Client);
const elbMock = mockClient(ElasticLoadBalancingV2Client);
const clients = mockClientFactories();
const onServiceChanged = jest.fn(async () => {});

const NLB =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/orders-api/0123456789abcdef';
const SERVICE_ID = 'vpce-svc-0123456789abcdef0';
const input = {
  accountId: '123456789012',
  region: 'us-east-1',
  networkLoadBalancerArns: [NLB],
  name: 'orders-api',
  owner: 'group:default/orders',
  system: 'system:default/commerce',
  component: 'component:default/orders-api',
  privateDnsName: 'orders.internal.example.com',
  tags: { CostCenter: '1234' },
};

const configuration = (key: string) => ({
  ServiceId: SERVICE_ID,
  ServiceName: `com.amazonaws.vpce.us-east-1.${SERVICE_ID}`,
  ServiceState: 'Available' as const,
  BaseEndpointDnsNames: [`${SERVICE_ID}.us-east-1.vpce.amazonaws.com`],
  PrivateDnsName: 'orders.internal.example.com',
  PrivateDnsNameConfiguration: {
    Name: '_abc123',
    Type: 'TXT',
    Value: 'vpce:xyz',
    State: 'pendingVerification' as const,
  },
  NetworkLoadBalancerArns: [NLB],
  Tags: [{ Key: 'privatelink:idempotency-key', Value: key }],
});

const action = createEndpointServiceAction({
  clients,
  tagKeys: DEFAULT_TAG_KEYS,
  onServiceChanged,
});

beforeEach(() => {
  ec2Mock.reset();
  elbMock.reset();
  onServiceChanged.mockClear();
  Object.values(clients).forEach(f => f.mockClear());
  elbMock.on(DescribeLoadBalancersCommand).resolves({
    LoadBalancers: [{ LoadBalancerArn: NLB, Type: 'network' }],
  });
});

describe('aws:privatelink:endpoint-service:create', () => {
  it('creates the service with the placing tags, a ClientToken and the idempotency key, and announces it', async () => {
    ec2Mock
      .on(DescribeVpcEndpointServiceConfigurationsCommand)
      .resolves({ ServiceConfigurations: [] });
    ec2Mock
      .on(CreateVpcEndpointServiceConfigurationCommand)
      .resolves({ ServiceConfiguration: configuration('service:orders-api') });
    const ctx = createMockActionContext({ input });

    await action.handler(ctx);

    const create = ec2Mock.commandCalls(
      CreateVpcEndpointServiceConfigurationCommand,
    );
    expect(create).toHaveLength(1);
    const sent = create[0].args[0].input;
    expect(sent).toMatchObject({
      NetworkLoadBalancerArns: [NLB],
      AcceptanceRequired: true,
      PrivateDnsName: 'orders.internal.example.com',
      ClientToken: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(sent.TagSpecifications?.[0]).toEqual({
      ResourceType: 'vpc-endpoint-service',
      Tags: expect.arrayContaining([
        { Key: 'backstage:owner', Value: 'group:default/orders' },
        { Key: 'backstage:system', Value: 'system:default/commerce' },
        { Key: 'backstage:component', Value: 'component:default/orders-api' },
        { Key: 'backstage:name', Value: 'orders-api' },
        { Key: 'Name', Value: 'orders-api' },
        { Key: 'CostCenter', Value: '1234' },
        { Key: 'privatelink:idempotency-key', Value: 'service:orders-api' },
      ]),
    });
    // The look-up asks AWS to filter on the key (moto ignores it: the tags are checked again).
    expect(
      ec2Mock.commandCalls(DescribeVpcEndpointServiceConfigurationsCommand)[0]
        .args[0].input.Filters,
    ).toEqual([
      {
        Name: 'tag:privatelink:idempotency-key',
        Values: ['service:orders-api'],
      },
    ]);
    expect(onServiceChanged).toHaveBeenCalledWith({
      accountId: '123456789012',
      region: 'us-east-1',
      serviceId: SERVICE_ID,
    });
    expect(ctx.output).toHaveBeenCalledWith('serviceId', SERVICE_ID);
    expect(ctx.output).toHaveBeenCalledWith(
      'serviceName',
      `com.amazonaws.vpce.us-east-1.${SERVICE_ID}`,
    );
    expect(ctx.output).toHaveBeenCalledWith('baseEndpointDnsNames', [
      `${SERVICE_ID}.us-east-1.vpce.amazonaws.com`,
    ]);
    expect(ctx.output).toHaveBeenCalledWith('privateDnsVerification', {
      name: '_abc123',
      type: 'TXT',
      value: 'vpce:xyz',
      state: 'pendingVerification',
    });
    expect(ctx.output).toHaveBeenCalledWith('created', true);
  });

  it('finds the service of an earlier run by its tag and creates nothing', async () => {
    ec2Mock
      .on(DescribeVpcEndpointServiceConfigurationsCommand)
      .resolvesOnce({
        ServiceConfigurations: [
          {
            ...configuration('service:other'),
            ServiceId: 'vpce-svc-0aaaaaaaaaaaaaaaa',
          },
        ],
        NextToken: 'page-2',
      })
      .resolves({
        ServiceConfigurations: [configuration('service:orders-api')],
      });
    const ctx = createMockActionContext({ input });

    await action.handler(ctx);

    expect(
      ec2Mock.commandCalls(CreateVpcEndpointServiceConfigurationCommand),
    ).toHaveLength(0);
    expect(ctx.output).toHaveBeenCalledWith('serviceId', SERVICE_ID);
    expect(ctx.output).toHaveBeenCalledWith('created', false);
  });

  it('derives the key from the task and step when there is no name', async () => {
    ec2Mock
      .on(DescribeVpcEndpointServiceConfigurationsCommand)
      .resolves({ ServiceConfigurations: [] });
    ec2Mock
      .on(CreateVpcEndpointServiceConfigurationCommand)
      .resolves({ ServiceConfiguration: configuration('x') });
    const ctx = createMockActionContext({
      input: { ...input, name: undefined },
    });
    await action.handler(ctx);
    const tags =
      ec2Mock.commandCalls(CreateVpcEndpointServiceConfigurationCommand)[0]
        .args[0].input.TagSpecifications?.[0].Tags ?? [];
    expect(tags).toContainEqual({
      Key: 'privatelink:idempotency-key',
      Value: 'service:task/mock-task-id/mock-step-id',
    });
  });

  it('refuses a key that already publishes other load balancers', async () => {
    ec2Mock.on(DescribeVpcEndpointServiceConfigurationsCommand).resolves({
      ServiceConfigurations: [
        {
          ...configuration('service:orders-api'),
          NetworkLoadBalancerArns: [NLB.replace('orders-api', 'ledger')],
        },
      ],
    });
    const ctx = createMockActionContext({ input });
    await expect(action.handler(ctx)).rejects.toThrow(
      /already carries the key 'service:orders-api'/,
    );
    expect(
      ec2Mock.commandCalls(CreateVpcEndpointServiceConfigurationCommand),
    ).toHaveLength(0);
  });

  it('after a lost response, finds the service by its tag instead of creating a second one', async () => {
    ec2Mock
      .on(DescribeVpcEndpointServiceConfigurationsCommand)
      .resolvesOnce({ ServiceConfigurations: [] })
      .resolves({
        ServiceConfigurations: [configuration('service:orders-api')],
      });
    ec2Mock
      .on(CreateVpcEndpointServiceConfigurationCommand)
      .rejects(lostResponse());
    const ctx = createMockActionContext({ input });

    await action.handler(ctx);

    expect(
      ec2Mock.commandCalls(CreateVpcEndpointServiceConfigurationCommand),
    ).toHaveLength(1);
    expect(clients.ec2).toHaveBeenCalledWith(expect.anything(), {
      maxAttempts: 1,
    });
    expect(ctx.output).toHaveBeenCalledWith('serviceId', SERVICE_ID);
    expect(ctx.output).toHaveBeenCalledWith('created', true);
  });

  it('sends the create again, with the same ClientToken, when the look-up finds nothing', async () => {
    ec2Mock
      .on(DescribeVpcEndpointServiceConfigurationsCommand)
      .resolves({ ServiceConfigurations: [] });
    ec2Mock
      .on(CreateVpcEndpointServiceConfigurationCommand)
      .rejectsOnce(awsError('RequestLimitExceeded', 503))
      .resolves({ ServiceConfiguration: configuration('service:orders-api') });
    const ctx = createMockActionContext({ input });
    await action.handler(ctx);
    const creates = ec2Mock.commandCalls(
      CreateVpcEndpointServiceConfigurationCommand,
    );
    expect(creates).toHaveLength(2);
    expect(creates[1].args[0].input.ClientToken).toBe(
      creates[0].args[0].input.ClientToken,
    );
  });

  it('does not trust a checkpoint whose service was removed after a failed attempt', async () => {
    ec2Mock
      .on(DescribeVpcEndpointServiceConfigurationsCommand, {
        ServiceIds: ['vpce-svc-0dddddddddddddddd'],
      })
      .rejects(awsError('InvalidVpcEndpointServiceId.NotFound', 400));
    ec2Mock
      .on(DescribeVpcEndpointServiceConfigurationsCommand)
      .resolves({ ServiceConfigurations: [] });
    ec2Mock
      .on(CreateVpcEndpointServiceConfigurationCommand)
      .resolves({ ServiceConfiguration: configuration('service:orders-api') });
    const replayed = {
      serviceId: 'vpce-svc-0dddddddddddddddd',
      serviceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0dddddddddddddddd',
      baseEndpointDnsNames: [],
      loadBalancerArns: [NLB],
    };
    const ctx = {
      ...createMockActionContext({ input }),
      // The task was retried: the checkpoint replays what the first attempt recorded.
      checkpoint: jest.fn(async () => replayed) as any,
    };

    await action.handler(ctx);

    expect(
      ec2Mock.commandCalls(CreateVpcEndpointServiceConfigurationCommand),
    ).toHaveLength(1);
    expect(ctx.output).toHaveBeenCalledWith('serviceId', SERVICE_ID);
  });

  it('removes the service it created when announcing it fails', async () => {
    ec2Mock
      .on(DescribeVpcEndpointServiceConfigurationsCommand)
      .resolves({ ServiceConfigurations: [] });
    ec2Mock
      .on(CreateVpcEndpointServiceConfigurationCommand)
      .resolves({ ServiceConfiguration: configuration('service:orders-api') });
    ec2Mock
      .on(DeleteVpcEndpointServiceConfigurationsCommand)
      .resolves({ Unsuccessful: [] });
    const failing = createEndpointServiceAction({
      clients,
      tagKeys: DEFAULT_TAG_KEYS,
      onServiceChanged: async () => {
        throw new Error('events bus down');
      },
    });
    const ctx = createMockActionContext({ input });
    await expect(failing.handler(ctx)).rejects.toThrow('events bus down');
    expect(
      ec2Mock.commandCalls(DeleteVpcEndpointServiceConfigurationsCommand)[0]
        .args[0].input,
    ).toEqual({ ServiceIds: [SERVICE_ID] });
  });

  it('refuses a load balancer that is not a network load balancer, before creating anything', async () => {
    elbMock.on(DescribeLoadBalancersCommand).resolves({
      LoadBalancers: [{ LoadBalancerArn: NLB, Type: 'application' }],
    });
    const ctx = createMockActionContext({ input });
    const failure = action.handler(ctx);
    await expect(failure).rejects.toThrow(InputError);
    await expect(failure).rejects.toThrow('is an application load balancer');
    expect(ec2Mock.calls()).toHaveLength(0);
  });

  it('refuses a load balancer that does not exist', async () => {
    elbMock
      .on(DescribeLoadBalancersCommand)
      .rejects(awsError('LoadBalancerNotFoundException', 400));
    const ctx = createMockActionContext({ input });
    await expect(action.handler(ctx)).rejects.toThrow(InputError);
    expect(ec2Mock.calls()).toHaveLength(0);
  });

  it.each([
    [{ networkLoadBalancerArns: [] }, 'networkLoadBalancerArns'],
    [
      { networkLoadBalancerArns: [NLB.replace('/net/', '/app/')] },
      'must be a Network or Gateway Load Balancer ARN',
    ],
    [
      {
        networkLoadBalancerArns: [NLB.replace('123456789012', '210987654321')],
      },
      'is in 210987654321/us-east-1, not in 123456789012/us-east-1',
    ],
    [
      { privateDnsName: 'Not A Name' },
      'privateDnsName: must be a lower-case DNS name',
    ],
    [{ supportedRegions: ['mars-1'] }, "unknown AWS region 'mars-1'"],
    [{ name: 'Orders API' }, 'name: must be lower-case'],
    [
      { tags: { 'aws:cloudformation:stack-name': 'x' } },
      "must not start with 'aws:'",
    ],
    [{ owner: 'not a ref' }, 'owner: must be an entity reference'],
  ])('refuses %j before any AWS call', async (override, message) => {
    const ctx = createMockActionContext({ input: { ...input, ...override } });
    const failure = action.handler(ctx);
    await expect(failure).rejects.toThrow(InputError);
    await expect(failure).rejects.toThrow(message);
    expect(clients.ec2).not.toHaveBeenCalled();
    expect(clients.elb).not.toHaveBeenCalled();
  });

  it("accepts moto's app/ ARNs only against an emulator", async () => {
    const emulated = createEndpointServiceAction({
      clients,
      tagKeys: DEFAULT_TAG_KEYS,
      emulator: true,
    });
    const motoArn = NLB.replace('/net/', '/app/');
    elbMock.on(DescribeLoadBalancersCommand).resolves({
      LoadBalancers: [{ LoadBalancerArn: motoArn, Type: 'network' }],
    });
    ec2Mock
      .on(DescribeVpcEndpointServiceConfigurationsCommand)
      .resolves({ ServiceConfigurations: [] });
    ec2Mock.on(CreateVpcEndpointServiceConfigurationCommand).resolves({
      ServiceConfiguration: {
        ...configuration('k'),
        NetworkLoadBalancerArns: [motoArn],
      },
    });
    const ctx = createMockActionContext({
      input: { ...input, networkLoadBalancerArns: [motoArn] },
    });
    await emulated.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('serviceId', SERVICE_ID);
  });

  it('makes no AWS call in a dry run', async () => {
    const ctx = { ...createMockActionContext({ input }), isDryRun: true };
    await action.handler(ctx);
    expect(clients.ec2).not.toHaveBeenCalled();
    expect(clients.elb).not.toHaveBeenCalled();
    expect(onServiceChanged).not.toHaveBeenCalled();
    expect(ctx.output).toHaveBeenCalledWith(
      'serviceName',
      expect.stringMatching(/^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-/),
    );
  });
});
