/**
 * The errors of `polycloud/ssh`. Each is a `CloudError` (so `isCloudError` and the core's guards
 * work) with its own kind marker, so `isScriptError` & co. work across two copies of polycloud.
 *
 * Output tails are scrubbed of registered secrets before they are stored; private keys never
 * reach an error because they only ever travel wrapped in a `Secret`.
 *
 * @module
 */
import { CloudError, TimeoutError, type CloudErrorKind, type CloudErrorOptions } from '../core/errors.js';
import { redactSecrets } from '../core/secrets.js';

const KINDS = Symbol.for('polycloud.error.kinds');

/** What stood between polycloud and an authenticated SSH session on the last attempt. */
export type SshObstacle =
  /** The node has no public or private address yet. */
  | 'no address'
  /** Nothing accepted the TCP connection (connection refused or reset before the SSH banner). */
  | 'refused'
  /** The address did not answer in time (no route, filtered port, slow handshake). */
  | 'unreachable'
  /** The server rejected every key offered. */
  | 'auth failed'
  /** The server's host key is not the one recorded or expected for this node. */
  | 'host key changed'
  /** The SSH protocol failed after the connection was accepted. */
  | 'handshake failed'
  /** The node is not running (or no longer exists). */
  | 'node not running';

function hasKind(error: unknown, kind: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const kinds = (error as { [KINDS]?: unknown })[KINDS];
  return Array.isArray(kinds) && kinds.includes(kind);
}

/** `waitForSsh` ran out of time; `obstacle` says what stopped the last attempt. */
export class SshTimeoutError extends TimeoutError {
  /** Kind tag `'SshTimeoutError'` stored on each instance; `isSshTimeoutError` checks for it, across package copies too. */
  static override readonly kind = 'SshTimeoutError' as CloudErrorKind;
  override name = 'SshTimeoutError';
  /** The last obstacle seen, or `undefined` when no attempt finished. */
  readonly obstacle?: SshObstacle;
  /** Connection attempts made. */
  readonly attempts: number;
  constructor(
    detail: string,
    options: CloudErrorOptions & { readonly timeoutMs?: number; readonly obstacle?: SshObstacle; readonly attempts: number },
  ) {
    super(detail, { ...options, retryable: true });
    if (options.obstacle !== undefined) this.obstacle = options.obstacle;
    this.attempts = options.attempts;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), obstacle: this.obstacle, attempts: this.attempts, timeoutMs: this.timeoutMs };
  }
}

/** One SSH connection attempt failed; `obstacle` says how. Not retried by `runScript`. */
export class SshConnectionError extends CloudError {
  /** Kind tag `'SshConnectionError'` stored on each instance; `isSshConnectionError` checks for it, across package copies too. */
  static readonly kind = 'SshConnectionError' as CloudErrorKind;
  override name = 'SshConnectionError';
  /** What failed; `auth failed` and `host key changed` make the error not retryable. */
  readonly obstacle: SshObstacle;
  constructor(detail: string, options: CloudErrorOptions & { readonly obstacle: SshObstacle }) {
    super(detail, { ...options, retryable: options.obstacle !== 'auth failed' && options.obstacle !== 'host key changed' });
    this.obstacle = options.obstacle;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), obstacle: this.obstacle };
  }
}

/** What a failed script left behind. */
export interface ScriptFailure {
  /** The exit status, or `null` when the script was ended by a signal or a lost connection. */
  readonly exitCode: number | null;
  /** The signal that ended the script, when the server said. */
  readonly signal?: string;
  /** The last lines of standard output. */
  readonly stdoutTail: string;
  /** The last lines of standard error. */
  readonly stderrTail: string;
}

/** Characters of each stream kept in a {@link ScriptError}. */
export const TAIL_CHARS = 2_000;

/** Keeps the end of `text`, at most {@link TAIL_CHARS} characters, scrubbed of registered secrets. */
export function tailOf(text: string): string {
  const tail = text.length > TAIL_CHARS ? text.slice(text.length - TAIL_CHARS) : text;
  return redactSecrets(tail);
}

/** A script ended with a non-zero exit status (or a signal). */
export class ScriptError extends CloudError implements ScriptFailure {
  /** Kind tag `'ScriptError'` stored on each instance; `isScriptError` checks for it, across package copies too. */
  static readonly kind = 'ScriptError' as CloudErrorKind;
  override name = 'ScriptError';
  readonly exitCode: number | null;
  readonly signal?: string;
  readonly stdoutTail: string;
  readonly stderrTail: string;
  /** The deploy step that failed, when the script ran as part of `deployNode`. */
  readonly step?: string;
  constructor(failure: ScriptFailure & { readonly step?: string }, options: CloudErrorOptions) {
    const stdoutTail = tailOf(failure.stdoutTail);
    const stderrTail = tailOf(failure.stderrTail);
    const how = failure.exitCode === null ? `was ended${failure.signal ? ` by ${failure.signal}` : ''}` : `exited with ${failure.exitCode}`;
    const lastLine = (stderrTail.trim() || stdoutTail.trim()).split('\n').at(-1) ?? '';
    const where = failure.step === undefined ? 'script' : `step ${JSON.stringify(failure.step)}`;
    super(`${where} ${how}${lastLine ? `: ${lastLine}` : ''}`, options);
    this.exitCode = failure.exitCode;
    if (failure.signal !== undefined) this.signal = failure.signal;
    this.stdoutTail = stdoutTail;
    this.stderrTail = stderrTail;
    if (failure.step !== undefined) this.step = failure.step;
  }
  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      step: this.step,
      exitCode: this.exitCode,
      signal: this.signal,
      stdoutTail: this.stdoutTail,
      stderrTail: this.stderrTail,
    };
  }
}

/** Where a deployment was when it failed. */
export type DeployPhase = 'create' | 'running' | 'ssh' | 'cloud-init' | 'step';

/**
 * `deployNode` failed. `phase` and `step` say where; `nodeId` names the node that was kept
 * (unless `destroyOnFailure` removed it); for a failed step, `exitCode` and the output tails are
 * copied from the {@link ScriptError} in `cause`.
 */
export class DeployError extends CloudError {
  /** Kind tag `'DeployError'` stored on each instance; `isDeployError` checks for it, across package copies too. */
  static readonly kind = 'DeployError' as CloudErrorKind;
  override name = 'DeployError';
  /** The phase that failed: `create`, `running`, `ssh`, `cloud-init` or `step`. */
  readonly phase: DeployPhase;
  /** The step's name when `phase` is `step` or `cloud-init`. */
  readonly step?: string;
  /** The node created (or found through the idempotency key), when there was one. */
  readonly nodeId?: string;
  /** Whether the node was destroyed because of `destroyOnFailure`. */
  readonly destroyed: boolean;
  /** The failed step's exit status (`null` when a signal or a lost connection ended it); absent unless a script failed. */
  readonly exitCode?: number | null;
  /** The last characters (at most 2000, secrets scrubbed) of the failed step's stdout; absent unless a script failed. */
  readonly stdoutTail?: string;
  /** The last characters (at most 2000, secrets scrubbed) of the failed step's stderr; absent unless a script failed. */
  readonly stderrTail?: string;
  constructor(
    detail: string,
    options: CloudErrorOptions & {
      readonly phase: DeployPhase;
      readonly step?: string;
      readonly nodeId?: string;
      readonly destroyed: boolean;
    },
  ) {
    super(detail, options);
    this.phase = options.phase;
    if (options.step !== undefined) this.step = options.step;
    if (options.nodeId !== undefined) this.nodeId = options.nodeId;
    this.destroyed = options.destroyed;
    const cause = options.cause;
    if (isScriptError(cause)) {
      this.exitCode = cause.exitCode;
      this.stdoutTail = cause.stdoutTail;
      this.stderrTail = cause.stderrTail;
    }
  }
  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      phase: this.phase,
      step: this.step,
      nodeId: this.nodeId,
      destroyed: this.destroyed,
      exitCode: this.exitCode,
      stdoutTail: this.stdoutTail,
      stderrTail: this.stderrTail,
    };
  }
}

/** True for a {@link ScriptError}, from this copy of polycloud or another. */
export function isScriptError(error: unknown): error is ScriptError {
  return hasKind(error, 'ScriptError');
}
/** True for a {@link DeployError}, from this copy of polycloud or another. */
export function isDeployError(error: unknown): error is DeployError {
  return hasKind(error, 'DeployError');
}
/** True for an {@link SshTimeoutError}, from this copy of polycloud or another. */
export function isSshTimeoutError(error: unknown): error is SshTimeoutError {
  return hasKind(error, 'SshTimeoutError');
}
/** True for an {@link SshConnectionError}, from this copy of polycloud or another. */
export function isSshConnectionError(error: unknown): error is SshConnectionError {
  return hasKind(error, 'SshConnectionError');
}
