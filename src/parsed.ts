// What text parsed from outside looks like (webhooks.yaml, the API's JSON answers), checked
// before any of it is used.

/** A YAML mapping or a JSON object: keys to values, not a list and not null. */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
