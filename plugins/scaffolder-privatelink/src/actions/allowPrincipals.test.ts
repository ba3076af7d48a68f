import {
  DescribeVpcEndpointServicePermissionsCommand,
  EC2Client,
  ModifyVpcEndpointServicePermissionsCommand,
} from '@aws-sdk/client-ec2';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { mockClient } from 'aws-sdk-client-mock';
import { createAllowPrincipalsAction } from './allowPrincipals';

const ec2Mock = mockClient(EC2Client);
const factory = jest.fn(async () => new EC2Client({ region: 'us-east-1' }));

const input = {
  accountId: '123456789012',
  region: 'us-east-1',
  serviceId: 'vpce-svc-0123456789abcdef0',
  principals: ['arn:aws:iam::210987654321:root', 'arn:aws:iam::345678901234:role/order-worker'],
};

beforeEach(() => {
  ec2Mock.reset();
  factory.mockClear();
});

const onServiceChanged = jest.fn(async () => {});
beforeEach(() => onServiceChanged.mockClear());

describe('aws:privatelink:principals:allow', () => {
  const action = createAllowPrincipalsAction({ ec2: factory, allowWildcardPrincipal: false, onServiceChanged });

  it('adds only the principals that are not allowed yet, reading every page', async () => {
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
      ServiceId: 'vpce-svc-0123456789abcdef0',
      AddAllowedPrincipals: ['arn:aws:iam::345678901234:role/order-worker'],
    });
    expect(ctx.output).toHaveBeenCalledWith('added', ['arn:aws:iam::345678901234:role/order-worker']);
    expect(ctx.output).toHaveBeenCalledWith('alreadyAllowed', ['arn:aws:iam::210987654321:root']);
    expect(onServiceChanged).toHaveBeenCalledWith({ accountId: '123456789012', region: 'us-east-1', serviceId: 'vpce-svc-0123456789abcdef0' });
  });

  it('changes nothing when every principal is already allowed', async () => {
    ec2Mock.on(DescribeVpcEndpointServicePermissionsCommand).resolves({
      AllowedPrincipals: input.principals.map(Principal => ({ Principal })),
    });
    const ctx = createMockActionContext({ input });
    await action.handler(ctx);
    expect(ec2Mock.commandCalls(ModifyVpcEndpointServicePermissionsCommand)).toHaveLength(0);
    expect(ctx.output).toHaveBeenCalledWith('added', []);
    expect(onServiceChanged).not.toHaveBeenCalled();
  });

  it.each([
    [{ principals: ['*'] }, 'allowWildcardPrincipal'],
    [{ principals: ['arn:aws:iam::210987654321:role/path/role'] }, 'no paths'],
    [{ accountId: '1234' }, 'accountId: must be a 12-digit AWS account id'],
    [{ region: 'us-east-7' }, "region: unknown AWS region 'us-east-7'"],
    [{ serviceId: 'svc-1' }, 'serviceId: must be an endpoint service id'],
  ])('refuses %j before any AWS call', async (override, message) => {
    const ctx = createMockActionContext({ input: { ...input, ...override } });
    await expect(action.handler(ctx)).rejects.toThrow(message);
    expect(factory).not.toHaveBeenCalled();
    expect(ec2Mock.calls()).toHaveLength(0);
  });

  it('allows * only where configuration says so', async () => {
    const permissive = createAllowPrincipalsAction({ ec2: factory, allowWildcardPrincipal: true });
    ec2Mock.on(DescribeVpcEndpointServicePermissionsCommand).resolves({ AllowedPrincipals: [] });
    ec2Mock.on(ModifyVpcEndpointServicePermissionsCommand).resolves({ ReturnValue: true });
    const ctx = createMockActionContext({ input: { ...input, principals: ['*'] } });
    await permissive.handler(ctx);
    expect(ec2Mock.commandCalls(ModifyVpcEndpointServicePermissionsCommand)[0].args[0].input.AddAllowedPrincipals).toEqual(['*']);
  });

  it('makes no AWS call in a dry run and outputs what it would do', async () => {
    // createMockActionContext does not carry isDryRun over, so it is set on the context it returns.
    const ctx = { ...createMockActionContext({ input }), isDryRun: true };
    await action.handler(ctx);
    expect(factory).not.toHaveBeenCalled();
    expect(ctx.output).toHaveBeenCalledWith('added', input.principals);
  });
});
