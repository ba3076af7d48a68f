/** AWS tags as the EC2 and ELBv2 APIs return them, as a record; tags without a key are left out. */
export function tagsToRecord(tags: Array<{ Key?: string; Value?: string }> | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key) record[tag.Key] = tag.Value ?? '';
  return record;
}
