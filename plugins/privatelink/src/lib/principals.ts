import {
  accountIdSchema,
  principalSchema,
} from '@privatelink-backstage/plugin-privatelink-common';

/** The most principals the backend takes in one call. */
export const MAX_PRINCIPALS = 100;

/** The AWS partition of a region, as principal ARNs name it. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The outcome of {@link parsePrincipals}: the principals to send, or why there are none to send. */
export type ParsedPrincipals =
  | { principals: string[]; error?: undefined }
  | { principals?: undefined; error: string };

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Reads principals typed by a user, separated by commas, spaces or new lines: principal ARNs, or 12-digit
 * account ids, which become the account's root ARN in the service's partition. Each is checked the way the
 * backend checks it, `*` only where `allowWildcard` says so; duplicates are dropped.
 */
export function parsePrincipals(
  text: string,
  options: { allowWildcard: boolean; region: string },
): ParsedPrincipals {
  const tokens = text.split(/[\s,]+/).filter(Boolean);
  if (tokens.length === 0) {
    return { error: 'Enter at least one principal' };
  }
  const schema = principalSchema({ allowWildcard: options.allowWildcard });
  const principals: string[] = [];
  for (const token of tokens) {
    let principal = token;
    if (/^\d+$/.test(token)) {
      const account = accountIdSchema.safeParse(token);
      if (!account.success) {
        return { error: `'${token}' ${account.error.issues[0].message}` };
      }
      principal = `arn:${partitionOf(options.region)}:iam::${token}:root`;
    }
    const checked = schema.safeParse(principal);
    if (!checked.success) {
      return { error: capitalize(checked.error.issues[0].message) };
    }
    if (!principals.includes(principal)) principals.push(principal);
  }
  if (principals.length > MAX_PRINCIPALS) {
    return { error: `At most ${MAX_PRINCIPALS} principals at a time` };
  }
  return { principals };
}
