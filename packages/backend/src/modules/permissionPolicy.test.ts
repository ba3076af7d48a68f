import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  privatelinkAccessRequestCreatePermission,
  privatelinkConnectionReviewPermission,
  privatelinkPrincipalManagePermission,
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

  it.each([privatelinkConnectionReviewPermission, privatelinkPrincipalManagePermission])(
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

  it('lets every signed-in user file access requests and read the catalog', async () => {
    expect(await policy.handle({ permission: privatelinkAccessRequestCreatePermission }, user as any)).toEqual({ result: AuthorizeResult.ALLOW });
    expect(await policy.handle({ permission: catalogEntityReadPermission }, user as any)).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('gives a caller without ownership claims nothing to match', async () => {
    const decision = await policy.handle({ permission: privatelinkPrincipalManagePermission });
    expect(decision).toMatchObject({ result: AuthorizeResult.CONDITIONAL, conditions: { params: { claims: [] } } });
  });
});
