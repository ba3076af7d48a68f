import { z } from 'zod';
import { accountIdSchema, endpointServiceIdSchema, regionSchema } from './validation';

/**
 * Events topic on which a change to one endpoint service is announced (payload {@link ServiceChangedEvent}).
 * The catalog module re-reads that service and applies a delta mutation, and the backend plugin drops what it
 * has cached of it, so the change shows within seconds whichever package made it.
 * @public
 */
export const PRIVATELINK_SERVICE_CHANGED_TOPIC = 'privatelink.service.changed';

/** The payload of {@link PRIVATELINK_SERVICE_CHANGED_TOPIC}: one endpoint service in its account and region. @public */
export const serviceChangedEventSchema: z.ZodType<ServiceChangedEvent> = z.object({
  accountId: accountIdSchema,
  region: regionSchema,
  serviceId: endpointServiceIdSchema,
  retired: z.boolean().optional(),
});

/** One endpoint service in its account and region: the payload of a change event, and what a write acts on. @public */
export interface ServiceChangedEvent {
  /** 12-digit AWS account id the endpoint service is in, e.g. `123456789012`. */
  accountId: string;
  /** AWS region of the endpoint service, e.g. `eu-west-1`. */
  region: string;
  /** Endpoint service id, e.g. `vpce-svc-0123456789abcdef0`. */
  serviceId: string;
  /**
   * Set when the change retired (deleted) the service. A listener checks in AWS that it is gone before acting on it
   * (the backend plugin closes the service's open access requests); the catalog re-reads it as for any change.
   */
  retired?: boolean;
}

/**
 * The `backstage.io/managed-by-location` of every entity the sync emits for one account and region. Only an
 * entity carrying it (the catalog overwrites this annotation on entities read from any other location, so a
 * registered catalog file cannot forge it) is acted on as an endpoint service.
 * @public
 */
export function privatelinkLocationRef(target: { accountId: string; region: string }): string {
  return `privatelink:aws/${target.accountId}/${target.region}`;
}

/** Through which door a change came: an HTTP route, a scaffolder action, or the plugin's own scheduled job. @public */
export type WriteChannel = 'api' | 'scaffolder' | 'job';

/** How an attempted change ended; `started` is a row whose outcome has not been recorded (yet). @public */
export type AuditResult = 'started' | 'success' | 'error' | 'refused';
