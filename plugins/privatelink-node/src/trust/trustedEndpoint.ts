import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ANNOTATION_LOCATION, Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATIONS,
  isSyncedEntity,
  VPC_ENDPOINT_TYPE,
} from '@privatelink-backstage/plugin-privatelink-common';
import { configuredAccount, PrivateLinkConfig } from '../config/privatelinkConfig';
import { findSynced } from './findSynced';

/**
 * A consumer's VPC endpoint entity that the sync itself emitted, in a configured account. Made only by
 * {@link trustEndpoint} and {@link findTrustedEndpoint}.
 *
 * @public
 */
export interface TrustedEndpoint {
  /** The catalog entity (kind Resource, type `vpc-endpoint`), as it was read. */
  entity: Entity;
  /** The entity's ref, e.g. `resource:default/vpce-0123456789abcdef0`. */
  ref: string;
  /** The endpoint in its own (configured) account and region. */
  target: EndpointTarget;
  /** The ref of the endpoint service entity it connects to (`spec.dependsOn`), when the sync knows the provider. */
  serviceRef?: string;
}

/**
 * A consumer's VPC endpoint in its account and region.
 *
 * @public
 */
export interface EndpointTarget {
  /** 12-digit account the endpoint is in, e.g. `210987654321`. */
  accountId: string;
  /** AWS region of the endpoint, e.g. `eu-west-1`. */
  region: string;
  /** VPC endpoint id, e.g. `vpce-0123456789abcdef0`. */
  endpointId: string;
}

/**
 * Accepts an entity as a consumer's endpoint only when the sync emitted it (its `backstage.io/managed-by-location`
 * is the provider's own location for the account and region it names, which a registered catalog file cannot
 * carry) and that account is configured (PrivateLink changes nothing in other accounts).
 *
 * @throws `NotAllowedError` otherwise.
 * @public
 */
export function trustEndpoint(entity: Entity, config: Pick<PrivateLinkConfig, 'accounts'>): TrustedEndpoint {
  const ref = stringifyEntityRef(entity);
  const a = entity.metadata.annotations ?? {};
  const target = { accountId: a[ANNOTATIONS.accountId], region: a[ANNOTATIONS.region], endpointId: a[ANNOTATIONS.endpointId] };
  const isEndpoint = entity.kind.toLocaleLowerCase('en-US') === 'resource' && entity.spec?.type === VPC_ENDPOINT_TYPE;
  if (!isEndpoint || !target.accountId || !target.region || !target.endpointId) {
    throw new NotAllowedError(`${ref} is not a vpc-endpoint with account, region and endpoint id`);
  }
  if (!isSyncedEntity(entity)) {
    throw new NotAllowedError(
      `${ref} was not written by the PrivateLink sync (it is managed by ${a[ANNOTATION_LOCATION] ?? 'an unknown location'}); PrivateLink acts only on the endpoints it synced`,
    );
  }
  if (!configuredAccount(config, target.accountId)) {
    throw new NotAllowedError(`${ref} is in account ${target.accountId}, which is not configured under privatelink.accounts`);
  }
  const dependsOn = entity.spec?.dependsOn;
  const serviceRef = Array.isArray(dependsOn) && typeof dependsOn[0] === 'string' ? dependsOn[0] : undefined;
  return { entity, ref, target: target as EndpointTarget, serviceRef };
}

/**
 * Finds the one synced entity of a consumer's endpoint by its account, region and id, read with the caller's
 * credentials. Never "the first match".
 *
 * @throws `NotAllowedError` when the account is not configured; `NotFoundError` when no such entity (or more than
 *   one) is visible to the caller.
 * @public
 */
export async function findTrustedEndpoint(options: {
  /** The catalog, read with `credentials`. */
  catalog: CatalogService;
  /** The configured accounts. */
  config: Pick<PrivateLinkConfig, 'accounts'>;
  /** The endpoint. */
  target: EndpointTarget;
  /** The caller's credentials. */
  credentials: BackstageCredentials;
}): Promise<TrustedEndpoint> {
  const { target } = options;
  return findSynced({
    ...options,
    filter: { 'spec.type': VPC_ENDPOINT_TYPE, [`metadata.annotations.${ANNOTATIONS.endpointId}`]: target.endpointId },
    trust: trustEndpoint,
    none: `No VPC endpoint ${target.endpointId} synced from ${target.accountId}/${target.region} is visible to you in the catalog`,
    many: n => `VPC endpoint ${target.endpointId} is in the catalog ${n} times; refusing to pick one`,
  });
}
