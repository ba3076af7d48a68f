import {
  AcceptVpcEndpointConnectionsCommand,
  DescribeVpcEndpointConnectionsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { mockClient } from 'aws-sdk-client-mock';
import { mockClientFactories } from '../__testUtils__/clients';
import { createAcceptConnectionsAction } from './acceptConnections';

const ec2Mock = mockClient(EC2Client);
const { ec2 } = mockClientFactories();
const onServiceChanged = jest.fn(async () => {});

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
const action = createAcceptConnectionsAction({ ec2, onServiceChanged });

const connection = (VpcEndpointId: string, state: string) => ({
  ServiceId: SERVICE_ID,
  VpcEndpointId,
  VpcEndpointState: state as any,
});

beforeEach(() => {
  ec2Mock.reset();
  ec2.mockClear();
  onServiceChanged.mockClear();
  ec2Mock.on(DescribeVpcEndpointConnectionsCommand).resolves({
    VpcEndpointConnections: [
      connection(PENDING, 'pendingAcceptance'),
      connection(OTHER, 'pendingAcceptance'),
      connection(DONE, 'available'),
    ],
  });
});

describe('aws:privatelink:connections:accept', () => {
  it('accepts the pending connections, leaves accepted ones alone and announces the change', async () => {
    ec2Mock
      .on(AcceptVpcEndpointConnectionsCommand)
      .resolves({ Unsuccessful: [] });
    const ctx = createMockActionContext({ input });

    await action.handler(ctx);

    expect(
      ec2Mock.commandCalls(DescribeVpcEndpointConnectionsCommand)[0].args[0]
        .input.Filters,
    ).toEqual([
      { Name: 'service-id', Values: [SERVICE_ID] },
      { Name: 'vpc-endpoint-id', Values: [PENDING, OTHER, DONE] },
    ]);
    expect(
      ec2Mock.commandCalls(AcceptVpcEndpointConnectionsCommand)[0].args[0]
        .input,
    ).toEqual({ ServiceId: SERVICE_ID, VpcEndpointIds: [PENDING, OTHER] });
    expect(ctx.output).toHaveBeenCalledWith('accepted', [PENDING, OTHER]);
    expect(ctx.output).toHaveBeenCalledWith('unchanged', [DONE]);
    expect(onServiceChanged).toHaveBeenCalledWith({
      accountId: '123456789012',
      region: 'us-east-1',
      serviceId: SERVICE_ID,
    });
  });

  it('names each endpoint AWS could not accept and why, after announcing the ones it did', async () => {
    ec2Mock.on(AcceptVpcEndpointConnectionsCommand).resolves({
      Unsuccessful: [
        {
          ResourceId: OTHER,
          Error: {
            Code: 'InvalidState',
            Message: 'Endpoint is not in pendingAcceptance state',
          },
        },
      ],
    });
    const ctx = createMockActionContext({ input });

    await expect(action.handler(ctx)).rejects.toThrow(
      `Could not accept 1 of 2 connection(s) to ${SERVICE_ID}: ${OTHER} (InvalidState: Endpoint is not in pendingAcceptance state)`,
    );
    expect(onServiceChanged).toHaveBeenCalledTimes(1);
  });

  it('announces nothing when every item failed', async () => {
    ec2Mock.on(AcceptVpcEndpointConnectionsCommand).resolves({
      Unsuccessful: [
        { ResourceId: PENDING, Error: { Code: 'A', Message: 'a' } },
        { ResourceId: OTHER, Error: { Code: 'B', Message: 'b' } },
      ],
    });
    const ctx = createMockActionContext({ input });
    await expect(action.handler(ctx)).rejects.toThrow(
      `${PENDING} (A: a); ${OTHER} (B: b)`,
    );
    expect(onServiceChanged).not.toHaveBeenCalled();
  });

  it('changes nothing when every connection is accepted already', async () => {
    const ctx = createMockActionContext({
      input: { ...input, endpointIds: [DONE] },
    });
    await action.handler(ctx);
    expect(
      ec2Mock.commandCalls(AcceptVpcEndpointConnectionsCommand),
    ).toHaveLength(0);
    expect(onServiceChanged).not.toHaveBeenCalled();
  });

  it('refuses endpoints that are not connections of the service, before accepting any', async () => {
    const stranger = 'vpce-0d1b2c3d4e5f60718';
    const ctx = createMockActionContext({
      input: { ...input, endpointIds: [PENDING, stranger] },
    });
    const failure = action.handler(ctx);
    await expect(failure).rejects.toThrow(InputError);
    await expect(failure).rejects.toThrow(
      `endpointIds: ${stranger} is not a connection of ${SERVICE_ID}`,
    );
    expect(
      ec2Mock.commandCalls(AcceptVpcEndpointConnectionsCommand),
    ).toHaveLength(0);
  });

  it.each([
    [{ endpointIds: [] }, 'endpointIds'],
    [
      { endpointIds: ['vpce-svc-0123456789abcdef0'] },
      'must be a VPC endpoint id',
    ],
    [
      { serviceId: 'vpce-0a1b2c3d4e5f60718' },
      'serviceId: must be an endpoint service id',
    ],
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
    expect(ctx.output).toHaveBeenCalledWith(
      'accepted',
      [PENDING, OTHER, DONE].sort(),
    );
  });
});
