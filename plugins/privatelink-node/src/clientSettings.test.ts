import { ConfigReader } from '@backstage/config';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { createAwsClientSettings, MAX_ATTEMPTS } from './clientSettings';

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
