import { useState } from 'react';
import { parseEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import {
  PrivateLinkServiceDetails,
  RetireEndpointServiceResult,
  RetirementAnnouncement,
} from '@privatelink-backstage/plugin-privatelink-common';
import { privatelinkApiRef } from '../../api';
import { errorMessage, formatDateTime, isConflict } from '../../lib/format';
import { CodeList } from '../ServiceDetailsList';

const TITLE_ID = 'privatelink-retire-service-title';

const useStyles = makeStyles(theme => ({
  danger: {
    color: theme.palette.error.main,
    borderColor: theme.palette.error.main,
  },
  dangerContained: {
    color: theme.palette.error.contrastText,
    backgroundColor: theme.palette.error.main,
    '&:hover': { backgroundColor: theme.palette.error.dark },
  },
}));

/** Props of {@link RetireServiceDialog}. */
export interface RetireServiceDialogProps {
  service: PrivateLinkServiceDetails;
  onClose: () => void;
  /** Called when the dialog closes after the service was retired, to reload (it then leaves the catalog). */
  onDone: () => void;
}

const count = (n: number, one: string, many: string) =>
  `${n} ${n === 1 ? one : many}`;

/** A message with its ISO 8601 times (as the backend writes them) in the form the page shows times. */
function withReadableTimes(message: string): string {
  return message.replace(
    /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z\b/g,
    iso => formatDateTime(iso),
  );
}

/** What a forced retirement that only announced did: whom it told, and from when the service can be retired. */
function AnnouncedSummary(props: {
  result: RetireEndpointServiceResult;
  announced: RetirementAnnouncement;
}) {
  const { result, announced } = props;
  return (
    <>
      <Alert severity="success">
        Retirement announced to{' '}
        {count(result.notified.length, 'consumer team', 'consumer teams')}. You
        can retire it from {formatDateTime(announced.retireAfter)}.
      </Alert>
      {result.notified.length > 0 && (
        <DialogContentText>
          Told: {result.notified.join(', ')}.
        </DialogContentText>
      )}
      <DialogContentText>
        Nothing was rejected or deleted: the consumers keep their connections
        until then. Retire it with force again from then to reject them and
        delete the endpoint service; once no consumer is connected, it can be
        retired at once.
      </DialogContentText>
    </>
  );
}

/** Where an announced retirement stands: when it was announced, and from when a forced retirement retires it. */
function AnnouncedInfo(props: { retirement: RetirementAnnouncement }) {
  const { announcedAt, retireAfter } = props.retirement;
  const over = Date.parse(retireAfter) <= Date.now();
  return (
    <Alert severity="info">
      {over
        ? `Retirement announced on ${formatDateTime(
            announcedAt,
          )}; its grace period ended on ${formatDateTime(
            retireAfter,
          )}: retiring with force now rejects the connections left.`
        : `Retirement announced on ${formatDateTime(
            announcedAt,
          )}; retire with force from ${formatDateTime(retireAfter)}.`}
    </Alert>
  );
}

/** What the retirement did, with the load balancers that may now be deleted. */
function RetiredSummary(props: {
  title: string;
  result: RetireEndpointServiceResult;
}) {
  const { title, result } = props;
  return (
    <>
      <Alert severity="success">
        {result.deleted
          ? `Retired ${title}: endpoint service ${result.serviceId} is deleted.`
          : `${title} was retired already: endpoint service ${result.serviceId} is gone.`}{' '}
        Its entities leave the catalog within seconds.
      </Alert>
      {result.rejectedConnections.length > 0 && (
        <DialogContentText component="div">
          Rejected{' '}
          {count(
            result.rejectedConnections.length,
            'connection',
            'connections',
          )}
          : {result.rejectedConnections.join(', ')}.
          {result.notified.length > 0 &&
            ` Told their owners: ${result.notified.join(', ')}.`}
        </DialogContentText>
      )}
      {result.closedRequests > 0 && (
        <DialogContentText>
          Closed{' '}
          {count(result.closedRequests, 'access request', 'access requests')}.
        </DialogContentText>
      )}
      <Typography variant="subtitle2" component="h3">
        Load balancers it used
      </Typography>
      <CodeList label="Load balancers" items={result.loadBalancerArns} />
      {result.loadBalancerArns.length > 0 && (
        <DialogContentText>
          They are not deleted with the service: delete those no longer needed
          with the aws:privatelink:nlb:delete action.
        </DialogContentText>
      )}
    </>
  );
}

/**
 * Retires an endpoint service after the user typed its entity name. While consumers are connected the backend
 * refuses, naming them; the dialog shows that and offers to retire anyway (`force`), which rejects their
 * connections and tells their owners. With a retirement grace period the first forced retirement only announces
 * it (the dialog then says to how many teams and from when it can be retired), and one before the period's end
 * is refused, saying from when. An announced retirement is shown on opening. Once retired or announced it shows
 * what was done; closing it then reloads.
 */
export function RetireServiceDialog(props: RetireServiceDialogProps) {
  const { service, onClose, onDone } = props;
  const classes = useStyles();
  const api = useApi(privatelinkApiRef);
  const name = parseEntityRef(service.entityRef).name;
  const title = service.title ?? service.serviceName;
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [connected, setConnected] = useState<string>();
  // The backend's refusal of a forced retirement before the grace period's end, saying from when.
  const [tooEarly, setTooEarly] = useState<string>();
  const [force, setForce] = useState(false);
  const [result, setResult] = useState<RetireEndpointServiceResult>();
  const matches = typed.trim() === name;

  const close = () => {
    if (result) onDone();
    onClose();
  };

  const retire = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setResult(
        await api.retireService({
          serviceRef: service.entityRef,
          confirmName: typed.trim(),
          ...(force ? { force: true } : {}),
        }),
      );
    } catch (e) {
      if (!force && isConflict(e)) setConnected(errorMessage(e));
      else if (isConflict(e)) setTooEarly(withReadableTimes(errorMessage(e)));
      else setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (result) {
    return (
      <Dialog open onClose={close} aria-labelledby={TITLE_ID} fullWidth>
        <DialogTitle id={TITLE_ID}>
          {result.announced
            ? `Retirement of ${title} announced`
            : `Retired ${title}`}
        </DialogTitle>
        <DialogContent>
          {result.announced ? (
            <AnnouncedSummary result={result} announced={result.announced} />
          ) : (
            <RetiredSummary title={title} result={result} />
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={close} color="primary" variant="contained">
            Close
          </Button>
        </DialogActions>
      </Dialog>
    );
  }

  return (
    <Dialog
      open
      onClose={busy ? undefined : close}
      aria-labelledby={TITLE_ID}
      fullWidth
    >
      <DialogTitle id={TITLE_ID}>Retire {title}?</DialogTitle>
      <DialogContent>
        {service.retirement && (
          <AnnouncedInfo retirement={service.retirement} />
        )}
        <DialogContentText>
          This deletes endpoint service {service.serviceId} in account{' '}
          {service.accountId} ({service.region}). No endpoint can connect to it
          any more, its open access requests are closed and its entities leave
          the catalog. It cannot be undone; its load balancers stay.
        </DialogContentText>
        <TextField
          id="privatelink-retire-confirm-name"
          label={`Type ${name} to confirm`}
          value={typed}
          onChange={e => setTyped(e.target.value)}
          autoComplete="off"
          fullWidth
          margin="dense"
        />
        {connected && (
          <>
            <Alert severity="warning">{connected}</Alert>
            <FormControlLabel
              control={
                <Checkbox
                  checked={force}
                  onChange={e => setForce(e.target.checked)}
                />
              }
              label="Retire anyway (force): reject the connected consumers' connections and tell their owners"
            />
            {!service.retirement && (
              <FormHelperText>
                Where a retirement grace period is configured, the first forced
                retirement only announces it to the consumers&apos; owners; the
                service can then be retired once the period is over.
              </FormHelperText>
            )}
          </>
        )}
        {tooEarly && <Alert severity="warning">{tooEarly}</Alert>}
        {error && <Alert severity="error">{error}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={close} disabled={busy}>
          Cancel
        </Button>
        <Button
          onClick={retire}
          variant="contained"
          className={classes.dangerContained}
          disabled={busy || !matches || (!!connected && !force) || !!tooEarly}
        >
          {force ? 'Retire anyway' : 'Retire service'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** For those who may retire the service: the Retire service button (danger styling) and its dialog. */
export function RetireService(props: {
  service: PrivateLinkServiceDetails;
  onDone: () => void;
}) {
  const classes = useStyles();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        variant="outlined"
        size="small"
        className={classes.danger}
        onClick={() => setOpen(true)}
      >
        Retire service
      </Button>
      {open && (
        <RetireServiceDialog
          service={props.service}
          onClose={() => setOpen(false)}
          onDone={props.onDone}
        />
      )}
    </>
  );
}
