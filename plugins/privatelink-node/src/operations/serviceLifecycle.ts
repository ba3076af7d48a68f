import {
  CreateTagsCommand,
  DeleteTagsCommand,
  DeleteVpcEndpointsCommand,
  DeleteVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
  ModifyVpcEndpointServiceConfigurationCommand,
  RejectVpcEndpointConnectionsCommand,
} from '@aws-sdk/client-ec2';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DeleteEndpointResult,
  EndpointServiceSettingsChange,
  EndpointServiceSettingsResult,
  isSyncedEntity,
  normalizeEndpointState,
  privatelinkEndpointDeletePermission,
  privatelinkEndpointServiceDeletePermission,
  privatelinkEndpointServiceUpdatePermission,
  RetireEndpointServiceResult,
  RETIREMENT_ANNOUNCED_TAG,
  RetirementAnnouncement,
  ServiceChangedEvent,
  VPC_ENDPOINT_TYPE,
} from '@privatelink-backstage/plugin-privatelink-common';
import { AwsClientTarget } from '../clientSettings';
import { permittedOwners, PrivateLinkConfig } from '../config/privatelinkConfig';
import { EndpointTarget, findTrustedEndpoint, TrustedEndpoint, trustEndpoint } from '../trust/trustedEndpoint';
import { TrustedService, trustService } from '../trust/trustedService';
import { readConnections, readServiceConfiguration as readConfiguration } from './serviceReads';
import { describeCuts, PlacementTagKeys, planSettingsChange, SettingsPlan } from './settingsPlan';
import { WriteActor, WriteGate } from './WriteGate';

/**
 * Tells people of a change before it is made (the consumers of a service that is retired). A failure is logged by
 * the caller, never stops the change.
 *
 * @public
 */
export type LifecycleNotifier = (notice: {
  /** Entity refs of the owners to tell (groups or users). */
  recipients: string[];
  /** One line. */
  title: string;
  /** What happens and what to do. */
  description: string;
  /** The entity the notice is about. */
  entityRef: string;
}) => Promise<void>;

/**
 * The endpoint a delete is on: an entity the caller resolved (API), or its account, region and id (actions). Either
 * way it must pass {@link trustEndpoint}.
 *
 * @public
 */
export type EndpointSelector = { entity: Entity } | { target: EndpointTarget };

/**
 * Options of a settings change, a retirement or an endpoint deletion.
 *
 * @public
 */
export interface LifecycleOptions {
  /** Check everything and answer what would happen, without changing anything. Default false. */
  dryRun?: boolean;
  /** Extra details for the audit row. */
  details?: Record<string, unknown>;
}

/**
 * Options of a retirement.
 *
 * @public
 */
export interface RetireOptions extends LifecycleOptions {
  /** The service's entity name typed again; refused (`InputError`) when it is not the name. */
  confirmName: string;
  /** Retire it even though consumers are connected (`available`). Default false. */
  force?: boolean;
}

/**
 * The changes that end or reshape an endpoint service's life, each through the {@link WriteGate}.
 *
 * @public
 */
export interface ServiceLifecycleOperations {
  /**
   * Changes an endpoint service's settings (acceptance, supported regions, private DNS name) with the permission
   * `privatelink.endpointService.update` on the service. The current configuration and connections are read
   * first; only real differences are sent; a change that cuts consumers is refused (`ConflictError`, naming them)
   * unless `confirmCuts`. Nothing to change is an answer with `changed: []` (the attempt is still recorded).
   */
  updateSettings(
    actor: WriteActor,
    selector: { entity: Entity } | { target: ServiceChangedEvent },
    change: EndpointServiceSettingsChange,
    options?: LifecycleOptions,
  ): Promise<EndpointServiceSettingsResult & { service: TrustedService }>;
  /**
   * Retires an endpoint service with the permission `privatelink.endpointService.delete` on the service: refused
   * (`ConflictError`, naming them) while consumers are connected unless `force`; otherwise the owners of its
   * consumers' endpoints are told first, its pending and available connections rejected, then the service deleted.
   * A service AWS no longer has answers `deleted: false` (a retried retirement). `closedRequests` is 0: access
   * requests live in the backend plugin, which closes them when it hears of the retirement.
   */
  retireService(
    actor: WriteActor,
    selector: { entity: Entity } | { target: ServiceChangedEvent },
    options: RetireOptions,
  ): Promise<RetireEndpointServiceResult & { service: TrustedService }>;
  /**
   * Deletes a consumer's VPC endpoint with the permission `privatelink.endpoint.delete` on the endpoint's entity.
   * An endpoint AWS no longer has (or has as `deleted`) answers `deleted: false`. The provider's service is announced
   * so that the catalog drops the endpoint within seconds.
   */
  deleteEndpoint(actor: WriteActor, selector: EndpointSelector, options?: LifecycleOptions): Promise<DeleteEndpointResult>;
}

/** What the lifecycle operations share with the other service operations. */
export interface LifecycleContext {
  gate: WriteGate;
  catalog: CatalogService;
  config: Pick<PrivateLinkConfig, 'accounts'>;
  /** The tags that place a service in the catalog, which a settings change may write. */
  tagKeys: PlacementTagKeys;
  /** The grace period of a forced retirement, in milliseconds; 0 retires at once. */
  gracePeriodMs: number;
  /** The actor's ownership entity refs (themselves and their groups), from their verified identity. */
  ownershipRefs?(actor: WriteActor): Promise<string[]>;
  /** The time now (tests fix it). */
  now(): Date;
  notify?: LifecycleNotifier;
  withEc2<T>(target: AwsClientTarget, fn: (ec2: () => Promise<EC2Client>) => Promise<T>): Promise<T>;
  resolve(actor: WriteActor, selector: { entity: Entity } | { target: ServiceChangedEvent }, action: string, details?: Record<string, unknown>): Promise<TrustedService>;
  onNotifyFailure(error: Error, entityRef: string): void;
}

/** Most endpoint ids one Reject call takes. */
const REJECT_BATCH = 100;

/** Creates the lifecycle operations on the shared context of {@link createServiceOperations}. */
export function createLifecycleOperations(ctx: LifecycleContext): ServiceLifecycleOperations {
  const { gate, catalog, config } = ctx;
  const subjectOf = (s: TrustedService) => ({ serviceRef: s.ref, ...s.target });

  /** The owners of the synced endpoints that depend on a service, as the actor sees them in the catalog. */
  async function consumerOwners(actor: WriteActor, service: TrustedService): Promise<string[]> {
    const { items } = await catalog.getEntities(
      { filter: { kind: 'Resource', 'spec.type': VPC_ENDPOINT_TYPE, 'relations.dependsOn': service.ref }, fields: ['kind', 'metadata', 'spec'] },
      { credentials: actor.credentials },
    );
    const owners = items.filter(isSyncedEntity).map(e => e.spec?.owner).filter((o): o is string => typeof o === 'string');
    return [...new Set(owners)].sort();
  }

  async function notify(notice: Parameters<LifecycleNotifier>[0]) {
    if (!ctx.notify || notice.recipients.length === 0) return;
    try {
      await ctx.notify(notice);
    } catch (e) {
      ctx.onNotifyFailure(e as Error, notice.entityRef);
    }
  }

  /**
   * The placing tags a change writes name entities the catalog holds; a new owner is one of the actor's own teams
   * (the current owners consent by holding the update permission, the new team through a member) and one the
   * account permits.
   */
  async function checkPlacement(actor: WriteActor, service: TrustedService, plan: SettingsPlan) {
    const named: Array<[string, string]> = [];
    const keyOf: Record<string, string> = { [ctx.tagKeys.owner]: 'owner', [ctx.tagKeys.system]: 'system', [ctx.tagKeys.component]: 'component' };
    for (const [key, ref] of Object.entries(plan.tags.set)) named.push([keyOf[key] ?? key, ref]);
    for (const [setting, ref] of named) {
      const entity = await catalog.getEntityByRef(ref, { credentials: actor.credentials });
      if (!entity) throw new InputError(`${setting}: ${ref} is not in the catalog`);
    }
    if (!plan.newOwner) return;
    const mine = new Set(ctx.ownershipRefs ? await ctx.ownershipRefs(actor) : []);
    if (!mine.has(plan.newOwner)) {
      throw new NotAllowedError(`You may hand ${service.ref} only to a team you belong to, not to ${plan.newOwner}`);
    }
    const permitted = permittedOwners(config, service.target.accountId);
    if (permitted && !permitted.has(plan.newOwner)) {
      throw new NotAllowedError(
        `Account ${service.target.accountId} does not permit the owner ${plan.newOwner}; it permits ${[...permitted].join(', ')} (privatelink.accounts[].owners)`,
      );
    }
  }

  async function resolveEndpoint(actor: WriteActor, selector: EndpointSelector, details: Record<string, unknown>) {
    try {
      const endpoint =
        'entity' in selector
          ? trustEndpoint(selector.entity, config)
          : await findTrustedEndpoint({ catalog, config, target: selector.target, credentials: actor.credentials });
      // The provider's service, to announce: only the sync's own entity of a configured account counts.
      let provider: ServiceChangedEvent | undefined;
      if (endpoint.serviceRef) {
        const entity = await catalog.getEntityByRef(endpoint.serviceRef, { credentials: actor.credentials });
        try {
          provider = entity ? trustService(entity, config).target : undefined;
        } catch {
          provider = undefined;
        }
      }
      return { endpoint, provider };
    } catch (e) {
      const subject =
        'entity' in selector
          ? { serviceRef: stringifyEntityRef(selector.entity), accountId: selector.entity.metadata.annotations?.['amazonaws.com/account-id'] ?? 'unknown' }
          : { accountId: selector.target.accountId, region: selector.target.region };
      return gate.refuse(actor, 'endpoint.delete', subject, details, e as Error);
    }
  }

  return {
    async updateSettings(actor, selector, change, opts = {}) {
      const details = { change, ...opts.details };
      const service = await ctx.resolve(actor, selector, 'service.update', opts.dryRun ? { ...details, dryRun: true } : details);
      let plan: SettingsPlan = { input: {}, tags: { set: {}, remove: [] }, changed: [], cuts: [] };
      const value = await ctx.withEc2(service.target, ec2 =>
        gate.run<EndpointServiceSettingsResult>({
          actor,
          action: 'service.update',
          subject: subjectOf(service),
          details,
          checks: [{ permission: privatelinkEndpointServiceUpdatePermission, resourceRef: service.ref, on: service.ref }],
          precondition: async () => {
            const client = await ec2();
            const current = await readConfiguration(client, service.target.serviceId);
            if (!current) throw new NotFoundError(`Endpoint service ${service.target.serviceId} no longer exists in ${service.target.accountId}/${service.target.region}`);
            const connections = await readConnections(client, service.target);
            plan = planSettingsChange(current, service.target.region, connections, change, ctx.tagKeys);
            await checkPlacement(actor, service, plan);
            if (plan.cuts.length > 0 && !change.confirmCuts) {
              throw new ConflictError(
                `This change cuts ${describeCuts(plan.cuts)}. Tell them first, then make the change again with confirmCuts to make it anyway`,
              );
            }
          },
          dryRun: opts.dryRun,
          preview: () => ({ serviceRef: service.ref, changed: plan.changed, cuts: plan.cuts }),
          failure: `Could not change the settings of ${service.target.serviceId}`,
          change: async () => {
            if (plan.changed.length === 0) {
              return { value: { serviceRef: service.ref, changed: [], cuts: [] }, details: { changed: [] }, changed: false };
            }
            const client = await ec2();
            // Each step sends only what still differs: after a failure half-way, running the change again completes it.
            if (Object.keys(plan.input).length > 0) {
              await client.send(new ModifyVpcEndpointServiceConfigurationCommand({ ServiceId: service.target.serviceId, ...plan.input }));
            }
            const resources = [service.target.serviceId];
            if (Object.keys(plan.tags.set).length > 0) {
              await client.send(new CreateTagsCommand({ Resources: resources, Tags: Object.entries(plan.tags.set).map(([Key, Value]) => ({ Key, Value })) }));
            }
            if (plan.tags.remove.length > 0) {
              await client.send(new DeleteTagsCommand({ Resources: resources, Tags: plan.tags.remove.map(Key => ({ Key })) }));
            }
            const after = await readConfiguration(client, service.target.serviceId).catch(() => undefined);
            const privateDnsState = after?.PrivateDnsName ? after.PrivateDnsNameConfiguration?.State : undefined;
            return {
              value: { serviceRef: service.ref, changed: plan.changed, cuts: plan.cuts, ...(privateDnsState ? { privateDnsState } : {}) },
              details: { changed: plan.changed, cuts: plan.cuts.map(c => c.endpointId) },
            };
          },
        }),
      );
      return { ...value, service };
    },

    async retireService(actor, selector, opts) {
      const details = { force: Boolean(opts.force), ...opts.details };
      const service = await ctx.resolve(actor, selector, 'service.delete', opts.dryRun ? { ...details, dryRun: true } : details);
      let gone = false;
      let loadBalancerArns: string[] = [];
      let toReject: string[] = [];
      let owners: string[] = [];
      // Set when this call only announces a forced retirement (a grace period is configured).
      let announcement: RetirementAnnouncement | undefined;
      const result = (deleted: boolean, rejected: string[], notified: string[]): RetireEndpointServiceResult => ({
        serviceRef: service.ref,
        serviceId: service.target.serviceId,
        deleted,
        rejectedConnections: rejected,
        notified,
        closedRequests: 0,
        loadBalancerArns,
        ...(announcement ? { announced: announcement } : {}),
      });
      const title = service.entity.metadata.title ?? service.entity.metadata.name;
      const value = await ctx.withEc2(service.target, ec2 =>
        gate.run<RetireEndpointServiceResult>({
          actor,
          action: 'service.delete',
          subject: subjectOf(service),
          details,
          validate: () => {
            if (opts.confirmName !== service.entity.metadata.name) {
              throw new InputError(`confirmName: type the service's name, ${service.entity.metadata.name}, to retire it`);
            }
          },
          checks: [{ permission: privatelinkEndpointServiceDeletePermission, resourceRef: service.ref, on: service.ref }],
          precondition: async () => {
            const client = await ec2();
            const current = await readConfiguration(client, service.target.serviceId);
            if (!current) {
              gone = true;
              return;
            }
            loadBalancerArns = [...(current.NetworkLoadBalancerArns ?? []), ...(current.GatewayLoadBalancerArns ?? [])].sort();
            const connections = await readConnections(client, service.target);
            const connected = connections.filter(c => c.state === 'available');
            if (connected.length > 0 && !opts.force) {
              throw new ConflictError(
                `${service.ref} has ${describeCuts(connected.map(c => ({ ...c, reason: 'connected' })))}. Ask them to remove their endpoints, or retire it with force`,
              );
            }
            toReject = connections.filter(c => c.state === 'available' || c.state === 'pendingAcceptance' || c.state === 'pending').map(c => c.endpointId);
            owners = toReject.length ? await consumerOwners(actor, service) : [];
            if (connected.length > 0 && ctx.gracePeriodMs > 0) {
              const announcedAt = Date.parse(current.Tags?.find(t => t.Key === RETIREMENT_ANNOUNCED_TAG)?.Value ?? '');
              const now = ctx.now();
              if (Number.isNaN(announcedAt)) {
                const retireAfter = new Date(now.getTime() + ctx.gracePeriodMs);
                announcement = { announcedAt: now.toISOString(), retireAfter: retireAfter.toISOString() };
                toReject = [];
              } else if (now.getTime() < announcedAt + ctx.gracePeriodMs) {
                const after = new Date(announcedAt + ctx.gracePeriodMs).toISOString();
                throw new ConflictError(
                  `The retirement of ${service.ref} was announced to its consumers at ${new Date(announcedAt).toISOString()}; it can be retired with force from ${after} (or once no consumer is connected)`,
                );
              }
            }
          },
          dryRun: opts.dryRun,
          preview: () => result(!gone && !announcement, toReject, owners),
          failure: `Could not retire ${service.target.serviceId}`,
          change: async () => {
            if (gone) return { value: result(false, [], []), details: { alreadyDeleted: true }, announce: { ...service.target, retired: true } };
            if (announcement) {
              // The tag first: a consumer is told only of a retirement the service records.
              await (await ec2()).send(
                new CreateTagsCommand({
                  Resources: [service.target.serviceId],
                  Tags: [{ Key: RETIREMENT_ANNOUNCED_TAG, Value: announcement.announcedAt }],
                }),
              );
              await notify({
                recipients: owners,
                title: `${title} will be retired`,
                description: `The endpoint service ${service.target.serviceId} will be retired from ${announcement.retireAfter}; your endpoints to it stop working then. Move off it and remove them.`,
                entityRef: service.ref,
              });
              return { value: result(false, [], owners), details: { announced: announcement, notified: owners } };
            }
            await notify({
              recipients: owners,
              title: `${title} is being retired`,
              description: `The endpoint service ${service.target.serviceId} is retired now; your endpoints to it stop working. Remove them.`,
              entityRef: service.ref,
            });
            const client = await ec2();
            for (let i = 0; i < toReject.length; i += REJECT_BATCH) {
              await client.send(new RejectVpcEndpointConnectionsCommand({ ServiceId: service.target.serviceId, VpcEndpointIds: toReject.slice(i, i + REJECT_BATCH) }));
            }
            const out = await client.send(new DeleteVpcEndpointServiceConfigurationsCommand({ ServiceIds: [service.target.serviceId] }));
            const problem = out.Unsuccessful?.find(u => u.ResourceId === service.target.serviceId);
            const alreadyGone = Boolean(problem && /NotFound/.test(problem.Error?.Code ?? ''));
            if (problem && !alreadyGone) {
              // The rejections stand (recorded in the details); running it again retires it.
              throw new Error(`${problem.Error?.Code ?? 'Unsuccessful'}: ${problem.Error?.Message ?? 'no reason given'} (after rejecting ${toReject.length} connection(s))`);
            }
            return {
              value: result(!alreadyGone, toReject, owners),
              details: { rejected: toReject, notified: owners, loadBalancerArns, ...(alreadyGone ? { alreadyDeleted: true } : {}) },
              announce: { ...service.target, retired: true },
            };
          },
        }),
      );
      return { ...value, service };
    },

    async deleteEndpoint(actor, selector, opts = {}) {
      const requested = 'entity' in selector ? { endpointRef: stringifyEntityRef(selector.entity) } : { ...selector.target };
      const details = { ...requested, ...opts.details };
      const { endpoint, provider } = await resolveEndpoint(actor, selector, opts.dryRun ? { ...details, dryRun: true } : details);
      let gone = false;
      const result = (deleted: boolean): DeleteEndpointResult => ({ endpointRef: endpoint.ref, endpointId: endpoint.target.endpointId, deleted });
      return ctx.withEc2(endpoint.target, ec2 =>
        gate.run<DeleteEndpointResult>({
          actor,
          action: 'endpoint.delete',
          // The provider's service ref, so that its owners read the row in its audit log too.
          subject: { serviceRef: endpoint.serviceRef ?? endpoint.ref, accountId: endpoint.target.accountId, region: endpoint.target.region },
          details: { ...details, endpointRef: endpoint.ref, endpointId: endpoint.target.endpointId },
          checks: [{ permission: privatelinkEndpointDeletePermission, resourceRef: endpoint.ref, on: endpoint.ref }],
          precondition: async () => {
            gone = !(await endpointExists(await ec2(), endpoint));
          },
          dryRun: opts.dryRun,
          preview: () => result(!gone),
          failure: `Could not delete ${endpoint.target.endpointId}`,
          change: async () => {
            if (!gone) {
              const out = await (await ec2()).send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [endpoint.target.endpointId] }));
              const problem = out.Unsuccessful?.find(u => u.ResourceId === endpoint.target.endpointId);
              if (problem && !/NotFound/.test(problem.Error?.Code ?? '')) {
                throw new Error(`${problem.Error?.Code ?? 'Unsuccessful'}: ${problem.Error?.Message ?? 'no reason given'}`);
              }
              if (problem) gone = true;
            }
            return {
              value: result(!gone),
              details: gone ? { alreadyDeleted: true } : {},
              // The catalog re-reads the provider's service and the accounts of its endpoints: this one leaves.
              changed: Boolean(provider),
              ...(provider ? { announce: provider } : {}),
            };
          },
        }),
      );
    },
  };
}

async function endpointExists(ec2: EC2Client, endpoint: TrustedEndpoint): Promise<boolean> {
  try {
    const out = await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpoint.target.endpointId] }));
    const found = out.VpcEndpoints?.find(e => e.VpcEndpointId === endpoint.target.endpointId);
    return Boolean(found) && !['deleted', 'deleting'].includes(normalizeEndpointState(found!.State));
  } catch (e) {
    if (/NotFound/.test((e as Error).name)) return false;
    throw e;
  }
}
