import { LoggerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
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
