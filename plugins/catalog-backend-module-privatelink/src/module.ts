import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  privatelinkConfigServiceRef,
  subscribeToServiceChanges,
} from '@privatelink-backstage/plugin-privatelink-node';
import { PrivateLinkEntityGuard } from './PrivateLinkEntityGuard';
import { PrivateLinkEntityProvider } from './PrivateLinkEntityProvider';

/**
 * Catalog module that syncs AWS PrivateLink into the catalog: a scheduled full sync of every configured
 * account × region (one run per interval across backend replicas), and a targeted refresh of one service on
 * each `privatelink.service.changed` event. Each connection that newly awaits acceptance is announced on
 * `privatelink.connection.pending`.
 *
 * @public
 */
export const catalogModulePrivateLinkEntityProvider = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'privatelink-entity-provider',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        catalogApi: catalogServiceRef,
        events: eventsServiceRef,
        privatelinkConfig: privatelinkConfigServiceRef,
      },
      async init({
        catalog,
        config,
        logger,
        scheduler,
        auth,
        catalogApi,
        events,
        privatelinkConfig,
      }) {
        // One validated block per backend; its accounts are live (configured, and discovered when set up).
        const privatelink = privatelinkConfig.config;
        // On whether or not the sync runs: no other location may add PrivateLink resources to the catalog.
        catalog.addProcessor(new PrivateLinkEntityGuard());
        if (!privatelink.sync.enabled) {
          logger.info(
            'PrivateLink sync is off (privatelink.sync.enabled: false)',
          );
          return;
        }
        // Pending connections are announced on the events service: the backend plugin notifies the owners.
        const provider = PrivateLinkEntityProvider.fromConfig(privatelink, {
          rootConfig: config,
          logger,
          scheduler,
          catalog: catalogApi,
          auth,
          events,
        });
        catalog.addEntityProvider(provider);

        // A change made anywhere is re-read at once: a delta mutation within seconds, not at the next sync.
        await subscribeToServiceChanges({
          events,
          id: 'privatelink-entity-provider',
          logger,
          onChange: change =>
            provider.refreshService(change).then(() => undefined),
        });
      },
    });
  },
});
