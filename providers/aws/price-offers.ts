/**
 * EC2 prices from the AWS Price List bulk API: the regional offer files
 * (`/offers/v1.0/aws/AmazonEC2/current/<region>/index.csv` or `index.json`), reduced to Linux,
 * shared-tenancy, on-demand hourly prices per instance type.
 *
 * @module
 */
import {
  CatalogFormatError,
  checkEndpoint,
  fanOut,
  fetchJson,
  fetchLines,
  validateCatalogData,
  type Arch,
  type CatalogData,
  type CatalogType,
  type RetryOptions,
} from '../../src/kit.js';
import { parseMemoryGiB, readAwsOfferCsv } from './price-offer-csv.js';

/** The public AWS Price List bulk API host. */
export const AWS_PRICE_LIST_ENDPOINT = 'https://pricing.us-east-1.amazonaws.com';

const OFFER_PATH = '/offers/v1.0/aws/AmazonEC2/current';

/** Options of {@link fetchAwsOfferCatalog}. */
export interface AwsOfferOptions {
  /**
   * Base URL of the price list (a mirror, or a test fake).
   * @defaultValue {@link AWS_PRICE_LIST_ENDPOINT}
   */
  readonly endpoint?: string;
  /**
   * Regions to fetch.
   * @defaultValue every region in the offer's `region_index.json`
   */
  readonly regions?: readonly string[];
  /** Size specs to fall back on for the arch of a type the offer file does not make clear. */
  readonly knownTypes?: Readonly<Record<string, Pick<CatalogType, 'arch'>>>;
  /**
   * Which edition of the offer files to read. `csv` is streamed line by line, so even the largest
   * regions' files (gigabytes) never sit in memory; `json` is parsed whole and is refused above 500 MB.
   * @defaultValue `csv`
   */
  readonly format?: 'csv' | 'json';
  /**
   * Regions fetched at once.
   * @defaultValue 4
   */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  readonly retry?: RetryOptions;
}

interface RegionPrices {
  readonly region: string;
  readonly publicationDate: string;
  readonly types: Map<string, { vcpus: number; memoryGiB: number; arch: Arch; hourly: number }>;
}

/**
 * Downloads the regional EC2 offer files and builds a {@link CatalogData}. A file that is not a
 * complete EC2 offer (truncated, malformed, no Linux on-demand prices) fails the whole call
 * with a {@link CatalogFormatError} naming it.
 */
export async function fetchAwsOfferCatalog(options: AwsOfferOptions = {}): Promise<CatalogData> {
  const endpoint = checkEndpoint(options.endpoint ?? AWS_PRICE_LIST_ENDPOINT, 'aws', 'endpoint');
  const regions = options.regions ?? (await listOfferRegions(endpoint, options));
  const perRegion = await fanOut(regions, async (region) => [await fetchRegion(endpoint, region, options)], {
    concurrency: options.concurrency ?? 4,
    provider: 'aws',
    operation: 'fetchPrices',
  });
  const types: Record<string, { vcpus: number; memoryGiB: number; arch: Arch; prices: Record<string, number> }> = {};
  const regionAsOf: Record<string, string> = {};
  for (const { region, publicationDate, types: found } of perRegion) {
    regionAsOf[region] = publicationDate;
    for (const [name, entry] of found) {
      const type = (types[name] ??= { vcpus: entry.vcpus, memoryGiB: entry.memoryGiB, arch: entry.arch, prices: {} });
      type.prices[region] = entry.hourly;
    }
  }
  const dates = Object.values(regionAsOf).sort();
  const asOf = dates.at(-1) ?? new Date().toISOString().slice(0, 10);
  const sortedTypes = Object.fromEntries(Object.entries(types).sort(([a], [b]) => a.localeCompare(b)));
  const data: CatalogData = {
    format: 1,
    provider: 'aws',
    currency: 'USD',
    basis: 'On-demand, Linux, shared tenancy, no pre-installed software; USD per hour',
    asOf,
    regionAsOf: Object.fromEntries(Object.entries(regionAsOf).filter(([, date]) => date !== asOf)),
    generatedAt: new Date().toISOString(),
    sources: [
      {
        role: 'price per instance type and region',
        origin: `${endpoint}${OFFER_PATH}/<region>/index.${options.format ?? 'csv'}`,
        date: asOf,
        license: 'AWS Price List API (public pricing data, AWS Site Terms)',
      },
    ],
    notes: [`Fetched from the AWS Price List bulk API offer files of ${regions.length} region(s).`],
    types: sortedTypes,
  };
  return validateCatalogData(data, 'aws');
}

/** Region codes listed in the EC2 offer's `region_index.json`. */
async function listOfferRegions(endpoint: string, options: AwsOfferOptions): Promise<string[]> {
  const url = `${endpoint}${OFFER_PATH}/region_index.json`;
  const index = await fetchJson({ url, provider: 'aws', operation: 'fetchPrices', signal: options.signal, retry: options.retry });
  const regions = isRecord(index) && isRecord(index.regions) ? Object.keys(index.regions) : [];
  if (regions.length === 0)
    throw new CatalogFormatError(`${url}: no "regions" in the region index`, { provider: 'aws', operation: 'fetchPrices' });
  return regions.sort();
}

async function fetchRegion(endpoint: string, region: string, options: AwsOfferOptions): Promise<RegionPrices> {
  const format = options.format ?? 'csv';
  const url = `${endpoint}${OFFER_PATH}/${encodeURIComponent(region)}/index.${format}`;
  const request = { url, provider: 'aws', operation: 'fetchPrices', signal: options.signal, retry: options.retry } as const;
  if (format === 'json') return parseAwsOffer(await fetchJson(request), region, url, options.knownTypes);
  const archOf = (instanceType: string, processor: string) => guessArch(instanceType, processor, options.knownTypes);
  const { publicationDate, types } = await fetchLines(request, (lines) => readAwsOfferCsv(lines, region, url, archOf));
  return { region, publicationDate, types };
}

function guessArch(instanceType: string, processor: string, knownTypes: AwsOfferOptions['knownTypes'] = {}): Arch {
  const known = Object.hasOwn(knownTypes, instanceType) ? knownTypes[instanceType]?.arch : undefined;
  return known ?? (/graviton|arm/i.test(processor) ? 'arm64' : 'x86_64');
}

/**
 * Reduces one parsed EC2 offer file to Linux / shared / on-demand / no-software hourly prices
 * by instance type. Throws {@link CatalogFormatError} when the file is not a usable offer.
 */
export function parseAwsOffer(offer: unknown, region: string, where: string, knownTypes: AwsOfferOptions['knownTypes'] = {}): RegionPrices {
  const fail = (what: string): never => {
    throw new CatalogFormatError(`${where}: ${what}`, { provider: 'aws', operation: 'fetchPrices' });
  };
  if (!isRecord(offer)) return fail('not a JSON object');
  if (offer.offerCode !== 'AmazonEC2') fail(`offerCode is ${JSON.stringify(offer.offerCode)}, expected "AmazonEC2"`);
  if (!isRecord(offer.products)) return fail('no "products"');
  if (!isRecord(offer.terms) || !isRecord(offer.terms.OnDemand)) return fail('no "terms.OnDemand"');
  const published = typeof offer.publicationDate === 'string' ? offer.publicationDate.slice(0, 10) : '';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(published)) fail('no ISO "publicationDate"');
  const onDemand = offer.terms.OnDemand;
  const types: RegionPrices['types'] = new Map();
  for (const [sku, product] of Object.entries(offer.products)) {
    if (!isRecord(product) || !isRecord(product.attributes)) fail(`product ${sku} has no "attributes"`);
    const attributes = (product as { attributes: Record<string, unknown> }).attributes;
    if (!isLinuxOnDemandInstance(product as Record<string, unknown>, attributes, region)) continue;
    const instanceType = String(attributes.instanceType);
    const hourly = onDemandHourly(onDemand[sku], sku, fail);
    if (hourly === undefined) continue;
    const vcpus = Number(attributes.vcpu);
    const memoryGiB = parseMemoryGiB(attributes.memory);
    if (!(vcpus > 0) || memoryGiB === undefined) continue;
    types.set(instanceType, {
      vcpus,
      memoryGiB,
      arch: guessArch(instanceType, String(attributes.physicalProcessor ?? ''), knownTypes),
      hourly,
    });
  }
  if (types.size === 0) fail(`no Linux on-demand instance prices for ${region} (truncated or not an EC2 offer file?)`);
  return { region, publicationDate: published, types };
}

function isLinuxOnDemandInstance(product: Record<string, unknown>, a: Record<string, unknown>, region: string): boolean {
  return (
    typeof product.productFamily === 'string' &&
    product.productFamily.startsWith('Compute Instance') &&
    typeof a.instanceType === 'string' &&
    a.operatingSystem === 'Linux' &&
    a.tenancy === 'Shared' &&
    a.preInstalledSw === 'NA' &&
    (a.licenseModel === undefined || a.licenseModel === 'No License required') &&
    (a.capacitystatus === undefined || a.capacitystatus === 'Used') &&
    (a.operation === undefined || a.operation === 'RunInstances') &&
    (a.marketoption === undefined || a.marketoption === 'OnDemand') &&
    (a.regionCode === undefined || a.regionCode === region)
  );
}

/** The USD per-hour rate of a SKU's on-demand term; `undefined` when it has none or it is 0. */
function onDemandHourly(terms: unknown, sku: string, fail: (what: string) => never): number | undefined {
  if (!isRecord(terms)) return undefined;
  for (const term of Object.values(terms)) {
    if (!isRecord(term) || !isRecord(term.priceDimensions)) fail(`on-demand term of ${sku} has no "priceDimensions"`);
    for (const dimension of Object.values((term as { priceDimensions: Record<string, unknown> }).priceDimensions)) {
      if (!isRecord(dimension) || !isRecord(dimension.pricePerUnit)) fail(`price dimension of ${sku} has no "pricePerUnit"`);
      const { unit, pricePerUnit } = dimension as { unit?: unknown; pricePerUnit: Record<string, unknown> };
      if (unit !== 'Hrs') continue;
      const usd = pricePerUnit.USD;
      const hourly = typeof usd === 'string' ? Number(usd) : Number.NaN;
      if (!Number.isFinite(hourly) || hourly < 0) fail(`price of ${sku} is not a number: ${JSON.stringify(usd)}`);
      // A $0 Linux rate marks a reservation-only or capacity-block SKU, not a free instance.
      return hourly > 0 ? hourly : undefined;
    }
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
