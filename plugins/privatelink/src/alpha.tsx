import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import VpnLockIcon from '@material-ui/icons/VpnLock';
import { PrivateLinkClient, privatelinkApiRef } from './api';
import {
  isPrivateLinkAvailable,
  isPrivateLinkConsumerAvailable,
} from './conditions';
import { rootRouteRef as legacyRootRouteRef } from './routes';

/** The page's route ref, shared with the legacy plugin so that links resolve in either system. */
const rootRouteRef = convertLegacyRouteRef(legacyRootRouteRef);

/**
 * API `api:privatelink`: the `PrivateLinkClient` (exported by `@privatelink-backstage/plugin-privatelink`) of
 * the backend plugin, registered for `privatelinkApiRef` with the app's discovery and fetch APIs.
 *
 * @alpha
 */
export const privatelinkApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: privatelinkApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new PrivateLinkClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * Entity card `entity-card:privatelink/service` on the overview tab of entities for which
 * `isPrivateLinkAvailable` (exported by `@privatelink-backstage/plugin-privatelink`) is true.
 *
 * @alpha
 */
export const privatelinkEntityCard = EntityCardBlueprint.make({
  name: 'service',
  params: {
    filter: isPrivateLinkAvailable,
    loader: () =>
      import('./components/EntityPrivateLinkCard').then(m => (
        <m.EntityPrivateLinkCard />
      )),
  },
});

/**
 * Entity card `entity-card:privatelink/consumer` on the overview tab of consumers, the Components and Groups for
 * which `isPrivateLinkConsumerAvailable` (exported by `@privatelink-backstage/plugin-privatelink`) is true: the
 * services they reach privately, with the DNS name to use for each, and their pending and denied access requests.
 *
 * @alpha
 */
export const privatelinkConsumerEntityCard = EntityCardBlueprint.make({
  name: 'consumer',
  params: {
    filter: isPrivateLinkConsumerAvailable,
    loader: () =>
      import('./components/EntityPrivateLinkConsumerCard').then(m => (
        <m.EntityPrivateLinkConsumerCard />
      )),
  },
});

/**
 * Entity tab `entity-content:privatelink/service` at `privatelink`, titled PrivateLink.
 *
 * @alpha
 */
export const privatelinkEntityContent = EntityContentBlueprint.make({
  name: 'service',
  params: {
    path: 'privatelink',
    title: 'PrivateLink',
    filter: isPrivateLinkAvailable,
    loader: () =>
      import('./components/EntityPrivateLinkContent').then(m => (
        <m.EntityPrivateLinkContent />
      )),
  },
});

/**
 * Page `page:privatelink` at `/privatelink`: "What can I consume privately?". The app's sidebar lists
 * it as "PrivateLink": in this version of the frontend system nav items are derived from pages that
 * have a route ref, a title and an icon.
 *
 * @alpha
 */
export const privatelinkPage = PageBlueprint.make({
  params: {
    path: '/privatelink',
    title: 'PrivateLink',
    icon: <VpnLockIcon />,
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/PrivateLinkPage').then(m => (
        <m.PrivateLinkPageContent />
      )),
  },
});

/**
 * The PrivateLink plugin for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'privatelink',
  title: 'PrivateLink',
  icon: <VpnLockIcon />,
  info: { packageJson: () => import('../package.json') },
  routes: {
    root: rootRouteRef,
  },
  extensions: [
    privatelinkApi,
    privatelinkPage,
    privatelinkEntityCard,
    privatelinkConsumerEntityCard,
    privatelinkEntityContent,
  ],
});
