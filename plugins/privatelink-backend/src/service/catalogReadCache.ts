import {
  AuthService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

/** Which endpoint services a cached answer shows: their ids, or `'any'` when any change may alter it. */
export type CachedServices = readonly string[] | 'any';

/** Options of a {@link CatalogReadCache}. */
export interface CatalogReadCacheOptions<V> {
  /** Reads the answer from the synced catalog with the given credentials (the catalog's read permission applies). */
  load(entityRef: string, credentials: BackstageCredentials): Promise<V>;
  /** Bytes an answer holds, for the bound. */
  sizeOf(value: V): number;
  /**
   * The endpoint services an answer shows, so that a change to one of them drops it. `'any'` for an answer that a
   * change to a service it does not show yet can alter (a consumer's list gains the service it just connected to).
   */
  servicesOf(value: V): CachedServices;
  permissions: PermissionsService;
  auth: AuthService;
  /** How long a read (and a caller's catalog read decision) is reused. 0 turns the cache off. */
  ttlMs: number;
  /** Bound on the bytes held; least recently used entries go first. */
  maxBytes: number;
  now?: () => number;
}

interface Entry<V> {
  value: V;
  services: CachedServices;
  expiresAt: number;
  /** How long after expiry the entry is still served while it is reloaded. */
  graceMs: number;
  bytes: number;
}

/**
 * After the plugin changed a service, the catalog shows the change once the targeted refresh has been applied and
 * processed, seconds later. For this long, the answers the change may alter are kept only briefly and never served
 * stale, so that the cards show the change about as soon as the catalog has it.
 */
const CHANGE_WINDOW_MS = 60_000;
const CHANGING_TTL_MS = 1_000;

/** Decisions are tiny; this bounds them against a flood of distinct principals. */
const MAX_DECISIONS = 10_000;

/**
 * A short-lived cache of answers read from the synced catalog for one entity ref, under the catalog's own read
 * rules: the hot read paths of the cards (`GET /v1/services`, `GET /v1/consumers`) are asked by every visitor of
 * every page that shows them, and each answer is several catalog queries.
 *
 * - **Who may read what is decided per caller**: a caller's `catalog.entity.read` decision (the one the catalog
 *   itself applies) is asked of the permission framework and kept for the TTL. When it is an unconditional
 *   ALLOW, the caller could read every entity the answer is built from, so the answer is shared: loaded once
 *   with the plugin's own credentials for all such callers. When it is conditional (a policy that hides some
 *   entities from some users) or a denial, the answer is loaded with the caller's own credentials and kept for
 *   that caller alone, so nobody ever sees an entity the catalog would not show them.
 * - **One load per key at a time** (concurrent misses wait for the same load), stale-while-revalidate for one more
 *   TTL (an expired entry is served while one reload runs), errors never cached, the answers a change may alter
 *   dropped when a service changes (a load that started before the change is not stored), a byte bound with
 *   least-recently-used eviction.
 *
 * The cache is in-process on purpose: what it holds is reused for seconds; a shared cache (the CacheService's
 * Redis or Memcache) would cost a network round trip per request to save a catalog query that is itself a round
 * trip, and each replica fills its own within one TTL. Changes reach every replica's cache as events.
 */
export class CatalogReadCache<V> {
  readonly #o: CatalogReadCacheOptions<V>;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry<V>>();
  readonly #loading = new Map<string, Promise<V>>();
  readonly #decisions = new Map<
    string,
    { readsAll: boolean; expiresAt: number }
  >();
  readonly #deciding = new Map<string, Promise<boolean>>();
  /** Services changed lately: service id → end of their change window. */
  readonly #changing = new Map<string, number>();
  /** End of the window in which any change is recent (for answers that show `'any'`). */
  #anyChangingUntil = -Infinity;
  #bytes = 0;
  #generation = 0;

  constructor(options: CatalogReadCacheOptions<V>) {
    this.#o = options;
    this.#now = options.now ?? (() => performance.now());
  }

  /** The answer for an entity ref, as the caller may see it. */
  async get(entityRef: string, credentials: BackstageCredentials): Promise<V> {
    if (this.#o.ttlMs <= 0) return this.#o.load(entityRef, credentials);
    const ref = entityRef.toLocaleLowerCase('en-US');
    const shared = await this.#readsAll(credentials);
    const key = shared ? `*\n${ref}` : `${principalKey(credentials)}\n${ref}`;
    const loadAs = () =>
      shared
        ? this.#o.auth.getOwnServiceCredentials()
        : Promise.resolve(credentials);

    const entry = this.#entries.get(key);
    const now = this.#now();
    if (entry && now < entry.expiresAt + entry.graceMs) {
      // Most recently used last: eviction takes the first.
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      if (now >= entry.expiresAt)
        this.#load(key, entityRef, loadAs).catch(() => {}); // revalidate in the background
      return entry.value;
    }
    return this.#load(key, entityRef, loadAs);
  }

  /** Drops what is held that shows a service (or may come to), e.g. after the plugin changed it in AWS. */
  invalidate(serviceId: string) {
    this.#generation += 1;
    const now = this.#now();
    for (const [id, until] of this.#changing)
      if (until <= now) this.#changing.delete(id);
    this.#changing.set(serviceId, now + CHANGE_WINDOW_MS);
    this.#anyChangingUntil = now + CHANGE_WINDOW_MS;
    for (const [key, entry] of this.#entries) {
      if (entry.services === 'any' || entry.services.includes(serviceId))
        this.#drop(key);
    }
  }

  /** Resolves when every load under way (background reloads included) has ended. */
  async idle(): Promise<void> {
    while (this.#loading.size > 0)
      await Promise.allSettled([...this.#loading.values()]);
  }

  /** Entries and bytes held, for the benchmark and the tests. */
  get size() {
    return { entries: this.#entries.size, bytes: this.#bytes };
  }

  #load(
    key: string,
    entityRef: string,
    loadAs: () => Promise<BackstageCredentials>,
  ): Promise<V> {
    let loading = this.#loading.get(key);
    if (!loading) {
      const generation = this.#generation;
      loading = loadAs()
        .then(credentials => this.#o.load(entityRef, credentials))
        .then(
          value => {
            if (generation === this.#generation) this.#store(key, value);
            return value;
          },
          error => {
            // Gone, or no longer visible: the next request asks again and gets the error itself.
            this.#drop(key);
            throw error;
          },
        )
        .finally(() => this.#loading.delete(key));
      this.#loading.set(key, loading);
    }
    return loading;
  }

  #isChanging(services: CachedServices, now: number): boolean {
    if (services === 'any') return this.#anyChangingUntil > now;
    return services.some(id => (this.#changing.get(id) ?? 0) > now);
  }

  #store(key: string, value: V) {
    this.#drop(key);
    const bytes = this.#o.sizeOf(value);
    const services = this.#o.servicesOf(value);
    const now = this.#now();
    const changing = this.#isChanging(services, now);
    const ttlMs = changing
      ? Math.min(this.#o.ttlMs, CHANGING_TTL_MS)
      : this.#o.ttlMs;
    this.#entries.set(key, {
      value,
      services,
      bytes,
      expiresAt: now + ttlMs,
      graceMs: changing ? 0 : ttlMs,
    });
    this.#bytes += bytes;
    for (const oldest of this.#entries.keys()) {
      if (this.#bytes <= this.#o.maxBytes || oldest === key) break;
      this.#drop(oldest);
    }
  }

  #drop(key: string) {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }

  /** Whether the caller may read every catalog entity: the catalog's own read decision, kept for the TTL. */
  async #readsAll(credentials: BackstageCredentials): Promise<boolean> {
    const key = principalKey(credentials);
    const known = this.#decisions.get(key);
    if (known && this.#now() < known.expiresAt) return known.readsAll;
    let deciding = this.#deciding.get(key);
    if (!deciding) {
      deciding = this.#o.permissions
        .authorizeConditional([{ permission: catalogEntityReadPermission }], {
          credentials,
        })
        .then(([decision]) => {
          const readsAll = decision?.result === AuthorizeResult.ALLOW;
          this.#decisions.delete(key);
          this.#decisions.set(key, {
            readsAll,
            expiresAt: this.#now() + this.#o.ttlMs,
          });
          if (this.#decisions.size > MAX_DECISIONS)
            this.#decisions.delete(this.#decisions.keys().next().value!);
          return readsAll;
        })
        .finally(() => this.#deciding.delete(key));
      this.#deciding.set(key, deciding);
    }
    return deciding;
  }
}

function principalKey(credentials: BackstageCredentials): string {
  const p = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (p.type === 'user') return `user:${p.userEntityRef}`;
  if (p.type === 'service') return `service:${p.subject}`;
  return p.type;
}
