/**
 * SSH keys live in Scaleway IAM (`/iam/v1alpha1/ssh-keys`), per project: every key of the
 * project is put on every new server of it, so a create names no key. This is the project's key
 * registry as the REST layer reads it (keys found again by comparing public keys on the client).
 *
 * @module
 */
import { keyPairOf, urlPath, type KeyRegistrySpec } from '../../src/kit.js';
import type { ScalewaySshKey } from './api.js';
import { checkSshKey } from './schemas.js';

/** IAM lists hold at most this many entries per page (`page_size`). */
const IAM_PAGE_SIZE = 100;

/** The IAM key registry of one project. */
export function scalewayKeyRegistry(projectId: string): KeyRegistrySpec {
  return {
    list: {
      path: '/iam/v1alpha1/ssh-keys',
      field: 'ssh_keys',
      // IAM pages with `page_size` (not the Instance API's `per_page`) and a `total_count` in the body.
      request: { pageSize: false, query: { project_id: projectId, page_size: IAM_PAGE_SIZE } },
    },
    validate: checkSshKey,
    create: { path: '/iam/v1alpha1/ssh-keys', body: (publicKey, name) => ({ name, public_key: publicKey, project_id: projectId }) },
    delete: { path: (id) => urlPath`/iam/v1alpha1/ssh-keys/${id}` },
    map(entry) {
      const key = entry as ScalewaySshKey;
      return keyPairOf('scaleway', { id: key.id, name: key.name, publicKey: key.public_key, createdAt: key.created_at ?? null });
    },
    // Keys are not named on a create: the reference only records that the key is registered.
    reference: (key) => key.id,
  };
}
