/**
 * What the SSH commands (`run`, `ssh`, `create --script`) share: reading the private key into a
 * `Secret`, finding a node by id or name across the configured clouds, and the host-key file.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { readFileBounded } from '../../core/files.js';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Driver } from '../../core/driver.js';
import { InvalidRequestError, NodeNotFoundError, isInvalidRequestError, isNodeNotFoundError } from '../../core/errors.js';
import { Secret } from '../../core/secrets.js';
import type { Node } from '../../core/types.js';
import type { MultiCloud } from '../../multicloud/index.js';
import { fileHostKeys, type HostKeyStore } from '../../ssh/host-keys.js';

/** The keys tried, in order, when `--key` is not given. */
const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/** The private key at `path` (or the first default key in `~/.ssh`), as a `Secret`, with its path. */
export async function readPrivateKey(path: string | undefined): Promise<{ key: Secret; path: string }> {
  const candidates = path ? [path] : DEFAULT_KEYS.map((name) => join(homedir(), '.ssh', name));
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new InvalidRequestError(`no private key: give --key <file> (tried ${candidates.join(', ')})`, {
      provider: 'polycloud',
      operation: 'cli',
      field: 'key',
    });
  }
  // Private keys are a few KiB; a bounded read keeps a wrong path (a device, a huge file) harmless.
  const text = await readFileBounded(found, 64 * 1024, { provider: 'polycloud', operation: 'cli', field: '--key' });
  return { key: new Secret(text), path: found };
}

/** Where the CLI records host keys: beside the local provider's state, in `~/.polycloud/`. */
export function cliHostKeys(env: NodeJS.ProcessEnv = process.env): HostKeyStore {
  const base = env.POLYCLOUD_STATE_FILE ? dirname(env.POLYCLOUD_STATE_FILE) : join(homedir(), '.polycloud');
  return fileHostKeys(join(base, 'known-host-keys.json'));
}

/** A node found by id (or, failing that, by exact name) in the given cloud or in any configured cloud. */
export async function locateNode(
  multi: MultiCloud,
  idOrName: string,
  cloud?: string,
): Promise<{ cloud: string; driver: Driver; node: Node }> {
  const clouds = cloud ? [cloud] : multi.clouds;
  for (const name of clouds) {
    const driver = multi.driver(name);
    try {
      return { cloud: name, driver, node: await driver.getNode(idOrName) };
    } catch (error) {
      // A malformed id for this provider, or no such node: look further.
      if (!isNodeNotFoundError(error) && !isInvalidRequestError(error)) throw error;
    }
  }
  for (const name of clouds) {
    const driver = multi.driver(name);
    const named = (await driver.listNodes()).filter((node) => node.name === idOrName && node.state !== 'terminated');
    if (named.length > 1) {
      throw new InvalidRequestError(`${named.length} nodes are named ${JSON.stringify(idOrName)} in ${name}; give the node id`, {
        provider: 'polycloud',
        operation: 'cli',
        field: 'node',
      });
    }
    if (named[0]) return { cloud: name, driver, node: named[0] };
  }
  throw new NodeNotFoundError(idOrName, { provider: 'polycloud', operation: 'cli' });
}
