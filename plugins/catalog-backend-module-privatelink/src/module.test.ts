import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { catalogModulePrivateLinkEntityProvider } from './module';
import { PrivateLinkEntityProvider } from './PrivateLinkEntityProvider';

const privatelink = {
  // A closed loopback port: nothing here may reach AWS.
  endpoint: 'http://127.0.0.1:9',
  accounts: [{ accountId: '123456789012' }],
  sync: { enabled: true, schedule: { frequency: { minutes: 30 }, timeout: { minutes: 1 }, initialDelay: { hours: 1 } } },
};

async function start(config: object) {
  const addEntityProvider = jest.fn();
  const events = mockServices.events.mock();
  const scheduler = mockServices.scheduler.mock();
  await startTestBackend({
    extensionPoints: [[catalogProcessingExtensionPoint, { addEntityProvider, addProcessor: jest.fn(), addPlaceholderResolver: jest.fn(), setOnProcessingErrorHandler: jest.fn() }]],
    features: [
      catalogModulePrivateLinkEntityProvider,
      mockServices.rootConfig.factory({ data: config }),
      events.factory,
      scheduler.factory,
      catalogServiceMock.factory(),
    ],
  });
  return { addEntityProvider, events, scheduler };
}

describe('catalogModulePrivateLinkEntityProvider', () => {
  it('adds the provider and subscribes to targeted refresh events', async () => {
    const { addEntityProvider, events } = await start({ privatelink });
    expect(addEntityProvider).toHaveBeenCalledTimes(1);
    const provider = addEntityProvider.mock.calls[0][0] as PrivateLinkEntityProvider;
    expect(provider.getProviderName()).toBe('PrivateLinkEntityProvider');
    expect(events.subscribe).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'privatelink-entity-provider', topics: ['privatelink.service.changed'] }),
    );

    // Events for accounts that are not configured, or malformed ones, change nothing.
    const applyMutation = jest.fn();
    await provider.connect({ applyMutation, refresh: jest.fn() });
    const { onEvent } = events.subscribe.mock.calls[0][0];
    await onEvent({ topic: 'privatelink.service.changed', eventPayload: { accountId: 'nope' } });
    await onEvent({
      topic: 'privatelink.service.changed',
      eventPayload: { accountId: '999999999999', region: 'us-east-1', serviceId: 'vpce-svc-0123456789abcdef0' },
    });
    expect(applyMutation).not.toHaveBeenCalled();
  });

  it("runs the full sync as a global task of Backstage's scheduler: once per interval across the replicas", async () => {
    const { scheduler } = await start({ privatelink });
    expect(scheduler.createScheduledTaskRunner).toHaveBeenCalledWith({ ...privatelink.sync.schedule, scope: 'global' });
  });

  it('adds nothing when the sync is off', async () => {
    const { addEntityProvider, events } = await start({ privatelink: { ...privatelink, sync: { enabled: false } } });
    expect(addEntityProvider).not.toHaveBeenCalled();
    expect(events.subscribe).not.toHaveBeenCalled();
  });

  it('stops the backend on a schedule that does not parse', async () => {
    await expect(
      start({ privatelink: { ...privatelink, sync: { schedule: { frequency: 'hourly-ish', timeout: { minutes: 1 } } } } }),
    ).rejects.toThrow(/privatelink\.sync\.schedule/);
  });
});
