export { EntityPrivateLinkConsumerCard } from './EntityPrivateLinkConsumerCard';
export type { EntityPrivateLinkConsumerCardProps } from './EntityPrivateLinkConsumerCard';
