import { LoggerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import {
  describeIssues,
  PRIVATELINK_SERVICE_CHANGED_TOPIC,
  serviceChangedEventSchema,
} from '@privatelink-backstage/plugin-privatelink-common';
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
  const { events, details, logger } = options;
  await events.subscribe({
    id: 'privatelink-details-cache',
    topics: [PRIVATELINK_SERVICE_CHANGED_TOPIC],
    onEvent: async params => {
      const parsed = serviceChangedEventSchema.safeParse(params.eventPayload);
      if (!parsed.success) {
        logger.warn(`Ignoring a malformed ${PRIVATELINK_SERVICE_CHANGED_TOPIC} event: ${describeIssues(parsed.error)}`);
        return;
      }
      details.invalidate(parsed.data.serviceId);
    },
  });
}
