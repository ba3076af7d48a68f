// Benchmark: the figure a user sees at organisation scale — from the start of a full sync until every entity
// is queryable from the catalog API — with the real catalog (its processing loop, stitching and search table)
// on SQLite or PostgreSQL, in a backend child process (bench/lib/catalogBackend.ts), reading a simulated EC2
// (bench/lib/ec2Simulator.ts, in its own child process). Prints its figures; asserts nothing.
//
//   node --require @backstage/cli/config/nodeTransform.cjs bench/catalog-scale.ts [options]
//
// Options: --services N (10000) --endpoints N (50000) --accounts N (50) --regions N (4) --latency MS (50)
// --database sqlite|postgres (sqlite; postgres takes the server of BACKSTAGE_TEST_DATABASE_POSTGRES*_CONNECTION_STRING,
// as scripts/postgres.sh starts it) --timeout-minutes N (30).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { mb, printTable, secs } from './lib/common.ts';
import { generateData, simAccounts, simRegions, startEc2SimulatorProcess } from './lib/ec2Simulator.ts';

const argOf = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const arg = (name: string, fallback: number) => (argOf(name) === undefined ? fallback : Number(argOf(name)));

const SERVICES = arg('services', 10000);
const ENDPOINTS = arg('endpoints', 50000);
const ACCOUNTS = simAccounts(arg('accounts', 50));
const REGIONS = simRegions(arg('regions', 4));
const LATENCY_MS = arg('latency', 50);
const DATABASE = argOf('database') === 'postgres' ? 'postgres' : 'sqlite';
const TIMEOUT_MS = arg('timeout-minutes', 30) * 60_000;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  await new Promise(r => server.close(r));
  return port;
}

function databaseConfig() {
  if (DATABASE === 'sqlite') return { client: 'better-sqlite3', connection: ':memory:' };
  const url = Object.entries(process.env).find(([k]) => /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(k))?.[1];
  if (!url) throw new Error('--database postgres needs a server: source scripts/postgres.sh; start_postgres');
  // A database name of its own per run, so that a second run starts empty.
  return { client: 'pg', connection: url, prefix: `bench_${Date.now()}_` };
}

/** VmHWM (peak resident set) of a process, from /proc. */
function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return kb * 1024;
}

async function main() {
  const started = performance.now();
  console.log('# Catalog at organisation scale — the sync into the real catalog, until every entity is queryable');
  console.log(
    `dataset: ${SERVICES} endpoint services over ${ACCOUNTS.length} accounts x ${REGIONS.length} regions, ${ENDPOINTS} consumer endpoints; ` +
      `simulated EC2 ${LATENCY_MS} ms per call; database ${DATABASE}; load average ${loadavg().map(l => l.toFixed(2)).join(', ')}`,
  );
  const data = generateData({ accounts: ACCOUNTS, regions: REGIONS, services: SERVICES, endpoints: ENDPOINTS });
  const sim = await startEc2SimulatorProcess({ accounts: ACCOUNTS, data, latencyMs: LATENCY_MS, bucket: { capacity: 100, perSecond: 20 } });
  const expected = SERVICES + ENDPOINTS;

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const token = randomBytes(24).toString('base64url');
  const dir = mkdtempSync(join(tmpdir(), 'privatelink-catalog-scale-'));
  const configPath = join(dir, 'app-config.bench.yaml');
  writeFileSync(
    configPath,
    JSON.stringify({
      app: { baseUrl: base },
      backend: {
        baseUrl: base,
        listen: { port, host: '127.0.0.1' },
        database: databaseConfig(),
        auth: { externalAccess: [{ type: 'static', options: { token, subject: 'bench' } }] },
      },
      catalog: { rules: [{ allow: ['Resource', 'Location'] }], locations: [] },
      // Every simulated account has its own static key: no STS.
      aws: { accounts: ACCOUNTS.map(a => ({ accountId: a.accountId, accessKeyId: a.accessKeyId, secretAccessKey: a.secretAccessKey })) },
      privatelink: {
        endpoint: sim.endpoint,
        regions: REGIONS,
        accounts: ACCOUNTS.map(a => ({ accountId: a.accountId, name: a.name })),
        sync: { schedule: { frequency: { hours: 6 }, timeout: { minutes: 30 }, initialDelay: { seconds: 1 } } },
      },
    }),
  );
  const logPath = join(dir, 'backend.log');
  const log = openSync(logPath, 'w');
  const child = spawn(
    process.execPath,
    [...process.execArgv, resolve('bench/lib/catalogBackend.ts'), '--config', configPath],
    {
      cwd: resolve('.'),
      stdio: ['ignore', log, log],
      env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'info', AWS_REGION: REGIONS[0], AWS_EC2_METADATA_DISABLED: 'true' },
    },
  );
  let exited = false;
  child.once('exit', () => (exited = true));
  const stop = () =>
    new Promise<void>(done => {
      if (exited) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });

  try {
    const count = async () => {
      const res = await fetch(`${base}/api/catalog/entities/by-query?filter=kind=resource&limit=1&fields=metadata.name`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (res.status !== 200) throw new Error(`catalog answered ${res.status}`);
      return ((await res.json()) as { totalItems: number }).totalItems;
    };
    const t0 = performance.now();
    for (;;) {
      if (exited) throw new Error(`the backend exited; see ${logPath}`);
      const ready = await fetch(`${base}/.backstage/health/v1/readiness`).then(r => r.ok, () => false);
      if (ready) break;
      if (performance.now() - t0 > 300_000) throw new Error('the backend did not get ready in 5 minutes');
      await new Promise(r => setTimeout(r, 250));
    }
    const ready = performance.now();
    console.log(`backend pid ${child.pid} ready after ${secs(ready - t0)} (its log: ${logPath}); the sync starts 1 s later`);

    const samples: Array<{ at: number; entities: number }> = [];
    let first: number | undefined;
    let all: number | undefined;
    while (all === undefined) {
      if (exited) throw new Error(`the backend exited; see ${logPath}`);
      if (performance.now() - ready > TIMEOUT_MS) throw new Error(`not every entity queryable within ${TIMEOUT_MS / 60_000} minutes`);
      const n = await count().catch(() => -1);
      const at = performance.now() - ready;
      samples.push({ at, entities: n });
      // Progress every 30 s, so that a run cut short still says how far the catalog got.
      if (samples.length % 30 === 0) console.log(`  … ${secs(at)}: ${n} of ${expected} entities queryable`);
      if (n > 0 && first === undefined) first = at;
      if (n >= expected) all = at;
      else await new Promise(r => setTimeout(r, 1000));
    }
    // The sync's own end, from its log line (JSON in production).
    const syncDone = readFileSync(logPath, 'utf8')
      .split('\n')
      .map(line => {
        try {
          return JSON.parse(line);
        } catch {
          return undefined;
        }
      })
      .find(l => l?.message === 'PrivateLink sync done');
    const rss = peakRss(child.pid!);
    const calls = [...(await sim.stats()).values()].reduce(
      (n, perTarget) => n + Object.values(perTarget).reduce((m, s) => m + s.requests, 0),
      0,
    );
    const every = (ms: number) => samples.filter((_, i) => i % Math.max(1, Math.round(ms / 1000)) === 0);
    console.log('\n== entities queryable (GET /api/catalog/entities/by-query totalItems), from the backend being ready');
    printTable(
      ['after', 'entities'],
      every(Math.max(1000, (all / 12) | 0)).map(s => [secs(s.at), s.entities]),
    );
    console.log('\n== summary');
    printTable(
      ['database', 'entities', 'sync (its log)', 'first queryable', 'all queryable', 'EC2 calls', 'backend peak RSS'],
      [[DATABASE, expected, syncDone ? secs(syncDone.durationMs) : '?', secs(first ?? 0), secs(all), calls, mb(rss)]],
    );
    console.log(`\nload average at the end: ${loadavg().map(l => l.toFixed(2)).join(', ')}; total ${secs(performance.now() - started)}`);
  } finally {
    await stop();
    await sim.close();
  }
}

main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  },
);
