// Helpers shared by the benchmark scripts: memory sampling, a silent logger, a counting catalog connection,
// and plain-text tables. Erasable TypeScript only (no enums, no parameter properties).
import type { EntityProviderConnection } from '@backstage/plugin-catalog-node';

const MB = 1024 * 1024;

export const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
export const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Samples process.memoryUsage().rss every `intervalMs` until stopped; `peak` is the highest sample. */
export function startRssSampler(intervalMs = 25) {
  let peak = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sample = () => {
    const m = process.memoryUsage();
    if (m.rss > peak) peak = m.rss;
    if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { peakRss: peak, peakHeap };
    },
  };
}

/** Collects garbage when node runs with --expose-gc, so that a scenario starts from a clean heap. */
export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return false;
  gc();
  gc();
  return true;
}

/** process.resourceUsage().maxRSS is in kilobytes: the process's high-water mark since it started. */
export const maxRssBytes = () => process.resourceUsage().maxRSS * 1024;

/** A LoggerService that prints nothing but keeps the warnings (they carry the sync's degraded reads). */
export function silentLogger() {
  const warnings: string[] = [];
  const logger: any = {
    warnings,
    info() {},
    debug() {},
    error(message: string, e?: unknown) {
      warnings.push(
        `error: ${message} ${(e as Error | undefined)?.message ?? ''}`,
      );
    },
    warn(message: string, meta?: Record<string, unknown>) {
      warnings.push(meta?.error ? `${message}: ${meta.error}` : message);
    },
    child() {
      return logger;
    },
  };
  return logger;
}

/** A fake catalog connection that only counts what the provider emits. */
export function countingConnection() {
  const state = {
    mutations: 0,
    entities: 0,
    appliedAt: 0,
    byType: new Map<string, number>(),
    /** The entities of the last full mutation, as the catalog would hold them. */
    lastFull: undefined as any[] | undefined,
  };
  const connection: EntityProviderConnection = {
    async applyMutation(mutation: any) {
      state.mutations += 1;
      state.appliedAt = performance.now();
      const list =
        mutation.type === 'full' ? mutation.entities : mutation.added;
      if (mutation.type === 'full') state.lastFull = list.map(({ entity }: any) => entity);
      state.entities = list.length;
      state.byType.clear();
      for (const { entity } of list) {
        const type = String(entity.spec?.type ?? entity.kind);
        state.byType.set(type, (state.byType.get(type) ?? 0) + 1);
      }
    },
    async refresh() {},
  };
  return { connection, state };
}

/** Prints rows as an aligned plain-text table (numbers right-aligned). */
export function printTable(
  headers: string[],
  rows: Array<Array<string | number>>,
) {
  const cells = [headers, ...rows.map(r => r.map(String))];
  const widths = headers.map((_, i) =>
    Math.max(...cells.map(r => (r[i] ?? '').length)),
  );
  const line = (r: string[], numericRight: boolean) =>
    r
      .map((c, i) =>
        numericRight && /^[-+]?[\d.,]+( \w+)?%?x?$/.test(c)
          ? c.padStart(widths[i])
          : c.padEnd(widths[i]),
      )
      .join('  ')
      .trimEnd();
  console.log(`  ${line(cells[0], false)}`);
  console.log(`  ${widths.map(w => '-'.repeat(w)).join('  ')}`);
  for (const r of cells.slice(1)) console.log(`  ${line(r, true)}`);
}

/** A small deterministic PRNG (mulberry32), so that every run generates the same data. */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const hex = (rand: () => number, n: number) =>
  Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join(
    '',
  );

export const pass = (ok: boolean) => (ok ? 'MET' : 'MISSED');

/** At most `n` of the functions at once. */
export function limiter(n: number) {
  let active = 0;
  const queue: Array<() => void> = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>(resolve => queue.push(resolve));
    active += 1;
    try {
      return await fn();
    } finally {
      active -= 1;
      queue.shift()?.();
    }
  };
}
