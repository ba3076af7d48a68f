import { mockServices, TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import path from 'node:path';
import { createPrivateLinkStore, PrivateLinkStore } from './store';

/**
 * The store on every database the plugin supports. SQLite always runs; PostgreSQL runs when a server is given
 * through BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING (scripts/test.sh starts one), so that the
 * suite never falls back to starting docker.
 */
const POSTGRES_MAJORS = ['18', '17', '16', '15', '14', '13', '12', '11', '9'];
const ids: TestDatabaseId[] = [
  'SQLITE_3',
  ...POSTGRES_MAJORS.filter(major => process.env[`BACKSTAGE_TEST_DATABASE_POSTGRES${major}_CONNECTION_STRING`]).map(
    major => `POSTGRES_${major}` as TestDatabaseId,
  ),
];
const databases = TestDatabases.create({ ids, disableDocker: true });

const MIGRATIONS = path.resolve(__dirname, '../../migrations');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const SERVICE = 'resource:default/orders-api';
const OTHER_SERVICE = 'resource:default/billing-api';
const CARL = 'user:default/carl';
const DANA = 'user:default/dana';

const input = (overrides: Partial<{ serviceRef: string; consumerRef: string; accountId: string; reason: string; requestedBy: string }> = {}) => ({
  serviceRef: SERVICE,
  consumerRef: 'component:default/payments-api',
  accountId: '210987654321',
  reason: 'payments needs orders',
  requestedBy: CARL,
  ...overrides,
});

async function setup(id: TestDatabaseId): Promise<{ knex: Knex; store: PrivateLinkStore }> {
  const knex = await databases.init(id);
  const store = await createPrivateLinkStore(mockServices.database({ knex }));
  return { knex, store };
}

/** Sets a row's timestamps directly, so that ordering does not depend on the clock's resolution. */
async function setTimes(knex: Knex, id: string, times: { requested_at?: string; decided_at?: string }) {
  await knex('privatelink_access_requests').where({ id }).update(times);
}

describe('createPrivateLinkStore', () => {
  it('runs on SQLite always, and on PostgreSQL when a server is configured', () => {
    expect(databases.eachSupportedId().map(([id]) => id)).toEqual(ids);
    expect(ids[0]).toBe('SQLITE_3');
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    it('migrates: creates both tables with their columns, is idempotent and rolls back', async () => {
      const { knex } = await setup(databaseId);
      expect(Object.keys(await knex('privatelink_access_requests').columnInfo()).sort()).toEqual(
        [
          'accepted_endpoint_ids',
          'account_id',
          'claimed_at',
          'consumer_ref',
          'decided_at',
          'decided_by',
          'decision_reason',
          'error',
          'external',
          'follow_up',
          'id',
          'reason',
          'rejected_at_approval',
          'requested_at',
          'requested_by',
          'service_account_id',
          'service_id',
          'service_ref',
          'service_region',
          'status',
        ].sort(),
      );
      expect(Object.keys(await knex('privatelink_audit').columnInfo()).sort()).toEqual(
        [
          'account_id',
          'action',
          'actor',
          'completed_at',
          'created_at',
          'details',
          'id',
          'message',
          'region',
          'result',
          'service_id',
          'service_ref',
          'via',
        ].sort(),
      );

      // A second start of the plugin finds the schema in place.
      const again = await createPrivateLinkStore(mockServices.database({ knex }));
      await expect(again.listRequests({})).resolves.toEqual([]);
      const [, pending] = await knex.migrate.list({ directory: MIGRATIONS });
      expect(pending).toEqual([]);

      await knex.migrate.rollback({ directory: MIGRATIONS }, true);
      expect(await knex.schema.hasTable('privatelink_access_requests')).toBe(false);
      expect(await knex.schema.hasTable('privatelink_audit')).toBe(false);
    });

    it('does not migrate when the database service says to skip migrations, or when told to', async () => {
      const knex = await databases.init(databaseId);
      await createPrivateLinkStore(mockServices.database({ knex, migrations: { skip: true } }));
      await createPrivateLinkStore({ getClient: async () => knex }, { skipMigrations: true });
      expect(await knex.schema.hasTable('privatelink_access_requests')).toBe(false);
      expect(await knex.schema.hasTable('privatelink_audit')).toBe(false);
    });

    it('creates, reads and lists access requests with filters, newest first', async () => {
      const { knex, store } = await setup(databaseId);
      const first = await store.createRequest(input());
      expect(first).toEqual({
        id: expect.stringMatching(UUID),
        serviceRef: SERVICE,
        consumerRef: 'component:default/payments-api',
        accountId: '210987654321',
        reason: 'payments needs orders',
        status: 'pending',
        requestedBy: CARL,
        requestedAt: expect.stringMatching(ISO),
        external: false,
        followUp: 'active',
      });
      // Optional fields are absent, not null, and the timestamp survives the round trip.
      expect(await store.getRequest(first.id)).toStrictEqual(first);
      expect(await store.getRequest('00000000-0000-4000-8000-000000000000')).toBeUndefined();

      const second = await store.createRequest(input({ requestedBy: DANA, accountId: '444455556666' }));
      const third = await store.createRequest(input({ serviceRef: OTHER_SERVICE }));
      await setTimes(knex, first.id, { requested_at: '2026-11-01T10:00:00.000Z' });
      await setTimes(knex, second.id, { requested_at: '2026-11-02T10:00:00.000Z' });
      await setTimes(knex, third.id, { requested_at: '2026-11-03T10:00:00.000Z' });

      const ids_ = async (filter: Parameters<PrivateLinkStore['listRequests']>[0]) => (await store.listRequests(filter)).map(r => r.id);
      expect(await ids_({})).toEqual([third.id, second.id, first.id]);
      expect(await ids_({ serviceRef: SERVICE })).toEqual([second.id, first.id]);
      expect(await ids_({ requestedBy: CARL })).toEqual([third.id, first.id]);
      expect(await ids_({ serviceRef: SERVICE, requestedBy: CARL })).toEqual([first.id]);
      expect(await ids_({ status: 'pending' })).toEqual([third.id, second.id, first.id]);
      expect(await ids_({ status: 'approved' })).toEqual([]);
      expect(await ids_({ status: ['approved', 'pending'] })).toEqual([third.id, second.id, first.id]);
      expect(await ids_({ status: ['approved', 'denied'] })).toEqual([]);
      expect((await store.getRequest(first.id))!.requestedAt).toBe('2026-11-01T10:00:00.000Z');
    });

    it('claims a pending request once; the claim reads as pending and can be given back', async () => {
      const { store } = await setup(databaseId);
      const request = await store.createRequest(input());

      await expect(store.claimForApproval(request.id)).resolves.toBe(true);
      await expect(store.claimForApproval(request.id)).resolves.toBe(false);
      // To readers a claimed request is still pending, and the pending filter finds it.
      expect((await store.getRequest(request.id))!.status).toBe('pending');
      expect((await store.listRequests({ status: 'pending' })).map(r => r.id)).toEqual([request.id]);

      await store.releaseClaim(request.id, 'AccessDenied: not allowed');
      expect(await store.getRequest(request.id)).toEqual({ ...request, error: 'AccessDenied: not allowed' });
      await expect(store.claimForApproval(request.id)).resolves.toBe(true);

      await expect(store.claimForApproval('00000000-0000-4000-8000-000000000000')).resolves.toBe(false);
    });

    it('lets exactly one of many concurrent claims win', async () => {
      const { store } = await setup(databaseId);
      const request = await store.createRequest(input());
      const results = await Promise.all(Array.from({ length: 12 }, () => store.claimForApproval(request.id)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(results.filter(r => !r)).toHaveLength(11);
    });

    it('records a decision, and a decided request cannot be claimed', async () => {
      const { store } = await setup(databaseId);
      const approved = await store.createRequest(input());
      expect(await store.claimForApproval(approved.id)).toBe(true);
      const decided = await store.decide(approved.id, {
        status: 'approved',
        decidedBy: 'user:default/olivia',
        decisionReason: 'ok',
        acceptedEndpointIds: ['vpce-0aaaaaaaaaaaa0002'],
        error: null,
      });
      expect(decided).toEqual({
        ...approved,
        status: 'approved',
        decidedBy: 'user:default/olivia',
        decidedAt: expect.stringMatching(ISO),
        decisionReason: 'ok',
        acceptedEndpointIds: ['vpce-0aaaaaaaaaaaa0002'],
      });
      expect(decided.error).toBeUndefined();
      expect(await store.getRequest(approved.id)).toEqual(decided);
      await expect(store.claimForApproval(approved.id)).resolves.toBe(false);
      // Giving back a claim that is no longer held changes nothing.
      await store.releaseClaim(approved.id, 'late failure');
      expect(await store.getRequest(approved.id)).toEqual(decided);

      const denied = await store.createRequest(input({ requestedBy: DANA }));
      expect(await store.claimForApproval(denied.id)).toBe(true);
      expect(await store.decide(denied.id, { status: 'denied', decidedBy: 'user:default/olivia', decisionReason: 'no' })).toEqual({
        ...denied,
        status: 'denied',
        decidedBy: 'user:default/olivia',
        decidedAt: expect.stringMatching(ISO),
        decisionReason: 'no',
      });
      expect((await store.listRequests({ status: 'denied' })).map(r => r.id)).toEqual([denied.id]);
      expect((await store.listRequests({ status: 'pending' })).map(r => r.id)).toEqual([]);
    });

    it('lists approved requests decided since a time, and records accepted endpoints', async () => {
      const { knex, store } = await setup(databaseId);
      let account = 100000000000;
      const decide = async (status: 'approved' | 'denied', decidedAt: string) => {
        const r = await store.createRequest(input({ accountId: String(account++) }));
        await store.decide(r.id, { status, decidedBy: 'user:default/olivia' });
        await setTimes(knex, r.id, { decided_at: decidedAt });
        return r.id;
      };
      const recent = await decide('approved', '2026-11-20T10:00:00.000Z');
      const exactlyAtSince = await decide('approved', '2026-11-13T10:00:00.000Z');
      await decide('approved', '2026-11-13T09:59:59.999Z');
      await decide('denied', '2026-11-20T10:00:00.000Z');

      const awaiting = await store.listAwaitingAcceptance(new Date('2026-11-13T10:00:00.000Z'), { limit: 100 });
      expect(awaiting.map(r => r.id).sort()).toEqual([recent, exactlyAtSince].sort());
      // Bounded.
      expect(await store.listAwaitingAcceptance(new Date('2026-11-13T10:00:00.000Z'), { limit: 1 })).toHaveLength(1);

      await store.setAccepted(recent, ['vpce-0aaaaaaaaaaaa0002', 'vpce-0aaaaaaaaaaaa0003'], 'vpce-0aaaaaaaaaaaa0004: InvalidState: gone');
      expect(await store.getRequest(recent)).toMatchObject({
        status: 'approved',
        acceptedEndpointIds: ['vpce-0aaaaaaaaaaaa0002', 'vpce-0aaaaaaaaaaaa0003'],
        error: 'vpce-0aaaaaaaaaaaa0004: InvalidState: gone',
      });
      // A later outcome merges with what is recorded, and clears the error.
      await expect(store.setAccepted(recent, ['vpce-0aaaaaaaaaaaa0005'])).resolves.toBe(true);
      const after = await store.getRequest(recent);
      expect(after!.acceptedEndpointIds).toEqual(['vpce-0aaaaaaaaaaaa0002', 'vpce-0aaaaaaaaaaaa0003', 'vpce-0aaaaaaaaaaaa0005']);
      expect(after!.error).toBeUndefined();

      // Once a follow-up ended it, one that lost the race writes nothing: the winner's outcome stays.
      await expect(store.setAccepted(recent, ['vpce-0aaaaaaaaaaaa0006'], undefined, 'accepted')).resolves.toBe(true);
      const ended = await store.getRequest(recent);
      await expect(store.setAccepted(recent, [], 'vpce-0aaaaaaaaaaaa0006: IncorrectState: available')).resolves.toBe(false);
      expect(await store.getRequest(recent)).toEqual(ended);
      expect(ended).toMatchObject({ followUp: 'accepted' });
      expect(ended!.error).toBeUndefined();
    });

    it('writes the audit log and reads it per service, newest first, up to a limit', async () => {
      const { store } = await setup(databaseId);
      await store.audit({ actor: CARL, via: 'api', action: 'accessRequest.create', serviceRef: SERVICE, details: { requestId: 'a', n: 1 }, result: 'success' });
      await store.audit({ actor: 'user:default/olivia', via: 'api', action: 'principals.allow', serviceRef: OTHER_SERVICE, details: {}, result: 'success' });
      await store.audit({
        actor: 'user:default/olivia',
        via: 'api',
        action: 'accessRequest.approve',
        serviceRef: SERVICE,
        details: { requestId: 'a', nested: { list: ['x'] } },
        result: 'error',
        message: 'Throttling: slow down',
      });
      await store.audit({ actor: 'user:default/olivia', via: 'api', action: 'accessRequest.approve', serviceRef: SERVICE, details: { requestId: 'a' }, result: 'success' });

      const items = await store.listAudit({ serviceRef: SERVICE }, 10);
      expect(items.map(i => [i.action, i.result])).toEqual([
        ['accessRequest.approve', 'success'],
        ['accessRequest.approve', 'error'],
        ['accessRequest.create', 'success'],
      ]);
      expect(items[0].id).toBeGreaterThan(items[1].id);
      expect(items[1].id).toBeGreaterThan(items[2].id);
      expect(items[1]).toEqual({
        id: expect.any(Number),
        actor: 'user:default/olivia',
        via: 'api',
        action: 'accessRequest.approve',
        serviceRef: SERVICE,
        details: { requestId: 'a', nested: { list: ['x'] } },
        result: 'error',
        message: 'Throttling: slow down',
        createdAt: expect.stringMatching(ISO),
        completedAt: expect.stringMatching(ISO),
      });
      expect(items[2].message).toBeUndefined();
      expect((await store.listAudit({ serviceRef: SERVICE }, 2)).map(i => i.id)).toEqual([items[0].id, items[1].id]);
      expect((await store.listAudit({ serviceRef: OTHER_SERVICE }, 10)).map(i => i.action)).toEqual(['principals.allow']);
      expect(await store.listAudit({ serviceRef: 'resource:default/nothing' }, 10)).toEqual([]);
    });
  });

  describe.each(ids)('attempts on %s', databaseId => {
    const TARGET = { accountId: '123456789012', region: 'us-east-1', serviceId: 'vpce-svc-0123456789abcdef0' };

    it('writes a started row before AWS is called and completes it with the outcome and what became known', async () => {
      const { store } = await setup(databaseId);
      const id = await store.start({
        actor: CARL,
        via: 'scaffolder',
        action: 'endpoint-service.create',
        accountId: TARGET.accountId,
        region: TARGET.region,
        details: { name: 'orders-api' },
      });
      const started = await store.getAudit(id);
      expect(started).toMatchObject({ id, result: 'started', via: 'scaffolder', accountId: TARGET.accountId });
      expect(started!.completedAt).toBeUndefined();
      expect(started!.serviceId).toBeUndefined();

      await store.complete(id, { result: 'success', details: { created: true }, subject: { serviceId: TARGET.serviceId } });
      const done = await store.getAudit(id);
      expect(done).toMatchObject({ result: 'success', serviceId: TARGET.serviceId, details: { name: 'orders-api', created: true } });
      expect(done!.completedAt).toMatch(ISO);

      // A completed row stays as it is.
      await store.complete(id, { result: 'error', message: 'late' });
      expect((await store.getAudit(id))!.result).toBe('success');

      // The service's log lists the row by its AWS service id, before its entity existed.
      const listed = await store.listAudit({ serviceRef: SERVICE, target: TARGET }, 10);
      expect(listed.map(r => r.id)).toEqual([id]);
      expect(await store.listAudit({ serviceRef: SERVICE }, 10)).toEqual([]);
    });

    it('claims a request and writes its started row together, once', async () => {
      const { knex, store } = await setup(databaseId);
      const request = await store.createRequest(input());
      const attempt = { actor: DANA, via: 'api' as const, action: 'accessRequest.approve', serviceRef: SERVICE, ...TARGET, details: { requestId: request.id } };
      const id = await store.claim(request.id, attempt);
      expect(await store.getAudit(id!)).toMatchObject({ result: 'started', action: 'accessRequest.approve', actor: DANA });
      expect((await knex('privatelink_access_requests').where({ id: request.id }).first()).status).toBe('approving');
      // Claimed already: no second claim, no second row.
      expect(await store.claim(request.id, attempt)).toBeUndefined();
      expect(Number((await knex('privatelink_audit').count({ n: '*' }))[0].n)).toBe(1);
    });

    it('pages the audit log and the requests, newest first, with a cursor', async () => {
      const { knex, store } = await setup(databaseId);
      for (let i = 0; i < 5; i++) {
        await store.audit({ actor: CARL, via: 'api', action: 'accessRequest.create', serviceRef: SERVICE, details: { n: i }, result: 'success' });
      }
      const all = await store.listAudit({ serviceRef: SERVICE }, 10);
      const first = await store.listAudit({ serviceRef: SERVICE }, 2);
      const second = await store.listAudit({ serviceRef: SERVICE }, 2, first[1].id);
      const last = await store.listAudit({ serviceRef: SERVICE }, 2, second[1].id);
      expect([...first, ...second, ...last].map(r => r.id)).toEqual(all.map(r => r.id));
      expect(last).toHaveLength(1);

      const requestIds: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await store.createRequest(input({ accountId: String(200000000000 + i) }));
        requestIds.push(r.id);
      }
      // Two requests at the same instant: the id breaks the tie, so no request is skipped or listed twice.
      await setTimes(knex, requestIds[0], { requested_at: '2026-11-01T10:00:00.000Z' });
      await setTimes(knex, requestIds[1], { requested_at: '2026-11-02T10:00:00.000Z' });
      await setTimes(knex, requestIds[2], { requested_at: '2026-11-02T10:00:00.000Z' });
      const everything = (await store.listRequests({ serviceRef: SERVICE })).map(r => r.id);
      const page1 = await store.listRequests({ serviceRef: SERVICE }, { limit: 1 });
      const page2 = await store.listRequests({ serviceRef: SERVICE }, { limit: 1, before: page1[0] });
      const page3 = await store.listRequests({ serviceRef: SERVICE }, { limit: 1, before: page2[0] });
      expect([...page1, ...page2, ...page3].map(r => r.id)).toEqual(everything);
      expect(await store.listRequests({ serviceRef: SERVICE }, { limit: 1, before: page3[0] })).toEqual([]);
    });

    it('writes refused rows, complete at once', async () => {
      const { store } = await setup(databaseId);
      await store.refused({ actor: DANA, via: 'api', action: 'principals.allow', serviceRef: SERVICE, ...TARGET, details: {} }, 'not allowed');
      const [row] = await store.listAudit({ serviceRef: SERVICE }, 10);
      expect(row).toMatchObject({ actor: DANA, result: 'refused', message: 'not allowed', serviceRef: SERVICE, serviceId: TARGET.serviceId });
      expect(row.completedAt).toMatch(ISO);
    });
  });

  // Two replicas of the backend on one PostgreSQL database: separate pools, so the claims race across connections.
  const postgresIds = databases.eachSupportedId().filter(([id]) => id.startsWith('POSTGRES'));
  (postgresIds.length ? describe.each(postgresIds) : describe.skip.each([['POSTGRES']]))('on %s, across replicas', databaseId => {
    it('lets exactly one claim of concurrent replicas win', async () => {
      const { knex, store } = await setup(databaseId as TestDatabaseId);
      const other = knexFactory(knex.client.config);
      try {
        const replica = await createPrivateLinkStore({ getClient: async () => other }, { skipMigrations: true });
        for (let round = 0; round < 5; round++) {
          const request = await store.createRequest(input({ accountId: String(100000000000 + round) }));
          const results = await Promise.all(
            Array.from({ length: 8 }, (_, i) => (i % 2 ? replica : store).claimForApproval(request.id)),
          );
          expect(results.filter(Boolean)).toHaveLength(1);
          expect((await replica.getRequest(request.id))!.status).toBe('pending');
        }
      } finally {
        await other.destroy();
      }
    });
  });
});
