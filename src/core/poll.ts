/**
 * `pollUntil`: the one polling loop of polycloud. `waitForNode`, provider actions (DigitalOcean,
 * Hetzner) and long-running operations (Compute, Azure) all wait through it, so every wait has the
 * same backoff, the same floor on its interval, the same cancellation and the same `TimeoutError`.
 *
 * @module
 */
import { systemClock, type Clock } from './clock.js';
import { TimeoutError, type ErrorSource } from './errors.js';
import type { NodeState } from './types.js';

/** What one look at the awaited thing found. */
export type PollResult<T> =
  | {
      /** `true`: the wait is over and {@link pollUntil} resolves with `value`. */
      readonly done: true;
      /** What the wait resolves with, e.g. the node as last read. */
      readonly value: T;
    }
  | {
      /** `false`: not there yet; {@link pollUntil} sleeps and looks again until `timeoutMs` runs out. */
      readonly done: false;
      /** The state seen, named in the `TimeoutError` if the wait runs out. */
      readonly state?: string;
    };

/** Options of {@link pollUntil}. */
export interface PollUntilOptions {
  /** The provider the wait is for, named in errors. */
  readonly provider: ErrorSource;
  /** The public operation waiting, named in errors, e.g. `createNode`. */
  readonly operation: string;
  /** What is awaited, for the timeout message, e.g. `action 42 to complete`. */
  readonly what: string;
  /** The provider's id of what is awaited (an operation or action name), given to the `TimeoutError` as its `requestId`. */
  readonly requestId?: string;
  /** The region or zone of what is awaited, given to the `TimeoutError`. */
  readonly location?: string;
  /**
   * The clock to sleep on (a `VirtualClock` in tests).
   * @defaultValue the system clock
   */
  readonly clock?: Clock;
  /** Cancels the wait; the signal's reason is thrown. */
  readonly signal?: AbortSignal;
  /**
   * Give up after this long.
   * @defaultValue 600000 (10 minutes)
   */
  readonly timeoutMs?: number;
  /**
   * First pause between looks; raised to {@link POLL_FLOOR_MS} when lower.
   * @defaultValue 1000
   */
  readonly intervalMs?: number;
  /**
   * Longest pause between looks.
   * @defaultValue 15000
   */
  readonly maxIntervalMs?: number;
  /**
   * Each pause is the previous one times this factor, up to `maxIntervalMs`.
   * @defaultValue 1.5
   */
  readonly backoffFactor?: number;
  /**
   * Sleep one interval before the first call of `check` (when it is known not to be done yet).
   * @defaultValue false
   */
  readonly pauseFirst?: boolean;
}

/** Defaults of {@link PollUntilOptions}. */
export const DEFAULT_POLL = {
  /** Give up after 600000 ms (10 minutes). */
  timeoutMs: 600_000,
  /** First pause between looks: 1000 ms. */
  intervalMs: 1_000,
  /** Pauses grow to at most 15000 ms. */
  maxIntervalMs: 15_000,
  /** Each pause is 1.5 times the previous one. */
  backoffFactor: 1.5,
} as const;

/**
 * The shortest pause between two looks, whatever the caller asks: a zero interval would turn a
 * wait into a request flood against the provider.
 */
export const POLL_FLOOR_MS = 50;

const NODE_STATES = new Set<string>([
  'pending',
  'running',
  'rebooting',
  'stopping',
  'stopped',
  'terminating',
  'terminated',
  'error',
  'unknown',
]);

/**
 * Calls `check` until it reports `done`, sleeping with backoff between calls.
 *
 * `check` may throw to end the wait with its error (after deciding itself what is worth retrying).
 *
 * @throws TimeoutError when `timeoutMs` runs out, naming the last state `check` reported
 *   (`lastState` is set when that state is a {@link NodeState}).
 * @throws the signal's reason when `signal` aborts.
 */
export async function pollUntil<T>(check: (signal?: AbortSignal) => Promise<PollResult<T>>, options: PollUntilOptions): Promise<T> {
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? DEFAULT_POLL.timeoutMs;
  const maxIntervalMs = Math.max(options.maxIntervalMs ?? DEFAULT_POLL.maxIntervalMs, POLL_FLOOR_MS);
  const factor = Math.max(options.backoffFactor ?? DEFAULT_POLL.backoffFactor, 1);
  const deadline = clock.now() + timeoutMs;
  let interval = Math.max(options.intervalMs ?? DEFAULT_POLL.intervalMs, POLL_FLOOR_MS);
  let lastState: string | undefined;

  if (options.pauseFirst) {
    await clock.sleep(Math.min(interval, timeoutMs), options.signal);
    interval = Math.min(interval * factor, maxIntervalMs);
  }
  for (;;) {
    options.signal?.throwIfAborted();
    const result = await check(options.signal);
    if (result.done) return result.value;
    if (result.state !== undefined) lastState = result.state;
    const remaining = deadline - clock.now();
    if (remaining <= 0) {
      throw new TimeoutError(`gave up after ${timeoutMs} ms waiting for ${options.what}; last seen ${lastState ?? 'never'}`, {
        provider: options.provider,
        operation: options.operation,
        ...(options.requestId !== undefined ? { requestId: options.requestId } : {}),
        ...(options.location !== undefined ? { location: options.location } : {}),
        timeoutMs,
        ...(lastState !== undefined && NODE_STATES.has(lastState) ? { lastState: lastState as NodeState } : {}),
      });
    }
    await clock.sleep(Math.min(interval, remaining), options.signal);
    interval = Math.min(interval * factor, maxIntervalMs);
  }
}
