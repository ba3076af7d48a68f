// Placement: where in the catalog a resource goes, from its AWS tags and the config — its owner (with the
// accounts[].owners check), system and component, how its account is named, and which of its tags are labels.
// The configured fallbacks are parsed once, in createPlacement, not once per entity.
import { RETIREMENT_ANNOUNCED_TAG, toFullEntityRef } from '@privatelink-backstage/plugin-privatelink-common';
import { EntityConfig } from './common';
import { toEntityName } from './names';

/** A resource's owner and, when its owner tag named one its account does not permit, the warning its entity carries. */
export interface OwnerPlacement {
  /** The full entity ref of the owner (`group:default/…` unless the tag names another kind). */
  owner: string;
  /** Why the owner tag was not taken (accounts[].owners); the entity's owner-warning annotation. */
  warning?: string;
}

/** The placement of resources under one config: see {@link createPlacement}. */
export interface Placement {
  /**
   * The owner of a resource with these tags in this account: the owner tag when the account permits it (an
   * account that lists no `owners` permits any), else the account's owner, else the default owner.
   */
  ownerOf(tags: Record<string, string>, accountId?: string): OwnerPlacement;
  /** The system of a resource: its system tag, else its account's system; undefined when neither is set. */
  systemOf(tags: Record<string, string>, accountId?: string): string | undefined;
  /** The component a resource belongs to (its component tag as a full ref), if any. */
  componentOf(tags: Record<string, string>): string | undefined;
  /** How descriptions name an account: `id (name)`, the id alone when it has no configured name, or "an unknown account". */
  accountLabel(accountId?: string): string;
  /**
   * A resource's AWS tags as labels (`aws-tag.privatelink.io/<key>`), except the ones that place it (the
   * configured tag keys), the one the write path keeps (the announced retirement), `Name` and AWS's own `aws:` tags.
   */
  labelsOf(tags: Record<string, string>): Record<string, string>;
}

const LABEL_PREFIX = 'aws-tag.privatelink.io/';

/** The {@link Placement} of a config, with its fallbacks (default owner, accounts' owners, systems and permitted owners) parsed once. */
export function createPlacement(config: EntityConfig): Placement {
  const accounts = new Map(config.accounts.map(a => [a.accountId, a]));
  // Tags that place the entity or that the write path keeps are not labels.
  const placing = new Set([...Object.values(config.tagKeys), RETIREMENT_ANNOUNCED_TAG]);

  const refOr = toFullEntityRef;
  const defaultOwner = refOr(config.defaultOwner, 'group')!;
  const accountOwner = new Map(config.accounts.map(a => [a.accountId, refOr(a.owner, 'group')]));
  const accountSystem = new Map(config.accounts.map(a => [a.accountId, refOr(a.system, 'system')]));
  // The owners a tag in each account may name (accounts[].owners); unset: any tag is taken as written.
  const permitted = new Map(
    config.accounts
      .filter(a => a.owners)
      .map(a => [a.accountId, new Set([a.owner, ...a.owners!].map(o => refOr(o, 'group')).filter(Boolean))]),
  );
  const fallbackOwner = (accountId?: string) => (accountId ? accountOwner.get(accountId) : undefined) ?? defaultOwner;

  return {
    ownerOf(tags, accountId) {
      const tagged = refOr(tags[config.tagKeys.owner], 'group');
      if (!tagged) return { owner: fallbackOwner(accountId) };
      const allowed = accountId ? permitted.get(accountId) : undefined;
      if (allowed && !allowed.has(tagged)) {
        const owner = fallbackOwner(accountId);
        return {
          owner,
          warning: `The ${config.tagKeys.owner} tag names ${tagged}, which account ${accountId} does not permit (privatelink.accounts[].owners); owned by ${owner} instead`,
        };
      }
      return { owner: tagged };
    },
    systemOf: (tags, accountId) =>
      refOr(tags[config.tagKeys.system], 'system') ?? (accountId ? accountSystem.get(accountId) : undefined),
    componentOf: tags => refOr(tags[config.tagKeys.component], 'component'),
    accountLabel(accountId) {
      const name = accountId ? accounts.get(accountId)?.name : undefined;
      return accountId ? `${accountId}${name ? ` (${name})` : ''}` : 'an unknown account';
    },
    labelsOf(tags) {
      const labels: Record<string, string> = {};
      for (const [key, value] of Object.entries(tags)) {
        if (placing.has(key) || key.startsWith('aws:') || key === 'Name') continue;
        const name = toEntityName(key);
        const v = value
          .replace(/[^A-Za-z0-9._-]+/g, '-')
          .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '')
          .slice(0, 63)
          .replace(/[^A-Za-z0-9]+$/g, '');
        if (name && v) labels[`${LABEL_PREFIX}${name}`] = v;
      }
      return labels;
    },
  };
}
