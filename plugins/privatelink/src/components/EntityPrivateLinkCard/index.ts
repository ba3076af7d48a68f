export { EntityPrivateLinkCard } from './EntityPrivateLinkCard';
export type { EntityPrivateLinkCardProps } from './EntityPrivateLinkCard';
