import { AuthService } from '@backstage/backend-plugin-api';
import { ANNOTATION_LOCATION } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { VPC_ENDPOINT_TYPE } from '@privatelink-backstage/plugin-privatelink-common';
import type {
  ConsumersLoader,
  EntityLoader,
  LastEmittedLoader,
} from './PrivateLinkEntityProvider';

/**
 * The reads through which the provider takes its state back from the catalog (after a restart, or on a replica
 * that did not run the last full sync), with the plugin's own credentials: the entities it emitted at one
 * location, the consumer endpoints of one service, and one entity by ref (is a name taken). The provider itself keeps only what it emitted (the
 * location of its own entities): a hand-registered copy never becomes state.
 */
export function catalogStateLoaders(
  catalog: CatalogService,
  auth: AuthService,
): {
  loadLastEmitted: LastEmittedLoader;
  loadConsumers: ConsumersLoader;
  loadEntity: EntityLoader;
} {
  const credentials = () => auth.getOwnServiceCredentials();
  return {
    loadLastEmitted: async location => {
      const { items } = await catalog.getEntities(
        {
          filter: { [`metadata.annotations.${ANNOTATION_LOCATION}`]: location },
        },
        { credentials: await credentials() },
      );
      return items;
    },
    loadConsumers: async serviceRef => {
      const { items } = await catalog.getEntities(
        {
          filter: {
            kind: 'Resource',
            'spec.type': VPC_ENDPOINT_TYPE,
            'relations.dependsOn': serviceRef,
          },
        },
        { credentials: await credentials() },
      );
      return items;
    },
    loadEntity: async entityRef =>
      catalog.getEntityByRef(entityRef, { credentials: await credentials() }),
  };
}
