import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { EndpointConsumer, countByState } from '../lib/model';
import { StateChip } from './StateChip';

const useStyles = makeStyles(theme => ({
  heading: {
    marginTop: theme.spacing(2),
    marginBottom: theme.spacing(1),
  },
  counts: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    listStyle: 'none',
    margin: 0,
    marginBottom: theme.spacing(1),
    padding: 0,
  },
  code: {
    fontFamily: 'monospace',
  },
}));

/** Counts of consumers per state, as chips. */
export function ConsumerStateCounts(props: { consumers: EndpointConsumer[] }) {
  const classes = useStyles();
  const counts = countByState(props.consumers);
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

/** The warning shown when no vpc-endpoint depends on the service. */
export function NoConsumersWarning() {
  return (
    <Alert severity="warning">
      No consumers: no vpc-endpoint in the catalog depends on this endpoint
      service yet.
    </Alert>
  );
}

/**
 * The consumers of an endpoint service: heading with the total, counts per state, and (unless
 * `showList` is false) a compact list with owner, account, endpoint id and state.
 */
export function ConsumersSummary(props: {
  consumers: EndpointConsumer[];
  showList?: boolean;
}) {
  const { consumers, showList = true } = props;
  const classes = useStyles();
  return (
    <Box component="section">
      <Typography variant="h6" component="h3" className={classes.heading}>
        Consumers ({consumers.length})
      </Typography>
      {consumers.length === 0 ? (
        <NoConsumersWarning />
      ) : (
        <>
          <ConsumerStateCounts consumers={consumers} />
          {showList && (
            <Table size="small" aria-label="Consumers">
              <TableHead>
                <TableRow>
                  <TableCell>Endpoint</TableCell>
                  <TableCell>Owner</TableCell>
                  <TableCell>Account</TableCell>
                  <TableCell>State</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {consumers.map(consumer => (
                  <TableRow key={consumer.entityRef}>
                    <TableCell>
                      <EntityRefLink entityRef={consumer.entity} hideIcon>
                        <span className={classes.code}>
                          {consumer.endpointId ??
                            consumer.entity.metadata.title ??
                            consumer.entity.metadata.name}
                        </span>
                      </EntityRefLink>
                    </TableCell>
                    <TableCell>
                      {consumer.ownerRef ? (
                        <EntityRefLink
                          entityRef={consumer.ownerRef}
                          defaultKind="group"
                          hideIcon
                        />
                      ) : (
                        '—'
                      )}
                    </TableCell>
                    <TableCell className={classes.code}>
                      {consumer.accountId ?? '—'}
                    </TableCell>
                    <TableCell>
                      <StateChip state={consumer.state} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </>
      )}
    </Box>
  );
}
