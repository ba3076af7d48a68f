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

function render(catalogApi: CatalogApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
      <PrivateLinkPage />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

/** The table rows that show a service (not the header or the pagination footer). */
function bodyRows(): HTMLElement[] {
  return screen.getAllByRole('row').filter(row =>
    within(row)
      .queryAllByRole('link')
      .some(link =>
        link.getAttribute('href')?.startsWith('/catalog/default/resource/'),
      ),
  );
}

// material-table renders slowly in jsdom, more so when the suites run in parallel.
jest.setTimeout(15_000);

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

    await userEvent.type(screen.getByPlaceholderText('Filter'), 'orders');

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
    await userEvent.clear(screen.getByPlaceholderText('Filter'));
    await userEvent.click(screen.getByPlaceholderText('Filter'));
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
});
