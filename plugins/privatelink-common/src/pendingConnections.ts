import { z } from 'zod';
import { accountIdSchema, endpointIdSchema, endpointServiceIdSchema, regionSchema } from './validation';

/**
 * Events topic on which the sync announces a connection that awaits the owners' acceptance and was not there at
 * its previous read (payload {@link PendingConnectionEvent}). The backend plugin re-reads the connection in AWS and
 * notifies the service's owners once per connection, whichever replica hears of it; the payload is never taken at
 * its word.
 * @public
 */
export const PRIVATELINK_CONNECTION_PENDING_TOPIC = 'privatelink.connection.pending';

/**
 * One connection in state `pendingAcceptance` to an endpoint service, as the sync saw it from the provider's side:
 * the payload of {@link PRIVATELINK_CONNECTION_PENDING_TOPIC}.
 * @public
 */
export interface PendingConnectionEvent {
  /** 12-digit AWS account id of the endpoint service, e.g. `123456789012`. */
  accountId: string;
  /** AWS region of the endpoint service, e.g. `eu-west-1`. */
  region: string;
  /** Endpoint service id, e.g. `vpce-svc-0123456789abcdef0`. */
  serviceId: string;
  /** The consumer's VPC endpoint id, e.g. `vpce-0123456789abcdef0`. */
  endpointId: string;
  /** 12-digit account id that owns the consumer's endpoint, when EC2 reported it. */
  consumerAccountId?: string;
  /** ISO 8601 time the consumer's endpoint was created, when EC2 reported it. */
  createdAt?: string;
}

/**
 * Validates a {@link PendingConnectionEvent}: every identifier in the form AWS gives it, unknown fields dropped.
 * @public
 */
export const pendingConnectionEventSchema: z.ZodType<PendingConnectionEvent> = z.object({
  accountId: accountIdSchema,
  region: regionSchema,
  serviceId: endpointServiceIdSchema,
  endpointId: endpointIdSchema,
  consumerAccountId: accountIdSchema.optional(),
  createdAt: z.iso.datetime({ offset: true }).optional(),
});
