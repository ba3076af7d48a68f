import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Permissions of the PrivateLink plugins. Each is a resource permission on the catalog entity of the endpoint
 * service (resource type `catalog-entity`), so that a policy can decide with the catalog's own conditions,
 * e.g. "owners of the service only" with `catalogConditions.isEntityOwner`.
 */

const RESOURCE_TYPE_CATALOG_ENTITY = 'catalog-entity';

/** Accept or reject consumers' connections to an endpoint service. @public */
export const privatelinkConnectionReviewPermission = createPermission({
  name: 'privatelink.connection.review',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Allow or revoke principals (accounts, roles, users) on an endpoint service. @public */
export const privatelinkPrincipalManagePermission = createPermission({
  name: 'privatelink.principal.manage',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** File an access request to an endpoint service. @public */
export const privatelinkAccessRequestCreatePermission = createPermission({
  name: 'privatelink.accessRequest.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Approve or deny access requests to an endpoint service. @public */
export const privatelinkAccessRequestReviewPermission = createPermission({
  name: 'privatelink.accessRequest.review',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Read the audit log of an endpoint service. @public */
export const privatelinkAuditReadPermission = createPermission({
  name: 'privatelink.audit.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Every permission of the PrivateLink plugins. @public */
export const privatelinkPermissions = [
  privatelinkConnectionReviewPermission,
  privatelinkPrincipalManagePermission,
  privatelinkAccessRequestCreatePermission,
  privatelinkAccessRequestReviewPermission,
  privatelinkAuditReadPermission,
];

/** The permissions that change AWS state or decide for the service owner: owners only by default. @public */
export const privatelinkOwnerPermissions = [
  privatelinkConnectionReviewPermission,
  privatelinkPrincipalManagePermission,
  privatelinkAccessRequestReviewPermission,
  privatelinkAuditReadPermission,
];
