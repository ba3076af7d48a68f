import { AccountRegionSnapshot, EndpointServiceRecord } from './aws/types';
import { CONSUMER, endpointId, PROVIDER, REGION, serviceId, serviceName, serviceRecord } from './__fixtures__/ec2';
import { buildEntities, EntityConfig, fillAllowedPrincipals, snapshotsOfService } from './entities';

const config: EntityConfig = {
  accounts: [{ accountId: PROVIDER, regions: [REGION] }, { accountId: CONSUMER, regions: [REGION] }],
  defaultOwner: 'group:default/platform',
  tagKeys: { owner: 'backstage:owner', system: 'backstage:system', component: 'backstage:component', name: 'backstage:name' },
};

const service = (n: number, allowedPrincipals: string[]): EndpointServiceRecord =>
  serviceRecord(n, {
    supportedIpAddressTypes: ['ipv4'],
    tags: { 'backstage:name': `service-${n}` },
    allowedPrincipals,
    connections: [{ endpointId: endpointId(n), ownerAccountId: CONSUMER, state: 'available', dnsNames: [] }],
  });

function snapshots(principals: string[][]): AccountRegionSnapshot[] {
  return [
    // Services listed out of id order: the entities come in id order.
    { accountId: PROVIDER, region: REGION, readAt: '2026-11-01T00:00:00.000Z', warnings: [], endpoints: [], services: principals.map((p, i) => service(principals.length - i, p)) },
    {
      accountId: CONSUMER,
      region: REGION,
      readAt: '2026-11-01T00:00:00.000Z',
      warnings: [],
      services: [],
      endpoints: [
        { accountId: CONSUMER, region: REGION, endpointId: endpointId(1), serviceName: serviceName(1), subnetIds: [], state: 'available', privateDnsEnabled: false, dnsNames: [], tags: {} },
      ],
    },
  ];
}

describe('fillAllowedPrincipals', () => {
  const principals = [[`arn:aws:iam::${CONSUMER}:root`, '111111111111'], [], [`arn:aws:iam::${CONSUMER}:role/app`]];

  it('turns the entities built without allowed principals into the ones built with them', () => {
    const entities = buildEntities(snapshots(principals.map(() => [])), config);
    const full = snapshots(principals);

    expect(fillAllowedPrincipals(entities, full)).toBe(true);
    expect(entities).toEqual(buildEntities(full, config));
    expect(entities.find(e => e.metadata.name === 'service-3')!.metadata.annotations!['privatelink.io/allowed-principals']).toBe(
      `111111111111,arn:aws:iam::${CONSUMER}:root`,
    );
  });

  it('changes nothing when the entities were built from other services', () => {
    const entities = buildEntities(snapshots([[], []]), config);
    const before = JSON.stringify(entities);

    expect(fillAllowedPrincipals(entities, snapshots(principals))).toBe(false);
    expect(JSON.stringify(entities)).toBe(before);
  });
});

describe('owners an account permits (accounts[].owners)', () => {
  const owned = (owner: string | undefined) => {
    const s = service(1, []);
    return [{ ...snapshots([[]])[0], services: [{ ...s, tags: { ...s.tags, ...(owner ? { 'backstage:owner': owner } : {}) } }] }];
  };
  const withOwners: EntityConfig = {
    ...config,
    accounts: [{ accountId: PROVIDER, regions: [REGION], owner: 'group:default/platform', owners: ['group:default/orders'] }],
  };
  const serviceEntity = (entities: ReturnType<typeof buildEntities>) => entities.find(e => e.spec?.type === 'vpc-endpoint-service')!;

  it('takes an owner tag the account permits, with no warning', () => {
    for (const tag of ['group:default/orders', 'orders', 'group:default/platform']) {
      const entity = serviceEntity(buildEntities(owned(tag), withOwners));
      expect(entity.spec!.owner).toBe(tag === 'orders' ? 'group:default/orders' : tag);
      expect(entity.metadata.annotations!['privatelink.io/owner-warning']).toBeUndefined();
    }
  });

  it("falls back to the account's owner for any other tag, and says why on the entity", () => {
    const entity = serviceEntity(buildEntities(owned('group:default/payments'), withOwners));
    expect(entity.spec!.owner).toBe('group:default/platform');
    expect(entity.metadata.annotations!['privatelink.io/owner-warning']).toBe(
      `The backstage:owner tag names group:default/payments, which account ${PROVIDER} does not permit (privatelink.accounts[].owners); owned by group:default/platform instead`,
    );
  });

  it('takes any tag as written in an account that lists no owners', () => {
    const entity = serviceEntity(buildEntities(owned('group:default/payments'), config));
    expect(entity.spec!.owner).toBe('group:default/payments');
    expect(entity.metadata.annotations!['privatelink.io/owner-warning']).toBeUndefined();
  });

  it('leaves a service without a tag to the account owner, with no warning', () => {
    const entity = serviceEntity(buildEntities(owned(undefined), withOwners));
    expect(entity.spec!.owner).toBe('group:default/platform');
    expect(entity.metadata.annotations!['privatelink.io/owner-warning']).toBeUndefined();
  });
});

describe('buildEntities for one service (snapshotsOfService with the names of the whole)', () => {
  const stringify = (e: { kind: string; metadata: { name: string } }) => `${e.kind}:${e.metadata.name}`;
  // Service 1 has a connection and an endpoint read in the consumer account; service 2 a connection only;
  // a third endpoint connects to a service that no snapshot holds (deleted, or another organisation's).
  const data = (): AccountRegionSnapshot[] => {
    const [provider, consumer] = snapshots([[], []]);
    consumer.endpoints.push(
      { accountId: CONSUMER, region: REGION, endpointId: endpointId(9), serviceName: serviceName(9), subnetIds: [], state: 'available', privateDnsEnabled: false, dnsNames: [], tags: {} },
    );
    return [provider, consumer];
  };

  it("builds exactly the service's own entities of the full build: its entity and its consumers'", () => {
    const full = buildEntities(data(), config);
    for (const n of [1, 2, 9]) {
      const names = new Map(full.filter(e => e.spec?.type === 'vpc-endpoint-service').map(e => [e.metadata.annotations!['privatelink.io/service-name'], e.metadata.name]));
      const only = buildEntities(snapshotsOfService(data(), serviceName(n)), config, { serviceEntityName: name => names.get(name) });
      const belongs = full.filter(
        e => e.metadata.annotations?.['privatelink.io/service-name'] === serviceName(n) ||
          (e.spec?.dependsOn as string[] | undefined)?.[0] === `resource:default/service-${n}`,
      );
      expect(only.map(stringify).sort()).toEqual(belongs.map(stringify).sort());
      expect(only).toEqual(expect.arrayContaining(belongs));
      expect(only.length).toBeGreaterThan(0);
    }
  });

  it('gives the services their ids when two want the same name, and a part of the snapshots takes the name it is given', () => {
    const snaps = data();
    snaps[0].services[0].tags['backstage:name'] = 'shared';
    snaps[0].services[1].tags['backstage:name'] = 'shared';
    expect(buildEntities(snaps, config).filter(e => e.spec?.type === 'vpc-endpoint-service').map(e => e.metadata.name).sort()).toEqual(
      [serviceId(1), serviceId(2)].sort(),
    );
    // Alone, service 1 would be "shared"; with the name of the whole it keeps its id.
    const part = snapshotsOfService(snaps, serviceName(1));
    expect(buildEntities(part, config).find(e => e.spec?.type === 'vpc-endpoint-service')?.metadata.name).toBe('shared');
    expect(
      buildEntities(part, config, { serviceEntityName: () => serviceId(1) }).find(e => e.spec?.type === 'vpc-endpoint-service')?.metadata.name,
    ).toBe(serviceId(1));
  });
});

describe('what the write path keeps on a service', () => {
  const built = (tags: Record<string, string>, supportedIpAddressTypes = ['ipv6', 'ipv4']) => {
    const [provider, consumer] = snapshots([[]]);
    provider.services[0] = { ...provider.services[0], supportedIpAddressTypes, tags: { ...provider.services[0].tags, ...tags } };
    return buildEntities([provider, consumer], config).find(e => e.spec?.type === 'vpc-endpoint-service')!;
  };

  it('shows the supported IP address types and an announced retirement, never as labels', () => {
    const entity = built({ 'privatelink:retirement-announced': '2026-12-01T10:00:00Z' });
    expect(entity.metadata.annotations).toMatchObject({
      'privatelink.io/supported-ip-address-types': 'ipv4,ipv6',
      'privatelink.io/retirement-announced': '2026-12-01T10:00:00.000Z',
    });
    expect(Object.keys(entity.metadata.labels ?? {}).filter(l => l.includes('retirement'))).toEqual([]);
  });

  it('leaves out a retirement tag that is not a time, and types AWS does not report', () => {
    const entity = built({ 'privatelink:retirement-announced': 'soon' }, []);
    expect(entity.metadata.annotations!['privatelink.io/retirement-announced']).toBeUndefined();
    expect(entity.metadata.annotations!['privatelink.io/supported-ip-address-types']).toBeUndefined();
  });
});
