import { ConfigReader } from '@backstage/config';
import { accountRegions, readPrivateLinkConfig, redactEndpoint } from './privatelinkConfig';

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
    expect(config.retirement).toEqual({ gracePeriodMs: 0 });
    expect(config.endpoint).toBeUndefined();
    expect(config.emulator).toBe(false);
    expect(config.aws).toEqual({ connectionTimeoutMs: 3000, requestTimeoutMs: 20000, interactiveMaxAttempts: 3 });
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
    [{ endpoint: 'http://10.0.0.1:5000' }, "privatelink.endpoint: must name a loopback host (127.0.0.0/8, ::1 or localhost), not '10.0.0.1'"],
    [{ endpoint: 'https://example.com' }, "privatelink.endpoint: must name a loopback host (127.0.0.0/8, ::1 or localhost), not 'example.com'"],
    [{ endpoint: 'http://127.0.0.1.example.com:5000' }, "not '127.0.0.1.example.com'"],
    [{ endpoint: 'http://localhost.:5000' }, "not 'localhost.'"],
    [{ endpoint: 'http://[::ffff:7f00:1]:5000' }, "not '[::ffff:7f00:1]'"],
    [{ endpoint: 'ftp://127.0.0.1:21' }, 'privatelink.endpoint: must be an http or https URL, not ftp'],
    [{ endpoint: 'http://user:pw@127.0.0.1:5000' }, 'privatelink.endpoint: must not carry a user name or password'],
    [{ endpoint: 'http://token@127.0.0.1:5000' }, 'privatelink.endpoint: must not carry a user name or password'],
    [{ endpoint: 5000 }, 'privatelink.endpoint'],
    [{ emulator: 'yes' }, 'privatelink.emulator'],
    [{ aws: { requestTimeoutMs: 0 } }, 'privatelink.aws.requestTimeoutMs'],
    [{ aws: { connectionTimeoutMs: 1.5 } }, 'privatelink.aws.connectionTimeoutMs'],
    [{ aws: { interactiveMaxAttempts: 0 } }, 'privatelink.aws.interactiveMaxAttempts'],
    [{ aws: { retries: 3 } }, 'retries'],
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

  it.each([
    'http://127.0.0.1:5000',
    'http://127.0.0.1:5000/',
    'https://127.0.0.1',
    'http://127.255.10.1:4566',
    'http://localhost:5000',
    'http://LOCALHOST:5000',
    'http://[::1]:5000',
  ])('accepts the loopback endpoint %s', endpoint => {
    expect(read({ endpoint }).endpoint).toBe(endpoint);
  });

  it('never repeats the user name or password of a refused endpoint', () => {
    for (const endpoint of ['http://admin:hunter2@127.0.0.1:5000', 'http://admin:hunter2@10.0.0.1:5000']) {
      const message = (() => {
        try {
          read({ endpoint });
        } catch (e) {
          return (e as Error).message;
        }
        return 'accepted';
      })();
      expect(message).toContain('privatelink.endpoint: must not carry a user name or password');
      expect(message).not.toMatch(/admin|hunter2/);
    }
  });

  it('reads the emulator flag and the AWS call limits', () => {
    const config = read({
      endpoint: 'http://127.0.0.1:5000',
      emulator: true,
      aws: { connectionTimeoutMs: 500, requestTimeoutMs: 1000, interactiveMaxAttempts: 2 },
    });
    expect(config.emulator).toBe(true);
    expect(config.aws).toEqual({ connectionTimeoutMs: 500, requestTimeoutMs: 1000, interactiveMaxAttempts: 2 });
    // An endpoint alone is no emulator.
    expect(read({ endpoint: 'http://127.0.0.1:5000' }).emulator).toBe(false);
  });

  it.each([
    ['http://127.0.0.1:5000', 'http://127.0.0.1:5000'],
    ['http://127.0.0.1:5000/some/path?q=1#f', 'http://127.0.0.1:5000'],
    ['http://user:pw@127.0.0.1:5000', 'http://127.0.0.1:5000'],
    ['https://[::1]', 'https://[::1]'],
    ['not a url', '(invalid)'],
  ])('redacts %s to %s for the logs', (endpoint, logged) => {
    expect(redactEndpoint(endpoint)).toBe(logged);
  });

  it('reads the retirement grace period as a duration object or ISO 8601, and refuses one that does not parse or exceeds 90 days', () => {
    expect(read({ retirement: { gracePeriod: { days: 7 } } }).retirement).toEqual({ gracePeriodMs: 7 * 24 * 3600 * 1000 });
    expect(read({ retirement: { gracePeriod: 'PT36H' } }).retirement).toEqual({ gracePeriodMs: 36 * 3600 * 1000 });
    expect(() => read({ retirement: { gracePeriod: 'a week' } })).toThrow(/privatelink\.retirement\.gracePeriod: /);
    expect(() => read({ retirement: { gracePeriod: { days: 91 } } })).toThrow('privatelink.retirement.gracePeriod: must be between 0 and 90 days');
    expect(() => read({ retirement: { grace: { days: 1 } } })).toThrow(/privatelink\.retirement/);
  });

  it('refuses a schedule that does not parse, naming the field', () => {
    expect(() => read({ sync: { schedule: { frequency: 'every now and then', timeout: { minutes: 1 } } } })).toThrow(
      /privatelink\.sync\.schedule: .*frequency/,
    );
  });
});
