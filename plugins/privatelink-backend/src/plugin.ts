import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { readPrivateLinkConfig } from './config';
import { createRouter } from './router';

/**
 * The PrivateLink backend plugin: serves the API at /api/privatelink.
 *
 * @public
 */
export const privatelinkPlugin = createBackendPlugin({
  pluginId: 'privatelink',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
      },
      async init({ config, logger, httpAuth, httpRouter }) {
        // Validated here, at start: a malformed block stops the backend with the bad field named.
        const privatelinkConfig = readPrivateLinkConfig(config);
        logger.info('PrivateLink configured', {
          accounts: privatelinkConfig.accounts.length,
          regions: privatelinkConfig.regions.join(','),
          endpointOverride: privatelinkConfig.endpoint ?? 'none',
          syncEnabled: privatelinkConfig.sync.enabled,
        });
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        httpRouter.use(await createRouter({ httpAuth, config: privatelinkConfig }));
      },
    });
  },
});
