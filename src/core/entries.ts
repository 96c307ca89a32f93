/**
 * Checking each entry of a provider's list against a schema (valibot), so that `{}`, `null` or
 * `42` in a list is one typed `CloudError` naming the provider, the operation and the field, never
 * a `TypeError` in a mapper or a node with `id: "undefined"`.
 *
 * Every driver describes its provider's shapes (nodes, sizes, images, locations, key pairs) as
 * schemas and checks each entry before it is mapped: REST drivers through `defineRestDriver`'s
 * per-entry `validate` hooks ({@link entryCheck}), SDK drivers with {@link checkEntries} on what
 * the SDK returned. Both end in the same error ({@link malformedEntryError}).
 *
 * @module
 */
import * as v from 'valibot';
import { CloudError, type ErrorSource } from './errors.js';

/** What is wrong with one entry (naming the field), or `undefined` when it is fine. */
export type EntryProblem = (entry: unknown) => string | undefined;

/** Where an entry came from, for the error. */
export interface EntryWhere {
  /** The provider whose answer held the entry, named in the error. */
  readonly provider: ErrorSource;
  /** The driver operation, e.g. `listSizes`. */
  readonly operation: string;
  /** The region or zone the list came from, when the driver lists per location. */
  readonly location?: string;
  /** HTTP status of the answer that held the entry (usually 2xx), when the driver saw one. */
  readonly statusCode?: number;
  /** The provider's request id of that answer, when it sent one; passed to the error (redacted). */
  readonly requestId?: string;
}

/** The error code of an answer whose entry does not fit the provider's documented shape. */
export const MALFORMED_RESPONSE_CODE = 'malformed-response';

/**
 * An entry check for `defineRestDriver`'s per-entry `validate` hook (or any list): `undefined`
 * when the entry fits `schema`, otherwise what is wrong, naming the field, e.g.
 * `a size with a malformed "vcpus": expected number, got undefined`.
 *
 * @param what - the entry, as the message names it: `a droplet`, `a size`.
 */
export function entryCheck(schema: v.GenericSchema, what: string): EntryProblem {
  return (entry) => {
    const result = v.safeParse(schema, entry);
    if (result.success) return undefined;
    const issue = result.issues[0];
    const path = v.getDotPath(issue);
    return `${what} with a malformed ${path ? `"${path}"` : 'shape'}: expected ${issue.expected ?? 'another value'}, got ${issue.received}`;
  };
}

/**
 * The error for an entry that does not fit: a `CloudError` with `code: 'malformed-response'`,
 * naming provider, operation and (in the message) the field. Not retryable: the same list gives
 * the same entry again.
 */
export function malformedEntryError(problem: string, where: EntryWhere): CloudError {
  return new CloudError(`malformed response: ${problem}`, {
    provider: where.provider,
    operation: where.operation,
    code: MALFORMED_RESPONSE_CODE,
    retryable: false,
    ...(where.location !== undefined ? { location: where.location } : {}),
    ...(where.statusCode !== undefined ? { statusCode: where.statusCode } : {}),
    ...(where.requestId !== undefined ? { requestId: where.requestId } : {}),
  });
}

/**
 * Checks every entry of a list an SDK returned, throwing {@link malformedEntryError} for the first
 * one that does not fit (its index named). Returns the entries, typed as the caller's SDK type.
 *
 * @throws CloudError (`code: 'malformed-response'`) naming the entry's index and field.
 */
export function checkEntries<T>(problemOf: EntryProblem, entries: readonly T[] | undefined, where: EntryWhere): T[] {
  const list = entries ?? [];
  list.forEach((entry, index) => {
    const problem = problemOf(entry);
    if (problem !== undefined) throw malformedEntryError(`entry ${index}: ${problem}`, where);
  });
  return [...list];
}

/**
 * Checks one entry (a node returned by a get or a create).
 *
 * @throws CloudError (`code: 'malformed-response'`) naming the field.
 */
export function checkEntry<T>(problemOf: EntryProblem, entry: T, where: EntryWhere): T {
  const problem = problemOf(entry);
  if (problem !== undefined) throw malformedEntryError(problem, where);
  return entry;
}
