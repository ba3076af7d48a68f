import { ConfigReader } from '@backstage/config';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import {
  createAwsClientSettings,
  createEc2ClientFactory,
  MAX_ATTEMPTS,
  requestHandlerOptions,
} from './clientSettings';

/** A credentials manager whose provider for each account is recognisable by the account id. */
function fakeCredentialsManager() {
  const providerOf = (accountId: string) => async () => ({
    accessKeyId: `key-${accountId}`,
    secretAccessKey: 'secret',
  });
  const getCredentialProvider = jest.fn(
    async (opts?: { accountId?: string }) => ({
      accountId: opts?.accountId,
      sdkCredentialProvider: providerOf(opts?.accountId ?? 'default'),
    }),
  );
  const manager: AwsCredentialsManager = { getCredentialProvider };
  return { manager, getCredentialProvider };
}

const config = new ConfigReader({});
const target = { accountId: '123456789012', region: 'eu-west-1' };

describe('createAwsClientSettings', () => {
  it('builds adaptive-retry settings with the default attempts and no endpoint', async () => {
    const { manager, getCredentialProvider } = fakeCredentialsManager();
    const settings = await createAwsClientSettings({
      config,
      credentialsManager: manager,
    })(target);

    expect(MAX_ATTEMPTS).toBe(8);
    expect(settings).toEqual({
      region: 'eu-west-1',
      credentials: expect.any(Function),
      retryMode: 'adaptive',
      maxAttempts: MAX_ATTEMPTS,
      requestHandler: expect.any(NodeHttpHandler),
    });
    expect(settings).not.toHaveProperty('endpoint');
    expect(getCredentialProvider).toHaveBeenCalledWith({
      accountId: '123456789012',
    });
    await expect(settings.credentials()).resolves.toMatchObject({
      accessKeyId: 'key-123456789012',
    });
  });

  it.each([
    ['http://localhost:5000', { endpoint: 'http://localhost:5000' }],
    ['', {}],
    [undefined, {}],
  ])('with endpoint %p, sets %p', async (endpoint, expected) => {
    const { manager } = fakeCredentialsManager();
    const settings = await createAwsClientSettings({
      config,
      endpoint,
      credentialsManager: manager,
    })(target);
    expect({ ...settings, credentials: undefined }).toEqual({
      region: 'eu-west-1',
      credentials: undefined,
      retryMode: 'adaptive',
      maxAttempts: MAX_ATTEMPTS,
      requestHandler: expect.any(NodeHttpHandler),
      ...expected,
    });
  });

  it('honours a per-call maxAttempts override', async () => {
    const { manager } = fakeCredentialsManager();
    const factory = createAwsClientSettings({
      config,
      credentialsManager: manager,
    });
    expect((await factory(target, { maxAttempts: 1 })).maxAttempts).toBe(1);
    expect((await factory(target, {})).maxAttempts).toBe(MAX_ATTEMPTS);
  });

  it('gives interactive clients privatelink.aws.interactiveMaxAttempts, unless overridden', async () => {
    const { manager } = fakeCredentialsManager();
    const defaults = createAwsClientSettings({
      config,
      credentialsManager: manager,
      interactive: true,
    });
    expect((await defaults(target)).maxAttempts).toBe(3);
    expect((await defaults(target, { maxAttempts: 1 })).maxAttempts).toBe(1);

    const configured = createAwsClientSettings({
      config: new ConfigReader({ privatelink: { aws: { interactiveMaxAttempts: 2 } } }),
      credentialsManager: manager,
      interactive: true,
    });
    expect((await configured(target)).maxAttempts).toBe(2);
    // The sync's clients keep MAX_ATTEMPTS whatever the interactive setting.
    const sync = createAwsClientSettings({
      config: new ConfigReader({ privatelink: { aws: { interactiveMaxAttempts: 2 } } }),
      credentialsManager: manager,
    });
    expect((await sync(target)).maxAttempts).toBe(MAX_ATTEMPTS);
  });

  it('builds every client with a handler of its own, with the configured timeouts', async () => {
    const { manager } = fakeCredentialsManager();
    const factory = createAwsClientSettings({
      config: new ConfigReader({
        privatelink: { aws: { connectionTimeoutMs: 1500, requestTimeoutMs: 7000 } },
      }),
      credentialsManager: manager,
    });
    const [a, b] = [await factory(target), await factory(target)];
    expect(a.requestHandler).toBeInstanceOf(NodeHttpHandler);
    // Destroying one client closes its handler's sockets, never another's.
    expect(a.requestHandler).not.toBe(b.requestHandler);
    expect(requestHandlerOptions({ connectionTimeoutMs: 1500, requestTimeoutMs: 7000, interactiveMaxAttempts: 3 })).toEqual({
      connectionTimeout: 1500,
      requestTimeout: 7000,
      throwOnRequestTimeout: true,
      socketTimeout: 7000,
    });
  });

  it('gives the write path its timeouts and interactive attempts', async () => {
    const { manager } = fakeCredentialsManager();
    const ec2 = await createEc2ClientFactory({
      config: new ConfigReader({
        privatelink: { aws: { connectionTimeoutMs: 1500, requestTimeoutMs: 7000, interactiveMaxAttempts: 2 } },
      }),
      endpoint: 'http://127.0.0.1:5000',
      credentialsManager: manager,
    })(target);
    try {
      expect(await ec2.config.maxAttempts()).toBe(2);
      // That the timeouts hold on the wire: clientSettings.blackhole.test.ts.
      expect(ec2.config.requestHandler).toBeInstanceOf(NodeHttpHandler);
    } finally {
      ec2.destroy();
    }
  });

  it('asks for the credentials of each target account', async () => {
    const { manager, getCredentialProvider } = fakeCredentialsManager();
    const factory = createAwsClientSettings({
      config,
      credentialsManager: manager,
    });
    const a = await factory({ accountId: '111111111111', region: 'us-east-1' });
    const b = await factory({
      accountId: '222222222222',
      region: 'eu-central-1',
    });

    expect(getCredentialProvider.mock.calls).toEqual([
      [{ accountId: '111111111111' }],
      [{ accountId: '222222222222' }],
    ]);
    expect(a.region).toBe('us-east-1');
    expect(b.region).toBe('eu-central-1');
    await expect(a.credentials()).resolves.toMatchObject({
      accessKeyId: 'key-111111111111',
    });
    await expect(b.credentials()).resolves.toMatchObject({
      accessKeyId: 'key-222222222222',
    });
  });

  it('refuses a malformed privatelink.aws block when the clients are set up', () => {
    const { manager } = fakeCredentialsManager();
    expect(() =>
      createAwsClientSettings({
        config: new ConfigReader({ privatelink: { aws: { requestTimeoutMs: -1 } } }),
        credentialsManager: manager,
      }),
    ).toThrow('privatelink.aws.requestTimeoutMs');
  });

  it('fails when the credentials manager fails', async () => {
    const manager: AwsCredentialsManager = {
      getCredentialProvider: async () => {
        throw new Error('no role for account');
      },
    };
    await expect(
      createAwsClientSettings({ config, credentialsManager: manager })(target),
    ).rejects.toThrow('no role for account');
  });
});
