import {
  EndpointServiceSettingsChange,
  EndpointServiceSettingsResult,
  PrivateLinkServiceDetails,
  describeIssues,
  dnsNameSchema,
  endpointServiceSettingsChangeSchema,
} from '@privatelink-backstage/plugin-privatelink-common';
import { humanizeRef } from './format';
import { privateDnsStateLabel } from './model';

/** An IP address type consumers may connect over, as the settings change names it. */
export type IpAddressType = 'ipv4' | 'ipv6';

/** The IP address types in the order the form lists them and the change sends them. */
export const IP_ADDRESS_TYPES: IpAddressType[] = ['ipv4', 'ipv6'];

/** What the form knows of the service beyond its details: the component it exposes, when known. */
export interface SettingsContext {
  /** Entity ref of the component the service exposes (its component tag), when known; '' or absent for none. */
  component?: string;
}

/** What the settings form holds: the settings as the user wants them. */
export interface SettingsForm {
  acceptanceRequired: boolean;
  /** Every region consumers should be able to connect from, the service's own included. */
  regions: string[];
  /** The private DNS name as typed; empty for none. */
  privateDnsName: string;
  /** The IP address types consumers should be able to connect over; empty is refused (at least one). */
  ipAddressTypes: IpAddressType[];
  /** Entity ref of the team the service should belong to; '' when it has no owner and none is chosen. */
  owner: string;
  /** The system entity ref as typed; empty for none. */
  system: string;
  /** The component entity ref as typed; empty for none. */
  component: string;
}

/** The IP address types of the service, in form order; none known means IPv4 (the AWS default). */
export function currentIpAddressTypes(
  service: PrivateLinkServiceDetails,
): IpAddressType[] {
  const types = (service.supportedIpAddressTypes ?? []).map(t =>
    t.toLocaleLowerCase('en-US'),
  );
  const known = IP_ADDRESS_TYPES.filter(t => types.includes(t));
  return known.length > 0 ? known : ['ipv4'];
}

/** The form as the service is now: its own region always among the supported ones. */
export function initialSettingsForm(
  service: PrivateLinkServiceDetails,
  context: SettingsContext = {},
): SettingsForm {
  return {
    acceptanceRequired: service.acceptanceRequired,
    regions: service.supportedRegions.includes(service.region)
      ? [...service.supportedRegions]
      : [service.region, ...service.supportedRegions],
    privateDnsName: service.privateDnsName ?? '',
    ipAddressTypes: currentIpAddressTypes(service),
    owner: service.owner ?? '',
    system: service.system ?? '',
    component: context.component ?? '',
  };
}

/**
 * Only what the form changes, as the backend takes it: a field the user left as it is stays out. The service's
 * own region is never added or removed (it cannot be), and a cleared private DNS name, system or component is
 * `null` (remove it). The IP address types go as the whole set, in form order.
 */
export function settingsChange(
  service: PrivateLinkServiceDetails,
  form: SettingsForm,
  context: SettingsContext = {},
): EndpointServiceSettingsChange {
  const change: EndpointServiceSettingsChange = {};
  if (form.acceptanceRequired !== service.acceptanceRequired) {
    change.acceptanceRequired = form.acceptanceRequired;
  }
  const add = form.regions.filter(
    r => r !== service.region && !service.supportedRegions.includes(r),
  );
  const remove = service.supportedRegions.filter(
    r => r !== service.region && !form.regions.includes(r),
  );
  if (add.length > 0) change.addSupportedRegions = add;
  if (remove.length > 0) change.removeSupportedRegions = remove;
  const name = form.privateDnsName.trim();
  if (name !== (service.privateDnsName ?? '')) {
    change.privateDnsName = name || null;
  }
  const types = IP_ADDRESS_TYPES.filter(t => form.ipAddressTypes.includes(t));
  if (types.join() !== currentIpAddressTypes(service).join()) {
    change.supportedIpAddressTypes = types;
  }
  if (form.owner && form.owner !== (service.owner ?? '')) {
    change.owner = form.owner;
  }
  const system = form.system.trim();
  if (system !== (service.system ?? '')) change.system = system || null;
  const component = form.component.trim();
  if (component !== (context.component ?? '')) {
    change.component = component || null;
  }
  return change;
}

/** True when the change names no setting. */
export function isEmptyChange(change: EndpointServiceSettingsChange): boolean {
  return (
    change.acceptanceRequired === undefined &&
    !change.addSupportedRegions &&
    !change.removeSupportedRegions &&
    change.privateDnsName === undefined &&
    change.supportedIpAddressTypes === undefined &&
    change.owner === undefined &&
    change.system === undefined &&
    change.component === undefined
  );
}

/** Why the typed private DNS name would be refused, if it would be; nothing for an empty one (no name). */
export function privateDnsNameError(typed: string): string | undefined {
  const name = typed.trim();
  if (!name) return undefined;
  const parsed = dnsNameSchema.safeParse(name);
  return parsed.success ? undefined : describeIssues(parsed.error);
}

/** Why the backend would refuse the change, checked with the validator it uses; nothing when it is fine. */
export function settingsChangeError(
  change: EndpointServiceSettingsChange,
): string | undefined {
  const parsed = endpointServiceSettingsChangeSchema.safeParse(change);
  return parsed.success ? undefined : describeIssues(parsed.error);
}

/**
 * Why the backend would refuse one field of the change (the shared validator's message for it, without the
 * field's name), for showing next to that field; nothing when it is fine or not in the change.
 */
export function settingsFieldError(
  change: EndpointServiceSettingsChange,
  field: keyof EndpointServiceSettingsChange,
): string | undefined {
  if (change[field] === undefined) return undefined;
  const parsed = endpointServiceSettingsChangeSchema.safeParse({
    [field]: change[field],
  });
  if (parsed.success) return undefined;
  const issues = parsed.error.issues.filter(i => i.path[0] === field);
  return issues.length > 0 ? issues.map(i => i.message).join('; ') : undefined;
}

const IP_LABELS: Record<IpAddressType, string> = {
  ipv4: 'IPv4',
  ipv6: 'IPv6',
};

/** `IPv4`, `IPv6`, `IPv4 and IPv6`: the types in form order, for people. */
export function ipAddressTypesLabel(types: string[]): string {
  return IP_ADDRESS_TYPES.filter(t => types.includes(t))
    .map(t => IP_LABELS[t])
    .join(' and ');
}

/** One line per setting the change makes, for the user to check before sending. */
export function describeSettingsChange(
  service: PrivateLinkServiceDetails,
  change: EndpointServiceSettingsChange,
  context: SettingsContext = {},
): string[] {
  const lines: string[] = [];
  if (change.acceptanceRequired !== undefined) {
    lines.push(
      change.acceptanceRequired
        ? 'New connections wait for an owner to accept them.'
        : 'New connections are accepted automatically.',
    );
  }
  if (change.addSupportedRegions) {
    lines.push(
      `Consumers may also connect from ${change.addSupportedRegions.join(
        ', ',
      )}.`,
    );
  }
  if (change.removeSupportedRegions) {
    lines.push(
      `Consumers can no longer connect from ${change.removeSupportedRegions.join(
        ', ',
      )}.`,
    );
  }
  if (change.privateDnsName === null) {
    lines.push(`The private DNS name ${service.privateDnsName} is removed.`);
  } else if (change.privateDnsName !== undefined) {
    lines.push(
      `The private DNS name becomes ${change.privateDnsName}; its verification starts again.`,
    );
  }
  if (change.supportedIpAddressTypes && change.supportedIpAddressTypes.length) {
    const current = currentIpAddressTypes(service);
    const removed = current.filter(
      t => !change.supportedIpAddressTypes!.includes(t),
    );
    lines.push(
      `Consumers connect over ${ipAddressTypesLabel(
        change.supportedIpAddressTypes,
      )}${
        removed.length
          ? `; those using ${ipAddressTypesLabel(removed)} are cut off`
          : ''
      }.`,
    );
  }
  if (change.owner !== undefined) {
    lines.push(
      `The service is handed to ${humanizeRef(
        change.owner,
        'group',
      )}, which then owns it.`,
    );
  }
  if (change.system === null) {
    lines.push(
      `The service leaves the system ${humanizeRef(service.system, 'system')}.`,
    );
  } else if (change.system !== undefined) {
    lines.push(
      `The service becomes part of the system ${humanizeRef(
        change.system,
        'system',
      )}.`,
    );
  }
  if (change.component === null) {
    lines.push(
      `The service no longer names the component ${humanizeRef(
        context.component,
        'component',
      )}.`,
    );
  } else if (change.component !== undefined) {
    lines.push(
      `The service is exposed by the component ${humanizeRef(
        change.component,
        'component',
      )}.`,
    );
  }
  return lines;
}

const SETTING_NAMES: Record<string, string> = {
  acceptanceRequired: 'acceptance required',
  supportedRegions: 'supported regions',
  privateDnsName: 'private DNS name',
  supportedIpAddressTypes: 'IP address types',
  owner: 'owner',
  system: 'system',
  component: 'component',
};

/** What to tell the user after a settings change: what changed, whom it cut off, where the DNS name stands. */
export function settingsResultMessage(
  title: string,
  result: EndpointServiceSettingsResult,
): { message: string; severity: 'success' | 'info' } {
  if (result.changed.length === 0) {
    return {
      message: `Nothing changed on ${title}: the settings were already so.`,
      severity: 'info',
    };
  }
  const parts = [
    `Changed ${result.changed
      .map(name => SETTING_NAMES[name] ?? name)
      .join(', ')} on ${title}.`,
  ];
  if (result.cuts.length > 0) {
    parts.push(
      `Cut off ${result.cuts
        .map(cut => `${cut.endpointId} (${cut.reason})`)
        .join(', ')}.`,
    );
  }
  if (result.changed.includes('privateDnsName') && result.privateDnsState) {
    parts.push(
      `Private DNS name: ${privateDnsStateLabel(result.privateDnsState)}.`,
    );
  }
  parts.push('The catalog shows the change within seconds.');
  return { message: parts.join(' '), severity: 'success' };
}
