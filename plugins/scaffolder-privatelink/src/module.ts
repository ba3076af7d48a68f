import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { PRIVATELINK_SERVICE_CHANGED_TOPIC } from '@privatelink-backstage/plugin-privatelink-common';
import { createAwsClientFactories } from './aws';
import { readActionsConfig } from './config';
import { ServiceChange } from './lib/input';
import { createAcceptConnectionsAction } from './actions/acceptConnections';
import { createAllowPrincipalsAction } from './actions/allowPrincipals';
import { createEndpointServiceAction } from './actions/createEndpointService';
import { createNetworkLoadBalancerAction } from './actions/createNetworkLoadBalancer';
import { createRejectConnectionsAction } from './actions/rejectConnections';
import { createRevokePrincipalsAction } from './actions/revokePrincipals';
import { createVerifyPrivateDnsAction } from './actions/verifyPrivateDns';
import { createVpcEndpointAction } from './actions/createVpcEndpoint';

/**
 * Registers the `aws:privatelink:*` actions with the scaffolder.
 *
 * @public
 */
export const scaffolderModulePrivateLink = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'privatelink',
  register({ registerInit }) {
    registerInit({
      deps: {
        scaffolderActions: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        events: eventsServiceRef,
      },
      async init({ scaffolderActions, config, events }) {
        const clients = createAwsClientFactories(config);
        const settings = readActionsConfig(config);
        // The catalog module of the backend plugin listens and re-reads the service: seconds, not a sync interval.
        const onServiceChanged = async (change: ServiceChange) =>
          events.publish({
            topic: PRIVATELINK_SERVICE_CHANGED_TOPIC,
            eventPayload: change,
          });
        const known = new Set(settings.knownAccountIds);
        scaffolderActions.addActions(
          createNetworkLoadBalancerAction({
            clients,
            tagKeys: settings.tagKeys,
          }),
          createEndpointServiceAction({
            clients,
            tagKeys: settings.tagKeys,
            emulator: settings.emulator,
            onServiceChanged,
          }),
          createAllowPrincipalsAction({
            ec2: clients.ec2,
            allowWildcardPrincipal: settings.allowWildcardPrincipal,
            onServiceChanged,
          }),
          createRevokePrincipalsAction({ ec2: clients.ec2, onServiceChanged }),
          createVerifyPrivateDnsAction({ clients, onServiceChanged }),
          createVpcEndpointAction({
            ec2: clients.ec2,
            tagKeys: settings.tagKeys,
            // Without a list of accounts, any provider account is announced; the catalog ignores unknown ones.
            isKnownAccount: id => known.size === 0 || known.has(id),
            onServiceChanged,
          }),
          createAcceptConnectionsAction({ ec2: clients.ec2, onServiceChanged }),
          createRejectConnectionsAction({ ec2: clients.ec2, onServiceChanged }),
        );
      },
    });
  },
});
