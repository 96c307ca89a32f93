/**
 * SSH keys on DigitalOcean: a droplet takes keys registered with the account, by fingerprint. The
 * driver's spec describes the registry; this file keeps DigitalOcean's naming of a key.
 *
 * @module
 */
import { managedKeyName, md5Fingerprint } from '../../src/rest/index.js';

/** DigitalOcean's fingerprint of an OpenSSH public key: MD5 of the key blob, as colon-separated hex. */
export const sshKeyFingerprint: (publicKey: string) => string = md5Fingerprint;

/** The name a key is registered under: its comment, or polycloud's stable name for it. */
export function sshKeyName(publicKey: string): string {
  const comment = publicKey.trim().split(/\s+/).slice(2).join(' ');
  return comment !== '' ? comment.slice(0, 255) : managedKeyName(publicKey);
}
