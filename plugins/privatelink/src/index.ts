/**
 * Frontend for AWS PrivateLink in Backstage (legacy frontend system exports). The new frontend
 * system plugin is the default export of `@privatelink-backstage/plugin-privatelink/alpha`.
 *
 * @packageDocumentation
 */
export {
  privatelinkPlugin,
  EntityPrivateLinkCard,
  EntityPrivateLinkConsumerCard,
  EntityPrivateLinkContent,
  PrivateLinkPage,
} from './plugin';
export {
  isPrivateLinkAvailable,
  isPrivateLinkConsumerAvailable,
} from './conditions';
export type { EntityPrivateLinkCardProps } from './components/EntityPrivateLinkCard';
export type { EntityPrivateLinkConsumerCardProps } from './components/EntityPrivateLinkConsumerCard';
export { privatelinkApiRef, PrivateLinkClient } from './api';
export type {
  ConnectionChangeResult,
  PrivateLinkApi,
  PrivateLinkListPage,
  PrivateLinkPageOptions,
  PrivateLinkSettings,
} from './api';
