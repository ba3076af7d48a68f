import { createApiRef } from '@backstage/core-plugin-api';
import {
  AccessRequest,
  AuditEntry,
  CreateAccessRequest,
  DeleteEndpointResult,
  EndpointServiceSearchPage,
  EndpointServiceSearchQuery,
  EndpointServiceSettingsChange,
  EndpointServiceSettingsResult,
  PrivateLinkConsumerDetails,
  PrivateLinkServiceDetails,
  RetireEndpointServiceRequest,
  RetireEndpointServiceResult,
} from '@privatelink-backstage/plugin-privatelink-common';

/** What the backend tells the frontend about the installation (`GET /v1/settings`). @public */
export interface PrivateLinkSettings {
  /** The regions the backend works in by default (`privatelink.regions`), e.g. `['us-east-1', 'eu-west-1']`. */
  regions: string[];
  /**
   * The configured AWS accounts (`privatelink.accounts`): the 12-digit `accountId`, its display `name` when
   * configured, and the `regions` read in it (its own list, or else the top-level {@link PrivateLinkSettings.regions}).
   */
  accounts: Array<{ accountId: string; name?: string; regions?: string[] }>;
  /**
   * Whether `*` (every AWS account) may be allowed as a principal (`privatelink.allowWildcardPrincipal`, default
   * false); the allow-principals form accepts `*` only when true.
   */
  allowWildcardPrincipal: boolean;
  /** Whether the backend's scheduled sync of AWS into the catalog is enabled (`privatelink.sync.enabled`). */
  syncEnabled: boolean;
}

/** Outcome of accepting or rejecting connections: the endpoints changed and those that failed. @public */
export interface ConnectionChangeResult {
  /** Endpoint ids (`vpce-…`) whose connection was accepted or rejected by this call. */
  changed: string[];
  /** Endpoints AWS refused to change, each with the reason AWS gave. */
  failed: Array<{ endpointId: string; reason: string }>;
}

/**
 * Which page of a list to read: `before` is the `nextBefore` cursor of the previous page (none for the first,
 * newest page), `limit` the page size (1 to 500; the backend's default is 200).
 *
 * @public
 */
export interface PrivateLinkPageOptions {
  /** The `nextBefore` cursor of the previous page; leave it out to read the first, newest page. */
  before?: string;
  /** Number of items per page, 1 to 500; the backend's default is 200. */
  limit?: number;
}

/**
 * One page of a list, newest first. `nextBefore` is present only when there is an older page: pass it back as
 * `before` to read that page.
 *
 * @public
 */
export interface PrivateLinkListPage<T> {
  /** The items of this page, newest first. */
  items: T[];
  /** Opaque cursor of the next, older page; absent on the last page. Pass it as {@link PrivateLinkPageOptions.before}. */
  nextBefore?: string;
}

/**
 * The PrivateLink backend API. Every method throws a `ResponseError` when the backend answers with an error.
 *
 * @public
 */
export interface PrivateLinkApi {
  /**
   * The endpoint service of an entity (a vpc-endpoint-service Resource, or a Component exposed through one)
   * with its consumers; undefined when the backend knows none for the entity (404).
   */
  getServiceDetails(
    entityRef: string,
  ): Promise<PrivateLinkServiceDetails | undefined>;
  /**
   * What a consumer (a component or a group) reaches privately: its synced VPC endpoints, each with the DNS name
   * to put in its configuration and the service it connects to, and its access requests that are pending or were
   * denied. Read from the synced catalog with the caller's catalog permissions; an entity without endpoints
   * resolves with empty lists. Throws a `ResponseError` when the entity is not visible (404) or the ref is
   * malformed (400).
   *
   * @param entityRef - Entity ref of the component or group, e.g. `component:default/payments-api`.
   */
  getConsumerDetails(entityRef: string): Promise<PrivateLinkConsumerDetails>;
  /** What the backend tells the frontend about the installation: regions, accounts and options. */
  getSettings(): Promise<PrivateLinkSettings>;
  /**
   * A page of the synced endpoint services the signed-in user may see, ordered by name, each with where the user's
   * teams stand with it (`GET /v1/services/search`). Searched and paged by the catalog, so that a catalog of
   * thousands of services costs one page. For the next page pass only the previous page's `nextCursor` (and
   * `limit`): it carries the search. With `access: 'connectable'` a page may hold fewer items than `limit`, even
   * none, while `nextCursor` is present (see `EndpointServiceSearchPage.scanned`).
   * Throws a `ResponseError` for a malformed query (400) or a token that is not a user's (403).
   *
   * @param query - The search's words and filters, or the cursor of the previous page.
   */
  searchServices(
    query: EndpointServiceSearchQuery,
  ): Promise<EndpointServiceSearchPage>;
  /**
   * Access requests of a service: every one for its owners, their own for everyone else. Without a service,
   * the caller's own requests to any service. Only the first (newest) page; see
   * {@link PrivateLinkApi.listAccessRequestsPage} for the older ones.
   */
  listAccessRequests(serviceRef?: string): Promise<AccessRequest[]>;
  /**
   * A page of the access requests of {@link PrivateLinkApi.listAccessRequests}, newest first, with the cursor
   * of the next, older page when there is one.
   */
  listAccessRequestsPage(
    serviceRef?: string,
    options?: PrivateLinkPageOptions,
  ): Promise<PrivateLinkListPage<AccessRequest>>;
  /**
   * Files an access request for the signed-in user; the service's owners are notified and decide it. Resolves to
   * the new, `pending` request.
   */
  createAccessRequest(request: CreateAccessRequest): Promise<AccessRequest>;
  /**
   * Approves a pending access request (owners of the service only, and not the requester unless the backend
   * allows self-approval): the account becomes an allowed principal and its pending connections are accepted.
   * Resolves to the decided request.
   *
   * @param id - The request's id.
   * @param reason - An optional note for the requester.
   */
  approveAccessRequest(id: string, reason?: string): Promise<AccessRequest>;
  /**
   * Denies a pending access request (owners of the service only). Resolves to the decided request.
   *
   * @param id - The request's id.
   * @param reason - Why, for the requester; required (at least 3 characters).
   */
  denyAccessRequest(id: string, reason: string): Promise<AccessRequest>;
  /**
   * Accepts consumers' connections to an endpoint service (owners only). Connections that are already accepted
   * are left as they are.
   *
   * @param serviceRef - Entity ref of the service, or of an entity exposed through it.
   * @param endpointIds - VPC endpoint ids (`vpce-…`) of connections of that service, 1 to 100.
   */
  acceptConnections(
    serviceRef: string,
    endpointIds: string[],
  ): Promise<ConnectionChangeResult>;
  /**
   * Rejects consumers' connections to an endpoint service (owners only). Connections that are already rejected
   * are left as they are.
   *
   * @param serviceRef - Entity ref of the service, or of an entity exposed through it.
   * @param endpointIds - VPC endpoint ids (`vpce-…`) of connections of that service, 1 to 100.
   */
  rejectConnections(
    serviceRef: string,
    endpointIds: string[],
  ): Promise<ConnectionChangeResult>;
  /**
   * Allows principals to connect to an endpoint service (owners only). `changed` lists those that were not
   * allowed before.
   *
   * @param serviceRef - Entity ref of the service, or of an entity exposed through it.
   * @param principals - IAM principal ARNs such as `arn:aws:iam::123456789012:root`, 1 to 100; `*` only when
   * {@link PrivateLinkSettings.allowWildcardPrincipal} is true.
   */
  allowPrincipals(
    serviceRef: string,
    principals: string[],
  ): Promise<{ changed: string[] }>;
  /**
   * Revokes principals from an endpoint service (owners only): they can no longer create endpoints to it, while
   * endpoints they created before stay connected. `changed` lists those that were allowed and are no longer.
   *
   * @param serviceRef - Entity ref of the service, or of an entity exposed through it.
   * @param principals - Principals to revoke, as listed in the service's allowed principals (`*` included), 1 to 100.
   */
  revokePrincipals(
    serviceRef: string,
    principals: string[],
  ): Promise<{ changed: string[] }>;
  /** The audit log of a service, its first (newest) page; owners only. */
  listAudit(serviceRef: string): Promise<AuditEntry[]>;
  /**
   * A page of the audit log of a service, newest first, with the cursor of the next, older page when there is
   * one; owners only.
   */
  listAuditPage(
    serviceRef: string,
    options?: PrivateLinkPageOptions,
  ): Promise<PrivateLinkListPage<AuditEntry>>;
  /**
   * Changes the settings of an endpoint service (with `privatelink.endpointService.update`): whether new
   * connections need acceptance, the regions consumers may connect from, its private DNS name. Only the fields
   * given change; a new private DNS name starts its verification again. A change that cuts existing consumers
   * off is refused with a 409 whose message names them, unless `change.confirmCuts` is set.
   *
   * @param serviceRef - Entity ref of the service, or of an entity exposed through it.
   * @param change - The settings to change; at least one (see `endpointServiceSettingsChangeSchema`).
   */
  updateServiceSettings(
    serviceRef: string,
    change: EndpointServiceSettingsChange,
  ): Promise<EndpointServiceSettingsResult>;
  /**
   * Retires (deletes) an endpoint service (with `privatelink.endpointService.delete`). `confirmName` must be the
   * service's entity name (400 otherwise). While consumers are connected it is refused with a 409 whose message
   * names them, unless `force` is set: then their connections are rejected and their owners notified first.
   * Resolves to what was done, including the load balancers the service used, which may now be deleted.
   *
   * @param request - The service's entity ref, its entity name typed again, and `force`.
   */
  retireService(
    request: RetireEndpointServiceRequest,
  ): Promise<RetireEndpointServiceResult>;
  /**
   * Deletes a consumer's VPC endpoint (with `privatelink.endpoint.delete` on the endpoint's entity, by default
   * its owners). A retry of an endpoint that is gone already resolves with `deleted: false`.
   *
   * @param endpointRef - Entity ref of the vpc-endpoint Resource, as a consumer's `entityRef` gives it.
   */
  deleteEndpoint(endpointRef: string): Promise<DeleteEndpointResult>;
}

/** Reference to the {@link PrivateLinkApi}. @public */
export const privatelinkApiRef = createApiRef<PrivateLinkApi>({
  id: 'plugin.privatelink.service',
});
