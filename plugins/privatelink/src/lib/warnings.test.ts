import { consumers, makeConsumer, makeDetails } from '../__fixtures__/details';
import { serviceWarnings } from './warnings';

const now = Date.parse('2024-06-10T12:00:00Z');
const ids = (details: ReturnType<typeof makeDetails>, days = 3) =>
  serviceWarnings(details, { pendingWarningDays: days, now }).map(w => w.id);

describe('serviceWarnings', () => {
  const recentPending = consumers.map(c =>
    c.state === 'pendingAcceptance'
      ? { ...c, createdAt: '2024-06-09T12:00:00Z' }
      : c,
  );

  it('has nothing to say about a healthy service', () => {
    expect(ids(makeDetails({ consumers: recentPending }))).toEqual([]);
  });

  it('warns about each problem, most important first', () => {
    const warnings = serviceWarnings(
      makeDetails({
        retirement: {
          announcedAt: '2024-06-08T09:00:00Z',
          retireAfter: '2024-06-22T09:00:00Z',
        },
        staleSince: '2024-06-01T08:30:00Z',
        privateDnsState: 'pendingVerification',
        allowedPrincipals: ['*'],
        acceptanceRequired: false,
        consumers: [],
      }),
      { pendingWarningDays: 3, now },
    );
    expect(warnings.map(w => w.id)).toEqual([
      'retirement',
      'stale',
      'unverified-dns',
      'wildcard',
      'no-consumers',
    ]);
    expect(warnings[0].message).toBe(
      'Retirement announced: this service will be retired from 2024-06-22 09:00 UTC. Move your consumers off it.',
    );
    expect(warnings[1].message).toContain('since 2024-06-01 08:30 UTC');
    expect(warnings[2].message).toContain(
      'payments.internal.example.com is not verified (Pending verification)',
    );
    expect(warnings[3].message).toContain('without acceptance');
  });

  it('flags connections pending longer than the configured days', () => {
    const details = makeDetails({
      consumers: [
        makeConsumer({
          endpointId: 'vpce-00000000000000001',
          state: 'pendingAcceptance',
          createdAt: '2024-06-05T12:00:00Z', // 5 days
        }),
        makeConsumer({
          endpointId: 'vpce-00000000000000002',
          state: 'pendingAcceptance',
          createdAt: '2024-06-09T12:00:00Z', // 1 day
        }),
        makeConsumer({
          endpointId: 'vpce-00000000000000003',
          state: 'available',
          createdAt: '2024-01-01T00:00:00Z',
        }),
      ],
    });
    const [warning] = serviceWarnings(details, { pendingWarningDays: 3, now });
    expect(warning).toEqual({
      id: 'old-pending',
      message:
        '1 connection has been pending acceptance for more than 3 days: vpce-00000000000000001.',
    });
    expect(ids(details, 7)).toEqual([]);
    expect(ids(details, 0)).toEqual(['old-pending']);
  });
});
