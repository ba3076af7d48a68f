import { ActionWrites } from '../lib/writes';
import { examples } from './acceptConnections.examples';
import { createConnectionDecisionAction } from './connectionDecision';

/**
 * `aws:privatelink:connections:accept`: accepts pending connection requests to an endpoint service.
 */
export function createAcceptConnectionsAction(options: { writes: ActionWrites }) {
  return createConnectionDecisionAction('accept', { ...options, examples });
}
