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

/** What a field's check says of its value: an error blocks confirming, a hint is shown when there is none. */
export interface FieldCheck {
  error?: string;
  hint?: string;
}

/** The one text field an {@link ActionDialog} may ask for. */
export interface ActionField {
  label: string;
  /** Confirming stays disabled while the field is empty. */
  required?: boolean;
  helperText?: string;
  placeholder?: string;
  /** Checks the trimmed value; its error is shown once something is typed, and disables confirming. */
  validate?: (value: string) => FieldCheck;
}

/** Props of {@link ActionDialog}. */
export interface ActionDialogProps {
  title: string;
  description: ReactNode;
  /** Text of the confirming button. */
  confirmLabel: string;
  color?: 'primary' | 'secondary';
  field?: ActionField;
  /**
   * Ask the user to type this text (e.g. the id of what is deleted) before confirming: a field labelled
   * `Type … to confirm`, the confirming button disabled until its trimmed value is exactly this.
   */
  confirmText?: string;
  /** Take the full width the screen allows, for long values. */
  wide?: boolean;
  /** Does the work with the trimmed field value; a rejection is shown in the dialog, which then stays open. */
  onConfirm: (value: string) => Promise<void>;
  onClose: () => void;
}

/**
 * A dialog that confirms an action, optionally with a checked text field and a typed confirmation, and shows its
 * failure.
 */
export function ActionDialog(props: ActionDialogProps) {
  const { field, confirmText, onClose } = props;
  const [titleId] = useState(() => `privatelink-confirm-${++nextId}`);
  const [value, setValue] = useState('');
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const trimmed = value.trim();
  const check = field?.validate?.(trimmed) ?? {};
  const unconfirmed = confirmText !== undefined && typed.trim() !== confirmText;
  const invalid =
    (!!field?.required && !trimmed) || !!check.error || unconfirmed;
  const shownError = trimmed ? check.error : undefined;

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.onConfirm(trimmed);
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open
      onClose={busy ? undefined : onClose}
      aria-labelledby={titleId}
      fullWidth={props.wide}
    >
      <DialogTitle id={titleId}>{props.title}</DialogTitle>
      <DialogContent>
        <DialogContentText component="div">
          {props.description}
        </DialogContentText>
        {field && (
          <TextField
            id={`${titleId}-field`}
            label={field.label}
            value={value}
            onChange={e => setValue(e.target.value)}
            required={field.required}
            placeholder={field.placeholder}
            error={!!shownError}
            helperText={shownError ?? check.hint ?? field.helperText}
            fullWidth
            multiline
            minRows={2}
            margin="dense"
          />
        )}
        {confirmText !== undefined && (
          <TextField
            id={`${titleId}-confirm`}
            label={`Type ${confirmText} to confirm`}
            value={typed}
            onChange={e => setTyped(e.target.value)}
            autoComplete="off"
            fullWidth
            margin="dense"
          />
        )}
        {error && <Alert severity="error">{error}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button
          onClick={confirm}
          color={props.color ?? 'primary'}
          variant="contained"
          disabled={busy || invalid}
        >
          {props.confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

const REASON_FIELDS: Record<'optional' | 'required', ActionField> = {
  optional: { label: 'Reason (optional)' },
  required: {
    label: 'Reason',
    required: true,
    validate: value =>
      value.length < 3
        ? { error: 'Give a reason of at least 3 characters' }
        : {},
  },
};

/** Props of {@link ConfirmAction}. */
interface ConfirmActionProps {
  /** Text of the button that opens the dialog, and of the one that confirms unless `confirmLabel` is given. */
  label: string;
  /** Text of the confirming button, when it should say more than the small opening button. */
  confirmLabel?: string;
  /** Accessible name of the opening button, naming what it acts on. */
  ariaLabel: string;
  title: string;
  description: ReactNode;
  /** Ask for a reason: `required` disables confirming until there is one of at least 3 characters. */
  reason?: 'optional' | 'required';
  /** Ask the user to type this text before confirming; see {@link ActionDialogProps.confirmText}. */
  confirmText?: string;
  color?: 'primary' | 'secondary';
  /** Does the work; a rejection is shown in the dialog, which then stays open. */
  onConfirm: (reason: string) => Promise<void>;
}

/**
 * A small button that asks for confirmation (optionally with a reason, or the typed `confirmText`) in a dialog
 * before acting.
 */
export function ConfirmAction(props: ConfirmActionProps) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        size="small"
        variant="outlined"
        color={props.color ?? 'primary'}
        aria-label={props.ariaLabel}
        onClick={() => setOpen(true)}
        // A label on one line, whatever the cell's room: rows of buttons wrap between buttons, not inside one.
        style={{ whiteSpace: 'nowrap', flexShrink: 0 }}
      >
        {props.label}
      </Button>
      {open && (
        <ActionDialog
          title={props.title}
          description={props.description}
          confirmLabel={props.confirmLabel ?? props.label}
          color={props.color}
          field={props.reason && REASON_FIELDS[props.reason]}
          confirmText={props.confirmText}
          onConfirm={props.onConfirm}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}
