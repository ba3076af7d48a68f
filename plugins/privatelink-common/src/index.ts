/**
 * Entity model, permissions, API types and validators shared by the PrivateLink plugins.
 *
 * @packageDocumentation
 */
export * from './entityModel';
export * from './validation';
export * from './permissions';
export * from './api';
export * from './changes';
export * from './pendingConnections';
