import {
  CreateVpcCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { isMotoInstalled, resetMoto, startMoto } from './moto.ts';
import type { MotoServer } from './moto.ts';
import { MOTO_CREDENTIALS } from './seed.ts';

describe('startMoto', () => {
  let moto: MotoServer;

  beforeAll(async () => {
    moto = await startMoto();
  }, 60_000);

  afterAll(async () => {
    await moto?.stop();
  }, 30_000);

  it('reports that moto_server is installed', async () => {
    await expect(isMotoInstalled()).resolves.toBe(true);
    await expect(isMotoInstalled('definitely-not-moto-server')).resolves.toBe(
      false,
    );
  }, 30_000);

  it('listens on loopback and answers AWS API calls; reset wipes its state', async () => {
    expect(moto.endpoint).toBe(`http://127.0.0.1:${moto.port}`);
    const ec2 = new EC2Client({
      endpoint: moto.endpoint,
      region: 'us-east-1',
      credentials: MOTO_CREDENTIALS,
    });
    try {
      const created = await ec2.send(
        new CreateVpcCommand({ CidrBlock: '10.42.0.0/16' }),
      );
      const vpcId = created.Vpc!.VpcId!;
      const before = await ec2.send(new DescribeVpcsCommand({}));
      expect(before.Vpcs!.map(v => v.VpcId)).toContain(vpcId);

      await resetMoto(moto.endpoint);

      const after = await ec2.send(new DescribeVpcsCommand({}));
      expect(after.Vpcs!.map(v => v.VpcId)).not.toContain(vpcId);
    } finally {
      ec2.destroy();
    }
  }, 30_000);

  it('refuses a port that is already taken', async () => {
    await expect(startMoto({ port: moto.port })).rejects.toThrow(/EADDRINUSE/);
  });

  it('explains how to install moto when the command is missing', async () => {
    await expect(
      startMoto({ command: 'definitely-not-moto-server' }),
    ).rejects.toThrow('pip install "moto[server]"');
  });

  it('reports an early exit with the stderr tail', async () => {
    // python3 rejects moto_server's arguments and exits at once.
    await expect(startMoto({ command: 'python3' })).rejects.toThrow(
      /exited before it was ready[\s\S]*stderr/,
    );
  }, 30_000);
});

describe('MotoServer.stop', () => {
  it('stops the process, is idempotent, and frees the port', async () => {
    const moto = await startMoto();
    await moto.stop();
    await moto.stop();
    const exit = await moto.exited;
    expect(exit.code === 0 || exit.signal !== null).toBe(true);
    // The process is gone.
    expect(() => process.kill(moto.pid!, 0)).toThrow(/ESRCH/);
    // The port can be bound again.
    const server: Server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(moto.port, '127.0.0.1', () => resolve());
    });
    await new Promise<void>(resolve => server.close(() => resolve()));
  }, 60_000);
});
