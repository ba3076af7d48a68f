/*
 * Serves the plugin in isolation (`yarn start` in plugins/privatelink) on the new frontend system, with an
 * in-memory catalog of sample entities and an in-memory PrivateLink API over them: /privatelink is the page, and /catalog/default/resource/
 * payments-api-endpoint-service and /catalog/default/component/payments-api stand in for entity pages with
 * the card and the tab; /catalog/default/component/checkout for a consumer's page with the consumer card.
 */
import ReactDOM from 'react-dom/client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
// Neither @backstage/frontend-dev-utils nor @backstage/dev-utils is installed in this repo; the app's
// createApp serves the same purpose.
import { createApp } from '@backstage/frontend-defaults';
import { Content, EmptyState } from '@backstage/core-components';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import {
  CatalogApi,
  EntityProvider,
  catalogApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { useParams } from 'react-router-dom';
import Grid from '@material-ui/core/Grid';
import privatelinkPlugin from '../src/alpha';
import { privatelinkApiRef } from '../src/api';
import { EntityPrivateLinkCard } from '../src/components/EntityPrivateLinkCard';
import { EntityPrivateLinkConsumerCard } from '../src/components/EntityPrivateLinkConsumerCard';
import { EntityPrivateLinkContent } from '../src/components/EntityPrivateLinkContent';
import {
  isPrivateLinkAvailable,
  isPrivateLinkConsumerAvailable,
} from '../src/conditions';
import { createSamplePrivateLinkApi } from './sampleApi';
import { sampleEntities } from './sampleEntities';

/** Just enough of the catalog API for the plugin: filtered getEntities, getEntityByRef, getEntitiesByRefs. */
function createSampleCatalogApi(entities: Entity[]): CatalogApi {
  const matches = (entity: Entity, filter: Record<string, unknown>) =>
    Object.entries(filter).every(([key, expected]) => {
      let actual: unknown;
      if (key === 'kind') actual = entity.kind;
      else if (key === 'spec.type') actual = entity.spec?.type;
      else if (key.startsWith('metadata.annotations.')) {
        actual =
          entity.metadata.annotations?.[
            key.slice('metadata.annotations.'.length)
          ];
      }
      return (
        String(actual).toLocaleLowerCase('en-US') ===
        String(expected).toLocaleLowerCase('en-US')
      );
    });
  const api: Partial<CatalogApi> = {
    async getEntities(request) {
      const filters = [request?.filter ?? {}].flat() as Record<
        string,
        unknown
      >[];
      return {
        items: entities.filter(e => filters.some(f => matches(e, f))),
      };
    },
    async getEntityByRef(ref) {
      const wanted = typeof ref === 'string' ? ref : stringifyEntityRef(ref);
      return entities.find(e => stringifyEntityRef(e) === wanted);
    },
    async getEntitiesByRefs(request) {
      return {
        items: request.entityRefs.map(ref =>
          entities.find(e => stringifyEntityRef(e) === ref),
        ),
      };
    },
  };
  return api as CatalogApi;
}

/**
 * Stands in for the catalog's entity page (the catalog plugin is not a dependency of this package), so
 * that entity links resolve: the PrivateLink cards and tab of the sample entity at the route.
 */
function DevEntityPage() {
  const { kind, namespace, name } = useParams();
  const entity = sampleEntities.find(
    e =>
      e.kind.toLocaleLowerCase('en-US') === kind &&
      (e.metadata.namespace ?? 'default') === namespace &&
      e.metadata.name === name,
  );
  if (!entity) {
    return (
      <Content>
        <EmptyState
          missing="data"
          title={`${kind}:${namespace}/${name} is not in the sample data`}
        />
      </Content>
    );
  }
  const provider = isPrivateLinkAvailable(entity);
  const consumer = isPrivateLinkConsumerAvailable(entity);
  return (
    <Content>
      <EntityProvider entity={entity}>
        <Grid container spacing={3}>
          {provider && (
            <Grid item xs={12} md={6}>
              <EntityPrivateLinkCard />
            </Grid>
          )}
          {consumer && (
            <Grid item xs={12} md={6}>
              <EntityPrivateLinkConsumerCard />
            </Grid>
          )}
          {!provider && !consumer && (
            <Grid item xs={12} md={6}>
              <EmptyState
                missing="info"
                title={`No PrivateLink card for ${stringifyEntityRef(entity)}`}
              />
            </Grid>
          )}
          {provider && (
            <Grid item xs={12}>
              <EntityPrivateLinkContent />
            </Grid>
          )}
        </Grid>
      </EntityProvider>
    </Content>
  );
}

const devModule = createFrontendModule({
  pluginId: 'privatelink',
  extensions: [
    ApiBlueprint.make({
      name: 'sample-catalog',
      params: defineParams =>
        defineParams({
          api: catalogApiRef,
          deps: {},
          factory: () => createSampleCatalogApi(sampleEntities),
        }),
    }),
    // Replaces the plugin's own api:privatelink, which needs the backend.
    ApiBlueprint.make({
      params: defineParams =>
        defineParams({
          api: privatelinkApiRef,
          deps: {},
          factory: () => createSamplePrivateLinkApi(),
        }),
    }),
    PageBlueprint.make({
      name: 'dev-entity',
      params: {
        path: '/catalog/:namespace/:kind/:name',
        title: 'Sample entity',
        routeRef: convertLegacyRouteRef(entityRouteRef),
        loader: async () => <DevEntityPage />,
      },
    }),
  ],
});

const app = createApp({ features: [privatelinkPlugin, devModule] });

ReactDOM.createRoot(document.getElementById('root')!).render(app.createRoot());
