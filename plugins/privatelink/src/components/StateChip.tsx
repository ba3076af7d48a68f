import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import {
  AccessRequestStatus,
  EndpointState,
} from '@privatelink-backstage/plugin-privatelink-common';
import { stateLabel, stateSeverity } from '../lib/model';

type Severity = 'ok' | 'pending' | 'error' | 'neutral';

const useStyles = makeStyles(theme => ({
  ok: {
    color: theme.palette.success.contrastText,
    backgroundColor: theme.palette.success.main,
  },
  pending: {
    color: theme.palette.warning.contrastText,
    backgroundColor: theme.palette.warning.main,
  },
  error: {
    color: theme.palette.error.contrastText,
    backgroundColor: theme.palette.error.main,
  },
  neutral: {},
}));

function StatusChip(props: { label: string; severity: Severity }) {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      label={props.label}
      className={classes[props.severity]}
    />
  );
}

/** A small chip showing a normalised endpoint or service state, with a count when given. */
export function StateChip(props: { state: EndpointState; count?: number }) {
  const { state, count } = props;
  const label = stateLabel(state);
  return (
    <StatusChip
      label={count === undefined ? label : `${label}: ${count}`}
      severity={stateSeverity(state)}
    />
  );
}

const REQUEST_STATUS: Record<
  AccessRequestStatus,
  { label: string; severity: Severity }
> = {
  pending: { label: 'Pending', severity: 'pending' },
  approved: { label: 'Approved', severity: 'ok' },
  denied: { label: 'Denied', severity: 'error' },
  failed: { label: 'Failed', severity: 'error' },
};

/** The status of an access request, as a chip. */
export function RequestStatusChip(props: { status: AccessRequestStatus }) {
  const status = REQUEST_STATUS[props.status] ?? {
    label: props.status,
    severity: 'neutral',
  };
  return <StatusChip {...status} />;
}
