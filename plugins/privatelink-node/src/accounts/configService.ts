import { OrganizationsClient } from '@aws-sdk/client-organizations';
import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  RootConfigService,
  RootLifecycleService,
  RootLoggerService,
  ServiceFactory,
  ServiceRef,
} from '@backstage/backend-plugin-api';
import { createAwsClientSettings } from '../clientSettings';
import {
  PrivateLinkConfig,
  readPrivateLinkConfig,
} from '../config/privatelinkConfig';
import { AccountDirectory, AccountDirectoryStatus } from './accountDirectory';
import { listOrganizationAccounts } from './organizations';

/**
 * The `privatelink` configuration of one backend, shared by the PrivateLink plugins and modules in it.
 *
 * @public
 */
export interface PrivateLinkConfigService {
  /**
   * The validated block. Its `accounts` are live: the configured ones, plus the accounts AWS Organizations
   * lists when `privatelink.discovery.organizations` is set, replaced at each good listing. Read them at the
   * time of use, never copy them at start.
   */
  readonly config: PrivateLinkConfig;
  /** Lists the organisation now (e.g. before a sync); without discovery, the status as it is. */
  refreshAccounts(signal?: AbortSignal): Promise<AccountDirectoryStatus>;
  /** Where the account list stands. */
  accountsStatus(): AccountDirectoryStatus;
}

/** How long the backend's start waits for the first listing of the organisation before going on without it. */
const FIRST_LISTING_WAIT_MS = 30_000;

const deps = {
  rootConfig: coreServices.rootConfig,
  logger: coreServices.rootLogger,
  lifecycle: coreServices.rootLifecycle,
};

/** The service itself (see {@link privatelinkConfigServiceRef}). */
async function createPrivateLinkConfigService({
  rootConfig,
  logger,
  lifecycle,
}: {
  rootConfig: RootConfigService;
  logger: RootLoggerService;
  lifecycle: RootLifecycleService;
}): Promise<PrivateLinkConfigService> {
  const config = readPrivateLinkConfig(rootConfig);
  const discovery = config.discovery.organizations;
  const active =
    discovery?.enabled && config.sync.enabled ? discovery : undefined;
  let client: Promise<OrganizationsClient> | undefined;
  const directory = new AccountDirectory({
    config,
    logger: logger.child({ service: 'privatelink-accounts' }),
    list: active
      ? async signal => {
          if (!client) {
            client = createAwsClientSettings({
              config: rootConfig,
              endpoint: config.endpoint,
            })({
              accountId: active.accountId,
              region: active.region,
            }).then(settings => new OrganizationsClient(settings));
            // A failed credential look-up is not kept: the next listing tries again.
            client.catch(() => {
              client = undefined;
            });
          }
          return listOrganizationAccounts(await client, active, {
            defaultRegions: config.regions,
            signal,
          });
        }
      : undefined,
  });
  if (active) {
    const first = new AbortController();
    const timer = setTimeout(() => first.abort(), FIRST_LISTING_WAIT_MS);
    await directory.refresh(first.signal).finally(() => clearTimeout(timer));
    const interval = setInterval(() => {
      directory.refresh().catch(() => undefined);
    }, active.refreshMinutes * 60_000);
    interval.unref();
    lifecycle.addShutdownHook(() => {
      clearInterval(interval);
      client?.then(c => c.destroy()).catch(() => undefined);
    });
  }
  return {
    config: directory.config,
    refreshAccounts: signal => directory.refresh(signal),
    accountsStatus: () => directory.status(),
  };
}

/**
 * The service ref of {@link PrivateLinkConfigService}: one per backend (root scope), so that the backend plugin,
 * the catalog module and the scaffolder module read one validated block and see the same accounts. Its default
 * factory validates the block at start (a malformed block stops the backend with the bad field named) and, when
 * discovery is configured and the sync is on, lists the organisation at start (waiting at most 30 s: a slow or
 * failing Organizations leaves the configured accounts in use) and again every `refreshMinutes`.
 *
 * @public
 */
export const privatelinkConfigServiceRef: ServiceRef<PrivateLinkConfigService, 'root', 'singleton'> =
  createServiceRef<PrivateLinkConfigService>({
    id: 'privatelink.config',
    scope: 'root',
    defaultFactory: async service => createServiceFactory({ service, deps, factory: createPrivateLinkConfigService }),
  });

/**
 * The default factory of {@link privatelinkConfigServiceRef} (see there), for `backend.add` or a test backend.
 *
 * @public
 */
export const privatelinkConfigServiceFactory: ServiceFactory<PrivateLinkConfigService, 'root', 'singleton'> =
  createServiceFactory({ service: privatelinkConfigServiceRef, deps, factory: createPrivateLinkConfigService });
