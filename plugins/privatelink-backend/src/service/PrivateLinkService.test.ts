import {
  AcceptVpcEndpointConnectionsCommand,
  DescribeVpcEndpointConnectionsCommand,
  DescribeVpcEndpointServicePermissionsCommand,
  EC2Client,
  ModifyVpcEndpointServicePermissionsCommand,
} from '@aws-sdk/client-ec2';
import { mockCredentials, mockServices, TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  createServiceOperations,
  eventsPublisher,
  readPrivateLinkConfig,
  WriteGate,
} from '@privatelink-backstage/plugin-privatelink-node';
import { mockClient } from 'aws-sdk-client-mock';
import { ConflictError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import {
  catalogEntities,
  CONSUMER,
  CONSUMER_USER,
  EP_OTHER_PENDING,
  EP_PENDING,
  EP_REJECTED,
  OTHER,
  OTHER_SERVICE_REF,
  OWNER_USER,
  PROVIDER,
  REGION,
  SERVICE_ID,
  SERVICE_REF,
} from '../__testUtils__/entities';
import { PrivateLinkService } from './PrivateLinkService';
import { createConsumerDetailsReader } from './consumerDetails';
import { createServiceDetailsReader } from './serviceDetails';
import { createPrivateLinkStore, PrivateLinkStore } from './store';

/**
 * The service below the router, for what the HTTP tests cannot reach: the scheduled acceptance of approved
 * consumers' connections, notification failures, and races inside one request.
 */

/** PostgreSQL runs when scripts/test.sh gives a server (BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING). */
const POSTGRES_IDS = ['18', '17', '16', '15', '14', '13', '12', '11', '9']
  .filter(major => process.env[`BACKSTAGE_TEST_DATABASE_POSTGRES${major}_CONNECTION_STRING`])
  .map(major => `POSTGRES_${major}` as TestDatabaseId);
const databases = TestDatabases.create({ ids: ['SQLITE_3', ...POSTGRES_IDS], disableDocker: true });
const TARGET = { accountId: PROVIDER, region: REGION, serviceId: SERVICE_ID };
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DAY = 24 * 3600 * 1000;

const GROUPS: Record<string, string[]> = { [CONSUMER_USER]: ['group:default/payments'], [OWNER_USER]: ['group:default/orders'] };

const ec2 = mockClient(EC2Client);
afterAll(() => ec2.restore());

/** What EC2 answers: the pending connections, each from its account, and the outcome of an acceptance. */
function mockEc2(
  pending: Array<{ id: string; account: string; state?: string }> = [],
  allowed: string[] = [`arn:aws:iam::${OTHER}:root`, `arn:aws:iam::${CONSUMER}:root`],
) {
  ec2.reset();
  ec2.on(DescribeVpcEndpointConnectionsCommand).callsFake(input => {
    const owner = input.Filters?.find((f: any) => f.Name === 'vpc-endpoint-owner')?.Values ?? [];
    return {
      VpcEndpointConnections: pending
        .filter(p => owner.length === 0 || owner.includes(p.account))
        .map(p => ({ ServiceId: SERVICE_ID, VpcEndpointId: p.id, VpcEndpointOwner: p.account, VpcEndpointState: (p.state ?? 'pendingAcceptance') as any })),
    };
  });
  ec2.on(AcceptVpcEndpointConnectionsCommand).resolves({ Unsuccessful: [] });
  ec2.on(DescribeVpcEndpointServicePermissionsCommand).resolves({ AllowedPrincipals: allowed.map(Principal => ({ Principal })) });
  ec2.on(ModifyVpcEndpointServicePermissionsCommand).resolves({ ReturnValue: true });
}

const accepted = () => ec2.commandCalls(AcceptVpcEndpointConnectionsCommand).map(c => c.args[0].input);
const lookups = () => ec2.commandCalls(DescribeVpcEndpointConnectionsCommand).map(c => c.args[0].input.Filters?.find(f => f.Name === 'vpc-endpoint-owner')?.Values);

async function setup(options: { store?: (store: PrivateLinkStore) => PrivateLinkStore; send?: jest.Mock; database?: TestDatabaseId } = {}) {
  const knex: Knex = await databases.init(options.database ?? 'SQLITE_3');
  const baseStore = await createPrivateLinkStore(mockServices.database({ knex }));
  const store = options.store ? options.store(baseStore) : baseStore;
  const catalog = catalogServiceMock({ entities: catalogEntities() });
  const events = mockServices.events.mock();
  const logger = mockServices.logger.mock();
  const send = options.send ?? jest.fn(async () => {});
  const permissions = mockServices.permissions({ result: AuthorizeResult.ALLOW });
  const config = readPrivateLinkConfig(
    new ConfigReader({ privatelink: { accounts: [{ accountId: PROVIDER }, { accountId: CONSUMER }, { accountId: OTHER }] } }),
  );
  const gate = new WriteGate({ permissions, audit: baseStore, publish: eventsPublisher(events), logger });
  const operations = createServiceOperations({
    gate,
    ec2: async () => new EC2Client({ region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
    catalog,
    config,
  });
  const service = new PrivateLinkService({
    reader: createServiceDetailsReader(catalog),
    consumers: createConsumerDetailsReader(catalog),
    store,
    operations,
    config,
    catalog,
    userInfo: {
      // Carl belongs to payments, which owns payments-api; Olivia to orders.
      getUserInfo: async (credentials: any) => ({
        userEntityRef: credentials.principal.userEntityRef,
        ownershipEntityRefs: [credentials.principal.userEntityRef, ...(GROUPS[credentials.principal.userEntityRef] ?? [])],
      }),
    },
    permissions,
    logger,
    notifications: { send },
    entityLink: ref => `http://localhost:3000/catalog/${ref}`,
  });
  const loadService = (ref: string) => catalog.getEntityByRef(ref);
  const job = (load = loadService) => service.acceptApprovedConnections(load, mockCredentials.service('plugin:privatelink'));
  const audit = () => baseStore.listAudit({ serviceRef: SERVICE_REF, target: TARGET }, 10);
  return { knex, store: baseStore, catalog, events, logger, send, service, loadService, job, audit };
}

async function approved(store: PrivateLinkStore, knex: Knex, options: { serviceRef?: string; accountId?: string; decidedAt?: Date; acceptedEndpointIds?: string[] } = {}) {
  const request = await store.createRequest({
    serviceRef: options.serviceRef ?? SERVICE_REF,
    consumerRef: 'component:default/payments-api',
    accountId: options.accountId ?? OTHER,
    reason: 'payments reads orders',
    requestedBy: CONSUMER_USER,
  });
  await store.decide(request.id, { status: 'approved', decidedBy: OWNER_USER, acceptedEndpointIds: options.acceptedEndpointIds });
  if (options.decidedAt) {
    await knex('privatelink_access_requests').where({ id: request.id }).update({ decided_at: options.decidedAt.toISOString() });
  }
  return request.id;
}

describe('PrivateLinkService', () => {
  describe('acceptApprovedConnections', () => {
    it('accepts the connections that appeared since approval, merges them into the request, audits and announces', async () => {
      const { knex, store, events, job, audit } = await setup();
      const id = await approved(store, knex, { acceptedEndpointIds: [EP_PENDING] });
      mockEc2([{ id: EP_OTHER_PENDING, account: OTHER }]);

      await expect(job()).resolves.toBe(1);

      expect(lookups()).toEqual([[OTHER]]);
      expect(accepted()).toEqual([{ ServiceId: SERVICE_ID, VpcEndpointIds: [EP_OTHER_PENDING] }]);
      expect(await store.getRequest(id)).toMatchObject({ status: 'approved', acceptedEndpointIds: [EP_PENDING, EP_OTHER_PENDING] });
      expect(await audit()).toEqual([
        {
          id: expect.any(Number),
          actor: 'plugin:privatelink',
          via: 'job',
          action: 'connections.accept',
          serviceRef: SERVICE_REF,
          ...TARGET,
          details: { accountId: OTHER, requestIds: [id], changed: [EP_OTHER_PENDING], failed: [] },
          result: 'success',
          createdAt: expect.stringMatching(ISO),
          completedAt: expect.stringMatching(ISO),
        },
      ]);
      expect(events.publish).toHaveBeenCalledWith({ topic: 'privatelink.service.changed', eventPayload: TARGET });
    });

    it('looks up and accepts once for all the requests of one service and account', async () => {
      const { knex, store, events, job, audit } = await setup();
      const first = await approved(store, knex);
      const second = await approved(store, knex, { acceptedEndpointIds: [EP_PENDING] });
      const otherAccount = await approved(store, knex, { accountId: CONSUMER });
      mockEc2([{ id: EP_OTHER_PENDING, account: OTHER }]);

      await expect(job()).resolves.toBe(1);

      expect(lookups()).toEqual([[OTHER], [CONSUMER]]);
      expect(accepted()).toHaveLength(1);
      expect(await store.getRequest(first)).toMatchObject({ acceptedEndpointIds: [EP_OTHER_PENDING] });
      expect(await store.getRequest(second)).toMatchObject({ acceptedEndpointIds: [EP_PENDING, EP_OTHER_PENDING] });
      expect((await store.getRequest(otherAccount))!.acceptedEndpointIds).toBeUndefined();
      const rows = await audit();
      expect(rows).toHaveLength(1);
      expect(rows[0].details).toEqual({ accountId: OTHER, requestIds: expect.arrayContaining([first, second]), changed: [EP_OTHER_PENDING], failed: [] });
      expect(events.publish).toHaveBeenCalledTimes(1);
    });

    it('on an announced change, follows up only the requests of that service', async () => {
      const { knex, store, service, loadService } = await setup();
      const id = await approved(store, knex);
      mockEc2([{ id: EP_OTHER_PENDING, account: OTHER }]);
      const credentials = mockCredentials.service('plugin:privatelink');

      // Another service changed: this one is not looked at.
      await expect(
        service.acceptApprovedConnections(loadService, credentials, undefined, { ...TARGET, serviceId: 'vpce-svc-0123456789abcdeff' }),
      ).resolves.toBe(0);
      expect(lookups()).toEqual([]);
      expect((await store.getRequest(id))!.acceptedEndpointIds).toBeUndefined();

      await expect(service.acceptApprovedConnections(loadService, credentials, undefined, TARGET)).resolves.toBe(1);
      expect(accepted()).toEqual([{ ServiceId: SERVICE_ID, VpcEndpointIds: [EP_OTHER_PENDING] }]);
      expect(await store.getRequest(id)).toMatchObject({ acceptedEndpointIds: [EP_OTHER_PENDING] });
    });

    it('writes nothing when no connection is waiting', async () => {
      const { knex, store, events, job, audit } = await setup();
      const id = await approved(store, knex);
      mockEc2([]);
      const before = await store.getRequest(id);
      await expect(job()).resolves.toBe(0);
      expect(accepted()).toEqual([]);
      expect(await store.getRequest(id)).toEqual(before);
      expect(await audit()).toEqual([]);
      expect(events.publish).not.toHaveBeenCalled();
    });

    it('skips requests decided too long ago, services without acceptance, vanished services, and undecided requests', async () => {
      const { knex, store, job } = await setup();
      mockEc2([{ id: EP_OTHER_PENDING, account: OTHER }]);
      await approved(store, knex, { decidedAt: new Date(Date.now() - 8 * DAY) });
      await approved(store, knex, { serviceRef: OTHER_SERVICE_REF });
      await approved(store, knex, { serviceRef: 'resource:default/gone' });
      await store.createRequest({ serviceRef: SERVICE_REF, consumerRef: 'component:default/x', accountId: CONSUMER, reason: 'pending', requestedBy: CONSUMER_USER });

      await expect(job()).resolves.toBe(0);
      expect(ec2.calls()).toHaveLength(0);

      // Still inside the window: considered.
      await approved(store, knex, { decidedAt: new Date(Date.now() - 6 * DAY) });
      await expect(job()).resolves.toBe(1);
      expect(lookups()).toHaveLength(1);
    });

    it('never acts on an entity the sync did not write, whatever its annotations', async () => {
      const { knex, store, logger, job, loadService } = await setup();
      mockEc2([{ id: EP_OTHER_PENDING, account: OTHER }]);
      await approved(store, knex);
      const forged = async (ref: string) => {
        const entity = await loadService(ref);
        return entity && { ...entity, metadata: { ...entity.metadata, annotations: { ...entity.metadata.annotations, 'backstage.io/managed-by-location': 'url:https://example.com/forged.yaml' } } };
      };
      await expect(job(forged)).resolves.toBe(0);
      expect(ec2.calls()).toHaveLength(0);
      expect(logger.warn).toHaveBeenCalledWith('Not accepting connections on an entity the sync did not write', expect.objectContaining({ serviceRef: SERVICE_REF }));
    });

    it('records connections EC2 would not accept on the request and audits them as an error, without announcing', async () => {
      const { knex, store, events, job, audit } = await setup();
      const id = await approved(store, knex);
      mockEc2([{ id: EP_OTHER_PENDING, account: OTHER }]);
      ec2.on(AcceptVpcEndpointConnectionsCommand).resolves({
        Unsuccessful: [{ ResourceId: EP_OTHER_PENDING, Error: { Code: 'InvalidState', Message: 'gone' } }],
      });

      await expect(job()).resolves.toBe(0);
      expect(await store.getRequest(id)).toMatchObject({ acceptedEndpointIds: [], error: `${EP_OTHER_PENDING}: InvalidState: gone` });
      expect(await audit()).toEqual([
        expect.objectContaining({ actor: 'plugin:privatelink', via: 'job', result: 'error', message: `Could not accept ${EP_OTHER_PENDING} (InvalidState: gone)` }),
      ]);
      expect(events.publish).not.toHaveBeenCalled();
    });

    it('records a failed look-up of pending connections on the request', async () => {
      const { knex, store, logger, job, audit } = await setup();
      const id = await approved(store, knex);
      mockEc2([]);
      ec2.on(DescribeVpcEndpointConnectionsCommand).rejects(new Error('Throttling'));
      await expect(job()).resolves.toBe(0);
      const failure = `Could not accept connections on ${SERVICE_ID}: Throttling`;
      expect((await store.getRequest(id))!.error).toBe(`accepting pending connections failed: ${failure}`);
      expect(logger.warn).toHaveBeenCalledWith('Could not accept pending connections', expect.objectContaining({ accountId: OTHER, error: failure }));
      expect(accepted()).toEqual([]);
      expect(await audit()).toEqual([expect.objectContaining({ result: 'error', message: failure })]);
    });

    it('stops for good after the first acceptance: the next runs look no more', async () => {
      const { knex, store, job } = await setup();
      const id = await approved(store, knex);
      mockEc2([{ id: EP_OTHER_PENDING, account: OTHER }]);
      await expect(job()).resolves.toBe(1);
      expect((await store.getRequest(id))!.followUp).toBe('accepted');
      mockEc2([{ id: EP_PENDING, account: OTHER }]);
      await expect(job()).resolves.toBe(0);
      expect(ec2.calls()).toHaveLength(0);
    });

    it('stops when the owners revoked the account since the approval, accepting nothing', async () => {
      const { knex, store, job, audit } = await setup();
      const id = await approved(store, knex);
      mockEc2([{ id: EP_OTHER_PENDING, account: OTHER }], [`arn:aws:iam::${CONSUMER}:root`]);
      await expect(job()).resolves.toBe(0);
      expect(accepted()).toEqual([]);
      expect((await store.getRequest(id))!.followUp).toBe('revoked');
      expect(await audit()).toEqual([]);
      await expect(job()).resolves.toBe(0);
      expect(ec2.commandCalls(DescribeVpcEndpointServicePermissionsCommand)).toHaveLength(1);
    });

    it('stops when an owner rejected one of the account’s connections, accepting none of the others', async () => {
      const { knex, store, job } = await setup();
      const id = await approved(store, knex);
      mockEc2([
        { id: EP_OTHER_PENDING, account: OTHER },
        { id: EP_REJECTED, account: OTHER, state: 'rejected' },
      ]);
      await expect(job()).resolves.toBe(0);
      expect(accepted()).toEqual([]);
      expect((await store.getRequest(id))!.followUp).toBe('rejected');
    });

    it('is not stopped by a rejection the owners made before approving, only by one after', async () => {
      const { store, service, job } = await setup();
      // OTHER's first endpoint was rejected long ago; its new one waits. The owner approves OTHER now.
      mockEc2([{ id: EP_REJECTED, account: OTHER, state: 'rejected' }]);
      const request = await service.createAccessRequest(
        { serviceRef: SERVICE_REF, consumerRef: 'component:default/payments-api', accountId: OTHER, reason: 'payments reads orders' },
        mockCredentials.user(CONSUMER_USER),
      );
      const approvedRequest = await service.approve(request.id, undefined, mockCredentials.user(OWNER_USER));
      expect(approvedRequest).toMatchObject({ followUp: 'active', rejectedAtApproval: [EP_REJECTED] });

      // The consumer's new endpoint appears: the old rejection does not stop its acceptance.
      mockEc2([{ id: EP_REJECTED, account: OTHER, state: 'rejected' }, { id: EP_OTHER_PENDING, account: OTHER }]);
      await expect(job()).resolves.toBe(1);
      expect(accepted()).toEqual([{ ServiceId: SERVICE_ID, VpcEndpointIds: [EP_OTHER_PENDING] }]);
      expect((await store.getRequest(request.id))!.followUp).toBe('accepted');
    });

    it('stops when an owner rejects one of its connections after the approval', async () => {
      const { store, service, job } = await setup();
      mockEc2([], []);
      const request = await service.createAccessRequest(
        { serviceRef: SERVICE_REF, consumerRef: 'component:default/payments-api', accountId: OTHER, reason: 'payments reads orders' },
        mockCredentials.user(CONSUMER_USER),
      );
      await service.approve(request.id, undefined, mockCredentials.user(OWNER_USER));
      mockEc2([{ id: EP_REJECTED, account: OTHER, state: 'rejected' }, { id: EP_OTHER_PENDING, account: OTHER }]);
      await expect(job()).resolves.toBe(0);
      expect(accepted()).toEqual([]);
      expect((await store.getRequest(request.id))!.followUp).toBe('rejected');
    });

    it('writes one row for a streak of the same failure, not one a run', async () => {
      const { knex, store, job, audit } = await setup();
      await approved(store, knex);
      mockEc2([]);
      ec2.on(DescribeVpcEndpointConnectionsCommand).rejects(new Error('Throttling'));
      for (let run = 0; run < 3; run++) await job();
      expect((await audit()).map(r => r.result)).toEqual(['error']);
      // Another failure is written down once too.
      ec2.on(DescribeVpcEndpointConnectionsCommand).rejects(new Error('AccessDenied'));
      for (let run = 0; run < 2; run++) await job();
      expect((await audit()).map(r => r.message)).toEqual([
        `Could not accept connections on ${SERVICE_ID}: AccessDenied`,
        `Could not accept connections on ${SERVICE_ID}: Throttling`,
      ]);
    });

    it('gives back the claim of a decision that never finished, so the request can be decided again', async () => {
      const { knex, store, job } = await setup();
      mockEc2([]);
      const request = await store.createRequest({
        serviceRef: SERVICE_REF, consumerRef: 'component:default/payments-api', accountId: OTHER, reason: 'payments reads orders', requestedBy: CONSUMER_USER,
      });
      const fresh = await store.createRequest({
        serviceRef: SERVICE_REF, consumerRef: 'component:default/payments-api', accountId: CONSUMER, reason: 'payments reads orders', requestedBy: CONSUMER_USER,
      });
      const attempt = { actor: OWNER_USER, via: 'api' as const, action: 'accessRequest.approve', accountId: PROVIDER, details: {} };
      expect(await store.claim(request.id, attempt)).toEqual(expect.any(Number));
      expect(await store.claim(fresh.id, attempt)).toEqual(expect.any(Number));
      // The backend stopped after the first claim, six minutes ago; the second claim is being decided now.
      await knex('privatelink_access_requests').where({ id: request.id }).update({ claimed_at: new Date(Date.now() - 6 * 60_000).toISOString() });

      await job();
      expect(await store.getRequest(request.id)).toMatchObject({ status: 'pending', error: 'the decision did not finish; decide again' });
      expect((await knex('privatelink_access_requests').where({ id: fresh.id }).first()).status).toBe('approving');
      expect(await store.claim(request.id, attempt)).toEqual(expect.any(Number));
    });
  });

  describe('notifications', () => {
    it('a notification that cannot be delivered does not undo the change it reports', async () => {
      const send = jest.fn(async () => {
        throw new Error('notifications backend is down');
      });
      const { store, logger, service } = await setup({ send });
      mockEc2([], []);
      const credentials = mockCredentials.user(CONSUMER_USER);
      const created = await service.createAccessRequest(
        { serviceRef: SERVICE_REF, consumerRef: 'component:default/payments-api', accountId: OTHER, reason: 'payments reads orders' },
        credentials,
      );
      const decided = await service.approve(created.id, undefined, mockCredentials.user(OWNER_USER));
      expect(decided.status).toBe('approved');
      expect(ec2.commandCalls(ModifyVpcEndpointServicePermissionsCommand).map(c => c.args[0].input)).toEqual([
        { ServiceId: SERVICE_ID, AddAllowedPrincipals: [`arn:aws:iam::${OTHER}:root`] },
      ]);
      expect(await store.getRequest(created.id)).toMatchObject({ status: 'approved' });
      expect(send).toHaveBeenCalledTimes(2);
      expect(logger.warn).toHaveBeenCalledWith('Could not send a PrivateLink notification', {
        serviceRef: SERVICE_REF,
        error: 'notifications backend is down',
      });
    });
  });

  describe('createAccessRequest', () => {
    // Regression: the duplicate check and the insert are two statements; the store's unique index decides.
    it('refuses the second of two concurrent identical requests', async () => {
      // Only the reads are held back, until both requests have read; a fix without the read passes straight on.
      let reads = 0;
      let release!: () => void;
      const bothRead = new Promise<void>(resolve => {
        release = resolve;
      });
      const { store, service } = await setup({
        store: base => ({
          ...base,
          async listRequests(filter) {
            const result = await base.listRequests(filter);
            if (++reads === 2) release();
            await bothRead;
            return result;
          },
        }),
      });
      const body = { serviceRef: SERVICE_REF, consumerRef: 'component:default/payments-api', accountId: OTHER, reason: 'payments reads orders' };
      const credentials = mockCredentials.user(CONSUMER_USER);
      const outcomes = await Promise.allSettled([service.createAccessRequest(body, credentials), service.createAccessRequest(body, credentials)]);
      expect(outcomes.map(o => o.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(outcomes.find(o => o.status === 'rejected')).toMatchObject({ reason: expect.any(ConflictError) });
      expect(await store.listRequests({ serviceRef: SERVICE_REF, status: 'pending' })).toHaveLength(1);
    });
  });

  // What PostgreSQL refuses (SQLite stores it): a decision the database cannot write must not leave the request
  // claimed, and a crash between the claim and AWS must not leave it claimed for ever.
  (POSTGRES_IDS.length ? describe.each(POSTGRES_IDS) : describe.skip.each(['POSTGRES' as TestDatabaseId]))('on %s', database => {
    const file = (service: PrivateLinkService) =>
      service.createAccessRequest(
        { serviceRef: SERVICE_REF, consumerRef: 'component:default/payments-api', accountId: OTHER, reason: 'payments reads orders' },
        mockCredentials.user(CONSUMER_USER),
      );

    it('gives the claim back when the database refuses the decision (a NUL byte), so it can be decided again', async () => {
      const { store, service, audit } = await setup({ database });
      mockEc2([]);
      const request = await file(service);
      const owner = mockCredentials.user(OWNER_USER);
      await expect(service.deny(request.id, 'no\u0000pe', owner)).rejects.toThrow();
      expect(await store.getRequest(request.id)).toMatchObject({ status: 'pending' });
      expect((await audit()).find(r => r.action === 'accessRequest.deny')).toMatchObject({ result: 'error' });
      await expect(service.deny(request.id, 'not this quarter', owner)).resolves.toMatchObject({ status: 'denied' });
    });

    it('makes a request decidable again after a crash between the claim and AWS, once the job sweeps', async () => {
      const { knex, store, service, job } = await setup({ database });
      mockEc2([]);
      const request = await file(service);
      // The decision that crashed: claimed, its row started, nothing after.
      await store.claim(request.id, { actor: OWNER_USER, via: 'api', action: 'accessRequest.approve', accountId: PROVIDER, details: {} });
      const owner = mockCredentials.user(OWNER_USER);
      await expect(service.approve(request.id, undefined, owner)).rejects.toThrow('is being decided by someone else');
      await knex('privatelink_access_requests').where({ id: request.id }).update({ claimed_at: new Date(Date.now() - 10 * 60_000).toISOString() });
      await job();
      await expect(service.approve(request.id, undefined, owner)).resolves.toMatchObject({ status: 'approved' });
    });
  });
});
