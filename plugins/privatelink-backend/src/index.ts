/**
 * The PrivateLink backend plugin: syncs AWS PrivateLink into the catalog and serves the PrivateLink API.
 *
 * @packageDocumentation
 */
export { privatelinkPlugin as default } from './plugin';
export { readPrivateLinkConfig, PrivateLinkConfigError } from './config';
export type { PrivateLinkConfig, AccountRegion } from './config';
