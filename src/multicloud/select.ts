/**
 * Portable selection: sizes by vCPU, memory, architecture and price across a driver's
 * locations, base images by OS family and version, and the nearest equivalent of a size among
 * another provider's sizes. Used directly and by `MultiCloud` for offers and migration plans.
 *
 * @module
 */
import pLimit from 'p-limit';
import type { Driver } from '../core/driver.js';
import type { Arch, CallOptions, Image, Location, Price, Size } from '../core/types.js';
import { invalid, type CheckContext } from '../core/validate.js';

/** What {@link findSizes} looks for. Every given criterion must hold. */
export interface SizeCriteria {
  /**
   * Fewest virtual CPUs.
   * @defaultValue 0 (any)
   */
  readonly minVcpus?: number;
  /**
   * Least memory in GiB.
   * @defaultValue 0 (any)
   */
  readonly minMemoryGiB?: number;
  /**
   * Only sizes of this architecture. Sizes that do not state theirs are left out, since they
   * cannot be shown to match.
   * @defaultValue any architecture
   */
  readonly arch?: Arch;
  /**
   * Highest hourly price, in the driver's currency. Sizes with an unknown price are left out
   * when this is given.
   * @defaultValue no limit
   */
  readonly maxHourly?: number;
  /**
   * Only these location ids.
   * @defaultValue every location the driver lists
   */
  readonly location?: string | readonly string[];
}

/** What {@link findImage} looks for. */
export interface ImageCriteria {
  /** OS family, e.g. `ubuntu`, `debian` (compared case-insensitively). */
  readonly os: string;
  /** OS version, e.g. `24.04`, `12`. */
  readonly version: string;
  /**
   * Architecture the image must be built for. Images that do not state theirs are left out when
   * this is given.
   * @defaultValue any architecture
   */
  readonly arch?: Arch;
  /**
   * For providers whose images are regional: an image usable in this location.
   * @defaultValue any location
   */
  readonly location?: string;
}

/** Most `listSizes` calls in flight at once when a search spans locations. */
const LOCATION_CONCURRENCY = 4;

const context = (operation: string): CheckContext => ({ provider: 'polycloud', operation });

/**
 * Sizes that meet `criteria` in each location they are offered in, cheapest first. A size
 * offered in several locations appears once per location, priced for it
 * ({@link Size.priceLocation}). Sizes with an unknown price come after every priced one, sorted
 * by how closely they fit. Returns an empty list — never a size that does not fit — when nothing
 * matches.
 */
export async function findSizes(driver: Driver, criteria: SizeCriteria = {}, options: CallOptions = {}): Promise<Size[]> {
  checkSizeCriteria('findSizes', criteria);
  const wanted =
    criteria.location === undefined ? undefined : typeof criteria.location === 'string' ? [criteria.location] : [...criteria.location];
  // The locations as listed, for their regions: AWS sizes name the region, nodes run in its zones.
  const listed = await driver.listLocations(options);
  const locations = wanted ? wanted.map((id) => listed.find((location) => location.id === id) ?? id) : listed;
  const sizes = await sizesInLocations(driver, locations, options);
  return sortByPriceThenFit(
    sizes.filter((size) => sizeMeets(size, criteria)),
    criteria,
  );
}

/**
 * The newest base image of an OS family and version (and architecture, when given), or
 * `undefined` when the provider has none.
 */
export async function findImage(driver: Driver, criteria: ImageCriteria, options: CallOptions = {}): Promise<Image | undefined> {
  const check = context('findImage');
  if (typeof criteria?.os !== 'string' || criteria.os === '') invalid(check, 'os', 'an OS family such as "ubuntu"', criteria?.os);
  if (typeof criteria.version !== 'string' || criteria.version === '')
    invalid(check, 'version', 'an OS version such as "24.04"', criteria.version);
  if (criteria.arch !== undefined && criteria.arch !== 'x86_64' && criteria.arch !== 'arm64')
    invalid(check, 'arch', '"x86_64" or "arm64"', criteria.arch);
  const family = criteria.os.toLowerCase();
  const images = await driver.listImages(
    {
      os: family,
      version: criteria.version,
      ...(criteria.arch ? { arch: criteria.arch } : {}),
      ...(criteria.location ? { location: criteria.location } : {}),
    },
    options,
  );
  return pickImage(images, criteria);
}

/**
 * The newest image in `images` of the OS family and version (and architecture, when given).
 * Drivers filter `listImages` too; checking again here keeps a loose provider-side filter from
 * yielding a wrong image.
 */
export function pickImage(images: readonly Image[], criteria: ImageCriteria): Image | undefined {
  const family = criteria.os.toLowerCase();
  const matching = images.filter(
    (image) =>
      image.os?.family.toLowerCase() === family &&
      image.os.version === criteria.version &&
      (criteria.arch === undefined || image.arch === criteria.arch) &&
      (criteria.location === undefined || image.location === undefined || image.location === criteria.location),
  );
  matching.sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
  return matching[0];
}

/**
 * The size among `candidates` that can replace `size`: at least as many vCPUs and as much
 * memory, the same architecture (when both state one), at least as many GPUs; of those the
 * cheapest, and of equally priced ones the closest fit. Prices are compared only within one
 * currency: candidates priced in a currency other than most candidates', or with an unknown
 * price, are chosen only when no comparably priced candidate fits. `undefined` when nothing fits.
 */
export function equivalentSize(size: Pick<Size, 'vcpus' | 'memoryGiB' | 'arch' | 'gpus'>, candidates: readonly Size[]): Size | undefined {
  const fitting = candidates.filter(
    (candidate) =>
      candidate.vcpus >= size.vcpus &&
      candidate.memoryGiB >= size.memoryGiB &&
      // A candidate of unknown architecture (OpenStack flavors state none) fits: the image, whose
      // architecture is known, then decides.
      (size.arch === undefined || candidate.arch === undefined || candidate.arch === size.arch) &&
      (candidate.gpus ?? 0) >= (size.gpus ?? 0),
  );
  return sortByPriceThenFit(fitting, { minVcpus: size.vcpus, minMemoryGiB: size.memoryGiB })[0];
}

/** Whether a size meets the criteria (price limit included). */
export function sizeMeets(size: Size, criteria: SizeCriteria): boolean {
  if (size.vcpus < (criteria.minVcpus ?? 0)) return false;
  if (size.memoryGiB < (criteria.minMemoryGiB ?? 0)) return false;
  if (criteria.arch !== undefined && size.arch !== criteria.arch) return false;
  if (criteria.maxHourly !== undefined && (size.price === null || size.price.hourly > criteria.maxHourly)) return false;
  return true;
}

/**
 * Lists the sizes of each location (bounded concurrency), keeping only those offered there. A
 * size whose `locations` name the location's region counts as offered in it (AWS lists instance
 * types per region; its zones are locations too): pass locations as listed to have their region
 * known, or bare ids.
 */
export async function sizesInLocations(
  driver: Driver,
  locations: readonly (string | Pick<Location, 'id' | 'region'>)[],
  options: CallOptions = {},
): Promise<Size[]> {
  const limit = pLimit(LOCATION_CONCURRENCY);
  const perLocation = await Promise.all(
    locations.map((each) =>
      limit(async () => {
        const { id: location, region } = typeof each === 'string' ? { id: each, region: undefined } : each;
        const sizes = await driver.listSizes({ location }, options);
        return sizes
          .filter(
            (size) =>
              size.locations === undefined ||
              size.locations.includes(location) ||
              (region !== undefined && size.locations.includes(region)),
          )
          .map((size) => (size.priceLocation === location ? size : { ...size, priceLocation: location }));
      }),
    ),
  );
  return perLocation.flat();
}

/** Checks size criteria, so a typo fails loudly instead of matching everything. */
export function checkSizeCriteria(operation: string, criteria: SizeCriteria): void {
  const check = context(operation);
  if (typeof criteria !== 'object' || criteria === null) invalid(check, 'criteria', 'an object', criteria);
  for (const field of ['minVcpus', 'minMemoryGiB', 'maxHourly'] as const) {
    const value = criteria[field];
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0))
      invalid(check, field, 'a number, 0 or more', value);
  }
  if (criteria.arch !== undefined && criteria.arch !== 'x86_64' && criteria.arch !== 'arm64')
    invalid(check, 'arch', '"x86_64" or "arm64"', criteria.arch);
  if (criteria.location !== undefined) {
    const list = typeof criteria.location === 'string' ? [criteria.location] : criteria.location;
    if (!Array.isArray(list) || list.length === 0 || list.some((each) => typeof each !== 'string' || each === '')) {
      invalid(check, 'location', 'a location id or a non-empty list of them', criteria.location);
    }
  }
}

/** How far a size overshoots the wanted vCPUs and memory, relative to them (0 = exact fit). */
function excess(size: Size, criteria: SizeCriteria): number {
  const vcpus = criteria.minVcpus ? (size.vcpus - criteria.minVcpus) / criteria.minVcpus : size.vcpus;
  const memory = criteria.minMemoryGiB ? (size.memoryGiB - criteria.minMemoryGiB) / criteria.minMemoryGiB : size.memoryGiB;
  return vcpus + memory + (size.gpus ?? 0);
}

/**
 * Cheapest first among sizes priced in the currency most of them are priced in; then sizes
 * priced in other currencies (which cannot be compared with the first ones without an exchange
 * rate), then sizes of unknown price. Ties go to the closest fit, then the id.
 */
function sortByPriceThenFit(sizes: readonly Size[], criteria: SizeCriteria): Size[] {
  const currency = mainCurrency(sizes.map((size) => size.price));
  const band = (price: Price | null) => (price === null ? 2 : price.currency === currency ? 0 : 1);
  return [...sizes].sort(
    (a, b) =>
      band(a.price) - band(b.price) ||
      (a.price && b.price && a.price.currency === b.price.currency ? a.price.hourly - b.price.hourly : 0) ||
      excess(a, criteria) - excess(b, criteria) ||
      a.id.localeCompare(b.id) ||
      (a.priceLocation ?? '').localeCompare(b.priceLocation ?? ''),
  );
}

/** The currency most of the known prices are in (the first seen on a tie); `undefined` when none is known. */
function mainCurrency(prices: readonly (Price | null)[]): string | undefined {
  const counts = new Map<string, number>();
  for (const price of prices) if (price) counts.set(price.currency, (counts.get(price.currency) ?? 0) + 1);
  let best: string | undefined;
  for (const [currency, count] of counts) if (best === undefined || count > (counts.get(best) ?? 0)) best = currency;
  return best;
}
