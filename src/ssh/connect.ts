/**
 * One SSH connection attempt: TCP connect, handshake with host-key check, public-key
 * authentication. Every failure is classified as an {@link SshObstacle}, so waits can say what
 * stood in the way and scripts fail with a precise error.
 *
 * @module
 */
import type { Client } from 'ssh2';
import { InvalidRequestError, type ErrorSource } from '../core/errors.js';
import { SshConnectionError, type SshObstacle } from './errors.js';
import { algorithmOf, fingerprintOf, type HostKey } from './host-keys.js';
import { loadSsh2 } from './load.js';
import type { SshTarget } from './options.js';

/** An authenticated connection. */
export interface SshSession {
  readonly client: Client;
  readonly hostKey: HostKey;
}

/** Socket error codes that mean nothing is listening (yet), or the listener went away. */
const REFUSED_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ECONNABORTED']);
/** Socket error codes that mean the address does not answer. */
const UNREACHABLE_CODES = new Set(['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Opens an authenticated session to `target`, or rejects with an {@link SshConnectionError}
 * naming the obstacle. A host key seen for the first time is recorded (trust on first use) only
 * once authentication succeeded.
 */
export async function openSession(
  target: SshTarget,
  where: { readonly provider: ErrorSource; readonly operation: string },
  signal?: AbortSignal,
): Promise<SshSession> {
  const { Client } = await loadSsh2(where.operation);
  signal?.throwIfAborted();
  const { host, port, user } = target.login;
  const fail = (obstacle: SshObstacle, detail: string, cause?: unknown) =>
    new SshConnectionError(`${user}@${host ?? '?'}:${port}: ${detail}`, { ...where, obstacle, ...(cause ? { cause } : {}) });
  if (!host) throw fail('no address', 'the node has no address yet');

  const expected = target.expectedHostKey ?? target.hostKeys.get(target.nodeKey);
  let seen: { fingerprint: string; algorithm: string } | undefined;
  let hostKeyRejected = false;
  let handshakeStarted = false;

  return new Promise<SshSession>((resolve, reject) => {
    const client = new Client();
    let settled = false;
    const finish = (error: SshConnectionError | undefined) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (error) {
        client.end();
        client.destroy();
        reject(error);
        return;
      }
      const firstUse = expected === undefined;
      if (firstUse && seen) target.hostKeys.set(target.nodeKey, seen.fingerprint);
      resolve({ client, hostKey: { fingerprint: seen?.fingerprint ?? 'unknown', algorithm: seen?.algorithm ?? 'unknown', firstUse } });
    };
    const onAbort = () => {
      if (settled) return;
      settled = true;
      client.destroy();
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    client.on('ready', () => finish(undefined));
    client.on('handshake', () => {
      handshakeStarted = true;
    });
    client.on('error', (error: Error & { level?: string; code?: string }) => {
      if (hostKeyRejected) {
        finish(fail('host key changed', `host key ${seen?.fingerprint ?? '?'} is not the recorded ${expected ?? '?'}`));
      } else if (error.level === 'client-authentication') {
        finish(fail('auth failed', `authentication as ${user} failed`, error));
      } else if (error.level === 'client-timeout' || UNREACHABLE_CODES.has(error.code ?? '')) {
        finish(fail('unreachable', `no answer (${error.code ?? 'timed out'})`, error));
      } else if (
        REFUSED_CODES.has(error.code ?? '') ||
        (!handshakeStarted && (error.level === 'client-socket' || /lost before handshake/i.test(error.message)))
      ) {
        finish(fail('refused', `connection refused (${error.code ?? error.message})`, error));
      } else {
        finish(fail('handshake failed', error.message, error));
      }
    });
    client.on('close', () => finish(fail(hostKeyRejected ? 'host key changed' : 'refused', 'the server closed the connection')));

    try {
      client.connect({
        host,
        port,
        username: user,
        privateKey: target.privateKey.reveal(),
        ...(target.passphrase ? { passphrase: target.passphrase.reveal() } : {}),
        readyTimeout: target.connectTimeoutMs,
        // Only keys, never a password prompt or an agent the caller did not ask for.
        tryKeyboard: false,
        hostVerifier: (key: Buffer) => {
          seen = { fingerprint: fingerprintOf(key), algorithm: algorithmOf(key) };
          if (expected !== undefined && seen.fingerprint !== expected) {
            hostKeyRejected = true;
            return false;
          }
          return true;
        },
      });
    } catch (error) {
      // ssh2 throws synchronously for a key it cannot parse (or a wrong passphrase).
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      reject(
        new InvalidRequestError('"options.privateKey" could not be read (unsupported format or wrong passphrase)', {
          ...where,
          field: 'options.privateKey',
          cause: error,
        }),
      );
    }
  });
}

/** Closes a session without waiting for the server. */
export function closeSession(session: SshSession): void {
  session.client.end();
}
