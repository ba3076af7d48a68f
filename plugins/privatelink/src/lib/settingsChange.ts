import {
  EndpointServiceSettingsChange,
  EndpointServiceSettingsResult,
  PrivateLinkServiceDetails,
  describeIssues,
  dnsNameSchema,
  endpointServiceSettingsChangeSchema,
} from '@privatelink-backstage/plugin-privatelink-common';
import { privateDnsStateLabel } from './model';

/** What the settings form holds: the settings as the user wants them. */
export interface SettingsForm {
  acceptanceRequired: boolean;
  /** Every region consumers should be able to connect from, the service's own included. */
  regions: string[];
  /** The private DNS name as typed; empty for none. */
  privateDnsName: string;
}

/** The form as the service is now: its own region always among the supported ones. */
export function initialSettingsForm(
  service: PrivateLinkServiceDetails,
): SettingsForm {
  return {
    acceptanceRequired: service.acceptanceRequired,
    regions: service.supportedRegions.includes(service.region)
      ? [...service.supportedRegions]
      : [service.region, ...service.supportedRegions],
    privateDnsName: service.privateDnsName ?? '',
  };
}

/**
 * Only what the form changes, as the backend takes it: a field the user left as it is stays out. The service's
 * own region is never added or removed (it cannot be), and a cleared private DNS name is `null` (remove it).
 */
export function settingsChange(
  service: PrivateLinkServiceDetails,
  form: SettingsForm,
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
  return change;
}

/** True when the change names no setting. */
export function isEmptyChange(change: EndpointServiceSettingsChange): boolean {
  return (
    change.acceptanceRequired === undefined &&
    !change.addSupportedRegions &&
    !change.removeSupportedRegions &&
    change.privateDnsName === undefined
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

/** One line per setting the change makes, for the user to check before sending. */
export function describeSettingsChange(
  service: PrivateLinkServiceDetails,
  change: EndpointServiceSettingsChange,
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
  return lines;
}

const SETTING_NAMES: Record<string, string> = {
  acceptanceRequired: 'acceptance required',
  supportedRegions: 'supported regions',
  privateDnsName: 'private DNS name',
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
