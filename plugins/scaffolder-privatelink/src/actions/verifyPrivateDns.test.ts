import {
  DescribeVpcEndpointServiceConfigurationsCommand,
  EC2Client,
  StartVpcEndpointServicePrivateDnsVerificationCommand,
} from '@aws-sdk/client-ec2';
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  GetHostedZoneCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError, mockClientFactories } from '../__testUtils__/clients';
import { createVerifyPrivateDnsAction } from './verifyPrivateDns';

const ec2Mock = mockClient(EC2Client);
const route53Mock = mockClient(Route53Client);
const clients = mockClientFactories();
const onServiceChanged = jest.fn(async () => {});

const SERVICE_ID = 'vpce-svc-0123456789abcdef0';
const ZONE = 'Z0123456789ABCDEFGHIJ';
const input = {
  accountId: '123456789012',
  region: 'us-east-1',
  serviceId: SERVICE_ID,
  hostedZoneId: ZONE,
};
const RECORD = '_pl7sx4h3xy6hde8nflgy.orders.internal.example.com';

const service = (state: string) => ({
  ServiceConfigurations: [
    {
      ServiceId: SERVICE_ID,
      PrivateDnsName: 'orders.internal.example.com',
      PrivateDnsNameConfiguration: {
        Name: '_pl7sx4h3xy6hde8nflgy',
        Type: 'TXT',
        Value: 'vpce:q1w2e3r4',
        State: state as any,
      },
    },
  ],
});

const action = createVerifyPrivateDnsAction({
  clients,
  onServiceChanged,
  waiterMinDelaySeconds: 0.05,
});

function publicZone() {
  route53Mock.on(GetHostedZoneCommand).resolves({
    HostedZone: {
      Id: `/hostedzone/${ZONE}`,
      Name: 'internal.example.com.',
      CallerReference: 'x',
      Config: { PrivateZone: false },
    },
  });
  route53Mock.on(ListResourceRecordSetsCommand).resolves({
    ResourceRecordSets: [],
    IsTruncated: false,
    MaxItems: 1,
  });
  route53Mock.on(ChangeResourceRecordSetsCommand).resolves({
    ChangeInfo: {
      Id: '/change/C1',
      Status: 'PENDING',
      SubmittedAt: new Date(),
    },
  });
  route53Mock.on(GetChangeCommand).resolves({
    ChangeInfo: { Id: '/change/C1', Status: 'INSYNC', SubmittedAt: new Date() },
  });
}

beforeEach(() => {
  ec2Mock.reset();
  route53Mock.reset();
  onServiceChanged.mockClear();
  Object.values(clients).forEach(f => f.mockClear());
});

describe('aws:privatelink:private-dns:verify', () => {
  it('writes the TXT record, waits for Route 53, starts the verification and reports the state', async () => {
    publicZone();
    ec2Mock
      .on(DescribeVpcEndpointServiceConfigurationsCommand)
      .resolvesOnce(service('pendingVerification'))
      .resolves(service('verified'));
    ec2Mock
      .on(StartVpcEndpointServicePrivateDnsVerificationCommand)
      .resolves({ ReturnValue: true });
    const ctx = createMockActionContext({ input });

    await action.handler(ctx);

    expect(
      route53Mock.commandCalls(ChangeResourceRecordSetsCommand)[0].args[0]
        .input,
    ).toMatchObject({
      HostedZoneId: ZONE,
      ChangeBatch: {
        Changes: [
          {
            Action: 'UPSERT',
            ResourceRecordSet: {
              Name: RECORD,
              Type: 'TXT',
              TTL: 300,
              ResourceRecords: [{ Value: '"vpce:q1w2e3r4"' }],
            },
          },
        ],
      },
    });
    expect(route53Mock.commandCalls(GetChangeCommand)[0].args[0].input).toEqual(
      {
        Id: '/change/C1',
      },
    );
    expect(
      ec2Mock.commandCalls(
        StartVpcEndpointServicePrivateDnsVerificationCommand,
      ),
    ).toHaveLength(1);
    expect(onServiceChanged).toHaveBeenCalledWith({
      accountId: '123456789012',
      region: 'us-east-1',
      serviceId: SERVICE_ID,
    });
    expect(ctx.output).toHaveBeenCalledWith('recordName', RECORD);
    expect(ctx.output).toHaveBeenCalledWith('recordValue', 'vpce:q1w2e3r4');
    expect(ctx.output).toHaveBeenCalledWith('state', 'verified');
    expect(ctx.output).toHaveBeenCalledWith('recordWritten', true);
    expect(ctx.output).toHaveBeenCalledWith('verificationStarted', true);
  });

  it('only outputs the record when no hosted zone is given', async () => {
    ec2Mock
      .on(DescribeVpcEndpointServiceConfigurationsCommand)
      .resolves(service('pendingVerification'));
    const ctx = createMockActionContext({
      input: { ...input, hostedZoneId: undefined },
    });
    await action.handler(ctx);
    expect(clients.route53).not.toHaveBeenCalled();
    expect(
      ec2Mock.commandCalls(
        StartVpcEndpointServicePrivateDnsVerificationCommand,
      ),
    ).toHaveLength(0);
    expect(ctx.output).toHaveBeenCalledWith('recordName', RECORD);
    expect(ctx.output).toHaveBeenCalledWith('state', 'pendingVerification');
    expect(ctx.output).toHaveBeenCalledWith('verificationStarted', false);
  });

  it('leaves a record that is in place alone', async () => {
    publicZone();
    route53Mock.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [
        {
          Name: `${RECORD}.`,
          Type: 'TXT',
          TTL: 300,
          ResourceRecords: [{ Value: '"vpce:q1w2e3r4"' }],
        },
      ],
      IsTruncated: false,
      MaxItems: 1,
    });
    ec2Mock
      .on(DescribeVpcEndpointServiceConfigurationsCommand)
      .resolves(service('pendingVerification'));
    ec2Mock
      .on(StartVpcEndpointServicePrivateDnsVerificationCommand)
      .resolves({ ReturnValue: true });
    const ctx = createMockActionContext({ input });
    await action.handler(ctx);
    expect(
      route53Mock.commandCalls(ChangeResourceRecordSetsCommand),
    ).toHaveLength(0);
    expect(ctx.output).toHaveBeenCalledWith('recordWritten', false);
  });

  it('does nothing when the name is verified already', async () => {
    ec2Mock
      .on(DescribeVpcEndpointServiceConfigurationsCommand)
      .resolves(service('verified'));
    const ctx = createMockActionContext({ input });
    await action.handler(ctx);
    expect(clients.route53).not.toHaveBeenCalled();
    expect(onServiceChanged).not.toHaveBeenCalled();
    expect(ctx.output).toHaveBeenCalledWith('state', 'verified');
  });

  it('reports, without failing, a verification that AWS could not start (moto does not implement it)', async () => {
    publicZone();
    ec2Mock
      .on(DescribeVpcEndpointServiceConfigurationsCommand)
      .resolves(service('pendingVerification'));
    ec2Mock
      .on(StartVpcEndpointServicePrivateDnsVerificationCommand)
      .rejects(awsError('InternalError', 500));
    const ctx = createMockActionContext({ input });
    await action.handler(ctx);
    expect(clients.ec2).toHaveBeenCalledWith(expect.anything(), {
      maxAttempts: 3,
    });
    expect(ctx.output).toHaveBeenCalledWith('verificationStarted', false);
    expect(ctx.output).toHaveBeenCalledWith('recordWritten', true);
    expect(onServiceChanged).not.toHaveBeenCalled();
  });

  it('removes the record it wrote when starting the verification is refused', async () => {
    publicZone();
    ec2Mock
      .on(DescribeVpcEndpointServiceConfigurationsCommand)
      .resolves(service('pendingVerification'));
    ec2Mock
      .on(StartVpcEndpointServicePrivateDnsVerificationCommand)
      .rejects(awsError('UnauthorizedOperation', 403, 'not authorized'));
    const ctx = createMockActionContext({ input });

    await expect(action.handler(ctx)).rejects.toThrow('not authorized');

    const changes = route53Mock.commandCalls(ChangeResourceRecordSetsCommand);
    expect(changes).toHaveLength(2);
    expect(changes[1].args[0].input.ChangeBatch?.Changes?.[0]).toMatchObject({
      Action: 'DELETE',
      ResourceRecordSet: { Name: RECORD, Type: 'TXT' },
    });
  });

  it.each([
    [
      { Config: { PrivateZone: true }, Name: 'internal.example.com.' },
      'is a private hosted zone',
    ],
    [
      { Config: { PrivateZone: false }, Name: 'other.example.org.' },
      'does not belong to the zone other.example.org',
    ],
  ])('refuses a hosted zone %j before writing', async (zone, message) => {
    publicZone();
    route53Mock.on(GetHostedZoneCommand).resolves({
      HostedZone: { Id: ZONE, CallerReference: 'x', ...zone },
    });
    ec2Mock
      .on(DescribeVpcEndpointServiceConfigurationsCommand)
      .resolves(service('pendingVerification'));
    const ctx = createMockActionContext({ input });
    const failure = action.handler(ctx);
    await expect(failure).rejects.toThrow(InputError);
    await expect(failure).rejects.toThrow(message);
    expect(
      route53Mock.commandCalls(ChangeResourceRecordSetsCommand),
    ).toHaveLength(0);
  });

  it('refuses a service without a private DNS name', async () => {
    ec2Mock.on(DescribeVpcEndpointServiceConfigurationsCommand).resolves({
      ServiceConfigurations: [{ ServiceId: SERVICE_ID }],
    });
    const ctx = createMockActionContext({ input });
    await expect(action.handler(ctx)).rejects.toThrow(
      /has no private DNS name/,
    );
  });

  it('refuses a service that does not exist', async () => {
    ec2Mock
      .on(DescribeVpcEndpointServiceConfigurationsCommand)
      .rejects(awsError('InvalidVpcEndpointServiceId.NotFound', 400));
    const ctx = createMockActionContext({ input });
    await expect(action.handler(ctx)).rejects.toThrow(InputError);
  });

  it.each([
    [
      { hostedZoneId: 'not a zone' },
      'hostedZoneId: must be a Route 53 hosted zone id',
    ],
    [{ serviceId: 'vpce-svc-XYZ' }, 'serviceId'],
    [{ ttl: 5 }, 'ttl'],
  ])('refuses %j before any AWS call', async (override, message) => {
    const ctx = createMockActionContext({ input: { ...input, ...override } });
    const failure = action.handler(ctx);
    await expect(failure).rejects.toThrow(InputError);
    await expect(failure).rejects.toThrow(message);
    expect(clients.ec2).not.toHaveBeenCalled();
    expect(clients.route53).not.toHaveBeenCalled();
  });

  it('makes no AWS call in a dry run', async () => {
    const ctx = { ...createMockActionContext({ input }), isDryRun: true };
    await action.handler(ctx);
    expect(clients.ec2).not.toHaveBeenCalled();
    expect(clients.route53).not.toHaveBeenCalled();
    expect(ctx.output).toHaveBeenCalledWith('recordType', 'TXT');
  });
});
