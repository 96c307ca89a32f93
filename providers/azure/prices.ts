/**
 * Prices of Azure VM sizes. ARM has no prices; the Retail Prices API is the official source, and
 * its item format is also the catalog's format (`price-catalog.ts`).
 *
 * - `catalog` (default): the bundled snapshot, or the one given in `priceCatalog` (items saved
 *   from the API); offline, dated per item.
 * - `live`: `GET {endpoint}/api/retail/prices?$filter=…` once per region, every page, cached for a
 *   TTL. Bounded like every polycloud transport: a deadline on each whole exchange, a body size
 *   bound, no redirects, a page cap and a deadline on the whole listing; only the configured host
 *   is ever asked (the API's `NextPageLink` names its own host).
 *
 * A price polycloud does not know is `null`, never 0; a live source that fails is logged and gives
 * `null` (the next call asks again), so a price outage never breaks listing nodes or sizes.
 *
 * @module
 */
import { Agent } from 'node:https';
import axios from 'axios';
import {
  DEFAULT_BOUNDS,
  ListingGuard,
  ProviderUnavailableError,
  bodyTooLargeError,
  isCloudError,
  parseRetryAfter,
  RateLimitError,
  requestTimeoutError,
  systemClock,
  withRetry,
  type Clock,
  type Logger,
  type Price,
  type RetryOptions,
  type TransportBounds,
} from '../../src/kit.js';
import {
  BUNDLED_AZURE_PRICES,
  priceKey,
  priceTableFromItems,
  type AzurePriceSnapshot,
  type AzurePriceTable,
  type RetailPriceItem,
} from './price-catalog.js';

export { isLinuxOnDemand, type RetailPriceItem } from './price-catalog.js';

/** `catalog`: the bundled (or given) snapshot; `live`: the Retail Prices API. */
export type AzurePriceSource = 'catalog' | 'live';

/** Prices for the driver. */
export interface AzurePrices {
  /** The price of `size` in `region`, or `null` when unknown. Rejects only when `signal` aborts. */
  price(size: string, region: string, signal?: AbortSignal): Promise<Price | null>;
}

/** How the prices are found. */
export interface AzurePriceSettings {
  readonly source: AzurePriceSource;
  /**
   * The catalog for `source: 'catalog'`.
   * @defaultValue {@link BUNDLED_AZURE_PRICES}
   */
  readonly snapshot?: AzurePriceSnapshot;
  /**
   * The Retail Prices API.
   * @defaultValue `https://prices.azure.com`
   */
  readonly endpoint?: string;
  readonly caCertificate?: string;
  /** One whole exchange (headers and body), in ms. */
  readonly requestTimeoutMs: number;
  readonly retry?: RetryOptions;
  /**
   * Body, page and listing bounds.
   * @defaultValue `DEFAULT_BOUNDS`
   */
  readonly bounds?: TransportBounds;
  /**
   * How long one region's live prices are kept, in ms.
   * @defaultValue 21600000 (6 hours)
   */
  readonly ttlMs?: number;
  readonly logger: Required<Logger>;
  readonly clock?: Clock;
}

/** Default time live prices stay cached: 6 hours, like the AWS and Compute live prices. */
export const AZURE_LIVE_PRICE_TTL_MS = 6 * 60 * 60 * 1000;

interface RetailPricesPage {
  readonly Items?: unknown;
  readonly NextPageLink?: unknown;
}

/** Creates the price lookup. */
export function createAzurePrices(settings: AzurePriceSettings): AzurePrices {
  if (settings.source === 'catalog') {
    const snapshot = settings.snapshot ?? BUNDLED_AZURE_PRICES;
    const table = priceTableFromItems(snapshot.items, 'catalog', snapshot.provenance.date);
    return { price: async (size, region) => table.get(priceKey(region, size)) ?? null };
  }
  const clock = settings.clock ?? systemClock;
  const base = (settings.endpoint ?? 'https://prices.azure.com').replace(/\/+$/, '');
  const agent = settings.caCertificate ? new Agent({ ca: settings.caCertificate }) : undefined;
  const maxBodyBytes = settings.bounds?.maxBodyBytes ?? DEFAULT_BOUNDS.maxBodyBytes;
  const ttlMs = settings.ttlMs ?? AZURE_LIVE_PRICE_TTL_MS;
  const regions = new Map<string, { expiresAt: number; table: Promise<AzurePriceTable>; warned?: boolean }>();
  const where = { provider: 'azure' as const, operation: 'fetchPrices' };

  async function fetchPage(url: string, signal: AbortSignal | undefined): Promise<RetailPricesPage> {
    const deadline = AbortSignal.timeout(settings.requestTimeoutMs);
    try {
      const response = await axios.get<string>(url, {
        responseType: 'text',
        transformResponse: (body: unknown) => body,
        maxContentLength: maxBodyBytes,
        maxBodyLength: maxBodyBytes,
        // The API does not redirect; a redirect elsewhere is not followed.
        maxRedirects: 0,
        validateStatus: () => true,
        signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
        ...(agent ? { httpsAgent: agent } : {}),
      });
      const status = response.status;
      if (status === 429) {
        const retryAfterMs = parseRetryAfter(String(response.headers['retry-after'] ?? ''));
        throw new RateLimitError('Azure Retail Prices: throttled (HTTP 429)', {
          ...where,
          statusCode: 429,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        });
      }
      if (status !== 200)
        throw new ProviderUnavailableError(`Azure Retail Prices: HTTP ${status}`, {
          ...where,
          statusCode: status,
          retryable: status >= 500,
        });
      const parsed = JSON.parse(response.data) as unknown;
      if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as RetailPricesPage).Items))
        throw new Error('not a page of price items');
      return parsed as RetailPricesPage;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (isCloudError(error)) throw error;
      if (deadline.aborted) throw requestTimeoutError(where, settings.requestTimeoutMs);
      if ((error as { code?: string }).code === 'ERR_BAD_RESPONSE' && /maxContentLength/.test(String((error as Error).message)))
        throw bodyTooLargeError(where, maxBodyBytes);
      throw new ProviderUnavailableError(`Azure Retail Prices: ${(error as Error).message}`, { ...where, retryable: true });
    }
  }

  async function fetchRegion(region: string, signal: AbortSignal | undefined): Promise<AzurePriceTable> {
    const items: RetailPriceItem[] = [];
    const guard = new ListingGuard(where, settings.bounds, clock);
    const filter = `serviceName eq 'Virtual Machines' and armRegionName eq '${region}' and priceType eq 'Consumption'`;
    let url: string | undefined = `${base}/api/retail/prices?$filter=${encodeURIComponent(filter)}`;
    while (url !== undefined) {
      guard.beforePage();
      const pageUrl: string = url;
      const page = await withRetry(() => fetchPage(pageUrl, signal), settings.retry, {
        idempotent: true,
        ...(signal ? { signal } : {}),
      });
      items.push(...(page.Items as RetailPriceItem[]));
      // The next page link is absolute and names the API's own host: only its path and query are kept.
      const next = typeof page.NextPageLink === 'string' && page.NextPageLink !== '' ? new URL(page.NextPageLink) : undefined;
      url = next === undefined ? undefined : `${base}${next.pathname}${next.search}`;
    }
    return priceTableFromItems(items, 'provider-api', new Date(clock.now()).toISOString());
  }

  return {
    async price(size, region, signal) {
      const key = region.toLowerCase();
      let entry = regions.get(key);
      if (!entry || entry.expiresAt <= clock.now()) {
        entry = { expiresAt: clock.now() + ttlMs, table: fetchRegion(key, signal) };
        regions.set(key, entry);
        const current = entry;
        current.table.catch(() => {
          if (regions.get(key) === current) regions.delete(key);
        });
      }
      try {
        return (await entry.table).get(priceKey(key, size)) ?? null;
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (entry.warned) return null;
        entry.warned = true;
        settings.logger.warn(`azure: prices for ${key} are unknown, the Retail Prices API failed: ${String((error as Error).message)}`);
        return null;
      }
    },
  };
}
