// The organisation of the page-search benchmark (bench/page-search.ts), generated the same way on every run: its
// endpoint services spread over provider accounts × regions, each owned by one of 50 teams and part of one of 100
// systems, allowing a few consumer accounts; consumer endpoints in the consumer accounts. The bench user's team
// owns one consumer account: allowed on about one service in twenty, connected to those its endpoints reach.
// Shapes are the sync's own snapshots (AccountRegionSnapshot), so that the sync's entity builder makes the entities.
import type {
  AccountRegionSnapshot,
  EndpointRecord,
  EndpointServiceRecord,
  EntityConfig,
} from '@privatelink-backstage/plugin-catalog-backend-module-privatelink/internal';
import { hex, prng } from './common.ts';

/** The regions of every account of the bench organisation. */
export const BENCH_REGIONS = ['us-east-1', 'eu-west-1'];
/** The bench user, as the guest sign-in names them (`auth.providers.guest.userEntityRef`). */
export const BENCH_USER = 'user:default/bench';
/** The bench user's one team (`auth.providers.guest.ownershipEntityRefs`). */
export const BENCH_TEAM = 'group:default/team-07';

const TEAMS = 50;
const SYSTEMS = 100;
const PROVIDERS = Array.from({ length: 10 }, (_, i) => `1000000000${String(i).padStart(2, '0')}`);
const CONSUMERS = Array.from({ length: 5 }, (_, i) => `2000000000${String(i).padStart(2, '0')}`);
/** The consumer account the bench user's team owns. */
export const BENCH_TEAM_ACCOUNT = CONSUMERS[0];

const team = (i: number) => `group:default/team-${String(i % TEAMS).padStart(2, '0')}`;

/** The configured accounts, as `privatelink.accounts` (the team's account with its owner). */
export function benchAccounts() {
  return [
    ...PROVIDERS.map(accountId => ({ accountId, name: `provider-${accountId.slice(-2)}` })),
    ...CONSUMERS.map(accountId => ({
      accountId,
      name: `consumer-${accountId.slice(-2)}`,
      ...(accountId === BENCH_TEAM_ACCOUNT ? { owner: BENCH_TEAM } : {}),
    })),
  ];
}

/** The sync's snapshots of the bench organisation and the entity config to build its entities with. */
export function generateSearchData(options: { services: number; endpoints: number }) {
  const rand = prng(16);
  const targets = PROVIDERS.flatMap(accountId => BENCH_REGIONS.map(region => ({ accountId, region })));
  const services: EndpointServiceRecord[] = Array.from({ length: options.services }, (_, i) => {
    const { accountId, region } = targets[i % targets.length];
    const serviceId = `vpce-svc-${hex(rand, 17)}`;
    const allowed = CONSUMERS.filter((c, k) => (c === BENCH_TEAM_ACCOUNT ? i % 20 === 0 : (i + k) % 3 === 0));
    return {
      accountId,
      region,
      serviceId,
      serviceName: `com.amazonaws.vpce.${region}.${serviceId}`,
      serviceType: 'Interface',
      state: 'Available',
      acceptanceRequired: i % 2 === 0,
      ...(i % 4 === 0 ? { privateDnsName: `svc-${String(i).padStart(5, '0')}.internal.example.com`, privateDnsState: 'verified' } : {}),
      baseEndpointDnsNames: [`${serviceId}.${region}.vpce.amazonaws.com`],
      loadBalancerArns: [`arn:aws:elasticloadbalancing:${region}:${accountId}:loadbalancer/net/svc-${i}/${hex(rand, 16)}`],
      supportedIpAddressTypes: ['ipv4'],
      supportedRegions: [region],
      tags: {
        'backstage:name': `svc-${String(i).padStart(5, '0')}`,
        Name: `Service ${i}`,
        'backstage:owner': team(i),
        'backstage:system': `system-${String(i % SYSTEMS).padStart(3, '0')}`,
      },
      allowedPrincipals: allowed.map(c => `arn:aws:iam::${c}:root`),
      connections: [],
    };
  });
  // Endpoints round-robin over the consumer accounts, each to a service of its region (connections the
  // provider sees, and the endpoint read in its own account).
  const endpoints: EndpointRecord[] = [];
  for (let i = 0; i < options.endpoints; i += 1) {
    const accountId = CONSUMERS[i % CONSUMERS.length];
    const service = services[Math.floor(rand() * services.length)];
    const endpointId = `vpce-${hex(rand, 17)}`;
    const dnsNames = [`${endpointId}-abcd1234.${service.serviceId}.${service.region}.vpce.amazonaws.com`];
    service.connections!.push({ endpointId, ownerAccountId: accountId, state: 'available', createdAt: '2026-11-01T10:00:00.000Z', dnsNames });
    endpoints.push({
      accountId,
      region: service.region,
      endpointId,
      endpointType: 'Interface',
      serviceName: service.serviceName,
      vpcId: `vpc-${hex(rand, 17)}`,
      subnetIds: [`subnet-${hex(rand, 17)}`],
      state: 'available',
      privateDnsEnabled: false,
      dnsNames,
      tags: { 'backstage:owner': accountId === BENCH_TEAM_ACCOUNT ? BENCH_TEAM : team(i + 1) },
      createdAt: '2026-11-01T10:00:00.000Z',
    });
  }
  const readAt = '2026-12-01T00:00:00.000Z';
  const snapshots: AccountRegionSnapshot[] = [
    ...targets.map(t => ({ ...t, readAt, warnings: [], endpoints: [], services: services.filter(s => s.accountId === t.accountId && s.region === t.region) })),
    ...CONSUMERS.flatMap(accountId =>
      BENCH_REGIONS.map(region => ({
        accountId,
        region,
        readAt,
        warnings: [],
        services: [],
        endpoints: endpoints.filter(e => e.accountId === accountId && e.region === region),
      })),
    ),
  ];
  const entityConfig: EntityConfig = {
    accounts: benchAccounts().map(a => ({ ...a, regions: BENCH_REGIONS })),
    defaultOwner: 'group:default/platform',
    tagKeys: { owner: 'backstage:owner', system: 'backstage:system', component: 'backstage:component', name: 'backstage:name' },
  };
  return { snapshots, entityConfig };
}
