/**
 * The options every `polycloud/ssh` call shares, and how a node and those options become one
 * connection target: user, host, port, credentials and host-key policy.
 *
 * @module
 */
import type { Clock } from '../core/clock.js';
import type { Driver } from '../core/driver.js';
import type { SshLogin } from '../core/login.js';
import { addressOf } from '../core/login.js';
import { Secret } from '../core/secrets.js';
import type { Node } from '../core/types.js';
import { checkDuration, checkObject, checkSignal, invalid, type CheckContext } from '../core/validate.js';
import { FINGERPRINT_PATTERN, defaultHostKeys, type HostKeyStore } from './host-keys.js';

/** How to reach and authenticate to a node. */
export interface SshConnectOptions {
  /**
   * The private key (OpenSSH or PEM text). Wrap it in a `Secret`; a plain string is wrapped on
   * entry, so it never appears in an error, a log or `inspect`.
   */
  readonly privateKey: Secret | string;
  /** Passphrase of an encrypted private key; wrapped in a `Secret` on entry like the key. Omit for an unencrypted key. */
  readonly passphrase?: Secret | string;
  /**
   * The login user.
   *
   * @defaultValue what the driver says for the node's image (`ubuntu`, `admin`, `root`…) when `driver` is given, else `root`
   */
  readonly user?: string;
  /**
   * The host name or IP address to connect to.
   *
   * @defaultValue the driver's login address when `driver` is given, else the node's first public, else first private address
   */
  readonly host?: string;
  /**
   * The SSH port (1–65535).
   *
   * @defaultValue the driver's when `driver` is given (22 on clouds; the node's own port on the local provider), else 22
   */
  readonly port?: number;
  /** The node's driver: supplies the login user, address and port, and refreshes the node while waiting. */
  readonly driver?: Driver;
  /**
   * The host key fingerprint (`SHA256:…`, as `ssh-keygen -lf` prints it) the server must show.
   *
   * @defaultValue trust on first use: the first key seen for the node is recorded in `hostKeys` and required afterwards
   */
  readonly expectedHostKey?: string;
  /**
   * Where host keys are recorded, keyed by `provider:id`.
   *
   * @defaultValue `defaultHostKeys`, one in-memory store per process
   */
  readonly hostKeys?: HostKeyStore;
  /**
   * Longest wait for one connection's TCP connect, handshake and authentication, in ms.
   *
   * @defaultValue 20000 ({@link DEFAULT_CONNECT_TIMEOUT_MS})
   */
  readonly connectTimeoutMs?: number;
  /** Cancels the call; the connection is closed and the call rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /**
   * The clock waits and durations are measured with (a `VirtualClock` in tests).
   *
   * @defaultValue `systemClock`
   */
  readonly clock?: Clock;
}

/** One resolved connection target. */
export interface SshTarget {
  readonly login: SshLogin;
  readonly privateKey: Secret;
  readonly passphrase?: Secret;
  readonly hostKeys: HostKeyStore;
  /** The key under which the node's host key is recorded: `provider:id`. */
  readonly nodeKey: string;
  readonly expectedHostKey?: string;
  readonly connectTimeoutMs: number;
}

/** Default of {@link SshConnectOptions.connectTimeoutMs}. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 20_000;

/** Validates the shared options; the private key is wrapped in a `Secret` before anything else. */
export function checkConnectOptions(
  check: CheckContext,
  options: unknown,
): SshConnectOptions & { privateKey: Secret; passphrase?: Secret } {
  const given = checkObject(check, 'options', options, false) as unknown as SshConnectOptions;
  const privateKey = asSecret(check, 'options.privateKey', given.privateKey);
  if (!privateKey) invalid(check, 'options.privateKey', 'a private key (a Secret or a string)', undefined);
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(privateKey.reveal())) {
    invalid(check, 'options.privateKey', 'an OpenSSH or PEM private key', 'something else (not shown)');
  }
  const passphrase = asSecret(check, 'options.passphrase', given.passphrase);
  if (given.user !== undefined && !(typeof given.user === 'string' && /^[a-z_][a-z0-9_.-]{0,31}$/i.test(given.user))) {
    invalid(check, 'options.user', 'a login name such as "ubuntu"', given.user);
  }
  if (given.host !== undefined && !(typeof given.host === 'string' && /^[A-Za-z0-9.:[\]-]{1,253}$/.test(given.host))) {
    invalid(check, 'options.host', 'a host name or IP address', given.host);
  }
  if (given.port !== undefined && !(Number.isInteger(given.port) && given.port >= 1 && given.port <= 65_535)) {
    invalid(check, 'options.port', 'a port number 1-65535', given.port);
  }
  if (
    given.expectedHostKey !== undefined &&
    !(typeof given.expectedHostKey === 'string' && FINGERPRINT_PATTERN.test(given.expectedHostKey))
  ) {
    invalid(check, 'options.expectedHostKey', 'a fingerprint such as "SHA256:…" (43 base64 characters)', given.expectedHostKey);
  }
  if (given.driver !== undefined && !(typeof given.driver === 'object' && given.driver !== null && 'sshLogin' in given.driver)) {
    invalid(check, 'options.driver', 'a polycloud driver', given.driver);
  }
  checkDuration(check, 'options.connectTimeoutMs', given.connectTimeoutMs);
  checkSignal(check, given.signal);
  const { passphrase: _given, ...rest } = given;
  return { ...rest, privateKey, ...(passphrase ? { passphrase } : {}) };
}

function asSecret(check: CheckContext, field: string, value: unknown): Secret | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Secret) return value;
  if (typeof value === 'string' && value.length > 0) return new Secret(value);
  // Never describe the value: it may be a credential of the wrong type.
  return invalid(check, field, 'a Secret or a non-empty string', 'a value of the wrong type (not shown)');
}

/** Checks that `node` looks like a polycloud node. */
export function checkNode(check: CheckContext, node: unknown): Node {
  const given = checkObject(check, 'node', node, false) as unknown as Node;
  if (typeof given.id !== 'string' || typeof given.provider !== 'string' || !Array.isArray(given.publicIps)) {
    invalid(check, 'node', 'a node returned by a driver', node);
  }
  return given;
}

/** Resolves user, host and port for `node`: explicit options first, then the driver, then defaults. */
export async function resolveTarget(
  node: Node,
  options: SshConnectOptions & { privateKey: Secret; passphrase?: Secret },
  signal?: AbortSignal,
): Promise<SshTarget> {
  const fromDriver = options.driver ? await options.driver.sshLogin(node, signal ? { signal } : {}) : undefined;
  const login: SshLogin = {
    user: options.user ?? fromDriver?.user ?? 'root',
    host: options.host ?? (fromDriver ? fromDriver.host : addressOf(node)),
    port: options.port ?? fromDriver?.port ?? 22,
  };
  const passphrase = options.passphrase;
  return {
    login,
    privateKey: options.privateKey,
    ...(passphrase ? { passphrase } : {}),
    hostKeys: options.hostKeys ?? defaultHostKeys,
    nodeKey: `${node.provider}:${node.id}`,
    ...(options.expectedHostKey ? { expectedHostKey: options.expectedHostKey } : {}),
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
  };
}
