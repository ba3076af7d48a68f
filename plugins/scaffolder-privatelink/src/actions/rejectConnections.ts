import { ActionWrites } from '../lib/writes';
import { examples } from './rejectConnections.examples';
import { createConnectionDecisionAction } from './connectionDecision';

/**
 * `aws:privatelink:connections:reject`: rejects connection requests to an endpoint service (pending ones, or
 * accepted ones to cut them off).
 */
export function createRejectConnectionsAction(options: { writes: ActionWrites }) {
  return createConnectionDecisionAction('reject', { ...options, examples });
}
