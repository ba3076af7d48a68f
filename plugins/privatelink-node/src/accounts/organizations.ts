import {
  Account,
  OrganizationsClient,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  paginateListTagsForResource,
} from '@aws-sdk/client-organizations';
import { KubernetesValidatorFunctions, parseEntityRef } from '@backstage/catalog-model';
import { toFullEntityRef } from '@privatelink-backstage/plugin-privatelink-common';
import { OrganizationsDiscoveryConfig, PrivateLinkConfig } from '../config/privatelinkConfig';

/**
 * An account as the rest of the product sees it: an entry of `privatelink.accounts` with its regions.
 *
 * @public
 */
export type AccountEntry = PrivateLinkConfig['accounts'][number];

/**
 * What one listing of the organisation found.
 *
 * @public
 */
export interface OrganizationsListing {
  /** The matching accounts, in the order of the units (then of Organizations' listing), each once. */
  accounts: AccountEntry[];
  /** Accounts listed, before the tag filter and the exclude list. */
  listed: number;
  /** Account tags that could not be used (an owner or system tag that is not an entity ref). */
  warnings: string[];
  /** Organizations calls made. */
  calls: number;
}

/** Tag listings in flight at once: Organizations' own rate limits are low (a few calls per second). */
const TAG_CONCURRENCY = 2;

/**
 * Lists the accounts of an AWS organisation that `privatelink.discovery.organizations` selects: every account,
 * or those of its organizational units (with the units below them unless `includeChildren` is false); only
 * `ACTIVE` ones; those carrying every tag of `tags`; none of `exclude`. An account's owner and system come from
 * its tags (`ownerTagKey`, `systemTagKey`), else from the block's `owner` and `system`; its regions from its
 * unit's `regions`, else the block's, else `defaultRegions`. An account in two selected units takes the first.
 * Every listing is paginated; any failed call fails the whole listing (the caller keeps its last good one).
 *
 * @public
 */
export async function listOrganizationAccounts(
  client: OrganizationsClient,
  discovery: OrganizationsDiscoveryConfig,
  options: { defaultRegions: string[]; signal?: AbortSignal },
): Promise<OrganizationsListing> {
  // Each page is one call; the paginators want the client itself (they check its class).
  let calls = 0;
  const config = { client, pageSize: 20 };
  const pages = async function* countedPages<T>(paginator: AsyncIterable<T>): AsyncGenerator<T> {
    for await (const page of paginator) {
      calls += 1;
      yield page;
      options.signal?.throwIfAborted();
    }
  };
  const fallbackRegions = discovery.regions ?? options.defaultRegions;

  const found = new Map<string, { account: Account; regions: string[] }>();
  const add = (account: Account, regions: string[]) => {
    if (account.Id && !found.has(account.Id)) found.set(account.Id, { account, regions });
  };
  if (!discovery.organizationalUnits) {
    for await (const page of pages(paginateListAccounts(config, {}))) {
      for (const account of page.Accounts ?? []) add(account, fallbackRegions);
    }
  } else {
    for (const unit of discovery.organizationalUnits) {
      const regions = unit.regions ?? fallbackRegions;
      const parents = [unit.id];
      for (let i = 0; i < parents.length; i++) {
        for await (const page of pages(paginateListAccountsForParent(config, { ParentId: parents[i] }))) {
          for (const account of page.Accounts ?? []) add(account, regions);
        }
        if (!unit.includeChildren) continue;
        for await (const page of pages(paginateListOrganizationalUnitsForParent(config, { ParentId: parents[i] }))) {
          for (const child of page.OrganizationalUnits ?? []) if (child.Id) parents.push(child.Id);
        }
      }
    }
  }

  const excluded = new Set(discovery.exclude);
  const candidates = [...found.values()].filter(
    ({ account }) => (account.State ?? account.Status) === 'ACTIVE' && !excluded.has(account.Id!),
  );
  const tags = new Map<string, Record<string, string>>();
  for (let i = 0; i < candidates.length; i += TAG_CONCURRENCY) {
    await Promise.all(
      candidates.slice(i, i + TAG_CONCURRENCY).map(async ({ account }) => {
        const accountTags: Record<string, string> = {};
        for await (const page of pages(paginateListTagsForResource({ client }, { ResourceId: account.Id }))) {
          for (const tag of page.Tags ?? []) if (tag.Key) accountTags[tag.Key] = tag.Value ?? '';
        }
        tags.set(account.Id!, accountTags);
      }),
    );
  }

  const warnings: string[] = [];
  const refFromTag = (accountId: string, key: string, kind: 'group' | 'system') => {
    const value = tags.get(accountId)?.[key];
    if (value === undefined || value === '') return undefined;
    const ref = toFullEntityRef(value, kind);
    // A tag is free text anyone with the account's tagging rights writes: only a well-formed ref is used.
    const parts = ref ? parseEntityRef(ref) : undefined;
    const valid =
      parts &&
      KubernetesValidatorFunctions.isValidObjectName(parts.name) &&
      KubernetesValidatorFunctions.isValidNamespace(parts.namespace);
    if (!valid) warnings.push(`Account ${accountId}: its tag ${key}=${value} is not a ${kind} entity ref; ignored`);
    return valid ? ref : undefined;
  };
  const required = Object.entries(discovery.tags ?? {});
  const accounts: AccountEntry[] = [];
  for (const { account, regions } of candidates) {
    const id = account.Id!;
    const accountTags = tags.get(id) ?? {};
    if (!required.every(([key, value]) => accountTags[key] === value)) continue;
    const owner = refFromTag(id, discovery.ownerTagKey, 'group') ?? discovery.owner;
    const system = refFromTag(id, discovery.systemTagKey, 'system') ?? discovery.system;
    accounts.push({
      accountId: id,
      ...(account.Name ? { name: account.Name } : {}),
      regions: [...regions],
      ...(owner ? { owner } : {}),
      ...(system ? { system } : {}),
    });
  }
  return { accounts, listed: found.size, warnings, calls };
}

/**
 * The accounts the product works with: every configured account as configured, then each discovered account
 * that is not configured (configuration wins).
 *
 * @public
 */
export function mergeAccounts(configured: AccountEntry[], discovered: AccountEntry[]): AccountEntry[] {
  const ids = new Set(configured.map(a => a.accountId));
  return [...configured, ...discovered.filter(a => !ids.has(a.accountId))];
}
