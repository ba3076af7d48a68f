import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Permissions of the PrivateLink plugins. Each is a resource permission on the catalog entity of the endpoint
 * service (resource type `catalog-entity`), so that a policy can decide with the catalog's own conditions,
 * e.g. "owners of the service only" with `catalogConditions.isEntityOwner`.
 */

const RESOURCE_TYPE_CATALOG_ENTITY = 'catalog-entity';

/**
 * Resource type of a configured AWS account, for the permission to create in it. The resource ref is the
 * 12-digit account id; the backend plugin registers the type and its rules (see `privatelinkAccountConditions`
 * in the backend plugin), so that a policy can decide, for example, "members of the account's owner only".
 * @public
 */
export const RESOURCE_TYPE_PRIVATELINK_ACCOUNT = 'privatelink-account';

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

/**
 * Change an endpoint service's own configuration, such as starting the verification of its private DNS name.
 * @public
 */
export const privatelinkServiceManagePermission = createPermission({
  name: 'privatelink.service.manage',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Create PrivateLink resources (network load balancers, endpoint services, consumer VPC endpoints) in an AWS
 * account. A resource permission on the account (resource type {@link RESOURCE_TYPE_PRIVATELINK_ACCOUNT},
 * resource ref the account id): the policy decides who may create in which account.
 * @public
 */
export const privatelinkResourceCreatePermission = createPermission({
  name: 'privatelink.resource.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_PRIVATELINK_ACCOUNT,
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

/**
 * Change an endpoint service's settings: whether connections need acceptance, the regions it can be reached from,
 * its private DNS name. On the service's catalog entity.
 * @public
 */
export const privatelinkEndpointServiceUpdatePermission = createPermission({
  name: 'privatelink.endpointService.update',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Retire (delete) an endpoint service, rejecting its remaining connections first. On the service's catalog entity.
 * @public
 */
export const privatelinkEndpointServiceDeletePermission = createPermission({
  name: 'privatelink.endpointService.delete',
  attributes: { action: 'delete' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Delete a consumer's VPC endpoint. On the endpoint's catalog entity (a `vpc-endpoint` Resource the sync wrote), so
 * that by default its owners, the consumer team, may remove it.
 * @public
 */
export const privatelinkEndpointDeletePermission = createPermission({
  name: 'privatelink.endpoint.delete',
  attributes: { action: 'delete' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Delete a resource PrivateLink created in an account that has no catalog entity of its own (a network load
 * balancer). A resource permission on the account, like {@link privatelinkResourceCreatePermission}.
 * @public
 */
export const privatelinkResourceDeletePermission = createPermission({
  name: 'privatelink.resource.delete',
  attributes: { action: 'delete' },
  resourceType: RESOURCE_TYPE_PRIVATELINK_ACCOUNT,
});

/** Every permission of the PrivateLink plugins. @public */
export const privatelinkPermissions = [
  privatelinkConnectionReviewPermission,
  privatelinkPrincipalManagePermission,
  privatelinkServiceManagePermission,
  privatelinkResourceCreatePermission,
  privatelinkAccessRequestCreatePermission,
  privatelinkAccessRequestReviewPermission,
  privatelinkAuditReadPermission,
  privatelinkEndpointServiceUpdatePermission,
  privatelinkEndpointServiceDeletePermission,
  privatelinkEndpointDeletePermission,
  privatelinkResourceDeletePermission,
];

/**
 * The permissions on an account (resource type {@link RESOURCE_TYPE_PRIVATELINK_ACCOUNT}): create there, and delete
 * what PrivateLink created there. A policy decides them with the account rules (e.g. members of the account's owner).
 * @public
 */
export const privatelinkAccountPermissions = [privatelinkResourceCreatePermission, privatelinkResourceDeletePermission];

/** The permissions that change AWS state or decide for the service owner: owners only by default. @public */
export const privatelinkOwnerPermissions = [
  privatelinkConnectionReviewPermission,
  privatelinkPrincipalManagePermission,
  privatelinkServiceManagePermission,
  privatelinkAccessRequestReviewPermission,
  privatelinkAuditReadPermission,
  privatelinkEndpointServiceUpdatePermission,
  privatelinkEndpointServiceDeletePermission,
  privatelinkEndpointDeletePermission,
];
