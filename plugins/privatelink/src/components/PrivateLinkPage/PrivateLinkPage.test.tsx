import {
  TestApiProvider,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  SERVICE_NAME,
  componentWithServiceId,
  endpoints,
  makeService,
} from '../../__fixtures__/entities';
import { makeRequest } from '../../__fixtures__/details';
import {
  mockPrivateLinkApi,
  permissionApiFor,
  tableTitled,
} from '../../__testUtils__/renderWithApis';
import { PrivateLinkApi, privatelinkApiRef } from '../../api';
import { PrivateLinkPage } from './PrivateLinkPage';

type CatalogApi = typeof catalogApiRef.T;

const payments = makeService({ title: 'Payments endpoint service' });
const orders = makeService({
  name: 'orders-endpoint-service',
  title: 'Orders endpoint service',
  system: 'orders',
  annotations: {
    'privatelink.io/service-id': 'vpce-svc-0bbbbbbbbbbbbbbbb',
    'privatelink.io/service-name':
      'com.amazonaws.vpce.eu-west-1.vpce-svc-0bbbbbbbbbbbbbbbb',
    'privatelink.io/private-dns-name': undefined,
    'privatelink.io/private-dns-state': undefined,
    'privatelink.io/acceptance-required': 'false',
  },
  relations: [
    { type: 'ownedBy', targetRef: 'group:default/orders-team' },
    { type: 'partOf', targetRef: 'system:default/orders' },
  ],
});

function render(
  catalogApi: CatalogApi,
  privatelinkApi: PrivateLinkApi = mockPrivateLinkApi(),
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [catalogApiRef, catalogApi],
        [privatelinkApiRef, privatelinkApi],
        permissionApiFor('consumer'),
      ]}
    >
      <PrivateLinkPage />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

/** The table of services (the page also has one of access requests). */
function servicesTable(): HTMLElement {
  return screen
    .getByRole('heading', { name: 'What can I consume privately?' })
    .closest<HTMLElement>('[class*="BackstageTable-root"]')!;
}

const filterBox = () => within(servicesTable()).getByPlaceholderText('Filter');

/** The table rows that show a service (not the header or the pagination footer). */
function bodyRows(): HTMLElement[] {
  return within(servicesTable())
    .getAllByRole('row')
    .filter(row =>
      within(row)
        .queryAllByRole('link')
        .some(link =>
          link.getAttribute('href')?.startsWith('/catalog/default/resource/'),
        ),
    );
}

// material-table renders slowly in jsdom, more so when the suites run in parallel.
jest.setTimeout(60_000);

describe('PrivateLinkPage', () => {
  it('lists every endpoint service in the catalog', async () => {
    const catalogApi = catalogApiMock({
      entities: [payments, orders, ...endpoints, componentWithServiceId],
    });
    const getEntities = jest.spyOn(catalogApi, 'getEntities');
    render(catalogApi);

    expect(
      screen.getByText('What can I consume privately?', { selector: 'span' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('link', { name: 'Payments endpoint service' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/resource/payments-endpoint-service',
    );
    expect(getEntities).toHaveBeenCalledWith({
      filter: { kind: 'Resource', 'spec.type': 'vpc-endpoint-service' },
    });

    const rows = bodyRows();
    expect(rows).toHaveLength(2);
    // Sorted by title: Orders, then Payments.
    const [ordersRow, paymentsRow] = rows;
    expect(
      within(ordersRow).getByRole('link', { name: 'Orders endpoint service' }),
    ).toBeInTheDocument();
    expect(
      within(ordersRow).getByRole('link', { name: 'orders-team' }),
    ).toHaveAttribute('href', '/catalog/default/group/orders-team');
    expect(ordersRow).toHaveTextContent('No'); // acceptance required
    expect(ordersRow).toHaveTextContent(/0$/); // consumers

    // Owner group and system.
    expect(
      within(paymentsRow)
        .getAllByRole('link', { name: 'payments' })
        .map(link => link.getAttribute('href')),
    ).toEqual([
      '/catalog/default/group/payments',
      '/catalog/default/system/payments',
    ]);
    expect(paymentsRow).toHaveTextContent(SERVICE_NAME);
    expect(paymentsRow).toHaveTextContent(
      'payments.internal.example.com (Verified)',
    );
    expect(paymentsRow).toHaveTextContent('Yes');
    expect(paymentsRow).toHaveTextContent(/3$/);
    expect(
      within(paymentsRow).getByRole('button', {
        name: 'Copy service name of Payments endpoint service',
      }),
    ).toBeInTheDocument();
  });

  it('filters the services by search text', async () => {
    render(catalogApiMock({ entities: [payments, orders, ...endpoints] }));
    await screen.findByRole('link', { name: 'Payments endpoint service' });
    expect(bodyRows()).toHaveLength(2);

    await userEvent.type(filterBox(), 'orders');

    await waitFor(() => {
      expect(
        screen.queryByRole('link', { name: 'Payments endpoint service' }),
      ).not.toBeInTheDocument();
    });
    expect(bodyRows()).toHaveLength(1);
    expect(
      screen.getByRole('link', { name: 'Orders endpoint service' }),
    ).toBeInTheDocument();

    // Service names are searchable too.
    await userEvent.clear(filterBox());
    await userEvent.click(filterBox());
    await userEvent.paste('vpce-svc-0a1b2c3d4e5f60718');
    expect(
      await screen.findByRole('link', { name: 'Payments endpoint service' }),
    ).toBeInTheDocument();
    await waitFor(() => expect(bodyRows()).toHaveLength(1));
  });

  it('shows an empty state without services', async () => {
    render(catalogApiMock({ entities: [componentWithServiceId] }));
    expect(await screen.findByText('No endpoint services')).toBeInTheDocument();
  });

  it('shows the error when the catalog fails', async () => {
    render(
      catalogApiMock.mock({
        getEntities: jest.fn().mockRejectedValue(new Error('catalog is down')),
      }),
    );
    expect(
      await screen.findByText(/Could not load the endpoint services/),
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
    render(catalogApiMock({ entities: [payments] }), privatelinkApi);

    const requests = await tableTitled('Your access requests');
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
      catalogApiMock({ entities: [payments] }),
      mockPrivateLinkApi({
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
