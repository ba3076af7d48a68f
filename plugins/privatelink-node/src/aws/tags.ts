/**
 * AWS tags as the EC2 and ELBv2 APIs return them, as a record from key to value; tags without a key are left out,
 * a tag without a value maps to `''`, and of two tags with the same key the last wins.
 *
 * @param tags - The `Tags` (or `TagList`) of an AWS response; undefined gives an empty record.
 * @public
 */
export function tagsToRecord(tags: Array<{ Key?: string; Value?: string }> | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key) record[tag.Key] = tag.Value ?? '';
  return record;
}
