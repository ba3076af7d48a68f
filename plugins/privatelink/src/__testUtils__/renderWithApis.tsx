import { ReactElement } from 'react';
import { Entity } from '@backstage/catalog-model';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  catalogApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { ResponseError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EndpointServiceSettingsChange } from '@privatelink-backstage/plugin-privatelink-common';
import { PrivateLinkApi, privatelinkApiRef } from '../api';
import { rootRouteRef } from '../routes';
import { makeConsumerDetails, makeDetails } from '../__fixtures__/details';

/**
 * Who the signed-in user is to the service, as the permission framework would decide. `consumerTeam` is a
 * consumer that also owns one of the service's endpoints ({@link CONSUMER_TEAM_ENDPOINT}) and may remove it.
 */
export type Role = 'owner' | 'consumer' | 'consumerTeam' | 'outsider';

/** The endpoint the `consumerTeam` role owns: checkout's, in the fixtures' consumers. */
export const CONSUMER_TEAM_ENDPOINT = 'resource:default/checkout-vpce';

/**
 * A mocked PrivateLink API: the payments service, the consumer payments-api, no access requests, every change
 * succeeding. Unless overridden, `listAccessRequestsPage` and `listAuditPage` answer a single page (no
 * `nextBefore`) with what `listAccessRequests` and `listAudit` answer, so a test that only needs one page can
 * override those.
 */
export function mockPrivateLinkApi(
  overrides: Partial<jest.Mocked<PrivateLinkApi>> = {},
): jest.Mocked<PrivateLinkApi> {
  const changed = { changed: [], failed: [] };
  const api: jest.Mocked<PrivateLinkApi> = {
    getServiceDetails: jest.fn().mockResolvedValue(makeDetails()),
    getConsumerDetails: jest.fn().mockResolvedValue(makeConsumerDetails()),
    getSettings: jest.fn(),
    searchServices: jest.fn().mockResolvedValue({ items: [], totalItems: 0 }),
    listAccessRequests: jest.fn().mockResolvedValue([]),
    listAccessRequestsPage: jest.fn(async (serviceRef?: string) => ({
      items: await api.listAccessRequests(serviceRef),
    })),
    createAccessRequest: jest.fn(async body => ({
      ...body,
      id: 'new',
      status: 'pending' as const,
      external: false,
      followUp: 'active' as const,
      requestedBy: 'user:default/jane',
      requestedAt: new Date().toISOString(),
    })),
    approveAccessRequest: jest.fn().mockResolvedValue({}),
    denyAccessRequest: jest.fn().mockResolvedValue({}),
    acceptConnections: jest.fn().mockResolvedValue(changed),
    rejectConnections: jest.fn().mockResolvedValue(changed),
    allowPrincipals: jest.fn(),
    revokePrincipals: jest.fn(),
    listAudit: jest.fn().mockResolvedValue([]),
    listAuditPage: jest.fn(async (serviceRef: string) => ({
      items: await api.listAudit(serviceRef),
    })),
    updateServiceSettings: jest.fn(
      async (serviceRef: string, _change: EndpointServiceSettingsChange) => ({
        serviceRef,
        changed: [],
        cuts: [],
      }),
    ),
    retireService: jest.fn(),
    deleteEndpoint: jest.fn(async endpointRef => ({
      endpointRef,
      endpointId: 'vpce-0123456789abcdef0',
      deleted: true,
    })),
    ...overrides,
  };
  return api;
}

/**
 * Owners may do everything; consumers may only file access requests; a consumer team may also remove its own
 * endpoint; outsiders nothing.
 */
export function permissionApiFor(
  role: Role,
): ReturnType<typeof mockApis.permission> {
  return mockApis.permission({
    authorize: request => {
      if (role === 'owner') return AuthorizeResult.ALLOW;
      const name = request.permission.name;
      if (
        (role === 'consumer' || role === 'consumerTeam') &&
        name === 'privatelink.accessRequest.create'
      ) {
        return AuthorizeResult.ALLOW;
      }
      if (
        role === 'consumerTeam' &&
        name === 'privatelink.endpoint.delete' &&
        request.resourceRef === CONSUMER_TEAM_ENDPOINT
      ) {
        return AuthorizeResult.ALLOW;
      }
      return AuthorizeResult.DENY;
    },
  });
}

/** Renders an element in a test app with the PrivateLink, permission, catalog, identity and config APIs. */
export function renderWithApis(
  element: ReactElement,
  options: {
    api: PrivateLinkApi;
    role?: Role;
    entity?: Entity;
    catalogEntities?: Entity[];
    config?: object;
    /** False leaves the PrivateLink page unmounted, as in a legacy app without its route. */
    mountPage?: boolean;
    /** Collects the alerts posted, e.g. `mockApis.alert()`; by default the test app's own. */
    alertApi?: ReturnType<typeof mockApis.alert>;
  },
) {
  const content = options.entity ? (
    <EntityProvider entity={options.entity}>{element}</EntityProvider>
  ) : (
    element
  );
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [privatelinkApiRef, options.api],
        permissionApiFor(options.role ?? 'consumer'),
        [catalogApiRef, catalogApiMock({ entities: options.catalogEntities })],
        mockApis.identity({
          userEntityRef: 'user:default/jane',
          ownershipEntityRefs: ['user:default/jane', 'group:default/checkout'],
        }),
        mockApis.config({ data: options.config ?? {} }),
        ...(options.alertApi ? [options.alertApi] : []),
      ]}
    >
      {content}
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        ...(options.mountPage === false
          ? {}
          : { '/privatelink': rootRouteRef }),
      },
    },
  );
}

/** Types into a field in one go: typing key by key re-renders MUI fields slowly in jsdom. */
export async function fill(field: HTMLElement, text: string) {
  await userEvent.click(field);
  await userEvent.paste(text);
}

/** The core-components Table whose toolbar shows the given title. */
export async function tableTitled(title: string): Promise<HTMLElement> {
  const heading = await screen.findByRole('heading', { name: title });
  const table = heading.closest<HTMLElement>('[class*="BackstageTable-root"]');
  if (!table) throw new Error(`No table around the heading ${title}`);
  return table;
}

/** The ResponseError the client throws for a Backstage error response of the backend. */
export function responseError(
  status: number,
  name: string,
  message: string,
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        response: { statusCode: status },
      }),
      { status, headers: { 'Content-Type': 'application/json' } },
    ),
  );
}
