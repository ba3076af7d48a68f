import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import type { JSX } from 'react';
import { PrivateLinkClient, privatelinkApiRef } from './api';
import type { EntityPrivateLinkCardProps } from './components/EntityPrivateLinkCard';
import type { EntityPrivateLinkConsumerCardProps } from './components/EntityPrivateLinkConsumerCard';
import { rootRouteRef } from './routes';

/**
 * The PrivateLink plugin for the legacy frontend system. Apps on the new frontend system use the
 * default export of `@privatelink-backstage/plugin-privatelink/alpha` instead.
 *
 * @public
 */
export const privatelinkPlugin = createPlugin({
  id: 'privatelink',
  apis: [
    createApiFactory({
      api: privatelinkApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new PrivateLinkClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
  },
});

/**
 * Entity card with the endpoint service's connection details, consumers and principals, owner reviews and
 * access requests. Show it on the entity page when {@link isPrivateLinkAvailable} is true.
 *
 * @public
 */
export const EntityPrivateLinkCard: (
  props: EntityPrivateLinkCardProps,
) => JSX.Element = privatelinkPlugin.provide(
  createComponentExtension({
    name: 'EntityPrivateLinkCard',
    component: {
      lazy: () =>
        import('./components/EntityPrivateLinkCard').then(
          m => m.EntityPrivateLinkCard,
        ),
    },
  }),
);

/**
 * Entity card for a consumer (a Component or a Group): the services it reaches over AWS PrivateLink, with the DNS
 * name to use for each (copy button), and its pending and denied access requests. Show it on the entity page
 * when {@link isPrivateLinkConsumerAvailable} is true.
 *
 * @public
 */
export const EntityPrivateLinkConsumerCard: (
  props: EntityPrivateLinkConsumerCardProps,
) => JSX.Element = privatelinkPlugin.provide(
  createComponentExtension({
    name: 'EntityPrivateLinkConsumerCard',
    component: {
      lazy: () =>
        import('./components/EntityPrivateLinkConsumerCard').then(
          m => m.EntityPrivateLinkConsumerCard,
        ),
    },
  }),
);

/**
 * Entity tab content: the service at full width, then tables of its connections, allowed principals and
 * access requests, and for owners the audit log.
 *
 * @public
 */
export const EntityPrivateLinkContent: () => JSX.Element =
  privatelinkPlugin.provide(
    createComponentExtension({
      name: 'EntityPrivateLinkContent',
      component: {
        lazy: () =>
          import('./components/EntityPrivateLinkContent').then(
            m => m.EntityPrivateLinkContent,
          ),
      },
    }),
  );

/**
 * The PrivateLink page: "What can I consume privately?".
 *
 * @public
 */
export const PrivateLinkPage: () => JSX.Element = privatelinkPlugin.provide(
  createRoutableExtension({
    name: 'PrivateLinkPage',
    component: () =>
      import('./components/PrivateLinkPage').then(m => m.PrivateLinkPage),
    mountPoint: rootRouteRef,
  }),
);
