/*
 * Render benchmark of the consumer card: a component that reaches 200 services privately (BENCH_SERVICES), each
 * with a DNS name to use and its other names, rendered 20 times in jsdom after 3 warm-up renders; the baseline in
 * the same process is the same card with 20 services. Prints the median and p95 of
 *   - card: React Profiler `actualDuration` of the card's subtree, summed over every commit until the endpoints
 *     show (mount, then the update with the loaded data);
 *   - wall: from render() until the endpoints table is in the DOM, including the test app around the card;
 * and the ratio of the medians to the baseline's. It asserts only that the card rendered: timings depend on the
 * machine. Run it with
 *   cd plugins/privatelink && CI=true yarn backstage-cli package test --roots '<rootDir>/../bench' --testMatch '**\/renderConsumerCard.bench.tsx'
 */
import { Profiler } from 'react';
import { cleanup, screen } from '@testing-library/react';
import { makeConsumerDetails, makeConsumerEndpoint } from '../src/__fixtures__/details';
import { consumerComponent } from '../src/__fixtures__/entities';
import { mockPrivateLinkApi, renderWithApis } from '../src/__testUtils__/renderWithApis';
import { EntityPrivateLinkConsumerCard } from '../src/components/EntityPrivateLinkConsumerCard';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const SERVICES = Number(process.env.BENCH_SERVICES ?? 200);
const BASELINE = 20;
const WARM_UP = 3;
const states = ['available', 'pendingAcceptance', 'available', 'rejected'] as const;

function detailsWith(services: number) {
  return makeConsumerDetails({
    endpoints: Array.from({ length: services }, (_, i) => {
      const endpointId = `vpce-${i.toString(16).padStart(17, '0')}`;
      const serviceId = `vpce-svc-${i.toString(16).padStart(17, '0')}`;
      const regional = `${endpointId}-abcd1234.${serviceId}.eu-west-1.vpce.amazonaws.com`;
      return makeConsumerEndpoint({
        endpointId,
        state: states[i % states.length],
        dnsNameToUse: i % 2 ? `service-${i}.internal.example.com` : regional,
        dnsNameSource: i % 2 ? 'private-dns' : 'endpoint',
        otherDnsNames: [regional, `${endpointId}-abcd1234-eu-west-1a.${serviceId}.eu-west-1.vpce.amazonaws.com`],
        service: {
          entityRef: `resource:default/service-${i}`,
          title: `Service ${i}`,
          serviceName: `com.amazonaws.vpce.eu-west-1.${serviceId}`,
          owner: `group:default/team-${i % 30}`,
        },
      });
    }),
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

/** Renders the card once: its render time and the wall time until the endpoints show. */
async function renderOnce(details: ReturnType<typeof detailsWith>): Promise<{ card: number; wall: number }> {
  let card = 0;
  const api = mockPrivateLinkApi({ getConsumerDetails: jest.fn().mockResolvedValue(details) });
  const start = performance.now();
  renderWithApis(
    <Profiler
      id="consumer-card"
      onRender={(_id, _phase, actualDuration) => {
        card += actualDuration;
      }}
    >
      <EntityPrivateLinkConsumerCard />
    </Profiler>,
    { api, entity: consumerComponent },
  );
  await screen.findByRole('table', { name: 'Private connections' }, { timeout: 10_000 });
  const wall = performance.now() - start;
  cleanup();
  return { card, wall };
}

type Stats = { median: number; p95: number };

/**
 * Renders the baseline and the measured card in turns (after warm-ups of both), so that neither gains from
 * running later (JIT, style sheets) or loses to a busy moment of the machine.
 */
async function measure(sizes: number[]): Promise<Array<{ card: Stats; wall: Stats }>> {
  const details = sizes.map(detailsWith);
  // Module initialisation, JIT and JSS style sheets are not the card's render cost.
  for (let run = 0; run < WARM_UP; run++) for (const d of details) await renderOnce(d);
  const card: number[][] = sizes.map(() => []);
  const wall: number[][] = sizes.map(() => []);
  for (let run = 0; run < RUNS; run++) {
    for (const [i, d] of details.entries()) {
      const result = await renderOnce(d);
      card[i].push(result.card);
      wall[i].push(result.wall);
    }
  }
  const stats = (values: number[]): Stats => {
    const sorted = [...values].sort((a, b) => a - b);
    return { median: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) };
  };
  return sizes.map((_, i) => ({ card: stats(card[i]), wall: stats(wall[i]) }));
}

jest.setTimeout(600_000);

it(`renders the consumer card with ${SERVICES} services, against ${BASELINE}`, async () => {
  const [baseline, measured] = await measure([BASELINE, SERVICES]);
  expect(measured.card.median).toBeGreaterThan(0);
  const row = (label: string, m: { card: Stats; wall: Stats }) =>
    `  ${label}: card median ${m.card.median.toFixed(1)} ms, p95 ${m.card.p95.toFixed(1)} ms; wall median ${m.wall.median.toFixed(
      1,
    )} ms, p95 ${m.wall.p95.toFixed(1)} ms`;
  // eslint-disable-next-line no-console
  console.log(
    [
      `EntityPrivateLinkConsumerCard, ${RUNS} runs each (jsdom, React development build):`,
      row(`baseline, ${BASELINE} services`, baseline),
      row(`${SERVICES} services`, measured),
      `  ratio to the baseline: card ${(measured.card.median / baseline.card.median).toFixed(2)}×, wall ${(
        measured.wall.median / baseline.wall.median
      ).toFixed(2)}×`,
      `  peak RSS of the jest worker: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
    ].join('\n'),
  );
});
