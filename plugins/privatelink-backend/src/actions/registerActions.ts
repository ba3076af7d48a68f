import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { PrivateLinkActionName } from '@privatelink-backstage/plugin-privatelink-node';
import { findEndpointServicesAction, getConsumerConnectionsAction, getEndpointServiceAction, ReadActionsContext } from './readActions';
import { requestAccessAction, reviewAccessRequestAction, WriteActionsContext } from './writeActions';

/**
 * Registers the PrivateLink actions (`privatelink:<name>`) with Backstage's actions registry, those that
 * `privatelink.actions.enabled` names only. Each acts with the caller's own credentials, through the same services
 * as the HTTP API.
 */
export function registerPrivateLinkActions(
  registry: ActionsRegistryService,
  enabled: readonly PrivateLinkActionName[],
  ctx: ReadActionsContext & WriteActionsContext,
): PrivateLinkActionName[] {
  const all = {
    'find-endpoint-services': findEndpointServicesAction,
    'get-endpoint-service': getEndpointServiceAction,
    'get-consumer-connections': getConsumerConnectionsAction,
    'request-access': requestAccessAction,
    'review-access-request': reviewAccessRequestAction,
  } satisfies Record<PrivateLinkActionName, (c: typeof ctx) => Parameters<ActionsRegistryService['register']>[0]>;
  const registered = (Object.keys(all) as PrivateLinkActionName[]).filter(name => enabled.includes(name));
  for (const name of registered) registry.register(all[name](ctx));
  return registered;
}
