import { memo, useMemo } from 'react';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { AccessRequest } from '@privatelink-backstage/plugin-privatelink-common';
import { formatDate, formatDateTime, humanizeRef } from '../../lib/format';
import { CompactColumn, CompactTable } from '../CompactTable';
import { EntityLink } from '../EntityLink';
import { Section } from '../Section';
import { RequestStatusChip } from '../StateChip';
import { Code } from '../TruncatedText';

const useStyles = makeStyles({
  line: { display: 'block', overflowWrap: 'anywhere' },
});

/** Who decided a request and why, and what went wrong last; '' while nothing of the kind happened. */
function decisionOf(request: AccessRequest): string {
  const parts: string[] = [];
  if (request.decidedBy) {
    const verb = request.status === 'denied' ? 'Denied' : 'Decided';
    const by = `${verb} by ${humanizeRef(request.decidedBy, 'user')}`;
    parts.push(
      request.decisionReason ? `${by}: ${request.decisionReason}` : by,
    );
  }
  if (request.error) parts.push(request.error);
  return parts.join(' — ');
}

/** The requester's reason and, below it, the decision. */
function ReasonCell(props: { request: AccessRequest }) {
  const classes = useStyles();
  const decision = decisionOf(props.request);
  return (
    <>
      <Typography variant="body2" component="span" className={classes.line}>
        {props.request.reason}
      </Typography>
      {decision && (
        <Typography
          variant="caption"
          color="textSecondary"
          className={classes.line}
        >
          {decision}
        </Typography>
      )}
    </>
  );
}

/**
 * The consumer's access requests that are pending or were denied, newest first as the backend sends them, with
 * the requester's reason and the owners' decision. `showConsumer` adds the consumer of each (on a group, whose
 * requests may be for its components).
 */
function RequestsSection(props: {
  requests: AccessRequest[];
  showConsumer: boolean;
}) {
  const { requests, showConsumer } = props;
  const columns = useMemo(() => {
    const list: CompactColumn<AccessRequest>[] = [
      {
        title: 'Service',
        render: r => (
          <EntityLink entityRef={r.serviceRef} defaultKind="resource" />
        ),
      },
      { title: 'Status', render: r => <RequestStatusChip status={r.status} /> },
      { title: 'Account', render: r => <Code>{r.accountId}</Code> },
      {
        title: 'Requested',
        render: r => formatDate(r.requestedAt),
        hint: r =>
          `${formatDateTime(r.requestedAt)} by ${humanizeRef(
            r.requestedBy,
            'user',
          )}`,
        nowrap: true,
      },
      { title: 'Reason', render: r => <ReasonCell request={r} /> },
    ];
    if (showConsumer) {
      list.splice(1, 0, {
        title: 'Consumer',
        render: r => humanizeRef(r.consumerRef, 'component'),
      });
    }
    return list;
  }, [showConsumer]);
  return (
    <Section title="Access requests">
      <CompactTable
        label="Pending and denied access requests"
        columns={columns}
        rows={requests}
        rowKey={r => r.id}
      />
    </Section>
  );
}

export const ConsumerRequestsSection = memo(RequestsSection);
