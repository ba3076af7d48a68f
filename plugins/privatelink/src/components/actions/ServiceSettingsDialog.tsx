import { useState } from 'react';
import {
  alertApiRef,
  identityApiRef,
  useApi,
} from '@backstage/core-plugin-api';
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
import IconButton from '@material-ui/core/IconButton';
import InputAdornment from '@material-ui/core/InputAdornment';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import ClearIcon from '@material-ui/icons/Clear';
import Alert from '@material-ui/lab/Alert';
import useAsync from 'react-use/esm/useAsync';
import {
  AWS_REGIONS,
  EndpointServiceSettingsChange,
  PrivateLinkServiceDetails,
} from '@privatelink-backstage/plugin-privatelink-common';
import { privatelinkApiRef } from '../../api';
import { errorMessage, humanizeRef, isConflict } from '../../lib/format';
import {
  IP_ADDRESS_TYPES,
  IpAddressType,
  SettingsContext,
  SettingsForm,
  describeSettingsChange,
  initialSettingsForm,
  ipAddressTypesLabel,
  isEmptyChange,
  privateDnsNameError,
  settingsChange,
  settingsChangeError,
  settingsFieldError,
  settingsResultMessage,
} from '../../lib/settingsChange';

const TITLE_ID = 'privatelink-service-settings-title';

/** Props of {@link ServiceSettingsDialog}. */
export interface ServiceSettingsDialogProps {
  service: PrivateLinkServiceDetails;
  /**
   * The component the service exposes (its component tag), as its own entity says: an entity ref, `null` for
   * none, or absent when not known here (the page is another entity's); the details do not carry it.
   */
  component?: string | null;
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

/** The IP address types as checkboxes; none checked is refused, with the reason under them. */
function IpAddressTypesField(props: {
  types: IpAddressType[];
  onChange: (types: IpAddressType[]) => void;
}) {
  const { types, onChange } = props;
  const none = types.length === 0;
  return (
    <FormControl component="fieldset" margin="dense" fullWidth error={none}>
      <FormLabel component="legend">IP address types</FormLabel>
      <FormGroup row>
        {IP_ADDRESS_TYPES.map(type => (
          <FormControlLabel
            key={type}
            label={ipAddressTypesLabel([type])}
            control={
              <Checkbox
                checked={types.includes(type)}
                onChange={e =>
                  onChange(
                    e.target.checked
                      ? IP_ADDRESS_TYPES.filter(
                          t => t === type || types.includes(t),
                        )
                      : types.filter(t => t !== type),
                  )
                }
              />
            }
          />
        ))}
      </FormGroup>
      <FormHelperText>
        {none
          ? 'Choose at least one IP address type: consumers need one to connect over.'
          : 'Consumers connect over these. IPv6 needs a dualstack load balancer behind the service (AWS refuses it otherwise); removing a type cuts off the consumers that connect over it.'}
      </FormHelperText>
    </FormControl>
  );
}

/**
 * The teams the service may be handed to from here: the signed-in user's own groups (the new team accepts it by
 * one of its members making the change), with the current owner first.
 */
function useOwnerOptions(currentOwner: string | undefined): string[] {
  const identityApi = useApi(identityApiRef);
  const { value: groups = [] } = useAsync(async () => {
    const { ownershipEntityRefs } = await identityApi.getBackstageIdentity();
    return ownershipEntityRefs
      .filter(ref => ref.toLocaleLowerCase('en-US').startsWith('group:'))
      .sort();
  }, [identityApi]);
  const same = (a: string, b: string) =>
    a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US');
  return [
    ...(currentOwner ? [currentOwner] : []),
    ...groups.filter(g => !currentOwner || !same(g, currentOwner)),
  ];
}

/** A text field for an entity ref, with a button that empties it. */
function RefField(props: {
  id: string;
  label: string;
  value: string;
  placeholder: string;
  error?: string;
  helperText: string;
  onChange: (value: string) => void;
}) {
  const { id, label, value, onChange } = props;
  return (
    <TextField
      id={id}
      label={label}
      value={value}
      onChange={e => onChange(e.target.value)}
      placeholder={props.placeholder}
      error={!!props.error}
      helperText={props.error ?? props.helperText}
      autoComplete="off"
      fullWidth
      margin="dense"
      InputProps={{
        endAdornment: (
          <InputAdornment position="end">
            <IconButton
              size="small"
              aria-label={`Clear ${label.toLocaleLowerCase('en-US')}`}
              disabled={!value}
              onClick={() => onChange('')}
            >
              <ClearIcon fontSize="small" />
            </IconButton>
          </InputAdornment>
        ),
      }}
    />
  );
}

/** Owner, system and component of the service: the tags that place it in the catalog. */
function PlacementSection(props: {
  service: PrivateLinkServiceDetails;
  context: SettingsContext;
  form: SettingsForm;
  change: EndpointServiceSettingsChange;
  onEdit: (patch: Partial<SettingsForm>) => void;
}) {
  const { service, context, form, change, onEdit } = props;
  const owners = useOwnerOptions(service.owner);
  const known = context.component !== undefined;
  const hint = (current: string | undefined, typed: string, what: string) =>
    current && !typed.trim()
      ? `Left empty, the service no longer names a ${what}.`
      : `The ${what}'s entity ref; it must exist in the catalog. Clear it for none.`;
  return (
    <Box mt={2} component="section" aria-label="Placement">
      <Typography variant="subtitle2" component="h3">
        Placement
      </Typography>
      <TextField
        id="privatelink-settings-owner"
        select
        label="Owner"
        value={form.owner}
        onChange={e => onEdit({ owner: e.target.value })}
        SelectProps={{ native: true }}
        helperText="Only your own teams are offered: the team taking the service over accepts it by one of its members making the change. To hand it to another team, ask one of its members."
        fullWidth
        margin="dense"
      >
        {!service.owner && <option value="">No owner</option>}
        {owners.map(ref => (
          <option key={ref} value={ref}>
            {humanizeRef(ref, 'group')}
            {ref === service.owner ? ' (current owner)' : ''}
          </option>
        ))}
      </TextField>
      <RefField
        id="privatelink-settings-system"
        label="System"
        value={form.system}
        placeholder="system:default/commerce"
        error={settingsFieldError(change, 'system')}
        helperText={hint(service.system, form.system, 'system')}
        onChange={system => onEdit({ system })}
      />
      <RefField
        id="privatelink-settings-component"
        label="Component"
        value={form.component}
        placeholder="component:default/orders-api"
        error={settingsFieldError(change, 'component')}
        helperText={
          known
            ? hint(context.component, form.component, 'component')
            : "Not known on this page: open the service's own page to see it. A ref typed here sets it."
        }
        onChange={component => onEdit({ component })}
      />
    </Box>
  );
}

/**
 * The settings of an endpoint service, to change: acceptance required, supported regions, private DNS name, IP
 * address types, and its placement (owner, system, component). It sends only what changed. A change that cuts
 * consumers off is refused by the backend naming them; the dialog shows that and offers Apply anyway, which sends
 * the same change with `confirmCuts`. Any other refusal (e.g. a handover the account does not permit, a ref the
 * catalog does not know) shows the backend's message.
 */
export function ServiceSettingsDialog(props: ServiceSettingsDialogProps) {
  const { service, onClose, onDone } = props;
  const api = useApi(privatelinkApiRef);
  const alertApi = useApi(alertApiRef);
  const [context] = useState<SettingsContext>(() =>
    props.component === undefined ? {} : { component: props.component ?? '' },
  );
  const [form, setForm] = useState<SettingsForm>(() =>
    initialSettingsForm(service, context),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  // The backend's message naming the consumers this very change cuts off; editing the form clears it.
  const [cuts, setCuts] = useState<string>();

  const change = settingsChange(service, form, context);
  const empty = isEmptyChange(change);
  const lines = describeSettingsChange(service, change, context);
  const dnsError = privateDnsNameError(form.privateDnsName);
  const invalid =
    empty ||
    !!dnsError ||
    form.ipAddressTypes.length === 0 ||
    !!settingsChangeError(change);
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
        <IpAddressTypesField
          types={form.ipAddressTypes}
          onChange={ipAddressTypes => edit({ ipAddressTypes })}
        />
        <PlacementSection
          service={service}
          context={context}
          form={form}
          change={change}
          onEdit={edit}
        />
        {lines.length > 0 && (
          <Box mt={2} aria-label="Changes to send" component="section">
            <Typography variant="subtitle2">Changes</Typography>
            <ul>
              {lines.map(line => (
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
  /** The component the service exposes; see {@link ServiceSettingsDialogProps.component}. */
  component?: string | null;
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
          component={props.component}
          onClose={() => setOpen(false)}
          onDone={props.onDone}
        />
      )}
    </>
  );
}
