/**
 * `priceSource: 'live'`: current prices fetched at run time from a provider's official source and
 * cached in memory for a TTL. The fetching is the provider's (`providers/aws/price-offers.ts`,
 * `providers/gce/price-billing.ts`); the cache and its rules are here, once.
 *
 * @module
 */
import { settleOrAbort } from '../core/abort.js';
import type { RetryOptions } from '../core/retry.js';
import type { CatalogData } from './catalog-data.js';

/** Default time live prices stay cached: 6 hours. */
export const DEFAULT_LIVE_PRICE_TTL_MS = 6 * 60 * 60 * 1000;

/**
 * How a driver fetches live prices (`priceSource: 'live'`): the options every provider's live
 * source takes. A provider's `livePrices` driver option extends it (AWS adds `regions` and
 * `format`, Compute Engine `apiKey` and `accessToken`).
 */
export interface LivePriceOptions {
  /**
   * Base URL of the official price source (passed through `checkEndpoint`: https, or http on
   * loopback only): a mirror, or a test fake.
   * @defaultValue the provider's public price source
   */
  readonly endpoint?: string;
  /**
   * How long a fetched price list stays cached, in ms.
   * @defaultValue 21600000 (6 hours, {@link DEFAULT_LIVE_PRICE_TTL_MS})
   */
  readonly ttlMs?: number;
  /**
   * Retry policy of the price requests.
   * @defaultValue the project's `RetryOptions` defaults
   */
  readonly retry?: RetryOptions;
}

interface CacheEntry {
  readonly expiresAt: number;
  readonly data: Promise<CatalogData>;
}

const cache = new Map<string, CacheEntry>();

/**
 * A live price list from the cache while it is fresh, else from `fetch`. Callers with the same
 * `key` (the provider and the settings that change the answer) share one fetch; a failed fetch is
 * not cached. `signal` stops this caller waiting, not the shared fetch.
 */
export function cachedLivePrices(
  key: string,
  ttlMs: number,
  fetch: () => Promise<CatalogData>,
  signal?: AbortSignal,
): Promise<CatalogData> {
  const now = Date.now();
  const cached = cache.get(key);
  if (cached !== undefined && cached.expiresAt > now) return signal === undefined ? cached.data : settleOrAbort(cached.data, signal);
  const data = fetch();
  const entry: CacheEntry = { expiresAt: now + ttlMs, data };
  cache.set(key, entry);
  data.catch(() => {
    if (cache.get(key) === entry) cache.delete(key);
  });
  return signal === undefined ? data : settleOrAbort(data, signal);
}

/** Forgets every cached live price list, so the next live load fetches again. */
export function clearLivePriceCache(): void {
  cache.clear();
}
