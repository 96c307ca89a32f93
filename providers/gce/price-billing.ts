/**
 * Compute Engine prices from the Cloud Billing Catalog API: the on-demand per-vCPU, per-GiB,
 * per-GPU and local-SSD rates of each machine family and region
 * (`/v1/services/6F81-5844-456A/skus`), combined with each machine type's vCPUs and memory
 * into a price per machine type and region.
 *
 * @module
 */
import {
  CatalogFormatError,
  checkEndpoint,
  ConfigurationError,
  fetchJson,
  HOURS_PER_MONTH,
  ListingGuard,
  registerSecret,
  validateCatalogData,
  type CatalogData,
  type CatalogType,
  type ListingBounds,
  type RetryOptions,
} from '../../src/kit.js';

/** The public Cloud Billing API host. */
export const GCE_BILLING_ENDPOINT = 'https://cloudbilling.googleapis.com';

/** Service id of Compute Engine in the Cloud Billing Catalog. */
export const COMPUTE_ENGINE_SERVICE_ID = '6F81-5844-456A';

/** A machine type's shape: what its price is computed from. */
export type MachineTypeSpec = Omit<CatalogType, 'prices'>;

/** Options of {@link fetchGceBillingCatalog}. */
export interface GceBillingOptions {
  /**
   * Base URL of the Cloud Billing API (a mirror, or a test fake).
   * @defaultValue {@link GCE_BILLING_ENDPOINT}
   */
  readonly endpoint?: string;
  /** API key for the Cloud Billing API, sent as `X-Goog-Api-Key`. One of `apiKey`/`accessToken` is required. */
  readonly apiKey?: string;
  /** OAuth 2 access token, sent as a bearer token. */
  readonly accessToken?: string;
  /** Machine types to price, with vCPUs (fraction of a core for shared-core types), memory, GPUs, local SSD. */
  readonly machineTypes: Readonly<Record<string, MachineTypeSpec>>;
  /**
   * SKUs per page.
   * @defaultValue 5000 (the API's maximum)
   */
  readonly pageSize?: number;
  readonly signal?: AbortSignal;
  readonly retry?: RetryOptions;
  /**
   * The page cap and listing deadline, as for every listing (a SKU page holds at most 5000 SKUs;
   * Compute Engine has a few tens of thousands, so a handful of pages).
   *
   * @defaultValue `DEFAULT_BOUNDS` (1 000 pages, 10 minutes)
   */
  readonly bounds?: ListingBounds;
}

type Component = 'core' | 'ram' | 'localssd' | 'f1-micro' | 'g1-small' | `gpu:${string}`;

interface Rate {
  readonly hourly: number;
  /** Rates from a SKU for one region win over multi-region (`Americas`) SKUs. */
  readonly specific: boolean;
}

/**
 * Lists every Compute Engine SKU and prices `machineTypes` in every region whose SKUs cover all
 * of a type's components. A type or region with any component missing gets no price (never a
 * guess). Throws {@link CatalogFormatError} for a malformed or truncated page.
 */
export async function fetchGceBillingCatalog(options: GceBillingOptions): Promise<CatalogData> {
  const endpoint = checkEndpoint(options.endpoint ?? GCE_BILLING_ENDPOINT, 'gce', 'endpoint');
  const headers = authHeaders(options);
  const url = `${endpoint}/v1/services/${COMPUTE_ENGINE_SERVICE_ID}/skus`;
  const rates = new Map<string, Rate>();
  let newest = '';
  let pageToken = '';
  // The same page cap and listing deadline as every driver listing, ending in the same typed errors.
  const guard = new ListingGuard({ provider: 'gce', operation: 'fetchPrices' }, options.bounds);
  for (let page = 0; ; page += 1) {
    guard.beforePage();
    const params: Record<string, string> = { currencyCode: 'USD', pageSize: String(options.pageSize ?? 5000) };
    if (pageToken !== '') params.pageToken = pageToken;
    const body = await fetchJson({
      url,
      params,
      headers,
      provider: 'gce',
      operation: 'fetchPrices',
      signal: options.signal,
      retry: options.retry,
    });
    if (!isRecord(body) || !Array.isArray(body.skus)) throw formatError(`${url} page ${page + 1}: no "skus" array`);
    for (const sku of body.skus) {
      const effective = collectRate(sku, rates, `${url} page ${page + 1}`);
      if (effective > newest) newest = effective;
    }
    pageToken = typeof body.nextPageToken === 'string' ? body.nextPageToken : '';
    if (pageToken === '') break;
  }
  const types = priceMachineTypes(options.machineTypes, rates);
  if (Object.keys(types).length === 0) {
    throw formatError(`${url}: no machine type could be priced (no on-demand core/RAM SKUs; truncated listing?)`);
  }
  const asOf = newest || new Date().toISOString().slice(0, 10);
  const data: CatalogData = {
    format: 1,
    provider: 'gce',
    currency: 'USD',
    basis: 'On-demand list price per machine type and region (vCPU + memory + bundled GPU/local SSD), no SUD/CUD; USD per hour',
    asOf,
    generatedAt: new Date().toISOString(),
    sources: [
      {
        role: 'per-vCPU, per-GiB, GPU and local SSD rates per family and region',
        origin: `${url}`,
        date: asOf,
        license: 'Cloud Billing Catalog API (public pricing data, Google APIs Terms of Service)',
      },
    ],
    notes: [
      'Machine type price = vCPUs × core rate + memory GiB × RAM rate (+ GPUs, + bundled local SSD at its monthly rate / 730).',
      'Types with a component the catalog lacks (e.g. m2 upgrade premium) have no price rather than a partial one.',
    ],
    types,
  };
  return validateCatalogData(data, 'gce');
}

function authHeaders(options: GceBillingOptions): Record<string, string> {
  if (options.accessToken) {
    registerSecret(options.accessToken);
    return { authorization: `Bearer ${options.accessToken}` };
  }
  if (options.apiKey) {
    registerSecret(options.apiKey);
    return { 'x-goog-api-key': options.apiKey };
  }
  throw new ConfigurationError('the Cloud Billing Catalog API needs an API key (apiKey) or an OAuth access token (accessToken)', {
    provider: 'gce',
    operation: 'fetchPrices',
  });
}

/** Records the on-demand rate of one SKU; returns its effective date (or ''). Throws on malformed SKUs. */
function collectRate(sku: unknown, rates: Map<string, Rate>, where: string): string {
  if (!isRecord(sku) || typeof sku.description !== 'string' || !isRecord(sku.category)) {
    throw formatError(`${where}: a SKU without "description"/"category"`);
  }
  const family = sku.category.resourceFamily;
  if (sku.category.usageType !== 'OnDemand' || (family !== 'Compute' && family !== 'Storage')) return '';
  const parsed = parseDescription(sku.description);
  if (parsed === undefined) return '';
  const regions = Array.isArray(sku.serviceRegions) ? sku.serviceRegions.filter((r): r is string => typeof r === 'string') : [];
  const pricing = Array.isArray(sku.pricingInfo) ? sku.pricingInfo.at(-1) : undefined;
  if (!isRecord(pricing) || !isRecord(pricing.pricingExpression))
    throw formatError(`${where}: SKU ${String(sku.skuId)} has no "pricingInfo[].pricingExpression"`);
  const expression = pricing.pricingExpression;
  const perHour = unitToHours(expression.usageUnit);
  if (perHour === undefined) return '';
  const unitPrice = listRate(expression.tieredRates, `${where}: SKU ${String(sku.skuId)}`);
  if (unitPrice === undefined) return '';
  const hourly = unitPrice * perHour;
  const specific = regions.length === 1;
  for (const region of regions) {
    const key = `${parsed.family}|${parsed.component}|${region}`;
    const existing = rates.get(key);
    if (existing === undefined || (specific && !existing.specific)) rates.set(key, { hourly, specific });
  }
  return typeof pricing.effectiveTime === 'string' ? pricing.effectiveTime.slice(0, 10) : '';
}

/** Family and component named by an on-demand SKU description, or `undefined` for SKUs that price no machine type. */
export function parseDescription(description: string): { family: string; component: Component } | undefined {
  const text = description.replace(/\s+running in .*$/i, '').trim();
  if (/^Micro Instance with burstable CPU$/i.test(text)) return { family: 'f1', component: 'f1-micro' };
  if (/^Small Instance with 1 VCPU$/i.test(text)) return { family: 'g1', component: 'g1-small' };
  if (/^SSD backed Local Storage$/i.test(text)) return { family: '*', component: 'localssd' };
  const gpu = /^Nvidia (?:Tesla )?(.+?) GPU$/i.exec(text);
  if (gpu) return { family: '*', component: `gpu:${gpu[1]!.toLowerCase().replace(/\s+/g, '-')}` };
  const machine =
    /^(?:([A-Z][A-Z0-9]*) )?(?:(?:AMD|Arm|Intel|Predefined) )?(Memory-optimized |Compute[- ]optimized )?(?:Instance )?(Core|Ram)$/i.exec(
      text,
    );
  if (!machine) return undefined;
  const [, series, optimized, kind] = machine;
  const family = series
    ? series.toLowerCase()
    : /^memory/i.test(optimized ?? '')
      ? 'm1'
      : /^compute/i.test(optimized ?? '')
        ? 'c2'
        : undefined;
  if (family === undefined) return undefined;
  return { family, component: kind!.toLowerCase() === 'core' ? 'core' : 'ram' };
}

/** Multiplier from the SKU's usage unit to one hour; `undefined` for units no machine type uses. */
function unitToHours(unit: unknown): number | undefined {
  switch (unit) {
    case 'h':
    case 'GiBy.h':
      return 1;
    case 'GiBy.mo':
      return 1 / HOURS_PER_MONTH;
    default:
      return undefined;
  }
}

/** The list rate: the first tier, or the first paid tier after a free allowance. */
function listRate(tiers: unknown, where: string): number | undefined {
  if (!Array.isArray(tiers) || tiers.length === 0) throw formatError(`${where}: no "tieredRates"`);
  for (const tier of tiers) {
    if (!isRecord(tier) || !isRecord(tier.unitPrice)) throw formatError(`${where}: a tier without "unitPrice"`);
    const { units, nanos, currencyCode } = tier.unitPrice;
    if (currencyCode !== undefined && currencyCode !== 'USD') throw formatError(`${where}: currency ${String(currencyCode)}, expected USD`);
    const whole = Number(units ?? 0);
    const fraction = Number(nanos ?? 0);
    if (!Number.isFinite(whole) || !Number.isFinite(fraction) || whole < 0 || fraction < 0) {
      throw formatError(`${where}: unitPrice is not a price: ${JSON.stringify(tier.unitPrice)}`);
    }
    const price = whole + fraction / 1e9;
    if (price > 0) return price;
  }
  return undefined;
}

function priceMachineTypes(machineTypes: GceBillingOptions['machineTypes'], rates: ReadonlyMap<string, Rate>): Record<string, CatalogType> {
  const regions = new Set<string>();
  for (const key of rates.keys()) regions.add(key.slice(key.lastIndexOf('|') + 1));
  const rate = (family: string, component: Component, region: string) => rates.get(`${family}|${component}|${region}`)?.hourly;
  const out: Record<string, CatalogType> = {};
  for (const name of Object.keys(machineTypes).sort()) {
    const spec = machineTypes[name]!;
    const family = name.split('-')[0]!;
    const prices: Record<string, number> = {};
    for (const region of [...regions].sort()) {
      const total = priceOne(name, family, spec, region, rate);
      if (total !== undefined && total > 0) prices[region] = Math.round(total * 1e8) / 1e8;
    }
    if (Object.keys(prices).length > 0) out[name] = { ...spec, prices };
  }
  return out;
}

function priceOne(
  name: string,
  family: string,
  spec: MachineTypeSpec,
  region: string,
  rate: (family: string, component: Component, region: string) => number | undefined,
): number | undefined {
  if (name === 'f1-micro' || name === 'g1-small') return rate(family, name, region);
  const core = rate(family, 'core', region);
  const ram = rate(family, 'ram', region);
  if (core === undefined || ram === undefined) return undefined;
  let total = spec.vcpus * core + spec.memoryGiB * ram;
  for (const [model, count] of Object.entries(spec.gpus ?? {})) {
    const gpu = rate('*', `gpu:${model}`, region);
    if (gpu === undefined) return undefined;
    total += count * gpu;
  }
  if (spec.localSsdGiB) {
    const ssd = rate('*', 'localssd', region);
    if (ssd === undefined) return undefined;
    total += spec.localSsdGiB * ssd;
  }
  return total;
}

function formatError(detail: string): CatalogFormatError {
  return new CatalogFormatError(detail, { provider: 'gce', operation: 'fetchPrices' });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
