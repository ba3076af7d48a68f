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

/**
 * Runs the follow-up of approved access requests on a service as soon as a change to it is announced (a consumer
 * created its endpoint through the template, an owner changed the service), instead of at the next run of the
 * scheduled job. Runs one at a time in this process, so that two announcements never accept the same endpoint
 * twice; the scheduled job stays the safety net for lost events.
 */
export async function subscribeApprovalFollowUpToChanges(options: {
  events: EventsService;
  logger: LoggerService;
  followUp: (change: ServiceChangedEvent) => Promise<unknown>;
}): Promise<void> {
  let queue: Promise<unknown> = Promise.resolve();
  await subscribeToServiceChanges({
    events: options.events,
    id: 'privatelink-approval-follow-up',
    logger: options.logger,
    onChange: change => {
      const run = queue.then(() => options.followUp(change));
      // The next one waits for this one, whatever its outcome; the subscription logs a failure.
      queue = run.catch(() => undefined);
      return run.then(() => undefined);
    },
  });
}
