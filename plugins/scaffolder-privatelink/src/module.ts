import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { eventsPublisher, privatelinkConfigServiceRef } from '@privatelink-backstage/plugin-privatelink-node';
import { createAwsClientFactories } from './aws';
import { actionsConfig } from './config';
import { createActionWrites } from './lib/writes';
import { lifecycleNotifier } from '@privatelink-backstage/plugin-privatelink-node';
import { createAcceptConnectionsAction } from './actions/acceptConnections';
import { createAllowPrincipalsAction } from './actions/allowPrincipals';
import { createEndpointServiceAction } from './actions/createEndpointService';
import { createNetworkLoadBalancerAction } from './actions/createNetworkLoadBalancer';
import { createRejectConnectionsAction } from './actions/rejectConnections';
import { createRevokePrincipalsAction } from './actions/revokePrincipals';
import { createVerifyPrivateDnsAction } from './actions/verifyPrivateDns';
import { createVpcEndpointAction } from './actions/createVpcEndpoint';
import { createUpdateEndpointServiceAction } from './actions/updateEndpointService';
import { createRetireEndpointServiceAction } from './actions/retireEndpointService';
import { createDeleteVpcEndpointAction } from './actions/deleteVpcEndpoint';
import { createDeleteNetworkLoadBalancerAction } from './actions/deleteNetworkLoadBalancer';

/**
 * Registers the `aws:privatelink:*` actions with the scaffolder. Every action authorises the person who started
 * the task, writes its attempt to the PrivateLink backend plugin's audit log and announces its changes, through
 * the write path shared with the API.
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
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        userInfo: coreServices.userInfo,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
        privatelinkConfig: privatelinkConfigServiceRef,
        notifications: notificationService,
      },
      async init({ scaffolderActions, config, logger, permissions, userInfo, auth, discovery, catalog, events, privatelinkConfig, notifications }) {
        // The backend's one validated block; its accounts are live (configured, and discovered when set up).
        const settings = actionsConfig(privatelinkConfig.config);
        const clients = createAwsClientFactories(config);
        const writes = createActionWrites({
          config: settings.privatelink,
          permissions,
          userInfo,
          catalog,
          ec2: clients.ec2,
          // The catalog module re-reads the service and the backend plugin drops its cached details: seconds.
          publish: eventsPublisher(events),
          logger,
          discovery,
          auth,
          notify: lifecycleNotifier(notifications),
        });
        const { tagKeys } = settings.privatelink;
        scaffolderActions.addActions(
          createNetworkLoadBalancerAction({ clients, tagKeys, writes }),
          createEndpointServiceAction({ clients, tagKeys, emulator: settings.emulator, writes }),
          createAllowPrincipalsAction({ writes, allowWildcardPrincipal: settings.privatelink.allowWildcardPrincipal }),
          createRevokePrincipalsAction({ writes }),
          createVerifyPrivateDnsAction({ clients, writes }),
          createVpcEndpointAction({ ec2: clients.ec2, tagKeys, writes }),
          createAcceptConnectionsAction({ writes }),
          createRejectConnectionsAction({ writes }),
          createUpdateEndpointServiceAction({ writes }),
          createRetireEndpointServiceAction({ writes }),
          createDeleteVpcEndpointAction({ writes }),
          createDeleteNetworkLoadBalancerAction({ clients, tagKeys, writes, emulator: settings.emulator }),
        );
      },
    });
  },
});
