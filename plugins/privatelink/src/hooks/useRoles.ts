import { usePermission } from '@backstage/plugin-permission-react';
import {
  privatelinkAccessRequestCreatePermission,
  privatelinkAccessRequestReviewPermission,
  privatelinkAuditReadPermission,
  privatelinkConnectionReviewPermission,
  privatelinkEndpointServiceDeletePermission,
  privatelinkEndpointServiceUpdatePermission,
  privatelinkPrincipalManagePermission,
} from '@privatelink-backstage/plugin-privatelink-common';

/** What the signed-in user may do on an endpoint service. */
export interface PrivateLinkRoles {
  /** False until every decision is in: nothing role-specific should show before. */
  ready: boolean;
  canReviewConnections: boolean;
  canManagePrincipals: boolean;
  canReviewRequests: boolean;
  canReadAudit: boolean;
  /** May change the service's settings (acceptance, supported regions, private DNS name). */
  canUpdateService: boolean;
  /** May retire (delete) the service. */
  canRetireService: boolean;
  /** May file an access request, and is not one of those who decide on them. */
  canRequestAccess: boolean;
}

/**
 * The user's roles on a service, decided by the permission framework on the service's catalog entity. The
 * backend decides again on every call; these only choose what to show.
 */
export function usePrivateLinkRoles(serviceRef: string): PrivateLinkRoles {
  const connections = usePermission({
    permission: privatelinkConnectionReviewPermission,
    resourceRef: serviceRef,
  });
  const principals = usePermission({
    permission: privatelinkPrincipalManagePermission,
    resourceRef: serviceRef,
  });
  const requests = usePermission({
    permission: privatelinkAccessRequestReviewPermission,
    resourceRef: serviceRef,
  });
  const audit = usePermission({
    permission: privatelinkAuditReadPermission,
    resourceRef: serviceRef,
  });
  const create = usePermission({
    permission: privatelinkAccessRequestCreatePermission,
    resourceRef: serviceRef,
  });
  const update = usePermission({
    permission: privatelinkEndpointServiceUpdatePermission,
    resourceRef: serviceRef,
  });
  const retire = usePermission({
    permission: privatelinkEndpointServiceDeletePermission,
    resourceRef: serviceRef,
  });
  return {
    ready: ![
      connections,
      principals,
      requests,
      audit,
      create,
      update,
      retire,
    ].some(p => p.loading),
    canReviewConnections: connections.allowed,
    canManagePrincipals: principals.allowed,
    canReviewRequests: requests.allowed,
    canReadAudit: audit.allowed,
    canUpdateService: update.allowed,
    canRetireService: retire.allowed,
    // Owners may file too: a team that owns the service often asks on behalf of one of its other components.
    canRequestAccess: create.allowed,
  };
}
