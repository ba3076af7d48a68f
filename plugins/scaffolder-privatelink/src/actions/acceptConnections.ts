import { Ec2ClientFactory } from '../aws';
import { OnServiceChanged } from '../lib/input';
import { examples } from './acceptConnections.examples';
import { createConnectionDecisionAction } from './connectionDecision';

/**
 * `aws:privatelink:connections:accept`: accepts pending connection requests to an endpoint service.
 */
export function createAcceptConnectionsAction(options: {
  ec2: Ec2ClientFactory;
  onServiceChanged?: OnServiceChanged;
}) {
  return createConnectionDecisionAction('accept', { ...options, examples });
}
