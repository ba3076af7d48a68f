import { useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  AWS_REGIONS,
  EndpointServiceSettingsChange,
  PrivateLinkServiceDetails,
} from '@privatelink-backstage/plugin-privatelink-common';
import { privatelinkApiRef } from '../../api';
import { errorMessage, isConflict } from '../../lib/format';
import {
  SettingsForm,
  describeSettingsChange,
  initialSettingsForm,
  isEmptyChange,
  privateDnsNameError,
  settingsChange,
  settingsChangeError,
  settingsResultMessage,
} from '../../lib/settingsChange';

const TITLE_ID = 'privatelink-service-settings-title';

/** Props of {@link ServiceSettingsDialog}. */
export interface ServiceSettingsDialogProps {
  service: PrivateLinkServiceDetails;
  onClose: () => void;
  /** Called after a change went through, to reload the service. */
  onDone: () => void;
}

/** The supported regions as checkboxes (the service's own fixed), and a select to add one. */
function RegionsField(props: {
  service: PrivateLinkServiceDetails;
  regions: string[];
  onChange: (regions: string[]) => void;
}) {
  const { service, regions, onChange } = props;
  // Regions that were supported stay listed when unchecked, so that removing one can be undone.
  const listed = [
    ...regions,
    ...service.supportedRegions.filter(r => !regions.includes(r)),
  ];
  const addable = AWS_REGIONS.filter(r => !listed.includes(r));
  return (
    <FormControl component="fieldset" margin="dense" fullWidth>
      <FormLabel component="legend">Supported regions</FormLabel>
      <FormGroup row>
        {listed.map(region => (
          <FormControlLabel
            key={region}
            label={
              region === service.region
                ? `${region} (the service's region)`
                : region
            }
            control={
              <Checkbox
                checked={regions.includes(region)}
                disabled={region === service.region}
                onChange={e =>
                  onChange(
                    e.target.checked
                      ? [...regions, region]
                      : regions.filter(r => r !== region),
                  )
                }
              />
            }
          />
        ))}
      </FormGroup>
      <FormHelperText>
        Consumers connect from these regions (cross-region PrivateLink). The
        service&apos;s own region cannot be removed; removing another cuts off
        the consumers that connect from it.
      </FormHelperText>
      <TextField
        id="privatelink-settings-add-region"
        select
        label="Add a region"
        value=""
        onChange={e => {
          if (e.target.value) onChange([...regions, e.target.value]);
        }}
        SelectProps={{ native: true }}
        margin="dense"
      >
        <option value="" aria-label="None" />
        {addable.map(region => (
          <option key={region} value={region}>
            {region}
          </option>
        ))}
      </TextField>
    </FormControl>
  );
}

/**
 * The settings of an endpoint service, to change: acceptance required, supported regions, private DNS name. It
 * sends only what changed. A change that cuts consumers off is refused by the backend naming them; the dialog
 * shows that and offers Apply anyway, which sends the same change with `confirmCuts`.
 */
export function ServiceSettingsDialog(props: ServiceSettingsDialogProps) {
  const { service, onClose, onDone } = props;
  const api = useApi(privatelinkApiRef);
  const alertApi = useApi(alertApiRef);
  const [form, setForm] = useState<SettingsForm>(() =>
    initialSettingsForm(service),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  // The backend's message naming the consumers this very change cuts off; editing the form clears it.
  const [cuts, setCuts] = useState<string>();

  const change = settingsChange(service, form);
  const empty = isEmptyChange(change);
  const dnsError = privateDnsNameError(form.privateDnsName);
  const invalid = empty || !!dnsError || !!settingsChangeError(change);
  const title = service.title ?? service.serviceName;

  const edit = (patch: Partial<SettingsForm>) => {
    setForm(f => ({ ...f, ...patch }));
    setCuts(undefined);
    setError(undefined);
  };

  const send = async (confirmCuts: boolean) => {
    const body: EndpointServiceSettingsChange = confirmCuts
      ? { ...change, confirmCuts: true }
      : change;
    setBusy(true);
    setError(undefined);
    try {
      const result = await api.updateServiceSettings(service.entityRef, body);
      alertApi.post({
        ...settingsResultMessage(title, result),
        display: 'transient',
      });
      onDone();
      onClose();
    } catch (e) {
      if (!confirmCuts && isConflict(e)) setCuts(errorMessage(e));
      else setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const dnsHelper = (() => {
    if (dnsError) return dnsError;
    const name = form.privateDnsName.trim();
    if (!name && service.privateDnsName) {
      return 'Left empty, the private DNS name is removed: consumers resolving it are cut off.';
    }
    return 'Consumers with private DNS enabled resolve this name to their endpoints. A new name starts its domain verification again; leave it empty for none.';
  })();

  return (
    <Dialog
      open
      onClose={busy ? undefined : onClose}
      aria-labelledby={TITLE_ID}
      fullWidth
    >
      <DialogTitle id={TITLE_ID}>Settings of {title}</DialogTitle>
      <DialogContent>
        <DialogContentText>
          Only the settings you change are sent. Changes that cut existing
          consumers off ask for a confirmation first.
        </DialogContentText>
        <FormControlLabel
          control={
            <Switch
              checked={form.acceptanceRequired}
              onChange={e => edit({ acceptanceRequired: e.target.checked })}
              color="primary"
            />
          }
          label="Acceptance required"
        />
        <FormHelperText>
          When on, an owner accepts each new connection before it can be used.
        </FormHelperText>
        <RegionsField
          service={service}
          regions={form.regions}
          onChange={regions => edit({ regions })}
        />
        <TextField
          id="privatelink-settings-private-dns-name"
          label="Private DNS name"
          value={form.privateDnsName}
          onChange={e => edit({ privateDnsName: e.target.value })}
          placeholder="api.internal.example.com"
          error={!!dnsError}
          helperText={dnsHelper}
          fullWidth
          margin="dense"
        />
        {!empty && (
          <Box mt={2} aria-label="Changes to send" component="section">
            <Typography variant="subtitle2">Changes</Typography>
            <ul>
              {describeSettingsChange(service, change).map(line => (
                <li key={line}>
                  <Typography variant="body2">{line}</Typography>
                </li>
              ))}
            </ul>
          </Box>
        )}
        {cuts && (
          <Alert severity="warning">
            {cuts} Apply anyway to make the change and cut them off.
          </Alert>
        )}
        {error && <Alert severity="error">{error}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        {cuts ? (
          <Button
            onClick={() => send(true)}
            color="secondary"
            variant="contained"
            disabled={busy || invalid}
          >
            Apply anyway
          </Button>
        ) : (
          <Button
            onClick={() => send(false)}
            color="primary"
            variant="contained"
            disabled={busy || invalid}
          >
            Save
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}

/** For those who may change the service's settings: the Settings button and its dialog. */
export function ServiceSettings(props: {
  service: PrivateLinkServiceDetails;
  onDone: () => void;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        variant="outlined"
        color="primary"
        size="small"
        onClick={() => setOpen(true)}
      >
        Settings
      </Button>
      {open && (
        <ServiceSettingsDialog
          service={props.service}
          onClose={() => setOpen(false)}
          onDone={props.onDone}
        />
      )}
    </>
  );
}
