import {
  BackstageCredentials,
  BackstageUserPrincipal,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { AuthorizeResult, ResourcePermission } from '@backstage/plugin-permission-common';
import {
  AccessRequest,
  ANNOTATIONS,
  AuditEntry,
  CreateAccessRequest,
  privatelinkAccessRequestCreatePermission,
  privatelinkAccessRequestReviewPermission,
  privatelinkAuditReadPermission,
} from '@privatelink-backstage/plugin-privatelink-common';
import {
  ConnectionDecisionResult,
  PrivateLinkConfig,
  ServiceOperations,
  TrustedService,
  trustService,
  WriteActor,
} from '@privatelink-backstage/plugin-privatelink-node';
import { ServiceDetailsReader } from './serviceDetails';
import { PrivateLinkStore } from './store';

type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

/** How long after approval the consumer's connection is still accepted when it appears. */
const ACCEPT_WINDOW_MS = 7 * 24 * 3600 * 1000;

export interface PrivateLinkServiceOptions {
  reader: ServiceDetailsReader;
  store: PrivateLinkStore;
  /** The one write path: every AWS change is authorised, audited and announced there. */
  operations: ServiceOperations;
  config: Pick<PrivateLinkConfig, 'accounts'>;
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
    const service = await this.#o.reader.resolveServiceEntity(body.serviceRef, credentials);
    // Only on a service the sync wrote: a forged entity's "owner" would be notified and the request stuck.
    const serviceRef = trustService(service, this.#o.config).ref;
    await this.#authorize(privatelinkAccessRequestCreatePermission, serviceRef, credentials);
    const requestedBy = credentials.principal.userEntityRef;
    const open = await this.#o.store.listRequests({ serviceRef, requestedBy, status: 'pending' });
    if (open.some(r => r.accountId === body.accountId && r.consumerRef === body.consumerRef)) {
      throw new ConflictError(`There is already a pending request for ${body.consumerRef} from account ${body.accountId}`);
    }
    // The check above gives a readable answer; the store's unique index settles two concurrent identical requests.
    const request = await this.#o.store.createRequest({ ...body, serviceRef, requestedBy });
    await this.#o.store.audit({
      actor: requestedBy,
      via: 'api',
      action: 'accessRequest.create',
      serviceRef,
      details: { requestId: request.id, consumerRef: body.consumerRef, accountId: body.accountId },
      result: 'success',
    });
    await this.#notify(service, {
      title: `Access request to ${service.metadata.title ?? service.metadata.name}`,
      description: `${requestedBy} asks to connect ${body.consumerRef} from account ${body.accountId}: ${body.reason}`,
    });
    return request;
  }

  /** Owners (who may review) see every request of the service; anyone else sees their own. */
  async listAccessRequests(serviceRef: string | undefined, credentials: UserCredentials): Promise<AccessRequest[]> {
    const requestedBy = credentials.principal.userEntityRef;
    if (!serviceRef) return this.#o.store.listRequests({ requestedBy });
    const service = await this.#o.reader.resolveServiceEntity(serviceRef, credentials);
    const ref = stringifyEntityRef(service);
    const owner = await this.#allowed(privatelinkAccessRequestReviewPermission, ref, credentials);
    return this.#o.store.listRequests(owner ? { serviceRef: ref } : { serviceRef: ref, requestedBy });
  }

  async approve(id: string, reason: string | undefined, credentials: UserCredentials): Promise<AccessRequest> {
    const request = await this.#request(id);
    const entity = await this.#o.reader.resolveServiceEntity(request.serviceRef, credentials);
    const actor: WriteActor = { credentials, via: 'api' };
    const service = await this.#o.operations.resolve(actor, { entity }, 'accessRequest.approve');
    await this.#authorize(privatelinkAccessRequestReviewPermission, service.ref, credentials);
    // Everything that can refuse the approval is checked before the claim, so a refusal leaves no claim behind.
    await this.#claim(id);
    const decidedBy = credentials.principal.userEntityRef;
    const principal = `arn:aws:iam::${request.accountId}:root`;
    const details = { requestId: id };
    let decided: AccessRequest;
    let accepted: { changed: string[]; error?: string };
    try {
      await this.#o.operations.allowPrincipals(actor, { entity }, [principal], { details });
      // The consumer's endpoint may exist already; if not, the follow-up accepts it when it appears.
      accepted = await this.#acceptPendingFrom(actor, service, request.accountId, details);
      decided = await this.#o.store.decide(id, {
        status: 'approved',
        decidedBy,
        decisionReason: reason,
        acceptedEndpointIds: accepted.changed,
        error: accepted.error,
      });
    } catch (e) {
      // Not decided: give the request back, so that it can be approved again or denied.
      await this.#o.store.releaseClaim(id, (e as Error).message);
      throw e;
    }
    await this.#o.store.audit({ actor: decidedBy, via: 'api', action: 'accessRequest.approve', serviceRef: service.ref, ...service.target, details: { ...details, principal, acceptedEndpointIds: accepted.changed }, result: 'success' });
    await this.#notifyUser(request.requestedBy, `Access to ${titleOf(entity)} approved`, `Account ${request.accountId} may now connect. ${reason ?? ''}`.trim(), service.ref);
    return decided;
  }

  async deny(id: string, reason: string, credentials: UserCredentials): Promise<AccessRequest> {
    const request = await this.#request(id);
    const entity = await this.#o.reader.resolveServiceEntity(request.serviceRef, credentials);
    const service = await this.#o.operations.resolve({ credentials, via: 'api' }, { entity }, 'accessRequest.deny');
    await this.#authorize(privatelinkAccessRequestReviewPermission, service.ref, credentials);
    await this.#claim(id);
    const actor = credentials.principal.userEntityRef;
    const decided = await this.#o.store.decide(id, { status: 'denied', decidedBy: actor, decisionReason: reason });
    await this.#o.store.audit({ actor, via: 'api', action: 'accessRequest.deny', serviceRef: service.ref, ...service.target, details: { requestId: id, reason }, result: 'success' });
    await this.#notifyUser(request.requestedBy, `Access to ${titleOf(entity)} denied`, reason, service.ref);
    return decided;
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

  async listAudit(serviceRef: string, credentials: UserCredentials, limit = 200): Promise<AuditEntry[]> {
    const entity = await this.#o.reader.resolveServiceEntity(serviceRef, credentials);
    const ref = stringifyEntityRef(entity);
    await this.#authorize(privatelinkAuditReadPermission, ref, credentials);
    let target;
    try {
      target = trustService(entity, this.#o.config).target;
    } catch {
      // An entity the sync did not write has no AWS service of its own: only rows on its ref are listed.
    }
    return this.#o.store.listAudit({ serviceRef: ref, target }, limit);
  }

  /**
   * Accepts the connections of consumers approved lately whose endpoint appeared after the approval. Runs on a
   * schedule with the plugin's own service credentials: the owner's approval is the authority. Requests for the
   * same service and account are handled together: one look-up of pending connections, one acceptance, one audit
   * entry, whatever the number of requests.
   */
  async acceptApprovedConnections(loadService: (ref: string) => Promise<Entity | undefined>, credentials: BackstageCredentials): Promise<number> {
    const groups = new Map<string, AccessRequest[]>();
    for (const request of await this.#o.store.listAwaitingAcceptance(new Date(Date.now() - ACCEPT_WINDOW_MS))) {
      const key = `${request.serviceRef}\n${request.accountId}`;
      groups.set(key, [...(groups.get(key) ?? []), request]);
    }
    const actor: WriteActor = { credentials, via: 'job' };
    let accepted = 0;
    for (const requests of groups.values()) {
      const { serviceRef, accountId } = requests[0];
      const entity = await loadService(serviceRef);
      if (!entity || entity.metadata.annotations?.[ANNOTATIONS.acceptanceRequired] !== 'true') continue;
      let service: TrustedService;
      try {
        service = trustService(entity, this.#o.config);
      } catch (e) {
        this.#o.logger.warn('Not accepting connections on an entity the sync did not write', { serviceRef, error: (e as Error).message });
        continue;
      }
      const result = await this.#acceptPendingFrom(actor, service, accountId, { requestIds: requests.map(r => r.id) }, true);
      if (result.changed.length === 0 && !result.error) continue;
      for (const request of requests) {
        const all = [...new Set([...(request.acceptedEndpointIds ?? []), ...result.changed])];
        await this.#o.store.setAccepted(request.id, all, result.error);
      }
      accepted += result.changed.length;
    }
    return accepted;
  }

  async #acceptPendingFrom(
    actor: WriteActor,
    service: TrustedService,
    accountId: string,
    details: Record<string, unknown>,
    quietWhenNothing = false,
  ): Promise<{ changed: string[]; error?: string }> {
    try {
      const outcome = await this.#o.operations.acceptPendingFrom(actor, service, accountId, { details, quietWhenNothing });
      return {
        changed: outcome.changed,
        error: outcome.failed.length ? outcome.failed.map(f => `${f.endpointId}: ${f.reason}`).join('; ') : undefined,
      };
    } catch (e) {
      this.#o.logger.warn('Could not accept pending connections', { ...service.target, accountId, error: (e as Error).message });
      return { changed: [], error: `accepting pending connections failed: ${(e as Error).message}` };
    }
  }

  /** Takes the request for one decision; a concurrent or earlier decision makes this a conflict. */
  async #claim(id: string) {
    if (await this.#o.store.claimForApproval(id)) return;
    const current = await this.#request(id);
    throw new ConflictError(
      current.status === 'pending'
        ? `Access request ${id} is being decided by someone else`
        : `Access request ${id} is already ${current.status}`,
    );
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
