/**
 * The catalog module of the PrivateLink backend: `backend.add(import('@privatelink-backstage/plugin-privatelink-backend/catalog'))`.
 *
 * @packageDocumentation
 */
export { catalogModulePrivateLinkEntityProvider as default } from './module';
