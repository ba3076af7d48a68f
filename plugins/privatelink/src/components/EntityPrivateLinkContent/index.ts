export { EntityPrivateLinkContent } from './EntityPrivateLinkContent';
