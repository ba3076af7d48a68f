import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { privatelinkApiRef } from '../api';

/**
 * The endpoint service of an entity from the backend; `value` is undefined once loaded when the entity has
 * none. A retry keeps the previous value while it loads, so that views do not flash.
 */
export function useServiceDetails(entityRef: string) {
  const api = useApi(privatelinkApiRef);
  return useAsyncRetry(
    () => api.getServiceDetails(entityRef),
    [api, entityRef],
  );
}

/** Access requests of a service (all for owners, own for others), or the user's own when no service is given. */
export function useAccessRequests(serviceRef?: string) {
  const api = useApi(privatelinkApiRef);
  return useAsyncRetry(
    () => api.listAccessRequests(serviceRef),
    [api, serviceRef],
  );
}

/** The audit log of a service (owners only). */
export function useAuditLog(serviceRef: string) {
  const api = useApi(privatelinkApiRef);
  return useAsyncRetry(() => api.listAudit(serviceRef), [api, serviceRef]);
}

/** What the backend tells of the installation (regions, accounts, whether `*` may be allowed). */
export function useSettings() {
  const api = useApi(privatelinkApiRef);
  return useAsync(() => api.getSettings(), [api]);
}
