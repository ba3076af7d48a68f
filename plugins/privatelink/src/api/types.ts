import { createApiRef } from '@backstage/core-plugin-api';
import {
  AccessRequest,
  AuditEntry,
  CreateAccessRequest,
  PrivateLinkServiceDetails,
} from '@privatelink-backstage/plugin-privatelink-common';

/** What the backend tells the frontend about the installation (`GET /v1/settings`). @public */
export interface PrivateLinkSettings {
  regions: string[];
  accounts: Array<{ accountId: string; name?: string; regions?: string[] }>;
  allowWildcardPrincipal: boolean;
  syncEnabled: boolean;
}

/** Outcome of accepting or rejecting connections: the endpoints changed and those that failed. @public */
export interface ConnectionChangeResult {
  changed: string[];
  failed: Array<{ endpointId: string; reason: string }>;
}

/**
 * Which page of a list to read: `before` is the `nextBefore` cursor of the previous page (none for the first,
 * newest page), `limit` the page size (1 to 500; the backend's default is 200).
 *
 * @public
 */
export interface PrivateLinkPageOptions {
  before?: string;
  limit?: number;
}

/**
 * One page of a list, newest first. `nextBefore` is present only when there is an older page: pass it back as
 * `before` to read that page.
 *
 * @public
 */
export interface PrivateLinkListPage<T> {
  items: T[];
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
  getSettings(): Promise<PrivateLinkSettings>;
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
  createAccessRequest(request: CreateAccessRequest): Promise<AccessRequest>;
  approveAccessRequest(id: string, reason?: string): Promise<AccessRequest>;
  denyAccessRequest(id: string, reason: string): Promise<AccessRequest>;
  acceptConnections(
    serviceRef: string,
    endpointIds: string[],
  ): Promise<ConnectionChangeResult>;
  rejectConnections(
    serviceRef: string,
    endpointIds: string[],
  ): Promise<ConnectionChangeResult>;
  allowPrincipals(
    serviceRef: string,
    principals: string[],
  ): Promise<{ changed: string[] }>;
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
}

/** Reference to the {@link PrivateLinkApi}. @public */
export const privatelinkApiRef = createApiRef<PrivateLinkApi>({
  id: 'plugin.privatelink.service',
});
