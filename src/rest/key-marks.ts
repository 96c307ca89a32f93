/**
 * Key marks: none of the REST APIs (DigitalOcean, Hetzner, Linode) says which registered keys a
 * node was created with, so each created node carries one mark per key — a tag or a label holding
 * the key's short id (the hex of its managed name `polycloud-<hex>`). "In use" for
 * `cleanupKeyPairs` and `destroyNode(…, { removeKeys: true })` is read back from live nodes' marks.
 *
 * @module
 */
import { managedKeyName } from './key-registry.js';
import { MANAGED_KEY_PREFIX } from '../core/key-pairs.js';

/**
 * Where a provider's nodes keep marks: `tags` (a string array field, e.g. DigitalOcean's and
 * Linode's `tags`) or `labels` (a string map field, e.g. Hetzner's `labels`), in the create body
 * and in the node object alike.
 */
export interface RestKeyMarks {
  /** `tags`: a string array, one `polycloud-key:<hex>` entry per key; `labels`: a string map, one `polycloud/key-<hex>` key per key. */
  readonly style: 'tags' | 'labels';
  /** The field of the create body and of the node object, e.g. `tags`. */
  readonly field: string;
}

/** Prefix of a key-mark tag: `polycloud-key:<16 hex>` (letters, digits and `:-`: valid on DigitalOcean and Linode). */
export const KEY_MARK_TAG_PREFIX = 'polycloud-key:';
/** Prefix of a key-mark label key: `polycloud/key-<16 hex>` (a Hetzner label key with a prefix). */
export const KEY_MARK_LABEL_PREFIX = 'polycloud/key-';
/** The value of a key-mark label (Hetzner label values must start and end with a letter or digit). */
const KEY_MARK_LABEL_VALUE = 'ssh';

/** The short id of a public key: the hex part of its managed name. */
function shortId(publicKey: string): string {
  return managedKeyName(publicKey).slice(MANAGED_KEY_PREFIX.length);
}

/** Whether a tag is a key mark (mappers leave these out of `Node.tags`). */
export function isKeyMarkTag(tag: string): boolean {
  return tag.startsWith(KEY_MARK_TAG_PREFIX);
}

/** Whether a label key is a key mark (mappers leave these out of `Node.tags`). */
export function isKeyMarkLabel(key: string): boolean {
  return key.startsWith(KEY_MARK_LABEL_PREFIX);
}

/** `body` with one mark per public key added to its marks field (a copy; `body` is not changed). */
export function withKeyMarks(body: unknown, publicKeys: readonly string[], marks: RestKeyMarks): unknown {
  if (publicKeys.length === 0 || typeof body !== 'object' || body === null) return body;
  const record = body as Record<string, unknown>;
  const ids = [...new Set(publicKeys.map(shortId))];
  if (marks.style === 'tags') {
    const tags = Array.isArray(record[marks.field]) ? (record[marks.field] as unknown[]) : [];
    return { ...record, [marks.field]: [...tags, ...ids.map((id) => `${KEY_MARK_TAG_PREFIX}${id}`)] };
  }
  const labels = (typeof record[marks.field] === 'object' && record[marks.field] !== null ? record[marks.field] : {}) as object;
  return {
    ...record,
    [marks.field]: { ...labels, ...Object.fromEntries(ids.map((id) => [`${KEY_MARK_LABEL_PREFIX}${id}`, KEY_MARK_LABEL_VALUE])) },
  };
}

/** The managed key names (`polycloud-<hex>`) a node object's marks name. */
export function keysMarkedOn(raw: unknown, marks: RestKeyMarks): string[] {
  if (typeof raw !== 'object' || raw === null) return [];
  const value = (raw as Record<string, unknown>)[marks.field];
  const found =
    marks.style === 'tags'
      ? (Array.isArray(value) ? value : [])
          .filter((tag): tag is string => typeof tag === 'string' && isKeyMarkTag(tag))
          .map((tag) => tag.slice(KEY_MARK_TAG_PREFIX.length))
      : Object.keys(typeof value === 'object' && value !== null ? value : {})
          .filter(isKeyMarkLabel)
          .map((key) => key.slice(KEY_MARK_LABEL_PREFIX.length));
  return found.map((id) => `${MANAGED_KEY_PREFIX}${id}`);
}
