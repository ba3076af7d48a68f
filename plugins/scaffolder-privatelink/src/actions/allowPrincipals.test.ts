import {
  DescribeVpcEndpointServicePermissionsCommand,
  EC2Client,
  ModifyVpcEndpointServicePermissionsCommand,
} from '@aws-sdk/client-ec2';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { mockClient } from 'aws-sdk-client-mock';
import { existingServiceRefusals, syncedServiceEntity, TEST_USER, testWrites } from '../__testUtils__/writes';
import { createAllowPrincipalsAction } from './allowPrincipals';

const ec2Mock = mockClient(EC2Client);
const factory = jest.fn(async () => new EC2Client({ region: 'us-east-1' }));

const SERVICE_ID = 'vpce-svc-0123456789abcdef0';
const input = {
  accountId: '123456789012',
  region: 'us-east-1',
  serviceId: SERVICE_ID,
  principals: ['arn:aws:iam::210987654321:root', 'arn:aws:iam::345678901234:role/order-worker'],
};
const service = syncedServiceEntity({ serviceId: SERVICE_ID, name: 'orders-api' });
const TARGET = { accountId: '123456789012', region: 'us-east-1', serviceId: SERVICE_ID };

beforeEach(() => {
  ec2Mock.reset();
  factory.mockClear();
});

function setUp(options: Partial<Parameters<typeof testWrites>[0]> & { allowWildcardPrincipal?: boolean } = {}) {
  const t = testWrites({ ec2: factory, entities: [service], ...options });
  return { ...t, action: createAllowPrincipalsAction({ writes: t.writes, allowWildcardPrincipal: options.allowWildcardPrincipal ?? false }) };
}

describe('aws:privatelink:principals:allow', () => {
  it('adds only the principals that are not allowed yet, reading every page, audited and announced', async () => {
    const { action, audit, published } = setUp();
    ec2Mock
      .on(DescribeVpcEndpointServicePermissionsCommand)
      .resolvesOnce({ AllowedPrincipals: [{ Principal: 'arn:aws:iam::111111111111:root' }], NextToken: 'p2' })
      .resolvesOnce({ AllowedPrincipals: [{ Principal: 'arn:aws:iam::210987654321:root' }] });
    ec2Mock.on(ModifyVpcEndpointServicePermissionsCommand).resolves({ ReturnValue: true });
    const ctx = createMockActionContext({ input });

    await action.handler(ctx);

    expect(factory).toHaveBeenCalledWith({ accountId: '123456789012', region: 'us-east-1' });
    expect(ec2Mock.commandCalls(DescribeVpcEndpointServicePermissionsCommand)).toHaveLength(2);
    const modify = ec2Mock.commandCalls(ModifyVpcEndpointServicePermissionsCommand);
    expect(modify).toHaveLength(1);
    expect(modify[0].args[0].input).toEqual({
      ServiceId: SERVICE_ID,
      AddAllowedPrincipals: ['arn:aws:iam::345678901234:role/order-worker'],
    });
    expect(ctx.output).toHaveBeenCalledWith('added', ['arn:aws:iam::345678901234:role/order-worker']);
    expect(ctx.output).toHaveBeenCalledWith('alreadyAllowed', ['arn:aws:iam::210987654321:root']);
    expect(published).toEqual([TARGET]);
    expect(audit).toEqual([
      expect.objectContaining({
        actor: TEST_USER,
        via: 'scaffolder',
        action: 'principals.allow',
        serviceRef: 'resource:default/orders-api',
        ...TARGET,
        result: 'success',
      }),
    ]);
  });

  it('changes nothing when every principal is already allowed', async () => {
    const { action, published } = setUp();
    ec2Mock.on(DescribeVpcEndpointServicePermissionsCommand).resolves({
      AllowedPrincipals: input.principals.map(Principal => ({ Principal })),
    });
    const ctx = createMockActionContext({ input });
    await action.handler(ctx);
    expect(ec2Mock.commandCalls(ModifyVpcEndpointServicePermissionsCommand)).toHaveLength(0);
    expect(ctx.output).toHaveBeenCalledWith('added', []);
    expect(published).toEqual([]);
  });

  it.each([
    [{ principals: ['*'] }, 'allowWildcardPrincipal'],
    [{ principals: ['arn:aws:iam::210987654321:role/path/role'] }, 'no paths'],
    [{ accountId: '1234' }, 'accountId: must be a 12-digit AWS account id'],
    [{ region: 'us-east-7' }, "region: unknown AWS region 'us-east-7'"],
    [{ serviceId: 'svc-1' }, 'serviceId: must be an endpoint service id'],
  ])('refuses %j before any AWS call', async (override, message) => {
    const { action } = setUp();
    const ctx = createMockActionContext({ input: { ...input, ...override } });
    await expect(action.handler(ctx)).rejects.toThrow(message);
    expect(factory).not.toHaveBeenCalled();
    expect(ec2Mock.calls()).toHaveLength(0);
  });

  it('allows * only where configuration says so', async () => {
    const { action } = setUp({ allowWildcardPrincipal: true });
    ec2Mock.on(DescribeVpcEndpointServicePermissionsCommand).resolves({ AllowedPrincipals: [] });
    ec2Mock.on(ModifyVpcEndpointServicePermissionsCommand).resolves({ ReturnValue: true });
    const ctx = createMockActionContext({ input: { ...input, principals: ['*'] } });
    await action.handler(ctx);
    expect(ec2Mock.commandCalls(ModifyVpcEndpointServicePermissionsCommand)[0].args[0].input.AddAllowedPrincipals).toEqual(['*']);
  });

  it('changes nothing in a dry run and outputs what it would do, after the same checks', async () => {
    const { action, audit } = setUp();
    ec2Mock.on(DescribeVpcEndpointServicePermissionsCommand).resolves({ AllowedPrincipals: [{ Principal: input.principals[0] }] });
    // createMockActionContext does not carry isDryRun over, so it is set on the context it returns.
    const ctx = { ...createMockActionContext({ input }), isDryRun: true };
    await action.handler(ctx);
    expect(ec2Mock.commandCalls(ModifyVpcEndpointServicePermissionsCommand)).toHaveLength(0);
    expect(ctx.output).toHaveBeenCalledWith('added', [input.principals[1]]);
    expect(ctx.output).toHaveBeenCalledWith('alreadyAllowed', [input.principals[0]]);
    expect(audit).toEqual([]);
  });

  describe('refuses, with no AWS call and one refused row', () => {
    it.each(existingServiceRefusals({ input, service, permission: 'privatelink.principal.manage', who: 'a user who may not manage the service' }))('%s', async (_what, options, ctxOverride: any, message) => {
      const { action, audit, published } = setUp(options as any);
      const ctx = { ...createMockActionContext({ input: ctxOverride.input ?? input }), isDryRun: Boolean(ctxOverride.isDryRun) };
      await expect(action.handler(ctx)).rejects.toThrow(message);
      expect(ec2Mock.calls()).toHaveLength(0);
      expect(published).toEqual([]);
      expect(audit).toEqual([expect.objectContaining({ actor: TEST_USER, via: 'scaffolder', action: 'principals.allow', result: 'refused' })]);
      expect(audit[0].message).toContain(message);
    });
  });
});
