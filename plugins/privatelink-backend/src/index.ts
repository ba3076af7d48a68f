/**
 * The PrivateLink backend plugin: the PrivateLink API (service details for the card, owners' changes, access
 * requests, the audit log) and the follow-up of approved access requests. The catalog sync is the separate module
 * `@privatelink-backstage/plugin-catalog-backend-module-privatelink`.
 *
 * @packageDocumentation
 */
export { privatelinkPlugin as default } from './plugin';
