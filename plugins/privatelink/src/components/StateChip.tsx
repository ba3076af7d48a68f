import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import Tooltip from '@material-ui/core/Tooltip';
import {
  AccessRequestStatus,
  EndpointState,
  YourAccess,
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

const ACCESS: Record<
  Exclude<YourAccess, 'none'>,
  { label: string; severity: Severity; hint: string }
> = {
  connected: {
    label: 'Connected',
    severity: 'ok',
    hint: 'An endpoint of one of your teams connects to it',
  },
  allowed: {
    label: 'Allowed',
    severity: 'neutral',
    hint: 'An AWS account of one of your teams may connect to it',
  },
  requested: {
    label: 'Requested',
    severity: 'pending',
    hint: 'Your access request waits for its owners',
  },
};

/**
 * Where the user's teams stand with a service, as a chip with its meaning on hover: Connected, Allowed or
 * Requested; an em dash for none.
 */
export function AccessChip(props: { access: YourAccess }) {
  if (props.access === 'none') {
    return <span title="None of your teams can connect yet">—</span>;
  }
  const access = ACCESS[props.access];
  if (!access) return <>{props.access}</>;
  return (
    <Tooltip title={access.hint}>
      <span>
        <StatusChip label={access.label} severity={access.severity} />
      </span>
    </Tooltip>
  );
}
