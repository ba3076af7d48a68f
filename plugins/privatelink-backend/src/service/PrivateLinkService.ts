import {
  BackstageCredentials,
  BackstageUserPrincipal,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { AuthorizeResult, ResourcePermission } from '@backstage/plugin-permission-common';
import {
  AccessRequest,
  AccessRequestFollowUp,
  ANNOTATIONS,
  AuditEntry,
  CreateAccessRequest,
  PrivateLinkConsumerDetails,
  DeleteEndpointResult,
  EndpointServiceSettingsChange,
  EndpointServiceSettingsResult,
  RetireEndpointServiceRequest,
  RetireEndpointServiceResult,
  privatelinkAccessRequestCreatePermission,
  privatelinkAccessRequestReviewPermission,
  privatelinkAuditReadPermission,
  ServiceChangedEvent,
} from '@privatelink-backstage/plugin-privatelink-common';
import {
  ChangeOptions,
  ConnectionDecisionResult,
  PLUGIN_ACTOR,
  PrivateLinkConfig,
  ServiceOperations,
  TrustedService,
  trustService,
  WriteActor,
} from '@privatelink-backstage/plugin-privatelink-node';
import { checkAccessRequest } from './accessRequestChecks';
import { ConsumerDetailsReader } from './consumerDetails';
import { ServiceDetailsReader } from './serviceDetails';
import { PrivateLinkStore } from './store';

type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

/** How long after approval the consumer's connection is still accepted when it appears. */
const ACCEPT_WINDOW_MS = 7 * 24 * 3600 * 1000;
/** The most requests one follow-up run looks at (a bound on its work; a full batch is logged). */
const FOLLOW_UP_BATCH = 1000;

/**
 * A decision's claim older than this never finished (the backend stopped between the claim and the answer): far
 * longer than a decision's AWS calls may take with their timeouts and retries.
 */
export const CLAIM_TIMEOUT_MS = 5 * 60 * 1000;

/** A page of a list, newest first; `nextBefore` is the cursor of the next, older page when there is one. */
export interface Page<T> {
  items: T[];
  nextBefore?: string;
}

/** Which page of a list: at most `limit` items, older than the `before` cursor. */
export interface PageRequest {
  limit?: number;
  before?: string;
}

const DEFAULT_PAGE = 200;

const encodeRequestCursor = (r: AccessRequest) => Buffer.from(JSON.stringify([r.requestedAt, r.id])).toString('base64url');

function decodeRequestCursor(cursor: string): { requestedAt: string; id: string } {
  try {
    const [requestedAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof requestedAt === 'string' && !Number.isNaN(Date.parse(requestedAt)) && typeof id === 'string') return { requestedAt, id };
  } catch {
    // answered below
  }
  throw new InputError(`before: '${cursor}' is not an access request cursor`);
}

/** What a request records when the acceptance of its connections failed. */
const failedAcceptance = (message: string) => `accepting pending connections failed: ${message}`;

export interface PrivateLinkServiceOptions {
  reader: ServiceDetailsReader;
  /** The consumer card's reads of a component's or group's endpoints. */
  consumers: ConsumerDetailsReader;
  store: PrivateLinkStore;
  /** The one write path: every AWS change is authorised, audited and announced there. */
  operations: ServiceOperations;
  config: Pick<PrivateLinkConfig, 'accounts' | 'accessRequests'>;
  /** The catalog, read with the caller's credentials (the consumer of a request). */
  catalog: CatalogService;
  /** The caller's ownership refs, from their verified token. */
  userInfo: UserInfoService;
  permissions: PermissionsService;
  logger: LoggerService;
  notifications?: NotificationService;
  /** Link to an entity page in the frontend, for notifications. */
  entityLink?: (entityRef: string) => string;
}

/**
 * What the HTTP API does: access requests, reads from the synced catalog state, and owner actions that change
 * AWS. Every AWS change goes through the shared {@link ServiceOperations} (authorised on the service's catalog
 * entity, audited with its outcome, announced so that the catalog re-reads the service within seconds), on
 * endpoint services that the sync itself emitted only.
 */
export class PrivateLinkService {
  readonly #o: PrivateLinkServiceOptions;

  constructor(options: PrivateLinkServiceOptions) {
    this.#o = options;
  }

  async createAccessRequest(body: CreateAccessRequest, credentials: UserCredentials): Promise<AccessRequest> {
    const entity = await this.#o.reader.resolveServiceEntity(body.serviceRef, credentials);
    // Only on a service the sync wrote: a forged entity's "owner" would be notified and the request stuck.
    const service = trustService(entity, this.#o.config);
    const serviceRef = service.ref;
    await this.#authorize(privatelinkAccessRequestCreatePermission, serviceRef, credentials);
    const { consumerRef, external } = await checkAccessRequest({
      body,
      serviceRef,
      credentials,
      catalog: this.#o.catalog,
      userInfo: this.#o.userInfo,
      config: this.#o.config,
      store: this.#o.store,
    });
    const requestedBy = credentials.principal.userEntityRef;
    const open = await this.#o.store.listRequests({ serviceRef, requestedBy, status: 'pending' });
    if (open.some(r => r.accountId === body.accountId && r.consumerRef === consumerRef)) {
      throw new ConflictError(`There is already a pending request for ${consumerRef} from account ${body.accountId}`);
    }
    // The check above gives a readable answer; the store's unique index settles two concurrent identical requests.
    const request = await this.#o.store.createRequest({ ...body, consumerRef, serviceRef, requestedBy, external, target: service.target });
    await this.#o.store.audit({
      actor: requestedBy,
      via: 'api',
      action: 'accessRequest.create',
      serviceRef,
      ...service.target,
      details: { requestId: request.id, consumerRef, accountId: body.accountId, external },
      result: 'success',
    });
    await this.#notify(entity, {
      title: `Access request to ${titleOf(entity)}`,
      description: `${requestedBy} asks to connect ${consumerRef} from ${external ? 'the external account' : 'account'} ${body.accountId}: ${body.reason}`,
    });
    return request;
  }

  /**
   * Owners (who may review) see every request of the service; anyone else sees their own. Newest first, a page
   * at a time: `nextBefore` is the cursor of the next (older) page, when there is one.
   */
  async listAccessRequests(serviceRef: string | undefined, credentials: UserCredentials, page: PageRequest = {}): Promise<Page<AccessRequest>> {
    const requestedBy = credentials.principal.userEntityRef;
    const limit = page.limit ?? DEFAULT_PAGE;
    const before = page.before ? decodeRequestCursor(page.before) : undefined;
    let filter: { serviceRef?: string; requestedBy?: string } = { requestedBy };
    if (serviceRef) {
      const service = await this.#o.reader.resolveServiceEntity(serviceRef, credentials);
      const ref = stringifyEntityRef(service);
      const owner = await this.#allowed(privatelinkAccessRequestReviewPermission, ref, credentials);
      filter = owner ? { serviceRef: ref } : { serviceRef: ref, requestedBy };
    }
    const rows = await this.#o.store.listRequests(filter, { limit: limit + 1, before });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, ...(rows.length > limit && last ? { nextBefore: encodeRequestCursor(last) } : {}) };
  }

  async approve(id: string, reason: string | undefined, credentials: UserCredentials): Promise<AccessRequest> {
    const actor = { credentials, via: 'api' as const };
    const { request, entity, service } = await this.#decidable(id, 'accessRequest.approve', actor);
    const principal = `arn:aws:iam::${request.accountId}:root`;
    const details = { requestId: id };
    const auditId = await this.#claim(id, actor, 'accessRequest.approve', service, { ...details, principal });
    let decided: AccessRequest;
    let accepted: { changed: string[]; error?: string; rejected?: string[] };
    try {
      await this.#o.operations.allowPrincipals(actor, { entity }, [principal], { details });
      // The consumer's endpoint may exist already; if not, the follow-up accepts it when it appears.
      // What the owners rejected before approving does not stop the follow-up; a rejection after it will.
      accepted = await this.#acceptPendingFrom(actor, service, request.accountId, details, { ignoreRejected: 'all' });
      decided = await this.#o.store.decide(id, {
        status: 'approved',
        decidedBy: credentials.principal.userEntityRef,
        decisionReason: reason,
        acceptedEndpointIds: accepted.changed,
        error: accepted.error,
        followUp: accepted.changed.length > 0 ? 'accepted' : 'active',
        rejectedAtApproval: accepted.rejected,
      });
    } catch (e) {
      await this.#unclaim(id, auditId, e as Error);
      throw e;
    }
    await this.#o.store.complete(auditId, { result: 'success', details: { acceptedEndpointIds: accepted.changed } });
    await this.#notifyUser(request.requestedBy, `Access to ${titleOf(entity)} approved`, `Account ${request.accountId} may now connect. ${reason ?? ''}`.trim(), service.ref);
    return decided;
  }

  async deny(id: string, reason: string, credentials: UserCredentials): Promise<AccessRequest> {
    const actor = { credentials, via: 'api' as const };
    const { request, entity, service } = await this.#decidable(id, 'accessRequest.deny', actor);
    const auditId = await this.#claim(id, actor, 'accessRequest.deny', service, { requestId: id, reason });
    let decided: AccessRequest;
    try {
      decided = await this.#o.store.decide(id, { status: 'denied', decidedBy: credentials.principal.userEntityRef, decisionReason: reason });
    } catch (e) {
      await this.#unclaim(id, auditId, e as Error);
      throw e;
    }
    await this.#o.store.complete(auditId, { result: 'success' });
    await this.#notifyUser(request.requestedBy, `Access to ${titleOf(entity)} denied`, reason, service.ref);
    return decided;
  }

  /**
   * The request, its service and the checks every decision passes before anything is written: the entity at the
   * request's ref is still the synced service it was filed for, the caller may review its requests, and the
   * caller did not file it (unless `accessRequests.allowSelfApproval`). A refusal leaves one refused row.
   */
  async #decidable(id: string, action: string, actor: WriteActor & { credentials: UserCredentials }) {
    const request = await this.#request(id);
    const entity = await this.#o.reader.resolveServiceEntity(request.serviceRef, actor.credentials);
    const service = await this.#o.operations.resolve(actor, { entity }, action, { requestId: id });
    const refuse = (error: Error) => this.#o.operations.refuse(actor, action, service, { requestId: id }, error);
    const t = request.target;
    if (t && (t.accountId !== service.target.accountId || t.region !== service.target.region || t.serviceId !== service.target.serviceId)) {
      await refuse(new ConflictError(`${service.ref} is no longer the endpoint service ${t.serviceId} this request was filed for; it cannot be decided`));
    }
    if (!(await this.#allowed(privatelinkAccessRequestReviewPermission, service.ref, actor.credentials))) {
      await refuse(new NotAllowedError(`${privatelinkAccessRequestReviewPermission.name} is not allowed on ${service.ref}`));
    }
    if (request.requestedBy === actor.credentials.principal.userEntityRef && !this.#o.config.accessRequests.allowSelfApproval) {
      await refuse(new NotAllowedError(`You filed access request ${id}; another owner of ${service.ref} decides it (privatelink.accessRequests.allowSelfApproval)`));
    }
    return { request, entity, service };
  }

  async reviewConnections(
    decision: 'accept' | 'reject',
    serviceRef: string,
    endpointIds: string[],
    credentials: UserCredentials,
  ): Promise<ConnectionDecisionResult> {
    const entity = await this.#o.reader.resolveServiceEntity(serviceRef, credentials);
    const { changed, unchanged, failed } = await this.#o.operations.reviewConnections(decision, { credentials, via: 'api' }, { entity }, endpointIds);
    return { changed, unchanged, failed };
  }

  async managePrincipals(
    change: 'allow' | 'revoke',
    serviceRef: string,
    principals: string[],
    credentials: UserCredentials,
  ): Promise<{ changed: string[] }> {
    const entity = await this.#o.reader.resolveServiceEntity(serviceRef, credentials);
    const actor: WriteActor = { credentials, via: 'api' };
    if (change === 'allow') {
      const { added } = await this.#o.operations.allowPrincipals(actor, { entity }, principals);
      return { changed: added };
    }
    const { removed } = await this.#o.operations.revokePrincipals(actor, { entity }, principals);
    return { changed: removed };
  }

  /**
   * The consumer card's data of a component or group: its synced endpoints as the caller may see them in the
   * catalog (no AWS call), and its pending and denied access requests, for those who filed them or are among the
   * consumer's owners (the group itself, or the component's owner, in the caller's ownership refs).
   */
  async getConsumerDetails(entityRef: string, credentials: UserCredentials): Promise<PrivateLinkConsumerDetails> {
    const { consumer, endpoints } = await this.#o.consumers.getEndpoints(entityRef, credentials);
    const consumerRef = stringifyEntityRef(consumer);
    const { ownershipEntityRefs } = await this.#o.userInfo.getUserInfo(credentials);
    const owners = consumer.kind.toLocaleLowerCase('en-US') === 'group' ? [consumerRef] : [consumer.spec?.owner as string | undefined];
    const owning = owners.some(o => o && ownershipEntityRefs.includes(o));
    const me = credentials.principal.userEntityRef;
    const requests = await this.#o.store.listRequests({ consumerRef, ...(owning ? {} : { requestedBy: me }), status: ['pending', 'denied'] }, { limit: 50 });
    return { entityRef: consumerRef, endpoints, requests };
  }

  /** Changes a service's settings through the one write path (see {@link ServiceOperations.updateSettings}). */
  async updateSettings(serviceRef: string, change: EndpointServiceSettingsChange, credentials: UserCredentials): Promise<EndpointServiceSettingsResult> {
    const entity = await this.#o.reader.resolveServiceEntity(serviceRef, credentials);
    const { service: _service, ...result } = await this.#o.operations.updateSettings({ credentials, via: 'api' }, { entity }, change);
    return result;
  }

  /**
   * Retires a service through the one write path (see {@link ServiceOperations.retireService}), then closes its open
   * access requests (the retirement's event closes them too when it came through the scaffolder).
   */
  async retireService(body: RetireEndpointServiceRequest, credentials: UserCredentials): Promise<RetireEndpointServiceResult> {
    const entity = await this.#o.reader.resolveServiceEntity(body.serviceRef, credentials);
    const openOf = async (ref: string) => (await this.#o.store.listRequests({ serviceRef: ref, status: 'pending' }, { limit: 1000 })).length;
    const before = await openOf(stringifyEntityRef(entity));
    const { service, ...result } = await this.#o.operations.retireService({ credentials, via: 'api' }, { entity }, { confirmName: body.confirmName, force: body.force });
    // The retirement's announcement may have closed them already (the listener of this or another replica); what
    // is left is closed here. The answer counts both.
    await this.closeRequestsOfRetired(service.ref, service.target);
    return { ...result, closedRequests: before - (await openOf(service.ref)) };
  }

  /**
   * Closes the open access requests of a retired service, with one audit row when any were closed. Only for a
   * service that AWS no longer has: the caller checked it (the API retired it, or the event listener read it).
   */
  async closeRequestsOfRetired(serviceRef: string | undefined, target: ServiceChangedEvent): Promise<number> {
    const { accountId, region, serviceId } = target;
    const ids = await this.#o.store.closeRequestsOfService({ serviceRef, accountId, region, serviceId }, PLUGIN_ACTOR, 'The endpoint service was retired');
    if (ids.length) {
      await this.#o.store.audit({
        actor: PLUGIN_ACTOR,
        via: 'job',
        action: 'access-requests.close',
        serviceRef,
        accountId,
        region,
        serviceId,
        details: { requestIds: ids, reason: 'service retired' },
        result: 'success',
      });
    }
    return ids.length;
  }

  /** Deletes a consumer's VPC endpoint through the one write path (see {@link ServiceOperations.deleteEndpoint}). */
  async deleteEndpoint(endpointRef: string, credentials: UserCredentials): Promise<DeleteEndpointResult> {
    const entity = await this.#o.catalog.getEntityByRef(endpointRef, { credentials });
    if (!entity) throw new NotFoundError(`No entity ${endpointRef}`);
    return this.#o.operations.deleteEndpoint({ credentials, via: 'api' }, { entity });
  }

  /** The service's audit log, newest first, a page at a time (`nextBefore`: the cursor of the older page). */
  async listAudit(serviceRef: string, credentials: UserCredentials, page: PageRequest = {}): Promise<Page<AuditEntry>> {
    const entity = await this.#o.reader.resolveServiceEntity(serviceRef, credentials);
    const ref = stringifyEntityRef(entity);
    await this.#authorize(privatelinkAuditReadPermission, ref, credentials);
    let target;
    try {
      target = trustService(entity, this.#o.config).target;
    } catch {
      // An entity the sync did not write has no AWS service of its own: only rows on its ref are listed.
    }
    const limit = page.limit ?? DEFAULT_PAGE;
    const before = page.before === undefined ? undefined : Number(page.before);
    if (before !== undefined && !(Number.isInteger(before) && before > 0)) throw new InputError(`before: '${page.before}' is not an audit cursor`);
    const rows = await this.#o.store.listAudit({ serviceRef: ref, target }, limit + 1, before);
    const items = rows.slice(0, limit);
    return { items, ...(rows.length > limit ? { nextBefore: String(items[items.length - 1].id) } : {}) };
  }

  /**
   * The follow-up of owners' approvals, on a schedule with the plugin's own service credentials (the owner's
   * approval is the authority, and what the owners decided since wins):
   * - gives back claims of decisions that never finished (older than {@link CLAIM_TIMEOUT_MS}), so a request is
   *   decidable again after a crash halfway;
   * - accepts the connections of consumers approved lately whose endpoint appeared after the approval, one look-up
   *   and one acceptance per service and account, whatever the number of requests; it stops for good after the
   *   first acceptance, when the account is no longer an allowed principal, or when an owner rejected one of its
   *   connections, and writes a row on a change or on the first failure of a streak, not on every run.
   */
  async acceptApprovedConnections(
    loadService: (ref: string) => Promise<Entity | undefined>,
    credentials: BackstageCredentials,
    signal?: AbortSignal,
    /** Only the requests on this service: a change to it was announced (e.g. a consumer created its endpoint). */
    only?: ServiceChangedEvent,
  ): Promise<number> {
    if (!only) {
      const swept = await this.#o.store.sweepClaims(new Date(Date.now() - CLAIM_TIMEOUT_MS));
      if (swept > 0) this.#o.logger.warn('Gave back access requests whose decision did not finish', { count: swept });
    }
    const groups = new Map<string, AccessRequest[]>();
    const awaiting = await this.#o.store.listAwaitingAcceptance(new Date(Date.now() - ACCEPT_WINDOW_MS), { limit: FOLLOW_UP_BATCH, service: only });
    if (awaiting.length === FOLLOW_UP_BATCH) {
      this.#o.logger.warn('More approved access requests await acceptance than one follow-up run takes', { batch: FOLLOW_UP_BATCH });
    }
    for (const request of awaiting) {
      const key = `${request.serviceRef}\n${request.accountId}`;
      groups.set(key, [...(groups.get(key) ?? []), request]);
    }
    const actor: WriteActor = { credentials, via: 'job' };
    let accepted = 0;
    for (const requests of groups.values()) {
      if (signal?.aborted) break;
      const service = await this.#followedService(requests[0], loadService);
      if (!service || (only && !sameService(service.target, only))) continue;
      const { accountId } = requests[0];
      const lastErrors = new Set(requests.map(r => r.error));
      const result = await this.#acceptPendingFrom(actor, service, accountId, { requestIds: requests.map(r => r.id) }, {
        quietWhenNothing: true,
        ignoreRejected: requests.flatMap(r => r.rejectedAtApproval ?? []),
        // A failure like the last one is not written again: one row per streak, not one a minute.
        recordFailure: message => !lastErrors.has(failedAcceptance(message)),
      });
      const followUp = result.stop ?? (result.changed.length > 0 ? 'accepted' : undefined);
      if (result.changed.length === 0 && !followUp && result.error === requests[0].error) continue;
      for (const request of requests) {
        const all = [...new Set([...(request.acceptedEndpointIds ?? []), ...result.changed])];
        await this.#o.store.setAccepted(request.id, all, result.error, followUp);
      }
      if (result.stop) this.#o.logger.info('Stopped accepting connections of an approved account', { ...service.target, accountId, reason: result.stop });
      accepted += result.changed.length;
    }
    return accepted;
  }

  /** The synced service an approved request is followed on, while it is still the one the request was filed for. */
  async #followedService(request: AccessRequest, loadService: (ref: string) => Promise<Entity | undefined>) {
    const entity = await loadService(request.serviceRef);
    if (!entity || entity.metadata.annotations?.[ANNOTATIONS.acceptanceRequired] !== 'true') return undefined;
    let service: TrustedService;
    try {
      service = trustService(entity, this.#o.config);
    } catch (e) {
      this.#o.logger.warn('Not accepting connections on an entity the sync did not write', { serviceRef: request.serviceRef, error: (e as Error).message });
      return undefined;
    }
    const t = request.target;
    if (t && t.serviceId !== service.target.serviceId) return undefined;
    return service;
  }

  async #acceptPendingFrom(
    actor: WriteActor,
    service: TrustedService,
    accountId: string,
    details: Record<string, unknown>,
    options: Pick<ChangeOptions, 'quietWhenNothing' | 'recordFailure' | 'ignoreRejected'> = {},
  ): Promise<{ changed: string[]; error?: string; stop?: AccessRequestFollowUp; rejected?: string[] }> {
    try {
      const outcome = await this.#o.operations.acceptPendingFrom(actor, service, accountId, { details, ...options });
      return {
        changed: outcome.changed,
        error: outcome.failed.length ? outcome.failed.map(f => `${f.endpointId}: ${f.reason}`).join('; ') : undefined,
        stop: outcome.stop,
        rejected: outcome.rejected,
      };
    } catch (e) {
      this.#o.logger.warn('Could not accept pending connections', { ...service.target, accountId, error: (e as Error).message });
      return { changed: [], error: failedAcceptance((e as Error).message) };
    }
  }

  /**
   * Takes the request for one decision, writing the decision's started row in the same transaction; a concurrent
   * or earlier decision makes this a conflict. Returns the row's id.
   */
  async #claim(id: string, actor: WriteActor, action: string, service: TrustedService, details: Record<string, unknown>): Promise<number> {
    const auditId = await this.#o.store.claim(id, {
      actor: (actor.credentials.principal as BackstageUserPrincipal).userEntityRef,
      via: actor.via,
      action,
      serviceRef: service.ref,
      ...service.target,
      details,
    });
    if (auditId !== undefined) return auditId;
    const current = await this.#request(id);
    throw new ConflictError(
      current.status === 'pending'
        ? `Access request ${id} is being decided by someone else`
        : `Access request ${id} is already ${current.status}`,
    );
  }

  /** Not decided: the request is given back, so that it can be decided again, and its row says why. */
  async #unclaim(id: string, auditId: number, error: Error) {
    await this.#o.store.releaseClaim(id, error.message);
    await this.#o.store.complete(auditId, { result: 'error', message: error.message });
  }

  async #request(id: string): Promise<AccessRequest> {
    const request = await this.#o.store.getRequest(id);
    if (!request) throw new NotFoundError(`No access request ${id}`);
    return request;
  }

  async #allowed(permission: ResourcePermission<'catalog-entity'>, resourceRef: string, credentials: BackstageCredentials) {
    const [decision] = await this.#o.permissions.authorize([{ permission, resourceRef }], { credentials });
    return decision.result === AuthorizeResult.ALLOW;
  }

  async #authorize(permission: ResourcePermission<'catalog-entity'>, resourceRef: string, credentials: BackstageCredentials) {
    if (!(await this.#allowed(permission, resourceRef, credentials))) {
      throw new NotAllowedError(`${permission.name} is not allowed on ${resourceRef}`);
    }
  }

  async #notify(service: Entity, payload: { title: string; description: string }) {
    const owner = service.spec?.owner as string | undefined;
    if (!owner || !this.#o.notifications) return;
    await this.#send({ type: 'entity', entityRef: owner }, payload, stringifyEntityRef(service));
  }

  async #notifyUser(userRef: string, title: string, description: string, serviceRef: string) {
    if (!this.#o.notifications) return;
    await this.#send({ type: 'entity', entityRef: userRef }, { title, description }, serviceRef);
  }

  async #send(recipients: { type: 'entity'; entityRef: string }, payload: { title: string; description: string }, serviceRef: string) {
    try {
      await this.#o.notifications!.send({
        recipients,
        payload: { ...payload, topic: 'privatelink', severity: 'normal', link: this.#o.entityLink?.(serviceRef) },
      });
    } catch (e) {
      // A notification that cannot be delivered does not undo the change it reports.
      this.#o.logger.warn('Could not send a PrivateLink notification', { serviceRef, error: (e as Error).message });
    }
  }
}

function titleOf(service: Entity): string {
  return service.metadata.title ?? service.metadata.name;
}

function sameService(a: ServiceChangedEvent, b: ServiceChangedEvent): boolean {
  return a.accountId === b.accountId && a.region === b.region && a.serviceId === b.serviceId;
}
