import { stringifyEntityRef } from '@backstage/catalog-model';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';

/**
 * Entities the user can request access for: the groups they belong to and the components those (or they)
 * own, as entity refs. A catalog failure leaves the groups: the user can still type a ref.
 */
export function useOwnedConsumers() {
  const identityApi = useApi(identityApiRef);
  const catalogApi = useApi(catalogApiRef);
  return useAsync(async () => {
    const { ownershipEntityRefs } = await identityApi.getBackstageIdentity();
    const groups = ownershipEntityRefs.filter(ref => ref.startsWith('group:'));
    let components: string[] = [];
    try {
      const { items } = await catalogApi.getEntities({
        filter: { kind: 'Component', 'relations.ownedBy': ownershipEntityRefs },
        fields: ['kind', 'metadata.name', 'metadata.namespace'],
      });
      components = items.map(e => stringifyEntityRef(e)).sort();
    } catch {
      // Typing a ref still works.
    }
    return [...components, ...groups];
  }, [identityApi, catalogApi]);
}
