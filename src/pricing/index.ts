/**
 * Prices for AWS EC2 and Compute Engine sizes: the bundled catalog (a committed snapshot, loaded
 * lazily on first use) or live figures fetched from the providers' official price sources.
 * A price polycloud does not know is `null`, never `0`.
 *
 * ```ts
 * const catalog = await loadPriceCatalog('aws');
 * catalog.price('t3.micro', 'us-east-1'); // { hourly: 0.0104, monthly: 7.592, currency: 'USD', source: 'catalog', asOf: '2026-07-20' }
 * ```
 *
 * @module
 */
import { InvalidRequestError } from '../core/errors.js';
import { HOURS_PER_MONTH, type Arch, type Price, type PriceSource } from '../core/types.js';
import { zoneRegion } from '../core/regions.js';
import { type CatalogData, type CatalogProvider, type CatalogSource } from './catalog-data.js';
import { loadLiveCatalogData } from './live.js';

export type { CatalogData, CatalogProvider, CatalogSource, CatalogType } from './catalog-data.js';
export { CatalogFormatError, validateCatalogData } from './catalog-data.js';
export { setLivePriceOptions, clearLivePriceCache, DEFAULT_LIVE_PRICE_TTL_MS, GCE_BILLING_API_KEY_ENV } from './live.js';
export type { LivePriceOptions } from './live.js';

/**
 * Where a driver takes its prices from. Default: `catalog`.
 * - `catalog`: the snapshot bundled with polycloud (offline, dated per price).
 * - `live`: the provider's official price source, fetched at run time and cached in memory.
 */
export type PriceSourceOption = 'catalog' | 'live';

/** Prices of one provider's sizes by region. */
export interface PriceCatalog {
  readonly provider: 'aws' | 'gce';
  /**
   * The on-demand price of `sizeId` in `region` (a zone id resolves to its region), or `null`
   * when the catalog has no price for that pair.
   */
  price(sizeId: string, region: string): Price | null;
}

/** What a catalog knows about a size besides its price. */
export interface CatalogSizeSpec {
  readonly vcpus: number;
  readonly memoryGiB: number;
  readonly arch: Arch;
  readonly sharedCore?: boolean;
  /** Bundled accelerators by model. */
  readonly gpus?: Readonly<Record<string, number>>;
  readonly localSsdGiB?: number;
}

/** A {@link PriceCatalog} with its metadata and contents exposed. */
export interface PriceTable extends PriceCatalog {
  /** `catalog` for the bundled snapshot, `provider-api` for live figures. */
  readonly source: PriceSource;
  readonly currency: string;
  /** The newest date any price carries. */
  readonly asOf: string;
  /** Origins, licences and dates of the figures. */
  readonly sources: readonly CatalogSource[];
  /** Known limits of the data. */
  readonly notes: readonly string[];
  /** Licence notices that travel with the data (e.g. the MIT notice of a source). */
  readonly notices: readonly string[];
  /** Every size id with at least one price, sorted. */
  sizeIds(): string[];
  /** Every region with at least one price, sorted. */
  regions(): string[];
  /** vCPUs, memory and arch of a size, or `undefined` when the catalog does not list it. */
  spec(sizeId: string): CatalogSizeSpec | undefined;
  /** The date prices in `region` are valid on, or `undefined` for a region without prices. */
  priceAsOf(region: string): string | undefined;
}

/** Options of {@link loadPriceCatalog}. */
export interface LoadPriceCatalogOptions {
  /** Cancels a live fetch. */
  signal?: AbortSignal;
}

/**
 * Builds a {@link Price}, or returns `null` when `hourly` is not a positive finite number.
 * `monthly` defaults to `hourly × 730`.
 */
export function makePrice(
  hourly: number | null | undefined,
  details: { currency: string; source: PriceSource; asOf: string; monthly?: number },
): Price | null {
  if (typeof hourly !== 'number' || !Number.isFinite(hourly) || hourly <= 0) return null;
  const monthly =
    typeof details.monthly === 'number' && Number.isFinite(details.monthly) && details.monthly > 0
      ? details.monthly
      : roundPrice(hourly * HOURS_PER_MONTH);
  return { hourly, monthly, currency: details.currency, source: details.source, asOf: details.asOf };
}

/**
 * Loads the price catalog of `provider`. `source` `catalog` (default) returns the bundled
 * snapshot, loaded once on first use; `live` fetches the official price source (see
 * {@link setLivePriceOptions}) and caches it in memory for its TTL.
 */
export async function loadPriceCatalog(
  provider: 'aws' | 'gce',
  source: PriceSourceOption = 'catalog',
  options: { signal?: AbortSignal } = {},
): Promise<PriceCatalog> {
  return loadPriceTable(provider, source, options);
}

/** {@link loadPriceCatalog}, typed with the catalog's metadata and contents. */
export async function loadPriceTable(
  provider: 'aws' | 'gce',
  source: PriceSourceOption = 'catalog',
  options: { signal?: AbortSignal } = {},
): Promise<PriceTable> {
  checkProvider(provider);
  if (source === 'catalog') return loadBundled(provider);
  if (source === 'live') {
    options.signal?.throwIfAborted();
    const bundled = await loadBundled(provider);
    const data = await loadLiveCatalogData(provider, bundled, options.signal);
    return priceTableFromData(data, 'provider-api');
  }
  throw new InvalidRequestError(`"priceSource" must be 'catalog' or 'live', got ${JSON.stringify(source)}`, {
    provider: 'polycloud',
    operation: 'loadPriceCatalog',
    field: 'priceSource',
  });
}

/** Wraps validated {@link CatalogData} as a {@link PriceTable}. */
export function priceTableFromData(data: CatalogData, source: PriceSource): PriceTable {
  const provider = data.provider;
  const regionSet = new Set<string>();
  for (const type of Object.values(data.types)) for (const region of Object.keys(type.prices)) regionSet.add(region);
  const regions = [...regionSet].sort();
  const sizeIds = Object.keys(data.types)
    .filter((id) => Object.keys(data.types[id]!.prices).length > 0)
    .sort();
  const regionAsOf = data.regionAsOf ?? {};
  const dateOf = (region: string): string => (Object.hasOwn(regionAsOf, region) ? regionAsOf[region]! : data.asOf);
  const newest = regions.map(dateOf).reduce((a, b) => (b > a ? b : a), data.asOf);
  const cache = new Map<string, Price | null>();
  return {
    provider,
    source,
    currency: data.currency,
    asOf: newest,
    sources: data.sources,
    notes: data.notes,
    notices: data.notices ?? [],
    sizeIds: () => [...sizeIds],
    regions: () => [...regions],
    spec(sizeId) {
      const type = Object.hasOwn(data.types, sizeId) ? data.types[sizeId] : undefined;
      if (type === undefined) return undefined;
      const { prices: _prices, ...spec } = type;
      return spec;
    },
    priceAsOf: (region) => (regionSet.has(region) ? dateOf(region) : undefined),
    price(sizeId, location) {
      if (typeof sizeId !== 'string' || typeof location !== 'string') return null;
      const region = zoneRegion(provider, location) ?? location;
      const key = `${sizeId}\u0000${region}`;
      const cached = cache.get(key);
      if (cached !== undefined) return cached;
      const type = Object.hasOwn(data.types, sizeId) ? data.types[sizeId] : undefined;
      const hourly = type !== undefined && Object.hasOwn(type.prices, region) ? type.prices[region] : undefined;
      const price = makePrice(hourly, { currency: data.currency, source, asOf: dateOf(region) });
      cache.set(key, price);
      return price;
    },
  };
}

const bundled = new Map<CatalogProvider, Promise<PriceTable>>();

function loadBundled(provider: CatalogProvider): Promise<PriceTable> {
  let loading = bundled.get(provider);
  if (loading === undefined) {
    // The bundled data is not validated here: it is generated by scripts/update-prices.ts and
    // checked by test/pricing/catalog.test.ts, and walking every price of every region costs
    // more than the rest of a cold driver's first request. Catalogs from elsewhere are validated.
    loading = importBundled(provider).then((json) => priceTableFromData(JSON.parse(json) as CatalogData, 'catalog'));
    loading.catch(() => bundled.delete(provider));
    bundled.set(provider, loading);
  }
  return loading;
}

async function importBundled(provider: CatalogProvider): Promise<string> {
  // Literal specifiers so bundlers and `tsc` see (and emit) both data modules.
  const module = provider === 'aws' ? await import('./data/aws.js') : await import('./data/gce.js');
  return module.catalogJson;
}

function checkProvider(provider: unknown): asserts provider is CatalogProvider {
  if (provider !== 'aws' && provider !== 'gce') {
    throw new InvalidRequestError(`price catalogs exist for 'aws' and 'gce', got ${JSON.stringify(provider)}`, {
      provider: 'polycloud',
      operation: 'loadPriceCatalog',
      field: 'provider',
    });
  }
}

/** Rounds to 10 decimal places, dropping float noise from `hourly × 730`. */
function roundPrice(value: number): number {
  return Math.round(value * 1e10) / 1e10;
}
