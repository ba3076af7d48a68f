/**
 * The catalog module of AWS PrivateLink for Backstage: syncs endpoint services, their allowed principals and their
 * connections from every configured account × region into catalog entities, and refreshes one service within
 * seconds when a change to it is announced. `backend.add(import('@privatelink-backstage/plugin-catalog-backend-module-privatelink'))`.
 *
 * @packageDocumentation
 */
export { catalogModulePrivateLinkEntityProvider as default } from './module';
