import { InputError } from '@backstage/errors';
import { describeCuts, planSettingsChange, ServiceConnection } from './settingsPlan';

const REGION = 'us-east-1';
const connection = (endpointId: string, state: ServiceConnection['state'], region = REGION): ServiceConnection => ({
  endpointId,
  accountId: '210987654321',
  state,
  region,
});

const NO_TAGS = { set: {}, remove: [] };

describe('planSettingsChange', () => {
  const current = {
    ServiceId: 'vpce-svc-0123456789abcdef0',
    AcceptanceRequired: true,
    PrivateDnsName: 'api.example.com',
    SupportedRegions: [{ Region: REGION }, { Region: 'eu-west-1' }],
  };

  it('sends only what differs from the current configuration', () => {
    expect(
      planSettingsChange(current, REGION, [], {
        acceptanceRequired: true,
        addSupportedRegions: ['eu-west-1', 'us-west-2', 'us-west-2'],
        privateDnsName: 'api.example.com',
      }),
    ).toEqual({ input: { AddSupportedRegions: ['us-west-2'] }, tags: NO_TAGS, changed: ['supportedRegions'], cuts: [] });
    expect(planSettingsChange(current, REGION, [], { acceptanceRequired: false })).toEqual({
      input: { AcceptanceRequired: false },
      tags: NO_TAGS,
      changed: ['acceptanceRequired'],
      cuts: [],
    });
  });

  it('names the consumers that connect from a removed region, in any state they use or wait in', () => {
    const plan = planSettingsChange(
      current,
      REGION,
      [
        connection('vpce-2', 'available', 'eu-west-1'),
        connection('vpce-1', 'pendingAcceptance', 'eu-west-1'),
        connection('vpce-3', 'rejected', 'eu-west-1'),
        connection('vpce-4', 'available'),
      ],
      { removeSupportedRegions: ['eu-west-1', 'ap-south-1'] },
    );
    expect(plan.input).toEqual({ RemoveSupportedRegions: ['eu-west-1'] });
    expect(plan.cuts.map(c => `${c.endpointId}:${c.reason}`)).toEqual(['vpce-1:connects from eu-west-1', 'vpce-2:connects from eu-west-1']);
  });

  it("refuses to remove the service's own region", () => {
    expect(() => planSettingsChange(current, REGION, [], { removeSupportedRegions: [REGION] })).toThrow(InputError);
  });

  it('names the connected consumers of a private DNS name that changes or goes, once each', () => {
    const connections = [connection('vpce-1', 'available', 'eu-west-1'), connection('vpce-2', 'available'), connection('vpce-3', 'pendingAcceptance')];
    const renamed = planSettingsChange(current, REGION, connections, { privateDnsName: 'api2.example.com' });
    expect(renamed.input).toEqual({ PrivateDnsName: 'api2.example.com' });
    expect(renamed.cuts.map(c => c.endpointId)).toEqual(['vpce-1', 'vpce-2']);

    const removed = planSettingsChange(current, REGION, connections, { privateDnsName: null, removeSupportedRegions: ['eu-west-1'] });
    expect(removed.input).toEqual({ RemovePrivateDnsName: true, RemoveSupportedRegions: ['eu-west-1'] });
    expect(removed.cuts.map(c => `${c.endpointId}:${c.reason}`)).toEqual(['vpce-1:connects from eu-west-1', 'vpce-2:resolves api.example.com']);

    // A first name cuts nobody.
    expect(planSettingsChange({ ...current, PrivateDnsName: undefined }, REGION, connections, { privateDnsName: 'api.example.com' }).cuts).toEqual([]);
  });

  it('changes the IP address types to the set asked for, naming the consumers that connect over a removed one', () => {
    const dual = { ...current, SupportedIpAddressTypes: ['ipv4' as const, 'ipv6' as const] };
    const connections = [
      { ...connection('vpce-4', 'available'), ipAddressType: 'ipv4' },
      { ...connection('vpce-6', 'available'), ipAddressType: 'ipv6' },
      { ...connection('vpce-d', 'pendingAcceptance'), ipAddressType: 'dualstack' },
      { ...connection('vpce-r', 'rejected'), ipAddressType: 'ipv6' },
    ];
    expect(planSettingsChange(dual, REGION, connections, { supportedIpAddressTypes: ['ipv4'] })).toEqual({
      input: { RemoveSupportedIpAddressTypes: ['ipv6'] },
      tags: NO_TAGS,
      changed: ['supportedIpAddressTypes'],
      cuts: [
        { endpointId: 'vpce-6', accountId: '210987654321', state: 'available', reason: 'connects over IPv6' },
        { endpointId: 'vpce-d', accountId: '210987654321', state: 'pendingAcceptance', reason: 'connects over IPv6' },
      ],
    });
    // A service that reports no types supports IPv4 (EC2's default); asking for it changes nothing.
    expect(planSettingsChange(current, REGION, [], { supportedIpAddressTypes: ['ipv4'] }).changed).toEqual([]);
    expect(planSettingsChange(current, REGION, [], { supportedIpAddressTypes: ['ipv6', 'ipv4'] }).input).toEqual({ AddSupportedIpAddressTypes: ['ipv6'] });
  });

  it('writes the placing tags that differ, as full entity refs, and names a new owner', () => {
    const tagged = {
      ...current,
      Tags: [
        { Key: 'backstage:owner', Value: 'orders' },
        { Key: 'backstage:system', Value: 'system:default/checkout' },
        { Key: 'backstage:component', Value: 'orders-api' },
      ],
    };
    expect(planSettingsChange(tagged, REGION, [], { owner: 'group:default/orders', system: 'checkout' })).toEqual({
      input: {},
      tags: NO_TAGS,
      changed: [],
      cuts: [],
    });
    expect(planSettingsChange(tagged, REGION, [], { owner: 'payments', system: 'ledger', component: null })).toEqual({
      input: {},
      tags: { set: { 'backstage:owner': 'group:default/payments', 'backstage:system': 'system:default/ledger' }, remove: ['backstage:component'] },
      newOwner: 'group:default/payments',
      changed: ['owner', 'system', 'component'],
      cuts: [],
    });
    // The configured tag keys.
    const keys = { owner: 'team', system: 'sys', component: 'app' };
    expect(planSettingsChange(current, REGION, [], { system: 'ledger' }, keys).tags).toEqual({ set: { sys: 'system:default/ledger' }, remove: [] });
  });

  it('describes the cuts in one sentence, at most ten named', () => {
    const cuts = Array.from({ length: 12 }, (_, i) => ({ endpointId: `vpce-${i}`, accountId: '210987654321', state: 'available' as const, reason: 'connected' }));
    expect(describeCuts(cuts.slice(0, 1))).toBe('1 consumer: vpce-0 (account 210987654321, connected)');
    expect(describeCuts(cuts)).toMatch(/^12 consumers: vpce-0 .*vpce-9 \(account 210987654321, connected\); and 2 more$/);
  });
});
