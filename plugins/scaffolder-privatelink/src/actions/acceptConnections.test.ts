import {
  AcceptVpcEndpointConnectionsCommand,
  DescribeVpcEndpointConnectionsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { mockClient } from 'aws-sdk-client-mock';
import { wire } from '../__testUtils__/clients';
import { existingServiceRefusals, syncedServiceEntity, TEST_USER, testWrites } from '../__testUtils__/writes';
import { createAcceptConnectionsAction } from './acceptConnections';

const ec2Mock = mockClient(EC2Client);
const factory = jest.fn(async () => new EC2Client({ region: 'us-east-1' }));

const SERVICE_ID = 'vpce-svc-0123456789abcdef0';
const PENDING = 'vpce-0a1b2c3d4e5f60718';
const OTHER = 'vpce-0b1b2c3d4e5f60718';
const DONE = 'vpce-0c1b2c3d4e5f60718';
const input = {
  accountId: '123456789012',
  region: 'us-east-1',
  serviceId: SERVICE_ID,
  endpointIds: [PENDING, OTHER, DONE],
};
const service = syncedServiceEntity({ serviceId: SERVICE_ID, name: 'orders-api' });
const TARGET = { accountId: '123456789012', region: 'us-east-1', serviceId: SERVICE_ID };

const connection = (VpcEndpointId: string, state: string) => ({
  ServiceId: SERVICE_ID,
  VpcEndpointId,
  VpcEndpointState: wire(state),
});

beforeEach(() => {
  ec2Mock.reset();
  factory.mockClear();
  ec2Mock.on(DescribeVpcEndpointConnectionsCommand).resolves({
    VpcEndpointConnections: [
      connection(PENDING, 'pendingAcceptance'),
      connection(OTHER, 'pendingAcceptance'),
      connection(DONE, 'available'),
    ],
  });
});

function setUp(options: Partial<Parameters<typeof testWrites>[0]> = {}) {
  const t = testWrites({ ec2: factory, entities: [service], ...options });
  return { ...t, action: createAcceptConnectionsAction({ writes: t.writes }) };
}

describe('aws:privatelink:connections:accept', () => {
  it('accepts the pending connections, leaves accepted ones alone, audited and announced', async () => {
    const { action, audit, published } = setUp();
    ec2Mock.on(AcceptVpcEndpointConnectionsCommand).resolves({ Unsuccessful: [] });
    const ctx = createMockActionContext({ input });

    await action.handler(ctx);

    expect(factory).toHaveBeenCalledWith({ accountId: '123456789012', region: 'us-east-1' });
    expect(ec2Mock.commandCalls(DescribeVpcEndpointConnectionsCommand)[0].args[0].input.Filters).toEqual([
      { Name: 'service-id', Values: [SERVICE_ID] },
      { Name: 'vpc-endpoint-id', Values: [PENDING, OTHER, DONE] },
    ]);
    const accept = ec2Mock.commandCalls(AcceptVpcEndpointConnectionsCommand);
    expect(accept).toHaveLength(1);
    expect(accept[0].args[0].input).toEqual({ ServiceId: SERVICE_ID, VpcEndpointIds: [PENDING, OTHER] });
    expect(ctx.output).toHaveBeenCalledWith('accepted', [PENDING, OTHER]);
    expect(ctx.output).toHaveBeenCalledWith('unchanged', [DONE]);
    expect(published).toEqual([TARGET]);
    expect(audit).toEqual([
      expect.objectContaining({
        actor: TEST_USER,
        via: 'scaffolder',
        action: 'connections.accept',
        serviceRef: 'resource:default/orders-api',
        ...TARGET,
        details: expect.objectContaining({ endpointIds: [PENDING, OTHER, DONE] }),
        result: 'success',
      }),
    ]);
    expect(audit[0].outcome?.details).toEqual({ changed: [PENDING, OTHER], failed: [] });
  });

  it('ignores connections of other services that an emulator returns despite the filter', async () => {
    const { action } = setUp();
    ec2Mock.on(DescribeVpcEndpointConnectionsCommand).resolves({
      VpcEndpointConnections: [
        connection(PENDING, 'pendingAcceptance'),
        { ...connection(OTHER, 'pendingAcceptance'), ServiceId: 'vpce-svc-0fffffffffffffff0' },
      ],
    });
    const ctx = createMockActionContext({ input: { ...input, endpointIds: [PENDING, OTHER] } });
    await expect(action.handler(ctx)).rejects.toThrow(`endpointIds: ${OTHER} is not a connection of ${SERVICE_ID}`);
    expect(ec2Mock.commandCalls(AcceptVpcEndpointConnectionsCommand)).toHaveLength(0);
  });

  it('names each endpoint AWS could not accept and why, after announcing the ones it did', async () => {
    const { action, audit, published } = setUp();
    ec2Mock.on(AcceptVpcEndpointConnectionsCommand).resolves({
      Unsuccessful: [{ ResourceId: OTHER, Error: { Code: 'InvalidState', Message: 'Endpoint is not in pendingAcceptance state' } }],
    });
    const ctx = createMockActionContext({ input });

    await expect(action.handler(ctx)).rejects.toThrow(
      `Could not accept 1 of 2 connection(s) to ${SERVICE_ID}: ${OTHER} (InvalidState: Endpoint is not in pendingAcceptance state)`,
    );
    expect(published).toEqual([TARGET]);
    expect(audit).toEqual([
      expect.objectContaining({
        actor: TEST_USER,
        via: 'scaffolder',
        action: 'connections.accept',
        result: 'error',
        message: `Could not accept ${OTHER} (InvalidState: Endpoint is not in pendingAcceptance state)`,
      }),
    ]);
    expect(audit[0].outcome?.details).toEqual({
      changed: [PENDING],
      failed: [{ endpointId: OTHER, reason: 'InvalidState: Endpoint is not in pendingAcceptance state' }],
    });
  });

  it('announces nothing when every item failed', async () => {
    const { action, audit, published } = setUp();
    ec2Mock.on(AcceptVpcEndpointConnectionsCommand).resolves({
      Unsuccessful: [
        { ResourceId: PENDING, Error: { Code: 'A', Message: 'a' } },
        { ResourceId: OTHER, Error: { Code: 'B', Message: 'b' } },
      ],
    });
    const ctx = createMockActionContext({ input });
    await expect(action.handler(ctx)).rejects.toThrow(`Could not accept 2 of 2 connection(s) to ${SERVICE_ID}: ${PENDING} (A: a); ${OTHER} (B: b)`);
    expect(published).toEqual([]);
    expect(audit).toEqual([expect.objectContaining({ action: 'connections.accept', result: 'error' })]);
  });

  it('records an AWS error as an error row and announces the service, which may have changed in part', async () => {
    const { action, audit, published } = setUp();
    ec2Mock.on(AcceptVpcEndpointConnectionsCommand).rejects(new Error('service unavailable'));
    const ctx = createMockActionContext({ input });
    await expect(action.handler(ctx)).rejects.toThrow('service unavailable');
    expect(audit).toEqual([expect.objectContaining({ action: 'connections.accept', result: 'error', message: 'Could not accept connections on vpce-svc-0123456789abcdef0: service unavailable' })]);
    expect(published).toEqual([TARGET]);
  });

  it('changes nothing when every connection is accepted already', async () => {
    const { action, audit, published } = setUp();
    const ctx = createMockActionContext({ input: { ...input, endpointIds: [DONE] } });
    await action.handler(ctx);
    expect(ec2Mock.commandCalls(AcceptVpcEndpointConnectionsCommand)).toHaveLength(0);
    expect(ctx.output).toHaveBeenCalledWith('accepted', []);
    expect(ctx.output).toHaveBeenCalledWith('unchanged', [DONE]);
    expect(published).toEqual([]);
    expect(audit).toEqual([expect.objectContaining({ action: 'connections.accept', result: 'success' })]);
  });

  it('refuses endpoints that are not connections of the service, before accepting any, with a refused row', async () => {
    const { action, audit, published } = setUp();
    const stranger = 'vpce-0d1b2c3d4e5f60718';
    const ctx = createMockActionContext({ input: { ...input, endpointIds: [PENDING, stranger] } });
    const failure = action.handler(ctx);
    await expect(failure).rejects.toThrow(InputError);
    await expect(failure).rejects.toThrow(`endpointIds: ${stranger} is not a connection of ${SERVICE_ID}`);
    expect(ec2Mock.commandCalls(DescribeVpcEndpointConnectionsCommand)).toHaveLength(1);
    expect(ec2Mock.commandCalls(AcceptVpcEndpointConnectionsCommand)).toHaveLength(0);
    expect(published).toEqual([]);
    expect(audit).toEqual([
      expect.objectContaining({ actor: TEST_USER, via: 'scaffolder', action: 'connections.accept', result: 'refused', message: expect.stringContaining(stranger) }),
    ]);
  });

  it.each([
    [{ endpointIds: [] }, 'endpointIds'],
    [{ endpointIds: ['vpce-svc-0123456789abcdef0'] }, 'must be a VPC endpoint id'],
    [{ serviceId: 'vpce-0a1b2c3d4e5f60718' }, 'serviceId: must be an endpoint service id'],
    [{ accountId: '1234' }, 'accountId: must be a 12-digit AWS account id'],
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

  it('only reads the connection states in a dry run and outputs what it would do', async () => {
    const { action, audit, published } = setUp();
    const ctx = { ...createMockActionContext({ input }), isDryRun: true };
    await action.handler(ctx);
    expect(ec2Mock.commandCalls(DescribeVpcEndpointConnectionsCommand)).toHaveLength(1);
    expect(ec2Mock.commandCalls(AcceptVpcEndpointConnectionsCommand)).toHaveLength(0);
    expect(ctx.output).toHaveBeenCalledWith('accepted', [PENDING, OTHER]);
    expect(ctx.output).toHaveBeenCalledWith('unchanged', [DONE]);
    expect(published).toEqual([]);
    expect(audit).toEqual([]);
  });

  describe('refuses, with no AWS call and one refused row', () => {
    it.each(existingServiceRefusals({ input, service, permission: 'privatelink.connection.review', who: 'a user who may not review connections of the service' }))('%s', async (_what, options, ctxOverride: any, message) => {
      const { action, audit, published } = setUp(options as any);
      const ctx = { ...createMockActionContext({ input: ctxOverride.input ?? input }), isDryRun: Boolean(ctxOverride.isDryRun) };
      await expect(action.handler(ctx)).rejects.toThrow(message);
      expect(ec2Mock.calls()).toHaveLength(0);
      expect(factory).not.toHaveBeenCalled();
      expect(published).toEqual([]);
      expect(audit).toEqual([expect.objectContaining({ actor: TEST_USER, via: 'scaffolder', action: 'connections.accept', result: 'refused' })]);
      expect(audit[0].message).toContain(message);
    });
  });
});
