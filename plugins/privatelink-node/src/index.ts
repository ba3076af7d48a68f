/**
 * What the PrivateLink backend packages share: the validated `privatelink` configuration, AWS client settings,
 * the trust rules for endpoint service entities, the permission rules of configured accounts, and the one write
 * path (authorise → audit → AWS → outcome → change event) through which every AWS mutation goes.
 *
 * @packageDocumentation
 */
export * from './clientSettings';
export * from './aws/tags';
export * from './config/privatelinkConfig';
export * from './permissions/allowedPrincipals';
export * from './permissions/accountRules';
export * from './trust/trustedService';
export * from './trust/trustedEndpoint';
export * from './operations/audit';
export * from './operations/WriteGate';
export * from './operations/awsFailure';
export * from './operations/creationChecks';
export * from './operations/serviceOperations';
export * from './operations/lifecycleNotifier';
export type { EndpointSelector, LifecycleNotifier, LifecycleOptions, RetireOptions, ServiceLifecycleOperations } from './operations/serviceLifecycle';
export * from './operations/settingsPlan';
export { readServiceConfiguration } from './operations/serviceReads';
export * from './operations/httpAuditLog';
export * from './operations/changeEvents';
export * from './accounts/organizations';
export * from './accounts/accountDirectory';
export * from './accounts/configService';
