/**
 * A value fetched at most once per TTL and shared by concurrent callers — e.g. a driver's catalog
 * (plans, regions) that every node mapping needs. A failed fetch is not kept, so the next caller
 * tries again.
 *
 * @module
 */
import type { Clock } from './clock.js';

/**
 * Wraps `load` so that its result is reused for `ttlMs` (measured on `clock`) and one fetch in
 * flight serves every caller that arrives meanwhile. A rejected fetch is dropped at once.
 *
 * ```ts
 * const catalog = ttlCache((context) => fetchCatalog(context), 3_600_000, runtime.clock);
 * await catalog(context); // fetched
 * await catalog(context); // the same value, until the TTL has passed
 * ```
 */
export function ttlCache<Arg, T>(load: (arg: Arg) => Promise<T>, ttlMs: number, clock: Clock): (arg: Arg) => Promise<T> {
  let cached: { readonly value: Promise<T>; fetchedAt: number } | undefined;
  const get = (arg: Arg): Promise<T> => {
    if (cached && clock.now() - cached.fetchedAt < ttlMs) return cached.value;
    const entry = { value: load(arg), fetchedAt: clock.now() };
    cached = entry;
    entry.value.then(
      // The TTL counts from when the value arrived, not from when it was asked for.
      () => {
        entry.fetchedAt = clock.now();
      },
      () => {
        if (cached === entry) cached = undefined;
      },
    );
    return entry.value;
  };
  return get;
}
