import { Config } from '@backstage/config';
import { readTagKeys, TagKeys } from './tags';

/** What the actions take from the app config, read once at start-up. */
export type ActionsConfig = {
  tagKeys: TagKeys;
  /** `privatelink.allowWildcardPrincipal`: whether `*` may be allowed on a service. */
  allowWildcardPrincipal: boolean;
  /**
   * True when `privatelink.endpoint` points the clients at an emulator (moto). moto writes every load balancer
   * ARN as `loadbalancer/app/…`, even for network load balancers; only then are such ARNs accepted.
   */
  emulator: boolean;
  /** Accounts listed under `privatelink.accounts`: the services the catalog knows. Empty when none are listed. */
  knownAccountIds: string[];
};

export function readActionsConfig(config: Config): ActionsConfig {
  return {
    tagKeys: readTagKeys(config),
    allowWildcardPrincipal:
      config.getOptionalBoolean('privatelink.allowWildcardPrincipal') ?? false,
    emulator: Boolean(config.getOptionalString('privatelink.endpoint')),
    knownAccountIds: (
      config.getOptionalConfigArray('privatelink.accounts') ?? []
    ).map(account => account.getString('accountId')),
  };
}
