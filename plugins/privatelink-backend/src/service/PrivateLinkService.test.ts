import { mockCredentials, mockServices, TestDatabases } from '@backstage/backend-test-utils';
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
  OTHER,
  OTHER_SERVICE_REF,
  OWNER_USER,
  PROVIDER,
  REGION,
  SERVICE_ID,
  SERVICE_REF,
} from '../__fixtures__/entities';
import { AwsChanges, ServiceTarget } from './awsChanges';
import { PrivateLinkService } from './PrivateLinkService';
import { createServiceDetailsReader } from './serviceDetails';
import { createPrivateLinkStore, PrivateLinkStore } from './store';

/**
 * The service below the router, for what the HTTP tests cannot reach: the scheduled acceptance of approved
 * consumers' connections, notification failures, and races inside one request.
 */

const databases = TestDatabases.create({ ids: ['SQLITE_3'], disableDocker: true });
const TARGET = { accountId: PROVIDER, region: REGION, serviceId: SERVICE_ID };
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DAY = 24 * 3600 * 1000;

function fakeAws(): jest.Mocked<AwsChanges> {
  return {
    allowPrincipals: jest.fn(async (_target, principals: string[]) => principals),
    revokePrincipals: jest.fn(async (_target: ServiceTarget, _principals: string[]): Promise<string[]> => []),
    acceptConnections: jest.fn(async (_target, endpointIds: string[]) => ({ changed: endpointIds, failed: [] })),
    rejectConnections: jest.fn(async (_target, endpointIds: string[]) => ({ changed: endpointIds, failed: [] })),
    pendingConnectionsFrom: jest.fn(async (_target: ServiceTarget, _accountId: string): Promise<string[]> => []),
  };
}

async function setup(options: { store?: (store: PrivateLinkStore) => PrivateLinkStore; send?: jest.Mock } = {}) {
  const knex: Knex = await databases.init('SQLITE_3');
  const baseStore = await createPrivateLinkStore(mockServices.database({ knex }));
  const store = options.store ? options.store(baseStore) : baseStore;
  const catalog = catalogServiceMock({ entities: catalogEntities() });
  const aws = fakeAws();
  const events = mockServices.events.mock();
  const logger = mockServices.logger.mock();
  const send = options.send ?? jest.fn(async () => {});
  const service = new PrivateLinkService({
    reader: createServiceDetailsReader(catalog),
    store,
    aws,
    permissions: mockServices.permissions({ result: AuthorizeResult.ALLOW }),
    logger,
    events,
    notifications: { send },
    entityLink: ref => `http://localhost:3000/catalog/${ref}`,
  });
  const loadService = (ref: string) => catalog.getEntityByRef(ref);
  return { knex, store: baseStore, catalog, aws, events, logger, send, service, loadService };
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
      const { knex, store, aws, events, service, loadService } = await setup();
      const id = await approved(store, knex, { acceptedEndpointIds: [EP_PENDING] });
      aws.pendingConnectionsFrom.mockResolvedValue([EP_OTHER_PENDING]);

      await expect(service.acceptApprovedConnections(loadService)).resolves.toBe(1);

      expect(aws.pendingConnectionsFrom).toHaveBeenCalledWith(TARGET, OTHER);
      expect(aws.acceptConnections).toHaveBeenCalledWith(TARGET, [EP_OTHER_PENDING]);
      expect(await store.getRequest(id)).toMatchObject({ status: 'approved', acceptedEndpointIds: [EP_PENDING, EP_OTHER_PENDING] });
      expect(await store.listAudit(SERVICE_REF, 10)).toEqual([
        {
          id: expect.any(Number),
          actor: 'plugin:privatelink',
          action: 'connections.accept',
          serviceRef: SERVICE_REF,
          details: { requestIds: [id], endpointIds: [EP_OTHER_PENDING] },
          result: 'success',
          createdAt: expect.stringMatching(ISO),
        },
      ]);
      expect(events.publish).toHaveBeenCalledWith({ topic: 'privatelink.service.changed', eventPayload: TARGET });
    });

    it('looks up and accepts once for all the requests of one service and account', async () => {
      const { knex, store, aws, events, service, loadService } = await setup();
      const first = await approved(store, knex);
      const second = await approved(store, knex, { acceptedEndpointIds: [EP_PENDING] });
      const otherAccount = await approved(store, knex, { accountId: CONSUMER });
      aws.pendingConnectionsFrom.mockImplementation(async (_target: unknown, accountId: string) =>
        accountId === OTHER ? [EP_OTHER_PENDING] : [],
      );

      await expect(service.acceptApprovedConnections(loadService)).resolves.toBe(1);

      expect(aws.pendingConnectionsFrom.mock.calls).toEqual([
        [TARGET, OTHER],
        [TARGET, CONSUMER],
      ]);
      expect(aws.acceptConnections).toHaveBeenCalledTimes(1);
      expect(await store.getRequest(first)).toMatchObject({ acceptedEndpointIds: [EP_OTHER_PENDING] });
      expect(await store.getRequest(second)).toMatchObject({ acceptedEndpointIds: [EP_PENDING, EP_OTHER_PENDING] });
      expect((await store.getRequest(otherAccount))!.acceptedEndpointIds).toBeUndefined();
      const audit = await store.listAudit(SERVICE_REF, 10);
      expect(audit).toHaveLength(1);
      expect(audit[0].details).toEqual({ requestIds: expect.arrayContaining([first, second]), endpointIds: [EP_OTHER_PENDING] });
      expect(events.publish).toHaveBeenCalledTimes(1);
    });

    it('does nothing when no connection is waiting', async () => {
      const { knex, store, aws, events, service, loadService } = await setup();
      const id = await approved(store, knex);
      const before = await store.getRequest(id);
      await expect(service.acceptApprovedConnections(loadService)).resolves.toBe(0);
      expect(aws.acceptConnections).not.toHaveBeenCalled();
      expect(await store.getRequest(id)).toEqual(before);
      expect(await store.listAudit(SERVICE_REF, 10)).toEqual([]);
      expect(events.publish).not.toHaveBeenCalled();
    });

    it('skips requests decided too long ago, services without acceptance, vanished services, and undecided requests', async () => {
      const { knex, store, aws, service, loadService } = await setup();
      aws.pendingConnectionsFrom.mockResolvedValue([EP_OTHER_PENDING]);
      await approved(store, knex, { decidedAt: new Date(Date.now() - 8 * DAY) });
      await approved(store, knex, { serviceRef: OTHER_SERVICE_REF });
      await approved(store, knex, { serviceRef: 'resource:default/gone' });
      await store.createRequest({ serviceRef: SERVICE_REF, consumerRef: 'component:default/x', accountId: CONSUMER, reason: 'pending', requestedBy: CONSUMER_USER });

      await expect(service.acceptApprovedConnections(loadService)).resolves.toBe(0);
      expect(aws.pendingConnectionsFrom).not.toHaveBeenCalled();
      expect(aws.acceptConnections).not.toHaveBeenCalled();

      // Still inside the window: considered.
      await approved(store, knex, { decidedAt: new Date(Date.now() - 6 * DAY) });
      await expect(service.acceptApprovedConnections(loadService)).resolves.toBe(1);
      expect(aws.pendingConnectionsFrom).toHaveBeenCalledTimes(1);
    });

    it('records connections EC2 would not accept on the request and audits them as an error, without announcing', async () => {
      const { knex, store, aws, events, service, loadService } = await setup();
      const id = await approved(store, knex);
      aws.pendingConnectionsFrom.mockResolvedValue([EP_OTHER_PENDING]);
      aws.acceptConnections.mockResolvedValue({ changed: [], failed: [{ endpointId: EP_OTHER_PENDING, reason: 'InvalidState: gone' }] });

      await expect(service.acceptApprovedConnections(loadService)).resolves.toBe(0);
      expect(await store.getRequest(id)).toMatchObject({ acceptedEndpointIds: [], error: `${EP_OTHER_PENDING}: InvalidState: gone` });
      expect(await store.listAudit(SERVICE_REF, 10)).toEqual([
        expect.objectContaining({ actor: 'plugin:privatelink', result: 'error', message: `${EP_OTHER_PENDING}: InvalidState: gone` }),
      ]);
      expect(events.publish).not.toHaveBeenCalled();
    });

    it('records a failed look-up of pending connections on the request', async () => {
      const { knex, store, aws, logger, service, loadService } = await setup();
      const id = await approved(store, knex);
      aws.pendingConnectionsFrom.mockRejectedValue(new Error('Throttling'));
      await expect(service.acceptApprovedConnections(loadService)).resolves.toBe(0);
      expect((await store.getRequest(id))!.error).toBe('accepting pending connections failed: Throttling');
      expect(logger.warn).toHaveBeenCalledWith('Could not accept pending connections', expect.objectContaining({ accountId: OTHER, error: 'Throttling' }));
    });
  });

  describe('notifications', () => {
    it('a notification that cannot be delivered does not undo the change it reports', async () => {
      const send = jest.fn(async () => {
        throw new Error('notifications backend is down');
      });
      const { store, aws, logger, service } = await setup({ send });
      const credentials = mockCredentials.user(CONSUMER_USER);
      const created = await service.createAccessRequest(
        { serviceRef: SERVICE_REF, consumerRef: 'component:default/payments-api', accountId: OTHER, reason: 'payments reads orders' },
        credentials,
      );
      const decided = await service.approve(created.id, undefined, mockCredentials.user(OWNER_USER));
      expect(decided.status).toBe('approved');
      expect(aws.allowPrincipals).toHaveBeenCalledWith(TARGET, [`arn:aws:iam::${OTHER}:root`]);
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
});
