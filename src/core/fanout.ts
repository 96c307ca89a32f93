/**
 * Running one request per location (region, zone, provider) concurrently, bounded, and keeping
 * every failure: a part that fails is reported, never a silent gap in the results.
 *
 * @module
 */
import pLimit from 'p-limit';
import { CloudError, PartialFailureError, isCloudError, type ErrorSource } from './errors.js';

/** Options of {@link fanOut} and {@link fanOutPages}. */
export interface FanOutOptions {
  /** Most parts in flight at once; values below 1 count as 1. */
  readonly concurrency: number;
  /** The provider named in the `PartialFailureError` and in failures that are not `CloudError`s already. */
  readonly provider: ErrorSource;
  /** The public operation fanned out, e.g. `listNodes`, named in every error raised. */
  readonly operation: string;
  /**
   * Turns a part's non-polycloud error into a `CloudError` naming the part.
   *
   * @defaultValue a plain `CloudError` with the error's message and the part as `location`
   */
  readonly mapError?: (error: unknown, part: string) => CloudError;
}

function failureOf(error: unknown, part: string, options: FanOutOptions): CloudError {
  if (isCloudError(error)) return error;
  if (options.mapError) return options.mapError(error, part);
  return new CloudError(error instanceof Error ? error.message : String(error), {
    provider: options.provider,
    operation: options.operation,
    location: part,
    cause: error,
  });
}

function raise<T>(partial: readonly T[], failures: readonly CloudError[], parts: number, options: FanOutOptions): never {
  const only = failures[0];
  if (failures.length === 1 && parts === 1 && only) throw only;
  throw new PartialFailureError(partial, failures, { provider: options.provider, operation: options.operation });
}

/** Runs `run` for every part, concurrently; returns all results in part order, or throws a `PartialFailureError`. */
export async function fanOut<T>(
  parts: readonly string[],
  run: (part: string) => Promise<readonly T[]>,
  options: FanOutOptions,
): Promise<T[]> {
  const limit = pLimit(Math.max(1, options.concurrency));
  const settled = await Promise.allSettled(parts.map((part) => limit(() => run(part))));
  const results: T[] = [];
  const failures: CloudError[] = [];
  settled.forEach((outcome, index) => {
    if (outcome.status === 'fulfilled') results.push(...outcome.value);
    else failures.push(failureOf(outcome.reason, parts[index] ?? '', options));
  });
  if (failures.length > 0) raise(results, failures, parts.length, options);
  return results;
}

/**
 * Pulls pages from every part's iterator concurrently and yields them as they arrive. After the
 * last page, throws a `PartialFailureError` (holding everything yielded) if any part failed.
 */
export async function* fanOutPages<T>(
  parts: readonly string[],
  pagesOf: (part: string) => AsyncIterable<readonly T[]>,
  options: FanOutOptions,
): AsyncGenerator<readonly T[]> {
  if (parts.length === 1) {
    const only = parts[0] as string;
    try {
      yield* pagesOf(only);
    } catch (error) {
      throw failureOf(error, only, options);
    }
    return;
  }
  const queue: (readonly T[])[] = [];
  const failures: CloudError[] = [];
  const delivered: T[] = [];
  let wake: (() => void) | undefined;
  let running = 0;
  let abandoned = false;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const limit = pLimit(Math.max(1, options.concurrency));
  for (const part of parts) {
    running += 1;
    void limit(async () => {
      try {
        for await (const page of pagesOf(part)) {
          if (abandoned) return;
          queue.push(page);
          notify();
        }
      } catch (error) {
        failures.push(failureOf(error, part, options));
      } finally {
        running -= 1;
        notify();
      }
    });
  }
  try {
    for (;;) {
      const page = queue.shift();
      if (page) {
        delivered.push(...page);
        yield page;
        continue;
      }
      if (running === 0) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    // A consumer that stops early (break, return, throw) stops the workers after their current page.
    abandoned = true;
  }
  if (failures.length > 0) raise(delivered, failures, parts.length, options);
}
