import {
  DescribeVpcEndpointConnectionsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointServicePermissionsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { pendingConnectionEventSchema } from '@privatelink-backstage/plugin-privatelink-common';
import { readPrivateLinkConfig } from '@privatelink-backstage/plugin-privatelink-node';
import { mockClient } from 'aws-sdk-client-mock';
import { configurationsPage, connection, CONSUMER, endpointId, PROVIDER, REGION, serviceConfiguration, serviceId, serviceRecord } from './__fixtures__/ec2';
import { ConnectionRecord, EndpointServiceRecord } from './aws/types';
import { FIRST_READ_WINDOW_MS, newPendingConnections, publishPendingConnections } from './pendingConnections';
import { PrivateLinkEntityProvider } from './PrivateLinkEntityProvider';

const NOW = Date.parse('2026-12-01T12:00:00.000Z');
const HOUR = 3600 * 1000;
const ago = (ms: number) => new Date(NOW - ms).toISOString();

/** A connection from the consumer account; `createdAt` null: EC2 did not say when. */
function conn(n: number, state: ConnectionRecord['state'], createdAt: string | null = ago(HOUR)): ConnectionRecord {
  return { endpointId: endpointId(n), ownerAccountId: CONSUMER, state, createdAt: createdAt ?? undefined, dnsNames: [] };
}

function service(n: number, connections: ConnectionRecord[] | undefined): EndpointServiceRecord {
  return serviceRecord(n, { serviceName: `com.amazonaws.vpce.${REGION}.${serviceId(n)}`, connections });
}

const ids = (events: Array<{ endpointId: string }>) => events.map(e => e.endpointId);

describe('newPendingConnections', () => {
  it('announces a pending connection that the previous read did not have, with what the provider knows of it', () => {
    const previous = [service(1, [conn(10, 'available')])];
    const current = [service(1, [conn(10, 'available'), conn(11, 'pendingAcceptance', ago(90 * 24 * HOUR))])];
    const events = newPendingConnections(previous, current, { now: NOW });
    expect(events).toEqual([
      {
        accountId: PROVIDER,
        region: REGION,
        serviceId: serviceId(1),
        endpointId: endpointId(11),
        consumerAccountId: CONSUMER,
        createdAt: ago(90 * 24 * HOUR),
      },
    ]);
    // What the backend plugin accepts.
    expect(pendingConnectionEventSchema.parse(events[0])).toEqual(events[0]);
  });

  it('does not announce again what was pending at the previous read, nor what is not pending', () => {
    const previous = [service(1, [conn(10, 'pendingAcceptance')])];
    const current = [service(1, [conn(10, 'pendingAcceptance'), conn(11, 'available'), conn(12, 'rejected'), conn(13, 'pending')])];
    expect(newPendingConnections(previous, current, { now: NOW })).toEqual([]);
  });

  it('announces a connection that was in another state before and awaits acceptance now', () => {
    const previous = [service(1, [conn(10, 'pending')])];
    expect(ids(newPendingConnections(previous, [service(1, [conn(10, 'pendingAcceptance')])], { now: NOW }))).toEqual([endpointId(10)]);
  });

  it('announces every pending connection of a service that was not there at the previous read, however old', () => {
    const previous = [service(1, [])];
    const current = [service(1, []), service(2, [conn(20, 'pendingAcceptance', ago(400 * 24 * HOUR)), conn(21, 'pendingAcceptance', null)])];
    expect(ids(newPendingConnections(previous, current, { now: NOW }))).toEqual([endpointId(20), endpointId(21)]);
  });

  it('on the first read since start, announces only the pending connections created within the window', () => {
    const current = [
      service(1, [
        conn(10, 'pendingAcceptance', ago(HOUR)),
        conn(11, 'pendingAcceptance', ago(FIRST_READ_WINDOW_MS - 1000)),
        conn(12, 'pendingAcceptance', ago(FIRST_READ_WINDOW_MS + 1000)),
        conn(13, 'pendingAcceptance', null),
        conn(14, 'available', ago(HOUR)),
        // A consumer's clock ahead of ours: recent.
        conn(15, 'pendingAcceptance', ago(-5 * 60 * 1000)),
      ]),
    ];
    expect(ids(newPendingConnections(undefined, current, { now: NOW }))).toEqual([endpointId(10), endpointId(11), endpointId(15)]);
    expect(ids(newPendingConnections(undefined, current, { now: NOW, windowMs: 2 * HOUR }))).toEqual([endpointId(10), endpointId(15)]);
  });

  it('uses the window for a service whose connections could not be read before, and announces nothing it cannot read now', () => {
    const previous = [service(1, undefined), service(2, [])];
    const current = [service(1, [conn(10, 'pendingAcceptance', ago(HOUR)), conn(11, 'pendingAcceptance', ago(48 * HOUR))]), service(2, undefined)];
    expect(ids(newPendingConnections(previous, current, { now: NOW }))).toEqual([endpointId(10)]);
  });
});

describe('publishPendingConnections', () => {
  const event = { accountId: PROVIDER, region: REGION, serviceId: serviceId(1), endpointId: endpointId(10) };

  it('publishes each on privatelink.connection.pending and logs, never throws, a failure', async () => {
    const logger = mockServices.logger.mock();
    const publish = jest.fn().mockRejectedValueOnce(new Error('events backend down')).mockResolvedValue(undefined);
    const second = { ...event, endpointId: endpointId(11) };
    await expect(publishPendingConnections({ publish }, [event, second], logger)).resolves.toBe(1);
    expect(publish.mock.calls).toEqual([
      [{ topic: 'privatelink.connection.pending', eventPayload: event }],
      [{ topic: 'privatelink.connection.pending', eventPayload: second }],
    ]);
    expect(logger.warn).toHaveBeenCalledWith('Could not announce a pending connection', expect.objectContaining({ endpointId: endpointId(10), error: 'events backend down' }));
  });

  it('does nothing without an events service', async () => {
    await expect(publishPendingConnections(undefined, [event], mockServices.logger.mock())).resolves.toBe(0);
  });
});

describe('PrivateLinkEntityProvider announcing pending connections', () => {
  const config = readPrivateLinkConfig(
    new ConfigReader({ privatelink: { regions: [REGION], accounts: [{ accountId: PROVIDER }, { accountId: CONSUMER }] } }),
  );

  /** A provider on mocked EC2 whose provider account has service 1 with the connections `connections` returns. */
  function setup(options: { publish?: jest.Mock } = {}) {
    const clients: Record<string, EC2Client> = { [PROVIDER]: new EC2Client({ region: REGION }), [CONSUMER]: new EC2Client({ region: REGION }) };
    const mocks = Object.fromEntries(Object.entries(clients).map(([k, c]) => [k, mockClient(c)]));
    for (const m of Object.values(mocks)) {
      m.on(DescribeVpcEndpointServiceConfigurationsCommand).resolves({ ServiceConfigurations: [] });
      m.on(DescribeVpcEndpointServicePermissionsCommand).resolves({ AllowedPrincipals: [] });
      m.on(DescribeVpcEndpointConnectionsCommand).resolves({ VpcEndpointConnections: [] });
      m.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [] });
    }
    mocks[PROVIDER].on(DescribeVpcEndpointServiceConfigurationsCommand).resolves(configurationsPage([serviceConfiguration(1)]));
    const given = (...connections: ReturnType<typeof connection>[]) =>
      mocks[PROVIDER].on(DescribeVpcEndpointConnectionsCommand).resolves({ VpcEndpointConnections: connections });
    const recent = (n: number, state = 'pendingAcceptance', createdAt = new Date(Date.now() - HOUR)) => ({ ...connection(n, 1, state), CreationTimestamp: createdAt });
    const publish = options.publish ?? jest.fn().mockResolvedValue(undefined);
    const mutations: any[] = [];
    const providerConnection: EntityProviderConnection = { applyMutation: jest.fn(async m => void mutations.push(m)), refresh: jest.fn() };
    const logger = mockServices.logger.mock();
    const provider = new PrivateLinkEntityProvider({ config, clients: { ec2: async t => clients[t.accountId] }, logger, events: { publish } });
    const announced = () => publish.mock.calls.map(([p]) => [p.topic, p.eventPayload.endpointId]);
    return { provider, providerConnection, given, recent, publish, announced, mutations, logger };
  }

  it('announces recent pending connections at the first sync, new ones at the next, and nothing twice', async () => {
    const { provider, providerConnection, given, recent, publish, announced } = setup();
    await provider.connect(providerConnection);
    // Old (the fixture's October 2026) pending connection 10: a backlog, not announced after a restart.
    given(connection(10, 1, 'pendingAcceptance'), recent(11), recent(12, 'available'));
    await provider.refresh();
    expect(announced()).toEqual([['privatelink.connection.pending', endpointId(11)]]);
    expect(publish.mock.calls[0][0].eventPayload).toEqual({
      accountId: PROVIDER,
      region: REGION,
      serviceId: serviceId(1),
      endpointId: endpointId(11),
      consumerAccountId: CONSUMER,
      createdAt: expect.any(String),
    });

    publish.mockClear();
    given(connection(10, 1, 'pendingAcceptance'), recent(11), recent(12, 'available'), recent(13, 'pendingAcceptance', new Date('2026-01-01T00:00:00Z')));
    await provider.refresh();
    // Seen for the first time since the last read: announced however old it says it is.
    expect(announced()).toEqual([['privatelink.connection.pending', endpointId(13)]]);

    publish.mockClear();
    await provider.refresh();
    expect(publish).not.toHaveBeenCalled();
  });

  it('announces a connection that a targeted refresh finds newly pending, after its delta mutation', async () => {
    const { provider, providerConnection, given, recent, publish, announced, mutations } = setup();
    await provider.connect(providerConnection);
    given();
    await provider.refresh();
    expect(publish).not.toHaveBeenCalled();

    given(connection(14, 1, 'pendingAcceptance'));
    const appliedWhenPublished: string[] = [];
    publish.mockImplementation(async () => void appliedWhenPublished.push(mutations.map(m => m.type).join(',')));
    await provider.refreshService({ accountId: PROVIDER, region: REGION, serviceId: serviceId(1) });
    expect(announced()).toEqual([['privatelink.connection.pending', endpointId(14)]]);
    // Published once the refresh's delta mutation was applied: the entity is on its way to the catalog.
    expect(appliedWhenPublished).toEqual(['full,delta']);

    publish.mockClear();
    given(connection(14, 1, 'pendingAcceptance'), recent(15, 'available'));
    await provider.refreshService({ accountId: PROVIDER, region: REGION, serviceId: serviceId(1) });
    expect(publish).not.toHaveBeenCalled();
  });

  it('applies the first-read window to a targeted refresh that comes before any sync', async () => {
    const { provider, providerConnection, given, recent, announced } = setup();
    await provider.connect(providerConnection);
    given(connection(10, 1, 'pendingAcceptance'), recent(11));
    await provider.refreshService({ accountId: PROVIDER, region: REGION, serviceId: serviceId(1) });
    expect(announced()).toEqual([['privatelink.connection.pending', endpointId(11)]]);
  });

  it('announces at the next run what a run that failed before its end found newly pending', async () => {
    const { provider, providerConnection, given, recent, announced } = setup();
    (providerConnection.applyMutation as jest.Mock).mockRejectedValueOnce(new Error('catalog database unavailable'));
    await provider.connect(providerConnection);
    given(recent(11));
    await expect(provider.refresh()).rejects.toThrow('catalog database unavailable');
    expect(announced()).toEqual([]);
    // Its snapshot was kept: 11 is no longer new to the next read, but it was never announced.
    await provider.refresh();
    expect(announced()).toEqual([['privatelink.connection.pending', endpointId(11)]]);
    await provider.refresh();
    expect(announced()).toHaveLength(1);
  });

  it('still applies its mutation when announcing fails, and says so in a warning', async () => {
    const publish = jest.fn().mockRejectedValue(new Error('Service is shutting down'));
    const { provider, providerConnection, given, recent, mutations, logger } = setup({ publish });
    await provider.connect(providerConnection);
    given(recent(11));
    const report = await provider.refresh();
    expect(report.mutation).toBe('full');
    expect(mutations).toHaveLength(1);
    expect(publish).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith('Could not announce a pending connection', expect.objectContaining({ endpointId: endpointId(11), error: 'Service is shutting down' }));
  });
});
