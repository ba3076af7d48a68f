import { InputError } from '@backstage/errors';
import { describeCuts, planSettingsChange, ServiceConnection } from './settingsPlan';

const REGION = 'us-east-1';
const connection = (endpointId: string, state: ServiceConnection['state'], region = REGION): ServiceConnection => ({
  endpointId,
  accountId: '210987654321',
  state,
  region,
});

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
    ).toEqual({ input: { AddSupportedRegions: ['us-west-2'] }, changed: ['supportedRegions'], cuts: [] });
    expect(planSettingsChange(current, REGION, [], { acceptanceRequired: false })).toEqual({
      input: { AcceptanceRequired: false },
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

  it('describes the cuts in one sentence, at most ten named', () => {
    const cuts = Array.from({ length: 12 }, (_, i) => ({ endpointId: `vpce-${i}`, accountId: '210987654321', state: 'available' as const, reason: 'connected' }));
    expect(describeCuts(cuts.slice(0, 1))).toBe('1 consumer: vpce-0 (account 210987654321, connected)');
    expect(describeCuts(cuts)).toMatch(/^12 consumers: vpce-0 .*vpce-9 \(account 210987654321, connected\); and 2 more$/);
  });
});
