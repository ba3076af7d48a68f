import { InputError } from '@backstage/errors';
import { accountIdSchema, describeIssues } from '@privatelink-backstage/plugin-privatelink-common';
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

/** Validates `value`, or refuses it with an `InputError` naming every bad field of the `where` (e.g. `request body`). */
export function parse<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InputError(`Invalid ${where}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
