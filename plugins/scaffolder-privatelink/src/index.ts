/**
 * Scaffolder actions `aws:privatelink:*` that expose services through AWS PrivateLink and connect consumers.
 *
 * @packageDocumentation
 */
export { scaffolderModulePrivateLink as default } from './module';
