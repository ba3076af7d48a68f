import { ReactNode, useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { errorMessage } from '../../lib/format';

let nextId = 0;

/** Props of {@link ConfirmAction}. */
interface ConfirmActionProps {
  /** Text of the button that opens the dialog, and of the one that confirms. */
  label: string;
  /** Accessible name of the opening button, naming what it acts on. */
  ariaLabel: string;
  title: string;
  description: ReactNode;
  /** Ask for a reason: `required` disables confirming until there is one of at least 3 characters. */
  reason?: 'optional' | 'required';
  color?: 'primary' | 'secondary';
  /** Does the work; a rejection is shown in the dialog, which then stays open. */
  onConfirm: (reason: string) => Promise<void>;
}

/** A small button that asks for confirmation (and optionally a reason) in a dialog before acting. */
export function ConfirmAction(props: ConfirmActionProps) {
  const [open, setOpen] = useState(false);
  const [titleId] = useState(() => `privatelink-confirm-${++nextId}`);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const reasonMissing = props.reason === 'required' && reason.trim().length < 3;

  const close = () => {
    setOpen(false);
    setReason('');
    setError(undefined);
  };
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.onConfirm(reason.trim());
      close();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button
        size="small"
        variant="outlined"
        color={props.color ?? 'primary'}
        aria-label={props.ariaLabel}
        onClick={() => setOpen(true)}
      >
        {props.label}
      </Button>
      {open && (
        <Dialog
          open
          onClose={busy ? undefined : close}
          aria-labelledby={titleId}
        >
          <DialogTitle id={titleId}>{props.title}</DialogTitle>
          <DialogContent>
            <DialogContentText component="div">
              {props.description}
            </DialogContentText>
            {props.reason && (
              <TextField
                id={`${titleId}-reason`}
                label={
                  props.reason === 'required' ? 'Reason' : 'Reason (optional)'
                }
                value={reason}
                onChange={e => setReason(e.target.value)}
                required={props.reason === 'required'}
                fullWidth
                multiline
                minRows={2}
                margin="dense"
              />
            )}
            {error && <Alert severity="error">{error}</Alert>}
          </DialogContent>
          <DialogActions>
            <Button onClick={close} disabled={busy}>
              Cancel
            </Button>
            <Button
              onClick={confirm}
              color={props.color ?? 'primary'}
              variant="contained"
              disabled={busy || reasonMissing}
            >
              {props.label}
            </Button>
          </DialogActions>
        </Dialog>
      )}
    </>
  );
}
