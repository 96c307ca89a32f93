/**
 * Price catalogs: the generic machinery. A provider that publishes prices (AWS EC2, Compute
 * Engine) owns its data — the bundled snapshot (`providers/<name>/price-catalog.ts`, loaded lazily
 * on first use) and the fetcher of its official live source — and hands them to
 * {@link definePriceCatalog}; its descriptor's `prices` hook makes {@link loadPriceCatalog} reach it.
 * A price polycloud does not know is `null`, never `0`.
 *
 * ```ts
 * const catalog = await loadPriceCatalog('aws');
 * catalog.price('t3.micro', 'us-east-1'); // { hourly: 0.0104, monthly: 7.592, currency: 'USD', source: 'catalog', asOf: '2026-07-20' }
 * ```
 *
 * @module
 */
import { ConfigurationError, InvalidRequestError } from '../core/errors.js';
import { getProvider } from '../core/registry.js';
import { HOURS_PER_MONTH, type Arch, type Price, type PriceSource, type ProviderName } from '../core/types.js';
import { type CatalogData, type CatalogProvider, type CatalogSource, type CatalogType } from './catalog-data.js';
import { cachedLivePrices, DEFAULT_LIVE_PRICE_TTL_MS, type LivePriceOptions } from './live.js';

export type { CatalogData, CatalogProvider, CatalogSource, CatalogType } from './catalog-data.js';
export { CatalogFormatError, validateCatalogData } from './catalog-data.js';
export { cachedLivePrices, clearLivePriceCache, DEFAULT_LIVE_PRICE_TTL_MS } from './live.js';
export type { LivePriceOptions } from './live.js';

/**
 * Where a driver takes its prices from. Where an option or argument of this type is left out, it is `catalog`.
 * - `catalog`: the snapshot bundled with polycloud (offline, dated per price).
 * - `live`: the provider's official price source, fetched at run time and cached in memory.
 */
export type PriceSourceOption = 'catalog' | 'live';

/** Prices of one provider's sizes by region. */
export interface PriceCatalog {
  /** The provider whose sizes and regions the catalog prices. */
  readonly provider: 'aws' | 'gce';
  /**
   * The on-demand price of `sizeId` in `region` (a zone id resolves to its region), or `null`
   * when the catalog has no price for that pair.
   */
  price(sizeId: string, region: string): Price | null;
}

/** What a catalog knows about a size besides its price. */
export interface CatalogSizeSpec {
  /** Virtual CPUs; a fraction of one for shared-core types (e.g. 0.25 for `e2-micro`). */
  readonly vcpus: number;
  /** Memory in GiB (2^30 bytes). */
  readonly memoryGiB: number;
  /** CPU architecture of the size. */
  readonly arch: Arch;
  /** `true` for shared-core / fractional-vCPU types; absent for dedicated cores. */
  readonly sharedCore?: boolean;
  /** Bundled accelerators by model, e.g. `{ l4: 1 }`; absent when there are none. */
  readonly gpus?: Readonly<Record<string, number>>;
  /** Local SSD bundled with the size, in GiB; absent when there is none. */
  readonly localSsdGiB?: number;
}

/** A {@link PriceCatalog} with its metadata and contents exposed. */
export interface PriceTable extends PriceCatalog {
  /** `catalog` for the bundled snapshot, `provider-api` for live figures. */
  readonly source: PriceSource;
  /** ISO 4217 code every price of the table is in, e.g. `USD`. */
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

/** Options of {@link loadPriceCatalog} and of a {@link PriceTableLoader}. */
export interface LoadPriceCatalogOptions<Live extends LivePriceOptions = LivePriceOptions> {
  /** Cancels a live fetch (this caller stops waiting; a fetch shared with others goes on). */
  signal?: AbortSignal;
  /**
   * How to fetch live prices (`source: 'live'`): the provider's `livePrices` options, as its
   * driver takes them (e.g. `{ regions: ['us-east-1'] }` for AWS).
   * @defaultValue the provider's public price source, cached for 6 hours
   */
  livePrices?: Live;
}

/** Loads one provider's price table from the bundled snapshot or its live source. */
export type PriceTableLoader<Live extends LivePriceOptions = LivePriceOptions> = (
  source?: PriceSourceOption,
  options?: LoadPriceCatalogOptions<Live>,
) => Promise<PriceTable>;

/** What a provider hands {@link definePriceCatalog}: its data and its live fetcher. */
export interface PriceCatalogSpec<Live extends LivePriceOptions> {
  /** The provider the catalog belongs to; named in errors and part of the live cache key. */
  readonly provider: CatalogProvider;
  /** Imports the bundled snapshot — lazily, so importing the driver loads no price data: `() => import('./price-catalog.js')`. */
  readonly bundled: () => Promise<{
    /** The snapshot as JSON text in the {@link CatalogData} shape (parsed once, not re-validated). */
    readonly catalogJson: string;
  }>;
  /**
   * The region a location id prices as (a zone → its region), for `price(size, zone)`.
   * @defaultValue the location id itself
   */
  readonly regionOf?: (locationId: string) => string | undefined;
  /** Fetches the live price list; `knownTypes` are the bundled snapshot's machine shapes (vCPUs, memory, arch). */
  readonly fetchLive: (options: Live, knownTypes: Readonly<Record<string, Omit<CatalogType, 'prices'>>>) => Promise<CatalogData>;
  /**
   * The options that change the live answer, as a cache key (never a secret).
   * @defaultValue the endpoint
   */
  readonly liveCacheKey?: (options: Live) => string;
}

/**
 * Checks a `livePrices` option at set-up.
 *
 * @throws ConfigurationError (`operation: 'configure'`) naming the field when it is malformed.
 */
export function checkLivePriceOptions(provider: ProviderName, options: unknown): void {
  if (options === undefined) return;
  const fail = (detail: string) => {
    throw new ConfigurationError(detail, { provider, operation: 'configure' });
  };
  if (typeof options !== 'object' || options === null || Array.isArray(options)) fail('"livePrices" must be an object');
  const { ttlMs, endpoint } = options as LivePriceOptions;
  if (ttlMs !== undefined && !(typeof ttlMs === 'number' && Number.isFinite(ttlMs) && ttlMs >= 0)) {
    fail(`"livePrices.ttlMs" must be a number ≥ 0, got ${String(ttlMs)}`);
  }
  if (endpoint !== undefined && typeof endpoint !== 'string') fail('"livePrices.endpoint" must be a URL string');
}

/**
 * Turns a provider's price data into a {@link PriceTableLoader}: the bundled snapshot is imported
 * and validated once per process; live lists are fetched through `fetchLive` and cached for
 * `livePrices.ttlMs` (shared by every caller with the same cache key; a failure is not cached).
 */
export function definePriceCatalog<Live extends LivePriceOptions>(spec: PriceCatalogSpec<Live>): PriceTableLoader<Live> {
  let bundled: Promise<PriceTable> | undefined;
  const loadBundled = (): Promise<PriceTable> => {
    if (bundled === undefined) {
      const loading = spec
        .bundled()
        // Bundled data is not validated here: it is generated by scripts/update-prices.ts and checked
        // by test/pricing/catalog.test.ts, and walking every price of every region costs more than
        // the rest of a cold driver's first request. Catalogs fetched live are validated.
        .then((module) => priceTableFromData(JSON.parse(module.catalogJson) as CatalogData, 'catalog', spec.regionOf));
      loading.catch(() => {
        if (bundled === loading) bundled = undefined;
      });
      bundled = loading;
    }
    return bundled;
  };
  return async (source = 'catalog', options = {}) => {
    if (source === 'catalog') return loadBundled();
    if (source !== 'live') {
      throw new InvalidRequestError(`"priceSource" must be 'catalog' or 'live', got ${JSON.stringify(source)}`, {
        provider: spec.provider,
        operation: 'loadPriceCatalog',
        field: 'priceSource',
      });
    }
    const live = (options.livePrices ?? {}) as Live;
    checkLivePriceOptions(spec.provider, live);
    options.signal?.throwIfAborted();
    const table = await loadBundled();
    const knownTypes = Object.fromEntries(
      table.sizeIds().flatMap((id) => {
        const shape = table.spec(id);
        return shape === undefined ? [] : [[id, shape] as const];
      }),
    );
    const key = `${spec.provider}\u0000${spec.liveCacheKey ? spec.liveCacheKey(live) : (live.endpoint ?? '')}`;
    const data = await cachedLivePrices(
      key,
      live.ttlMs ?? DEFAULT_LIVE_PRICE_TTL_MS,
      () => spec.fetchLive(live, knownTypes),
      options.signal,
    );
    return priceTableFromData(data, 'provider-api', spec.regionOf);
  };
}

/**
 * Builds a {@link Price}, or returns `null` when `hourly` is not a positive finite number.
 * `monthly` defaults to `hourly × 730` (also when it is given but not a positive finite number).
 */
export function makePrice(
  hourly: number | null | undefined,
  details: {
    /** ISO 4217 currency code, e.g. `USD`. */
    currency: string;
    /** Where the figure came from: `catalog` or `provider-api`. */
    source: PriceSource;
    /** ISO date the price is valid on. */
    asOf: string;
    /**
     * Price per month, when the provider states its own (some bill a monthly cap rather than 730 hours).
     *
     * @defaultValue `hourly` × 730 ({@link HOURS_PER_MONTH}), rounded to 10 decimal places
     */
    monthly?: number;
  },
): Price | null {
  if (typeof hourly !== 'number' || !Number.isFinite(hourly) || hourly <= 0) return null;
  const monthly =
    typeof details.monthly === 'number' && Number.isFinite(details.monthly) && details.monthly > 0
      ? details.monthly
      : roundPrice(hourly * HOURS_PER_MONTH);
  return { hourly, monthly, currency: details.currency, source: details.source, asOf: details.asOf };
}

/**
 * Loads the price catalog of a provider that publishes one (its descriptor has a `prices` hook:
 * `aws`, `gce`). `source` `catalog` (default) returns the bundled snapshot, loaded once on first
 * use; `live` fetches the provider's official price source with `options.livePrices` and caches
 * it in memory for its TTL.
 *
 * @throws InvalidRequestError (`field: 'provider'`) for a provider without a price catalog.
 */
export async function loadPriceCatalog(
  provider: ProviderName,
  source: PriceSourceOption = 'catalog',
  options: LoadPriceCatalogOptions = {},
): Promise<PriceCatalog> {
  return loadPriceTable(provider, source, options);
}

/** {@link loadPriceCatalog}, typed with the catalog's metadata and contents. */
export async function loadPriceTable(
  provider: ProviderName,
  source: PriceSourceOption = 'catalog',
  options: LoadPriceCatalogOptions = {},
): Promise<PriceTable> {
  const hook = typeof provider === 'string' ? getProvider(provider)?.prices : undefined;
  if (hook === undefined) {
    throw new InvalidRequestError(`no price catalog for ${JSON.stringify(provider)}: price catalogs exist for 'aws' and 'gce'`, {
      provider: 'polycloud',
      operation: 'loadPriceCatalog',
      field: 'provider',
    });
  }
  const load = await hook();
  return load(source, options);
}

/** Wraps validated {@link CatalogData} as a {@link PriceTable}. */
export function priceTableFromData(
  data: CatalogData,
  source: PriceSource,
  regionOf: (locationId: string) => string | undefined = (locationId) => locationId,
): PriceTable {
  const provider = data.provider;
  const regionAsOf = data.regionAsOf ?? {};
  const dateOf = (region: string): string => (Object.hasOwn(regionAsOf, region) ? regionAsOf[region]! : data.asOf);
  // The whole-catalog views walk every price of every type; a driver's requests need only
  // `price()`, so they are built on first use, not on a cold driver's first request.
  let contents: { regionSet: ReadonlySet<string>; regions: readonly string[]; sizeIds: readonly string[]; newest: string } | undefined;
  const scan = () => {
    if (contents === undefined) {
      const regionSet = new Set<string>();
      for (const type of Object.values(data.types)) for (const region of Object.keys(type.prices)) regionSet.add(region);
      const regions = [...regionSet].sort();
      const sizeIds = Object.keys(data.types)
        .filter((id) => Object.keys(data.types[id]!.prices).length > 0)
        .sort();
      const newest = regions.map(dateOf).reduce((a, b) => (b > a ? b : a), data.asOf);
      contents = { regionSet, regions, sizeIds, newest };
    }
    return contents;
  };
  const cache = new Map<string, Price | null>();
  return {
    provider,
    source,
    currency: data.currency,
    get asOf() {
      return scan().newest;
    },
    sources: data.sources,
    notes: data.notes,
    notices: data.notices ?? [],
    sizeIds: () => [...scan().sizeIds],
    regions: () => [...scan().regions],
    spec(sizeId) {
      const type = Object.hasOwn(data.types, sizeId) ? data.types[sizeId] : undefined;
      if (type === undefined) return undefined;
      const { prices: _prices, ...spec } = type;
      return spec;
    },
    priceAsOf: (region) => (scan().regionSet.has(region) ? dateOf(region) : undefined),
    price(sizeId, location) {
      if (typeof sizeId !== 'string' || typeof location !== 'string') return null;
      const region = regionOf(location) ?? location;
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

/** Rounds to 10 decimal places, dropping float noise from `hourly × 730`. */
function roundPrice(value: number): number {
  return Math.round(value * 1e10) / 1e10;
}
