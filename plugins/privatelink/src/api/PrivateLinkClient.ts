import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AccessRequest,
  AuditEntry,
  CreateAccessRequest,
  DeleteEndpointResult,
  EndpointServiceSearchPage,
  EndpointServiceSearchQuery,
  EndpointServiceSettingsChange,
  EndpointServiceSettingsResult,
  PrivateLinkConsumerDetails,
  PrivateLinkServiceDetails,
  RetireEndpointServiceRequest,
  RetireEndpointServiceResult,
} from '@privatelink-backstage/plugin-privatelink-common';
import {
  ConnectionChangeResult,
  PrivateLinkApi,
  PrivateLinkListPage,
  PrivateLinkPageOptions,
  PrivateLinkSettings,
} from './types';

/** The {@link PrivateLinkApi} over HTTP, at the `privatelink` backend plugin. @public */
export class PrivateLinkClient implements PrivateLinkApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  /**
   * @param options - `discoveryApi` finds the `privatelink` backend's base URL; `fetchApi` sends the requests with
   * the signed-in user's credentials.
   */
  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  /** `GET /v1/services?entityRef=`; see {@link PrivateLinkApi.getServiceDetails}. */
  async getServiceDetails(
    entityRef: string,
  ): Promise<PrivateLinkServiceDetails | undefined> {
    const response = await this.#fetch(`/v1/services${query({ entityRef })}`);
    if (response.status === 404) return undefined;
    return this.#json(response);
  }

  /** `GET /v1/consumers?entityRef=`; see {@link PrivateLinkApi.getConsumerDetails}. */
  async getConsumerDetails(
    entityRef: string,
  ): Promise<PrivateLinkConsumerDetails> {
    return this.#json(
      await this.#fetch(`/v1/consumers${query({ entityRef })}`),
    );
  }

  /** `GET /v1/settings`; see {@link PrivateLinkApi.getSettings}. */
  async getSettings(): Promise<PrivateLinkSettings> {
    return this.#json(await this.#fetch('/v1/settings'));
  }

  /** `GET /v1/services/search`; see {@link PrivateLinkApi.searchServices}. */
  async searchServices(
    request: EndpointServiceSearchQuery,
  ): Promise<EndpointServiceSearchPage> {
    const { limit, ...rest } = request;
    return this.#json(
      await this.#fetch(
        `/v1/services/search${query({
          ...rest,
          limit: limit === undefined ? undefined : String(limit),
        })}`,
      ),
    );
  }

  /** The first (newest) page of the access requests of a service, or of the caller's own without one. */
  async listAccessRequests(serviceRef?: string): Promise<AccessRequest[]> {
    return (await this.listAccessRequestsPage(serviceRef)).items;
  }

  /**
   * A page of the access requests of a service (or of the caller's own without one), newest first:
   * `GET /v1/access-requests?serviceRef=&limit=&before=`.
   */
  async listAccessRequestsPage(
    serviceRef?: string,
    options: PrivateLinkPageOptions = {},
  ): Promise<PrivateLinkListPage<AccessRequest>> {
    return this.#page(`/v1/access-requests`, serviceRef, options);
  }

  /** `POST /v1/access-requests`; see {@link PrivateLinkApi.createAccessRequest}. */
  async createAccessRequest(
    request: CreateAccessRequest,
  ): Promise<AccessRequest> {
    return this.#post('/v1/access-requests', request);
  }

  /** `POST /v1/access-requests/{id}/approve`; see {@link PrivateLinkApi.approveAccessRequest}. */
  async approveAccessRequest(
    id: string,
    reason?: string,
  ): Promise<AccessRequest> {
    return this.#post(
      `/v1/access-requests/${encodeURIComponent(id)}/approve`,
      reason ? { reason } : {},
    );
  }

  /** `POST /v1/access-requests/{id}/deny`; see {@link PrivateLinkApi.denyAccessRequest}. */
  async denyAccessRequest(id: string, reason: string): Promise<AccessRequest> {
    return this.#post(`/v1/access-requests/${encodeURIComponent(id)}/deny`, {
      reason,
    });
  }

  /** `POST /v1/connections/accept`; see {@link PrivateLinkApi.acceptConnections}. */
  async acceptConnections(
    serviceRef: string,
    endpointIds: string[],
  ): Promise<ConnectionChangeResult> {
    return this.#post('/v1/connections/accept', { serviceRef, endpointIds });
  }

  /** `POST /v1/connections/reject`; see {@link PrivateLinkApi.rejectConnections}. */
  async rejectConnections(
    serviceRef: string,
    endpointIds: string[],
  ): Promise<ConnectionChangeResult> {
    return this.#post('/v1/connections/reject', { serviceRef, endpointIds });
  }

  /** `POST /v1/principals/allow`; see {@link PrivateLinkApi.allowPrincipals}. */
  async allowPrincipals(
    serviceRef: string,
    principals: string[],
  ): Promise<{ changed: string[] }> {
    return this.#post('/v1/principals/allow', { serviceRef, principals });
  }

  /** `POST /v1/principals/revoke`; see {@link PrivateLinkApi.revokePrincipals}. */
  async revokePrincipals(
    serviceRef: string,
    principals: string[],
  ): Promise<{ changed: string[] }> {
    return this.#post('/v1/principals/revoke', { serviceRef, principals });
  }

  /** The first (newest) page of the audit log of a service. */
  async listAudit(serviceRef: string): Promise<AuditEntry[]> {
    return (await this.listAuditPage(serviceRef)).items;
  }

  /** A page of the audit log of a service, newest first: `GET /v1/audit?serviceRef=&limit=&before=`. */
  async listAuditPage(
    serviceRef: string,
    options: PrivateLinkPageOptions = {},
  ): Promise<PrivateLinkListPage<AuditEntry>> {
    return this.#page('/v1/audit', serviceRef, options);
  }

  /** `POST /v1/services/settings`; see {@link PrivateLinkApi.updateServiceSettings}. */
  async updateServiceSettings(
    serviceRef: string,
    change: EndpointServiceSettingsChange,
  ): Promise<EndpointServiceSettingsResult> {
    return this.#post('/v1/services/settings', { serviceRef, ...change });
  }

  /** `POST /v1/services/retire`; see {@link PrivateLinkApi.retireService}. */
  async retireService(
    request: RetireEndpointServiceRequest,
  ): Promise<RetireEndpointServiceResult> {
    return this.#post('/v1/services/retire', request);
  }

  /** `POST /v1/endpoints/delete`; see {@link PrivateLinkApi.deleteEndpoint}. */
  async deleteEndpoint(endpointRef: string): Promise<DeleteEndpointResult> {
    return this.#post('/v1/endpoints/delete', { endpointRef });
  }

  async #page<T>(
    path: string,
    serviceRef: string | undefined,
    options: PrivateLinkPageOptions,
  ): Promise<PrivateLinkListPage<T>> {
    const body = await this.#json<PrivateLinkListPage<T>>(
      await this.#fetch(
        `${path}${query({
          serviceRef,
          limit:
            options.limit === undefined ? undefined : String(options.limit),
          before: options.before,
        })}`,
      ),
    );
    return body.nextBefore
      ? { items: body.items, nextBefore: body.nextBefore }
      : { items: body.items };
  }

  async #fetch(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.#discoveryApi.getBaseUrl('privatelink');
    return this.#fetchApi.fetch(`${baseUrl}${path}`, init);
  }

  async #post<T>(path: string, body: unknown): Promise<T> {
    return this.#json(
      await this.#fetch(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }),
    );
  }

  async #json<T>(response: Response): Promise<T> {
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }
}

/** The query string of the given parameters, leaving out the undefined and empty ones ('' when none is left). */
function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value) search.set(name, value);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
