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
   * the caller's own requests to any service.
   */
  listAccessRequests(serviceRef?: string): Promise<AccessRequest[]>;
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
  /** The audit log of a service; owners only. */
  listAudit(serviceRef: string): Promise<AuditEntry[]>;
}

/** Reference to the {@link PrivateLinkApi}. @public */
export const privatelinkApiRef = createApiRef<PrivateLinkApi>({
  id: 'plugin.privatelink.service',
});
