import { ModifyVpcEndpointServiceConfigurationCommandInput, ServiceConfiguration } from '@aws-sdk/client-ec2';
import { InputError } from '@backstage/errors';
import {
  ConsumerCut,
  DEFAULT_TAG_KEYS,
  EndpointServiceSettingsChange,
  EndpointState,
  toFullEntityRef,
} from '@privatelink-backstage/plugin-privatelink-common';

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
  /** The IP address type of the consumer's endpoint (`ipv4`, `dualstack`, `ipv6`), when AWS reported it. */
  ipAddressType?: string;
}

/**
 * The tags that place a service in the catalog and that a settings change may write (`privatelink.tagKeys`).
 *
 * @public
 */
export interface PlacementTagKeys {
  /** The tag key holding the owner entity ref. */
  owner: string;
  /** The tag key holding the system entity ref. */
  system: string;
  /** The tag key holding the component entity ref. */
  component: string;
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
  /** The placing tags to write (CreateTags) and to remove (DeleteTags), by key; empty when none differ. */
  tags: { set: Record<string, string>; remove: string[] };
  /** The owner the service is handed to (a full group ref), when the change moves it to another team. */
  newOwner?: string;
  /**
   * The settings changed, by name: `acceptanceRequired`, `supportedRegions`, `privateDnsName`,
   * `supportedIpAddressTypes`, `owner`, `system`, `component`.
   */
  changed: string[];
  /** The consumers the change cuts off. */
  cuts: ConsumerCut[];
}

/** Connection states that a consumer is using or waiting in. */
const ACTIVE: ReadonlySet<EndpointState> = new Set(['pendingAcceptance', 'pending', 'available']);

/** The IP address types an endpoint of each type connects over. */
const FAMILIES: Record<string, Array<'ipv4' | 'ipv6'>> = { ipv4: ['ipv4'], ipv6: ['ipv6'], dualstack: ['ipv4', 'ipv6'] };

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
  tagKeys: PlacementTagKeys = DEFAULT_TAG_KEYS,
): SettingsPlan {
  const input: SettingsPlan['input'] = {};
  const changed: string[] = [];
  const cuts: ConsumerCut[] = [];
  const cut = (c: ServiceConnection, reason: string) => {
    // A consumer cut for one reason already is named once.
    if (!cuts.some(x => x.endpointId === c.endpointId)) {
      cuts.push({ endpointId: c.endpointId, accountId: c.accountId, state: c.state, reason });
    }
  };

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
      if (ACTIVE.has(c.state) && remove.includes(c.region)) cut(c, `connects from ${c.region}`);
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
          if (c.state === 'available') cut(c, `resolves ${before}`);
        }
      }
    }
  }

  if (change.supportedIpAddressTypes !== undefined) {
    const before = new Set<string>(current.SupportedIpAddressTypes?.length ? current.SupportedIpAddressTypes : ['ipv4']);
    const after = new Set<string>(change.supportedIpAddressTypes);
    const addTypes = [...after].filter(t => !before.has(t)).sort();
    const removeTypes = [...before].filter(t => !after.has(t)).sort();
    if (addTypes.length) input.AddSupportedIpAddressTypes = addTypes as Array<'ipv4' | 'ipv6'>;
    if (removeTypes.length) {
      input.RemoveSupportedIpAddressTypes = removeTypes as Array<'ipv4' | 'ipv6'>;
      for (const c of connections) {
        const uses = FAMILIES[c.ipAddressType ?? 'ipv4'] ?? ['ipv4'];
        const lost = uses.find(t => removeTypes.includes(t));
        if (ACTIVE.has(c.state) && lost) cut(c, `connects over ${lost === 'ipv4' ? 'IPv4' : 'IPv6'}`);
      }
    }
    if (addTypes.length || removeTypes.length) changed.push('supportedIpAddressTypes');
  }

  const tags = Object.fromEntries((current.Tags ?? []).filter(t => t.Key).map(t => [t.Key!, t.Value ?? '']));
  const plannedTags: SettingsPlan['tags'] = { set: {}, remove: [] };
  let newOwner: string | undefined;
  const placements: Array<{ setting: 'owner' | 'system' | 'component'; value: string | null | undefined }> = [
    { setting: 'owner', value: change.owner },
    { setting: 'system', value: change.system },
    { setting: 'component', value: change.component },
  ];
  for (const { setting, value } of placements) {
    if (value === undefined) continue;
    const key = tagKeys[setting];
    const kind = setting === 'owner' ? 'group' : setting;
    const wanted = value === null ? undefined : toFullEntityRef(value, kind);
    if (value !== null && !wanted) throw new InputError(`${setting}: '${value}' is not an entity ref`);
    const had = tags[key] ? toFullEntityRef(tags[key], kind) ?? tags[key] : undefined;
    if (wanted === had) continue;
    if (wanted) plannedTags.set[key] = wanted;
    else plannedTags.remove.push(key);
    if (setting === 'owner') newOwner = wanted;
    changed.push(setting);
  }

  cuts.sort((a, b) => a.endpointId.localeCompare(b.endpointId));
  return { input, tags: plannedTags, ...(newOwner ? { newOwner } : {}), changed, cuts };
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
