import { memo } from 'react';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { PrivateLinkConsumerEndpoint } from '@privatelink-backstage/plugin-privatelink-common';
import { formatDateTime, formatRelative } from '../../lib/format';
import { CompactColumn, CompactTable } from '../CompactTable';
import { EntityLink } from '../EntityLink';
import { StateChip } from '../StateChip';
import { DnsNameCell } from './DnsNameCell';

const useStyles = makeStyles(theme => ({
  // Names and ids never break inside a word: a narrow card cuts the DNS name (it has a tooltip), not these.
  line: { display: 'block', whiteSpace: 'nowrap' },
  stale: {
    display: 'block',
    color: theme.palette.warning.dark,
    fontWeight: theme.typography.fontWeightBold as number,
  },
}));

/** The service an endpoint connects to (a link with its title), the endpoint's id, and whether it is stale. */
function ServiceCell(props: { endpoint: PrivateLinkConsumerEndpoint }) {
  const { endpoint } = props;
  const classes = useStyles();
  const service = endpoint.service;
  return (
    <>
      {service ? (
        <EntityLink entityRef={service.entityRef} defaultKind="resource">
          {service.title}
        </EntityLink>
      ) : (
        // Endpoints to AWS services, or to services of accounts the sync does not read.
        <Typography variant="body2" component="span" className={classes.line}>
          Service not in the catalog
        </Typography>
      )}
      <Typography
        variant="caption"
        color="textSecondary"
        className={classes.line}
      >
        <EntityLink entityRef={endpoint.entityRef} defaultKind="resource">
          {endpoint.endpointId}
        </EntityLink>
      </Typography>
      <WhereLines endpoint={endpoint} />
      {endpoint.staleSince && (
        <Typography variant="caption" className={classes.stale}>
          Stale since {formatDateTime(endpoint.staleSince)}
        </Typography>
      )}
    </>
  );
}

/** The endpoint's account and region and, when it was read in its own account, its VPC: under the service. */
function WhereLines(props: { endpoint: PrivateLinkConsumerEndpoint }) {
  const { endpoint } = props;
  const classes = useStyles();
  return (
    <Typography
      variant="caption"
      color="textSecondary"
      className={classes.line}
    >
      <code>{endpoint.accountId ?? '—'}</code> · {endpoint.region}
      {endpoint.vpcId && <code className={classes.line}>{endpoint.vpcId}</code>}
    </Typography>
  );
}

/** The state, and since when the endpoint exists (the exact time in a tooltip). */
function StateCell(props: { endpoint: PrivateLinkConsumerEndpoint }) {
  const { endpoint } = props;
  const classes = useStyles();
  const since = formatRelative(endpoint.createdAt);
  return (
    <>
      <StateChip state={endpoint.state} />
      {since && (
        <Typography
          variant="caption"
          color="textSecondary"
          className={classes.line}
          title={formatDateTime(endpoint.createdAt) || undefined}
        >
          since {since}
        </Typography>
      )}
    </>
  );
}

const columns: CompactColumn<PrivateLinkConsumerEndpoint>[] = [
  { title: 'Service', render: e => <ServiceCell endpoint={e} /> },
  { title: 'State', render: e => <StateCell endpoint={e} /> },
  { title: 'DNS name to use', render: e => <DnsNameCell endpoint={e} /> },
];

/** One row per endpoint of the consumer, in the backend's order (by service, then endpoint id), paginated. */
function EndpointsTable(props: { endpoints: PrivateLinkConsumerEndpoint[] }) {
  return (
    <CompactTable
      label="Private connections"
      columns={columns}
      rows={props.endpoints}
      rowKey={e => e.entityRef}
    />
  );
}

export const ConsumerEndpointsTable = memo(EndpointsTable);
