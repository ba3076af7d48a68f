import { Progress } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { AccessRequest } from '@privatelink-backstage/plugin-privatelink-common';
import { useAccessRequests } from '../../hooks/data';
import { PrivateLinkRoles } from '../../hooks/useRoles';
import { errorMessage, formatDate, humanizeRef } from '../../lib/format';
import { AccessRequestActions } from '../actions/AccessRequestActions';
import { CompactColumn, CompactTable } from '../CompactTable';
import { Section } from '../Section';
import { RequestStatusChip } from '../StateChip';
import { Code } from '../TruncatedText';
import { RequestAccess } from './RequestAccess';

function RequestsTable(props: {
  label: string;
  requests: AccessRequest[];
  review?: () => void;
}) {
  const { review } = props;
  const columns: CompactColumn<AccessRequest>[] = [
    { title: 'Consumer', render: r => humanizeRef(r.consumerRef, 'component') },
    { title: 'Account', render: r => <Code>{r.accountId}</Code> },
    review
      ? {
          title: 'Requested by',
          render: r => humanizeRef(r.requestedBy, 'user'),
        }
      : {
          title: 'Status',
          render: r => <RequestStatusChip status={r.status} />,
        },
    {
      title: 'Requested',
      render: r => formatDate(r.requestedAt),
      hint: r => r.reason,
      nowrap: true,
    },
  ];
  if (review) {
    columns.push({
      title: 'Actions',
      hidden: true,
      render: r => <AccessRequestActions request={r} onDone={review} />,
      nowrap: true,
    });
  }
  return (
    <CompactTable
      label={props.label}
      columns={columns}
      rows={props.requests}
      rowKey={r => r.id}
    />
  );
}

/**
 * The card's access requests: for owners those waiting for a decision, with Approve and Deny; for everyone
 * else Request access and the status of their own requests.
 */
export function AccessRequestsSection(props: {
  serviceRef: string;
  serviceTitle: string;
  roles: PrivateLinkRoles;
  /** Called after a decision, which may change the service (principals, connections). */
  onChanged: () => void;
}) {
  const { serviceRef, roles } = props;
  const requests = useAccessRequests(serviceRef);
  const items = requests.value ?? [];
  let body;
  if (requests.loading && !requests.value) {
    body = <Progress />;
  } else if (requests.error) {
    body = (
      <Alert severity="error">
        Could not load the access requests: {errorMessage(requests.error)}
      </Alert>
    );
  } else if (roles.canReviewRequests) {
    const pending = items.filter(r => r.status === 'pending');
    body =
      pending.length === 0 ? (
        <Typography variant="body2">No access request is waiting.</Typography>
      ) : (
        <RequestsTable
          label="Pending access requests"
          requests={pending}
          review={() => {
            requests.retry();
            props.onChanged();
          }}
        />
      );
  } else if (items.length > 0) {
    body = <RequestsTable label="Your access requests" requests={items} />;
  }

  return (
    <Section
      title={roles.canReviewRequests ? 'Access requests' : 'Your access'}
    >
      <RequestAccess
        serviceRef={serviceRef}
        serviceTitle={props.serviceTitle}
        canRequest={roles.canRequestAccess}
        onSent={requests.retry}
      />
      {body}
    </Section>
  );
}
