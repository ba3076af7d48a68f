import { DescribeVpcEndpointConnectionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockServices, TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { readPrivateLinkConfig } from '@privatelink-backstage/plugin-privatelink-node';
import { mockClient } from 'aws-sdk-client-mock';
import knexFactory, { Knex } from 'knex';
import {
  catalogEntities,
  CONSUMER,
  EP_PENDING,
  forgedServiceEntity,
  OTHER,
  OTHER_SERVICE_ID,
  PROVIDER,
  REGION,
  SERVICE_ID,
  SERVICE_REF,
} from '../__testUtils__/entities';
import {
  createPendingNotificationStore,
  PendingConnectionNotifier,
  PendingNotificationStore,
  RetryScheduler,
  subscribePendingConnectionNotifications,
} from './pendingNotifications';
import { createPrivateLinkStore } from './store';

/**
 * The backend's side of `privatelink.connection.pending`: only a connection that really awaits acceptance, on a
 * service the sync wrote, notifies its owners, once, whichever replica and however often it is announced. The
 * database tests run on SQLite always and on PostgreSQL when a server is given through
 * BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING (scripts/test.sh starts one).
 */
const POSTGRES_IDS = ['18', '17', '16', '15', '14', '13', '12', '11', '9']
  .filter(major => process.env[`BACKSTAGE_TEST_DATABASE_POSTGRES${major}_CONNECTION_STRING`])
  .map(major => `POSTGRES_${major}` as TestDatabaseId);
const databases = TestDatabases.create({ ids: ['SQLITE_3', ...POSTGRES_IDS], disableDocker: true });

const ec2 = mockClient(EC2Client);
afterAll(() => ec2.restore());

const SERVICE_OWNER = 'group:default/orders';
const EVENT = { accountId: PROVIDER, region: REGION, serviceId: SERVICE_ID, endpointId: EP_PENDING, consumerAccountId: CONSUMER };
const LINK = 'https://backstage.example.com/catalog/default/resource/orders-api/privatelink';

const config = readPrivateLinkConfig(
  new ConfigReader({
    privatelink: {
      accounts: [
        { accountId: PROVIDER, name: 'shared-services' },
        { accountId: CONSUMER, name: 'payments-prod', owner: 'group:default/payments' },
      ],
    },
  }),
);

/** What EC2 answers DescribeVpcEndpointConnections with, whatever the filters (as an emulator might). */
function givenConnections(connections: Array<{ endpointId: string; state: string; owner?: string; serviceId?: string }>) {
  ec2.reset();
  ec2.on(DescribeVpcEndpointConnectionsCommand).resolves({
    VpcEndpointConnections: connections.map(c => ({
      ServiceId: c.serviceId ?? SERVICE_ID,
      VpcEndpointId: c.endpointId,
      VpcEndpointOwner: c.owner ?? CONSUMER,
      VpcEndpointState: c.state as any,
    })),
  });
}

/** The catalog of the API tests, with the pending endpoint's entity owned by `consumerOwner` (or left out). */
function catalogWith(options: { consumerOwner?: string | null; entities?: (entities: Entity[]) => Entity[] } = {}) {
  let entities = catalogEntities();
  if (options.consumerOwner === null) entities = entities.filter(e => e.metadata.name !== EP_PENDING);
  else if (options.consumerOwner) {
    entities = entities.map(e => (e.metadata.name === EP_PENDING ? { ...e, spec: { ...e.spec, owner: options.consumerOwner } } : e));
  }
  return catalogServiceMock({ entities: options.entities ? options.entities(entities) : entities });
}

function notifier(options: { store: PendingNotificationStore; send?: jest.Mock; catalog?: CatalogService }) {
  const send = options.send ?? jest.fn(async () => {});
  const logger = mockServices.logger.mock();
  const created = new PendingConnectionNotifier({
    catalog: options.catalog ?? catalogWith(),
    auth: mockServices.auth(),
    config,
    ec2: async target => new EC2Client({ region: target.region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
    store: options.store,
    notifications: { send },
    entityLink: ref => `https://backstage.example.com/catalog/default/resource/${ref.split('/')[1]}`,
    logger,
  });
  return { notifier: created, send, logger };
}

async function database(id: TestDatabaseId = 'SQLITE_3') {
  const knex = await databases.init(id);
  // The plugin's own migrations, as it runs them at start.
  await createPrivateLinkStore(mockServices.database({ knex }));
  return { knex, store: createPendingNotificationStore(knex) };
}

const rows = (knex: Knex) => knex('privatelink_pending_notifications').select();
const describeFilters = () => ec2.commandCalls(DescribeVpcEndpointConnectionsCommand).map(c => c.args[0].input.Filters);

describe('PendingConnectionNotifier', () => {
  it('notifies the service owner once of a connection that awaits acceptance in AWS, naming the consumer and its owner', async () => {
    givenConnections([{ endpointId: EP_PENDING, state: 'pendingAcceptance' }]);
    const { knex, store } = await database();
    const { notifier: n, send } = notifier({ store, catalog: catalogWith({ consumerOwner: 'group:default/payments-core' }) });

    await expect(n.handle(EVENT)).resolves.toBe('notified');

    expect(send).toHaveBeenCalledTimes(1);
    expect(send).toHaveBeenCalledWith({
      recipients: { type: 'entity', entityRef: SERVICE_OWNER },
      payload: {
        title: 'New connection to Orders API awaits acceptance',
        description: `Account ${CONSUMER} (payments-prod), owned by group:default/payments-core, asks to connect through VPC endpoint ${EP_PENDING}. Accept or reject the connection on the service's PrivateLink tab.`,
        link: LINK,
        topic: 'privatelink',
        scope: `privatelink.connection.pending:${PROVIDER}/${REGION}/${SERVICE_ID}/${EP_PENDING}`,
        severity: 'normal',
      },
    });
    // The connection was read again in the service's account, by its service and endpoint.
    expect(describeFilters()).toEqual([
      [
        { Name: 'service-id', Values: [SERVICE_ID] },
        { Name: 'vpc-endpoint-id', Values: [EP_PENDING] },
      ],
    ]);
    expect(await rows(knex)).toEqual([
      expect.objectContaining({ account_id: PROVIDER, region: REGION, service_id: SERVICE_ID, endpoint_id: EP_PENDING, service_ref: SERVICE_REF, consumer_account_id: CONSUMER }),
    ]);
  });

  it("takes the consumer account from EC2, not from the announcement, and its owner from the account's configuration when the catalog has no entity yet", async () => {
    givenConnections([{ endpointId: EP_PENDING, state: 'pendingAcceptance' }]);
    const { store } = await database();
    const { notifier: n, send } = notifier({ store, catalog: catalogWith({ consumerOwner: null }) });
    await expect(n.handle({ ...EVENT, consumerAccountId: OTHER })).resolves.toBe('notified');
    expect(send.mock.calls[0][0].payload.description).toBe(
      `Account ${CONSUMER} (payments-prod), owned by group:default/payments, asks to connect through VPC endpoint ${EP_PENDING}. Accept or reject the connection on the service's PrivateLink tab.`,
    );
  });

  it('names no owner for a consumer account PrivateLink does not know', async () => {
    givenConnections([{ endpointId: EP_PENDING, state: 'pendingAcceptance', owner: OTHER }]);
    const { store } = await database();
    const { notifier: n, send } = notifier({ store });
    await expect(n.handle(EVENT)).resolves.toBe('notified');
    expect(send.mock.calls[0][0].payload.description).toBe(
      `Account ${OTHER} asks to connect through VPC endpoint ${EP_PENDING}. Accept or reject the connection on the service's PrivateLink tab.`,
    );
  });

  it.each([
    ['is available in AWS', [{ endpointId: EP_PENDING, state: 'available' }]],
    ['was rejected in AWS', [{ endpointId: EP_PENDING, state: 'rejected' }]],
    ['is no connection of the service in AWS', []],
    ['is a connection of another service (the filters ignored)', [{ endpointId: EP_PENDING, state: 'pendingAcceptance', serviceId: OTHER_SERVICE_ID }]],
  ])('does not notify of a connection that %s', async (_, connections) => {
    givenConnections(connections);
    const { knex, store } = await database();
    const { notifier: n, send } = notifier({ store });
    await expect(n.handle(EVENT)).resolves.toBe('not-pending');
    expect(send).not.toHaveBeenCalled();
    expect(await rows(knex)).toEqual([]);
  });

  it('does not notify of a service the sync did not write: only a registered copy of it is in the catalog', async () => {
    givenConnections([{ endpointId: EP_PENDING, state: 'pendingAcceptance' }]);
    const { knex, store } = await database();
    // The copy carries orders-api's annotations exactly, but was registered from a file; the real entity is gone.
    const catalog = catalogWith({ entities: entities => [...entities.filter(e => e.metadata.name !== 'orders-api'), forgedServiceEntity()] });
    const { notifier: n, send } = notifier({ store, catalog });
    await expect(n.handle(EVENT)).resolves.toBe('not-found');
    expect(send).not.toHaveBeenCalled();
    // Not even AWS was asked.
    expect(describeFilters()).toEqual([]);
    expect(await rows(knex)).toEqual([]);
  });

  it('does not notify of a service in an account that is not configured', async () => {
    givenConnections([{ endpointId: EP_PENDING, state: 'pendingAcceptance' }]);
    const { store } = await database();
    const { notifier: n, send, logger } = notifier({ store });
    await expect(n.handle({ ...EVENT, accountId: OTHER })).resolves.toBe('untrusted');
    expect(send).not.toHaveBeenCalled();
    expect(describeFilters()).toEqual([]);
    expect(logger.warn).toHaveBeenCalledWith('Not notifying of a pending connection to a service PrivateLink does not manage', expect.objectContaining({ accountId: OTHER }));
  });

  it('gives the record back when the notification cannot be sent, so that the next attempt notifies', async () => {
    givenConnections([{ endpointId: EP_PENDING, state: 'pendingAcceptance' }]);
    const { knex, store } = await database();
    const send = jest.fn().mockRejectedValueOnce(new Error('notifications backend down')).mockResolvedValue(undefined);
    const { notifier: n } = notifier({ store, send });
    await expect(n.handle(EVENT)).rejects.toThrow('notifications backend down');
    expect(await rows(knex)).toEqual([]);
    await expect(n.handle(EVENT)).resolves.toBe('notified');
    await expect(n.handle(EVENT)).resolves.toBe('already-notified');
    expect(send).toHaveBeenCalledTimes(2);
    expect(await rows(knex)).toHaveLength(1);
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    it('notifies once when the same connection is announced twice', async () => {
      givenConnections([{ endpointId: EP_PENDING, state: 'pendingAcceptance' }]);
      const { knex, store } = await database(databaseId);
      const { notifier: n, send } = notifier({ store });
      await expect(n.handle(EVENT)).resolves.toBe('notified');
      await expect(n.handle(EVENT)).resolves.toBe('already-notified');
      expect(send).toHaveBeenCalledTimes(1);
      expect(await rows(knex)).toHaveLength(1);
    });

    it('notifies once when two replicas on one database handle the same connection at once', async () => {
      givenConnections([{ endpointId: EP_PENDING, state: 'pendingAcceptance' }]);
      const { knex, store } = await database(databaseId);
      // On PostgreSQL the second replica has a pool of its own, so the two inserts race across connections.
      const other = databaseId.startsWith('POSTGRES') ? knexFactory(knex.client.config) : knex;
      try {
        const send = jest.fn(async () => {});
        const replicas = [notifier({ store, send }).notifier, notifier({ store: createPendingNotificationStore(other), send }).notifier];
        for (const endpointId of ['vpce-0aaaaaaaaaaaa0010', 'vpce-0aaaaaaaaaaaa0011', 'vpce-0aaaaaaaaaaaa0012']) {
          givenConnections([{ endpointId, state: 'pendingAcceptance' }]);
          const outcomes = await Promise.all(Array.from({ length: 6 }, (_, i) => replicas[i % 2].handle({ ...EVENT, endpointId })));
          expect(outcomes.filter(o => o === 'notified')).toHaveLength(1);
          expect(outcomes.filter(o => o === 'already-notified')).toHaveLength(5);
        }
        expect(send).toHaveBeenCalledTimes(3);
        expect(new Set(send.mock.calls.map(([n]: any) => n.payload.scope)).size).toBe(3);
        expect(await rows(knex)).toHaveLength(3);
      } finally {
        if (other !== knex) await other.destroy();
      }
    });

    it('migrates its table with the plugin, and rolls it back', async () => {
      const { knex } = await database(databaseId);
      expect(Object.keys(await knex('privatelink_pending_notifications').columnInfo()).sort()).toEqual(
        ['account_id', 'consumer_account_id', 'endpoint_id', 'notified_at', 'region', 'service_id', 'service_ref'].sort(),
      );
      await knex.migrate.rollback({ directory: `${__dirname}/../../migrations` }, true);
      expect(await knex.schema.hasTable('privatelink_pending_notifications')).toBe(false);
    });
  });
});

describe('subscribePendingConnectionNotifications', () => {
  /** A scheduler the test runs by hand: what is due, and a way to run it. */
  function manualScheduler() {
    const due: Array<{ fn: () => Promise<void>; delayMs: number; cancelled: boolean }> = [];
    const schedule: RetryScheduler = (fn, delayMs) => {
      const entry = { fn, delayMs, cancelled: false };
      due.push(entry);
      return () => {
        entry.cancelled = true;
      };
    };
    /** Runs the retries due so far, and resolves with their delays once their attempts have ended. */
    const runDue = async () => {
      const now = due.splice(0).filter(e => !e.cancelled);
      await Promise.all(now.map(e => e.fn()));
      return now.map(e => e.delayMs);
    };
    return { schedule, runDue, due };
  }

  async function subscribed(handle: jest.Mock) {
    const events = mockServices.events.mock();
    const logger = mockServices.logger.mock();
    const scheduler = manualScheduler();
    const notifierMock = { handle };
    const subscription = await subscribePendingConnectionNotifications({
      events,
      notifier: notifierMock,
      logger,
      retryDelaysMs: [10, 20],
      schedule: scheduler.schedule,
    });
    const [[options]] = events.subscribe.mock.calls;
    return { options, notifier: notifierMock, logger, scheduler, subscription };
  }

  it('subscribes to privatelink.connection.pending and handles a valid event before the publication returns', async () => {
    const handle = jest.fn(async () => 'notified');
    const { options, notifier: n } = await subscribed(handle);
    expect(options).toMatchObject({ id: 'privatelink-pending-notifications', topics: ['privatelink.connection.pending'] });
    await options.onEvent({ topic: 'privatelink.connection.pending', eventPayload: { ...EVENT, extra: 'dropped' } });
    expect(n.handle).toHaveBeenCalledWith(EVENT);
  });

  it('drops a malformed event with a warning, without handling it', async () => {
    const handle = jest.fn(async () => 'notified');
    const { options, notifier: n, logger } = await subscribed(handle);
    await options.onEvent({ topic: 'privatelink.connection.pending', eventPayload: { ...EVENT, endpointId: 'vpce-svc-0123456789abcdef0' } });
    await options.onEvent({ topic: 'privatelink.connection.pending', eventPayload: 'hello' });
    expect(n.handle).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('Ignoring a malformed privatelink.connection.pending event: endpointId:'));
  });

  it('tries again when the service is not in the catalog yet or the handling failed, then gives up', async () => {
    const handle = jest
      .fn()
      .mockResolvedValueOnce('not-found')
      .mockRejectedValueOnce(new Error('throttled'))
      .mockResolvedValueOnce('not-found');
    const { options, notifier: n, scheduler, logger } = await subscribed(handle);
    await options.onEvent({ topic: 'privatelink.connection.pending', eventPayload: EVENT });
    expect(n.handle).toHaveBeenCalledTimes(1);
    expect(await scheduler.runDue()).toEqual([10]);
    expect(n.handle).toHaveBeenCalledTimes(2);
    expect(logger.warn).toHaveBeenCalledWith('Could not notify the owners of a pending connection', expect.objectContaining({ error: 'throttled', attempt: 2 }));
    expect(await scheduler.runDue()).toEqual([20]);
    expect(n.handle).toHaveBeenCalledTimes(3);
    expect(await scheduler.runDue()).toEqual([]);
    expect(logger.warn).toHaveBeenCalledWith('Gave up notifying the owners of a pending connection', expect.objectContaining({ endpointId: EP_PENDING, attempts: 3 }));
  });

  it('does not try again what was handled, nor schedule a second retry for a connection already waiting for one', async () => {
    const handle = jest.fn().mockResolvedValueOnce('not-found').mockResolvedValueOnce('not-found').mockResolvedValue('notified');
    const { options, notifier: n, scheduler } = await subscribed(handle);
    await options.onEvent({ topic: 'privatelink.connection.pending', eventPayload: EVENT });
    await options.onEvent({ topic: 'privatelink.connection.pending', eventPayload: EVENT });
    expect(scheduler.due).toHaveLength(1);
    expect(await scheduler.runDue()).toEqual([10]);
    expect(n.handle).toHaveBeenCalledTimes(3);
    expect(scheduler.due).toHaveLength(0);
    for (const outcome of ['not-pending', 'untrusted', 'already-notified', 'no-owner']) {
      handle.mockResolvedValueOnce(outcome);
      await options.onEvent({ topic: 'privatelink.connection.pending', eventPayload: EVENT });
    }
    expect(scheduler.due).toHaveLength(0);
  });

  it('cancels the retries still waiting when stopped', async () => {
    const handle = jest.fn(async () => 'not-found');
    const { options, notifier: n, scheduler, subscription } = await subscribed(handle);
    await options.onEvent({ topic: 'privatelink.connection.pending', eventPayload: EVENT });
    subscription.stop();
    expect(await scheduler.runDue()).toEqual([]);
    expect(n.handle).toHaveBeenCalledTimes(1);
  });

  it('with the real notifier: a service processed after the announcement is notified at the retry', async () => {
    givenConnections([{ endpointId: EP_PENDING, state: 'pendingAcceptance' }]);
    const { store } = await database();
    // The catalog before and after it processed the sync's mutation.
    let current = catalogWith({ entities: entities => entities.filter(e => e.metadata.name !== 'orders-api') });
    const catalog = { ...current, getEntities: (...args: Parameters<typeof current.getEntities>) => current.getEntities(...args) };
    const { notifier: real, send } = notifier({ store, catalog });
    const handle = jest.fn((event: any) => real.handle(event));
    const { options, scheduler } = await subscribed(handle);
    await options.onEvent({ topic: 'privatelink.connection.pending', eventPayload: EVENT });
    expect(send).not.toHaveBeenCalled();
    current = catalogWith();
    expect(await scheduler.runDue()).toEqual([10]);
    expect(send).toHaveBeenCalledTimes(1);
    expect(send.mock.calls[0][0].recipients).toEqual({ type: 'entity', entityRef: SERVICE_OWNER });
  });
});
