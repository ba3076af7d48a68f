import { Ec2ClientFactory } from '../aws';
import { OnServiceChanged } from '../lib/input';
import { examples } from './rejectConnections.examples';
import { createConnectionDecisionAction } from './connectionDecision';

/**
 * `aws:privatelink:connections:reject`: rejects connection requests to an endpoint service (pending ones, or
 * accepted ones to cut them off).
 */
export function createRejectConnectionsAction(options: {
  ec2: Ec2ClientFactory;
  onServiceChanged?: OnServiceChanged;
}) {
  return createConnectionDecisionAction('reject', { ...options, examples });
}
