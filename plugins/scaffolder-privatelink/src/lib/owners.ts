import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/** An owner ref in full (`group:default/orders`), or undefined when it is absent or not a ref. */
export function normalizeOwner(ref: string | undefined): string | undefined {
  if (!ref) return undefined;
  try {
    return stringifyEntityRef(parseEntityRef(ref, { defaultKind: 'group', defaultNamespace: 'default' }));
  } catch {
    return undefined;
  }
}

/** Whether two owner refs (as tags or inputs carry them) name the same owner; two absent owners are not the same. */
export function sameOwner(a: string | undefined, b: string | undefined): boolean {
  const x = normalizeOwner(a);
  return x !== undefined && x === normalizeOwner(b);
}
