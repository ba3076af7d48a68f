// Benchmark: the real PrivateLinkEntityProvider.refresh() against a real moto_server (startMoto from
// @privatelink-backstage/dev-aws) holding 1,000 endpoint services across 3 accounts × 2 regions and 5,000
// consumer endpoints. Prints its figures; asserts nothing.
//
//   node --expose-gc --require @backstage/cli/config/nodeTransform.cjs bench/sync-moto.ts [options]
//
// Options: --services N (1000) --endpoints N (5000) --runs N (2) --create-concurrency N (8)
// --no-shortcut (skip the bench-only run where DescribeVpcEndpointConnections fails at once: the cost of the
// consumer-side fallback) --no-probe (skip timing moto's big list calls alone).
//
// moto facts this relies on (moto 5.2 with the PrivateLink emulator layer, docs/emulator.md):
// CreateVpcEndpointServiceConfiguration looks the NLB ARNs up in its ELBv2 backend and fails
// (LoadBalancerNotFound) for a made-up ARN, so one real NLB is created per account × region and shared by its
// services; CreateVpcEndpoint needs the consumer account among the service's allowed principals (the
// permissions are set before the endpoints are created); DescribeVpcEndpointServiceConfigurations and
// DescribeVpcEndpoints ignore MaxResults (one page); DescribeVpcEndpointConnections pages at 1000. Other
// accounts are reached through STS AssumeRole into arn:aws:iam::<account>:role/<name>, which moto maps to
// that account.
import { cpus, loadavg } from 'node:os';
import {
  DescribeVpcEndpointsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  CreateVpcEndpointServiceConfigurationCommand,
  EC2Client,
  ModifyVpcEndpointServicePermissionsCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateLoadBalancerCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ConfigReader } from '@backstage/config';
import { MOTO_CREDENTIALS, startMoto } from '@privatelink-backstage/dev-aws';
import {
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
  printTable,
  secs,
  silentLogger,
  startRssSampler,
} from './lib/common.ts';
import { generateData, targetKey } from './lib/ec2Simulator.ts';
import { credentialsFor, MOTO_DEFAULT_ACCOUNT, tagList } from './lib/moto.ts';
import type { Credentials } from './lib/moto.ts';
import type { SimAccount } from './lib/ec2Simulator.ts';

const argOf = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const arg = (name: string, fallback: number) =>
  argOf(name) === undefined ? fallback : Number(argOf(name));
const flag = (name: string) => process.argv.includes(`--${name}`);

const SERVICES = arg('services', 1000);
const ENDPOINTS = arg('endpoints', 5000);
const RUNS = arg('runs', 2);
const CREATE_CONCURRENCY = arg('create-concurrency', 8);
const REGIONS = ['us-east-1', 'eu-west-1'];
const ROLE = 'PrivateLinkBench';
const ACCOUNTS: SimAccount[] = [
  {
    accountId: MOTO_DEFAULT_ACCOUNT,
    name: 'shared-services',
    accessKeyId: '',
    secretAccessKey: '',
    consumer: false,
  },
  {
    accountId: '222222222222',
    name: 'payments-prod',
    accessKeyId: '',
    secretAccessKey: '',
    consumer: true,
  },
  {
    accountId: '333333333333',
    name: 'orders-prod',
    accessKeyId: '',
    secretAccessKey: '',
    consumer: true,
  },
];
const OPS = [
  'DescribeVpcEndpointServiceConfigurations',
  'DescribeVpcEndpointServicePermissions',
  'DescribeVpcEndpointConnections',
  'DescribeVpcEndpoints',
];
const OP_SHORT: Record<string, string> = {
  DescribeVpcEndpointServiceConfigurations: 'ServiceConfigurations',
  DescribeVpcEndpointServicePermissions: 'ServicePermissions',
  DescribeVpcEndpointConnections: 'Connections',
  DescribeVpcEndpoints: 'VpcEndpoints',
};

/** Creates the generated organisation in moto; returns how long each phase took and how many calls it made. */
async function createData(endpoint: string) {
  const plan = generateData({
    accounts: ACCOUNTS,
    regions: REGIONS,
    services: SERVICES,
    endpoints: ENDPOINTS,
  });
  const limit = limiter(CREATE_CONCURRENCY);
  const phases: Array<[string, number, number]> = [];
  const phase = async (
    name: string,
    calls: number,
    fn: () => Promise<unknown>,
  ) => {
    const t0 = performance.now();
    await fn();
    phases.push([name, calls, performance.now() - t0]);
  };

  const credentials = new Map<string, Credentials>();
  await phase(
    'STS AssumeRole + GetCallerIdentity per account',
    ACCOUNTS.length * 2 - 1,
    async () => {
      for (const a of ACCOUNTS)
        credentials.set(
          a.accountId,
          await credentialsFor(endpoint, a.accountId, ROLE),
        );
    },
  );

  type Net = {
    ec2: EC2Client;
    vpcId: string;
    subnetIds: string[];
    nlbArn: string;
  };
  const nets = new Map<string, Net>();
  await phase('VPC, 2 subnets, 1 NLB per account x region', plan.size * 4, () =>
    Promise.all(
      [...plan.values()].map(async (t, i) => {
        const c = credentials.get(t.accountId)!;
        // Retries on: moto answers some concurrent writes with a 500 now and then.
        const ec2 = new EC2Client({
          endpoint,
          region: t.region,
          credentials: c,
          maxAttempts: 5,
        });
        const elb = new ElasticLoadBalancingV2Client({
          endpoint,
          region: t.region,
          credentials: c,
          maxAttempts: 5,
        });
        const vpcId = (
          await ec2.send(new CreateVpcCommand({ CidrBlock: `10.${i}.0.0/16` }))
        ).Vpc!.VpcId!;
        const subnetIds: string[] = [];
        for (const [j, az] of ['a', 'b'].entries()) {
          subnetIds.push(
            (
              await ec2.send(
                new CreateSubnetCommand({
                  VpcId: vpcId,
                  CidrBlock: `10.${i}.${j * 64}.0/18`,
                  AvailabilityZone: `${t.region}${az}`,
                }),
              )
            ).Subnet!.SubnetId!,
          );
        }
        const nlbArn = (
          await elb.send(
            new CreateLoadBalancerCommand({
              Name: `bench-nlb-${i}`,
              Type: 'network',
              Scheme: 'internal',
              Subnets: subnetIds,
            }),
          )
        ).LoadBalancers![0].LoadBalancerArn!;
        elb.destroy();
        nets.set(targetKey(t.accountId, t.region), {
          ec2,
          vpcId,
          subnetIds,
          nlbArn,
        });
      }),
    ),
  );

  // Planned service name -> the one moto made up.
  const serviceNames = new Map<string, string>();
  const serviceIds = new Map<string, string>();
  await phase(
    'CreateVpcEndpointServiceConfiguration (sharing the NLB of its account x region)',
    SERVICES,
    () =>
      Promise.all(
        [...plan.values()].flatMap(t =>
          t.services.map(s =>
            limit(async () => {
              const net = nets.get(targetKey(t.accountId, t.region))!;
              const created = (
                await net.ec2.send(
                  new CreateVpcEndpointServiceConfigurationCommand({
                    NetworkLoadBalancerArns: [net.nlbArn],
                    AcceptanceRequired: s.acceptanceRequired,
                    PrivateDnsName: s.privateDnsName,
                    TagSpecifications: [
                      {
                        ResourceType: 'vpc-endpoint-service',
                        Tags: tagList(s.tags),
                      },
                    ],
                  }),
                )
              ).ServiceConfiguration!;
              serviceNames.set(s.serviceName, created.ServiceName!);
              serviceIds.set(s.serviceName, created.ServiceId!);
            }),
          ),
        ),
      ),
  );

  await phase(
    'ModifyVpcEndpointServicePermissions (the consumer accounts of each service)',
    SERVICES,
    () =>
      Promise.all(
        [...plan.values()].flatMap(t =>
          t.services
            .filter(s => s.principals.length > 0)
            .map(s =>
              limit(() =>
                nets.get(targetKey(t.accountId, t.region))!.ec2.send(
                  new ModifyVpcEndpointServicePermissionsCommand({
                    ServiceId: serviceIds.get(s.serviceName)!,
                    AddAllowedPrincipals: s.principals,
                  }),
                ),
              ),
            ),
        ),
      ),
  );

  await phase(
    'CreateVpcEndpoint (interface, one subnet, owner/component tags)',
    ENDPOINTS,
    () =>
      Promise.all(
        [...plan.values()].flatMap(t =>
          t.endpoints.map((e, i) =>
            limit(() => {
              const net = nets.get(targetKey(t.accountId, t.region))!;
              return net.ec2.send(
                new CreateVpcEndpointCommand({
                  VpcId: net.vpcId,
                  ServiceName: serviceNames.get(e.serviceName)!,
                  VpcEndpointType: 'Interface',
                  SubnetIds: [net.subnetIds[i % net.subnetIds.length]],
                  TagSpecifications: [
                    { ResourceType: 'vpc-endpoint', Tags: tagList(e.tags) },
                  ],
                }),
              );
            }),
          ),
        ),
      ),
  );
  for (const n of nets.values()) n.ec2.destroy();
  return { plan, phases };
}

type OpStats = {
  calls: number;
  attempts: number;
  failed: number;
  statuses: Map<number, number>;
  totalMs: number;
  maxMs: number;
};

/**
 * The real client factory, with two counting middlewares on each client: one in the initialize step (one per
 * call, retries included in its duration) and one in the deserialize step (one per HTTP attempt). With
 * `shortcutConnections`, a BENCH-ONLY middleware answers DescribeVpcEndpointConnections with an immediate
 * error, without a request: what the sync costs when the call is refused (a role without the permission) and the
 * consumers come from the consumer-side reads.
 */
function countingFactory(
  real: AwsClientFactory,
  stats: Map<string, Map<string, OpStats>>,
  shortcutConnections: boolean,
) {
  const seen = new Set<unknown>();
  const clients: Array<{ destroy(): void }> = [];
  const factory: AwsClientFactory = {
    async ec2(target) {
      const client = await real.ec2(target);
      if (seen.has(client)) return client;
      seen.add(client);
      clients.push(client);
      const key = targetKey(target.accountId, target.region);
      const of = (op: string) => {
        let perTarget = stats.get(key);
        if (!perTarget) stats.set(key, (perTarget = new Map()));
        let s = perTarget.get(op);
        if (!s)
          perTarget.set(
            op,
            (s = {
              calls: 0,
              attempts: 0,
              failed: 0,
              statuses: new Map(),
              totalMs: 0,
              maxMs: 0,
            }),
          );
        return s;
      };
      // context.commandName is the command's class name, e.g. DescribeVpcEndpointsCommand.
      const opOf = (context: any) =>
        String(context.commandName ?? '').replace(/Command$/, '');
      client.middlewareStack.add(
        (next: any, context: any) => async (args: any) => {
          const s = of(opOf(context));
          s.calls += 1;
          const t0 = performance.now();
          try {
            if (
              shortcutConnections &&
              opOf(context) === 'DescribeVpcEndpointConnections'
            ) {
              throw Object.assign(
                new Error('bench shortcut: DescribeVpcEndpointConnections refused'),
                { name: 'NotImplemented' },
              );
            }
            return await next(args);
          } catch (e) {
            s.failed += 1;
            throw e;
          } finally {
            const ms = performance.now() - t0;
            s.totalMs += ms;
            s.maxMs = Math.max(s.maxMs, ms);
          }
        },
        { step: 'initialize', name: 'benchCountCalls' },
      );
      client.middlewareStack.add(
        (next: any, context: any) => async (args: any) => {
          const s = of(opOf(context));
          s.attempts += 1;
          const status = (code: number | undefined) =>
            s.statuses.set(code ?? 0, (s.statuses.get(code ?? 0) ?? 0) + 1);
          try {
            const result = await next(args);
            status(result.response?.statusCode);
            return result;
          } catch (e) {
            status(
              (e as any).$metadata?.httpStatusCode ??
                (e as any).$response?.statusCode,
            );
            throw e;
          }
        },
        { step: 'deserialize', name: 'benchCountAttempts' },
      );
      return client;
    },
  };
  return { factory, destroy: () => clients.forEach(c => c.destroy()) };
}

/** moto's own answer time for the two big list reads, one call at a time with nothing else running. */
async function probeMoto(endpoint: string) {
  const rows: Array<Array<string | number>> = [];
  const time = async (
    label: string,
    accountId: string,
    region: string,
    send: (ec2: EC2Client) => Promise<number>,
  ) => {
    const ec2 = new EC2Client({
      endpoint,
      region,
      credentials: await credentialsFor(endpoint, accountId, ROLE),
      maxAttempts: 1,
    });
    const t0 = performance.now();
    const items = await send(ec2);
    rows.push([
      label,
      `${accountId}/${region}`,
      items,
      secs(performance.now() - t0),
    ]);
    ec2.destroy();
  };
  await time(
    'DescribeVpcEndpoints',
    ACCOUNTS[1].accountId,
    REGIONS[0],
    async ec2 =>
      (
        await ec2.send(new DescribeVpcEndpointsCommand({ MaxResults: 1000 }))
      ).VpcEndpoints?.length ?? 0,
  );
  await time(
    'DescribeVpcEndpointServiceConfigurations',
    ACCOUNTS[0].accountId,
    REGIONS[0],
    async ec2 =>
      (
        await ec2.send(
          new DescribeVpcEndpointServiceConfigurationsCommand({
            MaxResults: 1000,
          }),
        )
      ).ServiceConfigurations?.length ?? 0,
  );
  console.log(
    '\n== moto alone: one list call at a time, nothing else running (moto ignores MaxResults: one page)',
  );
  printTable(['call', 'account/region', 'items', 'time'], rows);
}

function rootConfig(endpoint: string) {
  return new ConfigReader({
    aws: {
      mainAccount: { ...MOTO_CREDENTIALS },
      accountDefaults: { roleName: ROLE },
    },
    privatelink: {
      endpoint,
      regions: REGIONS,
      accounts: ACCOUNTS.map(a => ({ accountId: a.accountId, name: a.name })),
    },
  });
}

async function runSync(
  endpoint: string,
  name: string,
  shortcutConnections: boolean,
) {
  const config = rootConfig(endpoint);
  const privatelink = readPrivateLinkConfig(config);
  const stats = new Map<string, Map<string, OpStats>>();
  const { factory, destroy } = countingFactory(
    createAwsClientFactory({
      config,
      endpoint: privatelink.endpoint,
      rateLimit: privatelink.sync.rateLimit,
    }),
    stats,
    shortcutConnections,
  );
  const logger = silentLogger();
  const { connection, state } = countingConnection();
  const provider = new PrivateLinkEntityProvider({
    config: privatelink,
    clients: factory,
    logger,
  });
  await provider.connect(connection);

  collectGarbage();
  const rssBefore = process.memoryUsage().rss;
  const rss = startRssSampler();
  const t0 = performance.now();
  let report: SyncReport;
  try {
    report = await provider.refresh();
  } finally {
    destroy();
  }
  const wallMs = performance.now() - t0;
  const { peakRss, peakHeap } = rss.stop();

  console.log(`\n== ${name}`);
  const total = { calls: 0, attempts: 0 };
  const rows = OPS.map(op => {
    let calls = 0;
    let attempts = 0;
    let failed = 0;
    let totalMs = 0;
    let maxMs = 0;
    const statuses = new Map<number, number>();
    for (const perTarget of stats.values()) {
      const s = perTarget.get(op);
      if (!s) continue;
      calls += s.calls;
      attempts += s.attempts;
      failed += s.failed;
      totalMs += s.totalMs;
      maxMs = Math.max(maxMs, s.maxMs);
      for (const [k, v] of s.statuses)
        statuses.set(k, (statuses.get(k) ?? 0) + v);
    }
    total.calls += calls;
    total.attempts += attempts;
    const statusText = [...statuses]
      .sort((a, b) => a[0] - b[0])
      .map(([k, v]) => `${k || 'none'}x${v}`)
      .join(' ');
    return [
      OP_SHORT[op],
      calls,
      attempts,
      failed,
      statusText || '-',
      calls ? `${(totalMs / calls).toFixed(0)} ms` : '-',
      secs(maxMs),
    ];
  });
  rows.push(['total', total.calls, total.attempts, '', '', '', '']);
  printTable(
    [
      'operation',
      'calls',
      'HTTP attempts',
      'failed calls',
      'HTTP statuses',
      'mean call time',
      'slowest call',
    ],
    rows,
  );
  const minimum = ACCOUNTS.length * REGIONS.length * 3 + SERVICES; // one page each + 1 per service
  console.log(
    `  minimum calls                   ${minimum} (3 list calls x ${
      ACCOUNTS.length * REGIONS.length
    } account x regions, + 1 permissions call per service; DescribeVpcEndpointConnections pages at 1000 connections)`,
  );
  console.log(`  wall time                       ${secs(wallMs)}`);
  const failedTargets = report.targets.filter(t => !t.ok);
  console.log(
    `  targets ok / failed             ${
      report.targets.length - failedTargets.length
    } / ${failedTargets.length}${failedTargets
      .map(f => ` — ${f.accountId}/${f.region}: ${f.error}`)
      .join('')}`,
  );
  const degraded = report.targets.filter(t =>
    t.warnings.some(w => w.includes('DescribeVpcEndpointConnections')),
  );
  console.log(
    `  degraded reads                  ${degraded.length} target(s) fell back to the consumer-side view (DescribeVpcEndpointConnections failed)`,
  );
  if (degraded[0])
    console.log(`    e.g. ${degraded[0].warnings[0].slice(0, 200)}`);
  console.log(
    `  entities emitted                ${state.entities} (${[...state.byType]
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')})`,
  );
  console.log(
    `  RSS before / peak / increase    ${mb(rssBefore)} / ${mb(
      peakRss,
    )} / +${mb(peakRss - rssBefore)}   (peak JS heap used ${mb(peakHeap)})`,
  );

  const connectionsRows = [...stats].map(([key, perTarget]) => {
    const c = perTarget.get('DescribeVpcEndpointConnections');
    const others = [
      'DescribeVpcEndpointServiceConfigurations',
      'DescribeVpcEndpoints',
    ].map(op => perTarget.get(op)?.maxMs ?? 0);
    return [
      key,
      c?.attempts ?? 0,
      c ? secs(c.totalMs) : '-',
      secs(Math.max(...others)),
      c ? secs(Math.max(0, c.totalMs - Math.max(...others))) : '-',
    ];
  });
  console.log(
    '  cost of DescribeVpcEndpointConnections per target (the permission calls wait for all three list reads):',
  );
  printTable(
    [
      'account/region',
      'HTTP attempts',
      'until it answered',
      'slowest other list read',
      'delay it added',
    ],
    connectionsRows,
  );
  return { wallMs, total, peakRss, report, entities: state.entities };
}

async function main() {
  const started = performance.now();
  console.log('# PrivateLink sync benchmark — moto_server');
  console.log(
    `node ${process.version}, ${cpus().length} cores, load average ${loadavg()
      .map(l => l.toFixed(2))
      .join(', ')}; gc: ${
      collectGarbage() ? 'yes' : 'no (run with --expose-gc)'
    }`,
  );
  console.log(
    `dataset: ${SERVICES} endpoint services over ${ACCOUNTS.length} accounts x ${REGIONS.length} regions; ${ENDPOINTS} consumer endpoints over the consumer accounts`,
  );
  const moto = await startMoto();
  // The STS client inside @backstage/integration-aws-node (AssumeRole per account) takes its endpoint from here.
  process.env.AWS_ENDPOINT_URL = moto.endpoint;
  console.log(`moto_server on ${moto.endpoint} (pid ${moto.pid})`);
  try {
    const t0 = performance.now();
    const { phases } = await createData(moto.endpoint);
    console.log(
      `\n== data creation (not part of the sync; ${CREATE_CONCURRENCY} calls at once)`,
    );
    printTable(
      ['phase', 'calls', 'time'],
      phases.map(([n, c, ms]) => [n, c, secs(ms)]),
    );
    console.log(
      `  total creation time             ${secs(performance.now() - t0)}`,
    );

    const results = [];
    for (let run = 1; run <= RUNS; run++) {
      results.push(
        await runSync(
          moto.endpoint,
          `sync run ${run}/${RUNS}${
            run === 1 ? ' (cold)' : ''
          }: provider refresh, client-side token bucket (config defaults)`,
          false,
        ),
      );
    }
    let shortcut;
    if (!flag('no-shortcut')) {
      shortcut = await runSync(
        moto.endpoint,
        'BENCH-ONLY variant: DescribeVpcEndpointConnections answered locally with an error (no request, no retries), to isolate what its retries cost',
        true,
      );
    }
    if (!flag('no-probe')) await probeMoto(moto.endpoint);
    console.log('\n== summary');
    printTable(
      [
        'run',
        'wall time',
        'calls',
        'HTTP attempts',
        'failed targets',
        'entities',
        'peak RSS',
      ],
      [
        ...results.map((r, i) => [
          `sync run ${i + 1}`,
          secs(r.wallMs),
          r.total.calls,
          r.total.attempts,
          r.report.targets.filter(t => !t.ok).length,
          r.entities,
          mb(r.peakRss),
        ]),
        ...(shortcut
          ? [
              [
                'no Connections retries (bench-only)',
                secs(shortcut.wallMs),
                shortcut.total.calls,
                shortcut.total.attempts,
                shortcut.report.targets.filter(t => !t.ok).length,
                shortcut.entities,
                mb(shortcut.peakRss),
              ],
            ]
          : []),
      ],
    );
    if (shortcut) {
      const times = results.map(r => r.wallMs);
      const best = Math.min(...times);
      console.log(
        `  wall time without the Connections retries ${secs(
          shortcut.wallMs,
        )} vs ${secs(best)} (best run with them): ` +
          `difference ${secs(
            best - shortcut.wallMs,
          )}; run-to-run spread of the normal runs ${secs(
            Math.max(...times) - best,
          )}. ` +
          'The retries delay each target by the time shown in "delay it added" above; they lengthen the sync only ' +
          'when that target is the last to finish.',
      );
    }
    console.log(
      `  process.resourceUsage().maxRSS ${mb(
        maxRssBytes(),
      )} (this process, data creation included; moto runs in its own process)`,
    );
  } finally {
    await moto.stop();
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
