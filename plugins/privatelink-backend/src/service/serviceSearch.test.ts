import { mockCredentials } from '@backstage/backend-test-utils';
import { ANNOTATION_LOCATION, Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ANNOTATIONS,
  EndpointServiceSearchPage,
  privatelinkLocationRef,
  VPC_ENDPOINT_SERVICE_TYPE,
} from '@privatelink-backstage/plugin-privatelink-common';
import { createServiceSearch } from './serviceSearch';
import { createAccessResolver } from './yourAccess';

/**
 * The paging of the search over many services, in the in-memory catalog with the real access resolver: the route's
 * tests (router.test.ts) have two services only, too few to run out of a `connectable` answer's reads.
 */

const PROVIDER = '123456789012';
const TEAM_ACCOUNT = '210987654321';
const USER = 'user:default/carl';
const TEAM = 'group:default/payments';
const COUNT = 30;
/** Every seventh service allows the team's account: 5 of the 30. */
const ALLOWED = Array.from({ length: COUNT }, (_, i) => i).filter(i => i % 7 === 0);

const name = (i: number) => `svc-${String(i).padStart(3, '0')}`;

function service(i: number, allowed: number[]): Entity {
  const location = privatelinkLocationRef({ accountId: PROVIDER, region: 'us-east-1' });
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: name(i),
      annotations: {
        [ANNOTATION_LOCATION]: location,
        'backstage.io/managed-by-origin-location': location,
        [ANNOTATIONS.accountId]: PROVIDER,
        [ANNOTATIONS.region]: 'us-east-1',
        [ANNOTATIONS.serviceName]: `com.amazonaws.vpce.us-east-1.vpce-svc-${String(i).padStart(17, '0')}`,
        [ANNOTATIONS.allowedPrincipals]: allowed.includes(i) ? `arn:aws:iam::${TEAM_ACCOUNT}:root` : '',
      },
    },
    spec: { type: VPC_ENDPOINT_SERVICE_TYPE, owner: 'group:default/platform', lifecycle: 'production' },
  };
}

function createSearch(count = COUNT, allowed = ALLOWED) {
  const catalog = catalogServiceMock({ entities: Array.from({ length: count }, (_, i) => service(i, allowed)) });
  const access = createAccessResolver({
    catalog,
    store: { listRequests: async () => [] },
    config: { accounts: [{ accountId: TEAM_ACCOUNT, owner: TEAM, regions: ['us-east-1'] }] },
    userInfo: { getUserInfo: async () => ({ userEntityRef: USER, ownershipEntityRefs: [USER, TEAM] }) },
  });
  return createServiceSearch({ catalog, access });
}

/** Every page of a search, following the cursor. */
async function allPages(first: Parameters<ReturnType<typeof createSearch>['search']>[0], search = createSearch()) {
  const credentials = mockCredentials.user(USER);
  const pages: EndpointServiceSearchPage[] = [await search.search(first, credentials)];
  while (pages[pages.length - 1].nextCursor) {
    pages.push(await search.search({ cursor: pages[pages.length - 1].nextCursor, limit: first.limit }, credentials));
  }
  return pages;
}

describe('createServiceSearch', () => {
  it('pages through every service, a full page at a time, each counted', async () => {
    const pages = await allPages({ limit: 7 });
    expect(pages.map(p => p.items.length)).toEqual([7, 7, 7, 7, 2]);
    expect(pages.flatMap(p => p.items.map(i => i.name))).toEqual(Array.from({ length: COUNT }, (_, i) => name(i)));
    expect(pages.every(p => p.totalItems === COUNT && p.scanned === undefined)).toBe(true);
  });

  it('finds every service the user can connect to exactly once, full pages, each catalog read taken up where it stopped', async () => {
    const pages = await allPages({ connectable: true, limit: 2 });
    expect(pages.map(p => p.items.map(i => i.name))).toEqual([
      ['svc-000', 'svc-007'],
      ['svc-014', 'svc-021'],
      ['svc-028'],
    ]);
    expect(pages.flatMap(p => p.items.map(i => i.access)).every(a => a === 'allowed')).toBe(true);
    // The first answer stopped inside its read of 30, after svc-007: the next one read it again from svc-008.
    expect(pages.map(p => p.scanned)).toEqual([8, 14, 8]);
    expect(pages.every(p => p.totalItems === COUNT)).toBe(true);
  });

  it('stops after five reads of 100 with an empty page and the cursor of where it stopped, when none matches yet', async () => {
    const search = createSearch(600, [550]);
    const pages = await allPages({ connectable: true, limit: 20 }, search);
    expect(pages.map(p => ({ names: p.items.map(i => i.name), scanned: p.scanned, more: Boolean(p.nextCursor) }))).toEqual([
      { names: [], scanned: 500, more: true },
      { names: ['svc-550'], scanned: 100, more: false },
    ]);
  });

  it('repeats the first read with the search it carries when an answer stopped inside it', async () => {
    // svc-020 … svc-029 match the words; of those, svc-021 and svc-028 are connectable.
    const pages = await allPages({ text: 'svc-02', connectable: true, limit: 1 });
    expect(pages.map(p => p.items.map(i => i.name))).toEqual([['svc-021'], ['svc-028'], []]);
    expect(pages.map(p => [p.totalItems, p.scanned])).toEqual([
      [10, 2],
      [10, 7],
      [10, 1],
    ]);
  });

  it('keeps the access filter in the cursor: a later page needs nothing else', async () => {
    const search = createSearch();
    const credentials = mockCredentials.user(USER);
    const first = await search.search({ connectable: true, limit: 1 }, credentials);
    // No `connectable` on the second call: the cursor carries it.
    const second = await search.search({ cursor: first.nextCursor, limit: 1 }, credentials);
    expect(second.scanned).toBeGreaterThan(0);
    expect(second.items.every(i => i.access === 'allowed')).toBe(true);
  });

  it('refuses a cursor that is none of its own', async () => {
    const search = createSearch();
    await expect(search.search({ cursor: 'bm9wZQ', limit: 5 }, mockCredentials.user(USER))).rejects.toMatchObject({
      name: 'InputError',
      message: 'Invalid cursor: pass the nextCursor of a previous page unchanged',
    });
  });
});
