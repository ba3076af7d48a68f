import {
  DescribeVpcEndpointServicePermissionsCommand,
  EC2Client,
  ModifyVpcEndpointServicePermissionsCommand,
} from '@aws-sdk/client-ec2';
import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { mockClient } from 'aws-sdk-client-mock';
import { mockClientFactories } from '../__testUtils__/clients';
import { createRevokePrincipalsAction } from './revokePrincipals';

const ec2Mock = mockClient(EC2Client);
const { ec2 } = mockClientFactories();
const onServiceChanged = jest.fn(async () => {});

const input = {
  accountId: '123456789012',
  region: 'us-east-1',
  serviceId: 'vpce-svc-0123456789abcdef0',
  principals: [
    'arn:aws:iam::210987654321:root',
    'arn:aws:iam::345678901234:role/order-worker',
  ],
};
const action = createRevokePrincipalsAction({ ec2, onServiceChanged });

beforeEach(() => {
  ec2Mock.reset();
  ec2.mockClear();
  onServiceChanged.mockClear();
});

describe('aws:privatelink:principals:revoke', () => {
  it('removes only the principals that are allowed, reading every page, and announces the change', async () => {
    ec2Mock
      .on(DescribeVpcEndpointServicePermissionsCommand)
      .resolvesOnce({
        AllowedPrincipals: [{ Principal: 'arn:aws:iam::111111111111:root' }],
        NextToken: 'p2',
      })
      .resolvesOnce({
        AllowedPrincipals: [{ Principal: 'arn:aws:iam::210987654321:root' }],
      });
    ec2Mock
      .on(ModifyVpcEndpointServicePermissionsCommand)
      .resolves({ ReturnValue: true });
    const ctx = createMockActionContext({ input });

    await action.handler(ctx);

    expect(
      ec2Mock.commandCalls(ModifyVpcEndpointServicePermissionsCommand)[0]
        .args[0].input,
    ).toEqual({
      ServiceId: input.serviceId,
      RemoveAllowedPrincipals: ['arn:aws:iam::210987654321:root'],
    });
    expect(ctx.output).toHaveBeenCalledWith('removed', [
      'arn:aws:iam::210987654321:root',
    ]);
    expect(ctx.output).toHaveBeenCalledWith('notAllowed', [
      'arn:aws:iam::345678901234:role/order-worker',
    ]);
    expect(onServiceChanged).toHaveBeenCalledWith({
      accountId: '123456789012',
      region: 'us-east-1',
      serviceId: input.serviceId,
    });
  });

  it('changes nothing on a re-run, when nothing is allowed any more', async () => {
    ec2Mock
      .on(DescribeVpcEndpointServicePermissionsCommand)
      .resolves({ AllowedPrincipals: [] });
    const ctx = createMockActionContext({ input });
    await action.handler(ctx);
    expect(
      ec2Mock.commandCalls(ModifyVpcEndpointServicePermissionsCommand),
    ).toHaveLength(0);
    expect(onServiceChanged).not.toHaveBeenCalled();
  });

  it('revokes * whatever the configuration says about allowing it', async () => {
    ec2Mock
      .on(DescribeVpcEndpointServicePermissionsCommand)
      .resolves({ AllowedPrincipals: [{ Principal: '*' }] });
    ec2Mock
      .on(ModifyVpcEndpointServicePermissionsCommand)
      .resolves({ ReturnValue: true });
    const ctx = createMockActionContext({
      input: { ...input, principals: ['*'] },
    });
    await action.handler(ctx);
    expect(
      ec2Mock.commandCalls(ModifyVpcEndpointServicePermissionsCommand)[0]
        .args[0].input.RemoveAllowedPrincipals,
    ).toEqual(['*']);
  });

  it.each([
    [{ principals: [] }, 'principals'],
    [{ principals: ['arn:aws:iam::210987654321:role/path/role'] }, 'no paths'],
    [{ serviceId: 'svc-1' }, 'serviceId: must be an endpoint service id'],
    [{ region: 'us-east-7' }, "unknown AWS region 'us-east-7'"],
  ])('refuses %j before any AWS call', async (override, message) => {
    const ctx = createMockActionContext({ input: { ...input, ...override } });
    const failure = action.handler(ctx);
    await expect(failure).rejects.toThrow(InputError);
    await expect(failure).rejects.toThrow(message);
    expect(ec2).not.toHaveBeenCalled();
  });

  it('makes no AWS call in a dry run', async () => {
    const ctx = { ...createMockActionContext({ input }), isDryRun: true };
    await action.handler(ctx);
    expect(ec2).not.toHaveBeenCalled();
    expect(ctx.output).toHaveBeenCalledWith('removed', input.principals);
  });
});
