/**
 * Entity model, validators and shared types of the PrivateLink plugins.
 *
 * @packageDocumentation
 */
export * from './entityModel';
export * from './validation';
