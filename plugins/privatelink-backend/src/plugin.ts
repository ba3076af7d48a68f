import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { parseEntityRef } from '@backstage/catalog-model';
import { randomUUID } from 'node:crypto';
import {
  privatelinkPermissions,
  privatelinkAccountPermissions,
  ServiceChangedEvent,
} from '@privatelink-backstage/plugin-privatelink-common';
import {
  accountResource,
  createEc2ClientFactory,
  createServiceOperations,
  lifecycleNotifier,
  eventsPublisher,
  privatelinkAccountResourceRef,
  privatelinkAccountRules,
  privatelinkConfigServiceRef,
  redactEndpoint,
  WriteGate,
} from '@privatelink-backstage/plugin-privatelink-node';
import { createRouter } from './router';
import { registerPrivateLinkActions } from './actions/registerActions';
import { createAccessResolver } from './service/yourAccess';
import { createServiceSearch } from './service/serviceSearch';
import {
  createApprovalFollowUpQueue,
  subscribeApprovalFollowUpToChanges,
  subscribeDetailsCacheToChanges,
  subscribeRetirementsToChanges,
} from './service/changeSubscriptions';
import { serviceIsGone } from './service/retirements';
import { PrivateLinkService } from './service/PrivateLinkService';
import {
  ConsumerEndpointsCache,
  ServiceDetailsCache,
} from './service/detailsCache';
import { createServiceDetailsReader } from './service/serviceDetails';
import { createConsumerDetailsReader } from './service/consumerDetails';
import { createPrivateLinkStore } from './service/store';
import {
  createPendingNotificationStore,
  PendingConnectionNotifier,
  subscribePendingConnectionNotifications,
} from './service/pendingNotifications';

/**
 * The PrivateLink backend plugin: serves the API at /api/privatelink (service details from the synced
 * catalog, access requests, owner reviews and the audit log), and keeps the audit log that every AWS change
 * through Backstage is written to, the scaffolder's included.
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
        lifecycle: coreServices.lifecycle,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
        notifications: notificationService,
        privatelinkConfig: privatelinkConfigServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        const {
          config,
          logger,
          httpAuth,
          httpRouter,
          auditor,
          database,
          permissions,
          permissionsRegistry,
          scheduler,
          lifecycle,
          auth,
          userInfo,
          catalog,
          events,
          notifications,
          actionsRegistry,
        } = deps;
        // Validated at start (a malformed block stops the backend with the bad field named); accounts are live.
        const privatelinkConfig = deps.privatelinkConfig.config;
        logger.info('PrivateLink configured', {
          accounts: privatelinkConfig.accounts.length,
          regions: privatelinkConfig.regions.join(','),
          // scheme://host:port only: never a path, query or (refused anyway) user name or password.
          endpointOverride: privatelinkConfig.endpoint
            ? redactEndpoint(privatelinkConfig.endpoint)
            : 'none',
          emulator: privatelinkConfig.emulator,
          syncEnabled: privatelinkConfig.sync.enabled,
        });
        permissionsRegistry.addPermissions(privatelinkPermissions);
        // Who may create in which account is the policy's to decide, with the rules of configured accounts.
        permissionsRegistry.addResourceType({
          resourceRef: privatelinkAccountResourceRef,
          permissions: privatelinkAccountPermissions,
          rules: Object.values(privatelinkAccountRules),
          getResources: async refs =>
            refs.map(ref => accountResource(privatelinkConfig, ref)),
        });

        const appBaseUrl = config.getOptionalString('app.baseUrl') ?? '';
        const reader = createServiceDetailsReader(catalog, {
          gracePeriodMs: privatelinkConfig.retirement.gracePeriodMs,
        });
        const cacheOptions = {
          permissions,
          auth,
          ttlMs: privatelinkConfig.detailsCache.ttlSeconds * 1000,
        };
        // One bound for both caches: the consumer cards' entries are small, the service cards' take most of it.
        const maxBytes = privatelinkConfig.detailsCache.maxMegabytes * 1024 * 1024;
        const details = new ServiceDetailsCache({
          ...cacheOptions,
          maxBytes: Math.ceil(maxBytes * 0.75),
          load: (ref, credentials) => reader.getDetails(ref, credentials),
        });
        const consumerReader = createConsumerDetailsReader(catalog);
        const consumerEndpoints = new ConsumerEndpointsCache({
          ...cacheOptions,
          maxBytes: Math.floor(maxBytes * 0.25),
          load: (ref, credentials) =>
            consumerReader.getEndpoints(ref, credentials),
        });
        // Changes made anywhere (this plugin, the scaffolder actions, another replica) reach the caches as events.
        await subscribeDetailsCacheToChanges({
          events,
          caches: [details, consumerEndpoints],
          logger,
          instanceId: randomUUID(),
        });

        const store = await createPrivateLinkStore(database);
        const gate = new WriteGate({
          permissions,
          audit: store,
          publish: eventsPublisher(events),
          logger,
        });
        const ec2 = createEc2ClientFactory({
          config,
          endpoint: privatelinkConfig.endpoint,
        });
        const operations = createServiceOperations({
          gate,
          ec2,
          catalog,
          config: privatelinkConfig,
          notify: lifecycleNotifier(notifications),
          userInfo,
          logger,
        });
        const entityLink = (ref: string) => {
          const { kind, namespace, name } = parseEntityRef(ref);
          return `${appBaseUrl}/catalog/${namespace}/${kind.toLocaleLowerCase(
            'en-US',
          )}/${name}`;
        };
        const service = new PrivateLinkService({
          reader,
          consumers: {
            getEndpoints: (ref, credentials) =>
              consumerEndpoints.get(ref, credentials),
          },
          store,
          operations,
          config: privatelinkConfig,
          catalog,
          userInfo,
          permissions,
          logger,
          notifications,
          entityLink,
        });

        // One search for the PrivateLink page and the find action, with where the caller's teams stand.
        const search = createServiceSearch({
          catalog,
          access: createAccessResolver({
            catalog,
            store,
            config: privatelinkConfig,
            userInfo,
          }),
        });

        // The actions registry (served to AI agents over MCP): the same services, with each caller's credentials.
        registerPrivateLinkActions(
          actionsRegistry,
          privatelinkConfig.actions.enabled,
          {
            catalog,
            reader,
            search,
            service,
            permissions,
            auditor,
          },
        );

        // A retirement made anywhere closes the service's open access requests, once AWS says it is gone.
        await subscribeRetirementsToChanges({
          events,
          logger,
          isGone: target =>
            serviceIsGone({ ec2, config: privatelinkConfig, target }),
          close: target => service.closeRequestsOfRetired(undefined, target),
        });

        // The sync announces each connection that newly awaits acceptance: its service's owners hear of it once.
        const pendingNotifications =
          await subscribePendingConnectionNotifications({
            events,
            logger,
            notifier: new PendingConnectionNotifier({
              catalog,
              auth,
              config: privatelinkConfig,
              ec2,
              store: createPendingNotificationStore(await database.getClient()),
              notifications,
              entityLink,
              logger,
            }),
          });
        lifecycle.addShutdownHook(() => pendingNotifications.stop());

        if (privatelinkConfig.sync.enabled) {
          // Approved consumers whose endpoint appears later are accepted when it does: at the job's next run, or
          // at once when a change to the service is announced; both through one queue, drained at shutdown.
          const followUps = createApprovalFollowUpQueue(logger);
          lifecycle.addShutdownHook(() => followUps.idle());
          const followUp = async (
            signal?: AbortSignal,
            only?: ServiceChangedEvent,
          ) => {
            const credentials = await auth.getOwnServiceCredentials();
            return service.acceptApprovedConnections(
              ref => catalog.getEntityByRef(ref, { credentials }),
              credentials,
              signal,
              only,
            );
          };
          await scheduler.scheduleTask({
            id: 'privatelink-accept-approved-connections',
            frequency: { minutes: 1 },
            timeout: { minutes: 2 },
            initialDelay: { seconds: 30 },
            // Past its timeout (or once its run is taken over), the job stops between services and accounts.
            fn: (abortSignal: AbortSignal) =>
              followUps.run('all', () => followUp(abortSignal)),
          });
          await subscribeApprovalFollowUpToChanges({
            events,
            logger,
            queue: followUps,
            followUp: change => followUp(undefined, change),
          });
        }

        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        httpRouter.use(
          await createRouter({
            httpAuth,
            auditor,
            config: privatelinkConfig,
            service,
            details,
            store,
            search,
          }),
        );
      },
    });
  },
});
