/**
 * Prices of Azure VM sizes. Azure has no price in ARM; its public Retail Prices API
 * (`GET {endpoint}/api/retail/prices?$filter=…`, pages of items with `NextPageLink`) is the
 * official source. `live` asks it, once per region, for the Linux pay-as-you-go hourly price of
 * every size and caches the answer; `catalog` uses the bundled snapshot, which has no figures yet
 * (no openly licensed Azure price data was at hand), so every price is `null` — never `0`.
 *
 * @module
 */
import { Agent } from 'node:https';
import axios from 'axios';
import { HOURS_PER_MONTH, ProviderUnavailableError, type Price, type RetryOptions, withRetry } from '../../src/kit.js';

/** `catalog`: the bundled snapshot (no Azure figures yet: `null`); `live`: the Retail Prices API. */
export type AzurePriceSource = 'catalog' | 'live';

/** A price item of the Retail Prices API (the fields polycloud reads). */
export interface RetailPriceItem {
  readonly armSkuName?: string;
  readonly armRegionName?: string;
  readonly retailPrice?: number;
  readonly currencyCode?: string;
  readonly unitOfMeasure?: string;
  readonly type?: string;
  readonly productName?: string;
  readonly skuName?: string;
  readonly meterName?: string;
  readonly effectiveStartDate?: string;
  readonly isPrimaryMeterRegion?: boolean;
}

/** Prices for the driver. */
export interface AzurePrices {
  price(size: string, region: string, signal?: AbortSignal): Promise<Price | null>;
}

/** Most pages read for one region (100 items a page): a bound, not an expected figure. */
const MAX_PAGES = 200;

/** Whether an item is the Linux, pay-as-you-go, per-hour price of a VM size. */
export function isLinuxOnDemand(item: RetailPriceItem): boolean {
  return (
    item.type === 'Consumption' &&
    item.unitOfMeasure === '1 Hour' &&
    typeof item.retailPrice === 'number' &&
    item.retailPrice > 0 &&
    !/windows/i.test(item.productName ?? '') &&
    !/spot|low priority/i.test(`${item.skuName ?? ''} ${item.meterName ?? ''}`)
  );
}

/** The price table for one region from its items. */
export function pricesFromItems(items: readonly RetailPriceItem[]): Map<string, Price> {
  const table = new Map<string, Price>();
  for (const item of items) {
    if (!isLinuxOnDemand(item) || !item.armSkuName) continue;
    const hourly = item.retailPrice as number;
    table.set(item.armSkuName, {
      hourly,
      monthly: Math.round(hourly * HOURS_PER_MONTH * 10_000) / 10_000,
      currency: item.currencyCode ?? 'USD',
      source: 'provider-api',
      asOf: (item.effectiveStartDate ?? new Date().toISOString()).slice(0, 10),
    });
  }
  return table;
}

/** Creates the price lookup. */
export function createAzurePrices(settings: {
  readonly source: AzurePriceSource;
  readonly endpoint?: string;
  readonly caCertificate?: string;
  readonly requestTimeoutMs: number;
  readonly retry?: RetryOptions;
}): AzurePrices {
  if (settings.source === 'catalog') return { price: async () => null };
  const base = settings.endpoint ?? 'https://prices.azure.com';
  const agent = settings.caCertificate ? new Agent({ ca: settings.caCertificate }) : undefined;
  const regions = new Map<string, Promise<Map<string, Price>>>();

  async function fetchRegion(region: string, signal?: AbortSignal): Promise<Map<string, Price>> {
    const items: RetailPriceItem[] = [];
    const filter = `serviceName eq 'Virtual Machines' and armRegionName eq '${region}' and priceType eq 'Consumption'`;
    let url: string | undefined = `${base}/api/retail/prices?$filter=${encodeURIComponent(filter)}`;
    for (let page = 0; url !== undefined; page++) {
      if (page >= MAX_PAGES)
        throw new ProviderUnavailableError(`Azure Retail Prices: more than ${MAX_PAGES} pages for ${region}`, {
          provider: 'azure',
          operation: 'listSizes',
        });
      const pageUrl: string = url;
      const body = await withRetry(
        async () => {
          try {
            const response = await axios.get<{ Items?: RetailPriceItem[]; NextPageLink?: string | null }>(pageUrl, {
              timeout: settings.requestTimeoutMs,
              maxContentLength: 20 * 1024 * 1024,
              ...(agent ? { httpsAgent: agent } : {}),
              ...(signal ? { signal } : {}),
            });
            return response.data;
          } catch (error) {
            throw new ProviderUnavailableError(`Azure Retail Prices: ${(error as Error).message}`, {
              provider: 'azure',
              operation: 'listSizes',
              retryable: true,
            });
          }
        },
        settings.retry,
        { idempotent: true, ...(signal ? { signal } : {}) },
      );
      items.push(...(body.Items ?? []));
      // The next page link is absolute; only follow it on the configured host.
      const next = body.NextPageLink ?? undefined;
      url = next === undefined ? undefined : `${base}${new URL(next).pathname}${new URL(next).search}`;
    }
    return pricesFromItems(items);
  }

  return {
    async price(size, region, signal) {
      let table = regions.get(region);
      if (!table) {
        table = fetchRegion(region, signal);
        regions.set(region, table);
        table.catch(() => regions.delete(region));
      }
      return (await table).get(size) ?? null;
    },
  };
}
