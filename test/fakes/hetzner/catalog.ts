/**
 * What the Hetzner fake offers: Hetzner's real locations, server types and system images, as a
 * simulator catalog plus the Hetzner-only facts (numeric ids, coordinates, network zones).
 */
import type { SimCatalog, SimImage } from '../../../src/simulator/index.js';

/** Facts about a location that only Hetzner's API carries. */
export interface HetznerLocationFacts {
  readonly numericId: number;
  readonly description: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly networkZone: string;
  readonly datacenter: string;
}

export const HETZNER_LOCATION_FACTS: Readonly<Record<string, HetznerLocationFacts>> = {
  fsn1: {
    numericId: 1,
    description: 'Falkenstein DC Park 1',
    latitude: 50.47612,
    longitude: 12.370071,
    networkZone: 'eu-central',
    datacenter: 'fsn1-dc14',
  },
  nbg1: {
    numericId: 2,
    description: 'Nuremberg DC Park 1',
    latitude: 49.452102,
    longitude: 11.076665,
    networkZone: 'eu-central',
    datacenter: 'nbg1-dc3',
  },
  hel1: {
    numericId: 3,
    description: 'Helsinki DC Park 1',
    latitude: 60.169855,
    longitude: 24.938379,
    networkZone: 'eu-central',
    datacenter: 'hel1-dc2',
  },
  ash: {
    numericId: 4,
    description: 'Ashburn, VA',
    latitude: 39.045821,
    longitude: -77.487073,
    networkZone: 'us-east',
    datacenter: 'ash-dc1',
  },
  hil: {
    numericId: 5,
    description: 'Hillsboro, OR',
    latitude: 45.54222,
    longitude: -122.951924,
    networkZone: 'us-west',
    datacenter: 'hil-dc1',
  },
  sin: {
    numericId: 6,
    description: 'Singapore',
    latitude: 1.283333,
    longitude: 103.833333,
    networkZone: 'ap-southeast',
    datacenter: 'sin-dc1',
  },
};

/** Numeric server type ids, by name. */
export const HETZNER_SERVER_TYPE_IDS: Readonly<Record<string, number>> = {
  cpx11: 22,
  cpx21: 23,
  ccx13: 96,
  cx22: 104,
  cx32: 105,
  cax11: 45,
  cax21: 93,
};

const EU = ['fsn1', 'nbg1', 'hel1'];

const image = (id: number, family: string, version: string, arch: 'x86_64' | 'arm64', createdAt: string, deprecated = false): SimImage => ({
  id: String(id),
  name: `${family}-${version}`,
  os: { family, version },
  arch,
  createdAt,
  ...(deprecated ? { deprecated: true } : {}),
});

/** Hetzner Cloud as a simulator catalog (prices: EUR, net of VAT, per hour). */
export const HETZNER_CATALOG: SimCatalog = {
  currency: 'EUR',
  priceAsOf: '2026-11-01',
  locations: [
    { id: 'fsn1', name: 'Falkenstein DC Park 1', region: 'fsn1', country: 'DE', city: 'Falkenstein', continent: 'Europe' },
    { id: 'nbg1', name: 'Nuremberg DC Park 1', region: 'nbg1', country: 'DE', city: 'Nuremberg', continent: 'Europe' },
    { id: 'hel1', name: 'Helsinki DC Park 1', region: 'hel1', country: 'FI', city: 'Helsinki', continent: 'Europe' },
    { id: 'ash', name: 'Ashburn, VA', region: 'ash', country: 'US', city: 'Ashburn', continent: 'North America', priceMultiplier: 1.2 },
    { id: 'hil', name: 'Hillsboro, OR', region: 'hil', country: 'US', city: 'Hillsboro', continent: 'North America', priceMultiplier: 1.2 },
    { id: 'sin', name: 'Singapore', region: 'sin', country: 'SG', city: 'Singapore', continent: 'Asia', priceMultiplier: 1.5 },
  ],
  sizes: [
    { id: 'cx22', name: 'CX22', vcpus: 2, memoryGiB: 4, diskGiB: 40, arch: 'x86_64', sharedCore: true, hourly: 0.006, locations: EU },
    { id: 'cx32', name: 'CX32', vcpus: 4, memoryGiB: 8, diskGiB: 80, arch: 'x86_64', sharedCore: true, hourly: 0.011, locations: EU },
    { id: 'cpx11', name: 'CPX 11', vcpus: 2, memoryGiB: 2, diskGiB: 40, arch: 'x86_64', sharedCore: true, hourly: 0.0076 },
    { id: 'cpx21', name: 'CPX 21', vcpus: 3, memoryGiB: 4, diskGiB: 80, arch: 'x86_64', sharedCore: true, hourly: 0.0138 },
    { id: 'cax11', name: 'CAX11', vcpus: 2, memoryGiB: 4, diskGiB: 40, arch: 'arm64', sharedCore: true, hourly: 0.0059, locations: EU },
    { id: 'cax21', name: 'CAX21', vcpus: 4, memoryGiB: 8, diskGiB: 80, arch: 'arm64', sharedCore: true, hourly: 0.0105, locations: EU },
    { id: 'ccx13', name: 'CCX13 Dedicated CPU', vcpus: 2, memoryGiB: 8, diskGiB: 80, arch: 'x86_64', hourly: 0.0224 },
  ],
  images: [
    image(67794396, 'ubuntu', '22.04', 'x86_64', '2022-04-21T13:32:38Z'),
    image(103908070, 'ubuntu', '22.04', 'arm64', '2022-04-21T13:32:38Z'),
    image(161547269, 'ubuntu', '24.04', 'x86_64', '2024-04-25T13:36:54Z'),
    image(161547270, 'ubuntu', '24.04', 'arm64', '2024-04-25T13:36:54Z'),
    image(114690387, 'debian', '12', 'x86_64', '2023-06-13T06:00:02Z'),
    image(114690389, 'debian', '12', 'arm64', '2023-06-13T06:00:02Z'),
    image(15512617, 'ubuntu', '20.04', 'x86_64', '2020-04-23T10:15:37Z', true),
  ],
};

/** What Hetzner charges on top of the net price in the fake (German VAT). */
export const HETZNER_VAT_RATE = 0.19;
