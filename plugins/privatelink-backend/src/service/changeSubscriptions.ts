import { LoggerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import { ServiceChangedEvent } from '@privatelink-backstage/plugin-privatelink-common';
import { subscribeToServiceChanges } from '@privatelink-backstage/plugin-privatelink-node';
import { ServiceDetailsCache } from './detailsCache';

/**
 * Drops what the details cache holds of a service whenever a change to it is announced, whoever made it: this
 * plugin's API, the scaffolder actions, or another backend replica (through the events backend).
 */
export async function subscribeDetailsCacheToChanges(options: {
  events: EventsService;
  details: Pick<ServiceDetailsCache, 'invalidate'>;
  logger: LoggerService;
}): Promise<void> {
  await subscribeToServiceChanges({
    events: options.events,
    id: 'privatelink-details-cache',
    logger: options.logger,
    onChange: change => options.details.invalidate(change.serviceId),
  });
}

/** The follow-up's queue, as the subscription leaves it. */
export interface ApprovalFollowUpQueue {
  /** Settles once every follow-up queued so far has finished (for tests and shutdown). */
  idle(): Promise<void>;
}

/**
 * Runs the follow-up of approved access requests on a service as soon as a change to it is announced (a consumer
 * created its endpoint through the template, an owner changed the service), instead of at the next run of the
 * scheduled job; the job stays the safety net for lost events.
 *
 * The announcement is not held up: the events service waits for its subscribers, and an acceptance announces a
 * change itself, so a follow-up awaited inside the subscription would wait for itself. Follow-ups run one at a
 * time in this process, so that two announcements never accept the same endpoint twice; a failure is logged and
 * the next one runs.
 */
export async function subscribeApprovalFollowUpToChanges(options: {
  events: EventsService;
  logger: LoggerService;
  followUp: (change: ServiceChangedEvent) => Promise<unknown>;
}): Promise<ApprovalFollowUpQueue> {
  let queue: Promise<void> = Promise.resolve();
  await subscribeToServiceChanges({
    events: options.events,
    id: 'privatelink-approval-follow-up',
    logger: options.logger,
    onChange: change => {
      queue = queue.then(async () => {
        try {
          await options.followUp(change);
        } catch (e) {
          options.logger.error('The follow-up of approved access requests failed', { ...change, error: (e as Error).message });
        }
      });
    },
  });
  return { idle: () => queue };
}
