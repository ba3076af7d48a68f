import {
  AuthService,
  DiscoveryService,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { ServiceChangedEvent } from '@privatelink-backstage/plugin-privatelink-common';
import {
  ChangePublisher,
  createHttpAuditLog,
  createServiceOperations,
  Ec2ClientFactory,
  findTrustedService,
  LifecycleNotifier,
  PrivateLinkAuditLog,
  PrivateLinkConfig,
  ServiceOperations,
  TrustedService,
  WriteActor,
  WriteGate,
} from '@privatelink-backstage/plugin-privatelink-node';

/** The write path of one action run, bound to the person who started the task. */
export interface TaskWrites {
  actor: WriteActor;
  gate: WriteGate;
  operations: ServiceOperations;
  config: PrivateLinkConfig;
  /** The initiator's ownership entity refs, from their verified token. */
  ownershipRefs(): Promise<string[]>;
  /** The synced entity of a service, read with the initiator's credentials (nothing is audited). */
  findService(target: ServiceChangedEvent): Promise<TrustedService>;
  /** How long to wait for the catalog to sync a service an earlier step created. */
  serviceSyncTimeoutMs: number;
}

/** What the actions need to make a change: the write path for the task they run in. */
export interface ActionWrites {
  forTask(ctx: Pick<ActionContext<any, any>, 'getInitiatorCredentials' | 'logger'>): Promise<TaskWrites>;
}

/** How long an action waits for the catalog to sync a service that an earlier step of the task created. */
export const SERVICE_SYNC_TIMEOUT_MS = 30_000;

/**
 * Binds the shared write path to scaffolder tasks: every action authorises the initiator
 * (`ctx.getInitiatorCredentials()`) with the permission framework, writes its audit rows to the PrivateLink
 * backend plugin's log as that person (`via: scaffolder`), and announces changes on the events service.
 */
export function createActionWrites(options: {
  config: PrivateLinkConfig;
  permissions: PermissionsService;
  userInfo: UserInfoService;
  catalog: CatalogService;
  ec2: Ec2ClientFactory;
  publish: ChangePublisher;
  logger: LoggerService;
  /** The audit log for an initiator; by default the backend plugin's, over HTTP. */
  auditLog?: (credentials: Awaited<ReturnType<ActionContext<any, any>['getInitiatorCredentials']>>) => PrivateLinkAuditLog;
  discovery?: DiscoveryService;
  auth?: AuthService;
  /** Default {@link SERVICE_SYNC_TIMEOUT_MS}. */
  serviceSyncTimeoutMs?: number;
  /** Tells the consumers of a service before it is retired. */
  notify?: LifecycleNotifier;
}): ActionWrites {
  const auditLog =
    options.auditLog ??
    (credentials => createHttpAuditLog({ discovery: options.discovery!, auth: options.auth!, credentials }));
  return {
    async forTask(ctx) {
      const credentials = await ctx.getInitiatorCredentials();
      const gate = new WriteGate({
        permissions: options.permissions,
        audit: auditLog(credentials),
        publish: options.publish,
        logger: options.logger,
      });
      return {
        actor: { credentials, via: 'scaffolder' },
        gate,
        operations: createServiceOperations({
          gate,
          ec2: options.ec2,
          catalog: options.catalog,
          config: options.config,
          notify: options.notify,
          userInfo: options.userInfo,
          logger: options.logger,
        }),
        config: options.config,
        ownershipRefs: async () => (await options.userInfo.getUserInfo(credentials)).ownershipEntityRefs,
        findService: target => findTrustedService({ catalog: options.catalog, config: options.config, target, credentials }),
        serviceSyncTimeoutMs: options.serviceSyncTimeoutMs ?? SERVICE_SYNC_TIMEOUT_MS,
      };
    },
  };
}

/**
 * The service an action acts on, as a selector for the write path. When the catalog does not hold its synced
 * entity yet (an earlier step of the task created it; the targeted refresh brings it within seconds), waits for
 * it, up to `timeoutMs`. A service that never appears is refused by the write path, which audits the refusal.
 */
export async function serviceSelector(
  writes: TaskWrites,
  target: ServiceChangedEvent,
  ctx: Pick<ActionContext<any, any>, 'logger' | 'signal'>,
  options: { timeoutMs?: number; delayMs?: (attempt: number) => number } = {},
): Promise<{ entity: TrustedService['entity'] } | { target: ServiceChangedEvent }> {
  try {
    return { entity: (await waitForService(writes, target, ctx, options)).entity };
  } catch {
    // The write path looks it up once more and records the refusal (not found, not synced, not configured).
    return { target };
  }
}

async function waitForService(
  writes: TaskWrites,
  target: ServiceChangedEvent,
  ctx: Pick<ActionContext<any, any>, 'logger' | 'signal'>,
  options: { timeoutMs?: number; delayMs?: (attempt: number) => number },
): Promise<TrustedService> {
  const deadline = Date.now() + (options.timeoutMs ?? writes.serviceSyncTimeoutMs);
  const delayMs = options.delayMs ?? ((n: number) => Math.min(5_000, 250 * 2 ** n));
  for (let attempt = 0; ; attempt++) {
    try {
      return await writes.findService(target);
    } catch (e) {
      if ((e as Error).name !== 'NotFoundError' || Date.now() >= deadline || ctx.signal?.aborted) throw e;
      if (attempt === 0) ctx.logger.info(`Waiting for the catalog to sync ${target.serviceId}`);
      await new Promise(resolve => setTimeout(resolve, delayMs(attempt)));
    }
  }
}
