import {
  AuthService,
  LoggerService,
  RootConfigService,
  SchedulerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  CatalogService,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  ANNOTATIONS,
  decodeAnnotationList,
  ServiceChangedEvent,
  VPC_ENDPOINT_SERVICE_TYPE,
} from '@privatelink-backstage/plugin-privatelink-common';
import pLimit from 'p-limit';
import {
  AwsClientFactory,
  createAwsClientFactory,
  withAbortSignal,
} from './aws/clients';
import { catalogStateLoaders } from './catalogState';
import { EarlyEntityBuild } from './entities/earlyBuild';
import { PRIVATELINK_LOCATION_TYPE } from './PrivateLinkEntityGuard';
import {
  readAccountRegion,
  readEndpointsTo,
  readService,
} from './aws/inventory';
import { AccountRegionSnapshot } from './aws/types';
import {
  AccountRegion,
  accountRegions,
  PrivateLinkConfig,
} from '@privatelink-backstage/plugin-privatelink-node';
import {
  buildEntities,
  locationOf,
  snapshotsOfService,
  wantedNameCounts,
  wantedServiceName,
} from './entities';
import { EndpointServiceRecord } from './aws/types';
import {
  newPendingConnections,
  PendingConnectionPublisher,
  publishPendingConnections,
} from './pendingConnections';
import { PendingConnectionEvent } from '@privatelink-backstage/plugin-privatelink-common';

/** How many account × region reads run at once in a full sync. */
const PARALLEL_TARGETS = 8;

/**
 * Finds the entities this provider last emitted for one account and region, from the catalog itself, by
 * their `backstage.io/managed-by-location` (`location`).
 *
 * Not a stable API: for this repository's benchmarks and tests.
 *
 * @public
 */
export type LastEmittedLoader = (location: string) => Promise<Entity[]>;

/**
 * Finds the `vpc-endpoint` entities that depend on an endpoint service's entity (`serviceRef`), from the catalog
 * itself, in whichever account they were emitted.
 *
 * Not a stable API: for this repository's benchmarks and tests.
 *
 * @public
 */
export type ConsumersLoader = (serviceRef: string) => Promise<Entity[]>;

/**
 * Finds one entity in the catalog by its ref (`undefined` when it has none).
 *
 * Not a stable API: for this repository's benchmarks and tests.
 *
 * @public
 */
export type EntityLoader = (entityRef: string) => Promise<Entity | undefined>;

/**
 * What one full sync did, for logs, tests and benchmarks.
 *
 * Not a stable API: for this repository's benchmarks and tests.
 *
 * @public
 */
export interface SyncReport {
  /** How many entities the mutation carried (0 when the run was aborted). */
  entities: number;
  /**
   * Each configured account × region, in the order their reads ended: whether it was read, how many services
   * and endpoints it had, why it failed and what its read warned about.
   */
  targets: Array<
    AccountRegion & {
      ok: boolean;
      services: number;
      endpoints: number;
      error?: string;
      warnings: string[];
    }
  >;
  /** 'full' replaced every entity; 'delta' only added, because an account's last state could not be found. */
  mutation: 'full' | 'delta';
  /**
   * True when the run was aborted (past its timeout, or its scheduler ticket lost): it stopped reading and
   * applied no mutation, so the catalog keeps its last state; `mutation` then says what it would have applied.
   */
  aborted?: boolean;
}

/**
 * One service to re-read (a targeted refresh): the payload of a `privatelink.service.changed` event.
 *
 * Not a stable API: for this repository's benchmarks and tests.
 *
 * @public
 */
export type ServiceChange = ServiceChangedEvent;

const keyOf = (t: AccountRegion) => `${t.accountId}/${t.region}`;

/** The report line of an account × region that was not read (a failure, or an aborted run). */
const notRead = (target: AccountRegion, error: string): SyncReport['targets'][number] => ({
  ...target,
  ok: false,
  services: 0,
  endpoints: 0,
  error,
  warnings: [],
});

/** An entity read back from the catalog, with only what the sync emits (no relations, status, uid or etag). */
function asEmitted(e: Entity): Entity {
  const { name, namespace, title, description, labels, tags, annotations } =
    e.metadata;
  const metadata: Entity['metadata'] = { name };
  // Only the fields the entity has: an emitted entity compares equal to the one rebuilt from the same state.
  for (const [key, value] of Object.entries({
    namespace,
    title,
    description,
    labels,
    tags,
    annotations,
  })) {
    if (value !== undefined) (metadata as Record<string, unknown>)[key] = value;
  }
  return {
    apiVersion: e.apiVersion,
    kind: e.kind,
    metadata,
    ...(e.spec ? { spec: e.spec } : {}),
  };
}

/**
 * The refs of the entities by the service name each belongs to: a service's entity by its own name, an endpoint's
 * by the service it connects to (its annotation, else the service entity it depends on).
 */
function refsByService(entities: Iterable<Entity>): Map<string, Set<string>> {
  const all = [...entities];
  const byRef = new Map<string, string>();
  const index = new Map<string, Set<string>>();
  const add = (serviceName: string, ref: string) => {
    const refs = index.get(serviceName);
    if (refs) refs.add(ref);
    else index.set(serviceName, new Set([ref]));
  };
  for (const e of all) {
    const name = e.metadata.annotations?.[ANNOTATIONS.serviceName];
    if (e.spec?.type !== VPC_ENDPOINT_SERVICE_TYPE || !name) continue;
    const ref = stringifyEntityRef(e);
    byRef.set(ref, name);
    add(name, ref);
  }
  for (const e of all) {
    if (e.spec?.type === VPC_ENDPOINT_SERVICE_TYPE) continue;
    const dependsOn = (e.spec?.dependsOn as string[] | undefined)?.[0];
    const name =
      e.metadata.annotations?.[ANNOTATIONS.serviceName] ??
      (dependsOn ? byRef.get(dependsOn) : undefined);
    if (name) add(name, stringifyEntityRef(e));
  }
  return index;
}

/**
 * Emits vpc-endpoint-service and vpc-endpoint Resources for every configured account and region.
 *
 * Each full sync reads every account × region. One that fails keeps the snapshot it last read (marked stale
 * with the time of that read) and never affects the others; after a restart, when no snapshot is in memory,
 * its entities are taken back from the catalog. Only a good read removes what was deleted in AWS.
 *
 * Not a stable API: for this repository's benchmarks and tests.
 *
 * @public
 */
export class PrivateLinkEntityProvider implements EntityProvider {
  readonly #config: PrivateLinkConfig;
  readonly #clients: AwsClientFactory;
  readonly #logger: LoggerService;
  readonly #taskRunner?: SchedulerServiceTaskRunner;
  readonly #loadLastEmitted?: LastEmittedLoader;
  readonly #loadConsumers?: ConsumersLoader;
  readonly #loadEntity?: EntityLoader;
  readonly #events?: PendingConnectionPublisher;
  /**
   * Connections found newly pending by a read whose snapshot is kept, not announced yet: announced at the end of
   * the run that found them, or, when that run failed before its end, of the next one.
   */
  #unannounced: PendingConnectionEvent[] = [];
  readonly #snapshots = new Map<string, AccountRegionSnapshot>();
  /** Entities taken back from the catalog for accounts that failed before any good read since start. */
  readonly #preserved = new Map<string, Entity[]>();
  #connection?: EntityProviderConnection;
  #lastEntities = new Map<string, Entity>();
  /** The refs of #lastEntities by the service name they belong to (the service's own entity and its consumers'). */
  #refsByService = new Map<string, Set<string>>();
  /** How many services of #lastEntities ask for each entity name (a name asked for twice goes to neither). */
  #wantedNames = new Map<string, number>();

  /**
   * Creates the provider; it reads nothing until the catalog has connected it.
   *
   * @param options - `config`: the validated `privatelink` block; `clients`: the EC2 clients per account ×
   * region; `taskRunner`: runs the scheduled full sync (none: syncs only when `refresh` is called);
   * `loadLastEmitted`: takes an unreadable account's entities back from the catalog after a restart (none: the
   * sync then only adds until that account is read); `loadConsumers`: on a replica that did not run the last full
   * sync, finds the consumers' entities of a refreshed service in the catalog, so that a refresh knows the
   * accounts that held its endpoints (none: only the accounts its connections name); `loadEntity`: on a
   * replica that has not read every account, tells whether an entity name a refreshed service asks for is another
   * service's in the catalog (none: the names of the accounts read decide); `events`: where each connection that newly awaits acceptance
   * is announced, on `privatelink.connection.pending` (none: not announced).
   */
  constructor(options: {
    config: PrivateLinkConfig;
    clients: AwsClientFactory;
    logger: LoggerService;
    taskRunner?: SchedulerServiceTaskRunner;
    loadLastEmitted?: LastEmittedLoader;
    loadConsumers?: ConsumersLoader;
    loadEntity?: EntityLoader;
    events?: {
      publish(params: { topic: string; eventPayload: unknown }): Promise<void>;
    };
  }) {
    this.#config = options.config;
    this.#clients = options.clients;
    this.#logger = options.logger;
    this.#taskRunner = options.taskRunner;
    this.#loadLastEmitted = options.loadLastEmitted;
    this.#loadConsumers = options.loadConsumers;
    this.#loadEntity = options.loadEntity;
    this.#events = options.events;
  }

  /**
   * Creates the provider of an installation from its services, as the catalog module does: EC2 clients per
   * account × region from the root `aws` block (with the sync's rate limit), the full sync as a `global` task on
   * `privatelink.sync.schedule` (one run per interval across backend replicas), its state taken back from the
   * catalog with the plugin's own credentials, and pending connections announced on the events service.
   *
   * @param config - the validated `privatelink` block (its accounts live: configured, and discovered when set up).
   */
  static fromConfig(
    config: PrivateLinkConfig,
    options: {
      rootConfig: RootConfigService;
      logger: LoggerService;
      scheduler: SchedulerService;
      catalog: CatalogService;
      auth: AuthService;
      events?: {
        publish(params: {
          topic: string;
          eventPayload: unknown;
        }): Promise<void>;
      };
    },
  ): PrivateLinkEntityProvider {
    return new PrivateLinkEntityProvider({
      config,
      clients: createAwsClientFactory({
        config: options.rootConfig,
        endpoint: config.endpoint,
        rateLimit: config.sync.rateLimit,
      }),
      logger: options.logger,
      taskRunner: options.scheduler.createScheduledTaskRunner({
        ...config.sync.schedule,
        scope: 'global',
      }),
      ...catalogStateLoaders(options.catalog, options.auth),
      events: options.events,
    });
  }

  /**
   * The provider's name, `PrivateLinkEntityProvider`: also the location key of every entity it emits. It carries
   * no id: one installation has one `privatelink` block (its accounts are all read by this one provider), and a
   * name that changed would leave every installed entity referenced by the old one, never removed again.
   */
  getProviderName(): string {
    return 'PrivateLinkEntityProvider';
  }

  /**
   * Keeps the catalog's connection and, with a task runner, schedules the full sync on it: each run calls
   * {@link PrivateLinkEntityProvider.refresh} with the run's abort signal and logs, rather than throws, a
   * failure.
   */
  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    await this.#taskRunner?.run({
      id: `${this.getProviderName()}:refresh`,
      fn: async (abortSignal: AbortSignal) => {
        const logger = this.#logger.child({
          taskId: `${this.getProviderName()}:refresh`,
        });
        try {
          await this.refresh(logger, abortSignal);
        } catch (error) {
          logger.error('PrivateLink sync failed', error as Error);
        }
      },
    });
  }

  /**
   * Reads every configured account × region and replaces this provider's entities. When `signal` fires (the
   * scheduler's, at the task's timeout), no further account × region read starts, the calls in flight are
   * abandoned, and no mutation is applied: the catalog keeps its last state, and the next run reads again.
   */
  async refresh(
    logger: LoggerService = this.#logger,
    signal?: AbortSignal,
  ): Promise<SyncReport> {
    const connection = this.#requireConnection();
    const started = Date.now();
    const targets = accountRegions(this.#config);
    const limit = pLimit(PARALLEL_TARGETS);
    const report: SyncReport = { entities: 0, targets: [], mutation: 'full' };

    const keys = [...new Set(targets.map(keyOf))];
    // An account × region no longer in the account list (it left the organisation, stopped matching the
    // discovery's filters, or its configuration went) loses its entities with this run's full mutation.
    const current = new Set(keys);
    for (const key of [...this.#snapshots.keys()])
      if (!current.has(key)) this.#snapshots.delete(key);
    for (const key of [...this.#preserved.keys()])
      if (!current.has(key)) this.#preserved.delete(key);
    const read = new Map<string, AccountRegionSnapshot>();
    const early = new EarlyEntityBuild(keys, snapshots => buildEntities(snapshots, this.#config), logger);
    await Promise.all(
      targets.map(target =>
        limit(async () => {
          if (signal?.aborted) {
            report.targets.push(notRead(target, 'AbortError: not read, the sync was aborted'));
            return;
          }
          try {
            const ec2 = withAbortSignal(
              await this.#clients.ec2(target),
              signal,
            );
            const snapshot = await readAccountRegion(ec2, target, {
              concurrency: this.#config.sync.concurrency,
              listsAfter: this.#config.sync.rateLimit.burst,
              onLists: lists => early.onLists(keyOf(target), lists),
            });
            read.set(keyOf(target), snapshot);
            // Announced once the run has applied its mutation (or aborted): the snapshot moves on either way.
            this.#unannounced.push(
              ...newPendingConnections(
                this.#snapshots.get(keyOf(target))?.services,
                snapshot.services,
                { now: Date.now() },
              ),
            );
            this.#snapshots.set(keyOf(target), snapshot);
            this.#preserved.delete(keyOf(target));
            for (const warning of snapshot.warnings)
              logger.warn(warning, { ...target });
            report.targets.push({
              ...target,
              ok: true,
              services: snapshot.services.length,
              endpoints: snapshot.endpoints.length,
              warnings: snapshot.warnings,
            });
          } catch (e) {
            const error = `${(e as Error).name}: ${(e as Error).message}`;
            if (signal?.aborted) {
              // Not a failure of the account: its last state stays as it is, in the catalog and here.
              report.targets.push(notRead(target, error));
              return;
            }
            logger.warn(
              'Could not read PrivateLink resources; keeping the last good state, marked stale',
              { ...target, error },
            );
            report.targets.push(notRead(target, error));
            const previous = this.#snapshots.get(keyOf(target));
            if (previous) {
              this.#snapshots.set(keyOf(target), {
                ...previous,
                staleSince: previous.staleSince ?? new Date().toISOString(),
                error,
              });
              return;
            }
            if (this.#preserved.has(keyOf(target))) return;
            const kept = await this.#fromCatalog(target, logger);
            if (kept) this.#preserved.set(keyOf(target), kept);
            else report.mutation = 'delta';
          }
        }),
      ),
    );

    if (signal?.aborted) {
      // The snapshots read moved on all the same: what they saw newly pending would not be new at the next run.
      await this.#announce(logger);
      report.aborted = true;
      logger.warn(
        'PrivateLink sync aborted (past its timeout, or its run taken over); no mutation applied, the catalog keeps its last state',
        {
          targets: targets.length,
          read: report.targets.filter(t => t.ok).length,
          durationMs: Date.now() - started,
        },
      );
      return report;
    }
    // Built early unless entities kept from the catalog for a failing account are in play, or the snapshots moved.
    const entities =
      (this.#preserved.size === 0 ? early.entitiesFor(this.#orderedSnapshots(), read) : undefined) ??
      this.#buildEntities();
    report.entities = entities.length;
    if (report.mutation === 'full') {
      await connection.applyMutation({
        type: 'full',
        entities: entities.map(entity => ({
          entity,
          locationKey: this.getProviderName(),
        })),
      });
    } else {
      // Without the last state of a failed account, a full mutation would delete its entities: add only.
      await connection.applyMutation({
        type: 'delta',
        added: entities.map(entity => ({
          entity,
          locationKey: this.getProviderName(),
        })),
        removed: [],
      });
    }
    this.#remember(
      new Map(entities.map(e => [stringifyEntityRef(e), e])),
      wantedNameCounts(this.#orderedSnapshots(), this.#config),
    );
    const announced = await this.#announce(logger);
    logger.info('PrivateLink sync done', {
      entities: entities.length,
      targets: targets.length,
      failed: report.targets.filter(t => !t.ok).length,
      mutation: report.mutation,
      pendingAnnounced: announced,
      durationMs: Date.now() - started,
    });
    return report;
  }

  /**
   * Re-reads one endpoint service and its consumers and applies only what changed, as a delta mutation: the
   * way the scaffolder actions and the API make their changes visible within seconds.
   */
  async refreshService(
    change: ServiceChange,
    logger: LoggerService = this.#logger,
  ): Promise<{ added: number; removed: number }> {
    const connection = this.#requireConnection();
    const key = keyOf(change);
    if (
      !this.#config.accounts.some(
        a =>
          a.accountId === change.accountId && a.regions.includes(change.region),
      )
    ) {
      logger.warn(
        'Ignoring a change in an account or region that is not configured',
        { ...change },
      );
      return { added: 0, removed: 0 };
    }
    const ec2 = await this.#clients.ec2(change);
    let snapshot = this.#snapshots.get(key);
    // Read now for want of an earlier read: what it finds pending is compared with nothing (the first-read window).
    const firstRead = !snapshot;
    if (!snapshot) {
      snapshot = await this.#readUnread(ec2, change, logger);
      this.#snapshots.set(key, snapshot);
    }
    if (firstRead) await this.#recoverConsumers(change, logger);
    const previous = snapshot.services.find(
      s => s.serviceId === change.serviceId,
    );
    const { service } = await readService(ec2, change, change.serviceId);
    const services = snapshot.services.filter(
      s => s.serviceId !== change.serviceId,
    );
    const refreshed = service ? [...services, service] : services;
    this.#snapshots.set(key, { ...snapshot, services: refreshed });
    this.#unannounced.push(
      ...(firstRead
        ? newPendingConnections(undefined, refreshed, { now: Date.now() })
        : newPendingConnections(
            previous ? [previous] : [],
            service ? [service] : [],
            { now: Date.now() },
          )),
    );

    // The consumer side: endpoints to this service, read in the accounts that the provider's own connection
    // list names and in those that held one before (so that a deleted endpoint goes), not in every account of
    // the region: a refresh costs calls by the service's consumers, not by the size of the organisation. Every
    // account of the region when the connections could not be read or one names no owner.
    const serviceName = service?.serviceName ?? previous?.serviceName;
    if (serviceName) {
      const owners = service?.connections?.map(c => c.ownerAccountId);
      let accounts: Set<string> | undefined;
      if (owners && owners.every((o): o is string => o !== undefined)) {
        accounts = new Set(owners);
        // The accounts of the service's endpoint entities as last applied: the index, not a scan of every endpoint.
        for (const ref of this.#refsByService.get(serviceName) ?? []) {
          const entity = this.#lastEntities.get(ref);
          const accountId =
            entity?.metadata.annotations?.[ANNOTATIONS.accountId];
          if (accountId && entity?.spec?.type !== VPC_ENDPOINT_SERVICE_TYPE)
            accounts.add(accountId);
        }
      }
      const consumers = accountRegions(this.#config).filter(
        t =>
          t.region === change.region &&
          (!accounts || accounts.has(t.accountId)),
      );
      await Promise.all(
        consumers.map(async target => {
          const current = this.#snapshots.get(keyOf(target));
          try {
            if (!current) {
              // Never read here (a replica that did not run the last full sync, or a refresh before the first):
              // the account and region's lists once, so that the consumers' entities are as complete as a full
              // sync makes them, instead of the provider's bare view of their connections.
              this.#snapshots.set(
                keyOf(target),
                await this.#readUnread(
                  await this.#clients.ec2(target),
                  target,
                  logger,
                ),
              );
              return;
            }
            const endpoints = await readEndpointsTo(
              await this.#clients.ec2(target),
              target,
              serviceName,
            );
            this.#snapshots.set(keyOf(target), {
              ...current,
              endpoints: [
                ...current.endpoints.filter(e => e.serviceName !== serviceName),
                ...endpoints,
              ],
            });
          } catch (e) {
            logger.warn(
              'Could not read consumer endpoints for a targeted refresh',
              { ...target, error: (e as Error).message },
            );
          }
        }),
      );
    }

    const { added, removed, commit } = this.#refreshedEntities(
      serviceName,
      previous,
      service,
      service && this.#partialView()
        ? await this.#nameOnPartialView(service, previous, logger)
        : undefined,
    );
    await connection.applyMutation({
      type: 'delta',
      added: added.map(entity => ({
        entity,
        locationKey: this.getProviderName(),
      })),
      removed: removed.map(entity => ({
        entity,
        locationKey: this.getProviderName(),
      })),
    });
    commit();
    const announced = await this.#announce(logger);
    logger.info('PrivateLink targeted refresh done', {
      ...change,
      added: added.length,
      removed: removed.length,
      pendingAnnounced: announced,
    });
    return { added: added.length, removed: removed.length };
  }

  /**
   * What a targeted refresh of one service changes in the provider's entities, and `commit` to record it once
   * the mutation is applied. Only that service's entities are built again (its own and its consumers') and
   * compared, so that a refresh costs what the service has, not what the organisation has. Every entity is
   * built again when the refresh changed another service's entity name (two services came to want one name, or
   * stopped to), or when entities kept from the catalog for a failing account are in play.
   */
  #refreshedEntities(
    serviceName: string | undefined,
    previous: EndpointServiceRecord | undefined,
    current: EndpointServiceRecord | undefined,
    decidedName?: string,
  ): { added: Entity[]; removed: Entity[]; commit: () => void } {
    const before = this.#lastEntities;
    const changed = (ref: string, entity: Entity) =>
      JSON.stringify(before.get(ref)) !== JSON.stringify(entity);
    // The entity names of the other services stay as they are unless this service starts or stops asking for a
    // name another service asks for too.
    const oldWanted = previous && wantedServiceName(previous, this.#config);
    const newWanted = current && wantedServiceName(current, this.#config);
    const others = (wanted: string) =>
      (this.#wantedNames.get(wanted) ?? 0) - (wanted === oldWanted ? 1 : 0);
    // A name decided on a partial view touches no other service's name.
    const namesKept =
      decidedName !== undefined ||
      oldWanted === newWanted ||
      ((!oldWanted || others(oldWanted) === 0) &&
        (!newWanted || others(newWanted) === 0));
    if (!serviceName || !namesKept || this.#preserved.size > 0) {
      const after = new Map(
        this.#buildEntities().map(e => [stringifyEntityRef(e), e]),
      );
      return {
        added: [...after]
          .filter(([ref, e]) => changed(ref, e))
          .map(([, e]) => e),
        removed: [...before]
          .filter(([ref]) => !after.has(ref))
          .map(([, e]) => e),
        commit: () =>
          this.#remember(
            after,
            wantedNameCounts(this.#orderedSnapshots(), this.#config),
          ),
      };
    }
    const entityName =
      decidedName ??
      (newWanted && (others(newWanted) > 0 ? current!.serviceId : newWanted));
    const rebuilt = new Map(
      buildEntities(
        snapshotsOfService(this.#orderedSnapshots(), serviceName),
        this.#config,
        {
          serviceEntityName: name =>
            name === serviceName ? entityName : undefined,
        },
      ).map(e => [stringifyEntityRef(e), e]),
    );
    const earlier = this.#refsByService.get(serviceName) ?? new Set<string>();
    return {
      added: [...rebuilt]
        .filter(([ref, e]) => changed(ref, e))
        .map(([, e]) => e),
      removed: [...earlier]
        .filter(ref => !rebuilt.has(ref))
        .map(ref => before.get(ref)!),
      commit: () => {
        for (const ref of earlier) before.delete(ref);
        for (const [ref, e] of rebuilt) before.set(ref, e);
        this.#refsByService.set(serviceName, new Set(rebuilt.keys()));
        if (oldWanted)
          this.#wantedNames.set(
            oldWanted,
            (this.#wantedNames.get(oldWanted) ?? 1) - 1,
          );
        if (newWanted)
          this.#wantedNames.set(
            newWanted,
            (this.#wantedNames.get(newWanted) ?? 0) + 1,
          );
      },
    };
  }

  /** True while some configured account × region has not been read since start (no full sync ran here yet). */
  #partialView(): boolean {
    return accountRegions(this.#config).some(
      t => !this.#snapshots.has(keyOf(t)),
    );
  }

  /**
   * The entity name of a refreshed service on a replica that has not read every account, where the names other
   * accounts' services ask for are unknown: the name the catalog has for it when that is still the one it asks for
   * (or its service id); a new name only when no other entity of the catalog has it, else its service id. So a
   * service of one account never takes, and overwrites, the entity of a service of an account this replica did
   * not read; the next full sync settles the names among every service. `undefined`: no catalog to ask (the names
   * of the accounts read decide).
   */
  async #nameOnPartialView(
    service: EndpointServiceRecord,
    previous: EndpointServiceRecord | undefined,
    logger: LoggerService,
  ): Promise<string | undefined> {
    const held = [...(this.#refsByService.get(service.serviceName) ?? [])]
      .map(ref => this.#lastEntities.get(ref))
      .find(
        e =>
          e?.spec?.type === VPC_ENDPOINT_SERVICE_TYPE &&
          e.metadata.annotations?.[ANNOTATIONS.serviceId] === service.serviceId,
      )?.metadata.name;
    const wanted = wantedServiceName(service, this.#config);
    if (held && (held === wanted || held === service.serviceId)) return held;
    if (!this.#loadEntity) return undefined;
    // Asked by another service of the accounts read (the counts hold this service as it was before), or held in the
    // catalog by an entity that is not this service's.
    const self =
      previous && wantedServiceName(previous, this.#config) === wanted ? 1 : 0;
    if ((this.#wantedNames.get(wanted) ?? 0) - self > 0)
      return service.serviceId;
    try {
      const other = await this.#loadEntity(`resource:default/${wanted}`);
      return other &&
        other.metadata.annotations?.[ANNOTATIONS.serviceId] !==
          service.serviceId
        ? service.serviceId
        : wanted;
    } catch (e) {
      logger.warn(
        'Could not look up an entity name in the catalog; the refreshed service takes its service id',
        {
          serviceId: service.serviceId,
          error: (e as Error).message,
        },
      );
      return service.serviceId;
    }
  }

  /**
   * Reads an account × region this replica has not read (it did not run the last full sync, or no sync ran yet).
   * With the catalog to recover from, what the last full sync left there is taken back instead of read again:
   * every service's allowed principals (so that the read is its few list calls, not a permissions call per
   * service of the account) and the entities it emitted (so that a targeted refresh also removes what is gone,
   * and knows the entity names the account's services ask for). Without it, or when the catalog cannot be read,
   * the whole account and region is read.
   */
  async #readUnread(
    ec2: Awaited<ReturnType<AwsClientFactory['ec2']>>,
    target: AccountRegion,
    logger: LoggerService,
  ): Promise<AccountRegionSnapshot> {
    const emitted = await this.#lastEmitted(target, logger);
    const knownPrincipals = new Map<string, string[]>();
    for (const e of emitted ?? []) {
      const a = e.metadata.annotations ?? {};
      if (
        e.spec?.type === VPC_ENDPOINT_SERVICE_TYPE &&
        a[ANNOTATIONS.serviceId]
      ) {
        knownPrincipals.set(
          a[ANNOTATIONS.serviceId],
          decodeAnnotationList(a[ANNOTATIONS.allowedPrincipals]),
        );
      }
    }
    const snapshot = await readAccountRegion(ec2, target, {
      concurrency: this.#config.sync.concurrency,
      knownPrincipals,
    });
    if (emitted && emitted.length > 0) {
      for (const e of emitted) {
        const ref = stringifyEntityRef(e);
        if (!this.#lastEntities.has(ref)) this.#lastEntities.set(ref, e);
      }
      this.#refsByService = refsByService(this.#lastEntities.values());
    }
    for (const [name, count] of wantedNameCounts([snapshot], this.#config)) {
      this.#wantedNames.set(name, (this.#wantedNames.get(name) ?? 0) + count);
    }
    return snapshot;
  }

  /**
   * On a replica that had not read the service's account: its consumers' entities as the catalog holds them, taken
   * back as last applied, so that the accounts that held its endpoints are read and what is gone there is removed.
   */
  async #recoverConsumers(change: ServiceChange, logger: LoggerService) {
    const serviceRef = [...this.#lastEntities].find(
      ([, e]) =>
        e.spec?.type === VPC_ENDPOINT_SERVICE_TYPE &&
        e.metadata.annotations?.[ANNOTATIONS.serviceId] === change.serviceId,
    )?.[0];
    if (!serviceRef || !this.#loadConsumers) return;
    try {
      for (const e of await this.#loadConsumers(serviceRef)) {
        // Only what this provider emitted: a catalog entity from anywhere else is never taken as the sync's state.
        if (
          !e.metadata.annotations?.[ANNOTATION_LOCATION]?.startsWith(
            `${PRIVATELINK_LOCATION_TYPE}:`,
          )
        )
          continue;
        const ref = stringifyEntityRef(e);
        if (!this.#lastEntities.has(ref))
          this.#lastEntities.set(ref, asEmitted(e));
      }
      this.#refsByService = refsByService(this.#lastEntities.values());
    } catch (e) {
      logger.warn(
        "Could not load a service's consumers from the catalog; reading the accounts its connections name",
        {
          ...change,
          error: (e as Error).message,
        },
      );
    }
  }

  /** The entities the sync last emitted for an account × region, as it emitted them; undefined when unknown. */
  async #lastEmitted(
    target: AccountRegion,
    logger: LoggerService,
  ): Promise<Entity[] | undefined> {
    if (!this.#loadLastEmitted) return undefined;
    try {
      return (await this.#loadLastEmitted(locationOf(target))).map(asEmitted);
    } catch (e) {
      logger.warn(
        'Could not load the last emitted entities from the catalog; reading the account and region whole',
        {
          ...target,
          error: (e as Error).message,
        },
      );
      return undefined;
    }
  }

  /** Publishes the connections found newly pending and not announced yet; returns how many were published. */
  async #announce(logger: LoggerService): Promise<number> {
    const pending = this.#unannounced;
    this.#unannounced = [];
    return publishPendingConnections(this.#events, pending, logger);
  }

  /** Records the entities last applied, indexed by the service each belongs to, and the names services ask for. */
  #remember(entities: Map<string, Entity>, wantedNames: Map<string, number>) {
    this.#lastEntities = entities;
    this.#refsByService = refsByService(entities.values());
    this.#wantedNames = wantedNames;
  }

  /** The snapshots in the order of the configured account × regions (not in the order their reads ended). */
  #orderedSnapshots(): AccountRegionSnapshot[] {
    const order = new Map<string, number>();
    for (const t of accountRegions(this.#config))
      if (!order.has(keyOf(t))) order.set(keyOf(t), order.size);
    const rank = (key: string) => order.get(key) ?? order.size;
    return [...this.#snapshots]
      .sort(([a], [b]) => rank(a) - rank(b))
      .map(([, snapshot]) => snapshot);
  }

  #buildEntities(): Entity[] {
    // A kept entity wins over one rebuilt from the provider's view alone: it carries what only its own
    // account could tell (tags, owner, component), and says it is stale.
    const preserved = [...this.#preserved.values()].flat();
    const entities = buildEntities(this.#orderedSnapshots(), this.#config);
    if (preserved.length === 0) return entities;
    const kept = new Set(preserved.map(e => stringifyEntityRef(e)));
    return [
      ...entities.filter(e => !kept.has(stringifyEntityRef(e))),
      ...preserved,
    ];
  }

  async #fromCatalog(
    target: AccountRegion,
    logger: LoggerService,
  ): Promise<Entity[] | undefined> {
    const now = new Date().toISOString();
    const entities = await this.#lastEmitted(target, logger);
    return entities?.map(e => ({
      ...e,
      metadata: {
        ...e.metadata,
        annotations: {
          [ANNOTATIONS.staleSince]: now,
          ...e.metadata.annotations,
        },
      },
    }));
  }

  #requireConnection(): EntityProviderConnection {
    if (!this.#connection)
      throw new Error(
        'PrivateLinkEntityProvider is not connected to the catalog yet',
      );
    return this.#connection;
  }
}
