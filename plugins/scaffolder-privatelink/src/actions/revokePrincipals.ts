import { ActionWrites } from '../lib/writes';
import { examples } from './revokePrincipals.examples';
import { createPrincipalsChangeAction } from './principalsChange';

/**
 * `aws:privatelink:principals:revoke`: stops principals from creating new endpoints to a service. Principals
 * that are not allowed are left alone, so a retried task changes nothing twice. Endpoints that exist keep
 * their connection; reject them with `aws:privatelink:connections:reject`.
 */
export function createRevokePrincipalsAction(options: { writes: ActionWrites }) {
  return createPrincipalsChangeAction('revoke', { ...options, allowWildcardPrincipal: true, examples });
}
