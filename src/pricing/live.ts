/**
 * `priceSource: 'live'`: current prices fetched at run time from the official sources (AWS
 * Price List offer files, Cloud Billing Catalog API) and cached in memory for a TTL.
 *
 * @module
 */
import { ConfigurationError } from '../core/errors.js';
import { Secret } from '../core/secrets.js';
import type { RetryOptions } from '../core/retry.js';
import type { CatalogData, CatalogProvider, CatalogType } from './catalog-data.js';
import { settleOrAbort } from '../core/abort.js';

/** Default time live prices stay cached: 6 hours. */
export const DEFAULT_LIVE_PRICE_TTL_MS = 6 * 60 * 60 * 1000;

/** Environment variable read for the Cloud Billing API key when none is set. */
export const GCE_BILLING_API_KEY_ENV = 'POLYCLOUD_GCE_BILLING_API_KEY';

/** Where and how live prices are fetched, per provider (see {@link setLivePriceOptions}). */
export interface LivePriceOptions {
  /**
   * Base URL of the official price source (passed through `checkEndpoint`: https, or http on
   * loopback). Default: `https://pricing.us-east-1.amazonaws.com` for `aws`,
   * `https://cloudbilling.googleapis.com` for `gce`.
   */
  readonly endpoint?: string;
  /**
   * AWS only: regions whose offer files are fetched. Each regional offer file is large (tens to
   * hundreds of MB), so name the regions you use. Default: every region in the offer's region index.
   */
  readonly regions?: readonly string[];
  /** AWS only: edition of the offer files, `csv` (streamed) or `json`. Default: `csv`. */
  readonly format?: 'csv' | 'json';
  /** GCE only: Cloud Billing API key. Default: the `POLYCLOUD_GCE_BILLING_API_KEY` environment variable. */
  readonly apiKey?: string | Secret;
  /** GCE only: an OAuth 2 access token to use instead of an API key. */
  readonly accessToken?: string | Secret;
  /** Time a fetched price list stays cached, in ms. Default: {@link DEFAULT_LIVE_PRICE_TTL_MS}. */
  readonly ttlMs?: number;
  /** Retry policy of the price requests. Default: the project's {@link RetryOptions} defaults. */
  readonly retry?: RetryOptions;
}

/** What live fetching needs from the bundled catalog: the machine types' shapes. */
export interface BundledSpecs {
  sizeIds(): string[];
  spec(sizeId: string): Omit<CatalogType, 'prices'> | undefined;
}

interface CacheEntry {
  readonly expiresAt: number;
  readonly data: Promise<CatalogData>;
}

const configured = new Map<CatalogProvider, LivePriceOptions>();
const cache = new Map<CatalogProvider, CacheEntry>();

/**
 * Sets how `loadPriceCatalog(provider, 'live')` fetches prices, and drops that provider's
 * cached live prices. Pass `{}` to return to the defaults.
 */
export function setLivePriceOptions(provider: CatalogProvider, options: LivePriceOptions): void {
  if (provider !== 'aws' && provider !== 'gce') {
    throw new ConfigurationError(`live prices exist for 'aws' and 'gce', got ${JSON.stringify(provider)}`, {
      provider: 'polycloud',
      operation: 'setLivePriceOptions',
    });
  }
  const ttl = options.ttlMs;
  if (ttl !== undefined && !(Number.isFinite(ttl) && ttl >= 0)) {
    throw new ConfigurationError(`"ttlMs" must be a number ≥ 0, got ${String(ttl)}`, { provider, operation: 'setLivePriceOptions' });
  }
  configured.set(provider, { ...options });
  cache.delete(provider);
}

/** Forgets every cached live price list, so the next live load fetches again. */
export function clearLivePriceCache(): void {
  cache.clear();
}

/**
 * The live price list of `provider`: from the cache while it is fresh, else fetched. Concurrent
 * callers share one fetch; a failed fetch is not cached.
 */
export async function loadLiveCatalogData(provider: CatalogProvider, bundled: BundledSpecs, signal?: AbortSignal): Promise<CatalogData> {
  const options = configured.get(provider) ?? {};
  const now = Date.now();
  const cached = cache.get(provider);
  if (cached !== undefined && cached.expiresAt > now) return cached.data;
  // The shared fetch is not tied to one caller's signal; each caller can still stop waiting.
  const data = fetchLive(provider, options, bundled);
  const entry: CacheEntry = { expiresAt: now + (options.ttlMs ?? DEFAULT_LIVE_PRICE_TTL_MS), data };
  cache.set(provider, entry);
  data.catch(() => {
    if (cache.get(provider) === entry) cache.delete(provider);
  });
  return signal === undefined ? data : settleOrAbort(data, signal);
}

/** The fetchers (and axios) load on first live use only, keeping `import 'polycloud'` light. */
async function fetchLive(provider: CatalogProvider, options: LivePriceOptions, bundled: BundledSpecs): Promise<CatalogData> {
  const knownTypes = Object.fromEntries(
    bundled.sizeIds().flatMap((id) => {
      const spec = bundled.spec(id);
      return spec === undefined ? [] : [[id, spec] as const];
    }),
  );
  if (provider === 'aws') {
    const { fetchAwsOfferCatalog } = await import('./aws-offers.js');
    return fetchAwsOfferCatalog({
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      ...(options.regions === undefined ? {} : { regions: options.regions }),
      ...(options.format === undefined ? {} : { format: options.format }),
      ...(options.retry === undefined ? {} : { retry: options.retry }),
      knownTypes,
    });
  }
  const apiKey = reveal(options.apiKey) ?? process.env[GCE_BILLING_API_KEY_ENV];
  const accessToken = reveal(options.accessToken);
  const { fetchGceBillingCatalog } = await import('./gce-billing.js');
  return fetchGceBillingCatalog({
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(apiKey ? { apiKey } : {}),
    ...(accessToken ? { accessToken } : {}),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    machineTypes: knownTypes,
  });
}

function reveal(value: string | Secret | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value instanceof Secret ? value.reveal() : value;
}
