// Benchmark: the PrivateLink page's data at organisation scale — GET /api/privatelink/v1/services/search with
// 10,000 endpoint services in the real catalog (SQLite, its processing loop and search table), on a real backend
// in a child process (bench/lib/searchBackend.ts: backend-defaults, the guest sign-in with a team, the permission
// backend with the app's policy, the PrivateLink plugin; the entities built by the sync's own builder, see
// bench/lib/searchData.ts). Measured in the same run against the page's former way of loading its data: every
// vpc-endpoint-service entity from the catalog at once (GET /api/catalog/entities?filter=…, what the frontend's
// catalogApi.getEntities sent). Prints calls, latency (p50/p99), bytes, backend CPU and memory, and the ratios
// to that baseline; asserts nothing.
//
//   node --require @backstage/cli/config/nodeTransform.cjs bench/page-search.ts [options]
//
// Options: --services N (10000) --endpoints N (1000) --requests N (100, per scenario and concurrency)
// --concurrency N (10, the second run of each scenario) --baseline-requests N (10) --timeout-minutes N (30)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { mb, printTable, secs } from './lib/common.ts';
import { BENCH_REGIONS, BENCH_TEAM, BENCH_USER, benchAccounts } from './lib/searchData.ts';

const argOf = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const arg = (name: string, fallback: number) => (argOf(name) === undefined ? fallback : Number(argOf(name)));

const SERVICES = arg('services', 10000);
const ENDPOINTS = arg('endpoints', 1000);
const REQUESTS = arg('requests', 100);
const CONCURRENCY = arg('concurrency', 10);
const BASELINE_REQUESTS = arg('baseline-requests', 10);
const TIMEOUT_MS = arg('timeout-minutes', 30) * 60_000;
const PAGE = 20;
const CLK_TCK = 100; // Linux USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  await new Promise(r => server.close(r));
  return port;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** GET with keep-alive, `Accept-Encoding: gzip` like a browser; the body is kept only when asked (JSON answers). */
function get(url: string, headers: Record<string, string>, keepBody = false) {
  return new Promise<{ status: number; bytes: number; body?: string }>((ok, fail) => {
    const req = http.get(url, { agent, headers: { 'Accept-Encoding': keepBody ? 'identity' : 'gzip', ...headers } }, res => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        if (keepBody) chunks.push(c);
      });
      res.on('end', () => ok({ status: res.statusCode ?? 0, bytes, body: keepBody ? Buffer.concat(chunks).toString('utf8') : undefined }));
      res.on('error', fail);
    });
    req.on('error', fail);
  });
}

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

type Result = {
  name: string;
  concurrency: number;
  latencies: number[];
  statuses: Map<number, number>;
  bytes: number;
  wallMs: number;
  serverCpuMs: number;
  /** Calls the backend received per request of the scenario, from its request log: to the catalog, to permissions. */
  catalogCalls: number;
  permissionCalls: number;
  rssAfter: number;
  hwmAfter: number;
};

async function main() {
  const started = performance.now();
  console.log(`# The PrivateLink page's search at organisation scale: ${SERVICES} services, ${ENDPOINTS} consumer endpoints`);
  console.log(`node ${process.version}, ${cpus().length} cores, load average ${loadavg().map(l => l.toFixed(2)).join(', ')}`);

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const token = randomBytes(24).toString('base64url');
  const dir = mkdtempSync(join(tmpdir(), 'privatelink-page-search-'));
  const configPath = join(dir, 'app-config.bench.yaml');
  writeFileSync(
    configPath,
    JSON.stringify({
      app: { baseUrl: base },
      backend: {
        baseUrl: base,
        listen: { port, host: '127.0.0.1' },
        database: { client: 'better-sqlite3', connection: ':memory:' },
        auth: { externalAccess: [{ type: 'static', options: { token, subject: 'bench' } }] },
      },
      auth: {
        environment: 'development',
        // The bench user is a member of one team, which owns one consumer account (see lib/searchData.ts).
        providers: { guest: { userEntityRef: BENCH_USER, ownershipEntityRefs: [BENCH_USER, BENCH_TEAM], dangerouslyAllowOutsideDevelopment: true } },
      },
      permission: { enabled: true },
      catalog: { rules: [{ allow: ['Resource', 'Location'] }], locations: [] },
      privatelink: { regions: BENCH_REGIONS, accounts: benchAccounts(), sync: { enabled: false } },
    }),
  );
  const logPath = join(dir, 'backend.log');
  const child = spawn(process.execPath, [...process.execArgv.filter(a => a !== '--expose-gc'), resolve('bench/lib/searchBackend.ts'), '--config', configPath], {
    cwd: resolve('.'),
    stdio: ['ignore', openSync(logPath, 'w'), openSync(join(dir, 'backend.err'), 'w')],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      PRIVATELINK_BENCH_SERVICES: String(SERVICES),
      PRIVATELINK_BENCH_ENDPOINTS: String(ENDPOINTS),
    },
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  const stop = () =>
    new Promise<void>(done => {
      if (exited) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  process.on('SIGINT', () => void stop().then(() => process.exit(130)));
  const pid = child.pid!;

  // Polling a server whose timing we do not control; never in the measured scenarios.
  const pause = (msToWait: number) => new Promise(r => setTimeout(r, msToWait));

  /** The request log lines since `from` (JSON, one per request, written when the response finished). */
  const logLines = () =>
    readFileSync(logPath, 'utf8')
      .split('\n')
      .map(line => {
        try {
          return JSON.parse(line) as { type?: string; url?: string; message?: string };
        } catch {
          return undefined;
        }
      })
      .filter(Boolean) as Array<{ type?: string; url?: string; message?: string }>;

  /** Sends a marker request and waits for its log line: every request before it has been logged. */
  let marks = 0;
  async function mark() {
    marks += 1;
    const url = `/api/privatelink/health?mark=${marks}`;
    await get(`${base}${url}`, {});
    for (;;) {
      const lines = logLines();
      const at = lines.findIndex(l => l.type === 'incomingRequest' && l.url === url);
      if (at >= 0) return at;
      await pause(50);
    }
  }

  try {
    const t0 = performance.now();
    for (;;) {
      if (exited) throw new Error(`the backend exited; see ${logPath} and ${join(dir, 'backend.err')}`);
      if (await fetch(`${base}/.backstage/health/v1/readiness`).then(r => r.ok, () => false)) break;
      if (performance.now() - t0 > 300_000) throw new Error('the backend did not get ready in 5 minutes');
      await pause(250);
    }
    console.log(`backend pid ${pid} ready after ${secs(performance.now() - t0)}; its log: ${logPath}`);

    // Until the catalog has processed and stitched every generated entity (counted as the service token sees them).
    const expected = SERVICES + ENDPOINTS;
    const t1 = performance.now();
    for (let polls = 0; ; polls += 1) {
      if (exited) throw new Error(`the backend exited; see ${logPath}`);
      if (performance.now() - t1 > TIMEOUT_MS) throw new Error(`not every entity queryable within ${TIMEOUT_MS / 60_000} minutes`);
      const r = await get(`${base}/api/catalog/entities/by-query?filter=kind=resource&limit=1&fields=metadata.name`, { authorization: `Bearer ${token}` }, true);
      const n = r.status === 200 ? (JSON.parse(r.body!) as { totalItems: number }).totalItems : -1;
      if (n >= expected) break;
      if (polls % 30 === 0) console.log(`  … ${secs(performance.now() - t1)}: ${n} of ${expected} entities queryable`);
      await pause(1000);
    }
    const memLoaded = memoryOf(pid);
    console.log(`${expected} entities queryable ${secs(performance.now() - t1)} later; backend RSS ${mb(memLoaded.rss)}`);

    const session = await get(`${base}/api/auth/guest/refresh`, { 'X-Requested-With': 'XMLHttpRequest' }, true);
    const userToken = JSON.parse(session.body!).backstageIdentity?.token as string;
    if (!userToken) throw new Error(`no guest token: HTTP ${session.status} ${session.body?.slice(0, 300)}`);
    const user = { authorization: `Bearer ${userToken}`, Accept: 'application/json' };
    const search = (query: string) => `${base}/api/privatelink/v1/services/search${query}`;
    const page = async (url: string) => JSON.parse((await get(url, user, true)).body!) as { items: unknown[]; totalItems: number; nextCursor?: string; scanned?: number };

    // The cursors of page 2, 50 and the last, by walking every page as a user paging through would.
    const t2 = performance.now();
    const cursors: string[] = [];
    let first = await page(search(`?limit=${PAGE}`));
    const totalItems = first.totalItems;
    while (first.nextCursor) {
      cursors.push(first.nextCursor);
      first = await page(search(`?cursor=${first.nextCursor}&limit=${PAGE}`));
    }
    const walkMs = performance.now() - t2;
    console.log(`walked all ${cursors.length + 1} pages of ${PAGE} (${totalItems} services) one after another in ${secs(walkMs)}`);
    const connectableFirst = await page(search(`?access=connectable&limit=${PAGE}`));
    console.log(`"I can connect", first page: ${connectableFirst.items.length} services after reading ${connectableFirst.scanned}`);

    const results: Result[] = [];
    async function measure(name: string, url: string, requests: number, concurrency: number) {
      for (let i = 0; i < Math.min(5, requests); i += 1) await get(url, user); // warm-up
      const from = await mark();
      const cpu0 = cpuMsOf(pid);
      const latencies: number[] = [];
      const statuses = new Map<number, number>();
      let bytes = 0;
      let next = 0;
      const t = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < requests) {
            next += 1;
            const s = performance.now();
            const r = await get(url, user);
            latencies.push(performance.now() - s);
            bytes += r.bytes;
            statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          }
        }),
      );
      const wallMs = performance.now() - t;
      const serverCpuMs = cpuMsOf(pid) - cpu0;
      const to = await mark();
      const between = logLines().slice(from + 1, to).filter(l => l.type === 'incomingRequest');
      const count = (prefix: string) => between.filter(l => l.url?.startsWith(prefix)).length / requests;
      const mem = memoryOf(pid);
      const r: Result = {
        name,
        concurrency,
        latencies: latencies.sort((a, b) => a - b),
        statuses,
        bytes,
        wallMs,
        serverCpuMs,
        catalogCalls: count('/api/catalog/'),
        permissionCalls: count('/api/permission/'),
        rssAfter: mem.rss,
        hwmAfter: mem.hwm,
      };
      results.push(r);
      console.log(`  ${name}, ${concurrency} at once: ${requests} requests, p50 ${ms(quantile(r.latencies, 0.5))}, p99 ${ms(quantile(r.latencies, 0.99))}`);
    }

    const BASELINE = 'baseline: every service from the catalog (the former page)';
    // Page n is read with the cursor of page n - 1; pages a small run does not have are left out.
    const pageAt = (n: number): Array<[string, string]> =>
      cursors[n - 2] ? [[`search, page ${n} (cursor)`, search(`?cursor=${cursors[n - 2]}&limit=${PAGE}`)]] : [];
    const scenarios: Array<[string, string]> = [
      ['floor: /v1/settings', `${base}/api/privatelink/v1/settings`],
      ['search, first page', search(`?limit=${PAGE}`)],
      ...pageAt(2),
      ...pageAt(50),
      ...(cursors.length + 1 > 50 ? pageAt(cursors.length + 1) : []),
      ['search, words (q=svc-042: 100 matches)', search(`?q=svc-042&limit=${PAGE}`)],
      ['search, owner filter (200 matches)', search(`?owner=${encodeURIComponent('group:default/team-13')}&limit=${PAGE}`)],
      ['search, "I can connect", first page', search(`?access=connectable&limit=${PAGE}`)],
    ];
    console.log('\n== scenarios');
    const baselineUrl = `${base}/api/catalog/entities?filter=${encodeURIComponent('kind=Resource,spec.type=vpc-endpoint-service')}`;
    await measure(BASELINE, baselineUrl, BASELINE_REQUESTS, 1);
    for (const [name, url] of scenarios) await measure(name, url, REQUESTS, 1);
    for (const [name, url] of scenarios.slice(1)) await measure(name, url, REQUESTS, CONCURRENCY);
    await measure(BASELINE, baselineUrl, BASELINE_REQUESTS, Math.min(CONCURRENCY, BASELINE_REQUESTS));

    console.log('\n== results (latency from request sent to last byte received, on loopback; gzip)');
    printTable(
      ['scenario', 'at once', 'requests', 'p50', 'p99', 'max', 'req/s', 'statuses', 'bytes/resp', 'catalog calls/req', 'permission calls/req', 'backend CPU/req', 'backend RSS after'],
      results.map(r => [
        r.name,
        r.concurrency,
        r.latencies.length,
        ms(quantile(r.latencies, 0.5)),
        ms(quantile(r.latencies, 0.99)),
        ms(r.latencies[r.latencies.length - 1]),
        (r.latencies.length / (r.wallMs / 1000)).toFixed(1),
        [...r.statuses].map(([s, n]) => `${s}x${n}`).join(' '),
        (r.bytes / Math.max(1, r.latencies.length)).toFixed(0),
        r.catalogCalls.toFixed(1),
        r.permissionCalls.toFixed(1),
        `${(r.serverCpuMs / Math.max(1, r.latencies.length)).toFixed(1)} ms`,
        mb(r.rssAfter),
      ]),
    );
    console.log('\n== ratio to the baseline (every service from the catalog) at the same concurrency');
    printTable(
      ['scenario', 'p50 at 1', 'ratio', 'p99 at 1', 'ratio', `p99 at ${CONCURRENCY}`, 'ratio', 'bytes ratio'],
      scenarios.slice(1).map(([name]) => {
        const at = (n: string, c: number) => results.find(r => r.name === n && r.concurrency === c)!;
        const [one, many, b1, bn] = [at(name, 1), at(name, CONCURRENCY), at(BASELINE, 1), at(BASELINE, Math.min(CONCURRENCY, BASELINE_REQUESTS))];
        const q = (r: Result, p: number) => quantile(r.latencies, p);
        return [
          name,
          ms(q(one, 0.5)),
          `${(q(one, 0.5) / q(b1, 0.5)).toFixed(3)}x`,
          ms(q(one, 0.99)),
          `${(q(one, 0.99) / q(b1, 0.99)).toFixed(3)}x`,
          ms(q(many, 0.99)),
          `${(q(many, 0.99) / q(bn, 0.99)).toFixed(3)}x`,
          `${(one.bytes / one.latencies.length / (b1.bytes / b1.latencies.length)).toFixed(4)}x`,
        ];
      }),
    );
    const mem = memoryOf(pid);
    console.log(
      `\n  backend RSS with the catalog loaded ${mb(memLoaded.rss)}, at the end ${mb(mem.rss)}, peak ${mb(mem.hwm)}; bench process peak ${mb(process.resourceUsage().maxRSS * 1024)}`,
    );
    console.log(`  load average at the end: ${loadavg().map(l => l.toFixed(2)).join(', ')}; total ${secs(performance.now() - started)}`);
  } finally {
    agent.destroy();
    await stop();
  }
}

main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  },
);
