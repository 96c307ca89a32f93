/**
 * The tags and idempotency key a migration gives each target, derived from the source alone so
 * that re-running a plan finds (never duplicates) what an earlier run created.
 *
 * @module
 */
import type { ProviderName } from '../core/types.js';

/** Tag naming the source of a migrated node: `<provider>/<id>`. */
export const MIGRATED_FROM_TAG = 'polycloud:migrated-from';
/** Tag holding the migration's idempotency key, unique per source node and source cloud. */
export const MIGRATION_KEY_TAG = 'polycloud:migration';

/**
 * The same two tags spelled for providers whose tag rules refuse `:` in keys or `/` in values
 * (DigitalOcean tags, Hetzner and Compute Engine labels): only letters, digits, `_` and `-`.
 */
export const PORTABLE_MIGRATED_FROM_TAG = 'polycloud-migrated-from';
/** {@link MIGRATION_KEY_TAG} in the portable spelling, for the same providers as {@link PORTABLE_MIGRATED_FROM_TAG}. */
export const PORTABLE_MIGRATION_KEY_TAG = 'polycloud-migration';
/**
 * Tag holding the replacement's generation when it is not the first (a replacement destroyed by
 * hand is recreated under the next generation, with a new key). Portable spelling everywhere.
 */
export const MIGRATION_GENERATION_TAG = 'polycloud-generation';

/** `tags` with the migration tags in their portable spelling (`<provider>-<id>`, other characters as `-`). */
export function portableMigrationTags(tags: Readonly<Record<string, string>>): Record<string, string> {
  const { [MIGRATED_FROM_TAG]: from, [MIGRATION_KEY_TAG]: key, ...rest } = tags;
  return {
    ...rest,
    ...(from === undefined ? {} : { [PORTABLE_MIGRATED_FROM_TAG]: from.replace(/[^A-Za-z0-9_-]/g, '-') }),
    ...(key === undefined ? {} : { [PORTABLE_MIGRATION_KEY_TAG]: key }),
  };
}

/** The migration key a node carries, in either spelling. */
export function migrationKeyOf(tags: Readonly<Record<string, string>>): string | undefined {
  return tags[MIGRATION_KEY_TAG] ?? tags[PORTABLE_MIGRATION_KEY_TAG];
}

/** The generation a replacement carries: its {@link MIGRATION_GENERATION_TAG}, else 1. */
export function generationOf(tags: Readonly<Record<string, string>>): number {
  const value = Number(tags[MIGRATION_GENERATION_TAG]);
  return Number.isInteger(value) && value >= 1 ? value : 1;
}

/** A fixed namespace for polycloud's name-based UUIDs (a UUIDv5 of the URL `https://polycloud.dev/migration`). */
let cachedNamespace: Buffer | undefined;

/** The namespace, hashed on first use rather than at import (which would load node:crypto for every `import('polycloud')`). */
function migrationNamespace(): Buffer {
  cachedNamespace ??= uuidV5Bytes(Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex'), 'https://polycloud.dev/migration');
  return cachedNamespace;
}

/**
 * The idempotency key for migrating one source node: a name-based UUID (RFC 9562 version 5) of
 * the source cloud name, provider, node id and (from the second on) the replacement's generation.
 * 36 characters of `[0-9a-f-]`, so it is a valid key on every provider (EC2 `ClientToken`,
 * Compute Engine `requestId`, which must be a UUID, and polycloud's own `[A-Za-z0-9._:-]{1,64}`),
 * and the same source and generation always give the same key. Generation 1 is the key of
 * earlier polycloud versions, so their plans still find their targets.
 *
 * @param generation - which replacement: a new one after the previous was destroyed by hand. Default: 1.
 */
export function migrationKey(sourceCloud: string, provider: ProviderName, nodeId: string, generation = 1): string {
  const name = `${sourceCloud}\u0000${provider}\u0000${nodeId}${generation > 1 ? `\u0000${generation}` : ''}`;
  return formatUuid(uuidV5Bytes(migrationNamespace(), name));
}

/** The `polycloud:migrated-from` value: `<provider>/<id>`. */
export function migratedFromValue(provider: ProviderName, nodeId: string): string {
  return `${provider}/${nodeId}`;
}

function uuidV5Bytes(namespace: Buffer, name: string): Buffer {
  // node:crypto is fetched on use, not imported: loading it would slow every `import('polycloud')`.
  const { createHash } = process.getBuiltinModule('node:crypto');
  const hash = createHash('sha1').update(namespace).update(name, 'utf8').digest().subarray(0, 16);
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  return hash;
}

function formatUuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
