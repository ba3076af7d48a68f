import { useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { privatelinkApiRef } from '../../api';
import { useOwnedConsumers } from '../../hooks/useOwnedConsumers';
import { errorMessage } from '../../lib/format';
import {
  RequestForm,
  RequestFormErrors,
  parseConsumerRef,
  validateRequest,
} from './validateRequest';

/** The Request access form: consumer, account id and reason, posted as an access request. */
export function RequestAccessDialog(props: {
  serviceRef: string;
  serviceTitle: string;
  onClose: () => void;
  onSent: () => void;
}) {
  const api = useApi(privatelinkApiRef);
  const alertApi = useApi(alertApiRef);
  const owned = useOwnedConsumers();
  const [form, setForm] = useState<RequestForm>({
    consumer: '',
    accountId: '',
    reason: '',
  });
  const [errors, setErrors] = useState<RequestFormErrors>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const set = (field: keyof RequestForm) => (value: string) =>
    setForm(f => ({ ...f, [field]: value }));

  const submit = async () => {
    const found = validateRequest(form);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setFailure(undefined);
    try {
      await api.createAccessRequest({
        serviceRef: props.serviceRef,
        consumerRef: parseConsumerRef(form.consumer)!,
        accountId: form.accountId.trim(),
        reason: form.reason.trim(),
      });
      alertApi.post({
        message: `Access request to ${props.serviceTitle} sent`,
        severity: 'success',
        display: 'transient',
      });
      props.onSent();
    } catch (e) {
      setFailure(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open
      onClose={busy ? undefined : props.onClose}
      aria-labelledby="privatelink-request-access-title"
      fullWidth
    >
      <DialogTitle id="privatelink-request-access-title">
        Request access to {props.serviceTitle}
      </DialogTitle>
      <DialogContent>
        <Autocomplete
          id="privatelink-request-consumer"
          freeSolo
          options={owned.value ?? []}
          loading={owned.loading}
          inputValue={form.consumer}
          onInputChange={(_e, value) => set('consumer')(value)}
          renderInput={params => (
            <TextField
              {...params}
              label="Consumer (component or group)"
              required
              margin="dense"
              error={!!errors.consumer}
              helperText={
                errors.consumer ??
                'One you own, or type an entity ref, e.g. component:default/checkout'
              }
            />
          )}
        />
        <TextField
          id="privatelink-request-account"
          label="AWS account id"
          value={form.accountId}
          onChange={e => set('accountId')(e.target.value)}
          required
          fullWidth
          margin="dense"
          inputProps={{ inputMode: 'numeric' }}
          error={!!errors.accountId}
          helperText={
            errors.accountId ?? 'The account that will create the endpoint'
          }
        />
        <TextField
          id="privatelink-request-reason"
          label="Reason"
          value={form.reason}
          onChange={e => set('reason')(e.target.value)}
          required
          fullWidth
          multiline
          minRows={2}
          margin="dense"
          error={!!errors.reason}
          helperText={errors.reason}
        />
        {failure && <Alert severity="error">{failure}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose} disabled={busy}>
          Cancel
        </Button>
        <Button
          onClick={submit}
          color="primary"
          variant="contained"
          disabled={busy}
        >
          Send request
        </Button>
      </DialogActions>
    </Dialog>
  );
}
