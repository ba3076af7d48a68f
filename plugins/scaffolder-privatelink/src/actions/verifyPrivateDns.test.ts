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
import { ANNOTATION_LOCATION } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError, mockClientFactories } from '../__testUtils__/clients';
import { syncedServiceEntity, testWrites, TEST_ACCOUNTS, TEST_USER } from '../__testUtils__/writes';
import { createVerifyPrivateDnsAction } from './verifyPrivateDns';

const ec2Mock = mockClient(EC2Client);
const route53Mock = mockClient(Route53Client);
const clients = mockClientFactories();

const SERVICE_ID = 'vpce-svc-0123456789abcdef0';
const ZONE = 'Z0123456789ABCDEFGHIJ';
const input = {
  accountId: '123456789012',
  region: 'us-east-1',
  serviceId: SERVICE_ID,
  hostedZoneId: ZONE,
};
const RECORD = '_pl7sx4h3xy6hde8nflgy.orders.internal.example.com';
const entity = syncedServiceEntity({ serviceId: SERVICE_ID, name: 'orders-api' });
const TARGET = { accountId: '123456789012', region: 'us-east-1', serviceId: SERVICE_ID };

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

function setUp(options: Partial<Parameters<typeof testWrites>[0]> = {}) {
  const t = testWrites({ ec2: clients.ec2, entities: [entity], ...options });
  return {
    ...t,
    action: createVerifyPrivateDnsAction({ clients, writes: t.writes, waiterMinDelaySeconds: 0.05 }),
  };
}

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
    ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date() },
  });
  route53Mock.on(GetChangeCommand).resolves({
    ChangeInfo: { Id: '/change/C1', Status: 'INSYNC', SubmittedAt: new Date() },
  });
}

beforeEach(() => {
  ec2Mock.reset();
  route53Mock.reset();
  Object.values(clients).forEach(f => f.mockClear());
});

describe('aws:privatelink:private-dns:verify', () => {
  it('writes the TXT record, waits for Route 53, starts the verification and reports the state, audited and announced', async () => {
    const { action, audit, published } = setUp();
    publicZone();
    ec2Mock
      .on(DescribeVpcEndpointServiceConfigurationsCommand)
      .resolvesOnce(service('pendingVerification'))
      .resolves(service('verified'));
    ec2Mock.on(StartVpcEndpointServicePrivateDnsVerificationCommand).resolves({ ReturnValue: true });
    const ctx = createMockActionContext({ input });

    await action.handler(ctx);

    expect(clients.route53).toHaveBeenCalledWith({ accountId: '123456789012', region: 'us-east-1' });
    expect(route53Mock.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(1);
    expect(route53Mock.commandCalls(ChangeResourceRecordSetsCommand)[0].args[0].input).toMatchObject({
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
    expect(route53Mock.commandCalls(GetChangeCommand)[0].args[0].input).toEqual({ Id: '/change/C1' });
    const start = ec2Mock.commandCalls(StartVpcEndpointServicePrivateDnsVerificationCommand);
    expect(start).toHaveLength(1);
    expect(start[0].args[0].input).toEqual({ ServiceId: SERVICE_ID });
    expect(published).toEqual([TARGET]);
    expect(ctx.output).toHaveBeenCalledWith('recordName', RECORD);
    expect(ctx.output).toHaveBeenCalledWith('recordType', 'TXT');
    expect(ctx.output).toHaveBeenCalledWith('recordValue', 'vpce:q1w2e3r4');
    expect(ctx.output).toHaveBeenCalledWith('state', 'verified');
    expect(ctx.output).toHaveBeenCalledWith('recordWritten', true);
    expect(ctx.output).toHaveBeenCalledWith('verificationStarted', true);
    expect(audit).toEqual([
      expect.objectContaining({
        actor: TEST_USER,
        via: 'scaffolder',
        action: 'private-dns.verify',
        serviceRef: 'resource:default/orders-api',
        ...TARGET,
        details: expect.objectContaining({ hostedZoneId: ZONE, hostedZoneAccountId: '123456789012', startVerification: true }),
        result: 'success',
      }),
    ]);
    expect(audit[0].outcome?.details).toEqual({ state: 'verified', recordWritten: true });
  });

  it('only outputs the record when no hosted zone is given', async () => {
    const { action, audit, published } = setUp();
    ec2Mock.on(DescribeVpcEndpointServiceConfigurationsCommand).resolves(service('pendingVerification'));
    const ctx = createMockActionContext({ input: { ...input, hostedZoneId: undefined } });
    await action.handler(ctx);
    expect(clients.route53).not.toHaveBeenCalled();
    expect(ec2Mock.commandCalls(StartVpcEndpointServicePrivateDnsVerificationCommand)).toHaveLength(0);
    expect(ctx.output).toHaveBeenCalledWith('recordName', RECORD);
    expect(ctx.output).toHaveBeenCalledWith('state', 'pendingVerification');
    expect(ctx.output).toHaveBeenCalledWith('recordWritten', false);
    expect(ctx.output).toHaveBeenCalledWith('verificationStarted', false);
    expect(published).toEqual([]);
    expect(audit).toEqual([expect.objectContaining({ action: 'private-dns.verify', result: 'success' })]);
  });

  it('leaves a record that is in place alone', async () => {
    const { action } = setUp();
    publicZone();
    route53Mock.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [
        { Name: `${RECORD}.`, Type: 'TXT', TTL: 300, ResourceRecords: [{ Value: '"vpce:q1w2e3r4"' }] },
      ],
      IsTruncated: false,
      MaxItems: 1,
    });
    ec2Mock.on(DescribeVpcEndpointServiceConfigurationsCommand).resolves(service('pendingVerification'));
    ec2Mock.on(StartVpcEndpointServicePrivateDnsVerificationCommand).resolves({ ReturnValue: true });
    const ctx = createMockActionContext({ input });
    await action.handler(ctx);
    expect(route53Mock.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(0);
    expect(ctx.output).toHaveBeenCalledWith('recordWritten', false);
    expect(ctx.output).toHaveBeenCalledWith('verificationStarted', true);
  });

  it('keeps the other values of a TXT record that is there, and its TTL', async () => {
    const { action } = setUp();
    publicZone();
    route53Mock.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [{ Name: `${RECORD}.`, Type: 'TXT', TTL: 60, ResourceRecords: [{ Value: '"other"' }] }],
      IsTruncated: false,
      MaxItems: 1,
    });
    ec2Mock.on(DescribeVpcEndpointServiceConfigurationsCommand).resolves(service('pendingVerification'));
    ec2Mock.on(StartVpcEndpointServicePrivateDnsVerificationCommand).resolves({ ReturnValue: true });
    const ctx = createMockActionContext({ input });
    await action.handler(ctx);
    expect(route53Mock.commandCalls(ChangeResourceRecordSetsCommand)[0].args[0].input.ChangeBatch?.Changes?.[0].ResourceRecordSet).toEqual({
      Name: RECORD,
      Type: 'TXT',
      TTL: 60,
      ResourceRecords: [{ Value: '"other"' }, { Value: '"vpce:q1w2e3r4"' }],
    });
  });

  it('does nothing when the name is verified already', async () => {
    const { action, audit, published } = setUp();
    ec2Mock.on(DescribeVpcEndpointServiceConfigurationsCommand).resolves(service('verified'));
    const ctx = createMockActionContext({ input });
    await action.handler(ctx);
    expect(clients.route53).not.toHaveBeenCalled();
    expect(ec2Mock.commandCalls(StartVpcEndpointServicePrivateDnsVerificationCommand)).toHaveLength(0);
    expect(published).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith('state', 'verified');
    expect(ctx.output).toHaveBeenCalledWith('recordWritten', false);
    expect(audit).toEqual([expect.objectContaining({ action: 'private-dns.verify', result: 'success' })]);
    expect(audit[0].outcome?.details).toEqual({ state: 'verified', recordWritten: false });
  });

  it('reports, without failing, a verification that EC2 could not start (a 5xx after the retries)', async () => {
    const { action, audit, published } = setUp();
    publicZone();
    ec2Mock.on(DescribeVpcEndpointServiceConfigurationsCommand).resolves(service('pendingVerification'));
    ec2Mock.on(StartVpcEndpointServicePrivateDnsVerificationCommand).rejects(awsError('InternalError', 500));
    const ctx = createMockActionContext({ input });
    await action.handler(ctx);
    expect(clients.ec2).toHaveBeenCalledWith(expect.anything(), { maxAttempts: 3 });
    expect(ctx.output).toHaveBeenCalledWith('verificationStarted', false);
    expect(ctx.output).toHaveBeenCalledWith('recordWritten', true);
    expect(route53Mock.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(1);
    // The record was written, which is a change: it is announced (the verification itself was not started).
    expect(published).toEqual([TARGET]);
    expect(audit).toEqual([expect.objectContaining({ action: 'private-dns.verify', result: 'success' })]);
  });

  it('removes the record it wrote when starting the verification is refused, and records the error', async () => {
    const { action, audit } = setUp();
    publicZone();
    ec2Mock.on(DescribeVpcEndpointServiceConfigurationsCommand).resolves(service('pendingVerification'));
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
    expect(audit).toEqual([
      expect.objectContaining({ actor: TEST_USER, action: 'private-dns.verify', result: 'error', message: expect.stringContaining('not authorized') }),
    ]);
  });

  it.each([
    [{ Config: { PrivateZone: true }, Name: 'internal.example.com.' }, 'is a private hosted zone'],
    [{ Config: { PrivateZone: false }, Name: 'other.example.org.' }, 'does not belong to the zone other.example.org'],
  ])('refuses a hosted zone %j before writing', async (zone, message) => {
    const { action, audit } = setUp();
    publicZone();
    route53Mock.on(GetHostedZoneCommand).resolves({ HostedZone: { Id: ZONE, CallerReference: 'x', ...zone } });
    ec2Mock.on(DescribeVpcEndpointServiceConfigurationsCommand).resolves(service('pendingVerification'));
    const ctx = createMockActionContext({ input });
    const failure = action.handler(ctx);
    await expect(failure).rejects.toThrow(InputError);
    await expect(failure).rejects.toThrow(message);
    expect(route53Mock.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(0);
    expect(ec2Mock.commandCalls(StartVpcEndpointServicePrivateDnsVerificationCommand)).toHaveLength(0);
    expect(audit).toEqual([expect.objectContaining({ action: 'private-dns.verify', result: 'error', message: expect.stringContaining(message) })]);
  });

  it('refuses a service without a private DNS name', async () => {
    const { action } = setUp();
    ec2Mock.on(DescribeVpcEndpointServiceConfigurationsCommand).resolves({ ServiceConfigurations: [{ ServiceId: SERVICE_ID }] });
    const ctx = createMockActionContext({ input });
    await expect(action.handler(ctx)).rejects.toThrow(/has no private DNS name/);
    expect(clients.route53).not.toHaveBeenCalled();
  });

  it('refuses a service that does not exist', async () => {
    const { action } = setUp();
    ec2Mock
      .on(DescribeVpcEndpointServiceConfigurationsCommand)
      .rejects(awsError('InvalidVpcEndpointServiceId.NotFound', 400));
    const ctx = createMockActionContext({ input });
    const failure = action.handler(ctx);
    await expect(failure).rejects.toThrow(InputError);
    await expect(failure).rejects.toThrow(`serviceId: ${SERVICE_ID} does not exist in this account and region`);
  });

  it.each([
    [{ hostedZoneId: 'not a zone' }, 'hostedZoneId: must be a Route 53 hosted zone id'],
    [{ serviceId: 'vpce-svc-XYZ' }, 'serviceId'],
    [{ hostedZoneAccountId: '12' }, 'hostedZoneAccountId'],
    [{ ttl: 5 }, 'ttl'],
  ])('refuses %j before any AWS call', async (override, message) => {
    const { action, audit } = setUp();
    const ctx = createMockActionContext({ input: { ...input, ...override } });
    const failure = action.handler(ctx);
    await expect(failure).rejects.toThrow(InputError);
    await expect(failure).rejects.toThrow(message);
    expect(clients.ec2).not.toHaveBeenCalled();
    expect(clients.route53).not.toHaveBeenCalled();
    expect(audit).toEqual([]);
  });

  it('makes no AWS call in a dry run, after the same checks', async () => {
    const requests: Array<{ permission: string; resourceRef?: string }> = [];
    const { action, audit, published } = setUp({
      allow: request => {
        requests.push(request);
        return true;
      },
    });
    const ctx = { ...createMockActionContext({ input }), isDryRun: true };
    await action.handler(ctx);
    expect(requests).toEqual([{ permission: 'privatelink.service.manage', resourceRef: 'resource:default/orders-api' }]);
    expect(clients.ec2).not.toHaveBeenCalled();
    expect(clients.route53).not.toHaveBeenCalled();
    expect(ec2Mock.calls()).toHaveLength(0);
    expect(route53Mock.calls()).toHaveLength(0);
    expect(ctx.output).toHaveBeenCalledWith('recordType', 'TXT');
    expect(ctx.output).toHaveBeenCalledWith('recordWritten', true);
    expect(ctx.output).toHaveBeenCalledWith('verificationStarted', true);
    expect(published).toEqual([]);
    expect(audit).toEqual([]);
  });

  describe('a hosted zone in another account', () => {
    const zoneInput = { ...input, hostedZoneAccountId: TEST_ACCOUNTS.consumer };

    it('writes there with the create permission on that account', async () => {
      const requests: Array<{ permission: string; resourceRef?: string }> = [];
      const { action, audit } = setUp({
        allow: request => {
          requests.push(request);
          return true;
        },
      });
      publicZone();
      ec2Mock.on(DescribeVpcEndpointServiceConfigurationsCommand).resolves(service('pendingVerification'));
      ec2Mock.on(StartVpcEndpointServicePrivateDnsVerificationCommand).resolves({ ReturnValue: true });
      const ctx = createMockActionContext({ input: zoneInput });
      await action.handler(ctx);
      expect(requests).toEqual([
        { permission: 'privatelink.service.manage', resourceRef: 'resource:default/orders-api' },
        { permission: 'privatelink.resource.create', resourceRef: TEST_ACCOUNTS.consumer },
      ]);
      expect(clients.route53).toHaveBeenCalledWith({ accountId: TEST_ACCOUNTS.consumer, region: 'us-east-1' });
      expect(clients.route53).not.toHaveBeenCalledWith(expect.objectContaining({ accountId: TEST_ACCOUNTS.provider }));
      expect(route53Mock.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(1);
      expect(audit).toEqual([
        expect.objectContaining({
          action: 'private-dns.verify',
          details: expect.objectContaining({ hostedZoneAccountId: TEST_ACCOUNTS.consumer }),
          result: 'success',
        }),
      ]);
    });

    it('needs no create permission for a zone in the service account', async () => {
      const { action, audit } = setUp({ allow: ({ permission }) => permission !== 'privatelink.resource.create' });
      publicZone();
      ec2Mock.on(DescribeVpcEndpointServiceConfigurationsCommand).resolves(service('pendingVerification'));
      ec2Mock.on(StartVpcEndpointServicePrivateDnsVerificationCommand).resolves({ ReturnValue: true });
      const ctx = createMockActionContext({ input: { ...input, hostedZoneAccountId: TEST_ACCOUNTS.provider } });
      await action.handler(ctx);
      expect(route53Mock.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(1);
      expect(audit).toEqual([expect.objectContaining({ action: 'private-dns.verify', result: 'success' })]);
    });
  });

  describe('refuses, with no AWS call and one refused row', () => {
    const notManager = { allow: ({ permission }: { permission: string }) => permission !== 'privatelink.service.manage' };
    const noCreate = { allow: ({ permission }: { permission: string }) => permission !== 'privatelink.resource.create' };

    it.each([
      ['a user who may not manage the service', notManager, {}, 'privatelink.service.manage is not allowed on resource:default/orders-api'],
      ['in a dry run too', notManager, { isDryRun: true }, 'privatelink.service.manage is not allowed'],
      ['an account that is not configured', {}, { input: { ...input, accountId: '999999999999' } }, 'Account 999999999999 is not configured'],
      ['a service the catalog does not hold', {}, { input: { ...input, serviceId: 'vpce-svc-0aaaaaaaaaaaaaaaa' } }, 'No endpoint service vpce-svc-0aaaaaaaaaaaaaaaa'],
      [
        'a forged entity: the right annotations, registered from a file',
        { entities: [{ ...entity, metadata: { ...entity.metadata, annotations: { ...entity.metadata.annotations, [ANNOTATION_LOCATION]: 'url:https://example.com/catalog-info.yaml' } } }] },
        {},
        'No endpoint service',
      ],
      [
        'a hosted zone in another account, without the create permission there',
        noCreate,
        { input: { ...input, hostedZoneAccountId: TEST_ACCOUNTS.consumer } },
        `privatelink.resource.create is not allowed on account ${TEST_ACCOUNTS.consumer}`,
      ],
      [
        'a hosted zone in another account, in a dry run too',
        noCreate,
        { input: { ...input, hostedZoneAccountId: TEST_ACCOUNTS.consumer }, isDryRun: true },
        `privatelink.resource.create is not allowed on account ${TEST_ACCOUNTS.consumer}`,
      ],
      [
        'a hosted zone in an account that is not configured',
        {},
        { input: { ...input, hostedZoneAccountId: '999999999999' } },
        'Account 999999999999 is not configured under privatelink.accounts',
      ],
    ])('%s', async (_what, options, ctxOverride: any, message) => {
      const { action, audit, published } = setUp(options as any);
      const ctx = { ...createMockActionContext({ input: ctxOverride.input ?? input }), isDryRun: Boolean(ctxOverride.isDryRun) };
      await expect(action.handler(ctx)).rejects.toThrow(message);
      expect(ec2Mock.calls()).toHaveLength(0);
      expect(route53Mock.calls()).toHaveLength(0);
      expect(clients.ec2).not.toHaveBeenCalled();
      expect(clients.route53).not.toHaveBeenCalled();
      expect(published).toEqual([]);
      expect(audit).toEqual([expect.objectContaining({ actor: TEST_USER, via: 'scaffolder', action: 'private-dns.verify', result: 'refused' })]);
      expect(audit[0].message).toContain(message);
    });
  });
});
