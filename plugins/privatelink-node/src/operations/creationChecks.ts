import { InputError, NotAllowedError } from '@backstage/errors';
import { privatelinkResourceCreatePermission, toFullEntityRef } from '@privatelink-backstage/plugin-privatelink-common';
import { configuredAccount, permittedOwners, PrivateLinkConfig } from '../config/privatelinkConfig';
import { PermissionCheck, WriteOperation } from './WriteGate';

/**
 * What creating a resource in an account must satisfy, as the parts of a {@link WriteOperation}.
 *
 * @public
 */
export type CreationChecks = Required<Pick<WriteOperation<unknown>, 'validate' | 'checks' | 'precondition'>>;

/**
 * The checks for creating a network load balancer, endpoint service or consumer endpoint in an account:
 * - the account is configured under `privatelink.accounts` (PrivateLink creates nothing elsewhere);
 * - the permission `privatelink.resource.create` on the account, decided by the app's policy;
 * - the owner the new resource is tagged with is one of the creator's own ownership refs (themselves or a group
 *   they belong to, from their verified token), and one the account permits (`accounts[].owners`).
 *
 * The checks throw when run, not this function: `validate` a `NotAllowedError` for an account that is not
 * configured; `precondition` an `InputError` for a missing or malformed owner and a `NotAllowedError` for an
 * owner that is not the creator's or that the account does not permit.
 *
 * @public
 */
export function creationChecks(options: {
  /** The configured accounts. */
  config: Pick<PrivateLinkConfig, 'accounts'>;
  /** The 12-digit AWS account id the resource is created in. */
  accountId: string;
  /** The owner the resource will carry in its owner tag. */
  owner: string | undefined;
  /** The creator's ownership entity refs (`userInfo.getUserInfo(credentials).ownershipEntityRefs`). */
  ownershipRefs: () => Promise<string[]>;
}): CreationChecks {
  const { config, accountId } = options;
  const check: PermissionCheck = {
    permission: privatelinkResourceCreatePermission,
    resourceRef: accountId,
    on: `account ${accountId}`,
  };
  return {
    validate: () => {
      if (!configuredAccount(config, accountId)) {
        throw new NotAllowedError(`Account ${accountId} is not configured under privatelink.accounts; PrivateLink creates nothing there`);
      }
    },
    checks: [check],
    precondition: async () => {
      if (!options.owner) throw new InputError('owner: the owner of what is created is required');
      const owner = toFullEntityRef(options.owner, 'group');
      if (!owner) throw new InputError(`owner: '${options.owner}' is not an entity ref`);
      const mine = new Set(await options.ownershipRefs());
      if (!mine.has(owner)) {
        throw new NotAllowedError(`You may only create resources owned by yourself or a group you belong to, not by ${owner}`);
      }
      const permitted = permittedOwners(config, accountId);
      if (permitted && !permitted.has(owner)) {
        throw new NotAllowedError(
          `Account ${accountId} does not permit the owner ${owner}; it permits ${[...permitted].join(', ')} (privatelink.accounts[].owners)`,
        );
      }
    },
  };
}
