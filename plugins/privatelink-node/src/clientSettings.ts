import { EC2Client } from '@aws-sdk/client-ec2';
import { Config } from '@backstage/config';
import {
  AwsCredentialProvider,
  AwsCredentialsManager,
  DefaultAwsCredentialsManager,
} from '@backstage/integration-aws-node';

/** Attempts in all for a throttled or failed call, with the SDK's adaptive rate limiter. */
export const MAX_ATTEMPTS = 8;

/** The account and region a client acts in. */
export interface AwsClientTarget {
  accountId: string;
  region: string;
}

/**
 * Per-client overrides. `maxAttempts: 1` suits create calls whose lost response is checked by a look-up before
 * the create is sent again, instead of letting the SDK resend it blindly.
 */
export interface AwsClientOptions {
  maxAttempts?: number;
}

/** What every AWS SDK v3 client of the PrivateLink plugins is constructed with (EC2, ELBv2, Route 53 alike). */
export interface AwsClientSettings {
  region: string;
  credentials: AwsCredentialProvider['sdkCredentialProvider'];
  retryMode: 'adaptive';
  maxAttempts: number;
  endpoint?: string;
}

/** Resolves the client settings for one account and region. */
export type AwsClientSettingsFactory = (
  target: AwsClientTarget,
  options?: AwsClientOptions,
) => Promise<AwsClientSettings>;

/**
 * Builds the settings of AWS SDK clients: credentials from @backstage/integration-aws-node (the root `aws`
 * block, refreshed by the SDK as they expire), the SDK's adaptive retry mode with {@link MAX_ATTEMPTS}
 * attempts unless overridden, and `endpoint` (moto in the demo and the integration tests) when given. Each
 * caller reads the endpoint from its own configuration and passes it in.
 */
export function createAwsClientSettings(options: {
  config: Config;
  endpoint?: string;
  credentialsManager?: AwsCredentialsManager;
}): AwsClientSettingsFactory {
  const credentials =
    options.credentialsManager ??
    DefaultAwsCredentialsManager.fromConfig(options.config);
  const { endpoint } = options;
  return async ({ accountId, region }, clientOptions) => {
    const { sdkCredentialProvider } = await credentials.getCredentialProvider({
      accountId,
    });
    return {
      region,
      credentials: sdkCredentialProvider,
      retryMode: 'adaptive',
      maxAttempts: clientOptions?.maxAttempts ?? MAX_ATTEMPTS,
      ...(endpoint ? { endpoint } : {}),
    };
  };
}

/**
 * EC2 clients for changes: a new client per call (destroyed by the caller), with the shared settings. The sync
 * keeps one client per account × region instead, for its connection pool and rate limiter.
 */
export function createEc2ClientFactory(options: {
  config: Config;
  endpoint?: string;
  credentialsManager?: AwsCredentialsManager;
}): (target: AwsClientTarget, clientOptions?: AwsClientOptions) => Promise<EC2Client> {
  const settings = createAwsClientSettings(options);
  return async (target, clientOptions) => new EC2Client(await settings(target, clientOptions));
}
