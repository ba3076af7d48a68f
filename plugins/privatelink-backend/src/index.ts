/**
 * The PrivateLink backend plugin: syncs AWS PrivateLink into the catalog and serves the PrivateLink API.
 *
 * @packageDocumentation
 */
export { privatelinkPlugin as default } from './plugin';
export { catalogModulePrivateLinkEntityProvider } from './catalog/module';
export { PrivateLinkEntityProvider } from './catalog/PrivateLinkEntityProvider';
export type { SyncReport, ServiceChange, LastEmittedLoader } from './catalog/PrivateLinkEntityProvider';
export { buildEntities } from './catalog/entities';
export { createAwsClientFactory } from './aws/clients';
export type { AwsClientFactory } from './aws/clients';
export { readPrivateLinkConfig, PrivateLinkConfigError } from '@privatelink-backstage/plugin-privatelink-node';
export type { PrivateLinkConfig, AccountRegion } from '@privatelink-backstage/plugin-privatelink-node';
