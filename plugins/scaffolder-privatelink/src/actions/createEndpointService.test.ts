/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "expectRefusedStep"] }] */
import {
  CreateVpcEndpointServiceConfigurationCommand,
  DeleteVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { readPrivateLinkConfig } from '@privatelink-backstage/plugin-privatelink-node';
import { mockClient } from 'aws-sdk-client-mock';
import {
  awsError,
  DEFAULT_TAG_KEYS,
  lostResponse,
  mockClientFactories,
} from '../__testUtils__/clients';
import { expectRefusedStep, TEST_ACCOUNTS, TEST_OWNER, TEST_USER, TestAuditRow, testWrites } from '../__testUtils__/writes';
import { createActionWrites } from '../lib/writes';
import { createEndpointServiceAction } from './createEndpointService';

const ec2Mock = mockClient(EC2Client);
const elbMock = mockClient(ElasticLoadBalancingV2Client);
const clients = mockClientFactories();

const NLB =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/orders-api/0123456789abcdef';
const SERVICE_ID = 'vpce-svc-0123456789abcdef0';
const input = {
  accountId: '123456789012',
  region: 'us-east-1',
  networkLoadBalancerArns: [NLB],
  name: 'orders-api',
  owner: TEST_OWNER,
  system: 'system:default/commerce',
  component: 'component:default/orders-api',
  privateDnsName: 'orders.internal.example.com',
  tags: { CostCenter: '1234' },
};

/** An endpoint service as AWS describes it, carrying the key and the owner tag (null: none). */
const configuration = (key: string, owner: string | null = TEST_OWNER) => ({
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
  Tags: [
    { Key: 'privatelink:idempotency-key', Value: key },
    ...(owner ? [{ Key: 'backstage:owner', Value: owner }] : []),
  ],
});

const TARGET = {
  accountId: '123456789012',
  region: 'us-east-1',
  serviceId: SERVICE_ID,
};
const ROW = {
  actor: TEST_USER,
  via: 'scaffolder',
  action: 'endpoint-service.create',
  accountId: '123456789012',
  region: 'us-east-1',
};

function setUp(
  options: Partial<Parameters<typeof testWrites>[0]> & {
    emulator?: boolean;
  } = {},
) {
  const t = testWrites({ ec2: clients.ec2, ...options });
  return {
    ...t,
    action: createEndpointServiceAction({
      clients,
      tagKeys: DEFAULT_TAG_KEYS,
      emulator: options.emulator,
      writes: t.writes,
    }),
  };
}

/** The load balancers' tags as ELB describes them: owned by `owner` (null: no owner tag). */
const lbTags = (owner: string | null) => ({
  TagDescriptions: [
    { Tags: owner ? [{ Key: 'backstage:owner', Value: owner }] : [] },
  ],
});

/** No call of any kind went to AWS, nor was a client asked for. */
function expectNoAwsCall() {
  expect(clients.ec2).not.toHaveBeenCalled();
  expect(clients.elb).not.toHaveBeenCalled();
  expect(ec2Mock.calls()).toHaveLength(0);
  expect(elbMock.calls()).toHaveLength(0);
}

function expectOneRow(audit: TestAuditRow[], result: string, message: string) {
  expect(audit).toEqual([expect.objectContaining({ ...ROW, result })]);
  expect(audit[0].message).toContain(message);
}

beforeEach(() => {
  ec2Mock.reset();
  elbMock.reset();
  Object.values(clients).forEach(f => f.mockClear());
  elbMock.on(DescribeLoadBalancersCommand).resolves({
    LoadBalancers: [{ LoadBalancerArn: NLB, Type: 'network' }],
  });
  // The load balancer is the requested owner's, as nlb:create tags it.
  elbMock.on(DescribeTagsCommand).resolves(lbTags(TEST_OWNER));
});

describe('aws:privatelink:endpoint-service:create', () => {
  it('creates the service with the placing tags, a ClientToken and the idempotency key, audited and announced', async () => {
    const requests: Array<{ permission: string; resourceRef?: string }> = [];
    const { action, audit, published } = setUp({
      allow: request => {
        requests.push(request);
        return true;
      },
    });
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
        { Key: 'backstage:owner', Value: TEST_OWNER },
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
    // The owner of the load balancer is read before the service is created.
    expect(
      elbMock.commandCalls(DescribeTagsCommand).map(c => c.args[0].input),
    ).toEqual([{ ResourceArns: [NLB] }]);
    expect(requests).toEqual([
      {
        permission: 'privatelink.resource.create',
        resourceRef: '123456789012',
      },
    ]);
    expect(published).toEqual([TARGET]);
    expect(audit).toEqual([
      expect.objectContaining({
        ...ROW,
        result: 'success',
        details: expect.objectContaining({
          name: 'orders-api',
          owner: TEST_OWNER,
          networkLoadBalancerArns: [NLB],
          acceptanceRequired: true,
          privateDnsName: 'orders.internal.example.com',
        }),
        outcome: expect.objectContaining({
          result: 'success',
          details: { serviceId: SERVICE_ID, created: true },
          subject: { serviceId: SERVICE_ID },
        }),
      }),
    ]);
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

  it('finds the service of an earlier run for the same owner by its tag and creates nothing', async () => {
    const { action, audit, published } = setUp();
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
    expect(audit).toEqual([
      expect.objectContaining({
        ...ROW,
        result: 'success',
        outcome: expect.objectContaining({
          details: { serviceId: SERVICE_ID, created: false },
        }),
      }),
    ]);
    expect(published).toEqual([TARGET]);
  });

  it('derives the key from the task and step when there is no name', async () => {
    const { action } = setUp();
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
    const { action } = setUp();
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
    const { action, published } = setUp();
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
    expect(published).toEqual([TARGET]);
  });

  it('sends the create again, with the same ClientToken, when the look-up finds nothing', async () => {
    const { action } = setUp();
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
    const { action } = setUp();
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

  it('keeps the service it created when announcing it fails: the next sync reads it', async () => {
    ec2Mock
      .on(DescribeVpcEndpointServiceConfigurationsCommand)
      .resolves({ ServiceConfigurations: [] });
    ec2Mock
      .on(CreateVpcEndpointServiceConfigurationCommand)
      .resolves({ ServiceConfiguration: configuration('service:orders-api') });
    const results: string[] = [];
    const logger = mockServices.logger.mock();
    const writes = createActionWrites({
      config: readPrivateLinkConfig(
        new ConfigReader({
          privatelink: {
            accounts: [
              { accountId: TEST_ACCOUNTS.provider, owner: TEST_OWNER },
            ],
          },
        }),
      ),
      permissions: mockServices.permissions(),
      userInfo: {
        getUserInfo: async () => ({
          userEntityRef: TEST_USER,
          ownershipEntityRefs: [TEST_USER, TEST_OWNER],
        }),
      },
      catalog: catalogServiceMock(),
      ec2: clients.ec2,
      publish: async () => {
        throw new Error('events bus down');
      },
      logger,
      auditLog: () => ({
        refused: async () => {
          results.push('refused');
        },
        start: async () => results.push('started'),
        complete: async (_id, outcome) => {
          results.push(outcome.result);
        },
      }),
    });
    const failing = createEndpointServiceAction({
      clients,
      tagKeys: DEFAULT_TAG_KEYS,
      writes,
    });
    const ctx = createMockActionContext({ input });
    await failing.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('serviceId', SERVICE_ID);
    expect(
      ec2Mock.commandCalls(DeleteVpcEndpointServiceConfigurationsCommand),
    ).toHaveLength(0);
    expect(results).toEqual(['started', 'success']);
    expect(logger.warn).toHaveBeenCalledWith(
      'Could not announce a PrivateLink change',
      expect.objectContaining({
        serviceId: SERVICE_ID,
        error: 'events bus down',
      }),
    );
  });

  it('records the attempt as an error and announces nothing when AWS refuses the create', async () => {
    const { action, audit, published } = setUp();
    ec2Mock
      .on(DescribeVpcEndpointServiceConfigurationsCommand)
      .resolves({ ServiceConfigurations: [] });
    ec2Mock
      .on(CreateVpcEndpointServiceConfigurationCommand)
      .rejects(
        awsError('InvalidParameter', 400, 'the load balancer is in use'),
      );
    const ctx = createMockActionContext({ input });
    const failure = action.handler(ctx);
    // An AWS failure is a 503 that keeps AWS's words.
    await expect(failure).rejects.toThrow(ServiceUnavailableError);
    await expect(failure).rejects.toThrow('the load balancer is in use');
    expect(
      ec2Mock.commandCalls(CreateVpcEndpointServiceConfigurationCommand),
    ).toHaveLength(1);
    expectOneRow(audit, 'error', 'the load balancer is in use');
    expect(published).toEqual([]);
  });

  it('refuses a load balancer that is not a network load balancer, before creating anything', async () => {
    const { action, audit, published } = setUp();
    elbMock.on(DescribeLoadBalancersCommand).resolves({
      LoadBalancers: [{ LoadBalancerArn: NLB, Type: 'application' }],
    });
    const ctx = createMockActionContext({ input });
    const failure = action.handler(ctx);
    await expect(failure).rejects.toThrow(InputError);
    await expect(failure).rejects.toThrow('is an application load balancer');
    expect(ec2Mock.calls()).toHaveLength(0);
    expect(published).toEqual([]);
    expectOneRow(audit, 'refused', 'is an application load balancer');
  });

  it('refuses a load balancer that does not exist', async () => {
    const { action, audit } = setUp();
    elbMock
      .on(DescribeLoadBalancersCommand)
      .rejects(awsError('LoadBalancerNotFoundException', 400));
    const ctx = createMockActionContext({ input });
    await expect(action.handler(ctx)).rejects.toThrow(InputError);
    expect(ec2Mock.calls()).toHaveLength(0);
    expectOneRow(audit, 'refused', 'does not exist');
  });

  describe("refuses to publish another owner's load balancer, before any EC2 call", () => {
    const OTHER_NLB = NLB.replace('orders-api', 'ledger');

    it.each([
      [
        'tagged for another group',
        'group:default/orders',
        `networkLoadBalancerArns: ${NLB} is owned by group:default/orders, not by ${TEST_OWNER}`,
      ],
      [
        'without an owner tag',
        null,
        `networkLoadBalancerArns: ${NLB} is owned by nobody (no backstage:owner tag), not by ${TEST_OWNER}`,
      ],
    ])('a load balancer %s', async (_what, owner, message) => {
      const { action, audit, published } = setUp();
      elbMock.on(DescribeTagsCommand).resolves(lbTags(owner));
      const ctx = createMockActionContext({ input });
      const failure = action.handler(ctx);
      await expect(failure).rejects.toThrow(NotAllowedError);
      await expect(failure).rejects.toThrow(message);
      expect(clients.ec2).not.toHaveBeenCalled();
      expect(ec2Mock.calls()).toHaveLength(0);
      expect(ctx.output).not.toHaveBeenCalled();
      expect(published).toEqual([]);
      expectOneRow(audit, 'refused', message);
    });

    it("one of several load balancers, even when the others are the owner's", async () => {
      const { action, audit } = setUp();
      elbMock.on(DescribeLoadBalancersCommand).resolves({
        LoadBalancers: [
          { LoadBalancerArn: NLB, Type: 'network' },
          { LoadBalancerArn: OTHER_NLB, Type: 'network' },
        ],
      });
      elbMock
        .on(DescribeTagsCommand, { ResourceArns: [OTHER_NLB] })
        .resolves(lbTags('group:default/ledger'));
      const ctx = createMockActionContext({
        input: { ...input, networkLoadBalancerArns: [NLB, OTHER_NLB] },
      });
      await expect(action.handler(ctx)).rejects.toThrow(
        `${OTHER_NLB} is owned by group:default/ledger`,
      );
      expect(ec2Mock.calls()).toHaveLength(0);
      expectOneRow(audit, 'refused', 'group:default/ledger');
    });

    it('publishes a load balancer whose tag spells the owner in short form', async () => {
      const { action } = setUp();
      elbMock.on(DescribeTagsCommand).resolves(lbTags('platform'));
      ec2Mock
        .on(DescribeVpcEndpointServiceConfigurationsCommand)
        .resolves({ ServiceConfigurations: [] });
      ec2Mock.on(CreateVpcEndpointServiceConfigurationCommand).resolves({
        ServiceConfiguration: configuration('service:orders-api'),
      });
      const ctx = createMockActionContext({ input });
      await action.handler(ctx);
      expect(
        ec2Mock.commandCalls(CreateVpcEndpointServiceConfigurationCommand),
      ).toHaveLength(1);
    });
  });

  describe('never hands over a service an earlier run made for another owner', () => {
    it.each([
      ['another group', 'group:default/orders', 'group:default/orders'],
      ['no owner tag at all', null, 'none'],
    ])(
      'refuses a service with this key tagged for %s',
      async (_what, owner, named) => {
        const { action, audit, published } = setUp();
        ec2Mock.on(DescribeVpcEndpointServiceConfigurationsCommand).resolves({
          ServiceConfigurations: [configuration('service:orders-api', owner)],
        });
        const ctx = createMockActionContext({ input });
        const failure = action.handler(ctx);
        await expect(failure).rejects.toThrow(InputError);
        await expect(failure).rejects.toThrow(
          `Endpoint service ${SERVICE_ID} already carries the key 'service:orders-api' for another owner (${named}); choose another name`,
        );
        expect(
          ec2Mock.commandCalls(CreateVpcEndpointServiceConfigurationCommand),
        ).toHaveLength(0);
        expect(
          ec2Mock.commandCalls(DeleteVpcEndpointServiceConfigurationsCommand),
        ).toHaveLength(0);
        expect(ctx.output).not.toHaveBeenCalled();
        // The change had started (the look-up is part of it): the row ends in an error, and the service found is
        // not announced.
        expectOneRow(audit, 'error', 'for another owner');
        expect(published).toEqual([]);
      },
    );
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
    const { action, audit } = setUp();
    const ctx = createMockActionContext({ input: { ...input, ...override } });
    const failure = action.handler(ctx);
    await expect(failure).rejects.toThrow(InputError);
    await expect(failure).rejects.toThrow(message);
    expectNoAwsCall();
    // A malformed input is refused before the write path: no row.
    expect(audit).toEqual([]);
  });

  it("accepts moto's app/ ARNs only against an emulator", async () => {
    const { action: emulated } = setUp({ emulator: true });
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
    expect(published).toEqual([]);
    expect(audit).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith(
      'serviceName',
      expect.stringMatching(/^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-/),
    );
  });

  describe('refuses, with no AWS call, nothing announced and one refused row', () => {
    const noCreate = {
      allow: ({ permission }: { permission: string }) =>
        permission !== 'privatelink.resource.create',
    };
    const elsewhere = NLB.replace('123456789012', '999999999999');

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
        {
          input: {
            ...input,
            accountId: '999999999999',
            networkLoadBalancerArns: [elsewhere],
          },
        },
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
        'no owner',
        {},
        { input: { ...input, owner: undefined } },
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
      await expectRefusedStep({ failure: action.handler(ctx), type, message, ctx, expectNoAwsCall, published, audit, action: 'endpoint-service.create' });
    });
  });
});
