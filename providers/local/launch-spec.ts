/**
 * The `local` provider's launch spec (the simulator keeps each node's image, user data and keys)
 * and its generated root password: like Hetzner, a node created without SSH keys gets a root
 * password, handed back once as a `Secret`; the simulator keeps only its SHA-256 digest.
 *
 * @module
 */
import { createHash, randomFillSync } from 'node:crypto';
import type { LaunchSpec, Node } from '../../src/kit.js';
import type { SimNode } from '../../src/simulator/index.js';
import { mapImage } from './map.js';

/** The key of the simulator node's `extra` record holding the digest of its generated root password. */
export const ROOT_PASSWORD_DIGEST = 'rootPasswordSha256';

/** How a simulated node was launched: all of it is kept by the simulator. */
export function localLaunchSpec(node: Node<SimNode>): LaunchSpec {
  const raw = node.raw;
  return {
    image: mapImage(raw.image),
    ...(raw.userData === undefined ? {} : { userData: raw.userData }),
    sshKeys: [...raw.sshKeys],
  };
}

/** A fresh root password and the digest the simulator keeps of it. */
export function newRootPassword(): { password: string; digest: string } {
  const password = randomChunk(PASSWORD_BYTES).toString('base64url');
  return { password, digest: rootPasswordDigest(password) };
}

/** 24 random bytes: 32 characters of base64url. */
const PASSWORD_BYTES = 24;
/** Random bytes are drawn in blocks (one system call per block, not per password) and never reused. */
const POOL = Buffer.alloc(PASSWORD_BYTES * 128);
let poolOffset = POOL.length;

function randomChunk(size: number): Buffer {
  if (poolOffset + size > POOL.length) {
    randomFillSync(POOL);
    poolOffset = 0;
  }
  const chunk = Buffer.from(POOL.subarray(poolOffset, poolOffset + size));
  poolOffset += size;
  return chunk;
}

/** The digest kept for a root password (so a test can check a handed-back password is the node's). */
export function rootPasswordDigest(password: string): string {
  return createHash('sha256').update(password).digest('hex');
}
