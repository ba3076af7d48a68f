import { gunzipSync } from 'node:zlib';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PrivateLinkServiceDetails } from '@privatelink-backstage/plugin-privatelink-common';
import { ConsumerEndpoints } from './consumerDetails';
import {
  ConsumerEndpointsCache,
  DetailsPayload,
  ServiceDetailsCache,
} from './detailsCache';

const ALICE = mockCredentials.user('user:default/alice');
const BOB = mockCredentials.user('user:default/bob');
const RESTRICTED = mockCredentials.user('user:default/restricted');
const OWN = mockCredentials.service('plugin:privatelink');
const TTL = 5000;

function details(
  ref: string,
  version: number,
  consumers = 2,
): PrivateLinkServiceDetails {
  return {
    entityRef: ref,
    serviceId: `vpce-svc-${ref.split('/')[1]}`,
    serviceName: `com.amazonaws.vpce.us-east-1.vpce-svc-${ref.split('/')[1]}`,
    accountId: '123456789012',
    region: 'us-east-1',
    state: 'Available',
    acceptanceRequired: true,
    dnsNames: [],
    loadBalancerArns: [],
    supportedRegions: [],
    supportedIpAddressTypes: [],
    allowedPrincipals: [
      `arn:aws:iam::${String(version).padStart(12, '0')}:root`,
    ],
    consumers: Array.from({ length: consumers }, (_, i) => ({
      entityRef: `resource:default/vpce-${i}`,
      endpointId: `vpce-${String(i).padStart(17, '0')}`,
      region: 'us-east-1',
      state: 'available' as const,
      dnsNames: [],
    })),
    counts: { available: consumers },
  };
}

const who = (c: BackstageCredentials) => {
  const p = c.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return p.userEntityRef ?? p.subject ?? p.type;
};

/**
 * The permission framework's catalog read decision for each caller (conditional for `restricted`, an
 * unconditional ALLOW for everyone else) and the plugin's own credentials.
 */
function readDecisions() {
  const permissions = mockServices.permissions.mock({
    authorizeConditional: (async (_requests: unknown[], { credentials }: { credentials: BackstageCredentials }) => [
      { result: who(credentials) === 'user:default/restricted' ? AuthorizeResult.CONDITIONAL : AuthorizeResult.ALLOW },
    ]) as any,
  });
  const auth = mockServices.auth.mock({ getOwnServiceCredentials: async () => OWN });
  return { permissions, auth };
}

/** A cache over a fake catalog: every load is recorded with the identity it ran as; `version` is what it answers. */
function setup(
  options: { ttlMs?: number; maxBytes?: number; consumers?: number } = {},
) {
  let now = 0;
  let version = 1;
  const loads: Array<{ ref: string; as: string }> = [];
  const gates: Array<() => void> = [];
  let gated = false;
  const load = jest.fn(
    async (ref: string, credentials: BackstageCredentials) => {
      loads.push({ ref, as: who(credentials) });
      const answer = version;
      if (gated) await new Promise<void>(resolve => gates.push(resolve));
      if (ref.includes('missing')) throw new NotFoundError(`No entity ${ref}`);
      return details(ref, answer, options.consumers);
    },
  );
  const { permissions, auth } = readDecisions();
  const cache = new ServiceDetailsCache({
    load,
    permissions,
    auth,
    ttlMs: options.ttlMs ?? TTL,
    maxBytes: options.maxBytes ?? 1024 * 1024,
    now: () => now,
  });
  return {
    cache,
    loads,
    permissions,
    advance: (ms: number) => (now += ms),
    bump: () => (version += 1),
    gate: () => (gated = true),
    release: () => {
      gated = false;
      gates.splice(0).forEach(open => open());
    },
  };
}

const body = (p: DetailsPayload) =>
  JSON.parse(p.json.toString('utf8')) as PrivateLinkServiceDetails;
const principalsOf = (p: DetailsPayload) => body(p).allowedPrincipals;
const flush = () => new Promise(resolve => setImmediate(resolve));

describe('ServiceDetailsCache', () => {
  it('serves JSON and its gzip with a stable ETag that changes with the content', async () => {
    const t = setup();
    const a = await t.cache.get('resource:default/orders', ALICE);
    expect(body(a)).toEqual(details('resource:default/orders', 1));
    expect(gunzipSync(a.gzip).equals(a.json)).toBe(true);
    expect(a.serviceRef).toBe('resource:default/orders');
    expect(a.serviceId).toBe('vpce-svc-orders');
    const other = await t.cache.get('resource:default/billing', ALICE);
    expect(other.etag).not.toBe(a.etag);
    t.advance(2 * TTL + 1);
    expect((await t.cache.get('resource:default/orders', ALICE)).etag).toBe(
      a.etag,
    ); // same content, same tag
  });

  it('shares one load, made with its own credentials, between callers who may read the whole catalog', async () => {
    const t = setup();
    await t.cache.get('resource:default/orders', ALICE);
    await t.cache.get('Resource:default/Orders', BOB); // refs are case-insensitive, like the catalog's
    await t.cache.get('resource:default/orders', ALICE);
    expect(t.loads).toEqual([
      { ref: 'resource:default/orders', as: 'plugin:privatelink' },
    ]);
  });

  it('loads with the caller own credentials, for that caller alone, when the read decision is conditional', async () => {
    const t = setup();
    await t.cache.get('resource:default/orders', ALICE);
    await t.cache.get('resource:default/orders', RESTRICTED);
    await t.cache.get('resource:default/orders', RESTRICTED);
    expect(t.loads).toEqual([
      { ref: 'resource:default/orders', as: 'plugin:privatelink' },
      { ref: 'resource:default/orders', as: 'user:default/restricted' },
    ]);
  });

  it('asks for a caller read decision once per TTL', async () => {
    const t = setup();
    await t.cache.get('resource:default/orders', ALICE);
    await t.cache.get('resource:default/billing', ALICE);
    expect(t.permissions.authorizeConditional).toHaveBeenCalledTimes(1);
    t.advance(TTL);
    await t.cache.get('resource:default/orders', ALICE);
    expect(t.permissions.authorizeConditional).toHaveBeenCalledTimes(2);
  });

  it('makes one load for concurrent misses of the same key', async () => {
    const t = setup();
    t.gate();
    const waiting = Promise.all(
      [1, 2, 3].map(() => t.cache.get('resource:default/orders', ALICE)),
    );
    await flush();
    t.release();
    const answers = await waiting;
    expect(t.loads).toHaveLength(1);
    expect(new Set(answers.map(a => a.etag)).size).toBe(1);
  });

  it('serves an expired entry for one more TTL while a single reload runs, then the reloaded one', async () => {
    const t = setup();
    await t.cache.get('resource:default/orders', ALICE);
    t.bump();
    t.advance(TTL + 1);
    t.gate();
    // Expired: answered at once with the old content, and one reload started for both requests.
    expect(
      principalsOf(await t.cache.get('resource:default/orders', ALICE)),
    ).toEqual(['arn:aws:iam::000000000001:root']);
    expect(
      principalsOf(await t.cache.get('resource:default/orders', BOB)),
    ).toEqual(['arn:aws:iam::000000000001:root']);
    expect(t.loads).toHaveLength(2);
    t.release();
    await t.cache.idle();
    expect(
      principalsOf(await t.cache.get('resource:default/orders', ALICE)),
    ).toEqual(['arn:aws:iam::000000000002:root']);
    expect(t.loads).toHaveLength(2);
  });

  it('waits for a reload when an entry is older than two TTLs', async () => {
    const t = setup();
    await t.cache.get('resource:default/orders', ALICE);
    t.bump();
    t.advance(2 * TTL);
    expect(
      principalsOf(await t.cache.get('resource:default/orders', ALICE)),
    ).toEqual(['arn:aws:iam::000000000002:root']);
  });

  it('never keeps an error: the next request asks the catalog again', async () => {
    const t = setup();
    await expect(
      t.cache.get('resource:default/missing', ALICE),
    ).rejects.toThrow(NotFoundError);
    await expect(
      t.cache.get('resource:default/missing', ALICE),
    ).rejects.toThrow('No entity resource:default/missing');
    expect(t.loads).toHaveLength(2);
  });

  it('drops what it holds of a service the plugin changed, and does not store a load that began before the change', async () => {
    const t = setup();
    await t.cache.get('resource:default/orders', ALICE);
    await t.cache.get('resource:default/billing', ALICE);
    t.bump();
    t.cache.invalidate('vpce-svc-orders');
    expect(
      principalsOf(await t.cache.get('resource:default/orders', ALICE)),
    ).toEqual(['arn:aws:iam::000000000002:root']);
    expect(
      principalsOf(await t.cache.get('resource:default/billing', ALICE)),
    ).toEqual(['arn:aws:iam::000000000001:root']);
    expect(t.loads).toHaveLength(3);

    t.advance(2 * TTL);
    t.gate();
    const inFlight = t.cache.get('resource:default/orders', ALICE);
    await flush();
    t.cache.invalidate('vpce-svc-orders');
    t.release();
    await inFlight;
    await t.cache.get('resource:default/orders', ALICE);
    expect(t.loads).toHaveLength(5); // the load that raced the change was answered but not kept
  });

  it('after a change, keeps the service briefly and never serves it stale, for a minute', async () => {
    const t = setup();
    await t.cache.get('resource:default/orders', ALICE);
    t.cache.invalidate('vpce-svc-orders');
    await t.cache.get('resource:default/orders', ALICE); // the catalog may not show the change yet
    await t.cache.get('resource:default/orders', ALICE);
    expect(t.loads).toHaveLength(2);
    t.bump(); // now it does
    t.advance(1000);
    expect(
      principalsOf(await t.cache.get('resource:default/orders', ALICE)),
    ).toEqual(['arn:aws:iam::000000000002:root']);
    expect(t.loads).toHaveLength(3);
    // Other services keep the normal TTL meanwhile.
    await t.cache.get('resource:default/billing', ALICE);
    t.advance(1000);
    await t.cache.get('resource:default/billing', ALICE);
    expect(t.loads).toHaveLength(4);
    // Once the window has passed, the normal TTL and stale-while-revalidate again.
    t.advance(60_000);
    await t.cache.get('resource:default/orders', ALICE);
    t.advance(1000);
    await t.cache.get('resource:default/orders', ALICE);
    expect(t.loads).toHaveLength(5);
  });

  it('holds at most maxBytes, dropping the least recently used entry first', async () => {
    const t = setup({ consumers: 50 });
    const one = await t.cache.get('resource:default/a', ALICE);
    const bytes = one.json.length + one.gzip.length;
    const small = setup({ consumers: 50, maxBytes: Math.floor(bytes * 2.5) });
    await small.cache.get('resource:default/a', ALICE);
    await small.cache.get('resource:default/b', ALICE);
    await small.cache.get('resource:default/a', ALICE); // a is now the most recently used
    await small.cache.get('resource:default/c', ALICE); // b goes
    expect(small.cache.size.entries).toBe(2);
    expect(small.cache.size.bytes).toBeLessThanOrEqual(Math.floor(bytes * 2.5));
    await small.cache.get('resource:default/a', ALICE);
    await small.cache.get('resource:default/c', ALICE);
    expect(small.loads.map(l => l.ref)).toEqual([
      'resource:default/a',
      'resource:default/b',
      'resource:default/c',
    ]);
    await small.cache.get('resource:default/b', ALICE);
    expect(small.loads).toHaveLength(4);
  });

  it('with a TTL of 0 loads every time with the caller credentials and asks no decision', async () => {
    const t = setup({ ttlMs: 0 });
    await t.cache.get('resource:default/orders', ALICE);
    await t.cache.get('resource:default/orders', ALICE);
    expect(t.loads).toEqual([
      { ref: 'resource:default/orders', as: 'user:default/alice' },
      { ref: 'resource:default/orders', as: 'user:default/alice' },
    ]);
    expect(t.permissions.authorizeConditional).not.toHaveBeenCalled();
  });
});

describe('ConsumerEndpointsCache', () => {
  /** A cache over a fake consumer reader: every load is recorded; `services` is what the consumer reaches. */
  function consumerSetup() {
    let now = 0;
    let services = ['vpce-svc-auth'];
    const loads: Array<{ ref: string; as: string }> = [];
    const load = jest.fn(
      async (ref: string, credentials: BackstageCredentials) => {
        loads.push({ ref, as: who(credentials) });
        if (ref.includes('missing'))
          throw new NotFoundError(`No entity ${ref}`);
        return {
          consumer: {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: ref.split('/')[1] },
            spec: { owner: 'group:default/payments' },
          },
          endpoints: services.map(id => ({
            entityRef: `resource:default/${id}-endpoint`,
            endpointId: `vpce-${id}`,
            region: 'us-east-1',
            state: 'available' as const,
            otherDnsNames: [],
          })),
        };
      },
    );
    const { permissions, auth } = readDecisions();
    const cache = new ConsumerEndpointsCache({
      load,
      permissions,
      auth,
      ttlMs: TTL,
      maxBytes: 1024 * 1024,
      now: () => now,
    });
    return {
      cache,
      loads,
      advance: (ms: number) => (now += ms),
      reach: (ids: string[]) => (services = ids),
    };
  }
  const ids = (v: ConsumerEndpoints) => v.endpoints.map(e => e.endpointId);

  it('shares one load, with its own credentials, between callers who may read the whole catalog, and loads per caller otherwise', async () => {
    const t = consumerSetup();
    await t.cache.get('component:default/payments-api', ALICE);
    await t.cache.get('Component:default/Payments-API', BOB);
    await t.cache.get('component:default/payments-api', RESTRICTED);
    await t.cache.get('component:default/payments-api', RESTRICTED);
    expect(t.loads).toEqual([
      { ref: 'component:default/payments-api', as: 'plugin:privatelink' },
      { ref: 'component:default/payments-api', as: 'user:default/restricted' },
    ]);
  });

  it('drops every entry on any change, since the consumer may just have connected to the changed service', async () => {
    const t = consumerSetup();
    expect(
      ids(await t.cache.get('component:default/payments-api', ALICE)),
    ).toEqual(['vpce-vpce-svc-auth']);
    await t.cache.get('component:default/checkout', ALICE);
    t.reach(['vpce-svc-auth', 'vpce-svc-logging']);
    t.cache.invalidate('vpce-svc-logging'); // a service neither entry showed
    expect(
      ids(await t.cache.get('component:default/payments-api', ALICE)),
    ).toEqual(['vpce-vpce-svc-auth', 'vpce-vpce-svc-logging']);
    await t.cache.get('component:default/checkout', ALICE);
    expect(t.loads).toHaveLength(4);
    // Within the change window, entries are kept for a second only and never served stale.
    t.advance(1000);
    await t.cache.get('component:default/payments-api', ALICE);
    expect(t.loads).toHaveLength(5);
    t.advance(60_000);
    await t.cache.get('component:default/payments-api', ALICE);
    t.advance(1000);
    await t.cache.get('component:default/payments-api', ALICE);
    expect(t.loads).toHaveLength(6);
  });

  it('never keeps an error', async () => {
    const t = consumerSetup();
    await expect(
      t.cache.get('component:default/missing', ALICE),
    ).rejects.toThrow(NotFoundError);
    await expect(
      t.cache.get('component:default/missing', ALICE),
    ).rejects.toThrow(NotFoundError);
    expect(t.loads).toHaveLength(2);
  });
});
