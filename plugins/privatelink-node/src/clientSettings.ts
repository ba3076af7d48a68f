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
 * Attempts in all (the first one included) for a throttled or failed call of the sync, with the SDK's adaptive
 * rate limiter. Calls made for a user take `privatelink.aws.interactiveMaxAttempts` instead (see
 * {@link createAwsClientSettings}).
 *
 * @public
 */
export const MAX_ATTEMPTS = 8;

/**
 * The validated `privatelink.aws` block: the timeouts of every AWS call (in milliseconds) and the attempts of a
 * user's calls.
 *
 * @public
 */
export type AwsCallLimits = PrivateLinkConfig['aws'];

/**
 * The account and region a client acts in.
 *
 * @public
 */
export interface AwsClientTarget {
  /** The 12-digit AWS account id whose credentials the client uses (looked up in the root `aws` block). */
  accountId: string;
  /** The AWS region the client calls, e.g. `eu-west-1`. */
  region: string;
}

/**
 * Per-client overrides. `maxAttempts: 1` suits create calls whose lost response is checked by a look-up before
 * the create is sent again, instead of letting the SDK resend it blindly.
 *
 * @public
 */
export interface AwsClientOptions {
  /**
   * Attempts in all (the first one included) of each call of this client. Default: the factory's own, that is
   * {@link MAX_ATTEMPTS}, or `privatelink.aws.interactiveMaxAttempts` for an interactive factory.
   */
  maxAttempts?: number;
}

/**
 * What every AWS SDK v3 client of the PrivateLink plugins is constructed with (EC2, ELBv2, Route 53 alike).
 *
 * @public
 */
export interface AwsClientSettings {
  /** The region of the target. */
  region: string;
  /**
   * The SDK credential provider of the target's account, from `@backstage/integration-aws-node`; the SDK calls it
   * again as the credentials expire.
   */
  credentials: AwsCredentialProvider['sdkCredentialProvider'];
  /** Always the SDK's adaptive retry mode, which also rate-limits the client's calls on throttling. */
  retryMode: 'adaptive';
  /** Attempts in all (the first one included) of each call. */
  maxAttempts: number;
  /** The endpoint override (an emulator such as moto); absent for real AWS. */
  endpoint?: string;
  /** The HTTP handler with the connection and request timeouts: an attempt cannot hang. One per client. */
  requestHandler: NodeHttpHandler;
}

/**
 * The options of the HTTP handler of every client: `connectionTimeoutMs` to connect, `requestTimeoutMs` until
 * the response's headers (an error, not the handler's default warning), and as long again for a response whose
 * body stalls. A timed-out attempt fails with a TimeoutError, which the SDK retries within the client's attempts.
 *
 * @param limits - The validated `privatelink.aws` block; its timeouts are in milliseconds.
 * @returns The options for a `NodeHttpHandler` (timeouts in milliseconds).
 * @public
 */
export function requestHandlerOptions(limits: AwsCallLimits): NodeHttpHandlerOptions {
  return {
    connectionTimeout: limits.connectionTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    throwOnRequestTimeout: true,
    socketTimeout: limits.requestTimeoutMs,
  };
}

/**
 * Resolves the client settings for one account and region. Rejects when no credentials can be had for the
 * account (see `AwsCredentialsManager.getCredentialProvider`). Every call returns a new `requestHandler`.
 *
 * @public
 */
export type AwsClientSettingsFactory = (
  target: AwsClientTarget,
  options?: AwsClientOptions,
) => Promise<AwsClientSettings>;

/**
 * Builds the settings of AWS SDK clients: credentials from `@backstage/integration-aws-node` (the root `aws`
 * block, refreshed by the SDK as they expire), the SDK's adaptive retry mode, an HTTP handler with the
 * timeouts of `privatelink.aws` (see {@link requestHandlerOptions}), and `endpoint` (moto in the demo and the
 * integration tests) when given. Each caller reads the endpoint from its own configuration and passes it in.
 *
 * Attempts, unless overridden per client: {@link MAX_ATTEMPTS} for the sync, which has minutes; with
 * `interactive`, for calls a user waits on, `privatelink.aws.interactiveMaxAttempts`.
 *
 * Throws a {@link PrivateLinkConfigError} at once when the `privatelink` block is malformed.
 *
 * @public
 */
export function createAwsClientSettings(options: {
  /** The root config: its `aws` block for credentials and its `privatelink.aws` block for the limits. */
  config: Config;
  /** Endpoint override for every client (a validated `privatelink.endpoint`); unset for real AWS. */
  endpoint?: string;
  /** Where credentials come from. Default: `DefaultAwsCredentialsManager.fromConfig(config)`. */
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
 *
 * Throws a {@link PrivateLinkConfigError} at once when the `privatelink` block is malformed; the factory it
 * returns rejects when no credentials can be had for the target's account.
 *
 * @public
 */
export function createEc2ClientFactory(options: {
  /** The root config: its `aws` block for credentials and its `privatelink.aws` block for the limits. */
  config: Config;
  /** Endpoint override for every client (a validated `privatelink.endpoint`); unset for real AWS. */
  endpoint?: string;
  /** Where credentials come from. Default: `DefaultAwsCredentialsManager.fromConfig(config)`. */
  credentialsManager?: AwsCredentialsManager;
}): (target: AwsClientTarget, clientOptions?: AwsClientOptions) => Promise<EC2Client> {
  const settings = createAwsClientSettings({ ...options, interactive: true });
  return async (target, clientOptions) => new EC2Client(await settings(target, clientOptions));
}
