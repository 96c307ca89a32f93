/**
 * Host keys, trust on first use: the first key a node's SSH server shows is recorded, and every
 * later connection to the same node must show the same key (or the one the caller expects).
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** A server's host key as polycloud records it. */
export interface HostKey {
  /** The key type, e.g. `ssh-ed25519`. */
  readonly algorithm: string;
  /** OpenSSH's fingerprint format: `SHA256:` and the unpadded base64 SHA-256 of the key. */
  readonly fingerprint: string;
  /** True when this connection recorded the key for the first time (nothing was known before). */
  readonly firstUse: boolean;
}

/**
 * Where recorded host keys live, keyed by node (`provider:id`). The default is one in-memory
 * store per process ({@link defaultHostKeys}); {@link fileHostKeys} keeps them across processes.
 */
export interface HostKeyStore {
  /** The recorded fingerprint for `nodeKey`, if any. */
  get(nodeKey: string): string | undefined;
  /** Records `fingerprint` for `nodeKey`. */
  set(nodeKey: string, fingerprint: string): void;
  /** Forgets a node's key (e.g. after the node was destroyed and its address reused). */
  delete(nodeKey: string): void;
}

/** An in-memory {@link HostKeyStore}. */
export function memoryHostKeys(): HostKeyStore {
  const keys = new Map<string, string>();
  return {
    get: (nodeKey) => keys.get(nodeKey),
    set: (nodeKey, fingerprint) => void keys.set(nodeKey, fingerprint),
    delete: (nodeKey) => void keys.delete(nodeKey),
  };
}

/** The store used when a call names none: shared by every call in this process. */
export const defaultHostKeys: HostKeyStore = memoryHostKeys();

/**
 * A {@link HostKeyStore} kept in a JSON file (`{ "aws:i-0abc…": "SHA256:…" }`), read on every
 * lookup and written atomically on every change, so several processes (e.g. CLI runs) share it.
 */
export function fileHostKeys(path: string): HostKeyStore {
  const read = (): Record<string, string> => {
    try {
      const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
      return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, string>) : {};
    } catch {
      return {};
    }
  };
  const write = (keys: Record<string, string>) => {
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, path);
  };
  return {
    get: (nodeKey) => read()[nodeKey],
    set: (nodeKey, fingerprint) => write({ ...read(), [nodeKey]: fingerprint }),
    delete: (nodeKey) => {
      const keys = read();
      delete keys[nodeKey];
      write(keys);
    },
  };
}

/** OpenSSH's `SHA256:…` fingerprint of a key blob (the wire form of a public key). */
export function fingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type written at the start of a key blob, e.g. `ssh-ed25519`. */
export function algorithmOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const length = keyBlob.readUInt32BE(0);
  return length > 0 && length < 64 && keyBlob.length >= 4 + length ? keyBlob.subarray(4, 4 + length).toString('ascii') : 'unknown';
}

/** What a fingerprint given by a caller must look like. */
export const FINGERPRINT_PATTERN = /^SHA256:[A-Za-z0-9+/]{43}$/;
