/**
 * Linode tags are plain strings; polycloud stores a tag `key = value` as the string
 * `key:value`, checks Linode's rules before any request, and turns tag queries into `X-Filter`s.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { invalid, type CheckContext } from '../../src/kit.js';

/** The tag key polycloud marks every created instance with (its value: a digest of the idempotency key). */
export const IDEMPOTENCY_TAG_KEY = 'polycloud-idem';

/** Shortest and longest tag Linode accepts. */
const MIN_TAG = 3;
const MAX_TAG = 50;

/** The Linode tag for one polycloud tag. */
export function encodeTag(key: string, value: string): string {
  return `${key}:${value}`;
}

/** polycloud tags from Linode tags: `key:value` at the first colon; a tag without one has an empty value. */
export function decodeTags(tags: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const tag of tags) {
    const colon = tag.indexOf(':');
    const key = colon === -1 ? tag : tag.slice(0, colon);
    if (key === IDEMPOTENCY_TAG_KEY) continue;
    result[key] = colon === -1 ? '' : tag.slice(colon + 1);
  }
  return result;
}

/** Checks tags against Linode's rules; throws `InvalidRequestError` naming the tag. */
export function checkLinodeTags(context: CheckContext, field: string, tags: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(tags)) {
    if (key.includes(':') || key === IDEMPOTENCY_TAG_KEY) {
      invalid(context, `${field}.${key}`, `a tag key without ":" other than "${IDEMPOTENCY_TAG_KEY}"`, key);
    }
    const length = encodeTag(key, value).length;
    if (length < MIN_TAG || length > MAX_TAG) {
      invalid(context, `${field}.${key}`, `a tag whose "key:value" form has ${MIN_TAG}-${MAX_TAG} characters`, `${length} characters`);
    }
  }
}

/** The tag marking an instance created with `key`. */
export function idempotencyTag(key: string): string {
  return encodeTag(IDEMPOTENCY_TAG_KEY, createHash('sha256').update(key).digest('hex').slice(0, 32));
}

/** A Linode `X-Filter` object for instances. */
export type LinodeFilter = Readonly<Record<string, unknown>>;

/**
 * The `X-Filter` header value requiring every tag and one of the regions, or `undefined` when
 * there is nothing to push down (the core filters whatever is not pushed down).
 */
export function instanceFilter(query: {
  readonly tags?: Readonly<Record<string, string>>;
  readonly regions?: readonly string[];
  readonly rawTags?: readonly string[];
}): string | undefined {
  const terms: LinodeFilter[] = [];
  for (const tag of query.rawTags ?? []) terms.push({ tags: tag });
  for (const [key, value] of Object.entries(query.tags ?? {})) terms.push({ tags: encodeTag(key, value) });
  const regions = query.regions ?? [];
  if (regions.length === 1) terms.push({ region: regions[0] });
  else if (regions.length > 1) terms.push({ '+or': regions.map((region) => ({ region })) });
  if (terms.length === 0) return undefined;
  return JSON.stringify(terms.length === 1 ? terms[0] : { '+and': terms });
}
