import { BackstageCredentials, createBackendModule, createServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ANNOTATION_LOCATION, ANNOTATION_ORIGIN_LOCATION, Entity, stringifyEntityRef } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { AuthorizeResult, PolicyDecision } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { buildEntities } from '@privatelink-backstage/plugin-catalog-backend-module-privatelink/internal';
import { entityConfig, PROVIDER, REGION, SERVICE_REF, snapshots } from '../__testUtils__/entities';
import { privatelinkPlugin } from '../plugin';

/**
 * The details cache against the real catalog backend (SQLite, its own processing, stitching and permission
 * integration): an answer shared by callers who may read everything never reaches a caller under a conditional
 * read policy, who gets what the catalog shows them.
 */

const ADMIN = mockCredentials.user('user:default/admin');
/** May read only entities owned by the groups in its claims, by the catalog's own isEntityOwner rule. */
const RESTRICTED = mockCredentials.user('user:default/restricted');
const RESTRICTED_CLAIMS = ['group:default/orders', 'group:default/payments'];
/** May read only another team's entities: not the service. */
const OUTSIDER = mockCredentials.user('user:default/outsider');
const OUTSIDER_CLAIMS = ['group:default/billing'];

const claimsOf = (credentials: BackstageCredentials) => {
  const ref = (credentials.principal as { userEntityRef?: string }).userEntityRef;
  if (ref === 'user:default/restricted') return RESTRICTED_CLAIMS;
  if (ref === 'user:default/outsider') return OUTSIDER_CLAIMS;
  return undefined;
};

/** What the sync emits for the fixtures, as a provider hands it to the catalog. */
const synced: Entity[] = buildEntities(snapshots, entityConfig).map(e => ({
  ...e,
  metadata: {
    ...e.metadata,
    annotations: {
      ...e.metadata.annotations,
      [ANNOTATION_LOCATION]: `privatelink:aws/${PROVIDER}/${REGION}`,
      [ANNOTATION_ORIGIN_LOCATION]: `privatelink:aws/${PROVIDER}/${REGION}`,
    },
  },
}));
const consumersOf = (owners?: string[]) =>
  synced
    .filter(e => e.spec?.type === 'vpc-endpoint' && (e.spec?.dependsOn as string[] | undefined)?.includes(SERVICE_REF))
    .filter(e => !owners || owners.includes(e.spec?.owner as string))
    .map(e => stringifyEntityRef(e))
    .sort();

const syncedEntities = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'privatelink-test-entities',
  register(env) {
    env.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        catalog.addEntityProvider({
          getProviderName: () => 'privatelink-test-entities',
          connect: connection =>
            connection.applyMutation({
              type: 'full',
              entities: synced.map(entity => ({ entity, locationKey: 'privatelink-test' })),
            }),
        });
      },
    });
  },
});

async function start() {
  const permissions = mockServices.permissions.mock({
    authorize: (async (requests: unknown[]) => requests.map(() => ({ result: AuthorizeResult.ALLOW }))) as any,
    authorizeConditional: (async (requests: unknown[], { credentials }: { credentials: BackstageCredentials }) => {
      const claims = claimsOf(credentials);
      return requests.map((): PolicyDecision =>
        claims
          ? {
              result: AuthorizeResult.CONDITIONAL,
              pluginId: 'catalog',
              resourceType: 'catalog-entity',
              conditions: { rule: 'IS_ENTITY_OWNER', resourceType: 'catalog-entity', params: { claims } },
            }
          : { result: AuthorizeResult.ALLOW },
      );
    }) as any,
  });
  const { server } = await startTestBackend({
    features: [
      catalogPlugin,
      syncedEntities,
      privatelinkPlugin,
      permissions.factory,
      mockServices.rootConfig.factory({
        data: {
          catalog: { rules: [{ allow: ['Component', 'Resource', 'Location'] }], processingInterval: { seconds: 1 } },
          privatelink: {
            endpoint: 'http://127.0.0.1:9',
            regions: [REGION],
            sync: { enabled: false },
            detailsCache: { ttlSeconds: 300 },
          },
        },
      }),
      createServiceFactory({ service: notificationService, deps: {}, factory: () => ({ send: async () => {} }) }),
    ],
  });
  return { server, permissions };
}

const details = (server: Parameters<typeof request>[0], credentials: BackstageCredentials) =>
  request(server)
    .get(`/api/privatelink/v1/services?entityRef=${SERVICE_REF}`)
    .set('Authorization', mockCredentials.user.header((credentials.principal as { userEntityRef: string }).userEntityRef));

/** Polls the catalog's own API until every consumer carries its dependsOn relation to the service. */
async function untilStitched(server: Parameters<typeof request>[0], consumers: number) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await request(server)
      .get(`/api/catalog/entities/by-query?filter=relations.dependsOn=${SERVICE_REF}&limit=100`)
      .set('Authorization', mockCredentials.user.header('user:default/admin'));
    if (res.status === 200 && res.body.items.length === consumers) return;
    if (Date.now() > deadline) throw new Error(`the catalog did not stitch ${consumers} consumers: ${res.status} ${res.body.items?.length}`);
    await new Promise(resolve => setTimeout(resolve, 250)); // the catalog's processing loop runs on its own clock
  }
}

const refsOf = (body: { consumers: Array<{ entityRef: string }> }) => body.consumers.map(c => c.entityRef).sort();

describe('the details cache on the real catalog', () => {
  it('shares answers only between callers who may read everything; others get what the catalog shows them', async () => {
    const { server, permissions } = await start();
    const all = consumersOf();
    const visible = consumersOf(RESTRICTED_CLAIMS);
    // The fixtures must make the difference observable.
    expect(all.length).toBeGreaterThan(visible.length);
    expect(visible.length).toBeGreaterThan(0);

    // Until the catalog has processed and stitched what the provider emitted (asked of the catalog itself, so that
    // no partial answer lands in the cache).
    await untilStitched(server, all.length);
    // An answer for the whole catalog, now cached and shared.
    expect(refsOf((await details(server, ADMIN).expect(200)).body)).toEqual(all);

    const restricted = await details(server, RESTRICTED).expect(200);
    expect(refsOf(restricted.body)).toEqual(visible);
    expect(restricted.body.entityRef).toBe(SERVICE_REF);
    expect(restricted.headers.etag).not.toBe((await details(server, ADMIN)).headers.etag);

    const outsider = await details(server, OUTSIDER);
    expect(outsider.status).toBe(404);
    expect(outsider.body.error.name).toBe('NotFoundError');

    // The read decision is asked once per caller within the TTL, not per request.
    const asked = (user: string) =>
      permissions.authorizeConditional.mock.calls.filter(
        ([requests, { credentials }]) =>
          (credentials.principal as { userEntityRef?: string }).userEntityRef === user &&
          requests.some(r => r.permission.name === catalogEntityReadPermission.name),
      ).length;
    const before = asked('user:default/restricted');
    await details(server, RESTRICTED).expect(200);
    expect(refsOf((await details(server, RESTRICTED).expect(200)).body)).toEqual(visible);
    // The catalog itself asks for each of its own reads; the plugin asked no more after the first answer.
    expect(asked('user:default/restricted')).toBe(before);
  }, 90_000);
});
