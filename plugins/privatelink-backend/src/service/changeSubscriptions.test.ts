import { mockServices } from '@backstage/backend-test-utils';
import { subscribeApprovalFollowUpToChanges, subscribeDetailsCacheToChanges } from './changeSubscriptions';

describe('subscribeDetailsCacheToChanges', () => {
  async function subscribed() {
    const events = mockServices.events.mock();
    const details = { invalidate: jest.fn() };
    const logger = mockServices.logger.mock();
    await subscribeDetailsCacheToChanges({ events, details, logger });
    const [[subscription]] = events.subscribe.mock.calls;
    return { subscription, details, logger };
  }

  it('drops what is cached of a service whenever its change is announced, whoever announced it', async () => {
    const { subscription, details } = await subscribed();
    expect(subscription.topics).toEqual(['privatelink.service.changed']);
    await subscription.onEvent({ topic: 'privatelink.service.changed', eventPayload: { accountId: '123456789012', region: 'us-east-1', serviceId: 'vpce-svc-0123456789abcdef0' } });
    expect(details.invalidate).toHaveBeenCalledWith('vpce-svc-0123456789abcdef0');
  });

  it('ignores a malformed event, saying why', async () => {
    const { subscription, details, logger } = await subscribed();
    await subscription.onEvent({ topic: 'privatelink.service.changed', eventPayload: { serviceId: 'x' } });
    expect(details.invalidate).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('Ignoring a malformed privatelink.service.changed event'));
  });
});

describe('subscribeApprovalFollowUpToChanges', () => {
  const change = { accountId: '123456789012', region: 'us-east-1', serviceId: 'vpce-svc-0123456789abcdef0' };
  const other = { ...change, serviceId: 'vpce-svc-0123456789abcdef1' };

  async function subscribed(followUp: (c: typeof change) => Promise<unknown>) {
    const events = mockServices.events.mock();
    const logger = mockServices.logger.mock();
    const queue = await subscribeApprovalFollowUpToChanges({ events, logger, followUp });
    const [[subscription]] = events.subscribe.mock.calls;
    return { subscription, logger, queue };
  }

  it('does not hold up the announcement, and follows up one announcement at a time', async () => {
    const calls: string[] = [];
    let release: () => void = () => {};
    const firstHeld = new Promise<void>(resolve => {
      release = resolve;
    });
    const { subscription, queue } = await subscribed(async c => {
      calls.push(`start ${c.serviceId}`);
      if (c.serviceId === change.serviceId) await firstHeld;
      calls.push(`end ${c.serviceId}`);
    });
    // Both announcements return while the first follow-up is still held: an acceptance announces a change
    // itself, and the events service waits for its subscribers.
    await subscription.onEvent({ topic: 'privatelink.service.changed', eventPayload: change });
    await subscription.onEvent({ topic: 'privatelink.service.changed', eventPayload: other });
    expect(calls).not.toContain(`end ${change.serviceId}`);
    expect(calls).not.toContain(`start ${other.serviceId}`);
    release();
    await queue.idle();
    expect(calls).toEqual([`start ${change.serviceId}`, `end ${change.serviceId}`, `start ${other.serviceId}`, `end ${other.serviceId}`]);
  });

  it('goes on with the next announcement after a failed follow-up, and logs the failure', async () => {
    const seen: string[] = [];
    const { subscription, logger, queue } = await subscribed(async c => {
      seen.push(c.serviceId);
      if (c.serviceId === change.serviceId) throw new Error('EC2 is down');
    });
    await subscription.onEvent({ topic: 'privatelink.service.changed', eventPayload: change });
    await subscription.onEvent({ topic: 'privatelink.service.changed', eventPayload: other });
    await queue.idle();
    expect(seen).toEqual([change.serviceId, other.serviceId]);
    expect(logger.error).toHaveBeenCalledWith(expect.stringContaining('failed'), expect.objectContaining({ error: 'EC2 is down' }));
  });
});
