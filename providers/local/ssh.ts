/**
 * The `local` provider's key registry and (opt-in) SSH endpoints: key pairs live in the
 * simulator's registry (beside the state file when there is one), and with `ssh` on, every node
 * answers SSH on 127.0.0.1 as described in `src/simulator/ssh-server.ts`.
 *
 * @module
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultLoginUser, isManagedKeyName, MANAGED_KEY_PREFIX, type DriverImplementation, type KeyPair } from '../../src/kit.js';
import {
  SimKeyRegistry,
  SimSshEndpoints,
  SimulatorError,
  simKeyFingerprint,
  type SimKeyRecord,
  type SimulatedCloud,
  type SimNode,
} from '../../src/simulator/index.js';
import { mapLocalError } from './errors.js';

/** `ssh` option of the local provider: `true`, or where the per-node sandboxes live. */
export type LocalSshOption =
  | boolean
  | {
      /**
       * Directory holding one sandbox directory (working directory and `HOME` of its commands) and host key per node.
       * @defaultValue `<stateFile>.ssh` with a `stateFile`, else a new temporary directory
       */
      readonly root?: string;
    };

type Access = Pick<
  DriverImplementation<SimNode, unknown>,
  'listKeyPairs' | 'importKeyPair' | 'deleteKeyPair' | 'keyPairsOfNode' | 'sshLogin'
>;

function mapKey(record: SimKeyRecord): KeyPair {
  return {
    id: record.id,
    name: record.name,
    provider: 'local',
    fingerprint: record.fingerprint,
    publicKey: record.publicKey,
    managed: isManagedKeyName(record.name),
    createdAt: new Date(record.createdAt),
  };
}

/** Key pairs and SSH access for a local driver. */
export function localSsh(
  cloud: SimulatedCloud,
  options: { readonly ssh?: LocalSshOption; readonly stateFile?: string },
): { implementation: Access; registerKeysOf(publicKeys: readonly string[]): void; close(): Promise<void> } {
  const registry = new SimKeyRegistry({ ...(options.stateFile ? { file: `${options.stateFile}.keys.json` } : {}), clock: cloud.clock });
  const chosenRoot = typeof options.ssh === 'object' ? options.ssh.root : undefined;
  let endpoints: SimSshEndpoints | undefined;
  const endpointsOrNone = () => {
    if (!options.ssh) return undefined;
    endpoints ??= new SimSshEndpoints(cloud, {
      root: chosenRoot ?? (options.stateFile ? `${options.stateFile}.ssh` : mkdtempSync(join(tmpdir(), 'polycloud-local-ssh-'))),
    });
    return endpoints;
  };

  const implementation: Access = {
    async listKeyPairs() {
      return registry.list().map(mapKey);
    },
    async importKeyPair(request, context) {
      try {
        return mapKey(registry.add(request.name, request.publicKey));
      } catch (error) {
        throw mapLocalError(error, context);
      }
    },
    async deleteKeyPair(id, context) {
      try {
        registry.remove(id);
      } catch (error) {
        if (error instanceof SimulatorError && error.code === 'not-found') return;
        throw mapLocalError(error, context);
      }
    },
    keyPairsOfNode: (node) => node.raw.sshKeys.map(simKeyFingerprint),
    async sshLogin(node) {
      const ssh = endpointsOrNone();
      if (!ssh) return { user: defaultLoginUser(node.raw.image.os.family) };
      const endpoint = await ssh.endpointFor(node.id);
      return { user: endpoint.user, host: endpoint.host, port: endpoint.port };
    },
  };

  return {
    implementation,
    /** Keys given on create are registered as managed keys, unless the same key is registered already. */
    registerKeysOf(publicKeys) {
      const known = new Set(registry.list().map((key) => key.fingerprint));
      for (const publicKey of publicKeys) {
        const fingerprint = simKeyFingerprint(publicKey);
        if (known.has(fingerprint)) continue;
        const name = `${MANAGED_KEY_PREFIX}${fingerprint.slice('SHA256:'.length, 'SHA256:'.length + 12).replace(/[^A-Za-z0-9]/g, '0')}`;
        registry.add(name, publicKey);
        known.add(fingerprint);
      }
    },
    close: () => endpoints?.close() ?? Promise.resolve(),
  };
}
