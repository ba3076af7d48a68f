import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { RESOURCE_TYPE_PRIVATELINK_ACCOUNT, toFullEntityRef } from '@privatelink-backstage/plugin-privatelink-common';
import { z } from 'zod/v3';
import { configuredAccount, PrivateLinkConfig } from '../config/privatelinkConfig';

/**
 * A configured AWS account as the permission framework sees it (resource type `privatelink-account`).
 *
 * @public
 */
export interface PrivateLinkAccountResource {
  /** The 12-digit AWS account id; also the resource ref of the account in permission requests. */
  accountId: string;
  /** The account's configured owner, as a full entity ref. */
  owner?: string;
  /** The owners the account delegates to (`privatelink.accounts[].owners`), as full entity refs; empty when unset. */
  owners: string[];
}

/**
 * The permission resource ref of configured accounts (plugin `privatelink`, resource type `privatelink-account`);
 * the backend plugin registers it.
 *
 * @public
 */
export const privatelinkAccountResourceRef = createPermissionResourceRef<PrivateLinkAccountResource, never>().with({
  pluginId: 'privatelink',
  resourceType: RESOURCE_TYPE_PRIVATELINK_ACCOUNT,
});

const groupRef = (ref: string) => toFullEntityRef(ref, 'group')!;

/**
 * The account resource of a configured account id, with its owners as full group entity refs; undefined for an
 * account that is not configured.
 *
 * @public
 */
export function accountResource(config: Pick<PrivateLinkConfig, 'accounts'>, accountId: string): PrivateLinkAccountResource | undefined {
  const account = configuredAccount(config, accountId);
  if (!account) return undefined;
  return { accountId, owner: account.owner ? groupRef(account.owner) : undefined, owners: (account.owners ?? []).map(groupRef) };
}

const claimsSchema = z.object({
  claims: z.array(z.string()).describe('Ownership entity refs of the user, e.g. user.info.ownershipEntityRefs'),
});

/** The account's configured owner is among the claims. */
const isAccountOwner = createPermissionRule({
  name: 'IS_ACCOUNT_OWNER',
  description: "Allow users who are members of the account's configured owner (privatelink.accounts[].owner)",
  resourceRef: privatelinkAccountResourceRef,
  paramsSchema: claimsSchema,
  apply: (account, { claims }) => Boolean(account.owner && claims.includes(account.owner)),
  toQuery: () => {
    throw new Error('privatelink-account conditions are applied to loaded accounts, never as a query');
  },
});

/** One of the owners the account delegates to is among the claims. */
const isDelegatedOwner = createPermissionRule({
  name: 'IS_DELEGATED_OWNER',
  description: 'Allow users who are members of an owner the account delegates to (privatelink.accounts[].owners)',
  resourceRef: privatelinkAccountResourceRef,
  paramsSchema: claimsSchema,
  apply: (account, { claims }) => account.owners.some(o => claims.includes(o)),
  toQuery: () => {
    throw new Error('privatelink-account conditions are applied to loaded accounts, never as a query');
  },
});

/**
 * The rules of the `privatelink-account` resource type: `isAccountOwner` (`IS_ACCOUNT_OWNER`, the account's
 * configured owner is among the `claims`) and `isDelegatedOwner` (`IS_DELEGATED_OWNER`, one of the owners the
 * account delegates to is among the `claims`). Both apply to loaded accounts only; their `toQuery` throws.
 *
 * @public
 */
export const privatelinkAccountRules = { isAccountOwner, isDelegatedOwner };

const exportsOfAccount = createConditionExports({ resourceRef: privatelinkAccountResourceRef, rules: privatelinkAccountRules });

/**
 * Conditions on configured accounts for a permission policy, e.g.
 * `anyOf([isAccountOwner({ claims }), isDelegatedOwner({ claims })])` for `privatelink.resource.create`.
 *
 * @public
 */
export const privatelinkAccountConditions = exportsOfAccount.conditions;

/**
 * Wraps account conditions into the conditional decision a policy returns for a `privatelink-account` permission.
 *
 * @public
 */
export const createPrivateLinkAccountConditionalDecision = exportsOfAccount.createConditionalDecision;
