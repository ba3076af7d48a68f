import { ActionWrites } from '../lib/writes';
import { examples } from './allowPrincipals.examples';
import { createPrincipalsChangeAction } from './principalsChange';

/**
 * `aws:privatelink:principals:allow`: lets principals (accounts, roles, users) create endpoints to a service.
 * Principals that are already allowed are left alone, so a retried task changes nothing twice.
 */
export function createAllowPrincipalsAction(options: { writes: ActionWrites; allowWildcardPrincipal: boolean }) {
  return createPrincipalsChangeAction('allow', { ...options, examples });
}
