export { privatelinkApiRef } from './types';
export type {
  ConnectionChangeResult,
  PrivateLinkApi,
  PrivateLinkSettings,
} from './types';
export { PrivateLinkClient } from './PrivateLinkClient';
