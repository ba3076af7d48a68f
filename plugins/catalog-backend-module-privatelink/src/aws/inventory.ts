import {
  EC2Client,
  paginateDescribeVpcEndpointConnections,
  paginateDescribeVpcEndpoints,
  paginateDescribeVpcEndpointServiceConfigurations,
  ServiceConfiguration,
  VpcEndpoint,
  VpcEndpointConnection,
  Filter,
} from '@aws-sdk/client-ec2';
import { normalizeEndpointState } from '@privatelink-backstage/plugin-privatelink-common';
import {
  collect,
  PAGE_SIZE,
  readAllowedPrincipals,
} from '@privatelink-backstage/plugin-privatelink-node';
import pLimit from 'p-limit';
import { AccountRegion, tagsToRecord } from '@privatelink-backstage/plugin-privatelink-node';
import {
  AccountRegionSnapshot,
  ConnectionRecord,
  EndpointRecord,
  EndpointServiceRecord,
} from './types';

/** Page size of every Describe call: the largest EC2 accepts, so that calls = minimum pages. */
export { PAGE_SIZE };

const iso = (d: Date | undefined) => (d ? d.toISOString() : undefined);

function toServiceRecord(target: AccountRegion, s: ServiceConfiguration): EndpointServiceRecord {
  return {
    accountId: target.accountId,
    region: target.region,
    serviceId: s.ServiceId!,
    serviceName: s.ServiceName!,
    serviceType: s.ServiceType?.[0]?.ServiceType,
    state: s.ServiceState ?? 'unknown',
    acceptanceRequired: s.AcceptanceRequired ?? true,
    privateDnsName: s.PrivateDnsName || undefined,
    privateDnsState: s.PrivateDnsNameConfiguration?.State,
    baseEndpointDnsNames: s.BaseEndpointDnsNames ?? [],
    loadBalancerArns: [...(s.NetworkLoadBalancerArns ?? []), ...(s.GatewayLoadBalancerArns ?? [])],
    supportedIpAddressTypes: s.SupportedIpAddressTypes ?? [],
    supportedRegions: (s.SupportedRegions ?? []).map(r => r.Region!).filter(Boolean),
    tags: tagsToRecord(s.Tags),
    allowedPrincipals: [],
  };
}

function toConnectionRecord(c: VpcEndpointConnection): ConnectionRecord {
  return {
    endpointId: c.VpcEndpointId!,
    ownerAccountId: c.VpcEndpointOwner,
    state: normalizeEndpointState(c.VpcEndpointState),
    createdAt: iso(c.CreationTimestamp),
    dnsNames: (c.DnsEntries ?? []).map(d => d.DnsName!).filter(Boolean),
  };
}

/** An endpoint the sync shows: with an id and a service, and not `deleted` (EC2 lists deleted endpoints for a while). */
function isLiveEndpoint(e: VpcEndpoint): boolean {
  return Boolean(e.VpcEndpointId && e.ServiceName) && normalizeEndpointState(e.State) !== 'deleted';
}

function toEndpointRecord(target: AccountRegion, e: VpcEndpoint): EndpointRecord {
  return {
    accountId: e.OwnerId ?? target.accountId,
    region: target.region,
    endpointId: e.VpcEndpointId!,
    endpointType: e.VpcEndpointType,
    serviceName: e.ServiceName!,
    vpcId: e.VpcId,
    subnetIds: e.SubnetIds ?? [],
    state: normalizeEndpointState(e.State),
    privateDnsEnabled: e.PrivateDnsEnabled ?? false,
    dnsNames: (e.DnsEntries ?? []).map(d => d.DnsName!).filter(Boolean),
    tags: tagsToRecord(e.Tags),
    createdAt: iso(e.CreationTimestamp),
  };
}

/** Reads one service's allowed principals (one paginated call: the only per-service call of the sync). */
export const readPermissions = readAllowedPrincipals;

/** Reads connections, grouped by service id; undefined where EC2 refused (e.g. a role without ec2:DescribeVpcEndpointConnections). */
async function readConnections(
  ec2: EC2Client,
  filters: Filter[] | undefined,
  warnings: string[],
): Promise<Map<string, ConnectionRecord[]> | undefined> {
  try {
    const connections = await collect(
      paginateDescribeVpcEndpointConnections(
        { client: ec2 },
        { MaxResults: PAGE_SIZE, ...(filters ? { Filters: filters } : {}) },
      ),
      p => p.VpcEndpointConnections,
    );
    const byService = new Map<string, ConnectionRecord[]>();
    for (const c of connections) {
      if (!c.ServiceId || !c.VpcEndpointId || normalizeEndpointState(c.VpcEndpointState) === 'deleted') continue;
      byService.set(c.ServiceId, [...(byService.get(c.ServiceId) ?? []), toConnectionRecord(c)]);
    }
    return byService;
  } catch (e) {
    warnings.push(
      `DescribeVpcEndpointConnections failed (${(e as Error).name}: ${(e as Error).message}); consumers come from the endpoints read in consumer accounts`,
    );
    return undefined;
  }
}

/**
 * Reads one account and region: its endpoint services (with permissions and connections) and its own VPC
 * endpoints. Calls: one paginated DescribeVpcEndpointServiceConfigurations, one paginated
 * DescribeVpcEndpointServicePermissions per service (at most `concurrency` at once), one paginated
 * DescribeVpcEndpointConnections, one paginated DescribeVpcEndpoints. A failure of the connections call
 * degrades to the consumer-side view; any other failure rejects, and the caller keeps the last good snapshot.
 *
 * `listsAfter`: the connections and endpoints reads start once this many permissions calls have started (or
 * once the configurations are read, when there are fewer services); 0, the default: at once. Their pages are
 * the largest of the sync (up to 1,000 items each), and parsing one holds the event loop for tens of
 * milliseconds. While EC2's bucket is still full, a pause of the permissions calls loses its refill (a full
 * bucket refills no further); once they have drawn it down, the same pause costs nothing. Hence, in a full
 * sync: the rate limit's burst (fewer permissions calls than that never wait for a token anyway).
 *
 * `knownPrincipals`: the allowed principals of some services, known already: they are not read again.
 *
 * `onLists`: called once everything but the services' allowed principals is read, with the snapshot this
 * call then resolves to, except that every `allowedPrincipals` is still empty (the permissions calls that
 * fill them in are still running). The resolved snapshot shares its `endpoints` and `warnings` arrays.
 */
export async function readAccountRegion(
  ec2: EC2Client,
  target: AccountRegion,
  options: {
    concurrency: number;
    now?: () => Date;
    listsAfter?: number;
    onLists?: (snapshot: AccountRegionSnapshot) => void;
    /**
     * Allowed principals already known, by service id (a replica recovering the last full sync's from the
     * catalog): no permissions call for these services.
     */
    knownPrincipals?: ReadonlyMap<string, string[]>;
  },
): Promise<AccountRegionSnapshot> {
  const readAt = (options.now?.() ?? new Date()).toISOString();
  const warnings: string[] = [];
  const limit = pLimit(options.concurrency);

  const listsAfter = options.listsAfter ?? 0;
  let queued = 0;
  let started = 0;
  let allQueued = false;
  let startLists!: () => void;
  const listsMayStart = new Promise<void>(resolve => (startLists = resolve));
  const maybeStartLists = () => {
    if (started >= listsAfter || (allQueued && queued < listsAfter)) startLists();
  };
  maybeStartLists();

  // Each service's permissions call starts as soon as its configurations page arrives.
  const records: EndpointServiceRecord[] = [];
  const principals: Array<Promise<string[]>> = [];
  const queuePermissions = (serviceId: string) => {
    const known = options.knownPrincipals?.get(serviceId);
    if (known) {
      principals.push(Promise.resolve(known));
      return;
    }
    queued += 1;
    const read = limit(() => {
      started += 1;
      maybeStartLists();
      return readPermissions(ec2, serviceId);
    });
    // Awaited below, after the list reads: until then a failure must not count as an unhandled rejection.
    read.catch(() => {});
    principals.push(read);
  };
  const readServices = (async () => {
    for await (const page of paginateDescribeVpcEndpointServiceConfigurations({ client: ec2 }, { MaxResults: PAGE_SIZE })) {
      for (const s of page.ServiceConfigurations ?? []) {
        if (!s.ServiceId || !s.ServiceName) continue;
        records.push(toServiceRecord(target, s));
        queuePermissions(s.ServiceId);
      }
    }
    allQueued = true;
    maybeStartLists();
  })();
  const lists = listsMayStart.then(() =>
    Promise.all([
      readConnections(ec2, undefined, warnings),
      collect(paginateDescribeVpcEndpoints({ client: ec2 }, { MaxResults: PAGE_SIZE }), p => p.VpcEndpoints),
    ]),
  );
  const [, [connections, endpoints]] = await Promise.all([readServices, lists]);

  const snapshot: AccountRegionSnapshot = {
    accountId: target.accountId,
    region: target.region,
    readAt,
    services: records.map(record => ({
      ...record,
      connections: connections ? connections.get(record.serviceId) ?? [] : undefined,
    })),
    endpoints: endpoints.filter(isLiveEndpoint).map(e => toEndpointRecord(target, e)),
    warnings,
  };
  options.onLists?.(snapshot);
  const allowed = await Promise.all(principals);
  return { ...snapshot, services: snapshot.services.map((record, i) => ({ ...record, allowedPrincipals: allowed[i] })) };
}

/**
 * Re-reads one endpoint service in its account (targeted refresh). Resolves undefined when the service no
 * longer exists.
 */
export async function readService(
  ec2: EC2Client,
  target: AccountRegion,
  serviceId: string,
): Promise<{ service?: EndpointServiceRecord; warnings: string[] }> {
  const warnings: string[] = [];
  let configurations: ServiceConfiguration[];
  try {
    configurations = await collect(
      paginateDescribeVpcEndpointServiceConfigurations({ client: ec2 }, { ServiceIds: [serviceId] }),
      p => p.ServiceConfigurations,
    );
  } catch (e) {
    // EC2 answers an unknown id with an error rather than an empty list.
    if (/NotFound/i.test((e as Error).name ?? '')) return { warnings };
    throw e;
  }
  const found = configurations.find(s => s.ServiceId === serviceId);
  if (!found) return { warnings };
  const record = toServiceRecord(target, found);
  const [principals, connections] = await Promise.all([
    readPermissions(ec2, serviceId),
    readConnections(ec2, [{ Name: 'service-id', Values: [serviceId] }], warnings),
  ]);
  record.allowedPrincipals = principals;
  record.connections = connections ? connections.get(serviceId) ?? [] : undefined;
  return { service: record, warnings };
}

/** Reads the endpoints of one account and region that connect to the given service name. */
export async function readEndpointsTo(
  ec2: EC2Client,
  target: AccountRegion,
  serviceName: string,
): Promise<EndpointRecord[]> {
  const endpoints = await collect(
    paginateDescribeVpcEndpoints(
      { client: ec2 },
      { MaxResults: PAGE_SIZE, Filters: [{ Name: 'service-name', Values: [serviceName] }] },
    ),
    p => p.VpcEndpoints,
  );
  return endpoints.filter(isLiveEndpoint).map(e => toEndpointRecord(target, e));
}

