/**
 * `waitForSsh`: waits until a node accepts an authenticated SSH session — not merely an open
 * port, which sshd on a booting image offers well before it lets anyone in.
 *
 * @module
 */
import { systemClock } from '../core/clock.js';
import { isNodeNotFoundError, isTimeoutError } from '../core/errors.js';
import type { SshLogin } from '../core/login.js';
import { pollUntil } from '../core/poll.js';
import type { Node } from '../core/types.js';
import { checkDuration, type CheckContext } from '../core/validate.js';
import { closeSession, openSession } from './connect.js';
import { SshTimeoutError, isSshConnectionError, type SshObstacle } from './errors.js';
import type { HostKey } from './host-keys.js';
import { checkConnectOptions, checkNode, resolveTarget, type SshConnectOptions, type SshTarget } from './options.js';

/** Options of {@link waitForSsh}. */
export interface WaitForSshOptions extends SshConnectOptions {
  /**
   * Give up after this long, in ms, with an {@link SshTimeoutError} naming the last obstacle.
   *
   * @defaultValue 300000 (5 minutes)
   */
  readonly timeoutMs?: number;
  /**
   * First pause between attempts, in ms; pauses grow by 1.5 each time.
   *
   * @defaultValue 1000
   */
  readonly intervalMs?: number;
  /**
   * Longest pause between attempts, in ms.
   *
   * @defaultValue 10000
   */
  readonly maxIntervalMs?: number;
  /** Called after each failed attempt with what stood in the way, e.g. to show progress. */
  readonly onObstacle?: (obstacle: SshObstacle, attempt: number) => void;
}

/** A node that accepts SSH. */
export interface SshReady {
  /** The node as last read (refreshed through the driver when one was given). */
  readonly node: Node;
  /** Where and as whom the session was opened. */
  readonly login: SshLogin & {
    /** The address the session was opened to (never `null` here: a node without one is not ready). */
    readonly host: string;
  };
  /** The host key the server showed; `firstUse` when it was recorded by this call. */
  readonly hostKey: HostKey;
  /** Connection attempts made. */
  readonly attempts: number;
}

/** Defaults of {@link WaitForSshOptions}. */
export const DEFAULT_WAIT_SSH = {
  /** Give up after 300000 ms (5 minutes). */
  timeoutMs: 300_000,
  /** First pause between attempts: 1000 ms. */
  intervalMs: 1_000,
  /** Pauses grow to at most 10000 ms. */
  maxIntervalMs: 10_000,
} as const;

/**
 * Resolves once `node` accepts an authenticated session, retrying with backoff through every
 * obstacle (no address yet, connection refused, authentication not yet set up, a host key that
 * changed while cloud-init regenerated it). Rejects with an {@link SshTimeoutError} naming the
 * last obstacle when `timeoutMs` runs out.
 */
export async function waitForSsh(node: Node, options: WaitForSshOptions): Promise<SshReady> {
  const check: CheckContext = { provider: 'polycloud', operation: 'waitForSsh' };
  let current = checkNode(check, node);
  const connect = checkConnectOptions(check, options);
  for (const field of ['timeoutMs', 'intervalMs', 'maxIntervalMs'] as const) checkDuration(check, `options.${field}`, options[field]);
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_SSH.timeoutMs;
  const where = { provider: current.provider, operation: 'waitForSsh' };
  let attempts = 0;
  let obstacle: SshObstacle | undefined;

  const attempt = async (signal?: AbortSignal) => {
    attempts += 1;
    if (options.driver) {
      try {
        current = await options.driver.getNode(current.id, signal ? { signal } : {});
      } catch (error) {
        if (!isNodeNotFoundError(error)) throw error;
        obstacle = 'node not running';
        options.onObstacle?.(obstacle, attempts);
        return { done: false as const, state: obstacle };
      }
      if (current.state !== 'running') {
        obstacle = 'node not running';
        options.onObstacle?.(obstacle, attempts);
        return { done: false as const, state: obstacle };
      }
    }
    const target: SshTarget = await resolveTarget(current, connect, signal);
    try {
      const session = await openSession(target, where, signal);
      closeSession(session);
      return {
        done: true as const,
        value: { node: current, login: target.login as SshReady['login'], hostKey: session.hostKey, attempts },
      };
    } catch (error) {
      if (!isSshConnectionError(error)) throw error;
      obstacle = error.obstacle;
      options.onObstacle?.(obstacle, attempts);
      return { done: false as const, state: obstacle };
    }
  };

  try {
    return await pollUntil(attempt, {
      provider: where.provider,
      operation: 'waitForSsh',
      what: `SSH on node ${current.id}`,
      clock,
      timeoutMs,
      intervalMs: options.intervalMs ?? DEFAULT_WAIT_SSH.intervalMs,
      maxIntervalMs: options.maxIntervalMs ?? DEFAULT_WAIT_SSH.maxIntervalMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (!isTimeoutError(error) || options.signal?.aborted) throw error;
    throw new SshTimeoutError(
      `node ${JSON.stringify(current.id)} did not accept SSH within ${timeoutMs} ms after ${attempts} attempt(s); last obstacle: ${obstacle ?? 'none seen'}`,
      { ...where, timeoutMs, attempts, ...(obstacle ? { obstacle } : {}) },
    );
  }
}
