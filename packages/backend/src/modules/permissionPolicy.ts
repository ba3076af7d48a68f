import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { PermissionPolicy, PolicyQuery, PolicyQueryUser } from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { privatelinkOwnerPermissions } from '@privatelink-backstage/plugin-privatelink-common';

/**
 * The demo's policy: PrivateLink owner actions (review connections, manage principals, review access
 * requests, read the audit log) only for the owners of the endpoint service's catalog entity, decided by the
 * catalog's own isEntityOwner condition on the user's ownership claims. Everything else is allowed, as the
 * demo's catalog, scaffolder and access requests are open to every signed-in user.
 */
export class PrivateLinkOwnersPolicy implements PermissionPolicy {
  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    if (privatelinkOwnerPermissions.some(p => isPermission(request.permission, p))) {
      return createCatalogConditionalDecision(
        request.permission as ResourcePermission<'catalog-entity'>,
        catalogConditions.isEntityOwner({ claims: user?.info.ownershipEntityRefs ?? [] }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

const permissionModulePrivateLinkPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'privatelink-owners-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new PrivateLinkOwnersPolicy());
      },
    });
  },
});

export default permissionModulePrivateLinkPolicy;
