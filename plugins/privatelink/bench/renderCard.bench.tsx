/*
 * Render benchmark of the entity card: a service with 500 consumers (the card shows them paginated, a third of
 * them pending acceptance), rendered 20 times in jsdom for an owner (who gets Accept / Reject on the pending
 * ones) and 20 times for a consumer, after 3 warm-up renders. Prints the median and p95 of
 *   - card: React Profiler `actualDuration` of the card's subtree, summed over every commit until the
 *     consumers show (mount, then the update with the loaded data): the card's own render cost;
 *   - wall: from render() until the consumers are in the DOM, including the test app around the card.
 * It asserts only that the card rendered: timings depend on the machine. Not part of the normal test run
 * (the default testMatch only takes *.test.*); run it with
 *   cd plugins/privatelink && CI=true yarn backstage-cli package test --roots '<rootDir>/../bench' --testMatch '**\/*.bench.tsx'
 * BENCH_RUNS and BENCH_CONSUMERS change the number of runs and consumers.
 */
import { Profiler } from 'react';
import { cleanup, screen } from '@testing-library/react';
import { makeConsumer, makeDetails } from '../src/__fixtures__/details';
import { makeService } from '../src/__fixtures__/entities';
import {
  Role,
  mockPrivateLinkApi,
  renderWithApis,
} from '../src/__testUtils__/renderWithApis';
import { EntityPrivateLinkCard } from '../src/components/EntityPrivateLinkCard';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const CONSUMERS = Number(process.env.BENCH_CONSUMERS ?? 500);

const states = ['available', 'pendingAcceptance', 'rejected'] as const;
const details = makeDetails({
  consumers: Array.from({ length: CONSUMERS }, (_, i) =>
    makeConsumer({
      endpointId: `vpce-${i.toString(16).padStart(17, '0')}`,
      owner: `group:default/team-${i % 40}`,
      accountId: String(200000000000 + i),
      state: states[i % states.length],
    }),
  ),
});

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

function summary(label: string, values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `${label}: median ${percentile(sorted, 0.5).toFixed(
    1,
  )} ms, p95 ${percentile(sorted, 0.95).toFixed(1)} ms, min ${sorted[0].toFixed(
    1,
  )} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`;
}

jest.setTimeout(120_000);

const WARM_UP = 3;

/** Renders the card once and returns the card's render time and the wall time until the consumers show. */
async function renderOnce(role: Role): Promise<{ card: number; wall: number }> {
  let card = 0;
  const api = mockPrivateLinkApi({
    getServiceDetails: jest.fn().mockResolvedValue(details),
  });
  const start = performance.now();
  renderWithApis(
    <Profiler
      id="card"
      onRender={(_id, _phase, actualDuration) => {
        card += actualDuration;
      }}
    >
      <EntityPrivateLinkCard />
    </Profiler>,
    { api, role, entity: makeService() },
  );
  await screen.findByText(`Consumers (${CONSUMERS})`, undefined, {
    timeout: 10_000,
  });
  const wall = performance.now() - start;
  // At most five rows on the first page of the consumers table, plus its header.
  expect(
    screen.getByRole('table', { name: 'Consumers' }).querySelectorAll('tr'),
  ).toHaveLength(Math.min(CONSUMERS, 5) + 1);
  cleanup();
  return { card, wall };
}

jest.setTimeout(300_000);

it.each<Role>(['owner', 'consumer'])(
  `renders the card with ${CONSUMERS} consumers for role %s`,
  async role => {
    const card: number[] = [];
    const wall: number[] = [];
    // Module initialisation, JIT and JSS style sheets are not the card's render cost.
    for (let run = 0; run < WARM_UP; run++) await renderOnce(role);
    for (let run = 0; run < RUNS; run++) {
      const result = await renderOnce(role);
      card.push(result.card);
      wall.push(result.wall);
    }
    expect(card).toHaveLength(RUNS);
    // eslint-disable-next-line no-console
    console.log(
      [
        `EntityPrivateLinkCard for role ${role}, ${CONSUMERS} consumers, ${RUNS} runs (jsdom, React development build):`,
        summary('  card (React Profiler)', card),
        summary('  wall (render to visible, with test app)', wall),
      ].join('\n'),
    );
  },
);
