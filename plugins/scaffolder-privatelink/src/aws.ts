import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { Route53Client } from '@aws-sdk/client-route-53';
import { Config } from '@backstage/config';
import {
  AwsClientOptions,
  AwsClientTarget,
  createAwsClientSettings,
} from '@privatelink-backstage/plugin-privatelink-node';

/** The account and region a client acts in. */
export type ClientTarget = AwsClientTarget;

/**
 * Per-client overrides. `maxAttempts: 1` is used for create calls: after a lost response the action looks the
 * resource up before sending the create again, instead of letting the SDK resend it blindly.
 */
export type ClientOptions = AwsClientOptions;

/** Creates an EC2 client for one account and region, with credentials from the root `aws` block. */
export type Ec2ClientFactory = (
  target: ClientTarget,
  options?: ClientOptions,
) => Promise<EC2Client>;
/** Creates an Elastic Load Balancing v2 client for one account and region. */
export type ElbClientFactory = (
  target: ClientTarget,
  options?: ClientOptions,
) => Promise<ElasticLoadBalancingV2Client>;
/** Creates a Route 53 client for one account (Route 53 is global; the region only signs the requests). */
export type Route53ClientFactory = (
  target: ClientTarget,
  options?: ClientOptions,
) => Promise<Route53Client>;

/** The client factories the actions use. */
export interface AwsClientFactories {
  ec2: Ec2ClientFactory;
  elb: ElbClientFactory;
  route53: Route53ClientFactory;
}

/**
 * Clients are created per call, never shared and mutated across requests. `privatelink.endpoint` points them
 * at moto in the demo and the integration tests; the SDK's adaptive retry mode absorbs EC2 throttling (the
 * settings are the shared createAwsClientSettings). A task's user waits on these calls: every attempt has the
 * connection and request timeouts of `privatelink.aws`, and a call makes `privatelink.aws.interactiveMaxAttempts`
 * attempts unless a client asks for fewer.
 */
export function createAwsClientFactories(config: Config): AwsClientFactories {
  const settings = createAwsClientSettings({
    config,
    endpoint: config.getOptionalString('privatelink.endpoint'),
    interactive: true,
  });
  return {
    ec2: async (target, options) =>
      new EC2Client(await settings(target, options)),
    elb: async (target, options) =>
      new ElasticLoadBalancingV2Client(await settings(target, options)),
    route53: async (target, options) =>
      new Route53Client(await settings(target, options)),
  };
}
