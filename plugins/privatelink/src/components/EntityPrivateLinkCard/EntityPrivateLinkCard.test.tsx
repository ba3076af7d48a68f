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
  SERVICE_ID,
  SERVICE_NAME,
  componentWithServiceId,
  componentWithServiceRef,
  endpoints,
  makeService,
  plainComponent,
} from '../../__fixtures__/entities';
import { EntityPrivateLinkCard } from './EntityPrivateLinkCard';

type CatalogApi = typeof catalogApiRef.T;

function render(entity: Entity, catalogApi: CatalogApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
      <EntityProvider entity={entity}>
        <EntityPrivateLinkCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

/** The `<dd>` that follows the `<dt>` with the given label. */
function detail(label: string): HTMLElement {
  const term = screen.getByText(label, { selector: 'dt' });
  return term.nextElementSibling as HTMLElement;
}

describe('EntityPrivateLinkCard', () => {
  it('shows a fully annotated endpoint service with its consumers', async () => {
    const service = makeService();
    const catalogApi = catalogApiMock({ entities: [service, ...endpoints] });
    const getEntitiesByRefs = jest.spyOn(catalogApi, 'getEntitiesByRefs');
    render(service, catalogApi);

    expect(await screen.findByText('Consumers (3)')).toBeInTheDocument();

    // Connection details from the annotations.
    expect(detail('Service name')).toHaveTextContent(SERVICE_NAME);
    expect(
      screen.getByRole('button', { name: 'Copy service name' }),
    ).toBeInTheDocument();
    expect(detail('Service id')).toHaveTextContent(SERVICE_ID);
    const dnsNames = within(
      screen.getByRole('list', { name: 'DNS names' }),
    ).getAllByRole('listitem');
    expect(dnsNames.map(li => li.textContent)).toEqual([
      `${SERVICE_ID}.eu-west-1.vpce.amazonaws.com`,
      `${SERVICE_ID}-eu-west-1a.eu-west-1.vpce.amazonaws.com`,
    ]);
    expect(detail('Private DNS name')).toHaveTextContent(
      'payments.internal.example.com (Verified)',
    );
    expect(detail('Acceptance required')).toHaveTextContent('Yes');
    expect(detail('State')).toHaveTextContent('Available');
    expect(detail('Account')).toHaveTextContent('111111111111');
    expect(detail('Region')).toHaveTextContent('eu-west-1');
    // The service is the entity itself: no link to it, no warnings.
    expect(screen.queryByText('Endpoint service')).not.toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();

    // Only the Resource dependants are loaded, and only vpc-endpoints are listed.
    expect(getEntitiesByRefs).toHaveBeenCalledWith({
      entityRefs: [
        'resource:default/checkout-vpce',
        'resource:default/billing-vpce',
        'resource:default/ledger-vpce',
      ],
    });
    const table = screen.getByRole('table', { name: 'Consumers' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map(row => row.textContent)).toEqual([
      'vpce-0fedcba9876543210billing333333333333Pending acceptance',
      'vpce-0123456789abcdef0checkout222222222222Available',
      'vpce-0aaaabbbbccccddddledger444444444444Available',
    ]);
    expect(
      within(rows[0]).getByRole('link', { name: 'billing' }),
    ).toHaveAttribute('href', '/catalog/default/group/billing');
    expect(
      within(rows[0]).getByRole('link', { name: 'vpce-0fedcba9876543210' }),
    ).toHaveAttribute('href', '/catalog/default/resource/billing-vpce');

    // Counts per state, most frequent first.
    const counts = within(
      screen.getByRole('list', { name: 'Consumers by state' }),
    ).getAllByRole('listitem');
    expect(counts.map(li => li.textContent)).toEqual([
      'Available: 2',
      'Pending acceptance: 1',
    ]);
  });

  it('warns when the private DNS name is not verified', async () => {
    const service = makeService({
      annotations: {
        'privatelink.io/private-dns-state': 'pendingVerification',
      },
    });
    render(service, catalogApiMock({ entities: [service, ...endpoints] }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'The private DNS name payments.internal.example.com is not verified (Pending verification)',
    );
    expect(detail('Private DNS name')).toHaveTextContent(
      'payments.internal.example.com (Pending verification)',
    );
  });

  it('warns when the data is stale', async () => {
    const service = makeService({
      annotations: { 'privatelink.io/stale-since': '2024-05-01T10:00:00Z' },
    });
    render(service, catalogApiMock({ entities: [service, ...endpoints] }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Stale data: the account or region of this endpoint service could not be read since 2024-05-01T10:00:00Z',
    );
  });

  it('shows missing values and unknown acceptance without failing', async () => {
    const service = makeService({
      annotations: {
        'privatelink.io/private-dns-name': undefined,
        'privatelink.io/private-dns-state': undefined,
        'privatelink.io/acceptance-required': undefined,
        'privatelink.io/dns-names': undefined,
        'privatelink.io/state': 'somethingNew',
      },
      relations: [],
    });
    render(service, catalogApiMock({ entities: [service] }));

    expect(await screen.findByText('Consumers (0)')).toBeInTheDocument();
    expect(detail('Private DNS name')).toHaveTextContent('—');
    expect(detail('DNS names')).toHaveTextContent('—');
    expect(detail('Acceptance required')).toHaveTextContent('Unknown');
    expect(detail('State')).toHaveTextContent('Unknown');
  });

  it('warns when the service has no consumers', async () => {
    const service = makeService({
      relations: [{ type: 'ownedBy', targetRef: 'group:default/payments' }],
    });
    const catalogApi = catalogApiMock({ entities: [service, ...endpoints] });
    const getEntitiesByRefs = jest.spyOn(catalogApi, 'getEntitiesByRefs');
    render(service, catalogApi);

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'No consumers: no vpc-endpoint in the catalog depends on this endpoint service yet.',
    );
    expect(screen.getByText('Consumers (0)')).toBeInTheDocument();
    expect(
      screen.queryByRole('table', { name: 'Consumers' }),
    ).not.toBeInTheDocument();
    expect(getEntitiesByRefs).not.toHaveBeenCalled();
  });

  it('loads the endpoint service of a Component by its service id', async () => {
    const service = makeService({ title: 'Payments endpoint service' });
    const other = makeService({
      name: 'other-endpoint-service',
      annotations: {
        'privatelink.io/service-id': 'vpce-svc-0ffffffffffffffff',
      },
    });
    const catalogApi = catalogApiMock({
      entities: [other, service, ...endpoints, componentWithServiceId],
    });
    const getEntities = jest.spyOn(catalogApi, 'getEntities');
    render(componentWithServiceId, catalogApi);

    expect(await screen.findByText('Consumers (3)')).toBeInTheDocument();
    expect(getEntities).toHaveBeenCalledWith({
      filter: {
        kind: 'Resource',
        'spec.type': 'vpc-endpoint-service',
        'metadata.annotations.privatelink.io/service-id': SERVICE_ID,
      },
    });
    expect(
      within(detail('Endpoint service')).getByRole('link', {
        name: 'Payments endpoint service',
      }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/resource/payments-endpoint-service',
    );
    expect(detail('Service name')).toHaveTextContent(SERVICE_NAME);
    expect(detail('Service id')).toHaveTextContent(SERVICE_ID);
    expect(
      within(screen.getByRole('table', { name: 'Consumers' })).getAllByRole(
        'row',
      ),
    ).toHaveLength(4);
  });

  it('loads the endpoint service a Component names by entity ref', async () => {
    const service = makeService({ title: 'Payments endpoint service' });
    const catalogApi = catalogApiMock({
      entities: [service, ...endpoints, componentWithServiceRef],
    });
    const getEntityByRef = jest.spyOn(catalogApi, 'getEntityByRef');
    render(componentWithServiceRef, catalogApi);

    expect(await screen.findByText('Consumers (3)')).toBeInTheDocument();
    expect(getEntityByRef).toHaveBeenCalledWith(
      'resource:default/payments-endpoint-service',
    );
    expect(
      within(detail('Endpoint service')).getByRole('link', {
        name: 'Payments endpoint service',
      }),
    ).toBeInTheDocument();
    expect(detail('Service name')).toHaveTextContent(SERVICE_NAME);
  });

  it('says so when the named entity is not an endpoint service', async () => {
    const notAService = { ...plainComponent, kind: 'Resource' };
    render(
      {
        ...componentWithServiceRef,
        metadata: {
          ...componentWithServiceRef.metadata,
          annotations: { 'privatelink.io/endpoint-service': 'plain' },
        },
      },
      catalogApiMock({ entities: [notAService] }),
    );

    expect(
      await screen.findByText('Endpoint service not found'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/names resource:default\/plain, which is not/),
    ).toBeInTheDocument();
  });

  it('says so when no endpoint service carries the service id', async () => {
    render(
      componentWithServiceId,
      catalogApiMock({ entities: [componentWithServiceId] }),
    );

    expect(
      await screen.findByText('Endpoint service not found'),
    ).toBeInTheDocument();
    expect(screen.getByText(new RegExp(SERVICE_ID))).toBeInTheDocument();
  });

  it('shows the missing annotation state for an unrelated entity', async () => {
    render(plainComponent, catalogApiMock({ entities: [] }));

    expect(await screen.findByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(
      screen.getAllByText(/privatelink\.io\/service-id/).length,
    ).toBeGreaterThan(0);
  });

  it('shows a progress bar while loading', async () => {
    const catalogApi = catalogApiMock.mock({
      getEntities: jest.fn(() => new Promise<never>(() => {})),
    });
    render(componentWithServiceId, catalogApi);

    expect(
      await screen.findByRole('progressbar', { name: 'Loading' }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Consumers/)).not.toBeInTheDocument();
  });

  it('shows the error and retries', async () => {
    const service = makeService({ relations: [] });
    const getEntities = jest
      .fn()
      .mockRejectedValueOnce(new Error('catalog is down'))
      .mockResolvedValue({ items: [service] });
    const catalogApi = catalogApiMock.mock({ getEntities });
    render(componentWithServiceId, catalogApi);

    expect(
      await screen.findByText(
        /Could not load the PrivateLink endpoint service/,
      ),
    ).toBeInTheDocument();
    expect(screen.getAllByText('catalog is down').length).toBeGreaterThan(0);

    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));

    expect(await screen.findByText('Consumers (0)')).toBeInTheDocument();
    await waitFor(() => expect(getEntities).toHaveBeenCalledTimes(2));
  });
});
