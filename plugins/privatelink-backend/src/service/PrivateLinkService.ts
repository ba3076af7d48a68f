import {
  BackstageCredentials,
  BackstageUserPrincipal,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, NotAllowedError, NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import { EventsService } from '@backstage/plugin-events-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { AuthorizeResult, ResourcePermission } from '@backstage/plugin-permission-common';
import {
  AccessRequest,
  ANNOTATIONS,
  AuditEntry,
  CreateAccessRequest,
  PRIVATELINK_SERVICE_CHANGED_TOPIC,
  privatelinkAccessRequestCreatePermission,
  privatelinkAccessRequestReviewPermission,
  privatelinkAuditReadPermission,
  privatelinkConnectionReviewPermission,
  privatelinkPrincipalManagePermission,
} from '@privatelink-backstage/plugin-privatelink-common';
import { AwsChanges, ConnectionChangeResult, ServiceTarget } from './awsChanges';
import { ServiceDetailsReader } from './serviceDetails';
import { PrivateLinkStore } from './store';

type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

/** How long after approval the consumer's connection is still accepted when it appears. */
const ACCEPT_WINDOW_MS = 7 * 24 * 3600 * 1000;

export interface PrivateLinkServiceOptions {
  reader: ServiceDetailsReader;
  store: PrivateLinkStore;
  aws: AwsChanges;
  permissions: PermissionsService;
  logger: LoggerService;
  events?: EventsService;
  notifications?: NotificationService;
  /** Told of every service the plugin changed in AWS (e.g. to drop what is cached of it). */
  onChanged?: (target: ServiceTarget) => void;
  /** Link to an entity page in the frontend, for notifications. */
  entityLink?: (entityRef: string) => string;
}

/**
 * What the HTTP API does: reads from the synced catalog state, and owner actions that change AWS. Every change
 * is authorised with the permission framework on the service's catalog entity, carried out, written to the
 * audit table with its outcome, and announced so that the catalog re-reads the service within seconds.
 */
export class PrivateLinkService {
  readonly #o: PrivateLinkServiceOptions;

  constructor(options: PrivateLinkServiceOptions) {
    this.#o = options;
  }

  async createAccessRequest(body: CreateAccessRequest, credentials: UserCredentials): Promise<AccessRequest> {
    const service = await this.#o.reader.resolveServiceEntity(body.serviceRef, credentials);
    const serviceRef = stringifyEntityRef(service);
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
    const service = await this.#o.reader.resolveServiceEntity(request.serviceRef, credentials);
    await this.#authorize(privatelinkAccessRequestReviewPermission, request.serviceRef, credentials);
    // Everything that can refuse the approval is checked before the claim, so a refusal leaves no claim behind.
    const target = targetOf(service);
    await this.#claim(id);
    const actor = credentials.principal.userEntityRef;
    const principal = `arn:aws:iam::${request.accountId}:root`;
    let decided: AccessRequest;
    let accepted: { changed: string[]; error?: string };
    try {
      try {
        await this.#o.aws.allowPrincipals(target, [principal]);
      } catch (e) {
        await this.#audit(actor, 'accessRequest.approve', request.serviceRef, { requestId: id, principal }, e as Error);
        throw new ServiceUnavailableError(`Could not allow ${principal} on ${target.serviceId}: ${(e as Error).message}`);
      }
      // The consumer's endpoint may exist already; if not, the follow-up accepts it when it appears.
      accepted = await this.#acceptPendingFrom(target, request.accountId);
      decided = await this.#o.store.decide(id, {
        status: 'approved',
        decidedBy: actor,
        decisionReason: reason,
        acceptedEndpointIds: accepted.changed,
        error: accepted.error,
      });
    } catch (e) {
      // Not decided: give the request back, so that it can be approved again or denied.
      await this.#o.store.releaseClaim(id, (e as Error).message);
      throw e;
    }
    await this.#audit(actor, 'accessRequest.approve', request.serviceRef, { requestId: id, principal, acceptedEndpointIds: accepted.changed });
    await this.#changed(target);
    await this.#notifyUser(request.requestedBy, `Access to ${service.metadata.title ?? service.metadata.name} approved`, `Account ${request.accountId} may now connect. ${reason ?? ''}`.trim(), request.serviceRef);
    return decided;
  }

  async deny(id: string, reason: string, credentials: UserCredentials): Promise<AccessRequest> {
    const request = await this.#request(id);
    const service = await this.#o.reader.resolveServiceEntity(request.serviceRef, credentials);
    await this.#authorize(privatelinkAccessRequestReviewPermission, request.serviceRef, credentials);
    await this.#claim(id);
    const actor = credentials.principal.userEntityRef;
    const decided = await this.#o.store.decide(id, { status: 'denied', decidedBy: actor, decisionReason: reason });
    await this.#audit(actor, 'accessRequest.deny', request.serviceRef, { requestId: id, reason });
    await this.#notifyUser(request.requestedBy, `Access to ${service.metadata.title ?? service.metadata.name} denied`, reason, request.serviceRef);
    return decided;
  }

  async reviewConnections(
    decision: 'accept' | 'reject',
    serviceRef: string,
    endpointIds: string[],
    credentials: UserCredentials,
  ): Promise<ConnectionChangeResult> {
    const service = await this.#o.reader.resolveServiceEntity(serviceRef, credentials);
    const ref = stringifyEntityRef(service);
    await this.#authorize(privatelinkConnectionReviewPermission, ref, credentials);
    const target = targetOf(service);
    const actor = credentials.principal.userEntityRef;
    let outcome: ConnectionChangeResult;
    try {
      outcome =
        decision === 'accept'
          ? await this.#o.aws.acceptConnections(target, endpointIds)
          : await this.#o.aws.rejectConnections(target, endpointIds);
    } catch (e) {
      await this.#audit(actor, `connections.${decision}`, ref, { endpointIds }, e as Error);
      throw new ServiceUnavailableError(`Could not ${decision} connections on ${target.serviceId}: ${(e as Error).message}`);
    }
    await this.#audit(actor, `connections.${decision}`, ref, { endpointIds, ...outcome }, outcome.failed.length ? new Error(outcome.failed.map(f => `${f.endpointId}: ${f.reason}`).join('; ')) : undefined);
    await this.#changed(target);
    return outcome;
  }

  async managePrincipals(
    change: 'allow' | 'revoke',
    serviceRef: string,
    principals: string[],
    credentials: UserCredentials,
  ): Promise<{ changed: string[] }> {
    const service = await this.#o.reader.resolveServiceEntity(serviceRef, credentials);
    const ref = stringifyEntityRef(service);
    await this.#authorize(privatelinkPrincipalManagePermission, ref, credentials);
    const target = targetOf(service);
    const actor = credentials.principal.userEntityRef;
    let changed: string[];
    try {
      changed =
        change === 'allow'
          ? await this.#o.aws.allowPrincipals(target, principals)
          : await this.#o.aws.revokePrincipals(target, principals);
    } catch (e) {
      await this.#audit(actor, `principals.${change}`, ref, { principals }, e as Error);
      throw new ServiceUnavailableError(`Could not ${change} principals on ${target.serviceId}: ${(e as Error).message}`);
    }
    await this.#audit(actor, `principals.${change}`, ref, { principals, changed });
    if (changed.length) await this.#changed(target);
    return { changed };
  }

  async listAudit(serviceRef: string, credentials: UserCredentials, limit = 200): Promise<AuditEntry[]> {
    const service = await this.#o.reader.resolveServiceEntity(serviceRef, credentials);
    const ref = stringifyEntityRef(service);
    await this.#authorize(privatelinkAuditReadPermission, ref, credentials);
    return this.#o.store.listAudit(ref, limit);
  }

  /**
   * Accepts the connections of consumers approved lately whose endpoint appeared after the approval. Runs on a
   * schedule with the plugin's own service credentials: the owner's approval is the authority. Requests for the
   * same service and account are handled together: one look-up of pending connections, one acceptance, one audit
   * entry, whatever the number of requests.
   */
  async acceptApprovedConnections(loadService: (ref: string) => Promise<Entity | undefined>): Promise<number> {
    const groups = new Map<string, AccessRequest[]>();
    for (const request of await this.#o.store.listAwaitingAcceptance(new Date(Date.now() - ACCEPT_WINDOW_MS))) {
      const key = `${request.serviceRef}\n${request.accountId}`;
      groups.set(key, [...(groups.get(key) ?? []), request]);
    }
    let accepted = 0;
    for (const requests of groups.values()) {
      const { serviceRef, accountId } = requests[0];
      const service = await loadService(serviceRef);
      if (!service || service.metadata.annotations?.[ANNOTATIONS.acceptanceRequired] !== 'true') continue;
      const target = targetOf(service);
      const result = await this.#acceptPendingFrom(target, accountId);
      if (result.changed.length === 0 && !result.error) continue;
      for (const request of requests) {
        const all = [...new Set([...(request.acceptedEndpointIds ?? []), ...result.changed])];
        await this.#o.store.setAccepted(request.id, all, result.error);
      }
      await this.#audit(
        `plugin:privatelink`,
        'connections.accept',
        serviceRef,
        { requestIds: requests.map(r => r.id), endpointIds: result.changed },
        result.error ? new Error(result.error) : undefined,
      );
      if (result.changed.length) await this.#changed(target);
      accepted += result.changed.length;
    }
    return accepted;
  }

  async #acceptPendingFrom(target: ServiceTarget, accountId: string): Promise<{ changed: string[]; error?: string }> {
    try {
      const pending = await this.#o.aws.pendingConnectionsFrom(target, accountId);
      if (pending.length === 0) return { changed: [] };
      const outcome = await this.#o.aws.acceptConnections(target, pending);
      return {
        changed: outcome.changed,
        error: outcome.failed.length ? outcome.failed.map(f => `${f.endpointId}: ${f.reason}`).join('; ') : undefined,
      };
    } catch (e) {
      this.#o.logger.warn('Could not accept pending connections', { ...target, accountId, error: (e as Error).message });
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

  async #audit(actor: string, action: string, serviceRef: string, details: Record<string, unknown>, error?: Error) {
    await this.#o.store.audit({ actor, action, serviceRef, details, result: error ? 'error' : 'success', message: error?.message });
  }

  async #changed(target: ServiceTarget) {
    this.#o.onChanged?.(target);
    await this.#o.events?.publish({ topic: PRIVATELINK_SERVICE_CHANGED_TOPIC, eventPayload: { ...target } });
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

function targetOf(service: Entity): ServiceTarget {
  const a = service.metadata.annotations ?? {};
  const target = { accountId: a[ANNOTATIONS.accountId], region: a[ANNOTATIONS.region], serviceId: a[ANNOTATIONS.serviceId] };
  if (!target.accountId || !target.region || !target.serviceId) {
    throw new NotFoundError(`${stringifyEntityRef(service)} carries no account, region and service id annotations`);
  }
  return target;
}
