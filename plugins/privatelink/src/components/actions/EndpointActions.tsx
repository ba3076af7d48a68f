import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import {
  PrivateLinkConsumer,
  privatelinkEndpointDeletePermission,
} from '@privatelink-backstage/plugin-privatelink-common';
import { privatelinkApiRef } from '../../api';
import { ConfirmAction } from './ConfirmDialog';
import { ConnectionActions } from './ConnectionActions';

/** States in which there is nothing left to remove. */
const GONE: PrivateLinkConsumer['state'][] = ['deleting', 'deleted'];

/**
 * Remove of a consumer's VPC endpoint, behind a typed confirmation (the endpoint id), for those who hold `privatelink.endpoint.delete`
 * on the endpoint's own entity (by default its owners, the consumer team); nothing for everyone else. Decided
 * per row, so that a paginated table asks only about the rows it shows.
 */
export function RemoveEndpoint(props: {
  consumer: PrivateLinkConsumer;
  /** Title of the service the endpoint connects to, for the confirmation. */
  serviceTitle: string;
  onDone: () => void;
}) {
  const { consumer, serviceTitle, onDone } = props;
  const api = useApi(privatelinkApiRef);
  const alertApi = useApi(alertApiRef);
  const { allowed } = usePermission({
    permission: privatelinkEndpointDeletePermission,
    resourceRef: consumer.entityRef,
  });
  if (!allowed || GONE.includes(consumer.state)) return null;
  const where = consumer.accountId
    ? ` in account ${consumer.accountId} (${consumer.region})`
    : ` (${consumer.region})`;
  return (
    <ConfirmAction
      label="Remove"
      confirmLabel="Remove endpoint"
      color="secondary"
      ariaLabel={`Remove endpoint ${consumer.endpointId}`}
      title={`Remove endpoint ${consumer.endpointId}?`}
      description={`This deletes the VPC endpoint ${consumer.endpointId}${where}: whatever reaches ${serviceTitle} through it loses its private connection, and its entity leaves the catalog. It cannot be undone; a new endpoint needs a new connection.`}
      confirmText={consumer.endpointId}
      onConfirm={async () => {
        const result = await api.deleteEndpoint(consumer.entityRef);
        alertApi.post(
          result.deleted
            ? {
                message: `Removed endpoint ${result.endpointId}. The catalog shows the change within seconds.`,
                severity: 'success',
                display: 'transient',
              }
            : {
                message: `Endpoint ${result.endpointId} was removed already.`,
                severity: 'info',
                display: 'transient',
              },
        );
        onDone();
      }}
    />
  );
}

/**
 * The actions on one consumer endpoint in a table of the service's consumers: Accept and Reject of a pending
 * connection for those who review connections (`canReview`), and Remove for those who may delete the endpoint.
 */
export function EndpointActions(props: {
  serviceRef: string;
  serviceTitle: string;
  consumer: PrivateLinkConsumer;
  canReview: boolean;
  onDone: () => void;
}) {
  const { consumer, canReview, onDone } = props;
  return (
    <Box display="flex" flexWrap="wrap" gridGap={8}>
      {canReview && consumer.state === 'pendingAcceptance' && (
        <ConnectionActions
          serviceRef={props.serviceRef}
          consumer={consumer}
          onDone={onDone}
        />
      )}
      <RemoveEndpoint
        consumer={consumer}
        serviceTitle={props.serviceTitle}
        onDone={onDone}
      />
    </Box>
  );
}
