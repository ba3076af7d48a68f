import { DescribeVpcEndpointConnectionsCommand } from '@aws-sdk/client-ec2';
import { AuthService, BackstageCredentials, LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EventsService } from '@backstage/plugin-events-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  ANNOTATIONS,
  describeIssues,
  isSyncedEntity,
  normalizeEndpointState,
  PendingConnectionEvent,
  pendingConnectionEventSchema,
  PRIVATELINK_CONNECTION_PENDING_TOPIC,
  ServiceChangedEvent,
  toFullEntityRef,
  VPC_ENDPOINT_TYPE,
} from '@privatelink-backstage/plugin-privatelink-common';
import {
  configuredAccount,
  Ec2ClientFactory,
  findTrustedService,
  PrivateLinkConfig,
  TrustedService,
} from '@privatelink-backstage/plugin-privatelink-node';
import { Knex } from 'knex';

const TABLE = 'privatelink_pending_notifications';

/** One connection: the endpoint service it is to, and the consumer's endpoint. */
export type PendingConnectionKey = Pick<PendingConnectionEvent, 'accountId' | 'region' | 'serviceId' | 'endpointId'>;

/** The record of the connections whose owners were notified, shared by every replica through the database. */
export interface PendingNotificationStore {
  /**
   * Records that the owners of this connection are being notified. True only for the one caller whose insert
   * created the row; false when the row was there (another replica, or an earlier announcement, notified).
   */
  claim(connection: PendingConnectionKey & { serviceRef: string; consumerAccountId?: string }): Promise<boolean>;
  /** Removes the record again (the notification could not be sent), so that a later attempt may notify. */
  release(connection: PendingConnectionKey): Promise<void>;
}

/**
 * The {@link PendingNotificationStore} in the plugin's database (SQLite or PostgreSQL). Its table comes with the
 * plugin's migrations, which `createPrivateLinkStore` runs: create this one after it.
 */
export function createPendingNotificationStore(db: Knex): PendingNotificationStore {
  const keyOf = (c: PendingConnectionKey) => ({
    account_id: c.accountId,
    region: c.region,
    service_id: c.serviceId,
    endpoint_id: c.endpointId,
  });
  return {
    async claim(connection) {
      // One statement: of two replicas inserting the same connection at once, the database lets exactly one create it.
      const created = await db(TABLE)
        .insert({
          ...keyOf(connection),
          service_ref: connection.serviceRef,
          consumer_account_id: connection.consumerAccountId ?? null,
          notified_at: new Date().toISOString(),
        })
        .onConflict(['account_id', 'region', 'service_id', 'endpoint_id'])
        .ignore()
        .returning('endpoint_id');
      return created.length === 1;
    },
    async release(connection) {
      await db(TABLE).where(keyOf(connection)).delete();
    },
  };
}

/**
 * How handling one announcement ended:
 * - `notified`: this call notified the service's owners;
 * - `already-notified`: the connection's owners were notified before (here, by another replica, or for an earlier
 *   announcement);
 * - `not-pending`: EC2 says the connection does not await acceptance (any more), or is no connection of the service;
 * - `untrusted`: the account is not configured, or the entity is no endpoint service the sync wrote;
 * - `not-found`: no synced entity of the service is in the catalog (yet: a new service is processed after the
 *   sync's mutation), to be tried again;
 * - `no-owner`: the service's entity names no owner.
 */
export type PendingNotificationOutcome = 'notified' | 'already-notified' | 'not-pending' | 'untrusted' | 'not-found' | 'no-owner';

/** What {@link PendingConnectionNotifier} works with. */
export interface PendingConnectionNotifierOptions {
  /** The catalog, read with the plugin's own credentials. */
  catalog: CatalogService;
  /** For the plugin's own service credentials. */
  auth: Pick<AuthService, 'getOwnServiceCredentials'>;
  /** The configured (and discovered) accounts. */
  config: Pick<PrivateLinkConfig, 'accounts'>;
  /** EC2 clients in the service's account, to read the connection again. */
  ec2: Ec2ClientFactory;
  store: PendingNotificationStore;
  notifications: NotificationService;
  /** Link to an entity page in the frontend; the notification links to its PrivateLink tab. */
  entityLink?: (entityRef: string) => string;
  logger: LoggerService;
}

/**
 * Tells the owners of an endpoint service of a new connection awaiting their acceptance, once per connection,
 * trusting nothing of the announcement but the ids it names: the service is the synced entity of a configured
 * account, the connection awaits acceptance in AWS as it is read now, the consumer account is EC2's and the
 * owner the entity's. Of every replica and every repeated announcement, only the one whose insert into the
 * shared table creates the connection's row sends the notification; a notification that cannot be sent gives
 * the row back.
 */
export class PendingConnectionNotifier {
  readonly #o: PendingConnectionNotifierOptions;

  constructor(options: PendingConnectionNotifierOptions) {
    this.#o = options;
  }

  /** Handles one (validated) announcement; throws when AWS, the catalog, the database or the notification fails. */
  async handle(event: PendingConnectionEvent): Promise<PendingNotificationOutcome> {
    const { logger } = this.#o;
    const credentials = await this.#o.auth.getOwnServiceCredentials();
    const target: ServiceChangedEvent = { accountId: event.accountId, region: event.region, serviceId: event.serviceId };
    let service: TrustedService;
    try {
      service = await findTrustedService({ catalog: this.#o.catalog, config: this.#o.config, target, credentials });
    } catch (e) {
      const name = (e as Error).name;
      if (name === 'NotFoundError') return 'not-found';
      if (name === 'NotAllowedError') {
        logger.warn('Not notifying of a pending connection to a service PrivateLink does not manage', { ...event, error: (e as Error).message });
        return 'untrusted';
      }
      throw e;
    }

    const connection = await this.#readConnection(service.target, event.endpointId);
    if (connection?.state !== 'pendingAcceptance') {
      logger.info('Not notifying of a connection that does not await acceptance in AWS', {
        ...event,
        state: connection?.state ?? 'no such connection',
      });
      return 'not-pending';
    }
    const owner = toFullEntityRef(service.entity.spec?.owner, 'group');
    if (!owner) {
      logger.warn('Not notifying of a pending connection: the service names no owner', { ...event, serviceRef: service.ref });
      return 'no-owner';
    }

    const key = { ...target, endpointId: event.endpointId };
    const claimed = await this.#o.store.claim({ ...key, serviceRef: service.ref, consumerAccountId: connection.ownerAccountId });
    if (!claimed) return 'already-notified';
    try {
      const consumerOwner = await this.#consumerOwner(event.endpointId, connection.ownerAccountId, credentials);
      await this.#o.notifications.send({
        recipients: { type: 'entity', entityRef: owner },
        payload: {
          title: `New connection to ${service.entity.metadata.title ?? service.entity.metadata.name} awaits acceptance`,
          description: describeConsumer(this.#o.config, event.endpointId, connection.ownerAccountId, consumerOwner),
          link: this.#o.entityLink ? `${this.#o.entityLink(service.ref)}/privatelink` : undefined,
          topic: 'privatelink',
          // One notification per connection, also if it is ever sent twice.
          scope: `${PRIVATELINK_CONNECTION_PENDING_TOPIC}:${key.accountId}/${key.region}/${key.serviceId}/${key.endpointId}`,
          severity: 'normal',
        },
      });
    } catch (e) {
      // Not sent: the next attempt (a retry, another announcement) may notify.
      await this.#o.store.release(key);
      throw e;
    }
    logger.info('Notified the owners of a pending connection', { ...key, serviceRef: service.ref, owner });
    return 'notified';
  }

  /** The connection as the provider account sees it now, or undefined when EC2 lists no such connection of the service. */
  async #readConnection(target: ServiceChangedEvent, endpointId: string) {
    const ec2 = await this.#o.ec2(target);
    try {
      const out = await ec2.send(
        new DescribeVpcEndpointConnectionsCommand({
          Filters: [
            { Name: 'service-id', Values: [target.serviceId] },
            { Name: 'vpc-endpoint-id', Values: [endpointId] },
          ],
        }),
      );
      // The filters are checked again here: an emulator may ignore some of them.
      const c = out.VpcEndpointConnections?.find(x => x.VpcEndpointId === endpointId && x.ServiceId === target.serviceId);
      return c && { state: normalizeEndpointState(c.VpcEndpointState), ownerAccountId: c.VpcEndpointOwner };
    } finally {
      ec2.destroy();
    }
  }

  /**
   * The consumer's owner, when it is known: the owner of the consumer's synced vpc-endpoint entity when the
   * consumer's account is configured (the sync then read the endpoint's owner tag in that account), else the
   * account's configured owner. Undefined for an account PrivateLink does not know.
   */
  async #consumerOwner(endpointId: string, accountId: string | undefined, credentials: BackstageCredentials): Promise<string | undefined> {
    const account = accountId ? configuredAccount(this.#o.config, accountId) : undefined;
    if (!account) return undefined;
    try {
      const { items } = await this.#o.catalog.getEntities(
        {
          filter: {
            kind: 'Resource',
            'spec.type': VPC_ENDPOINT_TYPE,
            [`metadata.annotations.${ANNOTATIONS.endpointId}`]: endpointId,
            [`metadata.annotations.${ANNOTATIONS.accountId}`]: account.accountId,
          },
        },
        { credentials },
      );
      const owners = new Set(items.filter(isSyncedEntity).map(e => toFullEntityRef(e.spec?.owner, 'group')).filter(Boolean));
      if (owners.size === 1) return [...owners][0];
    } catch (e) {
      this.#o.logger.debug('Could not read the consumer endpoint from the catalog', { endpointId, error: (e as Error).message });
    }
    // Not in the catalog yet (the sync's mutation is processed after the announcement): the account's owner.
    return toFullEntityRef(account.owner, 'group');
  }
}

function describeConsumer(config: Pick<PrivateLinkConfig, 'accounts'>, endpointId: string, accountId: string | undefined, owner: string | undefined) {
  const name = accountId ? configuredAccount(config, accountId)?.name : undefined;
  const who = accountId ? `Account ${accountId}${name ? ` (${name})` : ''}` : 'An account EC2 did not name';
  return `${who}${owner ? `, owned by ${owner},` : ''} asks to connect through VPC endpoint ${endpointId}. Accept or reject the connection on the service's PrivateLink tab.`;
}

/** How long after a failed or premature attempt the next ones are made (then the announcement is dropped). */
export const PENDING_NOTIFICATION_RETRY_DELAYS_MS = [15_000, 60_000, 300_000];
/** The most connections waiting for another attempt at once; beyond, an announcement that needs one is dropped. */
const MAX_RETRYING = 1000;

/** Runs `fn` after `delayMs` (it settles once the attempt it makes has ended); returns what cancels it. */
export type RetryScheduler = (fn: () => Promise<void>, delayMs: number) => () => void;

const timers: RetryScheduler = (fn, delayMs) => {
  const timer = setTimeout(() => void fn(), delayMs);
  // A retry never keeps the process alive.
  timer.unref?.();
  return () => clearTimeout(timer);
};

/**
 * Subscribes the notifier to {@link PRIVATELINK_CONNECTION_PENDING_TOPIC}. A malformed payload is dropped with a
 * warning. The announcement is handled before the subscription returns (so the sync that published it has done
 * so when its publication returns); one whose service is not in the catalog yet, or whose handling failed, is
 * tried again after each of `retryDelaysMs` and then dropped. `stop` cancels the attempts still waiting.
 */
export async function subscribePendingConnectionNotifications(options: {
  events: Pick<EventsService, 'subscribe'>;
  notifier: Pick<PendingConnectionNotifier, 'handle'>;
  logger: LoggerService;
  retryDelaysMs?: number[];
  schedule?: RetryScheduler;
}): Promise<{ stop(): void }> {
  const { events, notifier, logger } = options;
  const delays = options.retryDelaysMs ?? PENDING_NOTIFICATION_RETRY_DELAYS_MS;
  const schedule = options.schedule ?? timers;
  const waiting = new Map<string, () => void>();
  let stopped = false;

  const attempt = async (event: PendingConnectionEvent, tries: number): Promise<void> => {
    let outcome: PendingNotificationOutcome | 'failed';
    try {
      outcome = await notifier.handle(event);
    } catch (e) {
      logger.warn('Could not notify the owners of a pending connection', { ...event, attempt: tries + 1, error: (e as Error).message });
      outcome = 'failed';
    }
    if (outcome !== 'not-found' && outcome !== 'failed') return;
    const key = `${event.accountId}/${event.region}/${event.serviceId}/${event.endpointId}`;
    if (stopped || waiting.has(key)) return;
    if (tries >= delays.length) {
      logger.warn('Gave up notifying the owners of a pending connection', { ...event, outcome, attempts: tries + 1 });
      return;
    }
    if (waiting.size >= MAX_RETRYING) {
      logger.warn('Too many pending connections wait for another attempt; dropping this announcement', { ...event });
      return;
    }
    waiting.set(
      key,
      schedule(async () => {
        waiting.delete(key);
        if (!stopped) await attempt(event, tries + 1);
      }, delays[tries]),
    );
  };

  await events.subscribe({
    id: 'privatelink-pending-notifications',
    topics: [PRIVATELINK_CONNECTION_PENDING_TOPIC],
    onEvent: async params => {
      const parsed = pendingConnectionEventSchema.safeParse(params.eventPayload);
      if (!parsed.success) {
        logger.warn(`Ignoring a malformed ${PRIVATELINK_CONNECTION_PENDING_TOPIC} event: ${describeIssues(parsed.error)}`);
        return;
      }
      await attempt(parsed.data, 0);
    },
  });
  return {
    stop() {
      stopped = true;
      for (const cancel of waiting.values()) cancel();
      waiting.clear();
    },
  };
}
