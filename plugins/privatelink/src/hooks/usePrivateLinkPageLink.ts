import { useRouteRef } from '@backstage/core-plugin-api';
import { rootRouteRef } from '../routes';

/**
 * The path of the PrivateLink page ("What can I consume privately?"), or undefined when the app does not mount
 * it (a legacy app that left out its route). The route ref is shared with the new frontend system's page.
 */
export function usePrivateLinkPageLink(): string | undefined {
  try {
    // useRouteRef throws for a route that is not mounted, once its own hooks have run: the hook order stays
    // the same either way.
    return useRouteRef(rootRouteRef)();
  } catch {
    return undefined;
  }
}
