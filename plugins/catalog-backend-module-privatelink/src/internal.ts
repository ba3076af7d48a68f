/**
 * Not a public API: the pieces of the sync that this repository's benchmarks and the backend plugin's tests
 * drive directly. They may change in any release.
 *
 * @packageDocumentation
 */
export { PrivateLinkEntityProvider } from './PrivateLinkEntityProvider';
export type {
  SyncReport,
  ServiceChange,
  LastEmittedLoader,
  ConsumersLoader,
  EntityLoader,
} from './PrivateLinkEntityProvider';
export { buildEntities } from './entities';
export type { EntityConfig } from './entities';
export { createAwsClientFactory } from './aws/clients';
export type { AwsClientFactory, DescribeRateLimit } from './aws/clients';
export type {
  AccountRegionSnapshot,
  ConnectionRecord,
  EndpointRecord,
  EndpointServiceRecord,
} from './aws/types';
