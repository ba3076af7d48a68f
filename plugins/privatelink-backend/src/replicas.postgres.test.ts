import { DescribeVpcEndpointServicePermissionsCommand, EC2Client, ModifyVpcEndpointServicePermissionsCommand } from '@aws-sdk/client-ec2';
import { coreServices, createServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend, TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService, catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ANNOTATIONS, decodeAnnotationList, encodeAnnotationList } from '@privatelink-backstage/plugin-privatelink-common';
import { mockClient } from 'aws-sdk-client-mock';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import { ALLOWED, catalogEntities, EP_AVAILABLE, PROVIDER, SERVICE_REF } from './__testUtils__/entities';
import eventsPlugin from '@backstage/plugin-events-backend';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { privatelinkPlugin } from './plugin';
import { createPrivateLinkStore } from './service/store';
import { until } from './__testUtils__/until';

/**
 * Two replicas of the backend on one PostgreSQL database, each with its own events backend on the shared event
 * bus (the events backend keeps the bus in PostgreSQL): a change made through one replica reaches the other
 * replica's details cache, so its card data is fresh within seconds, not after the cache's TTL.
 */

const POSTGRES = ['18', '17', '16', '15', '14', '13', '12', '11', '9']
  .filter(major => process.env[`BACKSTAGE_TEST_DATABASE_POSTGRES${major}_CONNECTION_STRING`])
  .map(major => `POSTGRES_${major}` as TestDatabaseId);
if (POSTGRES.length === 0) {
  throw new Error('The replica test needs PostgreSQL (the events bus lives there): run it through scripts/test.sh, which starts one');
}
jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: [POSTGRES[0]], disableDocker: true });
const ec2 = mockClient(EC2Client);
const OWNER = `Bearer ${mockCredentials.user.token('user:default/olivia')}`;
const NEW_PRINCIPAL = 'arn:aws:iam::555566667777:root';

/** The catalog both replicas read: what the catalog holds at the time of each call. */
let entities: Entity[] = [];
const liveCatalog = new Proxy({} as CatalogService, {
  get: (_target, method) => {
    // Only the catalog's own methods: the proxy is not a promise (`then`) or anything else.
    if (typeof (catalogServiceMock({ entities: [] }) as any)[method] !== 'function') return undefined;
    return (...args: unknown[]) => (catalogServiceMock({ entities }) as any)[method](...args);
  },
});

/** The database of each plugin (as Backstage gives every plugin its own), as one replica's pool reaches it. */
type PluginDatabases = Record<'privatelink' | 'events', Knex>;

/**
 * One replica. `scheduler`: Backstage's own scheduler on the replica's database, instead of the test backend's
 * in-process one; `catalog`: the catalog this replica reads (default: the live catalog above).
 */
async function replica(db: PluginDatabases, options: { scheduler?: boolean; catalog?: CatalogService } = {}) {
  const catalog = options.catalog ?? liveCatalog;
  const backend = await startTestBackend({
    features: [
      ...(options.scheduler ? [schedulerServiceFactory] : []),
      privatelinkPlugin,
      eventsPlugin,
      // The real events service (the test backend's default is an in-process mock), on the events backend's bus.
      eventsServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          events: { useEventBus: 'always' },
          aws: { accounts: [{ accountId: PROVIDER, accessKeyId: 'test', secretAccessKey: 'test' }] },
          privatelink: {
            endpoint: 'http://127.0.0.1:9',
            accounts: [{ accountId: PROVIDER, name: 'shared-services' }],
            // The accept job runs only with the sync on (it follows what the sync brings).
            sync: { enabled: Boolean(options.scheduler) },
            // Far longer than the test: only an announcement can make a replica drop its answer.
            detailsCache: { ttlSeconds: 300 },
          },
        },
      }),
      createServiceFactory({
        service: coreServices.database,
        deps: { plugin: coreServices.pluginMetadata },
        factory: ({ plugin }) => ({ getClient: async () => db[plugin.getId() as keyof PluginDatabases] }),
      }),
      mockServices.httpAuth.factory({ defaultCredentials: mockCredentials.none() }),
      mockServices.permissions.mock({
        authorize: (async (requests: unknown[]) => requests.map(() => ({ result: AuthorizeResult.ALLOW }))) as any,
        authorizeConditional: (async (requests: unknown[]) => requests.map(() => ({ result: AuthorizeResult.ALLOW }))) as any,
      }).factory,
      createServiceFactory({ service: catalogServiceRef, deps: {}, factory: () => catalog }),
      createServiceFactory({ service: notificationService, deps: {}, factory: () => ({ send: async () => {} }) }),
    ],
  });
  return { server: backend.server, stop: () => backend.stop() };
}

const principalsShown = async (server: Parameters<typeof request>[0]) => {
  const res = await request(server).get(`/api/privatelink/v1/services?entityRef=${SERVICE_REF}`).set('Authorization', OWNER);
  expect(res.status).toBe(200);
  return res.body.allowedPrincipals as string[];
};

const PAYMENTS_API = 'component:default/payments-api';
const NEW_ENDPOINT = 'vpce-0aaaaaaaaaaaa0009';
const endpointsShown = async (server: Parameters<typeof request>[0]) => {
  const res = await request(server).get(`/api/privatelink/v1/consumers?entityRef=${PAYMENTS_API}`).set('Authorization', OWNER);
  expect(res.status).toBe(200);
  return (res.body.endpoints as Array<{ endpointId: string }>).map(e => e.endpointId);
};

describe('two replicas on one PostgreSQL', () => {
  let first: PluginDatabases;
  let second: PluginDatabases;
  const stops: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    first = { privatelink: await databases.init(POSTGRES[0]), events: await databases.init(POSTGRES[0]) };
    // The second replica has connection pools of its own, as another process would.
    second = { privatelink: knexFactory(first.privatelink.client.config), events: knexFactory(first.events.client.config) };
  });

  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    await second?.privatelink.destroy();
    await second?.events.destroy();
    ec2.restore();
  });

  it("drops the other replica's cached card data (service and consumer cards) when a change is made through one", async () => {
    entities = catalogEntities();
    let allowed = [...ALLOWED];
    ec2.on(DescribeVpcEndpointServicePermissionsCommand).callsFake(() => ({ AllowedPrincipals: allowed.map(Principal => ({ Principal })) }));
    ec2.on(ModifyVpcEndpointServicePermissionsCommand).callsFake(input => {
      allowed = [...allowed, ...(input.AddAllowedPrincipals ?? [])];
      return { ReturnValue: true };
    });
    const a = await replica(first);
    stops.push(a.stop);
    const b = await replica(second);
    stops.push(b.stop);

    // Both replicas' caches are subscribed on the bus before anything is announced.
    await until(
      "both replicas' cache subscriptions on the bus",
      async () => (await first.events('event_bus_subscriptions').where('id', 'like', 'privatelink.privatelink-details-cache-%')).length,
      n => n === 2,
      30_000,
    );

    expect(await principalsShown(b.server)).toEqual([...ALLOWED].sort());
    expect(await endpointsShown(b.server)).toEqual([EP_AVAILABLE]);
    // The catalog takes in the change (the catalog module's targeted refresh, in production); replica B still
    // answers from its cache, as it should until it hears of a change.
    const change = () => {
      entities = entities.map(e =>
        stringifyEntityRef(e) === SERVICE_REF
          ? {
              ...e,
              metadata: {
                ...e.metadata,
                annotations: {
                  ...e.metadata.annotations,
                  [ANNOTATIONS.allowedPrincipals]: encodeAnnotationList([...decodeAnnotationList(e.metadata.annotations?.[ANNOTATIONS.allowedPrincipals]), NEW_PRINCIPAL]),
                },
              },
            }
          : e,
      );
      // And a new endpoint of payments-api to the service, as the sync emits it.
      const existing = entities.find(e => e.metadata.annotations?.[ANNOTATIONS.endpointId] === EP_AVAILABLE)!;
      entities = [
        ...entities,
        { ...existing, metadata: { ...existing.metadata, name: NEW_ENDPOINT, annotations: { ...existing.metadata.annotations, [ANNOTATIONS.endpointId]: NEW_ENDPOINT } } },
      ];
    };
    change();
    expect(await principalsShown(b.server)).not.toContain(NEW_PRINCIPAL);
    expect(await endpointsShown(b.server)).not.toContain(NEW_ENDPOINT);

    // The owner allows the principal through replica A: its announcement crosses to replica B over the bus.
    const res = await request(a.server).post('/api/privatelink/v1/principals/allow').set('Authorization', OWNER).send({ serviceRef: SERVICE_REF, principals: [NEW_PRINCIPAL] });
    expect(res.status).toBe(200);
    expect(allowed).toContain(NEW_PRINCIPAL);
    await until("the change on replica B's card", () => principalsShown(b.server), shown => shown.includes(NEW_PRINCIPAL), 15_000);
    // Every consumer card's entry went with it: the new endpoint shows on B's consumer card too.
    await until("the new endpoint on replica B's consumer card", () => endpointsShown(b.server), shown => shown.includes(NEW_ENDPOINT), 15_000);
    expect(await principalsShown(a.server)).toContain(NEW_PRINCIPAL);
  });
});

describe("the accept job on two replicas, with Backstage's scheduler on one PostgreSQL", () => {
  const TASK = 'privatelink-accept-approved-connections';
  const SERVICE = `Bearer ${mockCredentials.service.token()}`;
  const stops: Array<() => Promise<void>> = [];
  const pools: Knex[] = [];

  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    for (const pool of pools) await pool.destroy();
  });

  it('runs once across the replicas: one task in the database, and while one replica runs it neither can start it again', async () => {
    const first: PluginDatabases = { privatelink: await databases.init(POSTGRES[0]), events: await databases.init(POSTGRES[0]) };
    const second: PluginDatabases = { privatelink: knexFactory(first.privatelink.client.config), events: knexFactory(first.events.client.config) };
    pools.push(second.privatelink, second.events);

    // An approved request awaits its connection: each run of the job looks its service up in the catalog, where the
    // test holds it until released. Each replica has its own catalog client, so the look-ups say who ran.
    const store = await createPrivateLinkStore({ getClient: async () => first.privatelink });
    const approved = await store.createRequest({
      serviceRef: SERVICE_REF,
      consumerRef: 'component:default/payments-api',
      accountId: '210987654321',
      reason: 'payments needs orders',
      requestedBy: 'user:default/carl',
    });
    await store.decide(approved.id, { status: 'approved', decidedBy: 'user:default/olivia', followUp: 'active' });
    const runs: string[] = [];
    let entered!: () => void;
    const running = new Promise<void>(resolve => (entered = resolve));
    let release!: () => void;
    const released = new Promise<void>(resolve => (release = resolve));
    const catalogOf = (name: string): CatalogService =>
      new Proxy({} as CatalogService, {
        get: (_target, method) => {
          if (method === 'getEntityByRef') {
            return async () => {
              runs.push(name);
              entered();
              await released;
              return undefined;
            };
          }
          if (typeof (catalogServiceMock({ entities: [] }) as any)[method] !== 'function') return undefined;
          return (...args: unknown[]) => (catalogServiceMock({ entities: catalogEntities() }) as any)[method](...args);
        },
      });

    const a = await replica(first, { scheduler: true, catalog: catalogOf('a') });
    stops.push(a.stop);
    const b = await replica(second, { scheduler: true, catalog: catalogOf('b') });
    stops.push(b.stop);

    // Both replicas schedule the job, globally; the database holds one task for both.
    for (const server of [a.server, b.server]) {
      const res = await request(server).get('/api/privatelink/.backstage/scheduler/v1/tasks').set('Authorization', SERVICE);
      expect(res.status).toBe(200);
      expect(res.body.tasks).toEqual(expect.arrayContaining([expect.objectContaining({ taskId: TASK, scope: 'global' })]));
    }
    expect(await first.privatelink('backstage_backend_tasks__tasks').where({ id: TASK })).toHaveLength(1);

    // Started through replica A, the run is taken by one of them (whichever polls first).
    expect((await request(a.server).post(`/api/privatelink/.backstage/scheduler/v1/tasks/${TASK}/trigger`).set('Authorization', SERVICE)).status).toBe(200);
    await running;
    for (const server of [a.server, b.server]) {
      const again = await request(server).post(`/api/privatelink/.backstage/scheduler/v1/tasks/${TASK}/trigger`).set('Authorization', SERVICE);
      expect(again.status).toBe(409);
      expect(again.body.error.message).toBe(`Task ${TASK} is currently running`);
    }
    expect(runs).toHaveLength(1);

    release();
    await until(
      'the run to end',
      async () => (await first.privatelink('backstage_backend_tasks__tasks').where({ id: TASK }).first()).current_run_ticket,
      ticket => ticket === null,
      30_000,
    );
    expect(runs).toHaveLength(1);
    // The next run is the job's next interval, not a second replica's own schedule.
    const { next_run_start_at: next } = await first.privatelink('backstage_backend_tasks__tasks').where({ id: TASK }).first();
    expect(new Date(next).getTime()).toBeGreaterThan(Date.now() + 30_000);
  });
});
