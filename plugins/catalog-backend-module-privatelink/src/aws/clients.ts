import { EC2Client } from '@aws-sdk/client-ec2';
import { Config } from '@backstage/config';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { createAwsClientSettings } from '@privatelink-backstage/plugin-privatelink-node';
import { AccountRegion } from '@privatelink-backstage/plugin-privatelink-node';
import { TokenBucket } from './tokenBucket';

/**
 * Client-side pacing of Describe* calls per account × region (EC2's bucket: 100, then 20 per second).
 *
 * Not a stable API: for this repository's benchmarks and tests.
 *
 * @public
 */
export interface DescribeRateLimit {
  /** How many calls may start at once before pacing begins: the capacity of the token bucket. */
  burst: number;
  /** How many tokens the bucket regains per second. */
  perSecond: number;
}

/**
 * Hands out EC2 clients per account × region.
 *
 * Not a stable API: for this repository's benchmarks and tests.
 *
 * @public
 */
export interface AwsClientFactory {
  /** The EC2 client for one account and region. */
  ec2(target: AccountRegion): Promise<EC2Client>;
}

/** Retries a throttled or failed call up to this many attempts in all, with the SDK's adaptive rate limiter. */
export { MAX_ATTEMPTS } from '@privatelink-backstage/plugin-privatelink-node';

/**
 * One EC2 client per account × region, created on first use and reused: SDK clients are safe to share and keep
 * their connection pool and, in adaptive retry mode, the client-side rate limiter that learns the account's
 * EC2 throttling. The settings (credentials from the root `aws` block, adaptive retries with MAX_ATTEMPTS
 * attempts, the connection and request timeouts of `privatelink.aws`, `endpoint` pointing every client at moto
 * in the demo and the integration tests) come from the shared createAwsClientSettings. With `rateLimit`, every
 * attempt of a Describe* call waits for a token of its client's bucket. A failed credential look-up is not
 * cached.
 *
 * Not a stable API: for this repository's benchmarks and tests.
 *
 * @public
 */
export function createAwsClientFactory(options: {
  /** The root config: its `aws` block for credentials and its `privatelink.aws` block for the limits. */
  config: Config;
  /** Endpoint override for every client (a validated `privatelink.endpoint`); unset for real AWS. */
  endpoint?: string;
  /** Where credentials come from. Default: `DefaultAwsCredentialsManager.fromConfig(config)`. */
  credentialsManager?: AwsCredentialsManager;
  /** Paces the Describe* calls of each client (`privatelink.sync.rateLimit`); unset: no client-side pacing. */
  rateLimit?: DescribeRateLimit;
}): AwsClientFactory {
  const settings = createAwsClientSettings({
    config: options.config,
    endpoint: options.endpoint,
    credentialsManager: options.credentialsManager,
  });
  const clients = new Map<string, Promise<EC2Client>>();

  return {
    ec2({ accountId, region }) {
      const key = `${accountId}/${region}`;
      let client = clients.get(key);
      if (!client) {
        client = settings({ accountId, region }).then(clientSettings => {
          const ec2 = new EC2Client(clientSettings);
          if (options.rateLimit) pace(ec2, options.rateLimit);
          return ec2;
        });
        // A failed credential look-up is not cached: the next sync tries again.
        client.catch(() => clients.delete(key));
        clients.set(key, client);
      }
      return client;
    },
  };
}

/** The error a call abandoned by {@link withAbortSignal} rejects with. */
function abortError(): Error {
  return Object.assign(new Error('The call was abandoned: its task was aborted'), { name: 'AbortError' });
}

/**
 * A view of a shared client whose every call carries `signal`: the SDK hands it to the HTTP handler, which
 * destroys the request in flight when the signal fires. A call sent after the signal fired fails at once,
 * without waiting for a rate-limit token; one still waiting for a token, a credential refresh or a retry's
 * back-off when it fires is abandoned (it rejects with an AbortError and ends in the background, within the
 * client's timeouts). The view is an EC2Client, as the SDK's paginators require; the client itself, shared
 * with other callers, is not changed. Without a signal the client is returned as it is.
 */
export function withAbortSignal(ec2: EC2Client, signal: AbortSignal | undefined): EC2Client {
  if (!signal) return ec2;
  const call = (command: any, options: any) =>
    abandonedOnAbort(() => ec2.send(command, { ...options, abortSignal: signal }), signal);
  const send = (command: any, optionsOrCallback?: any, callback?: any): Promise<any> | void => {
    const done = typeof optionsOrCallback === 'function' ? optionsOrCallback : callback;
    const options = typeof optionsOrCallback === 'function' ? undefined : optionsOrCallback;
    if (typeof done !== 'function') return call(command, options);
    call(command, options).then(
      output => done(null, output),
      error => done(error),
    );
    return undefined;
  };
  const view: EC2Client = Object.create(ec2);
  Object.defineProperty(view, 'send', { value: send });
  return view;
}

/** What `call` resolves to, or an AbortError as soon as `signal` fires; `call` is not made once it has fired. */
function abandonedOnAbort<T>(call: () => Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    call()
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The token release of the current attempt, handed from the pacing middleware to the response middleware. */
const RELEASE = Symbol('privatelinkTokenRelease');

/**
 * Every attempt of a Describe* call (retries included) waits for a token of this client's bucket, and releases
 * it when the response's headers arrive (see TokenBucket), before its body is read and parsed.
 */
function pace(ec2: EC2Client, limit: DescribeRateLimit) {
  const bucket = new TokenBucket({ capacity: limit.burst, perSecond: limit.perSecond });
  ec2.middlewareStack.addRelativeTo(
    (next: any, context: any) => async (args: any) => {
      if (!String(context.commandName ?? '').startsWith('Describe')) return next(args);
      const release = await bucket.take();
      context[RELEASE] = release;
      try {
        return await next(args);
      } finally {
        // Without a response (the request failed before, or no response middleware ran): released now.
        release();
      }
    },
    { relation: 'after', toMiddleware: 'retryMiddleware', name: 'privatelinkDescribePacing', override: true },
  );
  // The innermost middleware: its `next` is the HTTP handler, which resolves with the response's headers.
  ec2.middlewareStack.add(
    (next: any, context: any) => async (args: any) => {
      try {
        return await next(args);
      } finally {
        context[RELEASE]?.();
      }
    },
    { step: 'deserialize', priority: 'low', name: 'privatelinkDescribeRelease', override: true },
  );
}
