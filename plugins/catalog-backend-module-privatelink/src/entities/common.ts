// What the entity builders share besides placement: the config type they read, where a record was read (its
// location and whether that read is stale), the AWS console link and the order of the service entities.
import { privatelinkLocationRef } from '@privatelink-backstage/plugin-privatelink-common';
import { PrivateLinkConfig } from '@privatelink-backstage/plugin-privatelink-node';
import { AccountRegionSnapshot, EndpointServiceRecord } from '../aws/types';

/**
 * The parts of the config that decide names, owners and systems.
 *
 * Not a stable API: for this repository's benchmarks and tests.
 *
 * @public
 */
export type EntityConfig = Pick<PrivateLinkConfig, 'accounts' | 'defaultOwner' | 'tagKeys'>;

/**
 * The `backstage.io/managed-by-location` of everything read in one account and region. The provider finds an
 * unreadable account's last entities by it, and the write path trusts only entities that carry it.
 */
export const locationOf = privatelinkLocationRef;

/** The link to a resource in the AWS VPC console of its region; `fragment` names the page. */
export function consoleUrl(region: string, fragment: string): string {
  return `https://${region}.console.aws.amazon.com/vpcconsole/home?region=${region}#${fragment}`;
}

/** Since when the read of an account and region is stale (the snapshot's `readAt`), or undefined when it is fresh. */
export type StaleSince = (accountId: string | undefined, region: string) => string | undefined;

/** The {@link StaleSince} of the snapshots: one pass over them, then a map look-up per entity. */
export function staleSinceOf(snapshots: AccountRegionSnapshot[]): StaleSince {
  const staleOf = new Map<string, string>();
  for (const s of snapshots) if (s.staleSince) staleOf.set(`${s.accountId}/${s.region}`, s.readAt);
  return (accountId, region) => staleOf.get(`${accountId}/${region}`);
}

/** Every service of the snapshots, in the order buildEntities emits their entities (by service id). */
export const servicesInOrder = (snapshots: AccountRegionSnapshot[]): EndpointServiceRecord[] =>
  snapshots.flatMap(s => s.services).sort((a, b) => a.serviceId.localeCompare(b.serviceId));
