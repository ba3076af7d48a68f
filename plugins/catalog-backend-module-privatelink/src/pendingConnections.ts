import { LoggerService } from '@backstage/backend-plugin-api';
import {
  PendingConnectionEvent,
  PRIVATELINK_CONNECTION_PENDING_TOPIC,
} from '@privatelink-backstage/plugin-privatelink-common';
import { EndpointServiceRecord } from './aws/types';

/**
 * How old a pending connection may be and still be announced when the provider sees its account × region for the
 * first time since the process started (no earlier read to compare with): a restart does not announce the whole
 * backlog again, but a connection made while the backend was down is still announced.
 */
export const FIRST_READ_WINDOW_MS = 24 * 3600 * 1000;

/**
 * The connections awaiting acceptance in `current` that were not awaiting it in `previous`, the services of the
 * same account × region read earlier, as the payloads of {@link PRIVATELINK_CONNECTION_PENDING_TOPIC}.
 *
 * - `previous` undefined (the first read since start), or a service whose connections could not be read then: only
 *   connections created within `windowMs` of `now` count, so that a restart does not announce every old one.
 * - A service that was not in `previous`: every pending connection of it is new.
 * - A service whose connections cannot be read now: nothing.
 *
 * Deterministic, so that one read gives the same answer on every replica; the backend plugin de-duplicates.
 */
export function newPendingConnections(
  previous: readonly EndpointServiceRecord[] | undefined,
  current: readonly EndpointServiceRecord[],
  options: { now: number; windowMs?: number },
): PendingConnectionEvent[] {
  const windowMs = options.windowMs ?? FIRST_READ_WINDOW_MS;
  const before = previous && new Map(previous.map(s => [s.serviceId, s]));
  const events: PendingConnectionEvent[] = [];
  /** What was pending at the previous read; undefined when not known (first read, or connections unreadable then). */
  const pendingBefore = (serviceId: string): Set<string> | undefined => {
    if (!before) return undefined;
    const earlier = before.get(serviceId);
    // A service that was not there had no connections.
    if (!earlier) return new Set();
    return earlier.connections && new Set(earlier.connections.filter(c => c.state === 'pendingAcceptance').map(c => c.endpointId));
  };
  for (const service of current) {
    if (!service.connections) continue;
    const known = pendingBefore(service.serviceId);
    for (const c of service.connections) {
      if (c.state !== 'pendingAcceptance') continue;
      if (known ? known.has(c.endpointId) : !isRecent(c.createdAt, options.now, windowMs)) continue;
      events.push({
        accountId: service.accountId,
        region: service.region,
        serviceId: service.serviceId,
        endpointId: c.endpointId,
        ...(c.ownerAccountId ? { consumerAccountId: c.ownerAccountId } : {}),
        ...(c.createdAt ? { createdAt: c.createdAt } : {}),
      });
    }
  }
  return events;
}

/** Created within `windowMs` before `now` (or after it: clocks differ). Unknown creation times are not recent. */
function isRecent(createdAt: string | undefined, now: number, windowMs: number): boolean {
  const t = createdAt ? Date.parse(createdAt) : NaN;
  return !Number.isNaN(t) && now - t <= windowMs;
}

/** The part of the events service (`EventsService` of `@backstage/plugin-events-node`) the provider publishes with. */
export interface PendingConnectionPublisher {
  /** Publishes one event. */
  publish(params: { topic: string; eventPayload: unknown }): Promise<void>;
}

/**
 * Publishes each event on {@link PRIVATELINK_CONNECTION_PENDING_TOPIC}, one after the other. A failure is logged as
 * a warning and never thrown: announcing is not the sync's job, and must not break it. Returns how many were
 * published.
 */
export async function publishPendingConnections(
  events: PendingConnectionPublisher | undefined,
  pending: readonly PendingConnectionEvent[],
  logger: LoggerService,
): Promise<number> {
  if (!events) return 0;
  let published = 0;
  for (const event of pending) {
    try {
      await events.publish({ topic: PRIVATELINK_CONNECTION_PENDING_TOPIC, eventPayload: event });
      published++;
    } catch (e) {
      logger.warn('Could not announce a pending connection', { ...event, error: (e as Error).message });
    }
  }
  return published;
}
