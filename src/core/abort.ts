/**
 * Prompt cancellation: settle with a piece of work, or reject with the signal's reason as soon as
 * it aborts, even where the work itself cannot be stopped (a lazy SDK load, a shared fetch).
 *
 * @module
 */

/** Settles with `work`, or rejects with `signal.reason` as soon as the signal aborts. */
export function settleOrAbort<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    // The work goes on without anyone waiting for it; keep its failure from being unhandled.
    work.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
