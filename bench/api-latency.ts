// Benchmark: latency of the entity card's data endpoint, GET /api/privatelink/v1/services, on a real backend
// (bench/lib/apiBackend.ts in a child process: backend-defaults, the real catalog on SQLite, guest sign-in, the
// app's permission policy, the PrivateLink plugin and its catalog module syncing from moto) with one endpoint
// service that has 500 consumers, under 200 concurrent requests on loopback. Measured against, in the same run
// and on the same server: the product's catalog reader without the cache (every cache miss) and a variant that
// asks AWS (moto) on every request. Prints its figures; asserts nothing.
//
//   node --require @backstage/cli/config/nodeTransform.cjs bench/api-latency.ts [options]
//
// Options: --consumers N (500) --concurrency N (200) --seconds N (10, per closed-loop scenario)
// --service NAME (central-logging, a service of the demo org) --consumer REF (component:default/payments-api, whose
// consumer card's data, GET /v1/consumers, is measured too) --bursts N (20)
// --no-live --no-uncached --backend-node-options "--cpu-prof --cpu-prof-dir=/tmp/prof" (extra node flags of the
// backend process, e.g. to profile it)
import { spawn } from 'node:child_process';
import { openSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CreateVpcEndpointCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DEMO_ASSUME_ROLE_NAME, MOTO_CREDENTIALS, seedDemoOrg, startMoto } from '@privatelink-backstage/dev-aws';
import { limiter, pass, printTable, secs } from './lib/common.ts';
import { credentialsFor, tagList } from './lib/moto.ts';

const argOf = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const arg = (name: string, fallback: number) => (argOf(name) === undefined ? fallback : Number(argOf(name)));
const flag = (name: string) => process.argv.includes(`--${name}`);

const CONSUMERS = arg('consumers', 500);
const CONCURRENCY = arg('concurrency', 200);
const SECONDS = arg('seconds', 10);
const BURSTS = arg('bursts', 20);
const SERVICE = argOf('service') ?? 'central-logging';
/** The component whose consumer card is measured: the demo's payments-api reaches three services privately. */
const CONSUMER_REF = argOf('consumer') ?? 'component:default/payments-api';
const TARGET_P99_MS = 25;
const CLK_TCK = 100; // Linux USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s

type Result = {
  name: string;
  concurrency: number;
  latencies: number[];
  wallMs: number;
  statuses: Map<number, number>;
  bytes: number;
  serverCpuMs: number;
  clientCpuMs: number;
  rssAfter?: number;
};

const freePort = () =>
  new Promise<number>((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });

function get(url: string, agent: http.Agent, headers: Record<string, string>) {
  return new Promise<{ status: number; bytes: number; body?: Buffer }>((ok, fail) => {
    const req = http.get(url, { agent, headers }, res => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        if (headers['Accept-Encoding'] === 'identity') chunks.push(c);
      });
      res.on('end', () => ok({ status: res.statusCode ?? 0, bytes, body: Buffer.concat(chunks) }));
      res.on('error', fail);
    });
    req.on('error', fail);
  });
}

/** CPU time (user + system) of a process so far, from /proc. */
function cpuMsOf(pid: number) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

function memoryOf(pid: number) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

const quantile = (sorted: number[], q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN;
const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : '-');

/** A closed loop: `concurrency` clients, each sending its next request when its last one is answered. */
async function closedLoop(
  name: string,
  url: string,
  headers: Record<string, string>,
  pid: number,
  options: { concurrency: number; seconds: number; warmupSeconds: number },
): Promise<Result> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const run = async (seconds: number, record: boolean) => {
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    let bytes = 0;
    const end = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (performance.now() < end) {
          const t0 = performance.now();
          let status = 0;
          try {
            const r = await get(url, agent, headers);
            status = r.status;
            bytes += r.bytes;
          } catch {
            status = -1;
          }
          if (!record) continue;
          latencies.push(performance.now() - t0);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      }),
    );
    return { latencies, statuses, bytes };
  };
  await run(options.warmupSeconds, false);
  const cpu0 = cpuMsOf(pid);
  const client0 = process.cpuUsage();
  const t0 = performance.now();
  const { latencies, statuses, bytes } = await run(options.seconds, true);
  const wallMs = performance.now() - t0;
  const client = process.cpuUsage(client0);
  agent.destroy();
  return {
    name,
    concurrency: options.concurrency,
    latencies: latencies.sort((a, b) => a - b),
    wallMs,
    statuses,
    bytes,
    serverCpuMs: cpuMsOf(pid) - cpu0,
    clientCpuMs: (client.user + client.system) / 1000,
  };
}

/** `rounds` times: `concurrency` requests sent at once, the next round when all are answered. */
async function bursts(name: string, url: string, headers: Record<string, string>, pid: number, rounds: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let bytes = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, () => get(url, agent, headers))); // open the sockets
  const cpu0 = cpuMsOf(pid);
  const client0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < rounds; i += 1) {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        const s = performance.now();
        const r = await get(url, agent, headers);
        latencies.push(performance.now() - s);
        bytes += r.bytes;
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      }),
    );
  }
  const client = process.cpuUsage(client0);
  agent.destroy();
  return {
    name,
    concurrency: CONCURRENCY,
    latencies: latencies.sort((a, b) => a - b),
    wallMs: performance.now() - t0,
    statuses,
    bytes,
    serverCpuMs: cpuMsOf(pid) - cpu0,
    clientCpuMs: (client.user + client.system) / 1000,
  };
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, exited: () => boolean) {
  const deadline = performance.now() + timeoutMs;
  let last: unknown;
  while (performance.now() < deadline) {
    if (exited()) throw new Error(`the backend exited while waiting for ${what}`);
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    await new Promise(r => setTimeout(r, 500)); // polling a server we do not control the timing of
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

async function main() {
  const started = performance.now();
  console.log(`== API latency of the card's data: ${CONSUMERS} consumers, ${CONCURRENCY} concurrent requests`);
  console.log(`   node ${process.version}, ${cpus().length} cores, load average ${loadavg().map(l => l.toFixed(2)).join(', ')}`);

  // 1. moto with the demo org, and CONSUMERS more endpoints to one of its services.
  const moto = await startMoto();
  const cleanups: Array<() => Promise<void> | void> = [() => moto.stop()];
  const stopAll = async () => {
    for (const c of cleanups.reverse()) await c();
  };
  process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));
  try {
    const t0 = performance.now();
    const seed = await seedDemoOrg({ endpoint: moto.endpoint });
    const service = seed.services.find(s => s.name === SERVICE);
    if (!service) throw new Error(`no service ${SERVICE} in the demo org`);
    const consumers = seed.accounts.filter(a => a.role === 'consumer');
    const clients = await Promise.all(
      consumers.map(
        async a =>
          new EC2Client({
            endpoint: moto.endpoint,
            region: seed.region,
            credentials: await credentialsFor(moto.endpoint, a.accountId, DEMO_ASSUME_ROLE_NAME),
          }),
      ),
    );
    const limit = limiter(8);
    await Promise.all(
      Array.from({ length: CONSUMERS }, (_, i) =>
        limit(async () => {
          const account = consumers[i % consumers.length];
          await clients[i % consumers.length].send(
            new CreateVpcEndpointCommand({
              VpcEndpointType: 'Interface',
              VpcId: account.vpcId,
              ServiceName: service.serviceName,
              SubnetIds: [account.subnetIds[i % account.subnetIds.length]],
              SecurityGroupIds: [account.securityGroupId],
              PrivateDnsEnabled: false,
              TagSpecifications: [
                { ResourceType: 'vpc-endpoint', Tags: tagList({ Name: `bench-consumer-${String(i).padStart(3, '0')}` }) },
              ],
            }),
          );
        }),
      ),
    );
    clients.forEach(c => c.destroy());
    console.log(`   moto ${moto.endpoint}: demo org + ${CONSUMERS} endpoints to ${service.serviceName} in ${secs(performance.now() - t0)}`);

    // 2. The backend, as a child process with the app's config and a few overrides.
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const dir = mkdtempSync(join(tmpdir(), 'privatelink-api-bench-'));
    const configPath = join(dir, 'app-config.bench.yaml');
    writeFileSync(
      configPath,
      JSON.stringify({
        backend: {
          baseUrl: base,
          listen: { port, host: '127.0.0.1' },
          database: { client: 'better-sqlite3', connection: ':memory:' },
        },
        privatelink: {
          endpoint: moto.endpoint,
          sync: {
            enabled: true,
            schedule: { frequency: { minutes: 30 }, timeout: { minutes: 5 }, initialDelay: { seconds: 1 } },
          },
        },
      }),
    );
    const logPath = join(dir, 'backend.log');
    const log = openSync(logPath, 'w');
    const child = spawn(
      process.execPath,
      [
        ...process.execArgv.filter(a => a !== '--expose-gc'),
        ...(argOf('backend-node-options')?.split(' ').filter(Boolean) ?? []),
        resolve('bench/lib/apiBackend.ts'),
        '--config',
        resolve('app-config.yaml'),
        '--config',
        configPath,
      ],
      {
        cwd: resolve('packages/backend'),
        stdio: ['ignore', log, log],
        env: {
          ...process.env,
          NODE_ENV: 'development',
          AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
          AWS_REGION: seed.region,
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_ENDPOINT_URL: moto.endpoint,
        },
      },
    );
    let exited = false;
    child.once('exit', () => (exited = true));
    cleanups.push(
      () =>
        new Promise<void>(done => {
          if (exited) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
        }),
    );
    const pid = child.pid!;
    const t1 = performance.now();
    const plain = new http.Agent({ keepAlive: true });
    await waitFor('the backend', 300_000, async () => ((await get(`${base}/api/privatelink/health`, plain, {})).status === 200 ? true : undefined), () => exited);
    console.log(`   backend pid ${pid} on ${base}, answering after ${secs(performance.now() - t1)}; its log: ${logPath}`);

    // 3. A guest session, as the app's sign-in page gets one.
    const session = await get(`${base}/api/auth/guest/refresh`, plain, {
      'X-Requested-With': 'XMLHttpRequest',
      'Accept-Encoding': 'identity',
    });
    const token = JSON.parse(session.body!.toString('utf8')).backstageIdentity?.token as string;
    if (!token) throw new Error(`no guest token: HTTP ${session.status} ${session.body?.toString('utf8').slice(0, 200)}`);
    const auth = { Authorization: `Bearer ${token}` };
    const entityRef = `resource:default/${SERVICE}`;
    const q = `entityRef=${encodeURIComponent(entityRef)}`;

    // 4. Until the sync has brought every consumer into the catalog (read without the cache).
    const t2 = performance.now();
    const expected = CONSUMERS + seed.endpoints.filter(e => e.service === SERVICE).length;
    const details = await waitFor(
      `${expected} consumers in the catalog`,
      900_000,
      async () => {
        const r = await get(`${base}/api/privatelink-bench/v1/uncached?${q}`, plain, { ...auth, 'Accept-Encoding': 'identity' });
        if (r.status !== 200) return undefined;
        const body = JSON.parse(r.body!.toString('utf8'));
        return body.consumers.length >= expected ? body : undefined;
      },
      () => exited,
    );
    plain.destroy();
    const json = Buffer.from(JSON.stringify(details));
    console.log(
      `   ${details.consumers.length} consumers of ${entityRef} in the catalog ${secs(performance.now() - t2)} later; answer ${(json.length / 1024).toFixed(0)} KiB of JSON`,
    );
    const memAfterSync = memoryOf(pid);

    // 5. The scenarios, one after another, each after its own warm-up.
    const browser = { ...auth, Accept: 'application/json', 'Accept-Encoding': 'gzip, deflate, br' };
    const loop = { concurrency: CONCURRENCY, seconds: SECONDS, warmupSeconds: 2 };
    const results: Result[] = [];
    const say = (r: Result) => {
      r.rssAfter = memoryOf(pid).rss;
      results.push(r);
      console.log(`   ${r.name}, ${r.concurrency} concurrent: ${r.latencies.length} requests, p99 ${ms(quantile(r.latencies, 0.99))}`);
    };
    const product = `${base}/api/privatelink/v1/services?${q}`;
    // The floor: what any request costs in this backend before the plugin does anything (root router middleware:
    // helmet, CORS, compression, request logging; then the plugin router's auth barrier), without and with a
    // user token to verify.
    say(await closedLoop(`floor: /health (no token)`, `${base}/api/privatelink/health`, { 'Accept-Encoding': 'gzip, deflate, br' }, pid, loop));
    say(await closedLoop(`floor: /v1/settings (token, 0.3 KiB)`, `${base}/api/privatelink/v1/settings`, browser, pid, loop));
    // The product at rising concurrency: where its p99 crosses the target.
    for (const concurrency of [1, 10, 25, 50, 100].filter(c => c < CONCURRENCY)) {
      say(await closedLoop('product (cached)', product, browser, pid, { concurrency, seconds: 5, warmupSeconds: 1 }));
    }
    say(await closedLoop('product (cached)', product, browser, pid, loop));
    say(await bursts(`product (cached), ${BURSTS} bursts of ${CONCURRENCY} at once`, product, browser, pid, BURSTS));
    say(await closedLoop('product, revalidating (304)', product, { ...browser, 'If-None-Match': await etagOf(product, browser) }, pid, loop));
    // The consumer card's data: a component's endpoints with the DNS name to use, from the synced catalog.
    const consumerCard = `${base}/api/privatelink/v1/consumers?entityRef=${encodeURIComponent(CONSUMER_REF)}`;
    say(await closedLoop('consumer card (/v1/consumers)', consumerCard, browser, pid, { concurrency: 1, seconds: 5, warmupSeconds: 1 }));
    say(await closedLoop('consumer card (/v1/consumers)', consumerCard, browser, pid, loop));
    if (!flag('no-uncached')) {
      const consumersUncached = `${base}/api/privatelink-bench/v1/consumers-uncached?entityRef=${encodeURIComponent(CONSUMER_REF)}`;
      say(await closedLoop('consumer card, no cache', consumersUncached, browser, pid, { concurrency: 1, seconds: 5, warmupSeconds: 1 }));
      say(await closedLoop('consumer card, no cache', consumersUncached, browser, pid, loop));
    }
    if (!flag('no-uncached')) {
      const uncached = `${base}/api/privatelink-bench/v1/uncached?${q}`;
      say(await closedLoop('no cache (catalog read per request)', uncached, browser, pid, { concurrency: 1, seconds: 5, warmupSeconds: 1 }));
      say(await closedLoop('no cache (catalog read per request)', uncached, browser, pid, { ...loop, seconds: Math.max(SECONDS, 15) }));
    }
    if (!flag('no-live')) {
      const live = `${base}/api/privatelink-bench/v1/live?${q}`;
      say(await closedLoop('asking moto per request', live, browser, pid, { concurrency: 1, seconds: 5, warmupSeconds: 1 }));
      // Slow enough that one request per client is the whole run: 200 sent at once.
      say(await bursts('asking moto per request, once', live, browser, pid, 1));
    }
    const mem = memoryOf(pid);

    // 6. Figures.
    console.log('\n== results (latency from request sent to last byte received, on loopback)');
    printTable(
      ['scenario', 'clients', 'requests', 'req/s', 'p50', 'p90', 'p99', 'max', 'statuses', 'bytes/resp', 'server CPU/req', 'client CPU/req', 'server RSS after'],
      results.map(r => [
        r.name,
        r.concurrency,
        r.latencies.length,
        (r.latencies.length / (r.wallMs / 1000)).toFixed(0),
        ms(quantile(r.latencies, 0.5)),
        ms(quantile(r.latencies, 0.9)),
        ms(quantile(r.latencies, 0.99)),
        ms(r.latencies[r.latencies.length - 1]),
        [...r.statuses].map(([s, n]) => `${s}×${n}`).join(' '),
        (r.bytes / Math.max(1, r.latencies.length)).toFixed(0),
        `${(r.serverCpuMs / Math.max(1, r.latencies.length)).toFixed(2)} ms`,
        `${(r.clientCpuMs / Math.max(1, r.latencies.length)).toFixed(2)} ms`,
        `${((r.rssAfter ?? 0) / 1048576).toFixed(0)} MB`,
      ]),
    );
    const p99 = (prefix: string, concurrency: number) =>
      quantile(results.find(r => r.name.startsWith(prefix) && r.concurrency === concurrency)?.latencies ?? [], 0.99);
    const cached = p99('product (cached)', CONCURRENCY);
    console.log('\n== ratios of p99 to the product (cached) at the same concurrency');
    printTable(
      ['variant', `p99 at 1`, 'ratio', `p99 at ${CONCURRENCY}`, 'ratio'],
      ['product (cached)', 'consumer card (', 'consumer card, no cache', 'no cache', 'asking moto'].flatMap(prefix => {
        const [one, many] = [p99(prefix, 1), p99(prefix, CONCURRENCY)];
        if (!Number.isFinite(many)) return [];
        const [base1, baseN] = [p99('product (cached)', 1), cached];
        return [[prefix, ms(one), `${(one / base1).toFixed(1)}x`, ms(many), `${(many / baseN).toFixed(1)}x`]];
      }),
    );
    console.log('\n== target');
    printTable(
      ['target', 'measured', 'verdict'],
      [[`p99 < ${TARGET_P99_MS} ms at ${CONCURRENCY} concurrent, ${CONSUMERS} consumers`, ms(cached), pass(cached < TARGET_P99_MS)]],
    );
    console.log(
      `\n  backend RSS after the sync ${(memAfterSync.rss / 1048576).toFixed(0)} MB, at the end ${(mem.rss / 1048576).toFixed(0)} MB, peak ${(mem.hwm / 1048576).toFixed(0)} MB`,
    );
    console.log(`  load average at the end: ${loadavg().map(l => l.toFixed(2)).join(', ')} (2 cores: the backend and this load generator share them)`);
    console.log(`  total benchmark time ${secs(performance.now() - started)}`);
  } finally {
    await stopAll();
  }
}

async function etagOf(url: string, headers: Record<string, string>) {
  const agent = new http.Agent();
  const etag = await new Promise<string>((ok, fail) => {
    http.get(url, { agent, headers }, res => {
      res.resume();
      res.on('end', () => ok(String(res.headers.etag)));
    }).on('error', fail);
  });
  agent.destroy();
  return etag;
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
