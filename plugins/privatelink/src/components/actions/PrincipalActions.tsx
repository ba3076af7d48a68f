import { useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import { PrivateLinkServiceDetails } from '@privatelink-backstage/plugin-privatelink-common';
import { privatelinkApiRef } from '../../api';
import { useSettings } from '../../hooks/data';
import { parsePrincipals } from '../../lib/principals';
import { ActionDialog, ConfirmAction } from './ConfirmDialog';

const titleOf = (service: PrivateLinkServiceDetails) =>
  service.title ?? service.serviceName;

const list = (items: string[]) => items.join(', ');

/**
 * Allows or revokes principals on the service, then tells the user what changed (the catalog follows within
 * seconds) and calls `onDone` to reload. A failure is thrown for the dialog to show, and nothing else happens.
 */
function usePrincipalChange(
  service: PrivateLinkServiceDetails,
  onDone: () => void,
) {
  const api = useApi(privatelinkApiRef);
  const alertApi = useApi(alertApiRef);
  return async (change: 'allow' | 'revoke', principals: string[]) => {
    const { changed } =
      change === 'allow'
        ? await api.allowPrincipals(service.entityRef, principals)
        : await api.revokePrincipals(service.entityRef, principals);
    const title = titleOf(service);
    if (changed.length > 0) {
      alertApi.post({
        message: `${change === 'allow' ? 'Allowed' : 'Revoked'} ${list(
          changed,
        )} on ${title}. The catalog shows the change within seconds.`,
        severity: 'success',
        display: 'transient',
      });
    } else {
      alertApi.post({
        message: `Nothing changed: ${list(principals)} ${
          change === 'allow' ? 'already allowed' : 'not allowed'
        } on ${title}.`,
        severity: 'info',
        display: 'transient',
      });
    }
    onDone();
  };
}

function AllowPrincipalsDialog(props: {
  service: PrivateLinkServiceDetails;
  onClose: () => void;
  onDone: () => void;
}) {
  const { service } = props;
  const settings = useSettings();
  const change = usePrincipalChange(service, props.onDone);
  // Until the settings are in (or when they fail), `*` is refused: the stricter answer, which the backend repeats.
  const parse = (text: string) =>
    parsePrincipals(text, {
      allowWildcard: settings.value?.allowWildcardPrincipal ?? false,
      region: service.region,
    });
  return (
    <ActionDialog
      title={`Allow principals on ${titleOf(service)}`}
      description={`Allowed principals may create endpoints that connect to the service.${
        service.acceptanceRequired
          ? ' Their connections still wait for acceptance.'
          : ''
      }`}
      confirmLabel="Allow"
      wide
      field={{
        label: 'Principals',
        required: true,
        placeholder: '123456789012 or arn:aws:iam::123456789012:role/name',
        helperText:
          '12-digit account ids or IAM ARNs (:root, :role/<name>, :user/<name>), separated by commas, spaces or new lines',
        validate: value => {
          const parsed = parse(value);
          return parsed.principals
            ? { hint: `Allows ${list(parsed.principals)}` }
            : { error: parsed.error };
        },
      }}
      onConfirm={async value => {
        const parsed = parse(value);
        if (!parsed.principals) throw new Error(parsed.error);
        await change('allow', parsed.principals);
      }}
      onClose={props.onClose}
    />
  );
}

/** For owners: the Allow principal button and its dialog. */
export function AllowPrincipals(props: {
  service: PrivateLinkServiceDetails;
  onDone: () => void;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        variant="contained"
        color="primary"
        size="small"
        onClick={() => setOpen(true)}
      >
        Allow principal
      </Button>
      {open && (
        <AllowPrincipalsDialog
          service={props.service}
          onClose={() => setOpen(false)}
          onDone={props.onDone}
        />
      )}
    </>
  );
}

/** For owners: Revoke of one allowed principal, behind a confirmation that names it. */
export function RevokePrincipal(props: {
  service: PrivateLinkServiceDetails;
  principal: string;
  onDone: () => void;
}) {
  const { service, principal } = props;
  const change = usePrincipalChange(service, props.onDone);
  return (
    <ConfirmAction
      label="Revoke"
      color="secondary"
      ariaLabel={`Revoke principal ${principal}`}
      title={`Revoke ${principal}?`}
      description={`${principal} can no longer create endpoints to ${titleOf(
        service,
      )}. Endpoints it created before stay connected.`}
      onConfirm={() => change('revoke', [principal])}
    />
  );
}
