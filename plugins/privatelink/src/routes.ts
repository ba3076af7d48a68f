import { createRouteRef } from '@backstage/core-plugin-api';

/** Route of the PrivateLink page ("What can I consume privately?"). */
export const rootRouteRef = createRouteRef({
  id: 'privatelink',
});
