import { ReactNode, memo, useMemo } from 'react';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  PrivateLinkConsumer,
  PrivateLinkServiceDetails,
} from '@privatelink-backstage/plugin-privatelink-common';
import { formatDate } from '../../lib/format';
import { sortCounts } from '../../lib/model';
import { CompactColumn, CompactTable } from '../CompactTable';
import { EntityLink } from '../EntityLink';
import { Section } from '../Section';
import { StateChip } from '../StateChip';
import { Code } from '../TruncatedText';

const useStyles = makeStyles(theme => ({
  // The account under the owner: a column of its own does not fit the card next to the endpoint and its state.
  account: { display: 'block' },
  counts: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    listStyle: 'none',
    margin: 0,
    marginBottom: theme.spacing(1),
    padding: 0,
  },
}));

/** Consumer counts per state, as chips. */
export function StateCounts(props: {
  counts: PrivateLinkServiceDetails['counts'];
}) {
  const classes = useStyles();
  const counts = sortCounts(props.counts);
  if (counts.length === 0) return null;
  return (
    <ul className={classes.counts} aria-label="Consumers by state">
      {counts.map(({ state, count }) => (
        <li key={state}>
          <StateChip state={state} count={count} />
        </li>
      ))}
    </ul>
  );
}

/** The owner of a consumer endpoint, as a link. */
export function OwnerLink(props: { owner?: string }) {
  return <EntityLink entityRef={props.owner} defaultKind="group" />;
}

/** The team that owns a consumer endpoint, and the account the endpoint is in. */
function OwnerCell(props: { consumer: PrivateLinkConsumer }) {
  const classes = useStyles();
  return (
    <>
      <OwnerLink owner={props.consumer.owner} />
      <Typography
        variant="caption"
        color="textSecondary"
        className={classes.account}
      >
        <Code>{props.consumer.accountId ?? '—'}</Code>
      </Typography>
    </>
  );
}

/** The columns of the card's consumers table. */
const columns: CompactColumn<PrivateLinkConsumer>[] = [
  {
    title: 'Owner, account',
    render: c => <OwnerCell consumer={c} />,
    hint: c => (c.accountId ? `Account ${c.accountId}` : undefined),
  },
  { title: 'Endpoint', render: c => <Code>{c.endpointId}</Code> },
  { title: 'State', render: c => <StateChip state={c.state} /> },
  {
    title: 'Since',
    render: c => formatDate(c.createdAt) || '—',
    hint: c => c.createdAt,
    nowrap: true,
  },
];

/** Connections pending acceptance first, oldest first: they are the ones waiting for someone. */
function pendingFirst(consumers: PrivateLinkConsumer[]): PrivateLinkConsumer[] {
  const pending = consumers
    .filter(c => c.state === 'pendingAcceptance')
    .sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? ''));
  return [
    ...pending,
    ...consumers.filter(c => c.state !== 'pendingAcceptance'),
  ];
}

/**
 * The consumers of the service: counts per state and a paginated table, pending connections first.
 * `actions` adds a column (owners' Accept and Reject).
 */
function Consumers(props: {
  details: PrivateLinkServiceDetails;
  actions?: (consumer: PrivateLinkConsumer) => ReactNode;
}) {
  const { details, actions } = props;
  const rows = useMemo(() => pendingFirst(details.consumers), [details]);
  const withActions = useMemo(
    () =>
      actions
        ? [
            ...columns,
            { title: 'Actions', hidden: true, render: actions, nowrap: true },
          ]
        : columns,
    [actions],
  );
  return (
    <Section title={`Consumers (${rows.length})`}>
      <StateCounts counts={details.counts} />
      {rows.length > 0 && (
        <CompactTable
          label="Consumers"
          columns={withActions}
          rows={rows}
          rowKey={c => c.entityRef}
        />
      )}
    </Section>
  );
}

export const ConsumersSection = memo(Consumers);
