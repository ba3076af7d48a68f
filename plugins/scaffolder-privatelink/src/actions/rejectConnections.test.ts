import {
  DescribeVpcEndpointConnectionsCommand,
  EC2Client,
  RejectVpcEndpointConnectionsCommand,
} from '@aws-sdk/client-ec2';
import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { mockClient } from 'aws-sdk-client-mock';
import { mockClientFactories, wire } from '../__testUtils__/clients';
import { createRejectConnectionsAction } from './rejectConnections';

const ec2Mock = mockClient(EC2Client);
const { ec2 } = mockClientFactories();
const onServiceChanged = jest.fn(async () => {});

const SERVICE_ID = 'vpce-svc-0123456789abcdef0';
const ACCEPTED = 'vpce-0a1b2c3d4e5f60718';
const REJECTED = 'vpce-0b1b2c3d4e5f60718';
const input = {
  accountId: '123456789012',
  region: 'us-east-1',
  serviceId: SERVICE_ID,
  endpointIds: [ACCEPTED, REJECTED],
};
const action = createRejectConnectionsAction({ ec2, onServiceChanged });

beforeEach(() => {
  ec2Mock.reset();
  ec2.mockClear();
  onServiceChanged.mockClear();
  ec2Mock.on(DescribeVpcEndpointConnectionsCommand).resolves({
    VpcEndpointConnections: [
      {
        ServiceId: SERVICE_ID,
        VpcEndpointId: ACCEPTED,
        VpcEndpointState: wire('available'),
      },
      {
        ServiceId: SERVICE_ID,
        VpcEndpointId: REJECTED,
        VpcEndpointState: wire('rejected'),
      },
    ],
  });
});

describe('aws:privatelink:connections:reject', () => {
  it('rejects the connections that are not rejected yet and announces the change', async () => {
    ec2Mock
      .on(RejectVpcEndpointConnectionsCommand)
      .resolves({ Unsuccessful: [] });
    const ctx = createMockActionContext({ input });
    await action.handler(ctx);
    expect(
      ec2Mock.commandCalls(RejectVpcEndpointConnectionsCommand)[0].args[0]
        .input,
    ).toEqual({ ServiceId: SERVICE_ID, VpcEndpointIds: [ACCEPTED] });
    expect(ctx.output).toHaveBeenCalledWith('rejected', [ACCEPTED]);
    expect(ctx.output).toHaveBeenCalledWith('unchanged', [REJECTED]);
    expect(onServiceChanged).toHaveBeenCalledTimes(1);
  });

  it('names each endpoint AWS could not reject and why', async () => {
    ec2Mock.on(RejectVpcEndpointConnectionsCommand).resolves({
      Unsuccessful: [
        {
          ResourceId: ACCEPTED,
          Error: { Code: 'InvalidVpcEndpointId.NotFound', Message: 'gone' },
        },
      ],
    });
    const ctx = createMockActionContext({ input });
    await expect(action.handler(ctx)).rejects.toThrow(
      `Could not reject 1 of 1 connection(s) to ${SERVICE_ID}: ${ACCEPTED} (InvalidVpcEndpointId.NotFound: gone)`,
    );
    expect(onServiceChanged).not.toHaveBeenCalled();
  });

  it('refuses a malformed endpoint id before any AWS call', async () => {
    const ctx = createMockActionContext({
      input: { ...input, endpointIds: ['endpoint-1'] },
    });
    await expect(action.handler(ctx)).rejects.toThrow(InputError);
    expect(ec2).not.toHaveBeenCalled();
  });

  it('makes no AWS call in a dry run', async () => {
    const ctx = { ...createMockActionContext({ input }), isDryRun: true };
    await action.handler(ctx);
    expect(ec2).not.toHaveBeenCalled();
    expect(ctx.output).toHaveBeenCalledWith('rejected', [ACCEPTED, REJECTED]);
  });
});
