/**
 * Checking each entry of a provider's list against a schema (valibot), so that `{}`, `null` or
 * `42` in a list is one typed error naming the field, never a `TypeError` in a mapper or a node
 * with `id: "undefined"`.
 *
 * @module
 */
import * as v from 'valibot';

/**
 * An entry check for `defineRestDriver`'s per-entry `validate` hook (or any list): `undefined`
 * when the entry fits `schema`, otherwise what is wrong, naming the field, e.g.
 * `"region.slug": expected string, got undefined`.
 */
export function entryCheck(schema: v.GenericSchema, what: string): (entry: unknown) => string | undefined {
  return (entry) => {
    const result = v.safeParse(schema, entry);
    if (result.success) return undefined;
    const issue = result.issues[0];
    const path = v.getDotPath(issue);
    return `${what} with a malformed ${path ? `"${path}"` : 'shape'}: expected ${issue.expected ?? 'another value'}, got ${issue.received}`;
  };
}
