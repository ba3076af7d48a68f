import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import { AccessRequest } from '@privatelink-backstage/plugin-privatelink-common';
import { privatelinkApiRef } from '../../api';
import { ConfirmAction } from './ConfirmDialog';

/** Approve (optional reason) and Deny (reason required) for a pending access request. */
export function AccessRequestActions(props: {
  request: AccessRequest;
  onDone: () => void;
}) {
  const { request, onDone } = props;
  const api = useApi(privatelinkApiRef);
  const who = `${request.consumerRef} (account ${request.accountId})`;
  return (
    <Box display="flex" flexWrap="wrap" gridGap={8}>
      <ConfirmAction
        label="Approve"
        ariaLabel={`Approve access request of ${who}`}
        title={`Approve access for ${request.consumerRef}?`}
        description={`Account ${request.accountId} becomes an allowed principal of the service, and its pending connections are accepted.`}
        reason="optional"
        onConfirm={async reason => {
          await api.approveAccessRequest(request.id, reason || undefined);
          onDone();
        }}
      />
      <ConfirmAction
        label="Deny"
        color="secondary"
        ariaLabel={`Deny access request of ${who}`}
        title={`Deny access for ${request.consumerRef}?`}
        description={`${request.requestedBy} is told why. Account ${request.accountId} is not allowed on the service.`}
        reason="required"
        onConfirm={async reason => {
          await api.denyAccessRequest(request.id, reason);
          onDone();
        }}
      />
    </Box>
  );
}
