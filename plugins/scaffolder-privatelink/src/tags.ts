import { createHash } from 'node:crypto';
import { PrivateLinkConfig } from '@privatelink-backstage/plugin-privatelink-node';

/** Tag that makes a created resource findable again, so that a retried task creates nothing twice. */
export const IDEMPOTENCY_TAG_KEY = 'privatelink:idempotency-key';

/** The tag keys that the sync reads to place a resource in the catalog (`privatelink.tagKeys`). */
export type TagKeys = PrivateLinkConfig['tagKeys'];

/** Where a resource belongs in the catalog, written as tags the sync reads. */
export type Placement = {
  owner?: string;
  system?: string;
  component?: string;
  name?: string;
};

/**
 * The tags of a created resource: extra tags first, so that neither they nor a template can override the
 * placing tags or the idempotency key. `Name` follows the name, as the AWS console shows it.
 */
export function resourceTags(options: {
  keys: TagKeys;
  placement: Placement;
  idempotencyKey: string;
  extra?: Record<string, string>;
}): Record<string, string> {
  const { keys, placement } = options;
  const tags: Record<string, string> = { ...options.extra };
  if (placement.name) tags.Name ??= placement.name;
  if (placement.owner) tags[keys.owner] = placement.owner;
  if (placement.system) tags[keys.system] = placement.system;
  if (placement.component) tags[keys.component] = placement.component;
  if (placement.name) tags[keys.name] = placement.name;
  tags[IDEMPOTENCY_TAG_KEY] = options.idempotencyKey;
  return tags;
}

/** Tags as the AWS APIs take them. */
export function toAwsTags(
  tags: Record<string, string>,
): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/** Whether AWS tags carry the idempotency key. */
export function hasIdempotencyKey(
  tags: { Key?: string; Value?: string }[] | undefined,
  key: string,
): boolean {
  return (tags ?? []).some(
    t => t.Key === IDEMPOTENCY_TAG_KEY && t.Value === key,
  );
}

/** An EC2 filter on the idempotency tag (moto ignores some filters: callers check the tags again). */
export function idempotencyFilter(key: string) {
  return [{ Name: `tag:${IDEMPOTENCY_TAG_KEY}`, Values: [key] }];
}

/**
 * The idempotency key of what a step creates: the template's own key, else one derived from the resource's
 * name (so that running the template again for the same name finds it), else from the task and step (so that
 * only a retry of the same task finds it).
 */
export function idempotencyKeyFor(
  ctx: { task: { id: string }; step?: { id?: string }; each?: unknown },
  kind: string,
  options: { explicit?: string; name?: string },
): string {
  if (options.explicit) return options.explicit;
  if (options.name) return `${kind}:${options.name}`;
  const each = ctx.each
    ? `/${createHash('sha256')
        .update(JSON.stringify(ctx.each))
        .digest('hex')
        .slice(0, 12)}`
    : '';
  return `${kind}:task/${ctx.task.id}/${ctx.step?.id ?? 'step'}${each}`;
}
