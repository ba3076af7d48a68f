import {
  DescribeVpcEndpointConnectionsCommand,
  EC2Client,
  RejectVpcEndpointConnectionsCommand,
} from '@aws-sdk/client-ec2';
import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { mockClient } from 'aws-sdk-client-mock';
import { wire } from '../__testUtils__/clients';
import { existingServiceRefusals, syncedServiceEntity, TEST_USER, testWrites } from '../__testUtils__/writes';
import { createRejectConnectionsAction } from './rejectConnections';

const ec2Mock = mockClient(EC2Client);
const factory = jest.fn(async () => new EC2Client({ region: 'us-east-1' }));

const SERVICE_ID = 'vpce-svc-0123456789abcdef0';
const ACCEPTED = 'vpce-0a1b2c3d4e5f60718';
const REJECTED = 'vpce-0b1b2c3d4e5f60718';
const input = {
  accountId: '123456789012',
  region: 'us-east-1',
  serviceId: SERVICE_ID,
  endpointIds: [ACCEPTED, REJECTED],
};
const service = syncedServiceEntity({ serviceId: SERVICE_ID, name: 'orders-api' });
const TARGET = { accountId: '123456789012', region: 'us-east-1', serviceId: SERVICE_ID };

beforeEach(() => {
  ec2Mock.reset();
  factory.mockClear();
  ec2Mock.on(DescribeVpcEndpointConnectionsCommand).resolves({
    VpcEndpointConnections: [
      { ServiceId: SERVICE_ID, VpcEndpointId: ACCEPTED, VpcEndpointState: wire('available') },
      { ServiceId: SERVICE_ID, VpcEndpointId: REJECTED, VpcEndpointState: wire('rejected') },
    ],
  });
});

function setUp(options: Partial<Parameters<typeof testWrites>[0]> = {}) {
  const t = testWrites({ ec2: factory, entities: [service], ...options });
  return { ...t, action: createRejectConnectionsAction({ writes: t.writes }) };
}

describe('aws:privatelink:connections:reject', () => {
  it('rejects the connections that are not rejected yet, audited and announced', async () => {
    const { action, audit, published } = setUp();
    ec2Mock.on(RejectVpcEndpointConnectionsCommand).resolves({ Unsuccessful: [] });
    const ctx = createMockActionContext({ input });

    await action.handler(ctx);

    expect(ec2Mock.commandCalls(DescribeVpcEndpointConnectionsCommand)[0].args[0].input.Filters).toEqual([
      { Name: 'service-id', Values: [SERVICE_ID] },
      { Name: 'vpc-endpoint-id', Values: [ACCEPTED, REJECTED] },
    ]);
    const reject = ec2Mock.commandCalls(RejectVpcEndpointConnectionsCommand);
    expect(reject).toHaveLength(1);
    expect(reject[0].args[0].input).toEqual({ ServiceId: SERVICE_ID, VpcEndpointIds: [ACCEPTED] });
    expect(ctx.output).toHaveBeenCalledWith('rejected', [ACCEPTED]);
    expect(ctx.output).toHaveBeenCalledWith('unchanged', [REJECTED]);
    expect(published).toEqual([TARGET]);
    expect(audit).toEqual([
      expect.objectContaining({
        actor: TEST_USER,
        via: 'scaffolder',
        action: 'connections.reject',
        serviceRef: 'resource:default/orders-api',
        ...TARGET,
        details: expect.objectContaining({ endpointIds: [ACCEPTED, REJECTED] }),
        result: 'success',
      }),
    ]);
    expect(audit[0].outcome?.details).toEqual({ changed: [ACCEPTED], failed: [] });
  });

  it('names each endpoint AWS could not reject and why, and announces nothing when none was rejected', async () => {
    const { action, audit, published } = setUp();
    ec2Mock.on(RejectVpcEndpointConnectionsCommand).resolves({
      Unsuccessful: [{ ResourceId: ACCEPTED, Error: { Code: 'InvalidVpcEndpointId.NotFound', Message: 'gone' } }],
    });
    const ctx = createMockActionContext({ input });
    await expect(action.handler(ctx)).rejects.toThrow(
      `Could not reject 1 of 1 connection(s) to ${SERVICE_ID}: ${ACCEPTED} (InvalidVpcEndpointId.NotFound: gone)`,
    );
    expect(published).toEqual([]);
    expect(audit).toEqual([
      expect.objectContaining({
        actor: TEST_USER,
        via: 'scaffolder',
        action: 'connections.reject',
        result: 'error',
        message: `Could not reject ${ACCEPTED} (InvalidVpcEndpointId.NotFound: gone)`,
      }),
    ]);
  });

  it('changes nothing when every connection is rejected already', async () => {
    const { action, audit, published } = setUp();
    const ctx = createMockActionContext({ input: { ...input, endpointIds: [REJECTED] } });
    await action.handler(ctx);
    expect(ec2Mock.commandCalls(RejectVpcEndpointConnectionsCommand)).toHaveLength(0);
    expect(ctx.output).toHaveBeenCalledWith('rejected', []);
    expect(ctx.output).toHaveBeenCalledWith('unchanged', [REJECTED]);
    expect(published).toEqual([]);
    expect(audit).toEqual([expect.objectContaining({ action: 'connections.reject', result: 'success' })]);
  });

  it('refuses endpoints that are not connections of the service, before rejecting any, with a refused row', async () => {
    const { action, audit, published } = setUp();
    const strangers = ['vpce-0d1b2c3d4e5f60718', 'vpce-0e1b2c3d4e5f60718'];
    const ctx = createMockActionContext({ input: { ...input, endpointIds: [ACCEPTED, ...strangers] } });
    const failure = action.handler(ctx);
    await expect(failure).rejects.toThrow(InputError);
    await expect(failure).rejects.toThrow(`endpointIds: ${strangers.join(', ')} are not connections of ${SERVICE_ID}`);
    expect(ec2Mock.commandCalls(RejectVpcEndpointConnectionsCommand)).toHaveLength(0);
    expect(published).toEqual([]);
    expect(audit).toEqual([expect.objectContaining({ actor: TEST_USER, action: 'connections.reject', result: 'refused' })]);
  });

  it('refuses a malformed endpoint id before any AWS call', async () => {
    const { action, audit } = setUp();
    const ctx = createMockActionContext({ input: { ...input, endpointIds: ['endpoint-1'] } });
    await expect(action.handler(ctx)).rejects.toThrow(InputError);
    expect(factory).not.toHaveBeenCalled();
    expect(ec2Mock.calls()).toHaveLength(0);
    expect(audit).toEqual([]);
  });

  it('only reads the connection states in a dry run and outputs what it would do', async () => {
    const { action, audit, published } = setUp();
    const ctx = { ...createMockActionContext({ input }), isDryRun: true };
    await action.handler(ctx);
    expect(ec2Mock.commandCalls(DescribeVpcEndpointConnectionsCommand)).toHaveLength(1);
    expect(ec2Mock.commandCalls(RejectVpcEndpointConnectionsCommand)).toHaveLength(0);
    expect(ctx.output).toHaveBeenCalledWith('rejected', [ACCEPTED]);
    expect(ctx.output).toHaveBeenCalledWith('unchanged', [REJECTED]);
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
      expect(audit).toEqual([expect.objectContaining({ actor: TEST_USER, via: 'scaffolder', action: 'connections.reject', result: 'refused' })]);
      expect(audit[0].message).toContain(message);
    });
  });
});
