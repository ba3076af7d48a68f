import { mockServices } from '@backstage/backend-test-utils';
import {
  createApprovalFollowUpQueue,
  subscribeApprovalFollowUpToChanges,
  subscribeDetailsCacheToChanges,
} from './changeSubscriptions';

describe('subscribeDetailsCacheToChanges', () => {
  async function subscribed() {
    const events = mockServices.events.mock();
    const details = { invalidate: jest.fn() };
    const consumers = { invalidate: jest.fn() };
    const logger = mockServices.logger.mock();
    await subscribeDetailsCacheToChanges({
      events,
      caches: [details, consumers],
      logger,
      instanceId: 'replica-1',
    });
    const [[subscription]] = events.subscribe.mock.calls;
    return { subscription, details, consumers, logger };
  }

  it("subscribes under an id of this replica's own, so that every replica's cache hears every change", async () => {
    const { subscription } = await subscribed();
    expect(subscription.id).toBe('privatelink-details-cache-replica-1');
  });

  it('drops what every cache holds of a service whenever its change is announced, whoever announced it', async () => {
    const { subscription, details, consumers } = await subscribed();
    expect(subscription.topics).toEqual(['privatelink.service.changed']);
    await subscription.onEvent({
      topic: 'privatelink.service.changed',
      eventPayload: {
        accountId: '123456789012',
        region: 'us-east-1',
        serviceId: 'vpce-svc-0123456789abcdef0',
      },
    });
    expect(details.invalidate).toHaveBeenCalledWith(
      'vpce-svc-0123456789abcdef0',
    );
    expect(consumers.invalidate).toHaveBeenCalledWith(
      'vpce-svc-0123456789abcdef0',
    );
  });

  it('ignores a malformed event, saying why', async () => {
    const { subscription, details, logger } = await subscribed();
    await subscription.onEvent({
      topic: 'privatelink.service.changed',
      eventPayload: { serviceId: 'x' },
    });
    expect(details.invalidate).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'Ignoring a malformed privatelink.service.changed event',
      ),
    );
  });
});

describe('the approval follow-up queue and its subscription', () => {
  const change = {
    accountId: '123456789012',
    region: 'us-east-1',
    serviceId: 'vpce-svc-0123456789abcdef0',
  };
  const other = { ...change, serviceId: 'vpce-svc-0123456789abcdef1' };

  /** A follow-up that records its runs and can be held until released. */
  function recorder() {
    const calls: string[] = [];
    let release: () => void = () => {};
    const held = new Promise<void>(resolve => {
      release = resolve;
    });
    let started: () => void = () => {};
    const firstStarted = new Promise<void>(resolve => {
      started = resolve;
    });
    const run =
      (name: string, hold = false) =>
      async () => {
        calls.push(`start ${name}`);
        if (hold) {
          started();
          await held;
        }
        calls.push(`end ${name}`);
      };
    return { calls, run, release, firstStarted };
  }

  async function subscribed(followUp: (c: typeof change) => Promise<unknown>) {
    const events = mockServices.events.mock();
    const logger = mockServices.logger.mock();
    const queue = createApprovalFollowUpQueue(logger);
    await subscribeApprovalFollowUpToChanges({
      events,
      logger,
      queue,
      followUp,
    });
    const [[subscription]] = events.subscribe.mock.calls;
    return { subscription, logger, queue };
  }

  it('does not hold up the announcement, and follows up one announcement at a time', async () => {
    const r = recorder();
    const { subscription, queue } = await subscribed(c =>
      r.run(c.serviceId, c.serviceId === change.serviceId)(),
    );
    // Both announcements return while the first follow-up is held: an acceptance announces a change itself, and
    // the events service waits for its subscribers.
    await subscription.onEvent({
      topic: 'privatelink.service.changed',
      eventPayload: change,
    });
    await subscription.onEvent({
      topic: 'privatelink.service.changed',
      eventPayload: other,
    });
    await r.firstStarted;
    expect(r.calls).toEqual([`start ${change.serviceId}`]);
    r.release();
    await queue.idle();
    expect(r.calls).toEqual([
      `start ${change.serviceId}`,
      `end ${change.serviceId}`,
      `start ${other.serviceId}`,
      `end ${other.serviceId}`,
    ]);
  });

  it('runs the job and the announcements one at a time, and queues a waiting key once', async () => {
    const logger = mockServices.logger.mock();
    const queue = createApprovalFollowUpQueue(logger);
    const r = recorder();
    const job = queue.run('all', r.run('job', true));
    await r.firstStarted;
    // While the job runs, three announcements of one service queue one follow-up; another service its own.
    const first = queue.run('a', r.run('a1'));
    const again = queue.run('a', r.run('a2'));
    const third = queue.run('a', r.run('a3'));
    const b = queue.run('b', r.run('b'));
    expect(r.calls).toEqual(['start job']);
    r.release();
    await Promise.all([job, first, again, third, b]);
    expect(r.calls).toEqual([
      'start job',
      'end job',
      'start a1',
      'end a1',
      'start b',
      'end b',
    ]);
  });

  it('goes on after a failed follow-up, and logs the failure', async () => {
    const seen: string[] = [];
    const { subscription, logger, queue } = await subscribed(async c => {
      seen.push(c.serviceId);
      if (c.serviceId === change.serviceId) throw new Error('EC2 is down');
    });
    await subscription.onEvent({
      topic: 'privatelink.service.changed',
      eventPayload: change,
    });
    await subscription.onEvent({
      topic: 'privatelink.service.changed',
      eventPayload: other,
    });
    await queue.idle();
    expect(seen).toEqual([change.serviceId, other.serviceId]);
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining('failed'),
      expect.objectContaining({ error: 'EC2 is down' }),
    );
  });
});
