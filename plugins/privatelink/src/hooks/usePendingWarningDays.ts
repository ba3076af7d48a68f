import { configApiRef, useApi } from '@backstage/core-plugin-api';

/** Default of `privatelink.pendingWarningDays`. */
const DEFAULT_PENDING_WARNING_DAYS = 3;

/**
 * After how many days a connection pending acceptance gets a warning: the prop when given, else the frontend
 * config `privatelink.pendingWarningDays`, else 3.
 */
export function usePendingWarningDays(prop?: number): number {
  const configApi = useApi(configApiRef);
  return (
    prop ??
    configApi.getOptionalNumber('privatelink.pendingWarningDays') ??
    DEFAULT_PENDING_WARNING_DAYS
  );
}
