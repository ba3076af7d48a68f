import { InputError } from '@backstage/errors';
import { accountIdSchema, describeIssues, regionSchema } from '@privatelink-backstage/plugin-privatelink-common';
import { z } from 'zod';

/**
 * The validation of what people send the plugin, shared by the HTTP routes and the registry actions, so that a
 * request is held to the same rules whichever door it comes through.
 */

/** C0 and C1 controls, and the bidi controls that reorder what a reader sees (e.g. U+202E). */
// Control characters are exactly what these refuse.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
/** The same, but a line break or tab is fine in a reason a person writes. */
// eslint-disable-next-line no-control-regex
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** An entity ref as a caller sends it: bounded, without hidden characters (parsed later). */
export const entityRef = z
  .string()
  .min(3)
  .max(255)
  .refine(v => !CONTROL.test(v), 'must not contain control or bidirectional formatting characters');

/** Free text written by a person and shown to others (a reason): no hidden or reordering characters. */
export const text = (min: number) =>
  z
    .string()
    .trim()
    .min(min)
    .max(2000)
    .refine(v => !CONTROL_IN_TEXT.test(v), 'must not contain control or bidirectional formatting characters');

/** The body of a new access request. */
export const createRequestSchema = z
  .object({ serviceRef: entityRef, consumerRef: entityRef, accountId: accountIdSchema, reason: text(3) })
  .strict();

/** The body of an approval: an optional reason. */
export const approveSchema = z.object({ reason: text(0).optional() }).strict();

/** The body of a denial: its reason. */
export const denySchema = z.object({ reason: text(3) }).strict();

/** An access request's id. */
export const requestIdSchema = z.object({ id: z.uuid({ message: 'must be an access request id' }) });

/** The search fields of `GET /v1/services/search`, which a later page's cursor carries instead. */
const SEARCH_FIELDS = ['q', 'owner', 'system', 'accountId', 'region', 'access'] as const;

/**
 * The query of `GET /v1/services/search`: the search's words and filters for a first page, or only the `cursor`
 * of the page before (which carries them) and `limit`. At most 100 services a page (default 20).
 */
export const serviceSearchQuerySchema = z
  .object({
    q: z
      .string()
      .trim()
      .max(200)
      .refine(v => !CONTROL.test(v), 'must not contain control or bidirectional formatting characters')
      .optional(),
    owner: entityRef.optional(),
    system: entityRef.optional(),
    accountId: accountIdSchema.optional(),
    region: regionSchema.optional(),
    access: z.enum(['connectable'], { message: "must be 'connectable'" }).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().min(1).max(4000).regex(/^[A-Za-z0-9_-]+$/, 'must be the nextCursor of a previous page').optional(),
  })
  .strict()
  .superRefine((query, ctx) => {
    if (query.cursor === undefined) return;
    for (const field of SEARCH_FIELDS) {
      if (query[field] !== undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: 'must not be sent with a cursor, which carries the search' });
      }
    }
  });

/** Validates `value`, or refuses it with an `InputError` naming every bad field of the `where` (e.g. `request body`). */
export function parse<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InputError(`Invalid ${where}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
