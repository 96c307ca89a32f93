/**
 * SSH keys on DigitalOcean: a droplet takes keys already registered with the account, by id or
 * fingerprint, not public-key text. The driver registers each key it is given (once; DigitalOcean
 * keeps them) and passes fingerprints.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { isInvalidRequestError, isNotFoundError } from '../../src/core/errors.js';
import { urlPath, type RestClient } from '../../src/rest/index.js';

/** DigitalOcean's fingerprint of an OpenSSH public key: MD5 of the key blob, as colon-separated hex. */
export function sshKeyFingerprint(publicKey: string): string {
  const blob = Buffer.from(publicKey.trim().split(/\s+/)[1] ?? '', 'base64');
  return (createHash('md5').update(blob).digest('hex').match(/../g) ?? []).join(':');
}

/** The name a key is registered under: its comment, or `polycloud-<fingerprint>`. */
export function sshKeyName(publicKey: string): string {
  const comment = publicKey.trim().split(/\s+/).slice(2).join(' ');
  return comment !== '' ? comment.slice(0, 255) : `polycloud-${sshKeyFingerprint(publicKey).replace(/:/g, '').slice(0, 16)}`;
}

/** Makes sure every key is registered with the account; returns their fingerprints, in order. */
export async function ensureSshKeys(
  client: RestClient,
  publicKeys: readonly string[],
  context: { readonly operation: string; readonly signal?: AbortSignal },
): Promise<string[]> {
  const fingerprints: string[] = [];
  for (const publicKey of publicKeys) {
    const fingerprint = sshKeyFingerprint(publicKey);
    const base = { operation: context.operation, ...(context.signal ? { signal: context.signal } : {}) };
    try {
      await client.request({ ...base, method: 'GET', path: urlPath`/v2/account/keys/${fingerprint}` });
    } catch (error) {
      if (!isNotFoundError(error)) throw error;
      try {
        // Safe to repeat: a second registration of the same key fails with 422, handled below.
        await client.request({
          ...base,
          method: 'POST',
          path: '/v2/account/keys',
          body: { name: sshKeyName(publicKey), public_key: publicKey },
          idempotent: true,
        });
      } catch (createError) {
        // "SSH Key is already in use on your account": registered meanwhile, which is what we want.
        if (!isInvalidRequestError(createError)) throw createError;
      }
    }
    fingerprints.push(fingerprint);
  }
  return fingerprints;
}
