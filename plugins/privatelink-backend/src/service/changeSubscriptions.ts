import { LoggerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import { ServiceChangedEvent } from '@privatelink-backstage/plugin-privatelink-common';
import { subscribeToServiceChanges } from '@privatelink-backstage/plugin-privatelink-node';
import { CatalogReadCache } from './catalogReadCache';

/**
 * Drops what the caches of the cards' data hold of a service whenever a change to it is announced, whoever made it: this
 * plugin's API, the scaffolder actions, or another backend replica (through the events backend).
 *
 * Every replica has a cache of its own, so every replica must hear every change: the subscription's id carries
 * `instanceId`. (The events bus delivers an event once per subscription id across the cluster, and not at all to
 * an id that a local subscriber of the publishing replica has already been given it under.) The bus forgets the
 * subscriptions of replicas that are gone after its window.
 */
export async function subscribeDetailsCacheToChanges(options: {
  events: EventsService;
  caches: ReadonlyArray<Pick<CatalogReadCache<unknown>, 'invalidate'>>;
  logger: LoggerService;
  /** Unique to this backend process, e.g. a random UUID drawn at start. */
  instanceId: string;
}): Promise<void> {
  await subscribeToServiceChanges({
    events: options.events,
    id: `privatelink-details-cache-${options.instanceId}`,
    logger: options.logger,
    onChange: change => {
      for (const cache of options.caches) cache.invalidate(change.serviceId);
    },
  });
}

/**
 * The one queue of this process's follow-ups of approved access requests: the scheduled job's runs and the runs
 * that announcements start go through it one at a time, so that two of them never act on the same request at
 * once here (across replicas, the store's guarded update keeps the first outcome).
 */
export interface ApprovalFollowUpQueue {
  /**
   * Runs `fn` after what is queued before it. A run for `key` that is already waiting (not yet running) is not
   * queued twice: the waiting one will see the same state. Settles when `fn` has run; a failure is logged.
   */
  run(key: string, fn: () => Promise<unknown>): Promise<void>;
  /** Settles once every run queued so far has finished (for shutdown and tests). */
  idle(): Promise<void>;
}

/** Creates an {@link ApprovalFollowUpQueue}. */
export function createApprovalFollowUpQueue(
  logger: LoggerService,
): ApprovalFollowUpQueue {
  let tail: Promise<void> = Promise.resolve();
  const waiting = new Map<string, Promise<void>>();
  return {
    run(key, fn) {
      const queued = waiting.get(key);
      if (queued) return queued;
      const next = tail.then(async () => {
        waiting.delete(key);
        try {
          await fn();
        } catch (e) {
          logger.error('The follow-up of approved access requests failed', {
            key,
            error: (e as Error).message,
          });
        }
      });
      waiting.set(key, next);
      tail = next;
      return next;
    },
    idle: () => tail,
  };
}

/**
 * Runs the follow-up of approved access requests on a service as soon as a change to it is announced (a consumer
 * created its endpoint through the template, an owner changed the service), instead of at the next run of the
 * scheduled job; the job stays the safety net for lost events.
 *
 * The announcement is not held up: the events service waits for its subscribers, and an acceptance announces a
 * change itself, so a follow-up awaited inside the subscription would wait for itself.
 */
export async function subscribeApprovalFollowUpToChanges(options: {
  events: EventsService;
  logger: LoggerService;
  queue: ApprovalFollowUpQueue;
  followUp: (change: ServiceChangedEvent) => Promise<unknown>;
}): Promise<void> {
  await subscribeToServiceChanges({
    events: options.events,
    id: 'privatelink-approval-follow-up',
    logger: options.logger,
    onChange: change => {
      void options.queue.run(
        `${change.accountId}/${change.region}/${change.serviceId}`,
        () => options.followUp(change),
      );
    },
  });
}

/**
 * Closes the open access requests of a service whose retirement is announced (by the scaffolder action, or by
 * another replica), once AWS confirms that the service is gone: an event alone never closes anything.
 */
export async function subscribeRetirementsToChanges(options: {
  events: EventsService;
  logger: LoggerService;
  /** True when AWS no longer has the service (read with the plugin's role in the service's configured account). */
  isGone: (target: ServiceChangedEvent) => Promise<boolean>;
  close: (target: ServiceChangedEvent) => Promise<number>;
}): Promise<void> {
  await subscribeToServiceChanges({
    events: options.events,
    id: 'privatelink-retirements',
    logger: options.logger,
    onChange: async change => {
      if (!change.retired) return;
      try {
        if (!(await options.isGone(change))) {
          options.logger.warn(
            'A retirement was announced for a service that AWS still has; its requests stay open',
            { ...change },
          );
          return;
        }
        const closed = await options.close(change);
        if (closed)
          options.logger.info(
            `Closed ${closed} access request(s) of the retired service ${change.serviceId}`,
          );
      } catch (e) {
        options.logger.warn(
          'Could not close the access requests of a retired service',
          { ...change, error: (e as Error).message },
        );
      }
    },
  });
}
