import { ModifyVpcEndpointServiceConfigurationCommandInput, ServiceConfiguration } from '@aws-sdk/client-ec2';
import { InputError } from '@backstage/errors';
import { ConsumerCut, EndpointServiceSettingsChange, EndpointState } from '@privatelink-backstage/plugin-privatelink-common';

/**
 * A connection to an endpoint service as a settings change or a retirement weighs it.
 *
 * @public
 */
export interface ServiceConnection {
  /** The consumer's VPC endpoint id. */
  endpointId: string;
  /** The consumer's account, when AWS reported it. */
  accountId?: string;
  /** The connection's state, normalised. */
  state: EndpointState;
  /** The region the consumer connects from (`VpcEndpointRegion`); the service's own region when AWS did not say. */
  region: string;
}

/**
 * What a settings change will do: the ModifyVpcEndpointServiceConfiguration input (without `ServiceId`; empty
 * when nothing differs from the current configuration), the settings it changes, and the consumers it cuts.
 *
 * @public
 */
export interface SettingsPlan {
  /** The fields to send; no field when the change asks for what is already so. */
  input: Omit<ModifyVpcEndpointServiceConfigurationCommandInput, 'ServiceId'>;
  /** The settings changed, by name: `acceptanceRequired`, `supportedRegions`, `privateDnsName`. */
  changed: string[];
  /** The consumers the change cuts off. */
  cuts: ConsumerCut[];
}

/** Connection states that a consumer is using or waiting in. */
const ACTIVE: ReadonlySet<EndpointState> = new Set(['pendingAcceptance', 'pending', 'available']);

/**
 * Compares a settings change with the service's current configuration, as read just before: only real differences
 * are sent (adding a supported region twice, or setting the name it has, changes nothing), and it names the
 * consumers it cuts: connections from a region that is removed, and connected consumers (`available`) of a private
 * DNS name that is changed or removed (they resolve the old name).
 *
 * @throws `InputError` when the change removes the service's own region.
 * @public
 */
export function planSettingsChange(
  current: ServiceConfiguration,
  serviceRegion: string,
  connections: ServiceConnection[],
  change: EndpointServiceSettingsChange,
): SettingsPlan {
  const input: SettingsPlan['input'] = {};
  const changed: string[] = [];
  const cuts: ConsumerCut[] = [];

  if (change.acceptanceRequired !== undefined && change.acceptanceRequired !== Boolean(current.AcceptanceRequired)) {
    input.AcceptanceRequired = change.acceptanceRequired;
    changed.push('acceptanceRequired');
  }

  if ((change.removeSupportedRegions ?? []).includes(serviceRegion)) {
    throw new InputError(`removeSupportedRegions: ${serviceRegion} is the service's own region and cannot be removed`);
  }
  const supported = new Set((current.SupportedRegions ?? []).map(r => r.Region).filter((r): r is string => Boolean(r)));
  supported.add(serviceRegion);
  const add = [...new Set(change.addSupportedRegions ?? [])].filter(r => !supported.has(r)).sort();
  const remove = [...new Set(change.removeSupportedRegions ?? [])].filter(r => supported.has(r)).sort();
  if (add.length) input.AddSupportedRegions = add;
  if (remove.length) {
    input.RemoveSupportedRegions = remove;
    for (const c of connections) {
      if (ACTIVE.has(c.state) && remove.includes(c.region)) {
        cuts.push({ endpointId: c.endpointId, accountId: c.accountId, state: c.state, reason: `connects from ${c.region}` });
      }
    }
  }
  if (add.length || remove.length) changed.push('supportedRegions');

  if (change.privateDnsName !== undefined) {
    const before = current.PrivateDnsName || undefined;
    const after = change.privateDnsName ?? undefined;
    if (before !== after) {
      if (after) input.PrivateDnsName = after;
      else input.RemovePrivateDnsName = true;
      changed.push('privateDnsName');
      if (before) {
        for (const c of connections) {
          // A consumer cut for its region already is named once.
          if (c.state === 'available' && !cuts.some(x => x.endpointId === c.endpointId)) {
            cuts.push({ endpointId: c.endpointId, accountId: c.accountId, state: c.state, reason: `resolves ${before}` });
          }
        }
      }
    }
  }
  cuts.sort((a, b) => a.endpointId.localeCompare(b.endpointId));
  return { input, changed, cuts };
}

/**
 * One sentence naming the consumers a change cuts (at most ten), for a refusal, e.g.
 * `1 consumer: vpce-1 (account 210987654321, connects from eu-west-1)`.
 *
 * @public
 */
export function describeCuts(cuts: ConsumerCut[]): string {
  const listed = cuts
    .slice(0, 10)
    .map(c => `${c.endpointId} (${c.accountId ? `account ${c.accountId}, ` : ''}${c.reason})`)
    .join('; ');
  return `${cuts.length} consumer${cuts.length === 1 ? '' : 's'}: ${listed}${cuts.length > 10 ? `; and ${cuts.length - 10} more` : ''}`;
}
