// Benchmark: the real PrivateLinkEntityProvider.refresh() against an in-process simulated EC2 (bench/lib/
// ec2Simulator.ts) with EC2's Describe* token bucket, 50 ms per call, 1,000 endpoint services across
// 3 accounts × 2 regions and 5,000 consumer endpoints. Prints its figures; asserts nothing.
//
//   node --expose-gc --require @backstage/cli/config/nodeTransform.cjs bench/sync-simulated.ts [options]
//
// Options: --services N (1000) --endpoints N (5000) --accounts N (3) --regions N (2) --latency MS (50) --runs N (2) --concurrency N (the
// config default) --burst N (the client bucket's burst in the main scenario; the config default)
// --no-targeted (skip the targeted refreshes) --simulator worker|main (worker: the simulator runs on its own thread of this process;
// main: on the sync's own event loop) --no-sequential --no-unpaced. See bench/README.md for the loader.
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { ConfigReader } from '@backstage/config';
import {
  paginateDescribeVpcEndpointConnections,
  paginateDescribeVpcEndpoints,
  paginateDescribeVpcEndpointServiceConfigurations,
  paginateDescribeVpcEndpointServicePermissions,
} from '@aws-sdk/client-ec2';
import type { EC2Client } from '@aws-sdk/client-ec2';
import {
  buildEntities,
  createAwsClientFactory,
  PrivateLinkEntityProvider,
} from '@privatelink-backstage/plugin-catalog-backend-module-privatelink/internal';
import { readPrivateLinkConfig } from '@privatelink-backstage/plugin-privatelink-node';
import type {
  AwsClientFactory,
  SyncReport,
} from '@privatelink-backstage/plugin-catalog-backend-module-privatelink/internal';
import {
  collectGarbage,
  countingConnection,
  limiter,
  maxRssBytes,
  mb,
  pass,
  printTable,
  secs,
  silentLogger,
  startRssSampler,
} from './lib/common.ts';
import {
  DESCRIBE_ACTIONS,
  generateData,
  minimumCalls,
  simAccounts,
  simRegions,
  startEc2Simulator,
  startEc2SimulatorProcess,
  startEc2SimulatorThread,
  targetKey,
} from './lib/ec2Simulator.ts';
import type {
  Ec2Simulator,
  SimAccount,
  SimStats,
  SimTarget,
} from './lib/ec2Simulator.ts';

const argOf = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const arg = (name: string, fallback: number) =>
  argOf(name) === undefined ? fallback : Number(argOf(name));
const flag = (name: string) => process.argv.includes(`--${name}`);

const SERVICES = arg('services', 1000);
const ENDPOINTS = arg('endpoints', 5000);
const LATENCY_MS = arg('latency', 50);
const RUNS = arg('runs', 2);
const SIMULATOR =
  (['main', 'process'] as const).find(m => m === argOf('simulator')) ??
  'worker';
const SIMULATOR_WHERE = {
  worker: 'its own worker thread of this process',
  main: "this process's main thread, sharing the sync's event loop",
  process:
    "a child process (so that this process's memory is the sync's alone)",
}[SIMULATOR];
/** EC2's Describe* bucket per account × region. */
const BUCKET = { capacity: 100, perSecond: 20 };
/** PAGE_SIZE of plugins/catalog-backend-module-privatelink/src/aws/inventory.ts (not exported): MaxResults of every call. */
const PAGE_SIZE = 1000;
/** PARALLEL_TARGETS of PrivateLinkEntityProvider.ts: account × regions read at once. */
const PARALLEL_TARGETS = 8;
const REGIONS = simRegions(arg('regions', 2));
const ACCOUNTS: SimAccount[] = simAccounts(arg('accounts', 3));

const OP_SHORT: Record<string, string> = {
  DescribeVpcEndpointServiceConfigurations: 'ServiceConfigurations',
  DescribeVpcEndpointServicePermissions: 'ServicePermissions',
  DescribeVpcEndpointConnections: 'Connections',
  DescribeVpcEndpoints: 'VpcEndpoints',
};

type Targets = Array<{ accountId: string; regions: string[] }>;

function rootConfig(
  endpoint: string,
  targets: Targets,
  concurrency?: number,
  rateLimit?: { burst: number; perSecond: number },
) {
  return new ConfigReader({
    aws: {
      // Every account has its own static credentials: the simulator tells accounts apart by access key id.
      mainAccount: {
        accessKeyId: ACCOUNTS[0].accessKeyId,
        secretAccessKey: ACCOUNTS[0].secretAccessKey,
      },
      accounts: ACCOUNTS.map(a => ({
        accountId: a.accountId,
        accessKeyId: a.accessKeyId,
        secretAccessKey: a.secretAccessKey,
      })),
    },
    privatelink: {
      endpoint,
      regions: REGIONS,
      accounts: targets.map(t => ({
        accountId: t.accountId,
        name: ACCOUNTS.find(a => a.accountId === t.accountId)!.name,
        regions: t.regions,
      })),
      sync: {
        ...(concurrency ? { concurrency } : {}),
        ...(rateLimit ? { rateLimit } : {}),
      },
    },
  });
}

/**
 * The real client factory, remembering its clients (to close their sockets after the scenario) and when the
 * last AWS call of the sync completed (a middleware of the initialize step: retries and parsing included).
 */
function trackedFactory(
  real: AwsClientFactory,
  timeline: { lastCallDoneAt: number },
) {
  const clients = new Set<EC2Client>();
  const factory: AwsClientFactory = {
    async ec2(t) {
      const c = await real.ec2(t);
      if (!clients.has(c)) {
        clients.add(c);
        c.middlewareStack.add(
          (next: any) => async (args: any) => {
            try {
              return await next(args);
            } finally {
              timeline.lastCallDoneAt = performance.now();
            }
          },
          { step: 'initialize', name: 'benchTimeline' },
        );
      }
      return c;
    },
  };
  return { factory, destroy: () => clients.forEach(c => c.destroy()) };
}

async function runProvider(
  sim: Ec2Simulator,
  targets: Targets,
  options: {
    concurrency?: number;
    paced: boolean;
    rateLimit?: { burst: number; perSecond: number };
    /** Runs after the full sync, with its provider still connected (for the targeted-refresh scenario). */
    afterSync?: (provider: PrivateLinkEntityProvider, emitted: any[]) => Promise<void>;
  },
) {
  const config = rootConfig(
    sim.endpoint,
    targets,
    options.concurrency,
    options.rateLimit,
  );
  const started = performance.now();
  const privatelink = readPrivateLinkConfig(config);
  const timeline = { lastCallDoneAt: 0 };
  const { factory, destroy } = trackedFactory(
    createAwsClientFactory({
      config,
      endpoint: privatelink.endpoint,
      rateLimit: options.paced ? privatelink.sync.rateLimit : undefined,
    }),
    timeline,
  );
  const logger = silentLogger();
  const { connection, state } = countingConnection();
  const provider = new PrivateLinkEntityProvider({
    config: privatelink,
    clients: factory,
    logger,
  });
  await provider.connect(connection);
  try {
    const report = await provider.refresh();
    await options.afterSync?.(provider, state.lastFull ?? []);
    return {
      report,
      state,
      timeline,
      started,
      warnings: logger.warnings as string[],
    };
  } finally {
    destroy();
  }
}


/** Calls the simulator counted, in all. */
async function totalRequests(sim: Ec2Simulator): Promise<number> {
  let n = 0;
  for (const perTarget of (await sim.stats()).values()) {
    for (const stat of Object.values(perTarget)) n += stat.requests;
  }
  return n;
}

/**
 * TARGETED REFRESH at this size: after a full sync (not timed here), `refreshService` of 20 services spread
 * over the targets, one after another, as the announcements of changes run it. Per refresh: wall time, EC2
 * calls, the delta's size. What a targeted refresh costs must not grow with the number of services.
 */
async function targetedRefreshes(
  sim: Ec2Simulator,
  data: Map<string, SimTarget>,
  targets: Targets,
  concurrency: number,
) {
  console.log('\n== targeted refresh (refreshService) after a full sync, 20 services one after another');
  const services = [...data.values()].flatMap(t => t.services);
  const picked = Array.from({ length: Math.min(20, services.length) }, (_, i) =>
    services[Math.floor((i * services.length) / Math.min(20, services.length))],
  );
  const rows: Array<{ ms: number; calls: number; added: number; removed: number }> = [];
  let fresh: any[] = [];
  await sim.reset();
  await runProvider(sim, targets, {
    concurrency,
    paced: true,
    afterSync: async (provider, emitted) => {
      fresh = emitted;
      for (const service of picked) {
        const before = await totalRequests(sim);
        const t0 = performance.now();
        const { added, removed } = await provider.refreshService({
          accountId: service.accountId,
          region: service.region,
          serviceId: service.serviceId,
        });
        rows.push({ ms: performance.now() - t0, calls: (await totalRequests(sim)) - before, added, removed });
      }
    },
  });
  const sorted = rows.map(r => r.ms).sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  printTable(
    ['refreshes', 'median', 'p95', 'max', 'EC2 calls each', 'delta entities each (max)'],
    [
      [
        rows.length,
        `${at(0.5).toFixed(0)} ms`,
        `${at(0.95).toFixed(0)} ms`,
        `${sorted[sorted.length - 1].toFixed(0)} ms`,
        `${Math.min(...rows.map(r => r.calls))}–${Math.max(...rows.map(r => r.calls))}`,
        Math.max(...rows.map(r => r.added + r.removed)),
      ],
    ],
  );
  await freshReplicaRefreshes(sim, targets, concurrency, fresh, picked.slice(0, 5));
}

/**
 * TARGETED REFRESH ON A FRESH REPLICA: a backend replica that did not run the last full sync gets the change of one
 * service (each refresh below on a new provider, as a new replica). With the catalog to recover from
 * (`loadLastEmitted` and `loadConsumers` answering from the full sync's entities, as the catalog holds them), it
 * reads the lists of the service's account and of its consumers' accounts and one permissions call; without it
 * (the baseline, in the same process), it reads those accounts whole, a permissions call per service.
 */
async function freshReplicaRefreshes(sim: Ec2Simulator, targets: Targets, concurrency: number, emitted: any[], picked: SimTarget['services']) {
  console.log(`\n== targeted refresh on a fresh replica (no full sync run there), ${picked.length} services, each on a new replica`);
  const byLocation = new Map<string, any[]>();
  const byService = new Map<string, any[]>();
  for (const e of emitted) {
    const location = e.metadata.annotations?.['backstage.io/managed-by-location'];
    byLocation.set(location, [...(byLocation.get(location) ?? []), e]);
    for (const ref of (e.spec?.dependsOn as string[] | undefined) ?? []) byService.set(ref, [...(byService.get(ref) ?? []), e]);
  }
  const config = rootConfig(sim.endpoint, targets, concurrency);
  const privatelink = readPrivateLinkConfig(config);
  const rows: Record<'recovered' | 'whole', Array<{ ms: number; calls: number }>> = { recovered: [], whole: [] };
  for (const mode of ['whole', 'recovered'] as const) {
    for (const service of picked) {
      const { factory, destroy } = trackedFactory(
        createAwsClientFactory({ config, endpoint: privatelink.endpoint, rateLimit: privatelink.sync.rateLimit }),
        { lastCallDoneAt: 0 },
      );
      const provider = new PrivateLinkEntityProvider({
        config: privatelink,
        clients: factory,
        logger: silentLogger(),
        ...(mode === 'recovered'
          ? { loadLastEmitted: async (location: string) => byLocation.get(location) ?? [], loadConsumers: async (ref: string) => byService.get(ref) ?? [] }
          : {}),
      });
      await provider.connect(countingConnection().connection);
      const before = await totalRequests(sim);
      const t0 = performance.now();
      try {
        await provider.refreshService({ accountId: service.accountId, region: service.region, serviceId: service.serviceId });
      } finally {
        destroy();
      }
      rows[mode].push({ ms: performance.now() - t0, calls: (await totalRequests(sim)) - before });
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const baseline = median(rows.whole.map(r => r.ms));
  printTable(
    ['replica', 'refreshes', 'median', 'max', 'EC2 calls each', 'ratio to baseline (median)'],
    (['whole', 'recovered'] as const).map(mode => [
      mode === 'whole' ? 'baseline: accounts read whole' : 'recovered from the catalog',
      rows[mode].length,
      `${median(rows[mode].map(r => r.ms)).toFixed(0)} ms`,
      `${Math.max(...rows[mode].map(r => r.ms)).toFixed(0)} ms`,
      `${Math.min(...rows[mode].map(r => r.calls))}–${Math.max(...rows[mode].map(r => r.calls))}`,
      `${(median(rows[mode].map(r => r.ms)) / baseline).toFixed(2)}×`,
    ]),
  );
}

/**
 * WHAT-IF, BENCH-ONLY (not product code): the same four reads as readAccountRegion, through the same real
 * client factory and pacing, except that each service's permissions call starts as soon as the configurations
 * page listing it arrives, instead of after all three list reads (configurations, connections, endpoints) are
 * done. Reads only: no entities are built.
 */
async function whatIfReads(
  sim: Ec2Simulator,
  targets: Targets,
  concurrency: number,
) {
  const config = rootConfig(sim.endpoint, targets, concurrency);
  const privatelink = readPrivateLinkConfig(config);
  const timeline = { lastCallDoneAt: 0 };
  const { factory, destroy } = trackedFactory(
    createAwsClientFactory({
      config,
      endpoint: privatelink.endpoint,
      rateLimit: privatelink.sync.rateLimit,
    }),
    timeline,
  );
  const started = performance.now();
  const drain = async (pages: AsyncIterable<unknown>) => {
    for await (const _page of pages);
  };
  const targetLimit = limiter(PARALLEL_TARGETS);
  try {
    await Promise.all(
      targets
        .flatMap(t =>
          t.regions.map(region => ({ accountId: t.accountId, region })),
        )
        .map(target =>
          targetLimit(async () => {
            const ec2 = await factory.ec2(target);
            const limit = limiter(concurrency);
            const permissions: Array<Promise<void>> = [];
            await Promise.all([
              (async () => {
                for await (const page of paginateDescribeVpcEndpointServiceConfigurations(
                  { client: ec2 },
                  { MaxResults: PAGE_SIZE },
                )) {
                  for (const svc of page.ServiceConfigurations ?? []) {
                    permissions.push(
                      limit(() =>
                        drain(
                          paginateDescribeVpcEndpointServicePermissions(
                            { client: ec2 },
                            {
                              ServiceId: svc.ServiceId!,
                              MaxResults: PAGE_SIZE,
                            },
                          ),
                        ),
                      ),
                    );
                  }
                }
              })(),
              drain(
                paginateDescribeVpcEndpointConnections(
                  { client: ec2 },
                  { MaxResults: PAGE_SIZE },
                ),
              ),
              drain(
                paginateDescribeVpcEndpoints(
                  { client: ec2 },
                  { MaxResults: PAGE_SIZE },
                ),
              ),
            ]);
            await Promise.all(permissions);
          }),
        ),
    );
  } finally {
    destroy();
  }
  const report: SyncReport = { entities: 0, targets: [], mutation: 'full' };
  const state = {
    mutations: 0,
    entities: 0,
    appliedAt: timeline.lastCallDoneAt,
    byType: new Map<string, number>(),
    lastFull: undefined as any[] | undefined,
  };
  return { report, state, timeline, started, warnings: [] as string[] };
}

/** The simulator's data as the snapshots readAccountRegion would return, to time buildEntities alone. */
function snapshotsOf(
  data: Map<string, SimTarget>,
): Parameters<typeof buildEntities>[0] {
  return [...data.values()].map(t => ({
    accountId: t.accountId,
    region: t.region,
    readAt: new Date().toISOString(),
    warnings: [],
    services: t.services.map(s => ({
      accountId: s.accountId,
      region: s.region,
      serviceId: s.serviceId,
      serviceName: s.serviceName,
      serviceType: 'Interface',
      state: 'Available',
      acceptanceRequired: s.acceptanceRequired,
      privateDnsName: s.privateDnsName,
      baseEndpointDnsNames: [`${s.serviceId}.${s.region}.vpce.amazonaws.com`],
      loadBalancerArns: [s.nlbArn],
      supportedIpAddressTypes: ['ipv4'],
      supportedRegions: [],
      tags: s.tags,
      allowedPrincipals: s.principals,
      connections: t.connections
        .filter(c => c.serviceId === s.serviceId)
        .map(c => ({
          endpointId: c.endpointId,
          ownerAccountId: c.owner,
          state: 'available' as const,
          createdAt: c.createdAt,
          dnsNames: [c.dnsName],
        })),
    })),
    endpoints: t.endpoints.map(e => ({
      accountId: e.accountId,
      region: e.region,
      endpointId: e.endpointId,
      endpointType: 'Interface',
      serviceName: e.serviceName,
      vpcId: e.vpcId,
      subnetIds: e.subnetIds,
      state: 'available' as const,
      privateDnsEnabled: e.privateDnsEnabled,
      dnsNames: [e.dnsName],
      tags: e.tags,
      createdAt: e.createdAt,
    })),
  }));
}

interface Outcome {
  name: string;
  wallMs: number;
  /** From refresh() called to the last AWS call done, summed over runs. */
  readsMs: number;
  /** From the last AWS call's completion to the mutation applied (building the entities), summed over runs. */
  afterReadsMs: number;
  /** Share of the wall time the main thread's event loop was busy. */
  eventLoop: number;
  /** CPU time of the whole process (all threads). */
  cpuMs: number;
  rssBefore: number;
  peakRss: number;
  peakHeap: number;
  reports: SyncReport[];
  entities: number;
  entitiesByType: Map<string, number>;
  warnings: string[];
  stats: Map<string, Record<string, SimStats>>;
}

async function scenario(
  sim: Ec2Simulator,
  name: string,
  body: () => Promise<Array<Awaited<ReturnType<typeof runProvider>>>>,
): Promise<Outcome> {
  await sim.reset(); // fresh counters, every EC2 bucket full again
  collectGarbage();
  const rssBefore = process.memoryUsage().rss;
  const rss = startRssSampler();
  const elu = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const runs = await body();
  const wallMs = performance.now() - started;
  const eventLoop = performance.eventLoopUtilization(elu).utilization;
  const cpuUsed = process.cpuUsage(cpu);
  const { peakRss, peakHeap } = rss.stop();
  const entitiesByType = new Map<string, number>();
  for (const r of runs)
    for (const [k, v] of r.state.byType)
      entitiesByType.set(k, (entitiesByType.get(k) ?? 0) + v);
  return {
    name,
    wallMs,
    readsMs: runs.reduce(
      (n, r) => n + (r.timeline.lastCallDoneAt - r.started),
      0,
    ),
    afterReadsMs: runs.reduce(
      (n, r) => n + Math.max(0, r.state.appliedAt - r.timeline.lastCallDoneAt),
      0,
    ),
    eventLoop,
    cpuMs: (cpuUsed.user + cpuUsed.system) / 1000,
    rssBefore,
    peakRss,
    peakHeap,
    reports: runs.map(r => r.report),
    entities: runs.reduce((n, r) => n + r.state.entities, 0),
    entitiesByType,
    warnings: runs.flatMap(r => r.warnings),
    stats: await sim.stats(),
  };
}

const isThrottle = (s: string | undefined) =>
  /RequestLimitExceeded|Throttl|rate exceeded/i.test(s ?? '');

function summarize(o: Outcome) {
  let requests = 0;
  let throttled = 0;
  for (const perTarget of o.stats.values()) {
    for (const s of Object.values(perTarget)) {
      requests += s.requests;
      throttled += s.throttled;
    }
  }
  const failed = o.reports.flatMap(r => r.targets).filter(t => !t.ok);
  const surfacedFailed = failed.filter(t => isThrottle(t.error)).length;
  const surfacedWarnings = o.warnings.filter(isThrottle).length;
  return { requests, throttled, failed, surfacedFailed, surfacedWarnings };
}

type Bounds = { bucket: number; combined: number };

function printOutcome(
  o: Outcome,
  minimum: Record<string, number>,
  bound: Bounds,
) {
  const s = summarize(o);
  console.log(`\n== ${o.name}`);
  const rows = DESCRIBE_ACTIONS.map(action => {
    let req = 0;
    let thr = 0;
    let err = 0;
    for (const perTarget of o.stats.values()) {
      req += perTarget[action]?.requests ?? 0;
      thr += perTarget[action]?.throttled ?? 0;
      err += perTarget[action]?.errors ?? 0;
    }
    return [
      OP_SHORT[action],
      req,
      thr,
      err,
      req - thr,
      minimum[action],
      req - minimum[action],
    ];
  });
  const tot = (i: number) => rows.reduce((n, r) => n + Number(r[i]), 0);
  rows.push(['total', tot(1), tot(2), tot(3), tot(4), tot(5), tot(6)]);
  printTable(
    [
      'operation',
      'requests (server)',
      'throttled (503)',
      'other errors',
      'answered',
      'minimum',
      'extra',
    ],
    rows,
  );
  console.log(`  wall time                       ${secs(o.wallMs)}`);
  console.log(
    `  token-bucket lower bound        ${secs(
      bound.bucket,
    )}   ratio time/bound ${(o.wallMs / bound.bucket).toFixed(2)}x`,
  );
  console.log(
    `  combined lower bound            ${secs(
      bound.combined,
    )}   ratio time/bound ${(o.wallMs / bound.combined).toFixed(
      2,
    )}x  (max of token bucket and call chain at this concurrency)`,
  );
  console.log(
    `  of which AWS reads              ${secs(
      o.readsMs,
    )}  (refresh() called -> last AWS call done; ratio to bucket bound ${(
      o.readsMs / bound.bucket
    ).toFixed(2)}x)`,
  );
  console.log(
    `  of which after the reads        ${secs(
      o.afterReadsMs,
    )}  (last AWS call done -> mutation applied: building ${
      o.entities
    } entities)`,
  );
  console.log(
    `  main event loop busy            ${(o.eventLoop * 100).toFixed(
      0,
    )}% of the wall time; process CPU ${secs(o.cpuMs)} (all threads)`,
  );
  console.log(`  throttling errors from server   ${s.throttled}`);
  console.log(
    `  throttling surfacing to sync    ${s.surfacedFailed} failed target(s), ${s.surfacedWarnings} degraded read(s) (connections fallback)`,
  );
  console.log(
    `  failed targets                  ${s.failed.length}${
      s.failed.length
        ? ` — ${s.failed
            .map(f => `${f.accountId}/${f.region}: ${f.error}`)
            .join('; ')}`
        : ''
    }`,
  );
  console.log(
    `  entities emitted                ${o.entities} (${[...o.entitiesByType]
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')})`,
  );
  console.log(
    `  RSS before / peak / increase    ${mb(o.rssBefore)} / ${mb(
      o.peakRss,
    )} / +${mb(
      o.peakRss - o.rssBefore,
    )}   (peak JS heap used, main thread: ${mb(o.peakHeap)})`,
  );
  return s;
}

/** Per target: what it holds, what it cost, and when (server-side arrival times, from the scenario's start). */
function perTargetTable(
  o: Outcome,
  data: Map<string, SimTarget>,
  bounds: Map<string, { calls: number; bucket: number; chain: number }>,
) {
  const rows = [...data.values()].map(t => {
    const key = targetKey(t.accountId, t.region);
    const perTarget = o.stats.get(key) ?? {};
    const all = Object.values(perTarget);
    const req = all.reduce((n, s) => n + s.requests, 0);
    const thr = all.reduce((n, s) => n + s.throttled, 0);
    const first = Math.min(...all.map(s => s.firstAt));
    const perm = perTarget.DescribeVpcEndpointServicePermissions;
    const last = Math.max(...all.map(s => s.lastAt));
    const throttledAt = all.flatMap(s => s.throttledAt).sort((a, b) => a - b);
    const b = bounds.get(key)!;
    return [
      key,
      t.services.length,
      t.connections.length,
      t.endpoints.length,
      req,
      b.calls,
      secs(b.bucket * 1000),
      secs(first),
      perm ? secs(perm.firstAt) : '-',
      secs(last),
      thr,
      throttledAt.length
        ? throttledAt.map(x => (x / 1000).toFixed(1)).join(' ')
        : '-',
    ];
  });
  printTable(
    [
      'account/region',
      'services',
      'connections',
      'endpoints',
      'requests',
      'minimum',
      'bucket bound',
      'first call',
      '1st permissions call',
      'last call',
      'throttled',
      'throttled at (s)',
    ],
    rows,
  );
}

async function main() {
  const started = performance.now();
  console.log('# PrivateLink sync benchmark — simulated EC2');
  console.log(
    `node ${process.version}, ${cpus().length} cores, load average ${loadavg()
      .map(l => l.toFixed(2))
      .join(', ')}; gc between scenarios: ${
      collectGarbage() ? 'yes' : 'no (run with --expose-gc)'
    }`,
  );
  console.log(
    `dataset: ${SERVICES} endpoint services over ${ACCOUNTS.length} accounts x ${REGIONS.length} regions; ${ENDPOINTS} consumer endpoints over the consumer accounts`,
  );
  console.log(
    `EC2 model: ${LATENCY_MS} ms per call; Describe* bucket ${BUCKET.capacity} tokens, +${BUCKET.perSecond}/s per account x region; 503 RequestLimitExceeded when empty`,
  );

  const rssLoaded = process.memoryUsage().rss;
  const genStart = performance.now();
  const data = generateData({
    accounts: ACCOUNTS,
    regions: REGIONS,
    services: SERVICES,
    endpoints: ENDPOINTS,
  });
  console.log(`data generated in ${secs(performance.now() - genStart)}`);
  const simOptions = {
    accounts: ACCOUNTS,
    data,
    latencyMs: LATENCY_MS,
    bucket: BUCKET,
  };
  const sim =
    SIMULATOR === 'worker'
      ? await startEc2SimulatorThread(simOptions)
      : SIMULATOR === 'process'
      ? await startEc2SimulatorProcess(simOptions)
      : await startEc2Simulator(simOptions);
  collectGarbage();
  const rssWithSim = process.memoryUsage().rss;
  console.log(`simulator on ${sim.endpoint}, in ${SIMULATOR_WHERE}`);
  console.log(
    `RSS with modules loaded (TypeScript loader included): ${mb(
      rssLoaded,
    )}; with the simulator and its data: ${mb(rssWithSim)}`,
  );

  const allTargets = ACCOUNTS.map(a => ({
    accountId: a.accountId,
    regions: REGIONS,
  }));
  const defaults = readPrivateLinkConfig(
    rootConfig(sim.endpoint, allTargets),
  ).sync;
  const concurrency = arg('concurrency', defaults.concurrency);
  // The client bucket of the main scenario: the config default unless --burst N.
  const rateLimit = {
    burst: arg('burst', defaults.rateLimit.burst),
    perSecond: defaults.rateLimit.perSecond,
  };
  const L = LATENCY_MS / 1000;

  // Lower bounds per target. Token bucket: the k-th call (k > capacity) cannot be admitted before
  // (k - capacity) / perSecond, whatever the client does, and takes L to answer. Call chain: the permission
  // calls wait for every page of the three list reads (they run together, then Promise.all), then run `c` at
  // a time. Both are lower bounds, so their max is one too.
  const minimumByAction: Record<string, number> = Object.fromEntries(
    DESCRIBE_ACTIONS.map(a => [a, 0]),
  );
  for (const t of data.values()) {
    const min = minimumCalls(t, PAGE_SIZE);
    for (const a of DESCRIBE_ACTIONS) minimumByAction[a] += min[a];
  }
  const boundsFor = (c: number) => {
    const m = new Map<
      string,
      { calls: number; bucket: number; chain: number }
    >();
    for (const t of data.values()) {
      const min = minimumCalls(t, PAGE_SIZE);
      const calls = Object.values(min).reduce((n, v) => n + v, 0);
      const bucket =
        Math.max(0, calls - BUCKET.capacity) / BUCKET.perSecond + L;
      const listChain =
        Math.max(
          min.DescribeVpcEndpointServiceConfigurations,
          min.DescribeVpcEndpointConnections,
          min.DescribeVpcEndpoints,
        ) * L;
      const chain = listChain + Math.ceil(t.services.length / c) * L;
      m.set(targetKey(t.accountId, t.region), { calls, bucket, chain });
    }
    return m;
  };
  // Targets run in parallel, at most 8 at once: the sync cannot be faster than its slowest target, nor than
  // the sum of the targets' times spread over 8 slots.
  const syncBound = (
    bounds: ReturnType<typeof boundsFor>,
    pick: (b: { bucket: number; chain: number }) => number,
  ) => {
    const v = [...bounds.values()].map(pick);
    return (
      Math.max(
        Math.max(...v),
        v.reduce((a, b) => a + b, 0) / PARALLEL_TARGETS,
      ) * 1000
    );
  };
  const parallelBounds = boundsFor(concurrency);
  const bound: Bounds = {
    bucket: syncBound(parallelBounds, b => b.bucket),
    combined: syncBound(parallelBounds, b => Math.max(b.bucket, b.chain)),
  };
  // Sequential: one target after another, each at concurrency 1: the sum of each target's own bound.
  const seqBound: Bounds = {
    bucket: bound.bucket,
    combined:
      [...boundsFor(1).values()].reduce(
        (n, b) => n + Math.max(b.bucket, b.chain),
        0,
      ) * 1000,
  };
  const minimumTotal = Object.values(minimumByAction).reduce(
    (a, b) => a + b,
    0,
  );
  console.log(
    `sync.concurrency ${concurrency}, page size ${PAGE_SIZE}, up to ${PARALLEL_TARGETS} account x regions at once`,
  );
  console.log(
    `minimum calls: ${minimumTotal} (${DESCRIBE_ACTIONS.map(
      a => `${OP_SHORT[a]} ${minimumByAction[a]}`,
    ).join(', ')})`,
  );
  console.log(
    `token-bucket lower bound of the sync: ${secs(
      bound.bucket,
    )} = max over targets of max(0, calls - ${BUCKET.capacity}) / ${
      BUCKET.perSecond
    } s + ${LATENCY_MS} ms`,
  );

  type Result = { o: Outcome; s: ReturnType<typeof summarize> };
  const results: Result[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const o = await scenario(
      sim,
      `parallel sync, client-side token bucket (rateLimit ${rateLimit.burst}, ${
        rateLimit.perSecond
      }/s), concurrency ${concurrency} — run ${run}/${RUNS}${
        run === 1 ? ' (cold: first calls of the process)' : ''
      }`,
      async () => [
        await runProvider(sim, allTargets, {
          concurrency,
          paced: true,
          rateLimit,
        }),
      ],
    );
    const s = printOutcome(o, minimumByAction, bound);
    perTargetTable(o, data, parallelBounds);
    results.push({ o, s });
  }

  let sequential: Result | undefined;
  if (!flag('no-sequential')) {
    const o = await scenario(
      sim,
      'SEQUENTIAL baseline: one account x region after another, concurrency 1, client-side token bucket',
      async () => {
        const runs = [];
        for (const a of ACCOUNTS) {
          for (const region of REGIONS)
            runs.push(
              await runProvider(
                sim,
                [{ accountId: a.accountId, regions: [region] }],
                { concurrency: 1, paced: true },
              ),
            );
        }
        return runs;
      },
    );
    const s = printOutcome(o, minimumByAction, seqBound);
    console.log(
      `  (the combined bound above is the sequential one: sum over targets at concurrency 1)`,
    );
    console.log(
      `  (entities: summed over the ${
        ACCOUNTS.length * REGIONS.length
      } single-target providers; an endpoint is emitted both by its service's provider, from the connections, and by its own account's)`,
    );
    console.log(
      `  parallel sync is faster by    ${(
        o.wallMs / results[0].o.wallMs
      ).toFixed(1)}x (run 1), ${(
        o.wallMs / Math.min(...results.map(r => r.o.wallMs))
      ).toFixed(1)}x (best run)`,
    );
    sequential = { o, s };
  }

  let margin: Result | undefined;
  if (!flag('no-margin')) {
    const rateLimit = {
      burst: BUCKET.capacity - 5,
      perSecond: BUCKET.perSecond,
    };
    const o = await scenario(
      sim,
      `CONFIG VARIANT: parallel sync with privatelink.sync.rateLimit.burst ${rateLimit.burst} (5 tokens under EC2's bucket), concurrency ${concurrency}`,
      async () => [
        await runProvider(sim, allTargets, {
          concurrency,
          paced: true,
          rateLimit,
        }),
      ],
    );
    const s = printOutcome(o, minimumByAction, bound);
    perTargetTable(o, data, parallelBounds);
    margin = { o, s };
  }

  let whatIf: Result | undefined;
  if (!flag('no-what-if')) {
    const o = await scenario(
      sim,
      `WHAT-IF (bench-only code, not the product's): the same reads with each permissions call started as soon as its configurations page arrives (rateLimit ${BUCKET.capacity}, ${BUCKET.perSecond}/s), concurrency ${concurrency}; reads only, no entities`,
      async () => [await whatIfReads(sim, allTargets, concurrency)],
    );
    const s = printOutcome(o, minimumByAction, bound);
    perTargetTable(o, data, parallelBounds);
    whatIf = { o, s };
  }

  let unpaced: Result | undefined;
  if (!flag('no-unpaced')) {
    const o = await scenario(
      sim,
      `WITHOUT the client-side token bucket (rateLimit undefined): SDK adaptive retry only, concurrency ${concurrency}`,
      async () => [
        await runProvider(sim, allTargets, { concurrency, paced: false }),
      ],
    );
    const s = printOutcome(o, minimumByAction, bound);
    perTargetTable(o, data, parallelBounds);
    unpaced = { o, s };
  }

  if (!flag('no-targeted')) await targetedRefreshes(sim, data, allTargets, concurrency);

  await sim.close();

  const row = (label: string, r: Result) => [
    label,
    secs(r.o.wallMs),
    `${(r.o.wallMs / bound.bucket).toFixed(2)}x`,
    secs(r.o.readsMs),
    `${(r.o.readsMs / bound.bucket).toFixed(2)}x`,
    secs(r.o.afterReadsMs),
    r.s.requests,
    r.s.throttled,
    r.s.surfacedFailed + r.s.surfacedWarnings,
    r.s.failed.length,
    r.o.entities,
    mb(r.o.peakRss),
  ];
  const worst = {
    requests: Math.max(...results.map(r => r.s.requests)),
    wallMs: Math.max(...results.map(r => r.o.wallMs)),
    surfaced: Math.max(
      ...results.map(r => r.s.surfacedFailed + r.s.surfacedWarnings),
    ),
    increase: Math.max(...results.map(r => r.o.peakRss - r.o.rssBefore)),
  };
  const peakSampled = Math.max(
    ...[...results, sequential, margin, whatIf, unpaced]
      .filter(r => r !== undefined)
      .map(r => r.o.peakRss),
  );
  const maxRss = maxRssBytes();
  console.log('\n== summary');
  printTable(
    [
      'scenario',
      'wall time',
      'time / bucket bound',
      'AWS reads',
      'reads / bound',
      'after reads',
      'requests',
      'throttled',
      'surfaced',
      'failed targets',
      'entities',
      'peak RSS',
    ],
    [
      ...results.map((r, i) => row(`parallel, paced, run ${i + 1}`, r)),
      ...(sequential ? [row('sequential, c=1', sequential)] : []),
      ...(margin ? [row('parallel, paced, burst 95 (config)', margin)] : []),
      ...(whatIf
        ? [row('what-if: early permissions (reads only)', whatIf)]
        : []),
      ...(unpaced ? [row('parallel, unpaced', unpaced)] : []),
    ],
  );
  console.log(
    `\n  peak RSS sampled (all scenarios) ${mb(
      peakSampled,
    )}; process.resourceUsage().maxRSS ${mb(
      maxRss,
    )} — the whole process: TypeScript loader (swc), and the simulator when it runs in this process (--simulator ${SIMULATOR})`,
  );
  console.log('\n== targets (paced parallel sync, worst of its runs)');
  printTable(
    ['target', 'measured', 'verdict'],
    [
      [
        'calls = minimum',
        `${worst.requests} requests / ${minimumTotal} minimum`,
        pass(worst.requests === minimumTotal),
      ],
      [
        'time <= 1.1 x bound',
        `${secs(worst.wallMs)} vs ${secs(1.1 * bound.bucket)} (${(
          worst.wallMs / bound.bucket
        ).toFixed(2)}x)`,
        pass(worst.wallMs <= 1.1 * bound.bucket),
      ],
      [
        '0 throttling errors surfacing',
        `${worst.surfaced}`,
        pass(worst.surfaced === 0),
      ],
      [
        'peak RSS < 300 MB (process maxRSS)',
        mb(maxRss),
        pass(maxRss < 300 * 1024 * 1024),
      ],
      ['  (RSS increase during the sync)', `+${mb(worst.increase)}`, ''],
    ],
  );

  if (!flag('no-build-scaling')) {
    // buildEntities alone (the product's, exported), on snapshots made from generated data at 1x, 2x, 4x.
    console.log(
      '\n== buildEntities alone (the step after the reads), by data size — run after the figures above, not counted in their RSS',
    );
    const rows: Array<Array<string | number>> = [];
    const entityConfig = readPrivateLinkConfig(
      rootConfig(sim.endpoint, allTargets),
    );
    for (const factor of [1, 2, 4]) {
      const scaled = generateData({
        accounts: ACCOUNTS,
        regions: REGIONS,
        services: SERVICES * factor,
        endpoints: ENDPOINTS * factor,
        seed: 7,
      });
      const snapshots = snapshotsOf(scaled);
      buildEntities(snapshots, entityConfig); // warm-up
      const times: number[] = [];
      let count = 0;
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        count = buildEntities(snapshots, entityConfig).length;
        times.push(performance.now() - t0);
      }
      rows.push([
        `${factor}x`,
        SERVICES * factor,
        ENDPOINTS * factor,
        count,
        `${Math.min(...times).toFixed(0)} ms`,
      ]);
    }
    printTable(
      [
        'size',
        'services',
        'endpoints',
        'entities',
        'buildEntities (best of 3)',
      ],
      rows,
    );
  }

  console.log(
    `\nload average (1, 5, 15 min) at the end: ${loadavg()
      .map(l => l.toFixed(2))
      .join(', ')}  (2 cores; other work on the machine shows here)`,
  );
  console.log(`total benchmark time ${secs(performance.now() - started)}`);
}

main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  },
);
