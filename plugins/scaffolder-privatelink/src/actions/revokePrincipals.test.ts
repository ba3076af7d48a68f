import {
  DescribeVpcEndpointServicePermissionsCommand,
  EC2Client,
  ModifyVpcEndpointServicePermissionsCommand,
} from '@aws-sdk/client-ec2';
import { ANNOTATION_LOCATION } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { mockClient } from 'aws-sdk-client-mock';
import { syncedServiceEntity, testWrites, TEST_USER } from '../__testUtils__/writes';
import { createRevokePrincipalsAction } from './revokePrincipals';

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

function setUp(options: Partial<Parameters<typeof testWrites>[0]> = {}) {
  const t = testWrites({ ec2: factory, entities: [service], ...options });
  return { ...t, action: createRevokePrincipalsAction({ writes: t.writes }) };
}

describe('aws:privatelink:principals:revoke', () => {
  it('removes only the principals that are allowed, reading every page, audited and announced', async () => {
    const { action, audit, published } = setUp();
    ec2Mock
      .on(DescribeVpcEndpointServicePermissionsCommand)
      .resolvesOnce({ AllowedPrincipals: [{ Principal: 'arn:aws:iam::111111111111:root' }], NextToken: 'p2' })
      .resolvesOnce({ AllowedPrincipals: [{ Principal: 'arn:aws:iam::210987654321:root' }] });
    ec2Mock.on(ModifyVpcEndpointServicePermissionsCommand).resolves({ ReturnValue: true });
    const ctx = createMockActionContext({ input });

    await action.handler(ctx);

    expect(factory).toHaveBeenCalledWith({ accountId: '123456789012', region: 'us-east-1' });
    const reads = ec2Mock.commandCalls(DescribeVpcEndpointServicePermissionsCommand);
    expect(reads).toHaveLength(2);
    expect(reads[1].args[0].input).toMatchObject({ ServiceId: SERVICE_ID, NextToken: 'p2' });
    const modify = ec2Mock.commandCalls(ModifyVpcEndpointServicePermissionsCommand);
    expect(modify).toHaveLength(1);
    expect(modify[0].args[0].input).toEqual({
      ServiceId: SERVICE_ID,
      RemoveAllowedPrincipals: ['arn:aws:iam::210987654321:root'],
    });
    expect(ctx.output).toHaveBeenCalledWith('removed', ['arn:aws:iam::210987654321:root']);
    expect(ctx.output).toHaveBeenCalledWith('notAllowed', ['arn:aws:iam::345678901234:role/order-worker']);
    expect(published).toEqual([TARGET]);
    expect(audit).toEqual([
      expect.objectContaining({
        actor: TEST_USER,
        via: 'scaffolder',
        action: 'principals.revoke',
        serviceRef: 'resource:default/orders-api',
        ...TARGET,
        details: expect.objectContaining({ principals: [...input.principals].sort() }),
        result: 'success',
      }),
    ]);
    expect(audit[0].outcome?.details).toEqual({ changed: ['arn:aws:iam::210987654321:root'] });
  });

  it('changes nothing on a re-run, when nothing is allowed any more, and announces nothing', async () => {
    const { action, audit, published } = setUp();
    ec2Mock.on(DescribeVpcEndpointServicePermissionsCommand).resolves({ AllowedPrincipals: [] });
    const ctx = createMockActionContext({ input });
    await action.handler(ctx);
    expect(ec2Mock.commandCalls(ModifyVpcEndpointServicePermissionsCommand)).toHaveLength(0);
    expect(ctx.output).toHaveBeenCalledWith('removed', []);
    expect(ctx.output).toHaveBeenCalledWith('notAllowed', [...input.principals].sort());
    expect(published).toEqual([]);
    // A person's attempt is recorded even when it changed nothing.
    expect(audit).toEqual([expect.objectContaining({ action: 'principals.revoke', result: 'success' })]);
    expect(audit[0].outcome?.details).toEqual({ changed: [] });
  });

  it('revokes * whatever the configuration says about allowing it', async () => {
    const { action, published } = setUp();
    ec2Mock.on(DescribeVpcEndpointServicePermissionsCommand).resolves({ AllowedPrincipals: [{ Principal: '*' }] });
    ec2Mock.on(ModifyVpcEndpointServicePermissionsCommand).resolves({ ReturnValue: true });
    const ctx = createMockActionContext({ input: { ...input, principals: ['*'] } });
    await action.handler(ctx);
    expect(ec2Mock.commandCalls(ModifyVpcEndpointServicePermissionsCommand)[0].args[0].input.RemoveAllowedPrincipals).toEqual(['*']);
    expect(ctx.output).toHaveBeenCalledWith('removed', ['*']);
    expect(published).toEqual([TARGET]);
  });

  it('records a failed change as an error and still announces the service', async () => {
    const { action, audit, published } = setUp();
    ec2Mock.on(DescribeVpcEndpointServicePermissionsCommand).resolves({ AllowedPrincipals: [{ Principal: input.principals[0] }] });
    ec2Mock.on(ModifyVpcEndpointServicePermissionsCommand).rejects(new Error('throttled'));
    const ctx = createMockActionContext({ input });
    await expect(action.handler(ctx)).rejects.toThrow('throttled');
    expect(audit).toEqual([expect.objectContaining({ actor: TEST_USER, action: 'principals.revoke', result: 'error', message: 'Could not revoke principals on vpce-svc-0123456789abcdef0: throttled' })]);
    expect(published).toEqual([TARGET]);
  });

  it.each([
    [{ principals: [] }, 'principals'],
    [{ principals: ['arn:aws:iam::210987654321:role/path/role'] }, 'no paths'],
    [{ accountId: '1234' }, 'accountId: must be a 12-digit AWS account id'],
    [{ serviceId: 'svc-1' }, 'serviceId: must be an endpoint service id'],
    [{ region: 'us-east-7' }, "unknown AWS region 'us-east-7'"],
  ])('refuses %j before any AWS call', async (override, message) => {
    const { action, audit } = setUp();
    const ctx = createMockActionContext({ input: { ...input, ...override } });
    const failure = action.handler(ctx);
    await expect(failure).rejects.toThrow(InputError);
    await expect(failure).rejects.toThrow(message);
    expect(factory).not.toHaveBeenCalled();
    expect(ec2Mock.calls()).toHaveLength(0);
    expect(audit).toEqual([]);
  });

  it('only reads in a dry run and outputs what it would do, after the same checks', async () => {
    const { action, audit, published } = setUp();
    ec2Mock.on(DescribeVpcEndpointServicePermissionsCommand).resolves({ AllowedPrincipals: [{ Principal: input.principals[0] }] });
    // createMockActionContext does not carry isDryRun over, so it is set on the context it returns.
    const ctx = { ...createMockActionContext({ input }), isDryRun: true };
    await action.handler(ctx);
    expect(ec2Mock.commandCalls(DescribeVpcEndpointServicePermissionsCommand)).toHaveLength(1);
    expect(ec2Mock.commandCalls(ModifyVpcEndpointServicePermissionsCommand)).toHaveLength(0);
    expect(ctx.output).toHaveBeenCalledWith('removed', [input.principals[0]]);
    expect(ctx.output).toHaveBeenCalledWith('notAllowed', [input.principals[1]]);
    expect(published).toEqual([]);
    expect(audit).toEqual([]);
  });

  describe('refuses, with no AWS call and one refused row', () => {
    const notOwner = { allow: ({ permission }: { permission: string }) => permission !== 'privatelink.principal.manage' };

    it.each([
      ['a user who may not manage the service', notOwner, {}, 'privatelink.principal.manage is not allowed on resource:default/orders-api'],
      ['in a dry run too', notOwner, { isDryRun: true }, 'privatelink.principal.manage is not allowed'],
      ['revoking * too', notOwner, { input: { ...input, principals: ['*'] } }, 'privatelink.principal.manage is not allowed'],
      ['an account that is not configured', {}, { input: { ...input, accountId: '999999999999' } }, 'Account 999999999999 is not configured'],
      ['a service the catalog does not hold', {}, { input: { ...input, serviceId: 'vpce-svc-0aaaaaaaaaaaaaaaa' } }, 'No endpoint service vpce-svc-0aaaaaaaaaaaaaaaa'],
      [
        'a forged entity: the right annotations, registered from a file',
        { entities: [{ ...service, metadata: { ...service.metadata, annotations: { ...service.metadata.annotations, [ANNOTATION_LOCATION]: 'url:https://example.com/catalog-info.yaml' } } }] },
        {},
        'No endpoint service',
      ],
    ])('%s', async (_what, options, ctxOverride: any, message) => {
      const { action, audit, published } = setUp(options as any);
      const ctx = { ...createMockActionContext({ input: ctxOverride.input ?? input }), isDryRun: Boolean(ctxOverride.isDryRun) };
      await expect(action.handler(ctx)).rejects.toThrow(message);
      expect(ec2Mock.calls()).toHaveLength(0);
      expect(factory).not.toHaveBeenCalled();
      expect(published).toEqual([]);
      expect(audit).toEqual([expect.objectContaining({ actor: TEST_USER, via: 'scaffolder', action: 'principals.revoke', result: 'refused' })]);
      expect(audit[0].message).toContain(message);
    });
  });
});
