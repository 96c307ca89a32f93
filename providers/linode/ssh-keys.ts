/**
 * Linode's key registry: the profile's SSH keys (`/v4/profile/sshkeys`), as the REST layer reads
 * it. Linode has no look-up by fingerprint, so keys are found by listing (the layer compares the
 * keys themselves). An instance is given key text (`authorized_keys`), not registry references.
 *
 * @module
 */
import { keyPairOf, urlPath, type KeyRegistrySpec } from '../../src/kit.js';
import { checkLinodeSshKey } from './schemas.js';

/** A profile SSH key as `GET /v4/profile/sshkeys` lists it. */
interface LinodeSshKey {
  readonly id: number;
  readonly label: string;
  readonly ssh_key: string;
  readonly created?: string;
}

/** The profile's SSH keys. */
export const LINODE_KEY_REGISTRY: KeyRegistrySpec = {
  list: { path: '/profile/sshkeys', field: 'data' },
  // The answer is the new key itself.
  create: { path: '/profile/sshkeys', body: (publicKey, name) => ({ label: name, ssh_key: publicKey }) },
  delete: { path: (id) => urlPath`/profile/sshkeys/${id}` },
  map(entry) {
    const key = entry as LinodeSshKey;
    // Linode's `created` is UTC without a zone ("2018-01-01T00:01:01").
    const created = key.created && !/[Zz]|[+-]\d\d:\d\d$/.test(key.created) ? `${key.created}Z` : key.created;
    return keyPairOf('linode', { id: key.id, name: key.label, publicKey: key.ssh_key, createdAt: created ?? null });
  },
  // Not sent: the create body carries the key text itself.
  reference: (key) => key.id,
  validate: checkLinodeSshKey,
};
