import { EC2Client } from '@aws-sdk/client-ec2';
import { Config } from '@backstage/config';
import {
  AwsCredentialProvider,
  AwsCredentialsManager,
  DefaultAwsCredentialsManager,
} from '@backstage/integration-aws-node';
import { NodeHttpHandler, NodeHttpHandlerOptions } from '@smithy/node-http-handler';
import { PrivateLinkConfig, readPrivateLinkConfig } from './config/privatelinkConfig';

/**
 * Attempts in all for a throttled or failed call of the sync, with the SDK's adaptive rate limiter. Calls made
 * for a user take `privatelink.aws.interactiveMaxAttempts` instead (see createAwsClientSettings).
 */
export const MAX_ATTEMPTS = 8;

/** The `privatelink.aws` block: the timeouts of every AWS call and the attempts of a user's calls. */
export type AwsCallLimits = PrivateLinkConfig['aws'];

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
  /** The HTTP handler with the connection and request timeouts: an attempt cannot hang. One per client. */
  requestHandler: NodeHttpHandler;
}

/**
 * The options of the HTTP handler of every client: `connectionTimeoutMs` to connect, `requestTimeoutMs` until
 * the response's headers (an error, not the handler's default warning), and as long again for a response whose
 * body stalls. A timed-out attempt fails with a TimeoutError, which the SDK retries within the client's attempts.
 */
export function requestHandlerOptions(limits: AwsCallLimits): NodeHttpHandlerOptions {
  return {
    connectionTimeout: limits.connectionTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    throwOnRequestTimeout: true,
    socketTimeout: limits.requestTimeoutMs,
  };
}

/** Resolves the client settings for one account and region. */
export type AwsClientSettingsFactory = (
  target: AwsClientTarget,
  options?: AwsClientOptions,
) => Promise<AwsClientSettings>;

/**
 * Builds the settings of AWS SDK clients: credentials from @backstage/integration-aws-node (the root `aws`
 * block, refreshed by the SDK as they expire), the SDK's adaptive retry mode, an HTTP handler with the
 * timeouts of `privatelink.aws` (see {@link requestHandlerOptions}), and `endpoint` (moto in the demo and the
 * integration tests) when given. Each caller reads the endpoint from its own configuration and passes it in.
 *
 * Attempts, unless overridden per client: {@link MAX_ATTEMPTS} for the sync, which has minutes; with
 * `interactive`, for calls a user waits on, `privatelink.aws.interactiveMaxAttempts`.
 */
export function createAwsClientSettings(options: {
  config: Config;
  endpoint?: string;
  credentialsManager?: AwsCredentialsManager;
  /** True for clients of calls a user waits on: fewer attempts (`privatelink.aws.interactiveMaxAttempts`). */
  interactive?: boolean;
}): AwsClientSettingsFactory {
  const credentials =
    options.credentialsManager ??
    DefaultAwsCredentialsManager.fromConfig(options.config);
  const limits = readPrivateLinkConfig(options.config).aws;
  const defaultAttempts = options.interactive ? limits.interactiveMaxAttempts : MAX_ATTEMPTS;
  const { endpoint } = options;
  return async ({ accountId, region }, clientOptions) => {
    const { sdkCredentialProvider } = await credentials.getCredentialProvider({
      accountId,
    });
    return {
      region,
      credentials: sdkCredentialProvider,
      retryMode: 'adaptive',
      maxAttempts: clientOptions?.maxAttempts ?? defaultAttempts,
      // A handler of its own: destroying a client closes its handler's sockets.
      requestHandler: new NodeHttpHandler(requestHandlerOptions(limits)),
      ...(endpoint ? { endpoint } : {}),
    };
  };
}

/**
 * EC2 clients for changes: a new client per call (destroyed by the caller), with the shared settings and the
 * attempts of an interactive call (`privatelink.aws.interactiveMaxAttempts`). The sync keeps one client per
 * account × region instead, for its connection pool and rate limiter.
 */
export function createEc2ClientFactory(options: {
  config: Config;
  endpoint?: string;
  credentialsManager?: AwsCredentialsManager;
}): (target: AwsClientTarget, clientOptions?: AwsClientOptions) => Promise<EC2Client> {
  const settings = createAwsClientSettings({ ...options, interactive: true });
  return async (target, clientOptions) => new EC2Client(await settings(target, clientOptions));
}
