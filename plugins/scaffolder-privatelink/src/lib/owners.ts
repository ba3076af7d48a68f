import { toFullEntityRef } from '@privatelink-backstage/plugin-privatelink-common';

/** Whether two owner refs (as tags or inputs carry them) name the same owner; two absent owners are not the same. */
export function sameOwner(a: string | undefined, b: string | undefined): boolean {
  const x = toFullEntityRef(a, 'group');
  return x !== undefined && x === toFullEntityRef(b, 'group');
}
