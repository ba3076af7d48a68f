import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import {
  TestApiProvider,
  createExtensionTester,
  mockApis,
  renderInTestApp,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  catalogApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  catalogApiMock,
  createTestEntityPage,
} from '@backstage/plugin-catalog-react/testUtils';
import { screen, within } from '@testing-library/react';
import {
  SERVICE_NAME,
  componentWithServiceId,
  consumerComponent,
  consumerGroup,
  endpoints,
  makeService,
  plainComponent,
} from './__fixtures__/entities';
import {
  mockPrivateLinkApi,
  permissionApiFor,
} from './__testUtils__/renderWithApis';
import { PrivateLinkClient, privatelinkApiRef } from './api';
import privatelinkPlugin, {
  privatelinkApi,
  privatelinkConsumerEntityCard,
  privatelinkEntityCard,
  privatelinkEntityContent,
  privatelinkPage,
} from './alpha';

const service = makeService({ title: 'Payments endpoint service' });

describe('privatelink alpha plugin', () => {
  it('is the privatelink plugin with its page, card and tab', () => {
    expect(privatelinkPlugin.pluginId).toBe('privatelink');
    expect(privatelinkPlugin.title).toBe('PrivateLink');
    expect(privatelinkPlugin.routes.root).toBeDefined();
    expect(privatelinkPlugin.getExtension('page:privatelink')).toBeDefined();
    expect(privatelinkPlugin.getExtension('api:privatelink')).toBeDefined();
    expect(
      privatelinkPlugin.getExtension('entity-card:privatelink/service'),
    ).toBeDefined();
    expect(
      privatelinkPlugin.getExtension('entity-card:privatelink/consumer'),
    ).toBeDefined();
    expect(
      privatelinkPlugin.getExtension('entity-content:privatelink/service'),
    ).toBeDefined();
  });

  describe('api', () => {
    it('provides the PrivateLink client from discovery and fetch', async () => {
      const tester = createExtensionTester(privatelinkApi);
      const factory = tester.get(ApiBlueprint.dataRefs.factory);
      expect(factory.api).toBe(privatelinkApiRef);
      expect(Object.keys(factory.deps).sort()).toEqual([
        'discoveryApi',
        'fetchApi',
      ]);
      const client = factory.factory({
        discoveryApi: mockApis.discovery(),
        fetchApi: mockApis.fetch(),
      });
      expect(client).toBeInstanceOf(PrivateLinkClient);
    });
  });

  describe('entity card', () => {
    it('is filtered by isPrivateLinkAvailable', () => {
      const tester = createExtensionTester(privatelinkEntityCard);
      const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction);
      expect(filter).toBeDefined();
      expect(filter!(service)).toBe(true);
      expect(filter!(plainComponent)).toBe(false);
    });

    it('renders the card for the entity in context', async () => {
      const tester = createExtensionTester(privatelinkEntityCard);
      const api = mockPrivateLinkApi();
      renderInTestApp(
        <TestApiProvider
          apis={[[privatelinkApiRef, api], permissionApiFor('consumer')]}
        >
          <EntityProvider entity={service}>
            {tester.reactElement()}
          </EntityProvider>
        </TestApiProvider>,
        {
          mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
        },
      );

      expect(await screen.findByText('Consumers (3)')).toBeInTheDocument();
      expect(screen.getByText(SERVICE_NAME)).toBeInTheDocument();
      expect(api.getServiceDetails).toHaveBeenCalledWith(
        'resource:default/payments-endpoint-service',
      );
    });

    it('appears on the entity page of a service and not of other entities', async () => {
      const apis = [
        [catalogApiRef, catalogApiMock({ entities: [service, ...endpoints] })],
        [privatelinkApiRef, mockPrivateLinkApi()],
        permissionApiFor('consumer'),
      ] as const;
      const { unmount } = renderTestApp({
        extensions: [
          createTestEntityPage({ entity: service }),
          privatelinkEntityCard,
        ],
        apis,
      });
      expect(await screen.findByText('Consumers (3)')).toBeInTheDocument();
      unmount();

      renderTestApp({
        extensions: [
          createTestEntityPage({ entity: plainComponent }),
          privatelinkEntityCard,
        ],
        apis,
      });
      expect(
        await screen.findByTestId('empty-entity-page'),
      ).toBeInTheDocument();
    });
  });

  describe('consumer entity card', () => {
    it('is filtered by isPrivateLinkConsumerAvailable', () => {
      const tester = createExtensionTester(privatelinkConsumerEntityCard);
      const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction);
      expect(filter).toBeDefined();
      expect(filter!(consumerComponent)).toBe(true);
      expect(filter!(consumerGroup)).toBe(true);
      expect(filter!(componentWithServiceId)).toBe(false);
      expect(filter!(service)).toBe(false);
      expect(filter!(plainComponent)).toBe(false);
    });

    it('appears on the entity page of a consumer with the DNS names to use', async () => {
      const apis = [
        [catalogApiRef, catalogApiMock({ entities: [consumerComponent] })],
        [privatelinkApiRef, mockPrivateLinkApi()],
        permissionApiFor('consumer'),
      ] as const;
      const { unmount } = renderTestApp({
        extensions: [
          createTestEntityPage({ entity: consumerComponent }),
          privatelinkConsumerEntityCard,
        ],
        apis,
      });
      expect(
        await screen.findByText('orders.internal.example.com'),
      ).toBeInTheDocument();
      expect(screen.getByText('Private connections')).toBeInTheDocument();
      unmount();

      renderTestApp({
        extensions: [
          createTestEntityPage({ entity: plainComponent }),
          privatelinkConsumerEntityCard,
        ],
        apis,
      });
      expect(
        await screen.findByTestId('empty-entity-page'),
      ).toBeInTheDocument();
    });
  });

  describe('entity content', () => {
    it('is the PrivateLink tab at privatelink', () => {
      const tester = createExtensionTester(privatelinkEntityContent);
      expect(tester.get(coreExtensionData.routePath)).toBe('privatelink');
      expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
        'PrivateLink',
      );
      const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
      expect(filter!(service)).toBe(true);
      expect(filter!(plainComponent)).toBe(false);
    });
  });

  describe('page', () => {
    it('is mounted at /privatelink with a title and icon for the nav', () => {
      const tester = createExtensionTester(privatelinkPage);
      expect(tester.get(coreExtensionData.routePath)).toBe('/privatelink');
      expect(tester.get(coreExtensionData.title)).toBe('PrivateLink');
      expect(tester.get(coreExtensionData.icon)).toBeDefined();
      expect(tester.get(coreExtensionData.routeRef)).toBe(
        privatelinkPlugin.routes.root,
      );
    });

    it('lists the endpoint services when installed in an app', async () => {
      renderTestApp({
        features: [privatelinkPlugin],
        initialRouteEntries: ['/privatelink'],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
        apis: [
          [
            catalogApiRef,
            catalogApiMock({ entities: [service, ...endpoints] }),
          ],
          [
            privatelinkApiRef,
            mockPrivateLinkApi({
              // The page's search, as the backend answers it from the catalog above.
              searchServices: jest.fn().mockResolvedValue({
                items: [
                  {
                    entityRef: stringifyEntityRef(service),
                    name: service.metadata.name,
                    title: service.metadata.title,
                    owner: service.spec?.owner as string,
                    consumers: endpoints.length,
                    access: 'allowed',
                  },
                ],
                totalItems: 1,
              }),
            }),
          ],
          permissionApiFor('consumer'),
        ],
      });

      // The whole app with its lazy-loaded page takes a moment to render the first time.
      expect(
        await screen.findByRole(
          'link',
          { name: 'Payments endpoint service' },
          { timeout: 10_000 },
        ),
      ).toBeInTheDocument();
      expect(
        screen.getByRole('heading', { name: 'What can I consume privately?' }),
      ).toBeInTheDocument();
      // The page is listed in the sidebar as PrivateLink.
      const nav = screen.getByRole('navigation', { name: 'sidebar nav' });
      expect(
        within(nav).getByRole('link', { name: /PrivateLink/ }),
      ).toHaveAttribute('href', '/privatelink');
    }, 20_000);
  });
});
