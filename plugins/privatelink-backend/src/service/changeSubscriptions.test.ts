import { mockServices } from '@backstage/backend-test-utils';
import { subscribeDetailsCacheToChanges } from './changeSubscriptions';

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
