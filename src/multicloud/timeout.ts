/**
 * Bounding one cloud's answer in a fan-out: the call gets a signal that aborts when the caller
 * aborts or the time runs out, and a cloud that overruns fails with a `TimeoutError` even if its
 * driver ignores the signal.
 *
 * @module
 */
import { CloudError, TimeoutError, isCloudError } from '../core/errors.js';
import type { ProviderName } from '../core/types.js';

/** Runs `run` with a deadline of `timeoutMs`; rejects with a `TimeoutError` naming the provider and operation when it passes. */
export async function withTimeout<T>(
  run: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
  where: { readonly provider: ProviderName; readonly operation: string; readonly signal?: AbortSignal },
): Promise<T> {
  where.signal?.throwIfAborted();
  const controller = new AbortController();
  const timeout = new TimeoutError(`no answer within ${timeoutMs} ms`, { provider: where.provider, operation: where.operation, timeoutMs });
  const onAbort = () => controller.abort(where.signal?.reason);
  where.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => controller.abort(timeout), timeoutMs);
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  const running = run(controller.signal);
  // The race may settle on the deadline first; the call's own late rejection is then of no interest.
  running.catch(() => undefined);
  aborted.catch(() => undefined);
  try {
    return await Promise.race([running, aborted]);
  } finally {
    clearTimeout(timer);
    where.signal?.removeEventListener('abort', onAbort);
    // Requests the call left behind (e.g. other regions after the first page a health probe
    // needed) are cancelled rather than left running.
    if (!controller.signal.aborted) controller.abort(new Error('the call has finished'));
  }
}

/** Any failure as a `CloudError` naming the provider and operation. */
export function asCloudError(error: unknown, provider: ProviderName, operation: string): CloudError {
  if (isCloudError(error)) return error;
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new CloudError(detail, { provider, operation, cause: error });
}
