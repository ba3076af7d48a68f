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
  owner?: string;
  system?: string;
  accountId?: string;
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
 * How many catalog reads one `connectable` answer may make before it returns what it found with the cursor of
 * where it stopped: bounds the cost of a request when few services match (each read also resolves the access).
 */
const MAX_CONNECTABLE_READS = 5;

/**
 * Our cursor wraps the catalog's: it also carries the `connectable` filter, which the catalog does not know, so
 * that a later page needs nothing but the cursor.
 */
const cursorSchema = z.object({ c: z.string().min(1), connectable: z.literal(true).optional() }).strict();
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
 * With `connectable`, the services the caller cannot connect to are left out after each catalog read. To fill the
 * page without losing a service, each further read asks the catalog for only as many services as the page still
 * lacks, at most {@link MAX_CONNECTABLE_READS} reads; the answer then says how many services it read (`scanned`)
 * and gives the cursor of where it stopped, so a page may be short, or empty, with a `nextCursor`.
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

  function firstQuery(request: ServiceSearchRequest, limit: number) {
    const filter: Record<string, string> = { kind: 'Resource', 'spec.type': VPC_ENDPOINT_SERVICE_TYPE };
    // Refs as the sync writes them (in full), so that `payments` finds `group:default/payments`'s services.
    const owner = request.owner && (toFullEntityRef(request.owner, 'group') ?? request.owner);
    const system = request.system && (toFullEntityRef(request.system, 'system') ?? request.system);
    if (owner) filter['spec.owner'] = owner;
    if (system) filter['spec.system'] = system;
    if (request.accountId) filter[`metadata.annotations.${ANNOTATIONS.accountId}`] = request.accountId;
    if (request.region) filter[`metadata.annotations.${ANNOTATIONS.region}`] = request.region;
    const text = request.text?.trim();
    return {
      filter,
      query: { [`metadata.annotations.${ANNOTATION_LOCATION}`]: { $hasPrefix: SYNCED_LOCATION_PREFIX } },
      limit,
      fields: FIELDS,
      orderFields: [{ field: 'metadata.name', order: 'asc' as const }],
      ...(text ? { fullTextFilter: { term: text, fields: TEXT_FIELDS } } : {}),
    };
  }

  return {
    async search(request, credentials) {
      const state = request.cursor ? decodeCursor(request.cursor) : undefined;
      const connectable = state ? Boolean(state.connectable) : Boolean(request.connectable);
      const items: EndpointServiceSearchItem[] = [];
      let catalogCursor = state?.c;
      let totalItems = 0;
      let scanned = 0;
      for (let reads = 0; reads < (connectable ? MAX_CONNECTABLE_READS : 1); reads += 1) {
        const want = request.limit - items.length;
        const page = await read(
          catalogCursor ? { cursor: catalogCursor, limit: want, fields: FIELDS } : firstQuery(request, want),
          credentials,
        );
        totalItems = page.totalItems;
        scanned += page.items.length;
        catalogCursor = page.pageInfo.nextCursor;
        // Only the sync's own entities: a registered file with the same annotations is no service of ours.
        const services = page.items.filter(isSyncedEntity);
        const standing = await access.accessTo(services, credentials);
        for (const s of services) {
          const a = standing.get(stringifyEntityRef(s)) ?? 'none';
          if (!connectable || canConnect(a)) items.push(toItem(s, a));
        }
        if (!catalogCursor || items.length >= request.limit) break;
      }
      return {
        items,
        totalItems,
        ...(catalogCursor ? { nextCursor: encodeCursor({ c: catalogCursor, ...(connectable ? { connectable: true as const } : {}) }) } : {}),
        ...(connectable ? { scanned } : {}),
      };
    },
  };
}
