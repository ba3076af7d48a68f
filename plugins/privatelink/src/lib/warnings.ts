import { PrivateLinkServiceDetails } from '@privatelink-backstage/plugin-privatelink-common';
import { formatDateTime } from './format';
import { isPrivateDnsVerified, privateDnsStateLabel } from './model';

/** Something about an endpoint service that its owners or consumers should look at. */
export interface ServiceWarning {
  id:
    | 'retirement'
    | 'stale'
    | 'unverified-dns'
    | 'wildcard'
    | 'old-pending'
    | 'no-consumers';
  message: string;
}

const DAY_MS = 24 * 3600 * 1000;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The warnings for a service, most important first. `now` is for tests. */
export function serviceWarnings(
  details: PrivateLinkServiceDetails,
  options: { pendingWarningDays: number; now?: number },
): ServiceWarning[] {
  const now = options.now ?? Date.now();
  const warnings: ServiceWarning[] = [];
  if (details.retirement) {
    warnings.push({
      id: 'retirement',
      message: `Retirement announced: this service will be retired from ${formatDateTime(
        details.retirement.retireAfter,
      )}. Move your consumers off it.`,
    });
  }
  if (details.staleSince) {
    warnings.push({
      id: 'stale',
      message: `Stale data: this endpoint service could not be read from AWS since ${formatDateTime(
        details.staleSince,
      )}. What is shown may be out of date.`,
    });
  }
  if (
    details.privateDnsName &&
    !isPrivateDnsVerified(details.privateDnsState)
  ) {
    warnings.push({
      id: 'unverified-dns',
      message: `The private DNS name ${
        details.privateDnsName
      } is not verified (${privateDnsStateLabel(
        details.privateDnsState,
      )}). Consumers cannot use it until the domain ownership is verified.`,
    });
  }
  if (details.allowedPrincipals.includes('*')) {
    warnings.push({
      id: 'wildcard',
      message: `The principal * is allowed: every AWS account can connect to this endpoint service${
        details.acceptanceRequired ? '' : ', without acceptance'
      }.`,
    });
  }
  const cutoff = now - options.pendingWarningDays * DAY_MS;
  const oldPending = details.consumers.filter(
    c =>
      c.state === 'pendingAcceptance' &&
      c.createdAt &&
      new Date(c.createdAt).getTime() < cutoff,
  );
  if (oldPending.length > 0) {
    warnings.push({
      id: 'old-pending',
      message: `${plural(oldPending.length, 'connection')} ${
        oldPending.length === 1 ? 'has' : 'have'
      } been pending acceptance for more than ${plural(
        options.pendingWarningDays,
        'day',
      )}: ${oldPending.map(c => c.endpointId).join(', ')}.`,
    });
  }
  if (details.consumers.length === 0) {
    warnings.push({
      id: 'no-consumers',
      message:
        'No consumers: no VPC endpoint connects to this endpoint service yet.',
    });
  }
  return warnings;
}
