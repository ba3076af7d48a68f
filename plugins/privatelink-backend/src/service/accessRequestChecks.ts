import { BackstageCredentials, BackstageUserPrincipal, UserInfoService } from '@backstage/backend-plugin-api';
import { CustomErrorBase, InputError, NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { CreateAccessRequest, toFullEntityRef } from '@privatelink-backstage/plugin-privatelink-common';
import { configuredAccount, PrivateLinkConfig } from '@privatelink-backstage/plugin-privatelink-node';
import { PrivateLinkStore } from './store';

/** Answered 429: the caller has too many open requests on this service. */
export class TooManyRequestsError extends CustomErrorBase {
  name = 'TooManyRequestsError' as const;
  /** Read by Backstage's error handler. */
  statusCode = 429;
}

const CONSUMER_KINDS = new Set(['component', 'resource', 'group']);

/**
 * What binds an access request to its requester and to real things, checked before anything is stored:
 * - the consumer is an existing Component, Resource or Group that the requester owns or belongs to (from their
 *   verified ownership refs and the catalog, read with their credentials);
 * - the account is a configured one, or, where `accessRequests.allowExternalAccounts` is on, flagged external;
 * - the requester has fewer than `accessRequests.maxOpenPerUser` open requests on the service.
 * Returns the consumer's full ref and whether the account is external.
 */
export async function checkAccessRequest(options: {
  body: CreateAccessRequest;
  serviceRef: string;
  credentials: BackstageCredentials<BackstageUserPrincipal>;
  catalog: CatalogService;
  userInfo: UserInfoService;
  config: Pick<PrivateLinkConfig, 'accounts' | 'accessRequests'>;
  store: PrivateLinkStore;
}): Promise<{ consumerRef: string; external: boolean }> {
  const { body, serviceRef, credentials, config } = options;
  const consumerRef = toFullEntityRef(body.consumerRef, 'component');
  if (!consumerRef) throw new InputError(`consumerRef: '${body.consumerRef}' is not an entity ref`);
  const consumer = await options.catalog.getEntityByRef(consumerRef, { credentials });
  if (!consumer) throw new InputError(`consumerRef: there is no entity ${consumerRef} in the catalog`);
  if (!CONSUMER_KINDS.has(consumer.kind.toLocaleLowerCase('en-US'))) {
    throw new InputError(`consumerRef: ${consumerRef} is a ${consumer.kind}; a consumer is a Component, Resource or Group`);
  }
  const mine = new Set((await options.userInfo.getUserInfo(credentials)).ownershipEntityRefs);
  const owner = consumer.kind.toLocaleLowerCase('en-US') === 'group' ? consumerRef : toFullEntityRef(consumer.spec?.owner, 'group');
  if (!owner || !mine.has(owner)) {
    throw new NotAllowedError(
      `You may request access only for what you or a group you belong to owns; ${consumerRef} is owned by ${owner ?? 'nobody'}`,
    );
  }

  const external = !configuredAccount(config, body.accountId);
  if (external && !config.accessRequests.allowExternalAccounts) {
    throw new InputError(
      `accountId: ${body.accountId} is not one of the configured accounts (accounts of other organisations need privatelink.accessRequests.allowExternalAccounts)`,
    );
  }

  const open = await options.store.countOpen({ serviceRef, requestedBy: credentials.principal.userEntityRef });
  if (open >= config.accessRequests.maxOpenPerUser) {
    throw new TooManyRequestsError(
      `You have ${open} open requests on ${serviceRef}, the most allowed (privatelink.accessRequests.maxOpenPerUser); wait for the owners to decide`,
    );
  }
  return { consumerRef, external };
}
