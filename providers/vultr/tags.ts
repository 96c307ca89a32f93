/**
 * Vultr tags are plain strings; polycloud stores a tag `key = value` as `key:value` (and
 * `{ web: '' }` as `web`), reads them back by splitting at the first colon, and marks each created
 * instance with a tag derived from the idempotency key.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { invalid, isKeyMarkTag, type CheckContext } from '../../src/kit.js';

/** The tag key polycloud marks every created instance with (its value: a digest of the idempotency key). */
export const IDEMPOTENCY_TAG_KEY = 'polycloud-idem';

/** The tag marking an instance created with `key`: a digest, because keys may hold any character. */
export function idempotencyTag(key: string): string {
  return `${IDEMPOTENCY_TAG_KEY}:${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}

/** `{ env: 'prod', web: '' }` → `['env:prod', 'web']`. */
export function toVultrTags(tags: Readonly<Record<string, string>>): string[] {
  return Object.entries(tags).map(([key, value]) => (value === '' ? key : `${key}:${value}`));
}

/** `['env:prod', 'web']` → `{ env: 'prod', web: '' }`; polycloud's own idempotency and key tags are left out. */
export function fromVultrTags(tags: readonly string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (const tag of tags) {
    const colon = tag.indexOf(':');
    const key = colon === -1 ? tag : tag.slice(0, colon);
    if (key === IDEMPOTENCY_TAG_KEY || isKeyMarkTag(tag)) continue;
    record[key] = colon === -1 ? '' : tag.slice(colon + 1);
  }
  return record;
}

/** Checks tags before any request: a key holds no `:` (it would read back split) and is not polycloud's own. */
export function checkVultrTags(check: CheckContext, tags: Readonly<Record<string, string>>): void {
  for (const key of Object.keys(tags)) {
    if (key.includes(':') || key === IDEMPOTENCY_TAG_KEY || key.startsWith('polycloud-key'))
      invalid(check, `tags.${key}`, `a tag key without ":" other than "${IDEMPOTENCY_TAG_KEY}" and "polycloud-key"`, key);
  }
}
