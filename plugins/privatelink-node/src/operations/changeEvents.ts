import { LoggerService } from '@backstage/backend-plugin-api';
import {
  describeIssues,
  PRIVATELINK_SERVICE_CHANGED_TOPIC,
  ServiceChangedEvent,
  serviceChangedEventSchema,
} from '@privatelink-backstage/plugin-privatelink-common';

/**
 * The part of the events service (`EventsService` of `@backstage/plugin-events-node`) a subscription needs.
 *
 * @public
 */
export interface ChangeEventsSubscriber {
  /** Subscribes `onEvent` to the events of `topics`, under the subscriber id `id`. */
  subscribe(options: {
    id: string;
    topics: string[];
    onEvent: (params: { topic: string; eventPayload: unknown }) => Promise<void>;
  }): Promise<void>;
}

/**
 * Calls `onChange` for every valid `privatelink.service.changed` event, whoever published it (the API, the
 * scaffolder actions, another replica). A malformed payload is logged and dropped; a failing handler is logged,
 * so one bad event never stops the subscription. Resolves once the subscription is made.
 *
 * @public
 */
export async function subscribeToServiceChanges(options: {
  /** The events service. */
  events: ChangeEventsSubscriber;
  /** Unique per subscriber, e.g. `privatelink-entity-provider`. */
  id: string;
  /** Where malformed events and failing handlers are logged. */
  logger: LoggerService;
  /** Called with each valid event's payload. */
  onChange: (event: ServiceChangedEvent) => Promise<void> | void;
}): Promise<void> {
  const { events, id, logger, onChange } = options;
  await events.subscribe({
    id,
    topics: [PRIVATELINK_SERVICE_CHANGED_TOPIC],
    onEvent: async params => {
      const parsed = serviceChangedEventSchema.safeParse(params.eventPayload);
      if (!parsed.success) {
        logger.warn(`Ignoring a malformed ${PRIVATELINK_SERVICE_CHANGED_TOPIC} event: ${describeIssues(parsed.error)}`);
        return;
      }
      try {
        await onChange(parsed.data);
      } catch (e) {
        logger.error(`Handling a ${PRIVATELINK_SERVICE_CHANGED_TOPIC} event failed`, { subscriber: id, ...parsed.data, error: (e as Error).message });
      }
    },
  });
}
