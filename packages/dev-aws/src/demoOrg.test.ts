import { DEMO_ORG, DEMO_REGION, demoKeys, getDemoAccount } from './demoOrg.ts';

const rootOf = (accountId: string) => `arn:aws:iam::${accountId}:root`;

describe('DEMO_ORG', () => {
  it('has one provider and two consumer accounts with distinct ids and CIDRs', () => {
    const ids = DEMO_ORG.accounts.map(a => a.accountId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(DEMO_ORG.accounts.map(a => a.vpc.cidr)).size).toBe(
      ids.length,
    );
    expect(DEMO_ORG.accounts.filter(a => a.role === 'provider')).toEqual([
      expect.objectContaining({
        accountId: DEMO_ORG.providerAccountId,
        name: 'shared-services',
      }),
    ]);
    expect(
      DEMO_ORG.accounts.filter(a => a.role === 'consumer').map(a => a.name),
    ).toEqual(['payments-prod', 'orders-prod']);
  });

  it('reaches consumers by AssumeRole into their own account, the provider with static credentials', () => {
    expect(
      DEMO_ORG.accounts.map(a => [a.accountId, a.role, a.assumeRoleArn]),
    ).toEqual([
      ['123456789012', 'provider', undefined],
      [
        '210987654321',
        'consumer',
        'arn:aws:iam::210987654321:role/PrivateLinkDemo',
      ],
      [
        '345678901234',
        'consumer',
        'arn:aws:iam::345678901234:role/PrivateLinkDemo',
      ],
    ]);
  });

  it('puts every subnet inside its VPC, in the region, one per AZ', () => {
    expect(DEMO_ORG.region).toBe(DEMO_REGION);
    for (const account of DEMO_ORG.accounts) {
      const vpcPrefix = account.vpc.cidr.split('.').slice(0, 2).join('.');
      const azs = account.vpc.subnets.map(s => s.availabilityZone);
      expect(new Set(azs).size).toBe(azs.length);
      expect(azs.length).toBeGreaterThanOrEqual(2);
      for (const subnet of account.vpc.subnets) {
        expect(subnet.availabilityZone.startsWith(DEMO_ORG.region)).toBe(true);
        expect(subnet.cidr.startsWith(`${vpcPrefix}.`)).toBe(true);
      }
      expect(account.vpc.enableDnsSupport).toBe(true);
      expect(account.vpc.enableDnsHostnames).toBe(true);
    }
  });

  it('defines services in the provider account with unique names and complete backstage tags', () => {
    const names = DEMO_ORG.services.map(s => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.sort()).toEqual(
      ['auth-service', 'central-logging', 'metrics-gateway', 'orders-api'].sort(),
    );
    const nlbNames = DEMO_ORG.services.map(s => s.nlb.name);
    expect(new Set(nlbNames).size).toBe(nlbNames.length);
    for (const service of DEMO_ORG.services) {
      expect(service.accountId).toBe(DEMO_ORG.providerAccountId);
      expect(service.tags).toEqual(
        expect.objectContaining({
          'backstage:owner': expect.stringMatching(/^group:default\//),
          'backstage:system': expect.any(String),
          'backstage:component': service.name,
          'backstage:name': service.name,
          Name: service.name,
        }),
      );
      // AWS limits: NLB and target group names are at most 32 characters.
      expect(service.nlb.name.length).toBeLessThanOrEqual(32);
      expect(service.nlb.targetGroupName.length).toBeLessThanOrEqual(32);
    }
  });

  it('points every endpoint to a defined service in another account that allows the consumer', () => {
    for (const endpoint of DEMO_ORG.endpoints) {
      const service = DEMO_ORG.services.find(s => s.name === endpoint.service);
      expect(service).toBeDefined();
      const account = getDemoAccount(endpoint.accountId);
      expect(account.role).toBe('consumer');
      expect(service!.allowedPrincipals).toContain(rootOf(account.accountId));
    }
    // Private DNS is only requested where the service has a private DNS name.
    expect(
      DEMO_ORG.endpoints.filter(
        e =>
          e.privateDnsEnabled &&
          !DEMO_ORG.services.find(s => s.name === e.service)?.privateDnsName,
      ),
    ).toEqual([]);
  });

  it('allows as principals only demo consumer accounts', () => {
    const consumerRoots = DEMO_ORG.accounts
      .filter(a => a.role === 'consumer')
      .map(a => rootOf(a.accountId));
    for (const service of DEMO_ORG.services) {
      for (const principal of service.allowedPrincipals) {
        expect(consumerRoots).toContain(principal);
      }
    }
  });

  it('has unique resource keys', () => {
    const keys = [
      ...DEMO_ORG.accounts.map(a => demoKeys.vpc(a.name)),
      ...DEMO_ORG.services.map(s => demoKeys.service(s.name)),
      ...DEMO_ORG.endpoints.map(e =>
        demoKeys.endpoint(getDemoAccount(e.accountId).name, e.service),
      ),
      ...DEMO_ORG.awsServiceEndpoints.map(e =>
        demoKeys.endpoint(getDemoAccount(e.accountId).name, e.name),
      ),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(3 + 4 + 6 + 2);
  });

  it('leaves pending only connections to services that require acceptance', () => {
    const pending = DEMO_ORG.endpoints.filter(e => e.pending);
    expect(pending.map(e => [getDemoAccount(e.accountId).name, e.service])).toEqual([['orders-prod', 'orders-api']]);
    for (const e of pending) {
      expect(DEMO_ORG.services.find(s => s.name === e.service)?.acceptanceRequired).toBe(true);
    }
  });

  it('rejects unknown accounts', () => {
    expect(() => getDemoAccount('999999999999')).toThrow(/not part/);
  });
});
