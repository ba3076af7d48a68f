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
import {
  privatelinkAccountPermissions,
  privatelinkOwnerPermissions,
} from '@privatelink-backstage/plugin-privatelink-common';
import {
  createPrivateLinkAccountConditionalDecision,
  privatelinkAccountConditions,
} from '@privatelink-backstage/plugin-privatelink-node';

/**
 * The demo's policy:
 * - PrivateLink owner actions (review connections, manage principals, change the service, review access
 *   requests, read the audit log), from the API and the scaffolder actions alike, only for the owners of the
 *   endpoint service's catalog entity, decided by the catalog's own isEntityOwner condition on the user's
 *   ownership claims;
 * - creating in an account (network load balancers, endpoint services, consumer endpoints), and deleting there
 *   what PrivateLink created that has no entity (a network load balancer), only for members of the account's
 *   configured owner or of an owner the account delegates to (`privatelink.accounts[].owners`); the actions also
 *   require the resource's owner to be one of the person's own.
 * - changing and retiring a service, and deleting a consumer's endpoint, only for the owners of its entity.
 * Everything else is allowed, as the demo's catalog, scaffolder and access requests are open to every
 * signed-in user.
 */
export class PrivateLinkOwnersPolicy implements PermissionPolicy {
  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    const claims = user?.info.ownershipEntityRefs ?? [];
    const accountPermission = privatelinkAccountPermissions.find(p => isPermission(request.permission, p));
    if (accountPermission) {
      return createPrivateLinkAccountConditionalDecision(accountPermission, {
        anyOf: [privatelinkAccountConditions.isAccountOwner({ claims }), privatelinkAccountConditions.isDelegatedOwner({ claims })],
      });
    }
    if (privatelinkOwnerPermissions.some(p => isPermission(request.permission, p))) {
      return createCatalogConditionalDecision(
        request.permission as ResourcePermission<'catalog-entity'>,
        catalogConditions.isEntityOwner({ claims }),
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
