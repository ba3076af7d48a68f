import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ANNOTATION_LOCATION, Entity } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { privatelinkLocationRef } from '@privatelink-backstage/plugin-privatelink-common';
import { configuredAccount, PrivateLinkConfig } from '../config/privatelinkConfig';

/**
 * The one entity the sync emitted for an account and region that `filter` selects and `trust` accepts, read with
 * the caller's credentials: the shared look-up of `findTrustedService` and `findTrustedEndpoint`.
 *
 * @throws `NotAllowedError` when the account is not configured; `NotFoundError` (`none` or `many`) otherwise.
 */
export async function findSynced<T extends { target: { accountId: string; region: string } }>(options: {
  catalog: CatalogService;
  config: Pick<PrivateLinkConfig, 'accounts'>;
  target: { accountId: string; region: string };
  credentials: BackstageCredentials;
  filter: Record<string, string>;
  trust: (entity: Entity, config: Pick<PrivateLinkConfig, 'accounts'>) => T;
  none: string;
  many: (count: number) => string;
}): Promise<T> {
  const { catalog, config, target, credentials } = options;
  if (!configuredAccount(config, target.accountId)) {
    throw new NotAllowedError(`Account ${target.accountId} is not configured under privatelink.accounts`);
  }
  const { items } = await catalog.getEntities(
    { filter: { kind: 'Resource', ...options.filter, [`metadata.annotations.${ANNOTATION_LOCATION}`]: privatelinkLocationRef(target) } },
    { credentials },
  );
  const trusted = items.flatMap(entity => {
    try {
      const t = options.trust(entity, config);
      return t.target.accountId === target.accountId && t.target.region === target.region ? [t] : [];
    } catch {
      return [];
    }
  });
  if (trusted.length !== 1) throw new NotFoundError(trusted.length === 0 ? options.none : options.many(trusted.length));
  return trusted[0];
}
