/**
 * Hetzner takes SSH keys on create by name or id of a key stored in the project, not as public
 * keys. polycloud registers each public key it is given (once: a key already stored under any
 * name is found by its fingerprint and reused) and passes the key names.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import type { DriverContext } from '../../src/core/driver.js';
import { isConflictError } from '../../src/core/errors.js';
import { field } from '../../src/rest/body.js';
import type { RestClient } from '../../src/rest/client.js';
import type { HetznerSshKey } from './api.js';

/** The label on keys polycloud registered. */
export const MANAGED_KEY_LABEL = 'polycloud/managed';

/** The MD5 fingerprint Hetzner indexes keys by (`aa:bb:…`). */
export function hetznerFingerprint(publicKey: string): string {
  const blob = publicKey.trim().split(/\s+/)[1] ?? '';
  const hex = createHash('md5').update(Buffer.from(blob, 'base64')).digest('hex');
  return (hex.match(/../g) ?? []).join(':');
}

/** The name polycloud registers a key under: stable per key, so registering twice finds the first. */
export function managedKeyName(publicKey: string): string {
  const blob = publicKey.trim().split(/\s+/)[1] ?? '';
  return `polycloud-${createHash('sha256').update(blob).digest('hex').slice(0, 16)}`;
}

async function findByFingerprint(client: RestClient, fingerprint: string, context: DriverContext): Promise<HetznerSshKey | undefined> {
  const response = await client.request({
    method: 'GET',
    path: '/ssh_keys',
    query: { fingerprint },
    operation: context.operation,
    ...(context.signal ? { signal: context.signal } : {}),
  });
  const keys = field(response, 'ssh_keys', 'array', { provider: 'hetzner', operation: context.operation }) as HetznerSshKey[];
  return keys[0];
}

/** The names of project keys for these public keys, registering the ones Hetzner does not have yet. */
export async function ensureSshKeys(client: RestClient, publicKeys: readonly string[], context: DriverContext): Promise<string[]> {
  const names: string[] = [];
  for (const publicKey of publicKeys) {
    const fingerprint = hetznerFingerprint(publicKey);
    const existing = await findByFingerprint(client, fingerprint, context);
    if (existing) {
      names.push(existing.name);
      continue;
    }
    try {
      const response = await client.request({
        method: 'POST',
        path: '/ssh_keys',
        body: { name: managedKeyName(publicKey), public_key: publicKey, labels: { [MANAGED_KEY_LABEL]: 'true' } },
        // Repeating is safe: a second registration of the same key fails as a duplicate, resolved below.
        idempotent: true,
        operation: context.operation,
        ...(context.signal ? { signal: context.signal } : {}),
      });
      names.push(
        (field(response, 'ssh_key', 'object', { provider: 'hetzner', operation: context.operation }) as unknown as HetznerSshKey).name,
      );
    } catch (error) {
      // Registered concurrently (or by a retried request whose answer was lost): use that one.
      const raced = isConflictError(error) ? await findByFingerprint(client, fingerprint, context) : undefined;
      if (!raced) throw error;
      names.push(raced.name);
    }
  }
  return names;
}
