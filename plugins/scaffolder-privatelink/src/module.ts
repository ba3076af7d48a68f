import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { PRIVATELINK_SERVICE_CHANGED_TOPIC } from '@privatelink-backstage/plugin-privatelink-common';
import { createEc2ClientFactory } from './aws';
import { createAllowPrincipalsAction } from './actions/allowPrincipals';

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
        const ec2 = createEc2ClientFactory(config);
        const allowWildcardPrincipal =
          config.getOptionalBoolean('privatelink.allowWildcardPrincipal') ?? false;
        // The catalog module of the backend plugin listens and re-reads the service: seconds, not a sync interval.
        const onServiceChanged = async (change: { accountId: string; region: string; serviceId: string }) =>
          events.publish({ topic: PRIVATELINK_SERVICE_CHANGED_TOPIC, eventPayload: change });
        scaffolderActions.addActions(
          createAllowPrincipalsAction({ ec2, allowWildcardPrincipal, onServiceChanged }),
        );
      },
    });
  },
});
