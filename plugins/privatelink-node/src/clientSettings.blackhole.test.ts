/**
 * A black-holed endpoint: a loopback TCP server that accepts every connection, reads what it is sent and never
 * answers. Without timeouts an AWS call to it would hang for ever; with them it fails within its attempts.
 */
import { DescribeVpcEndpointServicePermissionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ConfigReader } from '@backstage/config';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createAwsClientSettings, createEc2ClientFactory } from './clientSettings';

/** Static credentials: nothing is asked of STS or an instance metadata service. */
const credentialsManager: AwsCredentialsManager = {
  getCredentialProvider: async () => ({
    sdkCredentialProvider: async () => ({ accessKeyId: 'AKIDBLACKHOLE', secretAccessKey: 'secret' }),
  }),
};
const target = { accountId: '123456789012', region: 'us-east-1' };
const command = () => new DescribeVpcEndpointServicePermissionsCommand({ ServiceId: 'vpce-svc-0123456789abcdef0' });

let server: Server;
let endpoint: string;
const sockets = new Set<Socket>();
/** Resolvers waiting for the next connection the server accepts. */
const waiting: Array<() => void> = [];
const nextConnection = () => new Promise<void>(resolve => waiting.push(resolve));

beforeAll(async () => {
  server = createServer(socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // Read the request so that the client's write completes, and never answer.
    socket.on('data', () => {});
    waiting.splice(0).forEach(resolve => resolve());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>(resolve => server.close(() => resolve()));
});

describe('an AWS call to a black-holed endpoint', () => {
  it('fails with a timeout within its attempts instead of hanging', async () => {
    const ec2 = await createEc2ClientFactory({
      config: new ConfigReader({
        privatelink: { endpoint, aws: { connectionTimeoutMs: 500, requestTimeoutMs: 500, interactiveMaxAttempts: 2 } },
      }),
      endpoint,
      credentialsManager,
    })(target);
    try {
      const started = performance.now();
      const error = await ec2.send(command()).then(
        () => undefined,
        (e: unknown) => e as Error & { $metadata?: { attempts?: number } },
      );
      const elapsedMs = performance.now() - started;

      expect(error).toBeDefined();
      expect(error!.name).toBe('TimeoutError');
      expect(error!.message).toContain('500 ms requestTimeout');
      // Both attempts were made, each cut off by its request timeout.
      expect(error!.$metadata?.attempts).toBe(2);
      // A bound that only a hang (or a missing timeout) breaks; the figure itself is printed for the record.
      expect(elapsedMs).toBeLessThan(10_000);
      process.stderr.write(
        `black-holed DescribeVpcEndpointServicePermissions: ${error!.name} after ${Math.round(elapsedMs)} ms (2 attempts of 500 ms)\n`,
      );
    } finally {
      ec2.destroy();
    }
  });

  it("stops at once when the caller's abort signal fires", async () => {
    // The sync's settings: MAX_ATTEMPTS attempts and the default 20 s request timeout, which the abort cuts short.
    const settings = await createAwsClientSettings({ config: new ConfigReader({}), endpoint, credentialsManager })(target);
    const ec2 = new EC2Client(settings);
    try {
      const controller = new AbortController();
      const connected = nextConnection();
      const started = performance.now();
      const call = ec2.send(command(), { abortSignal: controller.signal }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      await connected;
      controller.abort();
      const error = await call;
      const elapsedMs = performance.now() - started;

      expect(error).toBeDefined();
      expect(error!.name).toBe('AbortError');
      // Far below one request timeout (20 s), let alone MAX_ATTEMPTS of them: the attempt was cut off, not retried.
      expect(elapsedMs).toBeLessThan(5_000);
    } finally {
      ec2.destroy();
    }
  });
});
