import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AccessRequest,
  AuditEntry,
  CreateAccessRequest,
  PrivateLinkServiceDetails,
} from '@privatelink-backstage/plugin-privatelink-common';
import {
  ConnectionChangeResult,
  PrivateLinkApi,
  PrivateLinkSettings,
} from './types';

/** The {@link PrivateLinkApi} over HTTP, at the `privatelink` backend plugin. @public */
export class PrivateLinkClient implements PrivateLinkApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  async getServiceDetails(
    entityRef: string,
  ): Promise<PrivateLinkServiceDetails | undefined> {
    const response = await this.#fetch(`/v1/services${query({ entityRef })}`);
    if (response.status === 404) return undefined;
    return this.#json(response);
  }

  async getSettings(): Promise<PrivateLinkSettings> {
    return this.#json(await this.#fetch('/v1/settings'));
  }

  async listAccessRequests(serviceRef?: string): Promise<AccessRequest[]> {
    const path = `/v1/access-requests${
      serviceRef ? query({ serviceRef }) : ''
    }`;
    const body = await this.#json<{ items: AccessRequest[] }>(
      await this.#fetch(path),
    );
    return body.items;
  }

  async createAccessRequest(
    request: CreateAccessRequest,
  ): Promise<AccessRequest> {
    return this.#post('/v1/access-requests', request);
  }

  async approveAccessRequest(
    id: string,
    reason?: string,
  ): Promise<AccessRequest> {
    return this.#post(
      `/v1/access-requests/${encodeURIComponent(id)}/approve`,
      reason ? { reason } : {},
    );
  }

  async denyAccessRequest(id: string, reason: string): Promise<AccessRequest> {
    return this.#post(`/v1/access-requests/${encodeURIComponent(id)}/deny`, {
      reason,
    });
  }

  async acceptConnections(
    serviceRef: string,
    endpointIds: string[],
  ): Promise<ConnectionChangeResult> {
    return this.#post('/v1/connections/accept', { serviceRef, endpointIds });
  }

  async rejectConnections(
    serviceRef: string,
    endpointIds: string[],
  ): Promise<ConnectionChangeResult> {
    return this.#post('/v1/connections/reject', { serviceRef, endpointIds });
  }

  async allowPrincipals(
    serviceRef: string,
    principals: string[],
  ): Promise<{ changed: string[] }> {
    return this.#post('/v1/principals/allow', { serviceRef, principals });
  }

  async revokePrincipals(
    serviceRef: string,
    principals: string[],
  ): Promise<{ changed: string[] }> {
    return this.#post('/v1/principals/revoke', { serviceRef, principals });
  }

  async listAudit(serviceRef: string): Promise<AuditEntry[]> {
    const body = await this.#json<{ items: AuditEntry[] }>(
      await this.#fetch(`/v1/audit${query({ serviceRef })}`),
    );
    return body.items;
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

function query(params: Record<string, string>): string {
  return `?${new URLSearchParams(params)}`;
}
