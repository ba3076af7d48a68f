import {
  TestApiProvider,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  EndpointServiceSearchItem,
  EndpointServiceSearchPage,
  EndpointServiceSearchQuery,
} from '@privatelink-backstage/plugin-privatelink-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SERVICE_NAME, makeService } from '../../__fixtures__/entities';
import { makeRequest } from '../../__fixtures__/details';
import {
  fill,
  mockPrivateLinkApi,
  permissionApiFor,
  responseError,
} from '../../__testUtils__/renderWithApis';
import { PrivateLinkApi, privatelinkApiRef } from '../../api';
import { PrivateLinkPage } from './PrivateLinkPage';

// material-table renders slowly in jsdom, more so when the suites run in parallel.
jest.setTimeout(60_000);

const item = (
  overrides: Partial<EndpointServiceSearchItem> & { name: string },
): EndpointServiceSearchItem => ({
  entityRef: `resource:default/${overrides.name}`,
  owner: 'group:default/platform',
  serviceName: `com.amazonaws.vpce.eu-west-1.vpce-svc-${overrides.name}`,
  accountId: '111111111111',
  region: 'eu-west-1',
  consumers: 0,
  access: 'none',
  ...overrides,
});

/** Four services, one for each place the user's teams can stand, by name as the backend orders them. */
const SERVICES: EndpointServiceSearchItem[] = [
  item({
    name: 'billing-api',
    title: 'Billing API',
    owner: 'group:default/billing',
    acceptanceRequired: false,
    access: 'requested',
  }),
  item({ name: 'inventory-api', access: 'none' }),
  item({
    name: 'orders-api',
    title: 'Orders API',
    owner: 'group:default/orders',
    system: 'system:default/commerce',
    accountId: '222222222222',
    acceptanceRequired: false,
    access: 'allowed',
  }),
  item({
    name: 'payments-endpoint-service',
    title: 'Payments endpoint service',
    owner: 'group:default/payments',
    system: 'system:default/payments',
    serviceName: SERVICE_NAME,
    privateDnsName: 'payments.internal.example.com',
    privateDnsState: 'verified',
    acceptanceRequired: true,
    consumers: 3,
    access: 'connected',
  }),
];

/**
 * The backend's search over `services`, as the route answers it: words in name, title or service name, the
 * filters, `connectable` (connected or allowed, with `scanned`), pages of `limit` with an opaque cursor that
 * carries the search.
 */
function backendSearch(services: EndpointServiceSearchItem[]) {
  return jest.fn(
    async (
      query: EndpointServiceSearchQuery,
    ): Promise<EndpointServiceSearchPage> => {
      const { search, start } = query.cursor
        ? (JSON.parse(atob(query.cursor)) as {
            search: EndpointServiceSearchQuery;
            start: number;
          })
        : { search: query, start: 0 };
      const limit = query.limit ?? 20;
      const words = search.q?.toLowerCase();
      const matches = services.filter(
        s =>
          (!words ||
            [s.name, s.title, s.serviceName].some(v =>
              v?.toLowerCase().includes(words),
            )) &&
          (!search.owner || s.owner === search.owner) &&
          (!search.system || s.system === search.system) &&
          (!search.accountId || s.accountId === search.accountId),
      );
      const read = matches.slice(start, start + limit);
      const connectable = search.access === 'connectable';
      const nextCursor =
        start + limit < matches.length
          ? btoa(JSON.stringify({ search, start: start + limit }))
          : undefined;
      return {
        items: connectable
          ? read.filter(s => s.access === 'connected' || s.access === 'allowed')
          : read,
        totalItems: matches.length,
        ...(nextCursor ? { nextCursor } : {}),
        ...(connectable ? { scanned: read.length } : {}),
      };
    },
  );
}

/**
 * What the catalog counts for the filters' options: the owners, systems and accounts of these services, with the
 * refs in full as the sync writes them.
 */
const catalogServices = [
  makeService({ name: 'payments-endpoint-service' }),
  makeService({
    name: 'orders-api',
    annotations: { 'amazonaws.com/account-id': '222222222222' },
  }),
].map((entity, i) => ({
  ...entity,
  spec: {
    ...entity.spec,
    system: i === 0 ? 'system:default/payments' : 'system:default/commerce',
  },
}));

function render(privatelinkApi: PrivateLinkApi) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [catalogApiRef, catalogApiMock({ entities: catalogServices })],
        [privatelinkApiRef, privatelinkApi],
        permissionApiFor('consumer'),
      ]}
    >
      <PrivateLinkPage />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

/** The card of the services (the page also has a table of access requests). */
function servicesCard(): HTMLElement {
  return screen
    .getByRole('heading', { name: 'What can I consume privately?' })
    .closest<HTMLElement>('[class*="MuiCard-root"]')!;
}

/** The table rows that show a service (not the header). */
function bodyRows(): HTMLElement[] {
  return within(servicesCard())
    .getAllByRole('row')
    .filter(row =>
      within(row)
        .queryAllByRole('link')
        .some(link =>
          link.getAttribute('href')?.startsWith('/catalog/default/resource/'),
        ),
    );
}

const serviceNames = () =>
  bodyRows().map(row => within(row).getAllByRole('link')[0].textContent);

const pagerText = () =>
  within(servicesCard()).getByRole('button', { name: 'Next page' })
    .parentElement!.textContent;

describe('PrivateLinkPage', () => {
  it('shows a page of the services from the backend, with where the user’s teams stand', async () => {
    const api = mockPrivateLinkApi({ searchServices: backendSearch(SERVICES) });
    render(api);

    expect(
      await screen.findByRole('link', { name: 'Payments endpoint service' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/resource/payments-endpoint-service',
    );
    expect(api.searchServices).toHaveBeenCalledTimes(1);
    expect(api.searchServices).toHaveBeenCalledWith({ limit: 20 });

    expect(serviceNames()).toEqual([
      'Billing API',
      'inventory-api',
      'Orders API',
      'Payments endpoint service',
    ]);
    const [billing, inventory, orders, payments] = bodyRows();
    // One chip per place the user's teams stand, a dash for none.
    expect(within(payments).getByText('Connected')).toBeInTheDocument();
    expect(within(orders).getByText('Allowed')).toBeInTheDocument();
    expect(within(billing).getByText('Requested')).toBeInTheDocument();
    expect(
      within(inventory).getByTitle('None of your teams can connect yet'),
    ).toHaveTextContent('—');

    // The other columns: owner and system links, the service name to copy, private DNS, acceptance, consumers.
    expect(
      within(payments)
        .getAllByRole('link', { name: 'payments' })
        .map(link => link.getAttribute('href')),
    ).toEqual([
      '/catalog/default/group/payments',
      '/catalog/default/system/payments',
    ]);
    expect(payments).toHaveTextContent(SERVICE_NAME);
    expect(payments).toHaveTextContent('payments.internal.example.comVerified');
    expect(payments).toHaveTextContent('Yes');
    expect(payments).toHaveTextContent(/3Connected$/);
    expect(
      within(payments).getByRole('button', {
        name: 'Copy service name of Payments endpoint service',
      }),
    ).toBeInTheDocument();
    expect(orders).toHaveTextContent('No');
    expect(within(inventory).getAllByText('—')).toHaveLength(3); // system, private DNS, access
    expect(inventory).toHaveTextContent('Unknown'); // acceptance

    expect(pagerText()).toBe('1-4 of 4');
    // The filters are the page's own: no empty panel of the table's, in neither table of the page.
    expect(
      await screen.findByRole('heading', { name: 'Your access requests' }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Filters/)).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'filter list' }),
    ).not.toBeInTheDocument();
  });

  it('shows long AWS names on one line, whole in a tooltip, with a copy button', async () => {
    const long = 'com.amazonaws.vpce.us-east-1.vpce-svc-3f9e4672aabbccdd0';
    const dns = 'a-rather-long-private-dns-name.internal.example.com';
    render(
      mockPrivateLinkApi({
        searchServices: backendSearch([
          item({
            name: 'long-api',
            serviceName: long,
            privateDnsName: dns,
            privateDnsState: 'pendingVerification',
          }),
        ]),
      }),
    );
    await screen.findByRole('link', { name: 'long-api' });
    const [row] = bodyRows();

    // The value itself, cut with an ellipsis on one line (its element carries the whole value as its title).
    const name = within(row).getByTitle(long);
    expect(name).toHaveTextContent(long);
    expect(name).toHaveStyle({
      whiteSpace: 'nowrap',
      overflow: 'hidden',
      textOverflow: 'ellipsis',
    });
    expect(
      within(row).getByRole('button', {
        name: 'Copy service name of long-api',
      }),
    ).toBeInTheDocument();

    // The whole value in a tooltip on hover.
    await userEvent.hover(name);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(long);

    expect(within(row).getByTitle(dns)).toHaveStyle({ whiteSpace: 'nowrap' });
    expect(row).toHaveTextContent('Pending verification');
  });

  it('shows that it is loading', async () => {
    render(
      mockPrivateLinkApi({
        searchServices: jest.fn(
          (_query: EndpointServiceSearchQuery) =>
            new Promise<EndpointServiceSearchPage>(() => {}),
        ),
      }),
    );
    await screen.findByRole('heading', {
      name: 'What can I consume privately?',
    });
    const loading = await within(servicesCard()).findByTestId(
      'loading-indicator',
    );
    expect(within(loading).getByRole('progressbar')).toBeInTheDocument();
  });

  it('shows an empty state without services', async () => {
    render(mockPrivateLinkApi());
    expect(await screen.findByText('No endpoint services')).toBeInTheDocument();
    expect(
      within(servicesCard()).queryByRole('button', { name: 'Next page' }),
    ).not.toBeInTheDocument();
  });

  it('shows the backend’s error, and loads again on Retry', async () => {
    const searchServices = backendSearch(SERVICES);
    searchServices.mockRejectedValueOnce(
      await responseError(503, 'ServiceUnavailableError', 'catalog is down'),
    );
    render(mockPrivateLinkApi({ searchServices }));
    expect(
      await screen.findByText(/Could not load the endpoint services/),
    ).toBeInTheDocument();
    expect(screen.getByText(/catalog is down/)).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByRole('link', { name: 'Payments endpoint service' }),
    ).toBeInTheDocument();
    expect(searchServices).toHaveBeenCalledTimes(2);
  });

  it('reads the next page with the cursor, and goes back', async () => {
    const many = Array.from({ length: 45 }, (_, i) =>
      item({ name: `svc-${String(i).padStart(2, '0')}` }),
    );
    const searchServices = backendSearch(many);
    render(mockPrivateLinkApi({ searchServices }));
    await screen.findByRole('link', { name: 'svc-00' });
    expect(bodyRows()).toHaveLength(20);
    expect(pagerText()).toBe('1-20 of 45');
    const previous = () =>
      within(servicesCard()).getByRole('button', { name: 'Previous page' });
    const next = () =>
      within(servicesCard()).getByRole('button', { name: 'Next page' });
    expect(previous()).toBeDisabled();

    await userEvent.click(next());
    expect(
      await screen.findByRole('link', { name: 'svc-20' }),
    ).toBeInTheDocument();
    const cursor = (await searchServices.mock.results[0].value).nextCursor;
    // Only the cursor: it carries the search.
    expect(searchServices).toHaveBeenLastCalledWith({ cursor, limit: 20 });
    expect(pagerText()).toBe('21-40 of 45');

    await userEvent.click(next());
    expect(
      await screen.findByRole('link', { name: 'svc-44' }),
    ).toBeInTheDocument();
    expect(bodyRows()).toHaveLength(5);
    expect(pagerText()).toBe('41-45 of 45');
    expect(next()).toBeDisabled();

    await userEvent.click(previous());
    expect(
      await screen.findByRole('link', { name: 'svc-39' }),
    ).toBeInTheDocument();
    expect(pagerText()).toBe('21-40 of 45');
    expect(searchServices).toHaveBeenLastCalledWith({ cursor, limit: 20 });
  });

  it('sends the search text to the backend once typing pauses, from the first page', async () => {
    const many = Array.from({ length: 25 }, (_, i) =>
      item({ name: `svc-${String(i).padStart(2, '0')}` }),
    );
    const searchServices = backendSearch([...many, ...SERVICES]);
    render(mockPrivateLinkApi({ searchServices }));
    await screen.findByRole('link', { name: 'svc-00' });
    await userEvent.click(
      within(servicesCard()).getByRole('button', { name: 'Next page' }),
    );
    await screen.findByRole('link', { name: 'svc-20' });

    await fill(
      within(servicesCard()).getByRole('textbox', { name: 'Search services' }),
      'orders',
    );
    await waitFor(() =>
      expect(searchServices).toHaveBeenLastCalledWith({
        q: 'orders',
        limit: 20,
      }),
    );
    await waitFor(() => expect(serviceNames()).toEqual(['Orders API']));
    expect(pagerText()).toBe('1-1 of 1');
    // One request for the words pasted: the first page, the second, then the search.
    expect(searchServices).toHaveBeenCalledTimes(3);

    await fill(
      within(servicesCard()).getByRole('textbox', { name: 'Search services' }),
      '-nothing',
    );
    expect(
      await screen.findByText('No endpoint service matches the search.'),
    ).toBeInTheDocument();
  });

  it('keeps to the services the user can connect to, saying how many were read', async () => {
    const searchServices = backendSearch(SERVICES);
    render(mockPrivateLinkApi({ searchServices }));
    await screen.findByRole('link', { name: 'Billing API' });

    await userEvent.click(
      screen.getByRole('checkbox', { name: 'I can connect' }),
    );
    await waitFor(() =>
      expect(searchServices).toHaveBeenLastCalledWith({
        access: 'connectable',
        limit: 20,
      }),
    );
    await waitFor(() =>
      expect(serviceNames()).toEqual([
        'Orders API',
        'Payments endpoint service',
      ]),
    );
    expect(pagerText()).toBe('1-2 you can connect to; 4 of 4 services read');
  });

  it('says when a page of "I can connect" found none yet but there are more to read', async () => {
    const others = Array.from({ length: 20 }, (_, i) =>
      item({ name: `other-${String(i).padStart(2, '0')}` }),
    );
    const searchServices = backendSearch([...others, ...SERVICES]);
    render(mockPrivateLinkApi({ searchServices }));
    await screen.findByRole('link', { name: 'other-00' });
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'I can connect' }),
    );
    expect(
      await screen.findByText(
        'None you can connect to among these services: see the next page.',
      ),
    ).toBeInTheDocument();
    expect(pagerText()).toBe(
      'None you can connect to yet; 20 of 24 services read',
    );

    await userEvent.click(
      within(servicesCard()).getByRole('button', { name: 'Next page' }),
    );
    await waitFor(() =>
      expect(serviceNames()).toEqual([
        'Orders API',
        'Payments endpoint service',
      ]),
    );
    expect(pagerText()).toBe('1-2 you can connect to; 24 of 24 services read');
  });

  it('filters by account, offering the accounts the catalog counts, by their configured names', async () => {
    const searchServices = backendSearch(SERVICES);
    render(
      mockPrivateLinkApi({
        searchServices,
        getSettings: jest.fn().mockResolvedValue({
          regions: ['eu-west-1'],
          accounts: [{ accountId: '222222222222', name: 'orders-prod' }],
          allowWildcardPrincipal: false,
          syncEnabled: true,
        }),
      }),
    );
    await screen.findByRole('link', { name: 'Billing API' });

    await userEvent.click(screen.getByRole('textbox', { name: 'Account' }));
    const listbox = await screen.findByRole('listbox');
    expect(
      within(listbox)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual(['111111111111', 'orders-prod (222222222222)']);
    await userEvent.click(
      within(listbox).getByRole('option', {
        name: 'orders-prod (222222222222)',
      }),
    );
    await waitFor(() =>
      expect(searchServices).toHaveBeenLastCalledWith({
        accountId: '222222222222',
        limit: 20,
      }),
    );
    await waitFor(() => expect(serviceNames()).toEqual(['Orders API']));
  });

  it('filters by owner and system, from the values the catalog counts', async () => {
    const searchServices = backendSearch(SERVICES);
    render(mockPrivateLinkApi({ searchServices }));
    await screen.findByRole('link', { name: 'Billing API' });

    await userEvent.click(screen.getByRole('textbox', { name: 'System' }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'commerce' }),
    );
    await waitFor(() =>
      expect(searchServices).toHaveBeenLastCalledWith({
        system: 'system:default/commerce',
        limit: 20,
      }),
    );
    await userEvent.click(screen.getByRole('textbox', { name: 'Owner' }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'payments' }),
    );
    await waitFor(() =>
      expect(searchServices).toHaveBeenLastCalledWith({
        owner: 'group:default/payments',
        system: 'system:default/commerce',
        limit: 20,
      }),
    );
    expect(
      await screen.findByText('No endpoint service matches the search.'),
    ).toBeInTheDocument();
  });

  it('lists the user’s own access requests to any service', async () => {
    const privatelinkApi = mockPrivateLinkApi({
      listAccessRequests: jest
        .fn()
        .mockResolvedValue([
          makeRequest({ requestedBy: 'user:default/jane', status: 'approved' }),
        ]),
    });
    render(privatelinkApi);

    const heading = await screen.findByRole('heading', {
      name: 'Your access requests',
    });
    const requests = heading.closest<HTMLElement>(
      '[class*="BackstageTable-root"]',
    )!;
    expect(
      await within(requests).findByRole('link', {
        name: 'payments-endpoint-service',
      }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/resource/payments-endpoint-service',
    );
    expect(requests).toHaveTextContent('Approved');
    expect(privatelinkApi.listAccessRequestsPage).toHaveBeenCalledWith(
      undefined,
    );
  });

  it('shows the error of the access requests without hiding the services', async () => {
    render(
      mockPrivateLinkApi({
        searchServices: backendSearch(SERVICES),
        listAccessRequests: jest
          .fn()
          .mockRejectedValue(new Error('backend is down')),
      }),
    );
    expect(
      await screen.findByText(/Could not load the access requests/),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('link', { name: 'Payments endpoint service' }),
    ).toBeInTheDocument();
  });
});
