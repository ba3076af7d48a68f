import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ANNOTATION_LOCATION, Entity, RELATION_DEPENDENCY_OF, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, isError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATIONS,
  EndpointServiceSearchItem,
  EndpointServiceSearchPage,
  isSyncedEntity,
  toFullEntityRef,
  VPC_ENDPOINT_SERVICE_TYPE,
  YourAccess,
} from '@privatelink-backstage/plugin-privatelink-common';
import { z } from 'zod';
import { AccessResolver } from './yourAccess';

/**
 * The one search of the synced endpoint services, behind both `GET /v1/services/search` (the PrivateLink page) and
 * the `find-endpoint-services` action: the catalog's own cursor paging, full-text filter and field filters, with
 * the caller's credentials (so the catalog's permission rules apply), and where the caller's teams stand with each
 * service of the page.
 */

/** A validated search: either its fields (a first page) or the `cursor` of the page before. */
export interface ServiceSearchRequest {
  /** Words to look for in the name, title or endpoint service name. */
  text?: string;
  /** Owner entity ref; a bare name is a group's. */
  owner?: string;
  /** System entity ref; a bare name is a system's. */
  system?: string;
  /** 12-digit provider account id. */
  accountId?: string;
  /** AWS region of the service. */
  region?: string;
  /** Only services the caller's teams can connect to (connected or allowed). */
  connectable?: boolean;
  /** Items per page. */
  limit: number;
  /** The `nextCursor` of the previous page; it carries every other field. */
  cursor?: string;
}

/** Searches the synced endpoint services a page at a time; see {@link createServiceSearch}. */
export interface ServiceSearch {
  /** One page of the search, read with the caller's credentials; an `InputError` for a cursor that is not ours. */
  search(request: ServiceSearchRequest, credentials: BackstageCredentials): Promise<EndpointServiceSearchPage>;
}

/** The entity fields a search item is made of (and {@link AccessResolver} reads). */
const FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.title',
  'metadata.annotations',
  'spec.owner',
  'spec.system',
  'relations',
];

/**
 * What every location the sync writes starts with (`privatelinkLocationRef`): the catalog then counts and pages the
 * sync's own entities only, so `totalItems` leaves out a hand-written or registered copy, which the catalog never
 * lets carry such a location. {@link isSyncedEntity} still checks each entity in full.
 */
const SYNCED_LOCATION_PREFIX = 'privatelink:aws/';

/** Fields the free text is looked for in. */
const TEXT_FIELDS = ['metadata.name', 'metadata.title', `metadata.annotations.${ANNOTATIONS.serviceName}`];

/**
 * With `connectable`: services per catalog read (at least the largest `limit`), and how many reads one answer may
 * make before it returns what it found with the cursor of where it stopped. Bounds the cost of a request when few
 * services match: each read also resolves the access of its services.
 */
const CONNECTABLE_READ_SIZE = 100;
const MAX_CONNECTABLE_READS = 5;

/** The search's own fields, which a cursor carries when it must repeat the first read. */
type SearchFields = Pick<ServiceSearchRequest, 'text' | 'owner' | 'system' | 'accountId' | 'region'>;

/**
 * Our cursor wraps the catalog's (`c`) and carries what the catalog does not know: the `connectable` filter, and,
 * when an answer stopped inside a catalog read, how many of that read's services it had taken (`skip`), with the
 * search's fields (`s`) when that read was the first. A later page then needs nothing but the cursor.
 */
const cursorSchema = z
  .object({
    c: z.string().min(1).optional(),
    s: z
      .object({ text: z.string(), owner: z.string(), system: z.string(), accountId: z.string(), region: z.string() })
      .partial()
      .strict()
      .optional(),
    skip: z.number().int().min(1).max(CONNECTABLE_READ_SIZE).optional(),
    connectable: z.literal(true).optional(),
  })
  .strict()
  .refine(c => Boolean(c.c) !== Boolean(c.s), 'one of c and s')
  .refine(c => c.connectable || (c.c && !c.skip), 'a skip only with connectable');
type Cursor = z.infer<typeof cursorSchema>;

const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');

function decodeCursor(value: string): Cursor {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
  } catch {
    throw new InputError('Invalid cursor: pass the nextCursor of a previous page unchanged');
  }
}

const canConnect = (access: YourAccess | undefined) => access === 'connected' || access === 'allowed';

function toItem(entity: Entity, access: YourAccess): EndpointServiceSearchItem {
  const a = entity.metadata.annotations ?? {};
  const acceptance = a[ANNOTATIONS.acceptanceRequired];
  const consumers = new Set(
    (entity.relations ?? [])
      .filter(r => r.type === RELATION_DEPENDENCY_OF && r.targetRef.startsWith('resource:'))
      .map(r => r.targetRef),
  );
  return {
    entityRef: stringifyEntityRef(entity),
    name: entity.metadata.name,
    title: entity.metadata.title,
    owner: entity.spec?.owner as string | undefined,
    system: entity.spec?.system as string | undefined,
    serviceName: a[ANNOTATIONS.serviceName],
    privateDnsName: a[ANNOTATIONS.privateDnsName],
    privateDnsState: a[ANNOTATIONS.privateDnsName] ? a[ANNOTATIONS.privateDnsState] : undefined,
    acceptanceRequired: acceptance === undefined ? undefined : acceptance === 'true',
    accountId: a[ANNOTATIONS.accountId],
    region: a[ANNOTATIONS.region],
    consumers: consumers.size,
    access,
  };
}

/**
 * Creates the {@link ServiceSearch}. One catalog read per page, plus the access resolution (one catalog query and
 * one request query) of that page's services.
 *
 * With `connectable`, the services the caller cannot connect to are left out: the catalog cannot filter on where
 * the caller stands, so the answer reads the catalog's pages ({@link CONNECTABLE_READ_SIZE} services each) and keeps
 * the connectable ones until the page is full or it has made {@link MAX_CONNECTABLE_READS} reads. It says how many
 * services it read (`scanned`), and its cursor says where it stopped, inside a read if need be (the next answer
 * reads that catalog page again and skips what was taken), so that no service is lost or listed twice. A page can
 * therefore be short, or empty, with a `nextCursor`.
 */
export function createServiceSearch(options: { catalog: CatalogService; access: AccessResolver }): ServiceSearch {
  const { catalog, access } = options;

  async function read(query: NonNullable<Parameters<CatalogService['queryEntities']>[0]>, credentials: BackstageCredentials) {
    try {
      return await catalog.queryEntities(query, { credentials });
    } catch (error) {
      // A cursor that decodes but that the catalog refuses (tampered with, or from another search backend).
      const status = isError(error) ? (error as { response?: { status?: number } }).response?.status : undefined;
      if ('cursor' in query && isError(error) && (error.name === 'InputError' || status === 400)) {
        throw new InputError('Invalid cursor: pass the nextCursor of a previous page unchanged');
      }
      throw error;
    }
  }

  function firstQuery(search: SearchFields, limit: number) {
    const filter: Record<string, string> = { kind: 'Resource', 'spec.type': VPC_ENDPOINT_SERVICE_TYPE };
    // Refs as the sync writes them (in full), so that `payments` finds `group:default/payments`'s services.
    const owner = search.owner && (toFullEntityRef(search.owner, 'group') ?? search.owner);
    const system = search.system && (toFullEntityRef(search.system, 'system') ?? search.system);
    if (owner) filter['spec.owner'] = owner;
    if (system) filter['spec.system'] = system;
    if (search.accountId) filter[`metadata.annotations.${ANNOTATIONS.accountId}`] = search.accountId;
    if (search.region) filter[`metadata.annotations.${ANNOTATIONS.region}`] = search.region;
    const text = search.text?.trim();
    return {
      filter,
      query: { [`metadata.annotations.${ANNOTATION_LOCATION}`]: { $hasPrefix: SYNCED_LOCATION_PREFIX } },
      limit,
      fields: FIELDS,
      orderFields: [{ field: 'metadata.name', order: 'asc' as const }],
      ...(text ? { fullTextFilter: { term: text, fields: TEXT_FIELDS } } : {}),
    };
  }

  /** One catalog read: the first (of `search`) or the one at `cursor`; only the sync's own services, with access. */
  async function readServices(from: { cursor?: string; search: SearchFields }, limit: number, credentials: BackstageCredentials) {
    const page = await read(from.cursor ? { cursor: from.cursor, limit, fields: FIELDS } : firstQuery(from.search, limit), credentials);
    // Only the sync's own entities: a registered file with the same annotations is no service of ours.
    const services = page.items.filter(isSyncedEntity);
    const standing = await access.accessTo(services, credentials);
    return { page, services: services.map(s => ({ entity: s, access: standing.get(stringifyEntityRef(s)) ?? 'none' })) };
  }

  const fieldsOf = (request: ServiceSearchRequest): SearchFields => {
    const { text, owner, system, accountId, region } = request;
    return Object.fromEntries(Object.entries({ text, owner, system, accountId, region }).filter(([, v]) => v)) as SearchFields;
  };

  return {
    async search(request, credentials) {
      const state = request.cursor ? decodeCursor(request.cursor) : undefined;
      const search = state ? state.s ?? {} : fieldsOf(request);
      if (!(state ? state.connectable : request.connectable)) {
        const { page, services } = await readServices({ cursor: state?.c, search }, request.limit, credentials);
        const next = page.pageInfo.nextCursor;
        return { items: services.map(s => toItem(s.entity, s.access)), totalItems: page.totalItems, ...(next ? { nextCursor: encodeCursor({ c: next }) } : {}) };
      }

      const items: EndpointServiceSearchItem[] = [];
      let at: { cursor?: string; skip: number } | undefined = { cursor: state?.c, skip: state?.skip ?? 0 };
      let totalItems = 0;
      let scanned = 0;
      for (let reads = 0; at && items.length < request.limit && reads < MAX_CONNECTABLE_READS; reads += 1) {
        const { page, services } = await readServices({ cursor: at.cursor, search }, CONNECTABLE_READ_SIZE, credentials);
        totalItems = page.totalItems;
        // Positions in the catalog's page (a copy the sync did not write takes one too, and is skipped like any).
        const position = new Map(page.items.map((e, i) => [e, i]));
        let taken = page.items.length;
        for (const s of services) {
          const i = position.get(s.entity)!;
          if (i < at.skip) continue;
          if (canConnect(s.access)) items.push(toItem(s.entity, s.access));
          if (items.length === request.limit) {
            taken = i + 1;
            break;
          }
        }
        scanned += taken - at.skip;
        const next = page.pageInfo.nextCursor;
        if (taken < page.items.length) at = { cursor: at.cursor, skip: taken };
        else at = next ? { cursor: next, skip: 0 } : undefined;
      }
      let nextCursor: string | undefined;
      if (at) {
        const where = at.cursor ? { c: at.cursor } : { s: search };
        nextCursor = encodeCursor({ ...where, ...(at.skip ? { skip: at.skip } : {}), connectable: true });
      }
      return { items, totalItems, ...(nextCursor ? { nextCursor } : {}), scanned };
    },
  };
}
