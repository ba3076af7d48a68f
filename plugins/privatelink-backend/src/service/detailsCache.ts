import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import {
  AuthService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { PrivateLinkServiceDetails } from '@privatelink-backstage/plugin-privatelink-common';
import { CatalogReadCache } from './catalogReadCache';
import { ConsumerEndpoints } from './consumerDetails';

const gzipAsync = promisify(gzip);

/** The card's data, serialised and compressed once, served as bytes to every request that may see it. */
export interface DetailsPayload {
  /** UTF-8 JSON of the {@link PrivateLinkServiceDetails}. */
  json: Buffer;
  /** The same, gzip-compressed: what a browser receives. */
  gzip: Buffer;
  /** A strong ETag of `json`, for conditional requests (304 Not Modified). */
  etag: string;
  serviceRef: string;
  serviceId?: string;
}

/** Options of the two caches of the cards' data. */
export interface DetailsCacheOptions<T> {
  /** Reads from the synced catalog with the given credentials (the catalog's read permission applies). */
  load(entityRef: string, credentials: BackstageCredentials): Promise<T>;
  permissions: PermissionsService;
  auth: AuthService;
  /** How long a read (and a caller's catalog read decision) is reused. 0 turns the cache off. */
  ttlMs: number;
  /** Bound on the bytes held; least recently used entries go first. */
  maxBytes: number;
  now?: () => number;
}

/**
 * The hot path of the entity card: `GET /v1/services` is asked by every visitor of every page that shows the card,
 * and each answer is a catalog query of up to hundreds of consumer entities. The answer is held serialised and
 * compressed (JSON, gzip, ETag), ready to write; a change to the service drops it. See {@link CatalogReadCache} for
 * who shares what.
 */
export class ServiceDetailsCache extends CatalogReadCache<DetailsPayload> {
  constructor(options: DetailsCacheOptions<PrivateLinkServiceDetails>) {
    super({
      ...options,
      load: async (ref, credentials) =>
        toPayload(await options.load(ref, credentials)),
      sizeOf: payload => payload.json.length + payload.gzip.length,
      servicesOf: payload => (payload.serviceId ? [payload.serviceId] : []),
    });
  }
}

/**
 * The catalog part of the consumer card (`GET /v1/consumers`): a component's or group's synced endpoints and the
 * services they reach, read three times from the catalog per answer. The access requests, which are the caller's
 * own, are not part of it. Any announced change drops every entry: a consumer's list gains the service it has just
 * connected to, which the entry could not name before.
 */
export class ConsumerEndpointsCache extends CatalogReadCache<ConsumerEndpoints> {
  constructor(options: DetailsCacheOptions<ConsumerEndpoints>) {
    super({
      ...options,
      // An estimate (the entity and rows as JSON): the bound is on memory, not on bytes sent.
      sizeOf: value => 2 * JSON.stringify(value).length,
      servicesOf: () => 'any',
    });
  }
}

async function toPayload(
  details: PrivateLinkServiceDetails,
): Promise<DetailsPayload> {
  const json = Buffer.from(JSON.stringify(details), 'utf8');
  return {
    json,
    gzip: await gzipAsync(json),
    etag: `"${createHash('sha256')
      .update(json)
      .digest('base64url')
      .slice(0, 32)}"`,
    serviceRef: details.entityRef,
    serviceId: details.serviceId,
  };
}
