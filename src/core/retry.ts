/**
 * The one retry policy. Every request path retries in exactly one place: here (or, where a
 * driver says so, in its SDK — never both). Only calls that are safe to repeat are retried.
 *
 * @module
 */
import pRetry from 'p-retry';
import { isCloudError, isRateLimitError } from './errors.js';
import { systemClock } from './clock.js';

/** How failed requests are retried. Every field has a default. */
export interface RetryOptions {
  /**
   * Attempts after the first. `0` turns retries off.
   *
   * @defaultValue 3
   */
  readonly retries?: number;
  /**
   * Pause before the first retry, in ms.
   *
   * @defaultValue 250
   */
  readonly minDelayMs?: number;
  /**
   * Longest pause between attempts, in ms.
   *
   * @defaultValue 20000 (20 s)
   */
  readonly maxDelayMs?: number;
  /**
   * Growth of the pause per attempt (each pause is the previous one times this).
   *
   * @defaultValue 2
   */
  readonly factor?: number;
  /**
   * Spread pauses randomly between 1× and 2× so clients do not retry in lockstep.
   *
   * @defaultValue true
   */
  readonly jitter?: boolean;
  /**
   * Longest `Retry-After` honoured, in ms. A provider asking for a longer pause fails the call
   * with its `RateLimitError` instead of blocking.
   *
   * @defaultValue 60000 (1 minute)
   */
  readonly maxRetryAfterMs?: number;
}

/** The defaults of {@link RetryOptions}. */
export const DEFAULT_RETRY: Required<RetryOptions> = {
  retries: 3,
  minDelayMs: 250,
  maxDelayMs: 20_000,
  factor: 2,
  jitter: true,
  maxRetryAfterMs: 60_000,
};

/** Context of one retried call. */
export interface RetryCall {
  /** Whether the call may be repeated: reads, and writes carrying an idempotency token. */
  readonly idempotent: boolean;
  /** The caller's signal: once aborted, no further attempt starts and the pause in progress ends. */
  readonly signal?: AbortSignal;
  /** Told of every failed attempt that will be retried. */
  readonly onRetry?: (info: { readonly attempt: number; readonly error: unknown; readonly delayMs: number }) => void;
}

/** Fills the defaults into user retry options. */
export function resolveRetryOptions(options: RetryOptions | undefined): Required<RetryOptions> {
  return { ...DEFAULT_RETRY, ...options };
}

/**
 * Runs `attempt` and repeats it while it fails with a retryable {@link CloudError}, the call is
 * idempotent and attempts remain. A `RateLimitError` with `retryAfterMs` waits at least that long.
 */
export async function withRetry<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: RetryOptions | undefined,
  call: RetryCall,
): Promise<T> {
  const policy = resolveRetryOptions(options);
  if (!call.idempotent || policy.retries <= 0) return attempt(1);
  return pRetry(attempt, {
    retries: policy.retries,
    minTimeout: policy.minDelayMs,
    maxTimeout: policy.maxDelayMs,
    factor: policy.factor,
    randomize: policy.jitter,
    signal: call.signal,
    shouldRetry: ({ error }) => shouldRetry(error, policy),
    onFailedAttempt: async ({ error, attemptNumber, retriesLeft, retryDelay }) => {
      if (retriesLeft <= 0 || !shouldRetry(error, policy)) return;
      const retryAfterMs = isRateLimitError(error) ? (error.retryAfterMs ?? 0) : 0;
      const extraWait = Math.max(0, retryAfterMs - retryDelay);
      call.onRetry?.({ attempt: attemptNumber, error, delayMs: retryDelay + extraWait });
      if (extraWait > 0) await systemClock.sleep(extraWait, call.signal);
    },
  });
}

function shouldRetry(error: unknown, policy: Required<RetryOptions>): boolean {
  if (!isCloudError(error) || !error.retryable) return false;
  if (isRateLimitError(error) && (error.retryAfterMs ?? 0) > policy.maxRetryAfterMs) return false;
  return true;
}

/**
 * Parses an HTTP `Retry-After` header (seconds, or an HTTP date) into milliseconds from `now`.
 * Returns `undefined` for a missing or unreadable header.
 */
export function parseRetryAfter(header: string | null | undefined, now = Date.now()): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
