import { EC2Client } from '@aws-sdk/client-ec2';
import { Config } from '@backstage/config';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { createAwsClientSettings } from '@privatelink-backstage/plugin-privatelink-node';
import { AccountRegion } from '@privatelink-backstage/plugin-privatelink-node';
import { TokenBucket } from './tokenBucket';

/** Client-side pacing of Describe* calls per account × region (EC2's bucket: 100, then 20 per second). */
export interface DescribeRateLimit {
  burst: number;
  perSecond: number;
}

/** Hands out EC2 clients per account × region. */
export interface AwsClientFactory {
  ec2(target: AccountRegion): Promise<EC2Client>;
}

/** Retries a throttled or failed call up to this many attempts in all, with the SDK's adaptive rate limiter. */
export { MAX_ATTEMPTS } from '@privatelink-backstage/plugin-privatelink-node';

/**
 * One EC2 client per account × region, created on first use and reused: SDK clients are safe to share and keep
 * their connection pool and, in adaptive retry mode, the client-side rate limiter that learns the account's
 * EC2 throttling. The settings (credentials from the root `aws` block, adaptive retries, `endpoint` pointing
 * every client at moto in the demo and the integration tests) come from the shared createAwsClientSettings.
 */
export function createAwsClientFactory(options: {
  config: Config;
  endpoint?: string;
  credentialsManager?: AwsCredentialsManager;
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
