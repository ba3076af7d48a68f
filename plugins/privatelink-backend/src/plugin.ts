import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { parseEntityRef } from '@backstage/catalog-model';
import { privatelinkPermissions } from '@privatelink-backstage/plugin-privatelink-common';
import { createAwsClientFactory } from './aws/clients';
import { readPrivateLinkConfig } from './config';
import { createRouter } from './router';
import { createAwsChanges } from './service/awsChanges';
import { PrivateLinkService } from './service/PrivateLinkService';
import { ServiceDetailsCache } from './service/detailsCache';
import { createServiceDetailsReader } from './service/serviceDetails';
import { createPrivateLinkStore } from './service/store';

/**
 * The PrivateLink backend plugin: serves the API at /api/privatelink (service details from the synced
 * catalog, access requests, owner reviews and the audit log).
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
        auditor: coreServices.auditor,
        database: coreServices.database,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
        notifications: notificationService,
      },
      async init(deps) {
        const { config, logger, httpAuth, httpRouter, auditor, database, permissions, permissionsRegistry, scheduler, auth, catalog, events, notifications } = deps;
        // Validated here, at start: a malformed block stops the backend with the bad field named.
        const privatelinkConfig = readPrivateLinkConfig(config);
        logger.info('PrivateLink configured', {
          accounts: privatelinkConfig.accounts.length,
          regions: privatelinkConfig.regions.join(','),
          endpointOverride: privatelinkConfig.endpoint ?? 'none',
          syncEnabled: privatelinkConfig.sync.enabled,
        });
        permissionsRegistry.addPermissions(privatelinkPermissions);

        const appBaseUrl = config.getOptionalString('app.baseUrl') ?? '';
        const reader = createServiceDetailsReader(catalog);
        const details = new ServiceDetailsCache({
          load: (ref, credentials) => reader.getDetails(ref, credentials),
          permissions,
          auth,
          ttlMs: privatelinkConfig.detailsCache.ttlSeconds * 1000,
          maxBytes: privatelinkConfig.detailsCache.maxMegabytes * 1024 * 1024,
        });
        const service = new PrivateLinkService({
          reader,
          store: await createPrivateLinkStore(database),
          aws: createAwsChanges(createAwsClientFactory({ config, endpoint: privatelinkConfig.endpoint })),
          permissions,
          logger,
          events,
          notifications,
          onChanged: target => details.invalidate(target.serviceId),
          entityLink: ref => {
            const { kind, namespace, name } = parseEntityRef(ref);
            return `${appBaseUrl}/catalog/${namespace}/${kind.toLocaleLowerCase('en-US')}/${name}`;
          },
        });

        if (privatelinkConfig.sync.enabled) {
          // Approved consumers whose endpoint appears later are accepted when it does.
          await scheduler.scheduleTask({
            id: 'privatelink-accept-approved-connections',
            frequency: { minutes: 1 },
            timeout: { minutes: 2 },
            initialDelay: { seconds: 30 },
            fn: async () => {
              const credentials = await auth.getOwnServiceCredentials();
              await service.acceptApprovedConnections(ref => catalog.getEntityByRef(ref, { credentials }));
            },
          });
        }

        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        httpRouter.use(await createRouter({ httpAuth, auditor, config: privatelinkConfig, service, details }));
      },
    });
  },
});
