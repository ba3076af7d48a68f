import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { Route53Client } from '@aws-sdk/client-route-53';
import { ClientOptions, ClientTarget } from '../aws';

/**
 * Client factories for unit tests: real SDK clients whose `send` aws-sdk-client-mock replaces. The jest.fn
 * wrappers record which account, region and options each client was asked for.
 */
export function mockClientFactories() {
  const settings = {
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  return {
    ec2: jest.fn(
      async (_target: ClientTarget, _options?: ClientOptions) =>
        new EC2Client(settings),
    ),
    elb: jest.fn(
      async (_target: ClientTarget, _options?: ClientOptions) =>
        new ElasticLoadBalancingV2Client(settings),
    ),
    route53: jest.fn(
      async (_target: ClientTarget, _options?: ClientOptions) =>
        new Route53Client(settings),
    ),
  };
}

/** An AWS service error as the SDK throws it. */
export function awsError(name: string, status: number, message = name) {
  return Object.assign(new Error(message), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });
}

/** A lost response: the connection was reset after the request was sent. */
export function lostResponse() {
  return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
}

export const DEFAULT_TAG_KEYS = {
  owner: 'backstage:owner',
  system: 'backstage:system',
  component: 'backstage:component',
  name: 'backstage:name',
};

/** A state as EC2 sends it (lowerCamel); the SDK's enum types spell it in PascalCase. */
export const wire = <T = any>(state: string): T => state as unknown as T;
