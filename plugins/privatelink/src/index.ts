/**
 * Frontend for AWS PrivateLink in Backstage (legacy frontend system exports). The new frontend
 * system plugin is the default export of `@privatelink-backstage/plugin-privatelink/alpha`.
 *
 * @packageDocumentation
 */
export {
  privatelinkPlugin,
  EntityPrivateLinkCard,
  EntityPrivateLinkContent,
  PrivateLinkPage,
} from './plugin';
export { isPrivateLinkAvailable } from './conditions';
export type { EntityPrivateLinkCardProps } from './components/EntityPrivateLinkCard';
export { privatelinkApiRef, PrivateLinkClient } from './api';
export type {
  ConnectionChangeResult,
  PrivateLinkApi,
  PrivateLinkListPage,
  PrivateLinkPageOptions,
  PrivateLinkSettings,
} from './api';
