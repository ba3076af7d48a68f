import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogProcessor, LocationSpec } from '@backstage/plugin-catalog-node';
import { VPC_ENDPOINT_SERVICE_TYPE, VPC_ENDPOINT_TYPE } from '@privatelink-backstage/plugin-privatelink-common';

/** The location type of everything the PrivateLink sync emits (`privatelink:aws/<account>/<region>`). */
export const PRIVATELINK_LOCATION_TYPE = 'privatelink';

const GUARDED_TYPES = new Set([VPC_ENDPOINT_SERVICE_TYPE, VPC_ENDPOINT_TYPE]);

/**
 * Refuses `Resource` entities of the PrivateLink types from any location but the sync's own: a registered
 * catalog file cannot add a forged endpoint service (with another team's annotations and itself as owner) to
 * the catalog, whatever the installation's catalog rules allow. The write path trusts only the sync's entities
 * anyway; this keeps forgeries off the card and the page as well.
 */
export class PrivateLinkEntityGuard implements CatalogProcessor {
  getProcessorName(): string {
    return 'PrivateLinkEntityGuard';
  }

  async preProcessEntity(entity: Entity, location: LocationSpec): Promise<Entity> {
    const type = entity.spec?.type;
    if (
      entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
      typeof type === 'string' &&
      GUARDED_TYPES.has(type) &&
      location.type !== PRIVATELINK_LOCATION_TYPE
    ) {
      throw new InputError(
        `Resources of type ${type} come from the PrivateLink sync only; refusing one from ${location.type}:${location.target}`,
      );
    }
    return entity;
  }
}
