/**
 * Vultr's SSH-key registry (`/ssh-keys`), as the REST layer reads it. Vultr has no look-up by
 * fingerprint, so keys are found by listing (the layer compares the keys themselves); a create
 * names registered keys by id (`sshkey_id`).
 *
 * @module
 */
import { keyPairOf, urlPath, type KeyRegistrySpec } from '../../src/kit.js';
import type { VultrSshKey } from './api.js';
import { checkVultrSshKey } from './schemas.js';

/** The account's SSH keys. */
export const VULTR_KEY_REGISTRY: KeyRegistrySpec = {
  list: { path: '/ssh-keys', field: 'ssh_keys' },
  create: { path: '/ssh-keys', field: 'ssh_key', body: (publicKey, name) => ({ name, ssh_key: publicKey }) },
  delete: { path: (id) => urlPath`/ssh-keys/${id}` },
  validate: checkVultrSshKey,
  map(entry) {
    const key = entry as VultrSshKey;
    return keyPairOf('vultr', { id: key.id, name: key.name, publicKey: key.ssh_key, createdAt: key.date_created ?? null });
  },
  reference: (key) => key.id,
};
