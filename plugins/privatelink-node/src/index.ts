/**
 * AWS client settings and the permission read shared by the PrivateLink backend plugin and the scaffolder
 * module.
 *
 * @packageDocumentation
 */
export * from './clientSettings';
export * from './permissions';
