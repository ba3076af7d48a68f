import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  privatelinkAccessRequestCreatePermission,
  privatelinkConnectionReviewPermission,
  privatelinkPrincipalManagePermission,
  privatelinkResourceCreatePermission,
  privatelinkServiceManagePermission,
} from '@privatelink-backstage/plugin-privatelink-common';
import { PrivateLinkOwnersPolicy } from './permissionPolicy';

const user = {
  identity: { type: 'user' as const, userEntityRef: 'user:default/alice', ownershipEntityRefs: ['user:default/alice', 'group:default/platform'] },
  token: 't',
  credentials: {} as any,
  info: { userEntityRef: 'user:default/alice', ownershipEntityRefs: ['user:default/alice', 'group:default/platform'] },
};

describe('PrivateLinkOwnersPolicy', () => {
  const policy = new PrivateLinkOwnersPolicy();

  it.each([privatelinkConnectionReviewPermission, privatelinkPrincipalManagePermission, privatelinkServiceManagePermission])(
    'limits $name to the owners of the service entity',
    async permission => {
      const decision = await policy.handle({ permission }, user as any);
      expect(decision).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: { claims: ['user:default/alice', 'group:default/platform'] },
        },
      });
    },
  );

  it("limits creating in an account to members of its owner or of an owner it delegates to", async () => {
    const decision = await policy.handle({ permission: privatelinkResourceCreatePermission }, user as any);
    const params = { claims: ['user:default/alice', 'group:default/platform'] };
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'privatelink',
      resourceType: 'privatelink-account',
      conditions: {
        anyOf: [
          { rule: 'IS_ACCOUNT_OWNER', resourceType: 'privatelink-account', params },
          { rule: 'IS_DELEGATED_OWNER', resourceType: 'privatelink-account', params },
        ],
      },
    });
  });

  it('lets every signed-in user file access requests and read the catalog', async () => {
    expect(await policy.handle({ permission: privatelinkAccessRequestCreatePermission }, user as any)).toEqual({ result: AuthorizeResult.ALLOW });
    expect(await policy.handle({ permission: catalogEntityReadPermission }, user as any)).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('gives a caller without ownership claims nothing to match', async () => {
    const decision = await policy.handle({ permission: privatelinkPrincipalManagePermission });
    expect(decision).toMatchObject({ result: AuthorizeResult.CONDITIONAL, conditions: { params: { claims: [] } } });
  });
});
