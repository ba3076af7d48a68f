import { Entity } from '@backstage/catalog-model';
import {
  TestApiProvider,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  catalogApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  SERVICE_NAME,
  componentWithServiceId,
  endpoints,
  makeService,
} from '../../__fixtures__/entities';
import { EntityPrivateLinkContent } from './EntityPrivateLinkContent';

type CatalogApi = typeof catalogApiRef.T;

function render(entity: Entity, catalogApi: CatalogApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
      <EntityProvider entity={entity}>
        <EntityPrivateLinkContent />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

/** Rows of the consumers table that show an endpoint. */
function consumerRows(): HTMLElement[] {
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

describe('EntityPrivateLinkContent', () => {
  it('shows the service details and a table of consumers', async () => {
    const service = makeService();
    render(service, catalogApiMock({ entities: [service, ...endpoints] }));

    expect(
      await screen.findByRole('heading', { name: 'Consumers (3)' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'Consumer endpoints' }),
    ).toBeInTheDocument();
    expect(screen.getByText(SERVICE_NAME)).toBeInTheDocument();
    // The compact list of the card is replaced by the table.
    expect(
      screen.queryByRole('table', { name: 'Consumers' }),
    ).not.toBeInTheDocument();
    expect(
      within(
        screen.getByRole('list', { name: 'Consumers by state' }),
      ).getAllByRole('listitem'),
    ).toHaveLength(2);

    const rows = consumerRows();
    expect(rows).toHaveLength(3);
    const billing = rows.find(row =>
      within(row).queryByRole('link', { name: 'vpce-0fedcba9876543210' }),
    )!;
    expect(
      within(billing).getByRole('link', { name: 'billing' }),
    ).toHaveAttribute('href', '/catalog/default/group/billing');
    expect(billing).toHaveTextContent('333333333333');
    expect(billing).toHaveTextContent('eu-west-1');
    expect(billing).toHaveTextContent('Pending acceptance');
  });

  it('filters the consumers by search text', async () => {
    const service = makeService();
    render(service, catalogApiMock({ entities: [service, ...endpoints] }));
    await screen.findByRole('link', { name: 'vpce-0fedcba9876543210' });

    await userEvent.type(screen.getByPlaceholderText('Filter'), 'ledger');

    await waitFor(() => expect(consumerRows()).toHaveLength(1));
    expect(
      screen.getByRole('link', { name: 'vpce-0aaaabbbbccccdddd' }),
    ).toBeInTheDocument();
  });

  it('sorts the consumers by a column', async () => {
    const service = makeService();
    render(service, catalogApiMock({ entities: [service, ...endpoints] }));
    await screen.findByRole('link', { name: 'vpce-0fedcba9876543210' });

    const accounts = () =>
      consumerRows().map(row =>
        ['222222222222', '333333333333', '444444444444'].find(a =>
          row.textContent?.includes(a),
        ),
      );
    const sortByAccount = () =>
      userEvent.click(
        within(screen.getByRole('columnheader', { name: 'Account' })).getByText(
          'Account',
        ),
      );
    await sortByAccount();
    await waitFor(() =>
      expect(accounts()).toEqual([
        '222222222222',
        '333333333333',
        '444444444444',
      ]),
    );
    await sortByAccount();
    await waitFor(() =>
      expect(accounts()).toEqual([
        '444444444444',
        '333333333333',
        '222222222222',
      ]),
    );
  });

  it('shows the no-consumers warning and no table for a service without consumers', async () => {
    const service = makeService({ relations: [] });
    render(service, catalogApiMock({ entities: [service] }));

    expect(await screen.findByRole('alert')).toHaveTextContent(/No consumers/);
    expect(screen.queryByPlaceholderText('Filter')).not.toBeInTheDocument();
  });

  it('resolves the service of a Component', async () => {
    const service = makeService({ title: 'Payments endpoint service' });
    render(
      componentWithServiceId,
      catalogApiMock({
        entities: [service, ...endpoints, componentWithServiceId],
      }),
    );
    expect(
      await screen.findByRole('link', { name: 'Payments endpoint service' }),
    ).toBeInTheDocument();
    expect(consumerRows()).toHaveLength(3);
  });
});
