import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import { PrivateLinkConsumer } from '@privatelink-backstage/plugin-privatelink-common';
import { ConnectionChangeResult, privatelinkApiRef } from '../../api';
import { ConfirmAction } from './ConfirmDialog';

function throwOnFailures(result: ConnectionChangeResult) {
  if (result.failed.length > 0) {
    throw new Error(
      result.failed.map(f => `${f.endpointId}: ${f.reason}`).join('; '),
    );
  }
}

/** Accept and Reject for a connection pending acceptance, each behind a confirmation. */
export function ConnectionActions(props: {
  serviceRef: string;
  consumer: PrivateLinkConsumer;
  onDone: () => void;
}) {
  const { serviceRef, consumer, onDone } = props;
  const api = useApi(privatelinkApiRef);
  const from = consumer.accountId ? ` from account ${consumer.accountId}` : '';
  const act = (decision: 'accept' | 'reject') => async () => {
    const ids = [consumer.endpointId];
    throwOnFailures(
      decision === 'accept'
        ? await api.acceptConnections(serviceRef, ids)
        : await api.rejectConnections(serviceRef, ids),
    );
    onDone();
  };
  return (
    <Box display="flex" flexWrap="wrap" gridGap={8}>
      <ConfirmAction
        label="Accept"
        ariaLabel={`Accept connection ${consumer.endpointId}`}
        title={`Accept connection ${consumer.endpointId}?`}
        description={`The endpoint ${consumer.endpointId}${from} will be able to reach this service.`}
        onConfirm={act('accept')}
      />
      <ConfirmAction
        label="Reject"
        color="secondary"
        ariaLabel={`Reject connection ${consumer.endpointId}`}
        title={`Reject connection ${consumer.endpointId}?`}
        description={`The endpoint ${consumer.endpointId}${from} will not be able to reach this service. Its owner has to create a new endpoint to try again.`}
        onConfirm={act('reject')}
      />
    </Box>
  );
}
