import { memo } from 'react';
import Box from '@material-ui/core/Box';
import Alert from '@material-ui/lab/Alert';
import { PrivateLinkServiceDetails } from '@privatelink-backstage/plugin-privatelink-common';
import { serviceWarnings } from '../lib/warnings';

/** The warnings about an endpoint service, one alert each. */
function WarningAlerts(props: {
  details: PrivateLinkServiceDetails;
  pendingWarningDays: number;
}) {
  const warnings = serviceWarnings(props.details, {
    pendingWarningDays: props.pendingWarningDays,
  });
  return (
    <>
      {warnings.map(w => (
        <Box key={w.id} mb={1}>
          <Alert severity="warning" data-warning={w.id}>
            {w.message}
          </Alert>
        </Box>
      ))}
    </>
  );
}

/**
 * The warnings about an endpoint service, for its card and tab: an announced retirement first (from
 * `details.retirement`), then stale data, an unverified private DNS name, the wildcard principal, connections
 * pending for long, no consumers. Renders nothing when there is nothing to warn about.
 */
export const ServiceWarnings = memo(WarningAlerts);
