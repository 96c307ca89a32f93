/**
 * What a simulated cloud offers: locations with real countries and cities, sizes with prices,
 * and base images. Two presets ship, so a demo can run (and migrate between) two clouds.
 *
 * @module
 */
import type { Arch, Continent } from '../core/types.js';

/** A simulated region (or zone). */
export interface SimLocation {
  /** The id nodes are created in and listed by, e.g. `fra1`; unique in the catalog. */
  readonly id: string;
  /** Display name, e.g. `Frankfurt 1`. */
  readonly name: string;
  /** The region the location belongs to; the location's own id when it is a region. */
  readonly region: string;
  /** Set when the location is a zone of `region` (the location is then mapped as `kind: 'zone'`); absent for a region. */
  readonly zone?: string;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
  /** The city the data centre is in, e.g. `Frankfurt`. */
  readonly city: string;
  /** The continent the location is on, for placement rules such as "in Europe". */
  readonly continent: Continent;
  /**
   * Price of any size here is its base price times this.
   * @defaultValue 1
   */
  readonly priceMultiplier?: number;
}

/** A simulated machine size. */
export interface SimSize {
  /** The size id a create names, e.g. `s-1vcpu-1gb`; unique in the catalog. */
  readonly id: string;
  /** Display name, e.g. `Shared 1 vCPU / 1 GiB`. */
  readonly name: string;
  /** Virtual CPUs. */
  readonly vcpus: number;
  /** Memory, in GiB. */
  readonly memoryGiB: number;
  /** Root disk, in GiB. */
  readonly diskGiB: number;
  /** CPU architecture; a create refuses an image of another one. */
  readonly arch: Arch;
  /**
   * GPUs attached.
   * @defaultValue 0
   */
  readonly gpus?: number;
  /**
   * Whether the vCPUs are shared with other tenants (burstable) rather than dedicated.
   * @defaultValue false
   */
  readonly sharedCore?: boolean;
  /** Base hourly price in the catalog currency. */
  readonly hourly: number;
  /**
   * Location ids this size is offered in.
   * @defaultValue every location of the catalog
   */
  readonly locations?: readonly string[];
}

/** A simulated base image. */
export interface SimImage {
  /** The image id a create names, e.g. `ubuntu-24.04-x64`; unique in the catalog. */
  readonly id: string;
  /** Display name, e.g. `Ubuntu 24.04 LTS (x86_64)`. */
  readonly name: string;
  /** The operating system on the image; its family also picks the default login user. */
  readonly os: {
    /** OS family in lower case, e.g. `ubuntu`, `debian`. */
    readonly family: string;
    /** The release, e.g. `24.04`, `12`. */
    readonly version: string;
  };
  /** CPU architecture; only sizes of the same one can boot it. */
  readonly arch: Arch;
  /** ISO date the image was published. */
  readonly createdAt: string;
  /**
   * Whether the image is retired: the `local` driver leaves it out of `listImages`.
   * @defaultValue false
   */
  readonly deprecated?: boolean;
}

/** Everything a simulated cloud offers. */
export interface SimCatalog {
  /** ISO 4217 code every price of the catalog is in, e.g. `USD`. */
  readonly currency: string;
  /** ISO date the catalog's prices are valid on. */
  readonly priceAsOf: string;
  /** Every location of the cloud, in listing order. */
  readonly locations: readonly SimLocation[];
  /** Every size of the cloud, each possibly limited to some locations. */
  readonly sizes: readonly SimSize[];
  /** Every base image; each is available in every location. */
  readonly images: readonly SimImage[];
}

const BASE_IMAGES: readonly SimImage[] = (
  [
    ['ubuntu', '22.04', 'Ubuntu 22.04 LTS', '2026-10-14'],
    ['ubuntu', '24.04', 'Ubuntu 24.04 LTS', '2026-11-02'],
    ['debian', '12', 'Debian 12 (bookworm)', '2026-10-20'],
  ] as const
).flatMap(([family, version, name, createdAt]) =>
  (['x86_64', 'arm64'] as const).map((arch) => ({
    id: `${family}-${version}-${arch === 'x86_64' ? 'x64' : 'arm64'}`,
    name: `${name} (${arch})`,
    os: { family, version },
    arch,
    createdAt,
  })),
);

/** The `standard` preset: seven locations on four continents, thirteen sizes, six base images. */
export const STANDARD_CATALOG: SimCatalog = {
  currency: 'USD',
  priceAsOf: '2026-11-01',
  locations: [
    { id: 'fra1', name: 'Frankfurt 1', region: 'fra1', country: 'DE', city: 'Frankfurt', continent: 'Europe' },
    { id: 'ams1', name: 'Amsterdam 1', region: 'ams1', country: 'NL', city: 'Amsterdam', continent: 'Europe', priceMultiplier: 1.02 },
    { id: 'lon1', name: 'London 1', region: 'lon1', country: 'GB', city: 'London', continent: 'Europe', priceMultiplier: 1.05 },
    { id: 'nyc1', name: 'New York 1', region: 'nyc1', country: 'US', city: 'New York', continent: 'North America', priceMultiplier: 0.95 },
    { id: 'sfo1', name: 'San Francisco 1', region: 'sfo1', country: 'US', city: 'San Francisco', continent: 'North America' },
    { id: 'sgp1', name: 'Singapore 1', region: 'sgp1', country: 'SG', city: 'Singapore', continent: 'Asia', priceMultiplier: 1.1 },
    { id: 'syd1', name: 'Sydney 1', region: 'syd1', country: 'AU', city: 'Sydney', continent: 'Oceania', priceMultiplier: 1.15 },
  ],
  sizes: [
    {
      id: 's-1vcpu-1gb',
      name: 'Shared 1 vCPU / 1 GiB',
      vcpus: 1,
      memoryGiB: 1,
      diskGiB: 25,
      arch: 'x86_64',
      sharedCore: true,
      hourly: 0.0089,
    },
    {
      id: 's-1vcpu-2gb',
      name: 'Shared 1 vCPU / 2 GiB',
      vcpus: 1,
      memoryGiB: 2,
      diskGiB: 50,
      arch: 'x86_64',
      sharedCore: true,
      hourly: 0.0179,
    },
    {
      id: 's-2vcpu-2gb',
      name: 'Shared 2 vCPU / 2 GiB',
      vcpus: 2,
      memoryGiB: 2,
      diskGiB: 60,
      arch: 'x86_64',
      sharedCore: true,
      hourly: 0.0268,
    },
    {
      id: 's-2vcpu-4gb',
      name: 'Shared 2 vCPU / 4 GiB',
      vcpus: 2,
      memoryGiB: 4,
      diskGiB: 80,
      arch: 'x86_64',
      sharedCore: true,
      hourly: 0.0357,
    },
    {
      id: 's-4vcpu-8gb',
      name: 'Shared 4 vCPU / 8 GiB',
      vcpus: 4,
      memoryGiB: 8,
      diskGiB: 160,
      arch: 'x86_64',
      sharedCore: true,
      hourly: 0.0714,
    },
    {
      id: 's-8vcpu-16gb',
      name: 'Shared 8 vCPU / 16 GiB',
      vcpus: 8,
      memoryGiB: 16,
      diskGiB: 320,
      arch: 'x86_64',
      sharedCore: true,
      hourly: 0.1429,
    },
    { id: 'c-4vcpu-8gb', name: 'CPU-optimised 4 vCPU / 8 GiB', vcpus: 4, memoryGiB: 8, diskGiB: 50, arch: 'x86_64', hourly: 0.125 },
    { id: 'c-8vcpu-16gb', name: 'CPU-optimised 8 vCPU / 16 GiB', vcpus: 8, memoryGiB: 16, diskGiB: 100, arch: 'x86_64', hourly: 0.25 },
    { id: 'm-2vcpu-16gb', name: 'Memory-optimised 2 vCPU / 16 GiB', vcpus: 2, memoryGiB: 16, diskGiB: 50, arch: 'x86_64', hourly: 0.125 },
    { id: 'm-4vcpu-32gb', name: 'Memory-optimised 4 vCPU / 32 GiB', vcpus: 4, memoryGiB: 32, diskGiB: 100, arch: 'x86_64', hourly: 0.25 },
    {
      id: 'a-2vcpu-4gb',
      name: 'Arm 2 vCPU / 4 GiB',
      vcpus: 2,
      memoryGiB: 4,
      diskGiB: 80,
      arch: 'arm64',
      hourly: 0.0288,
      locations: ['fra1', 'ams1', 'nyc1', 'sgp1'],
    },
    {
      id: 'a-4vcpu-8gb',
      name: 'Arm 4 vCPU / 8 GiB',
      vcpus: 4,
      memoryGiB: 8,
      diskGiB: 160,
      arch: 'arm64',
      hourly: 0.0576,
      locations: ['fra1', 'ams1', 'nyc1', 'sgp1'],
    },
    {
      id: 'g-8vcpu-32gb',
      name: 'GPU 8 vCPU / 32 GiB / 1 GPU',
      vcpus: 8,
      memoryGiB: 32,
      diskGiB: 200,
      arch: 'x86_64',
      gpus: 1,
      hourly: 0.95,
      locations: ['nyc1', 'fra1'],
    },
  ],
  images: BASE_IMAGES,
};

/** The `budget` preset: a cheaper cloud with fewer locations (five, on four continents). */
export const BUDGET_CATALOG: SimCatalog = {
  currency: 'EUR',
  priceAsOf: '2026-11-01',
  locations: [
    { id: 'de-nbg', name: 'Nuremberg', region: 'de-nbg', country: 'DE', city: 'Nuremberg', continent: 'Europe' },
    { id: 'fi-hel', name: 'Helsinki', region: 'fi-hel', country: 'FI', city: 'Helsinki', continent: 'Europe' },
    { id: 'us-ash', name: 'Ashburn', region: 'us-ash', country: 'US', city: 'Ashburn', continent: 'North America', priceMultiplier: 1.1 },
    { id: 'jp-tyo', name: 'Tokyo', region: 'jp-tyo', country: 'JP', city: 'Tokyo', continent: 'Asia', priceMultiplier: 1.25 },
    {
      id: 'br-sao',
      name: 'São Paulo',
      region: 'br-sao',
      country: 'BR',
      city: 'São Paulo',
      continent: 'South America',
      priceMultiplier: 1.3,
    },
  ],
  sizes: [
    {
      id: 'b1-small',
      name: 'B1 Small (1 vCPU, 2 GiB)',
      vcpus: 1,
      memoryGiB: 2,
      diskGiB: 20,
      arch: 'x86_64',
      sharedCore: true,
      hourly: 0.0061,
    },
    {
      id: 'b2-medium',
      name: 'B2 Medium (2 vCPU, 4 GiB)',
      vcpus: 2,
      memoryGiB: 4,
      diskGiB: 40,
      arch: 'x86_64',
      sharedCore: true,
      hourly: 0.0095,
    },
    {
      id: 'b3-large',
      name: 'B3 Large (4 vCPU, 8 GiB)',
      vcpus: 4,
      memoryGiB: 8,
      diskGiB: 80,
      arch: 'x86_64',
      sharedCore: true,
      hourly: 0.0178,
    },
    {
      id: 'b4-xlarge',
      name: 'B4 XLarge (8 vCPU, 16 GiB)',
      vcpus: 8,
      memoryGiB: 16,
      diskGiB: 160,
      arch: 'x86_64',
      sharedCore: true,
      hourly: 0.0351,
    },
    { id: 'd2-medium', name: 'D2 Dedicated (2 vCPU, 8 GiB)', vcpus: 2, memoryGiB: 8, diskGiB: 80, arch: 'x86_64', hourly: 0.0253 },
    { id: 'd4-large', name: 'D4 Dedicated (4 vCPU, 16 GiB)', vcpus: 4, memoryGiB: 16, diskGiB: 160, arch: 'x86_64', hourly: 0.0505 },
    {
      id: 'r2-medium',
      name: 'R2 Arm (2 vCPU, 4 GiB)',
      vcpus: 2,
      memoryGiB: 4,
      diskGiB: 40,
      arch: 'arm64',
      hourly: 0.0068,
      locations: ['de-nbg', 'fi-hel'],
    },
    {
      id: 'r4-large',
      name: 'R4 Arm (4 vCPU, 8 GiB)',
      vcpus: 4,
      memoryGiB: 8,
      diskGiB: 80,
      arch: 'arm64',
      hourly: 0.0122,
      locations: ['de-nbg', 'fi-hel'],
    },
  ],
  images: BASE_IMAGES,
};

/** The catalog presets by name. */
export const SIM_PRESETS = {
  /** {@link STANDARD_CATALOG}: USD, seven locations, thirteen sizes. */
  standard: STANDARD_CATALOG,
  /** {@link BUDGET_CATALOG}: EUR, five locations, eight cheaper sizes. */
  budget: BUDGET_CATALOG,
} as const;

/** Names of the catalog presets. */
export type SimPresetName = keyof typeof SIM_PRESETS;

/** The price of `size` in `location`, rounded to four decimals per hour and two per month. */
export function simPrice(
  size: SimSize,
  location: SimLocation,
): {
  /** Price per hour in the catalog currency: the size's base price times the location's multiplier. */
  hourly: number;
  /** Price per month (730 hours) in the catalog currency. */
  monthly: number;
} {
  const hourly = Math.round(size.hourly * (location.priceMultiplier ?? 1) * 10_000) / 10_000;
  return { hourly, monthly: Math.round(hourly * 730 * 100) / 100 };
}

/** Whether `size` is offered in `locationId`. */
export function sizeOfferedIn(size: SimSize, locationId: string): boolean {
  return !size.locations || size.locations.includes(locationId);
}
