// An in-process simulated EC2 for the sync benchmark: an HTTP server on 127.0.0.1 that speaks the EC2 Query
// API (POST form body, `Action=...`, XML in the 2016-11-15 namespace) for the four Describe calls the sync
// makes, over generated data, with a fixed latency per call and EC2's Describe* token bucket per
// account × region. Erasable TypeScript only.
//
// The XML element names are the ones @aws-sdk/client-ec2 (3.1169) deserializes: its schemas in
// node_modules/@aws-sdk/client-ec2/dist-cjs/index.js name the members `serviceConfigurationSet`,
// `allowedPrincipals`, `vpcEndpointConnectionSet`, `vpcEndpointSet`, `nextToken`, and every list member `item`.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { fork } from 'node:child_process';
import { hex, prng } from './common.ts';

const XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

export const DESCRIBE_ACTIONS = [
  'DescribeVpcEndpointServiceConfigurations',
  'DescribeVpcEndpointServicePermissions',
  'DescribeVpcEndpointConnections',
  'DescribeVpcEndpoints',
] as const;
export type DescribeAction = (typeof DESCRIBE_ACTIONS)[number];

export interface SimAccount {
  accountId: string;
  name: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Consumer accounts own the VPC endpoints; every account publishes endpoint services. */
  consumer: boolean;
}

export interface SimService {
  serviceId: string;
  serviceName: string;
  accountId: string;
  region: string;
  acceptanceRequired: boolean;
  privateDnsName?: string;
  nlbArn: string;
  principals: string[];
  tags: Record<string, string>;
}

export interface SimConnection {
  serviceId: string;
  endpointId: string;
  owner: string;
  state: string;
  createdAt: string;
  dnsName: string;
}

export interface SimEndpoint {
  endpointId: string;
  accountId: string;
  region: string;
  serviceName: string;
  vpcId: string;
  subnetIds: string[];
  state: string;
  privateDnsEnabled: boolean;
  dnsName: string;
  createdAt: string;
  tags: Record<string, string>;
}

/** What one account × region holds. */
export interface SimTarget {
  accountId: string;
  region: string;
  services: SimService[];
  connections: SimConnection[];
  endpoints: SimEndpoint[];
}

export const targetKey = (accountId: string, region: string) =>
  `${accountId}/${region}`;

const ALL_REGIONS = ['us-east-1', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'us-west-2', 'ap-northeast-1'];

/** The first `n` of six regions (`--regions N`). */
export function simRegions(n: number): string[] {
  if (!(n >= 1 && n <= ALL_REGIONS.length)) throw new Error(`--regions takes 1 to ${ALL_REGIONS.length}`);
  return ALL_REGIONS.slice(0, n);
}

const NAMED_ACCOUNTS: SimAccount[] = [
  { accountId: '111111111111', name: 'shared-services', accessKeyId: 'AKIASIMSHARED0000001', secretAccessKey: 'sim-secret-1', consumer: false },
  { accountId: '222222222222', name: 'payments-prod', accessKeyId: 'AKIASIMPAYMENTS00002', secretAccessKey: 'sim-secret-2', consumer: true },
  { accountId: '333333333333', name: 'orders-prod', accessKeyId: 'AKIASIMORDERS0000003', secretAccessKey: 'sim-secret-3', consumer: true },
];

/**
 * `n` accounts (`--accounts N`, at least 2): the three named ones, then generated `workload-NNN` ones; every
 * account but the first is a consumer too. Each has its own access key, which is how the simulator tells them
 * apart.
 */
export function simAccounts(n: number): SimAccount[] {
  if (!(n >= 2)) throw new Error('--accounts takes at least 2');
  return Array.from({ length: n }, (_, i) =>
    i < NAMED_ACCOUNTS.length
      ? NAMED_ACCOUNTS[i]
      : {
          accountId: String(400000000000 + i),
          name: `workload-${String(i).padStart(3, '0')}`,
          accessKeyId: `AKIASIMWORKLOAD${String(i).padStart(5, '0')}`,
          secretAccessKey: `sim-secret-${i + 1}`,
          consumer: true,
        },
  );
}

/**
 * Generates `services` endpoint services spread round-robin over every account × region, and `endpoints`
 * consumer endpoints spread round-robin over the consumer accounts × regions, each pointing at a service of
 * another account in its own region (PrivateLink is regional), tagged with an owner and a component. Each
 * endpoint is also a connection in the service's account; each service allows the accounts that connect to it.
 */
export function generateData(options: {
  accounts: SimAccount[];
  regions: string[];
  services: number;
  endpoints: number;
  seed?: number;
}): Map<string, SimTarget> {
  const rand = prng(options.seed ?? 42);
  const targets = new Map<string, SimTarget>();
  const order: SimTarget[] = [];
  for (const a of options.accounts) {
    for (const region of options.regions) {
      const t: SimTarget = {
        accountId: a.accountId,
        region,
        services: [],
        connections: [],
        endpoints: [],
      };
      targets.set(targetKey(a.accountId, region), t);
      order.push(t);
    }
  }
  const created = (i: number) =>
    new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString();

  for (let i = 0; i < options.services; i++) {
    const t = order[i % order.length];
    const id = `vpce-svc-${hex(rand, 17)}`;
    const name = `service-${String(i).padStart(4, '0')}`;
    t.services.push({
      serviceId: id,
      serviceName: `com.amazonaws.vpce.${t.region}.${id}`,
      accountId: t.accountId,
      region: t.region,
      acceptanceRequired: i % 3 !== 0,
      privateDnsName: i % 4 === 0 ? `${name}.internal.example.com` : undefined,
      nlbArn: `arn:aws:elasticloadbalancing:${t.region}:${
        t.accountId
      }:loadbalancer/net/${name}/${hex(rand, 16)}`,
      principals: [],
      tags: {
        'backstage:name': name,
        'backstage:owner': `group:default/team-${i % 25}`,
        'backstage:system': `system:default/system-${i % 10}`,
        Name: name,
        'cost-center': `cc-${i % 7}`,
      },
    });
  }

  const consumers = order.filter(
    t => options.accounts.find(a => a.accountId === t.accountId)!.consumer,
  );
  // A service in the same region, published by another account: the region's services, computed once (a
  // pool per endpoint costs endpoints × services at organisation scale).
  const byRegion = new Map<string, SimService[]>();
  for (const o of order) byRegion.set(o.region, [...(byRegion.get(o.region) ?? []), ...o.services]);
  const pick = (t: SimTarget): SimService => {
    const pool = byRegion.get(t.region) ?? [];
    if (!pool.some(s => s.accountId !== t.accountId)) {
      throw new Error(`no service of another account in ${t.region} for the endpoints of ${t.accountId}`);
    }
    for (;;) {
      const service = pool[Math.floor(rand() * pool.length)];
      if (service.accountId !== t.accountId) return service;
    }
  };
  for (let i = 0; i < options.endpoints; i++) {
    const t = consumers[i % consumers.length];
    const service = pick(t);
    const endpointId = `vpce-${hex(rand, 17)}`;
    const state = i % 20 === 0 ? 'pendingAcceptance' : 'available';
    const dnsName = `${endpointId}-${hex(rand, 8)}.${service.serviceId}.${
      t.region
    }.vpce.amazonaws.com`;
    t.endpoints.push({
      endpointId,
      accountId: t.accountId,
      region: t.region,
      serviceName: service.serviceName,
      vpcId: `vpc-${hex(rand, 17)}`,
      subnetIds: [`subnet-${hex(rand, 17)}`, `subnet-${hex(rand, 17)}`],
      state,
      privateDnsEnabled: false,
      dnsName,
      createdAt: created(i),
      tags: {
        'backstage:owner': `group:default/team-${i % 40}`,
        'backstage:component': `component:default/app-${i % 300}`,
        Name: `app-${i % 300}-to-${service.tags['backstage:name']}`,
      },
    });
    targets
      .get(targetKey(service.accountId, service.region))!
      .connections.push({
        serviceId: service.serviceId,
        endpointId,
        owner: t.accountId,
        state,
        createdAt: created(i),
        dnsName,
      });
    const principal = `arn:aws:iam::${t.accountId}:root`;
    if (!service.principals.includes(principal))
      service.principals.push(principal);
  }
  return targets;
}

/** The fewest calls a full read of one target can make: every page once, one permissions call per service. */
export function minimumCalls(
  t: SimTarget,
  pageSize: number,
): Record<DescribeAction, number> {
  const pages = (n: number) => Math.max(1, Math.ceil(n / pageSize));
  return {
    DescribeVpcEndpointServiceConfigurations: pages(t.services.length),
    DescribeVpcEndpointServicePermissions: t.services.reduce(
      (n, s) => n + pages(s.principals.length),
      0,
    ),
    DescribeVpcEndpointConnections: pages(t.connections.length),
    DescribeVpcEndpoints: pages(t.endpoints.length),
  };
}

const esc = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
const el = (name: string, value: string | boolean | undefined) =>
  value === undefined
    ? ''
    : `<${name}>${
        typeof value === 'string' ? esc(value) : String(value)
      }</${name}>`;
const list = (name: string, values: string[]) =>
  `<${name}>${values.map(v => el('item', v)).join('')}</${name}>`;
const tagSet = (tags: Record<string, string>) =>
  `<tagSet>${Object.entries(tags)
    .map(([k, v]) => `<item>${el('key', k)}${el('value', v)}</item>`)
    .join('')}</tagSet>`;

function serviceXml(s: SimService) {
  const base = `${s.serviceId}.${s.region}.vpce.amazonaws.com`;
  return (
    `<item><serviceType><item><serviceType>Interface</serviceType></item></serviceType>` +
    el('serviceId', s.serviceId) +
    el('serviceName', s.serviceName) +
    el('serviceState', 'Available') +
    list('availabilityZoneSet', [`${s.region}a`, `${s.region}b`]) +
    el('acceptanceRequired', s.acceptanceRequired) +
    el('managesVpcEndpoints', false) +
    list('networkLoadBalancerArnSet', [s.nlbArn]) +
    list('supportedIpAddressTypeSet', ['ipv4']) +
    list('baseEndpointDnsNameSet', [base]) +
    el('privateDnsName', s.privateDnsName) +
    (s.privateDnsName
      ? `<privateDnsNameConfiguration>${el('state', 'verified')}${el(
          'type',
          'TXT',
        )}${el('value', `vpce:${s.serviceId}`)}${el(
          'name',
          '_pl',
        )}</privateDnsNameConfiguration>`
      : '') +
    tagSet(s.tags) +
    `</item>`
  );
}

const connectionXml = (c: SimConnection) =>
  `<item>${el('serviceId', c.serviceId)}${el(
    'vpcEndpointId',
    c.endpointId,
  )}${el('vpcEndpointOwner', c.owner)}` +
  `${el('vpcEndpointState', c.state)}${el('creationTimestamp', c.createdAt)}` +
  `<dnsEntrySet><item>${el('dnsName', c.dnsName)}${el(
    'hostedZoneId',
    'Z7HUB22UULQXV',
  )}</item></dnsEntrySet>` +
  `${el('ipAddressType', 'ipv4')}</item>`;

const endpointXml = (e: SimEndpoint) =>
  `<item>${el('vpcEndpointId', e.endpointId)}${el(
    'vpcEndpointType',
    'Interface',
  )}${el('vpcId', e.vpcId)}` +
  `${el('serviceName', e.serviceName)}${el('state', e.state)}${list(
    'routeTableIdSet',
    [],
  )}` +
  `${list('subnetIdSet', e.subnetIds)}${el(
    'privateDnsEnabled',
    e.privateDnsEnabled,
  )}${el('requesterManaged', false)}` +
  `<dnsEntrySet><item>${el('dnsName', e.dnsName)}${el(
    'hostedZoneId',
    'Z7HUB22UULQXV',
  )}</item></dnsEntrySet>` +
  `${el('creationTimestamp', e.createdAt)}${tagSet(e.tags)}${el(
    'ownerId',
    e.accountId,
  )}</item>`;

/** Per account × region and action: requests received, of which answered 503 RequestLimitExceeded. */
export interface SimStats {
  requests: number;
  throttled: number;
  /** Other errors (bad parameters, unknown ids). */
  errors: number;
  /** Arrival of the first and of the last request, ms since the last reset. */
  firstAt: number;
  lastAt: number;
  /** Arrival of each throttled request, ms since the last reset. */
  throttledAt: number[];
}

class Bucket {
  tokens: number;
  at: number;
  readonly capacity: number;
  readonly perSecond: number;
  constructor(capacity: number, perSecond: number) {
    this.capacity = capacity;
    this.perSecond = perSecond;
    this.tokens = capacity;
    this.at = performance.now();
  }
  take(): boolean {
    const now = performance.now();
    this.tokens = Math.min(
      this.capacity,
      this.tokens + ((now - this.at) / 1000) * this.perSecond,
    );
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export interface Ec2Simulator {
  endpoint: string;
  /** stats[accountId/region][action] */
  stats(): Promise<Map<string, Record<string, SimStats>>>;
  /** Clears the counters and refills every bucket (a fresh EC2 for the next scenario). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the simulator. The account of a request comes from the access key id in its SigV4 Authorization
 * header (each simulated account has its own static credentials), the region from its credential scope.
 * Signatures are not verified.
 */
export async function startEc2Simulator(options: {
  accounts: SimAccount[];
  data: Map<string, SimTarget>;
  latencyMs: number;
  /** EC2's Describe* bucket per account × region; undefined: never throttle. */
  bucket?: { capacity: number; perSecond: number };
}): Promise<Ec2Simulator> {
  const byKey = new Map(options.accounts.map(a => [a.accessKeyId, a]));
  let stats = new Map<string, Record<string, SimStats>>();
  let buckets = new Map<string, Bucket>();
  let requestSeq = 0;
  let resetAt = performance.now();

  const count = (key: string, action: string) => {
    let perTarget = stats.get(key);
    if (!perTarget) stats.set(key, (perTarget = {}));
    const now = performance.now() - resetAt;
    const stat = (perTarget[action] ??= {
      requests: 0,
      throttled: 0,
      errors: 0,
      firstAt: now,
      lastAt: now,
      throttledAt: [],
    });
    stat.lastAt = now;
    return stat;
  };

  const send = (res: ServerResponse, status: number, body: string) => {
    setTimeout(() => {
      res.writeHead(status, {
        'content-type': 'text/xml;charset=UTF-8',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    }, options.latencyMs);
  };
  const error = (
    res: ServerResponse,
    status: number,
    code: string,
    message: string,
  ) =>
    send(
      res,
      status,
      `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${esc(
        message,
      )}</Message></Error></Errors><RequestID>${++requestSeq}</RequestID></Response>`,
    );
  const ok = (res: ServerResponse, action: string, inner: string) =>
    send(
      res,
      200,
      `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${XMLNS}"><requestId>${++requestSeq}</requestId>${inner}</${action}Response>`,
    );

  /** One page of `items` as EC2 pages: MaxResults 5..1000 (default 1000), NextToken an opaque offset. */
  function page<T>(
    params: URLSearchParams,
    items: T[],
  ): { items: T[]; next?: string } | { error: string } {
    const max = params.has('MaxResults')
      ? Number(params.get('MaxResults'))
      : 1000;
    if (!Number.isInteger(max) || max < 5 || max > 1000)
      return { error: `MaxResults must be 5..1000, got ${max}` };
    let offset = 0;
    const token = params.get('NextToken');
    if (token) {
      offset = Number(
        Buffer.from(token, 'base64url')
          .toString('utf8')
          .replace(/^offset:/, ''),
      );
      if (!Number.isInteger(offset) || offset < 0)
        return { error: 'Invalid NextToken' };
    }
    const slice = items.slice(offset, offset + max);
    const end = offset + slice.length;
    return {
      items: slice,
      next:
        end < items.length
          ? Buffer.from(`offset:${end}`).toString('base64url')
          : undefined,
    };
  }

  function handle(req: IncomingMessage, res: ServerResponse, body: string) {
    const params = new URLSearchParams(body);
    const action = params.get('Action') ?? '';
    const auth = String(req.headers.authorization ?? '');
    const scope =
      /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(auth);
    const account = scope ? byKey.get(scope[1]) : undefined;
    if (!scope || !account) {
      error(
        res,
        401,
        'AuthFailure',
        'AWS was not able to validate the provided access credentials',
      );
      return;
    }
    const region = scope[2];
    const key = targetKey(account.accountId, region);
    const stat = count(key, action);
    stat.requests += 1;

    if (options.bucket && action.startsWith('Describe')) {
      let bucket = buckets.get(key);
      if (!bucket)
        buckets.set(
          key,
          (bucket = new Bucket(
            options.bucket.capacity,
            options.bucket.perSecond,
          )),
        );
      if (!bucket.take()) {
        stat.throttled += 1;
        stat.throttledAt.push(stat.lastAt);
        send(
          res,
          503,
          '<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>x</RequestID></Response>',
        );
        return;
      }
    }

    const target = options.data.get(key) ?? {
      accountId: account.accountId,
      region,
      services: [],
      connections: [],
      endpoints: [],
    };
    const fail = (code: string, message: string) => {
      stat.errors += 1;
      error(res, 400, code, message);
    };
    const filterValues = (name: string) => {
      for (let i = 1; params.has(`Filter.${i}.Name`); i++) {
        if (params.get(`Filter.${i}.Name`) !== name) continue;
        const values: string[] = [];
        for (let j = 1; params.has(`Filter.${i}.Value.${j}`); j++)
          values.push(params.get(`Filter.${i}.Value.${j}`)!);
        return values;
      }
      return undefined;
    };
    const indexed = (prefix: string) => {
      const values: string[] = [];
      for (let j = 1; params.has(`${prefix}.${j}`); j++)
        values.push(params.get(`${prefix}.${j}`)!);
      return values;
    };

    switch (action) {
      case 'DescribeVpcEndpointServiceConfigurations': {
        const ids = indexed('ServiceId');
        const unknown = ids.find(
          id => !target.services.some(s => s.serviceId === id),
        );
        if (unknown)
          return fail(
            'InvalidVpcEndpointServiceId.NotFound',
            `The Vpc Endpoint Service Id '${unknown}' does not exist`,
          );
        const p = page(
          params,
          ids.length
            ? target.services.filter(s => ids.includes(s.serviceId))
            : target.services,
        );
        if ('error' in p) return fail('InvalidParameterValue', p.error);
        return ok(
          res,
          action,
          `<serviceConfigurationSet>${p.items
            .map(serviceXml)
            .join('')}</serviceConfigurationSet>${el('nextToken', p.next)}`,
        );
      }
      case 'DescribeVpcEndpointServicePermissions': {
        const service = target.services.find(
          s => s.serviceId === params.get('ServiceId'),
        );
        if (!service)
          return fail(
            'InvalidVpcEndpointServiceId.NotFound',
            `The Vpc Endpoint Service Id '${params.get(
              'ServiceId',
            )}' does not exist`,
          );
        const p = page(params, service.principals);
        if ('error' in p) return fail('InvalidParameterValue', p.error);
        return ok(
          res,
          action,
          `<allowedPrincipals>${p.items
            .map(
              pr =>
                `<item>${el('principalType', 'Account')}${el(
                  'principal',
                  pr,
                )}${el('serviceId', service.serviceId)}</item>`,
            )
            .join('')}</allowedPrincipals>${el('nextToken', p.next)}`,
        );
      }
      case 'DescribeVpcEndpointConnections': {
        const ids = filterValues('service-id');
        const p = page(
          params,
          ids
            ? target.connections.filter(c => ids.includes(c.serviceId))
            : target.connections,
        );
        if ('error' in p) return fail('InvalidParameterValue', p.error);
        return ok(
          res,
          action,
          `<vpcEndpointConnectionSet>${p.items
            .map(connectionXml)
            .join('')}</vpcEndpointConnectionSet>${el('nextToken', p.next)}`,
        );
      }
      case 'DescribeVpcEndpoints': {
        const names = filterValues('service-name');
        const p = page(
          params,
          names
            ? target.endpoints.filter(e => names.includes(e.serviceName))
            : target.endpoints,
        );
        if ('error' in p) return fail('InvalidParameterValue', p.error);
        return ok(
          res,
          action,
          `<vpcEndpointSet>${p.items
            .map(endpointXml)
            .join('')}</vpcEndpointSet>${el('nextToken', p.next)}`,
        );
      }
      default:
        return fail(
          'InvalidAction',
          `The action ${action} is not valid for this web service.`,
        );
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () =>
      handle(req, res, Buffer.concat(chunks).toString('utf8')),
    );
  });
  // Keep idle keep-alive sockets longer than any pause of the sync (SDK retry back-off is at most 20 s).
  server.keepAliveTimeout = 60_000;
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats: async () => stats,
    async reset() {
      stats = new Map();
      buckets = new Map();
      resetAt = performance.now();
    },
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Channel = {
  send(m: unknown): void;
  onMessage(cb: (m: any) => void): void;
  onError(cb: (e: Error) => void): void;
};

function remote(channel: Channel, stop: () => Promise<unknown>) {
  let seq = 0;
  const pending = new Map<
    number,
    { resolve: (value: any) => void; reject: (e: Error) => void }
  >();
  channel.onMessage((m: { id: number; value: any }) => {
    pending.get(m.id)?.resolve(m.value);
    pending.delete(m.id);
  });
  channel.onError(e => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  });
  const call = (op: string, extra: object = {}) =>
    new Promise<any>((resolve, reject) => {
      const id = ++seq;
      pending.set(id, { resolve, reject });
      channel.send({ id, op, ...extra });
    });
  return {
    call,
    simulator: (endpoint: string): Ec2Simulator => ({
      endpoint,
      stats: () => call('stats'),
      reset: () => call('reset'),
      close: async () => {
        await call('close');
        await stop();
      },
    }),
  };
}

/**
 * Runs the simulator on its own thread (a worker in this process), so that generating and serving XML does not
 * compete with the sync for the main event loop: on the main thread, every millisecond the simulator spends is
 * added to the latency of the sync's calls and to the gap between the client's token bucket and EC2's.
 * The worker inherits this process's execArgv, hence the TypeScript loader (see bench/README.md).
 */
export async function startEc2SimulatorThread(
  options: Parameters<typeof startEc2Simulator>[0],
): Promise<Ec2Simulator> {
  const worker = new Worker(join(__dirname, 'ec2SimulatorWorker.ts'), {
    workerData: options,
  });
  const r = remote(
    {
      send: m => worker.postMessage(m),
      onMessage: cb => worker.on('message', cb),
      onError: cb => worker.on('error', cb),
    },
    () => worker.terminate(),
  );
  return r.simulator(await r.call('endpoint'));
}

/**
 * Runs the simulator in a child process (same script, forked with this process's execArgv), so that the
 * memory figures of this process are the sync's alone.
 */
export async function startEc2SimulatorProcess(
  options: Parameters<typeof startEc2Simulator>[0],
): Promise<Ec2Simulator> {
  const child = fork(join(__dirname, 'ec2SimulatorWorker.ts'), [], {
    serialization: 'advanced',
    stdio: 'inherit',
  });
  const exited = new Promise(resolve => child.once('exit', resolve));
  const r = remote(
    {
      send: m => child.send(m as any),
      onMessage: cb => child.on('message', cb),
      onError: cb => child.on('error', cb),
    },
    () => exited,
  );
  return r.simulator(await r.call('start', { options }));
}
