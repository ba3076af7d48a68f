// The backend the page-search benchmark (bench/page-search.ts) measures, started by it as a child process with a
// generated config only: the real services of @backstage/backend-defaults (auth with the guest provider, httpAuth,
// the permission backend with the app's owners-only policy, SQLite), the real catalog and its processing loop, the
// PrivateLink plugin (its sync off), and one bench-only catalog module that emits the generated organisation
// (bench/lib/searchData.ts) as the sync would: entities built by the sync's own builder from generated snapshots.
import { createBackend } from '@backstage/backend-defaults';
import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import type { EntityProvider, EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { buildEntities } from '@privatelink-backstage/plugin-catalog-backend-module-privatelink/internal';
import { generateSearchData } from './searchData.ts';

const benchEntities = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'privatelink-bench-entities',
  register(reg) {
    reg.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint, logger: coreServices.logger },
      async init({ catalog, logger }) {
        const provider: EntityProvider = {
          getProviderName: () => 'privatelink-bench',
          async connect(connection: EntityProviderConnection) {
            const data = generateSearchData({
              services: Number(process.env.PRIVATELINK_BENCH_SERVICES ?? 10000),
              endpoints: Number(process.env.PRIVATELINK_BENCH_ENDPOINTS ?? 1000),
            });
            const entities = buildEntities(data.snapshots, data.entityConfig);
            logger.info('PrivateLink bench entities', { entities: entities.length });
            await connection.applyMutation({
              type: 'full',
              entities: entities.map(entity => ({ entity, locationKey: 'privatelink-bench' })),
            });
          },
        };
        catalog.addEntityProvider(provider);
      },
    });
  },
});

const backend = createBackend();
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('../../packages/backend/src/modules/permissionPolicy.ts'));
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@privatelink-backstage/plugin-privatelink-backend'));
backend.add(benchEntities);
backend.start();
