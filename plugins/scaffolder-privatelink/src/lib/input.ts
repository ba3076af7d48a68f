import { InputError } from '@backstage/errors';
import { describeIssues } from '@privatelink-backstage/plugin-privatelink-common';
import { z } from 'zod';

/**
 * Validates the whole input before any AWS call; a malformed input is a 400 naming every bad field. Template
 * expressions render an absent value (an entity without `spec.system`, an empty optional field) as '' or
 * null: such top-level fields count as not given.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
): z.output<S> {
  const given =
    input && typeof input === 'object' && !Array.isArray(input)
      ? Object.fromEntries(
          Object.entries(input).filter(([, v]) => v !== '' && v !== null),
        )
      : input;
  const parsed = schema.safeParse(given);
  if (!parsed.success) throw new InputError(describeIssues(parsed.error));
  return parsed.data;
}
