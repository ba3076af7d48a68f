import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
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
      },
      async init({ scaffolderActions, config }) {
        const ec2 = createEc2ClientFactory(config);
        const allowWildcardPrincipal =
          config.getOptionalBoolean('privatelink.allowWildcardPrincipal') ?? false;
        scaffolderActions.addActions(createAllowPrincipalsAction({ ec2, allowWildcardPrincipal }));
      },
    });
  },
});
