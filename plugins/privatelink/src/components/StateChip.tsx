import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import { EndpointState } from '@privatelink-backstage/plugin-privatelink-common';
import { stateLabel, stateSeverity } from '../lib/model';

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

/** A small chip showing a normalised endpoint or service state. */
export function StateChip(props: { state: EndpointState; count?: number }) {
  const { state, count } = props;
  const classes = useStyles();
  const label = stateLabel(state);
  const text = count === undefined ? label : `${label}: ${count}`;
  return (
    <Chip
      size="small"
      label={text}
      className={classes[stateSeverity(state)]}
      data-state={state}
    />
  );
}
