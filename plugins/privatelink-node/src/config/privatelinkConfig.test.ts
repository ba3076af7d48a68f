import { ConfigReader } from '@backstage/config';
import { accountRegions, readPrivateLinkConfig } from './privatelinkConfig';

const read = (privatelink: unknown) =>
  readPrivateLinkConfig(new ConfigReader({ privatelink } as any));

describe('readPrivateLinkConfig', () => {
  it('applies defaults to an empty block', () => {
    const config = readPrivateLinkConfig(new ConfigReader({}));
    expect(config.regions).toEqual(['us-east-1']);
    expect(config.accounts).toEqual([]);
    expect(config.defaultOwner).toBe('group:default/platform');
    expect(config.tagKeys).toEqual({
      owner: 'backstage:owner',
      system: 'backstage:system',
      component: 'backstage:component',
      name: 'backstage:name',
    });
    expect(config.allowWildcardPrincipal).toBe(false);
    expect(config.sync).toEqual({
      enabled: true,
      concurrency: 4,
      rateLimit: { burst: 100, perSecond: 20 },
      schedule: { frequency: { minutes: 10 }, timeout: { minutes: 5 }, initialDelay: { seconds: 5 } },
    });
  });

  it('gives each account the default regions unless it lists its own', () => {
    const config = read({
      regions: ['us-east-1', 'eu-west-1'],
      accounts: [
        { accountId: '123456789012', owner: 'group:default/platform' },
        { accountId: '210987654321', regions: ['eu-central-1'] },
      ],
      sync: { schedule: { frequency: { minutes: 2 }, timeout: { seconds: 90 } } },
    });
    expect(accountRegions(config)).toEqual([
      { accountId: '123456789012', region: 'us-east-1' },
      { accountId: '123456789012', region: 'eu-west-1' },
      { accountId: '210987654321', region: 'eu-central-1' },
    ]);
    expect(config.sync.schedule).toMatchObject({ frequency: { minutes: 2 }, timeout: { seconds: 90 } });
  });

  it.each([
    [{ accounts: [{ accountId: '12345' }] }, 'privatelink.accounts.0.accountId: must be a 12-digit AWS account id'],
    [{ regions: ['us-east-9'] }, "privatelink.regions.0: unknown AWS region 'us-east-9'"],
    [{ accounts: [{ accountId: '123456789012', regions: ['mars-1'] }] }, "privatelink.accounts.0.regions.0: unknown AWS region 'mars-1'"],
    [{ endpoint: 'not a url' }, 'privatelink.endpoint: must be a URL'],
    [{ defaultOwner: 'group:' }, "privatelink.defaultOwner: 'group:' is not an entity ref"],
    [{ sync: { concurrency: 0 } }, 'privatelink.sync.concurrency'],
    [{ accountz: [] }, 'accountz'],
    [
      { accounts: [{ accountId: '123456789012' }, { accountId: '123456789012' }] },
      'privatelink.accounts.1.accountId: account 123456789012 is listed twice',
    ],
  ])('refuses %j naming the field', (block, message) => {
    expect(() => read(block)).toThrow(message);
  });

  it('refuses a schedule that does not parse, naming the field', () => {
    expect(() => read({ sync: { schedule: { frequency: 'every now and then', timeout: { minutes: 1 } } } })).toThrow(
      /privatelink\.sync\.schedule: .*frequency/,
    );
  });
});
