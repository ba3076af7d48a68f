import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ANNOTATION_LOCATION, Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATIONS,
  isSyncedEntity,
  ServiceChangedEvent,
  VPC_ENDPOINT_SERVICE_TYPE,
} from '@privatelink-backstage/plugin-privatelink-common';
import { configuredAccount, PrivateLinkConfig } from '../config/privatelinkConfig';
import { findSynced } from './findSynced';

/**
 * An endpoint service entity that the sync itself emitted, with the AWS service it stands for. Made only by
 * {@link trustService} and {@link findTrustedService}.
 *
 * @public
 */
export interface TrustedService {
  /** The catalog entity (kind Resource, type `vpc-endpoint-service`), as it was read. */
  entity: Entity;
  /** The entity's ref, e.g. `resource:default/orders-api`. */
  ref: string;
  /**
   * The AWS endpoint service the entity stands for: the account, region and service id of its
   * `amazonaws.com/…` annotations. The account is a configured one.
   */
  target: ServiceChangedEvent;
}

const isServiceEntity = (e: Entity) =>
  e.kind.toLocaleLowerCase('en-US') === 'resource' && e.spec?.type === VPC_ENDPOINT_SERVICE_TYPE;

/**
 * Accepts an entity as an endpoint service only when the sync emitted it: its `backstage.io/managed-by-location`
 * is the provider's own location for the account and region it names (the catalog writes that annotation itself
 * for entities read from files and URLs, so a registered catalog file cannot carry it), and that account is
 * configured. Anything else is refused, whatever its annotations and owner say.
 *
 * @throws `NotAllowedError` when the entity is not a `vpc-endpoint-service` Resource with account, region and
 *   service id annotations, was not written by the sync, or names an account that is not configured.
 * @public
 */
export function trustService(entity: Entity, config: Pick<PrivateLinkConfig, 'accounts'>): TrustedService {
  const ref = stringifyEntityRef(entity);
  const a = entity.metadata.annotations ?? {};
  const target = { accountId: a[ANNOTATIONS.accountId], region: a[ANNOTATIONS.region], serviceId: a[ANNOTATIONS.serviceId] };
  if (!isServiceEntity(entity) || !target.accountId || !target.region || !target.serviceId) {
    throw new NotAllowedError(`${ref} is not a vpc-endpoint-service with account, region and service id`);
  }
  if (!isSyncedEntity(entity)) {
    throw new NotAllowedError(
      `${ref} was not written by the PrivateLink sync (it is managed by ${a[ANNOTATION_LOCATION] ?? 'an unknown location'}); PrivateLink acts only on the endpoint services it synced`,
    );
  }
  if (!configuredAccount(config, target.accountId)) {
    throw new NotAllowedError(`${ref} is in account ${target.accountId}, which is not configured under privatelink.accounts`);
  }
  return { entity, ref, target: target as ServiceChangedEvent };
}

/**
 * Finds the one synced entity of an endpoint service by its account, region and id, read with the caller's
 * credentials (a service they may not see is not found). Never "the first match": only the provider's own
 * entity for exactly that account and region qualifies.
 *
 * @throws `NotAllowedError` when the target's account is not configured; `NotFoundError` when no such entity is
 *   visible to the caller, or when more than one is.
 * @public
 */
export async function findTrustedService(options: {
  /** The catalog, read with `credentials`. */
  catalog: CatalogService;
  /** The configured accounts. */
  config: Pick<PrivateLinkConfig, 'accounts'>;
  /** The account, region and id of the endpoint service. */
  target: ServiceChangedEvent;
  /** The caller's credentials: the service must be visible to them. */
  credentials: BackstageCredentials;
}): Promise<TrustedService> {
  const { target } = options;
  return findSynced({
    ...options,
    filter: { 'spec.type': VPC_ENDPOINT_SERVICE_TYPE, [`metadata.annotations.${ANNOTATIONS.serviceId}`]: target.serviceId },
    trust: trustService,
    none: `No endpoint service ${target.serviceId} synced from ${target.accountId}/${target.region} is visible to you in the catalog`,
    many: n => `Endpoint service ${target.serviceId} is in the catalog ${n} times; refusing to pick one`,
  });
}

