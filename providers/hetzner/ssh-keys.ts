/**
 * Hetzner takes SSH keys on create by name or id of a key stored in the project, not as public
 * keys. This is the project's key registry as the REST layer reads it: keys are found by their
 * MD5 fingerprint (the `fingerprint` filter narrows the list; the layer checks it), registered
 * under a stable name with polycloud's label, and passed to a create by name.
 *
 * @module
 */
import { keyPairOf, md5Fingerprint, urlPath, type KeyRegistrySpec } from '../../src/kit.js';
import type { HetznerSshKey } from './api.js';
import { checkHetznerSshKey } from './schemas.js';

/** The label on keys polycloud registered. */
export const MANAGED_KEY_LABEL = 'polycloud/managed';

/** The MD5 fingerprint Hetzner indexes keys by (`aa:bb:…`). */
export const hetznerFingerprint: (publicKey: string) => string = md5Fingerprint;

/** The project's SSH keys (`/ssh_keys`). */
export const HETZNER_KEY_REGISTRY: KeyRegistrySpec = {
  list: { path: '/ssh_keys', field: 'ssh_keys', query: (fingerprint) => ({ fingerprint }) },
  create: {
    path: '/ssh_keys',
    field: 'ssh_key',
    body: (publicKey, name) => ({ name, public_key: publicKey, labels: { [MANAGED_KEY_LABEL]: 'true' } }),
  },
  delete: { path: (id) => urlPath`/ssh_keys/${id}` },
  map(entry) {
    const key = entry as HetznerSshKey & { created?: string };
    return keyPairOf('hetzner', {
      id: key.id,
      name: key.name,
      publicKey: key.public_key,
      fingerprint: key.fingerprint,
      createdAt: key.created ?? null,
    });
  },
  reference: (key) => key.name,
  validate: checkHetznerSshKey,
};
