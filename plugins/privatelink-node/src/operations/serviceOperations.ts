import { LoggerService, UserInfoService } from '@backstage/backend-plugin-api';
import {
  AcceptVpcEndpointConnectionsCommand,
  EC2Client,
  ModifyVpcEndpointServicePermissionsCommand,
  RejectVpcEndpointConnectionsCommand,
  UnsuccessfulItem,
} from '@aws-sdk/client-ec2';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DEFAULT_TAG_KEYS,
  privatelinkConnectionReviewPermission,
  privatelinkPrincipalManagePermission,
  ServiceChangedEvent,
} from '@privatelink-backstage/plugin-privatelink-common';
import { AwsClientOptions, AwsClientTarget } from '../clientSettings';
import { PrivateLinkConfig } from '../config/privatelinkConfig';
import { readAllowedPrincipals } from '../permissions/allowedPrincipals';
import { findTrustedService, TrustedService, trustService } from '../trust/trustedService';
import { readConnections } from './serviceReads';
import { createLifecycleOperations, LifecycleNotifier, ServiceLifecycleOperations } from './serviceLifecycle';
import { WriteActor, WriteGate } from './WriteGate';

/**
 * Creates an EC2 client for one account and region, as {@link createEc2ClientFactory} returns; the caller
 * destroys it.
 *
 * @public
 */
export type Ec2ClientFactory = (target: AwsClientTarget, options?: AwsClientOptions) => Promise<EC2Client>;

/**
 * The service a change is on: an entity the caller resolved (API), or its account, region and id (actions). Either
 * way it must pass {@link trustService}.
 *
 * @public
 */
export type ServiceSelector = { entity: Entity } | { target: ServiceChangedEvent };

/**
 * Options of a change on an existing service.
 *
 * @public
 */
export interface ChangeOptions {
  /** Check everything and answer what would change, without changing it (see {@link WriteOperation.dryRun}). Default false. */
  dryRun?: boolean;
  /** Extra details for the audit row, e.g. the access request that caused the change. */
  details?: Record<string, unknown>;
  /** Write no row when there is nothing to change (the scheduled job). Used by the connection decisions only. */
  quietWhenNothing?: boolean;
  /**
   * Whether a failure with this message is written down (see {@link WriteOperation.recordFailure}). Used by the
   * connection decisions only.
   */
  recordFailure?: (message: string) => boolean;
  /**
   * For {@link ServiceOperations.acceptPendingFrom}: the rejected connections that do not stop it (those the owners
   * rejected before the approval), or `'all'` at the approval itself. Default: any rejected connection stops it.
   */
  ignoreRejected?: string[] | 'all';
}

/**
 * Why the acceptance of an approved account's connections has nothing more to do: the account is no longer an
 * allowed principal (`revoked`), or an owner rejected one of its connections (`rejected`).
 *
 * @public
 */
export type AcceptanceStop = 'revoked' | 'rejected';

/**
 * What a connection decision did; each list holds VPC endpoint ids (`vpce-…`).
 *
 * @public
 */
export interface ConnectionDecisionResult {
  /** Endpoints this call accepted or rejected. */
  changed: string[];
  /** Endpoints that were in the wanted state already. */
  unchanged: string[];
  /** Endpoints AWS refused to change (`Unsuccessful`), with its reason. */
  failed: Array<{ endpointId: string; reason: string }>;
}

/**
 * The changes PrivateLink makes to an existing endpoint service, each through the {@link WriteGate} (so each
 * rejects as {@link WriteGate.run} does). A selector that names no trusted service is refused: a `refused` row is
 * written and the error of {@link trustService} or {@link findTrustedService} (a `NotAllowedError` or
 * `NotFoundError`, or the catalog's own error) is thrown.
 *
 * @public
 */
export interface ServiceOperations extends ServiceLifecycleOperations {
  /** Records a refusal that the caller found itself (e.g. self-approval), and throws it. */
  refuse(actor: WriteActor, action: string, service: TrustedService, details: Record<string, unknown>, error: Error): Promise<never>;
  /** The trusted service a selector names, with a `refused` row (with these details) when there is none. */
  resolve(actor: WriteActor, selector: ServiceSelector, action: string, details?: Record<string, unknown>): Promise<TrustedService>;
  /**
   * Allows the principals (ARNs, or `*`) that are not allowed yet, with the permission
   * `privatelink.principal.manage` on the service. Duplicates are dropped; both lists are sorted.
   */
  allowPrincipals(actor: WriteActor, selector: ServiceSelector, principals: string[], options?: ChangeOptions): Promise<{ service: TrustedService; added: string[]; alreadyAllowed: string[] }>;
  /**
   * Removes the principals that are allowed, with the permission `privatelink.principal.manage` on the service.
   * Duplicates are dropped; both lists are sorted.
   */
  revokePrincipals(actor: WriteActor, selector: ServiceSelector, principals: string[], options?: ChangeOptions): Promise<{ service: TrustedService; removed: string[]; notAllowed: string[] }>;
  /**
   * Accepts or rejects connections (VPC endpoint ids), with the permission `privatelink.connection.review` on the
   * service; ids that are no connection of the service are refused (an `InputError`) before any change.
   */
  reviewConnections(decision: 'accept' | 'reject', actor: WriteActor, selector: ServiceSelector, endpointIds: string[], options?: ChangeOptions): Promise<ConnectionDecisionResult & { service: TrustedService }>;
  /**
   * Accepts every pending connection from one account (an approved access request), after re-reading what the
   * owners decided since: nothing is accepted when the account is no longer an allowed principal
   * (`stop: 'revoked'`) or when an owner rejected one of its connections (`stop: 'rejected'`), except those that
   * `options.ignoreRejected` lists. Needs `privatelink.connection.review` on the service. The result's `rejected`
   * lists the account's rejected connections, as read.
   */
  acceptPendingFrom(
    actor: WriteActor,
    service: TrustedService,
    accountId: string,
    options?: ChangeOptions,
  ): Promise<ConnectionDecisionResult & { stop?: AcceptanceStop; rejected: string[] }>;
}

const DONE_STATE = { accept: 'available', reject: 'rejected' } as const;

/**
 * The shared implementation of {@link ServiceOperations}, used by the API, the scaffolder actions and the job.
 *
 * @public
 */
export function createServiceOperations(options: {
  /** The write path every change runs through. */
  gate: WriteGate;
  /** Creates the EC2 client of an operation: one per operation, destroyed at its end. */
  ec2: Ec2ClientFactory;
  /** Finds the entity of a service selected by its target, with the actor's credentials. */
  catalog: CatalogService;
  /**
   * The configured accounts (services are trusted only in these), and the placing tag keys and the retirement grace
   * period (defaults: `DEFAULT_TAG_KEYS`, none).
   */
  config: Pick<PrivateLinkConfig, 'accounts'> & Partial<Pick<PrivateLinkConfig, 'tagKeys' | 'retirement'>>;
  /** Tells the consumers of a service before it is retired; without it nobody is told. */
  notify?: LifecycleNotifier;
  /** The actors' teams, for handing a service to another team; without it no service changes owner. */
  userInfo?: Pick<UserInfoService, 'getUserInfo'>;
  /** The time now; default the clock. */
  now?: () => Date;
  /** Receives a notice that could not be sent (the change goes on). */
  logger?: Pick<LoggerService, 'warn'>;
}): ServiceOperations {
  const { gate, config, catalog } = options;

  /**
   * Runs one operation with one EC2 client for all its calls (the read, then the change), created on first use
   * and destroyed at the end: one connection and one credential look-up per operation, not per call.
   */
  async function withEc2<T>(target: AwsClientTarget, fn: (ec2: () => Promise<EC2Client>) => Promise<T>): Promise<T> {
    let client: Promise<EC2Client> | undefined;
    const ec2 = () => (client ??= options.ec2({ accountId: target.accountId, region: target.region }));
    try {
      return await fn(ec2);
    } finally {
      if (client) (await client.catch(() => undefined))?.destroy();
    }
  }

  async function resolve(actor: WriteActor, selector: ServiceSelector, action: string, details: Record<string, unknown> = {}): Promise<TrustedService> {
    try {
      if ('entity' in selector) return trustService(selector.entity, config);
      return await findTrustedService({ catalog, config, target: selector.target, credentials: actor.credentials });
    } catch (e) {
      const subject =
        'entity' in selector
          ? { serviceRef: stringifyEntityRef(selector.entity), accountId: selector.entity.metadata.annotations?.['amazonaws.com/account-id'] ?? 'unknown' }
          : selector.target;
      return gate.refuse(actor, action, subject, details, e as Error);
    }
  }

  const subjectOf = (s: TrustedService) => ({ serviceRef: s.ref, ...s.target });

  async function changePrincipals(change: 'allow' | 'revoke', actor: WriteActor, selector: ServiceSelector, principals: string[], opts: ChangeOptions = {}) {
    const action = `principals.${change}`;
    const wanted = [...new Set(principals)].sort();
    const service = await resolve(actor, selector, action, refusalDetails({ principals: wanted, ...opts.details }, opts));
    let current = new Set<string>();
    const split = () => ({
      toChange: wanted.filter(p => (change === 'allow' ? !current.has(p) : current.has(p))),
      unchanged: wanted.filter(p => (change === 'allow' ? current.has(p) : !current.has(p))),
    });
    const result = await withEc2(service.target, ec2 => gate.run({
      actor,
      action,
      subject: subjectOf(service),
      details: { principals: wanted, ...opts.details },
      checks: [{ permission: privatelinkPrincipalManagePermission, resourceRef: service.ref, on: service.ref }],
      precondition: async () => {
        current = new Set(await readAllowedPrincipals(await ec2(), service.target.serviceId));
      },
      dryRun: opts.dryRun,
      preview: split,
      failure: `Could not ${change} principals on ${service.target.serviceId}`,
      change: async () => {
        const { toChange, unchanged } = split();
        if (toChange.length > 0) {
          await (await ec2()).send(
            new ModifyVpcEndpointServicePermissionsCommand({
              ServiceId: service.target.serviceId,
              ...(change === 'allow' ? { AddAllowedPrincipals: toChange } : { RemoveAllowedPrincipals: toChange }),
            }),
          );
        }
        return { value: { toChange, unchanged }, details: { changed: toChange }, changed: toChange.length > 0 };
      },
    }));
    return { service, ...result };
  }

  /** The connections' states and owners by endpoint id (the filters checked again: an emulator may ignore some). */
  async function readStates(ec2: EC2Client, target: ServiceChangedEvent, filters: Array<{ Name: string; Values: string[] }>) {
    const states = new Map<string, { state: string; owner?: string }>();
    for (const c of await readConnections(ec2, target, filters)) states.set(c.endpointId, { state: c.state, owner: c.accountId });
    return states;
  }

  async function sendDecision(ec2: EC2Client, decision: 'accept' | 'reject', target: ServiceChangedEvent, ids: string[]) {
    const Command = decision === 'accept' ? AcceptVpcEndpointConnectionsCommand : RejectVpcEndpointConnectionsCommand;
    const out = await ec2.send(new Command({ ServiceId: target.serviceId, VpcEndpointIds: ids }));
    return describeUnsuccessful(ids, out.Unsuccessful);
  }

  async function decide(
    decision: 'accept' | 'reject',
    actor: WriteActor,
    service: TrustedService,
    select: (ec2: EC2Client) => Promise<{ toChange: string[]; unchanged: string[]; stop?: AcceptanceStop }>,
    details: Record<string, unknown>,
    opts: ChangeOptions,
  ): Promise<ConnectionDecisionResult & { stop?: AcceptanceStop }> {
    let plan: { toChange: string[]; unchanged: string[]; stop?: AcceptanceStop } = { toChange: [], unchanged: [] };
    return withEc2(service.target, ec2 => gate.run({
      actor,
      action: `connections.${decision}`,
      subject: subjectOf(service),
      details,
      checks: [{ permission: privatelinkConnectionReviewPermission, resourceRef: service.ref, on: service.ref }],
      precondition: async () => {
        plan = await select(await ec2());
      },
      dryRun: opts.dryRun,
      failure: `Could not ${decision} connections on ${service.target.serviceId}`,
      nothingToDo: opts.quietWhenNothing ? () => plan.toChange.length === 0 : undefined,
      recordFailure: opts.recordFailure,
      preview: () => ({ changed: plan.toChange, unchanged: plan.unchanged, failed: [], ...(plan.stop ? { stop: plan.stop } : {}) }),
      change: async () => {
        if (plan.toChange.length === 0) {
          return { value: { changed: [], unchanged: plan.unchanged, failed: [] }, changed: false };
        }
        const { changed, failed } = await sendDecision(await ec2(), decision, service.target, plan.toChange);
        return {
          value: { changed, unchanged: plan.unchanged, failed },
          details: { changed, failed },
          failure: failed.length ? `Could not ${decision} ${failed.map(f => `${f.endpointId} (${f.reason})`).join('; ')}` : undefined,
          changed: changed.length > 0,
        };
      },
    }));
  }

  return {
    ...createLifecycleOperations({
      gate,
      catalog,
      config,
      tagKeys: config.tagKeys ?? DEFAULT_TAG_KEYS,
      gracePeriodMs: config.retirement?.gracePeriodMs ?? 0,
      ...(options.userInfo
        ? { ownershipRefs: async (actor: WriteActor) => (await options.userInfo!.getUserInfo(actor.credentials)).ownershipEntityRefs }
        : {}),
      now: options.now ?? (() => new Date()),
      notify: options.notify,
      withEc2,
      resolve,
      onNotifyFailure: (error, entityRef) =>
        options.logger?.warn('Could not tell the consumers of a retired PrivateLink service', { entityRef, error: error.message }),
    }),
    resolve,
    refuse: (actor, action, service, details, error) => gate.refuse(actor, action, subjectOf(service), details, error),
    async allowPrincipals(actor, selector, principals, opts) {
      const { service, toChange, unchanged } = await changePrincipals('allow', actor, selector, principals, opts);
      return { service, added: toChange, alreadyAllowed: unchanged };
    },
    async revokePrincipals(actor, selector, principals, opts) {
      const { service, toChange, unchanged } = await changePrincipals('revoke', actor, selector, principals, opts);
      return { service, removed: toChange, notAllowed: unchanged };
    },
    async reviewConnections(decision, actor, selector, endpointIds, opts = {}) {
      const wanted = [...new Set(endpointIds)].sort();
      const service = await resolve(actor, selector, `connections.${decision}`, refusalDetails({ endpointIds: wanted, ...opts.details }, opts));
      const result = await decide(
        decision,
        actor,
        service,
        async ec2 => {
          const states = await readStates(ec2, service.target, [{ Name: 'vpc-endpoint-id', Values: wanted }]);
          const unknown = wanted.filter(id => !states.has(id));
          if (unknown.length > 0) {
            throw new InputError(
              `endpointIds: ${unknown.join(', ')} ${unknown.length > 1 ? 'are not connections' : 'is not a connection'} of ${service.target.serviceId}`,
            );
          }
          return {
            toChange: wanted.filter(id => states.get(id)!.state !== DONE_STATE[decision]),
            unchanged: wanted.filter(id => states.get(id)!.state === DONE_STATE[decision]),
          };
        },
        { endpointIds: wanted, ...opts.details },
        opts,
      );
      return { service, ...result };
    },
    async acceptPendingFrom(actor, service, accountId, opts = {}) {
      let rejected: string[] = [];
      const result = await decide(
        'accept',
        actor,
        service,
        async ec2 => {
          // What the owners decided since the approval wins: a revoked principal or a rejected connection.
          const principals = await readAllowedPrincipals(ec2, service.target.serviceId);
          if (!principals.some(p => p === '*' || p.split(':')[4] === accountId)) return { toChange: [], unchanged: [], stop: 'revoked' as const };
          const states = await readStates(ec2, service.target, [{ Name: 'vpc-endpoint-owner', Values: [accountId] }]);
          const mine = [...states].filter(([, c]) => c.owner === accountId);
          rejected = mine.filter(([, c]) => c.state === 'rejected').map(([id]) => id).sort();
          // Only a rejection since the approval stops it: those before it are what the approval knew of.
          const ignored = opts.ignoreRejected === 'all' ? undefined : new Set(opts.ignoreRejected ?? []);
          if (ignored && rejected.some(id => !ignored.has(id))) return { toChange: [], unchanged: [], stop: 'rejected' as const };
          const pending = mine.filter(([, c]) => c.state === 'pendingAcceptance');
          return { toChange: pending.map(([id]) => id).sort(), unchanged: [] };
        },
        { accountId, ...opts.details },
        opts,
      );
      return { ...result, rejected };
    },
  };
}

/** The details a refusal row carries: those of the attempt, marked as a dry run where it was one. */
function refusalDetails(details: Record<string, unknown>, opts: ChangeOptions) {
  return opts.dryRun ? { ...details, dryRun: true } : details;
}

function describeUnsuccessful(ids: string[], unsuccessful: UnsuccessfulItem[] | undefined) {
  const failed = (unsuccessful ?? []).map(u => ({
    endpointId: u.ResourceId ?? 'unknown',
    reason: [u.Error?.Code, u.Error?.Message].filter(Boolean).join(': ') || 'no reason given',
  }));
  const failedIds = new Set(failed.map(f => f.endpointId));
  return { changed: ids.filter(id => !failedIds.has(id)), failed };
}
