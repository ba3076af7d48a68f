export { privatelinkApiRef } from './types';
export type {
  ConnectionChangeResult,
  PrivateLinkApi,
  PrivateLinkListPage,
  PrivateLinkPageOptions,
  PrivateLinkSettings,
} from './types';
export { PrivateLinkClient } from './PrivateLinkClient';
