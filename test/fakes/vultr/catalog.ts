/**
 * What the Vultr fake offers: Vultr's region ids with the city, country and continent strings its
 * `/regions` answers carry, plans with their monthly and hourly prices (USD), and operating
 * systems as `/os` lists them (ids as integers, the version only inside the name), as a simulator
 * catalog. Figures follow Vultr's public price list; the monthly ones are whole dollars because
 * the 2023 document types `monthly_cost` as an integer.
 */
import type { SimCatalog, SimImage } from '../../../src/simulator/index.js';

/** A region as `GET /regions` sends it (Vultr's own words: "New Jersey", continent "Australia"). */
export interface VultrFakeRegion {
  readonly id: string;
  readonly city: string;
  readonly country: string;
  readonly continent: string;
  readonly options: readonly string[];
}

export const VULTR_FAKE_REGIONS: readonly VultrFakeRegion[] = [
  { id: 'ewr', city: 'New Jersey', country: 'US', continent: 'North America', options: ['ddos_protection', 'block_storage_high_perf'] },
  { id: 'fra', city: 'Frankfurt', country: 'DE', continent: 'Europe', options: ['ddos_protection', 'block_storage_storage_opt'] },
  { id: 'ams', city: 'Amsterdam', country: 'NL', continent: 'Europe', options: ['ddos_protection'] },
  { id: 'lhr', city: 'London', country: 'GB', continent: 'Europe', options: ['ddos_protection'] },
  { id: 'sgp', city: 'Singapore', country: 'SG', continent: 'Asia', options: ['ddos_protection'] },
  { id: 'syd', city: 'Sydney', country: 'AU', continent: 'Australia', options: ['ddos_protection'] },
];

/** Plan facts beyond the simulator's: monthly price, bandwidth and type. */
export const VULTR_PLAN_FACTS: Readonly<Record<string, { readonly monthly: number; readonly bandwidth: number; readonly type: string }>> = {
  'vc2-1c-1gb': { monthly: 5, bandwidth: 1024, type: 'vc2' },
  'vc2-1c-2gb': { monthly: 10, bandwidth: 2048, type: 'vc2' },
  'vc2-2c-4gb': { monthly: 20, bandwidth: 3072, type: 'vc2' },
  'vc2-4c-8gb': { monthly: 40, bandwidth: 4096, type: 'vc2' },
  'vhf-1c-2gb': { monthly: 12, bandwidth: 2048, type: 'vhf' },
  'vhf-2c-4gb': { monthly: 24, bandwidth: 3072, type: 'vhf' },
  'voc-g-2c-8gb-50s-amd': { monthly: 60, bandwidth: 4096, type: 'voc' },
};

/** Entries of `/os` that are not operating systems (Vultr lists them with these exact ids). */
export const VULTR_NON_OS_ENTRIES = [
  { id: 159, name: 'Custom', arch: 'x64', family: 'iso' },
  { id: 164, name: 'Snapshot', arch: 'x64', family: 'snapshot' },
  { id: 180, name: 'Backup', arch: 'x64', family: 'backup' },
  { id: 186, name: 'Application', arch: 'x64', family: 'application' },
] as const;

const os = (id: number, name: string, family: string, version: string, arch: 'x86_64' | 'arm64', createdAt: string): SimImage => ({
  id: String(id),
  name,
  os: { family, version },
  arch,
  createdAt,
});

const region = (id: string, country: string, city: string, continent: 'North America' | 'Europe' | 'Asia' | 'Oceania') => ({
  id,
  name: city,
  region: id,
  country,
  city,
  continent,
});

/** Vultr as a simulator catalog (prices per hour, USD). */
export const VULTR_CATALOG: SimCatalog = {
  currency: 'USD',
  priceAsOf: '2026-11-01',
  locations: [
    region('ewr', 'US', 'New Jersey', 'North America'),
    region('fra', 'DE', 'Frankfurt', 'Europe'),
    region('ams', 'NL', 'Amsterdam', 'Europe'),
    region('lhr', 'GB', 'London', 'Europe'),
    region('sgp', 'SG', 'Singapore', 'Asia'),
    region('syd', 'AU', 'Sydney', 'Oceania'),
  ],
  sizes: [
    { id: 'vc2-1c-1gb', name: 'vc2-1c-1gb', vcpus: 1, memoryGiB: 1, diskGiB: 25, arch: 'x86_64', sharedCore: true, hourly: 0.007 },
    { id: 'vc2-1c-2gb', name: 'vc2-1c-2gb', vcpus: 1, memoryGiB: 2, diskGiB: 55, arch: 'x86_64', sharedCore: true, hourly: 0.015 },
    { id: 'vc2-2c-4gb', name: 'vc2-2c-4gb', vcpus: 2, memoryGiB: 4, diskGiB: 80, arch: 'x86_64', sharedCore: true, hourly: 0.03 },
    { id: 'vc2-4c-8gb', name: 'vc2-4c-8gb', vcpus: 4, memoryGiB: 8, diskGiB: 160, arch: 'x86_64', sharedCore: true, hourly: 0.06 },
    { id: 'vhf-1c-2gb', name: 'vhf-1c-2gb', vcpus: 1, memoryGiB: 2, diskGiB: 64, arch: 'x86_64', sharedCore: true, hourly: 0.018 },
    { id: 'vhf-2c-4gb', name: 'vhf-2c-4gb', vcpus: 2, memoryGiB: 4, diskGiB: 128, arch: 'x86_64', sharedCore: true, hourly: 0.036 },
    {
      id: 'voc-g-2c-8gb-50s-amd',
      name: 'voc-g-2c-8gb-50s-amd',
      vcpus: 2,
      memoryGiB: 8,
      diskGiB: 50,
      arch: 'x86_64',
      hourly: 0.089,
      locations: ['ewr', 'fra'],
    },
  ],
  images: [
    os(1743, 'Ubuntu 22.04 LTS x64', 'ubuntu', '22.04', 'x86_64', '2022-04-21'),
    os(2284, 'Ubuntu 24.04 LTS x64', 'ubuntu', '24.04', 'x86_64', '2024-04-25'),
    os(2136, 'Debian 12 x64 (bookworm)', 'debian', '12', 'x86_64', '2023-06-10'),
    os(2290, 'Ubuntu 24.04 LTS arm64', 'ubuntu', '24.04', 'arm64', '2024-04-25'),
  ],
};
