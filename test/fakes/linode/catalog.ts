/**
 * What the Linode fake offers: Linode's real region ids and labels, plan types and distribution
 * images, as a simulator catalog (prices: USD per hour; regions with a price multiplier get their
 * own `region_prices` entry, as Linode's São Paulo and Jakarta do).
 */
import type { SimCatalog, SimImage } from '../../../src/simulator/index.js';

/** Linode's label for each region (`City, State` or `City, Country`). */
export const LINODE_REGION_LABELS: Readonly<Record<string, string>> = {
  'us-east': 'Newark, NJ',
  'us-central': 'Dallas, TX',
  'us-west': 'Fremont, CA',
  'eu-central': 'Frankfurt, DE',
  'eu-west': 'London, UK',
  'ap-south': 'Singapore, SG',
  'ap-northeast': 'Tokyo 2, JP',
  'br-gru': 'Sao Paulo, BR',
};

/** Linode's plan class and label per type. */
export const LINODE_TYPE_FACTS: Readonly<Record<string, { readonly class: string; readonly label: string; readonly transfer: number }>> = {
  'g6-nanode-1': { class: 'nanode', label: 'Nanode 1GB', transfer: 1000 },
  'g6-standard-1': { class: 'standard', label: 'Linode 2GB', transfer: 2000 },
  'g6-standard-2': { class: 'standard', label: 'Linode 4GB', transfer: 4000 },
  'g6-standard-4': { class: 'standard', label: 'Linode 8GB', transfer: 5000 },
  'g6-dedicated-2': { class: 'dedicated', label: 'Dedicated 4GB', transfer: 4000 },
  'g6-dedicated-4': { class: 'dedicated', label: 'Dedicated 8GB', transfer: 5000 },
  'g1-gpu-rtx6000-1': { class: 'gpu', label: 'Dedicated 32GB + RTX6000 GPU x1', transfer: 16000 },
};

const image = (id: string, family: string, version: string, createdAt: string, deprecated = false): SimImage => ({
  id,
  name: `${family === 'ubuntu' ? 'Ubuntu' : 'Debian'} ${version}${family === 'ubuntu' ? ' LTS' : ''}`,
  os: { family, version },
  arch: 'x86_64',
  createdAt,
  ...(deprecated ? { deprecated: true } : {}),
});

/** Linode as a simulator catalog. */
export const LINODE_CATALOG: SimCatalog = {
  currency: 'USD',
  priceAsOf: '2026-11-01',
  locations: [
    { id: 'us-east', name: 'Newark, NJ', region: 'us-east', country: 'US', city: 'Newark', continent: 'North America' },
    { id: 'us-central', name: 'Dallas, TX', region: 'us-central', country: 'US', city: 'Dallas', continent: 'North America' },
    { id: 'us-west', name: 'Fremont, CA', region: 'us-west', country: 'US', city: 'Fremont', continent: 'North America' },
    { id: 'eu-central', name: 'Frankfurt, DE', region: 'eu-central', country: 'DE', city: 'Frankfurt', continent: 'Europe' },
    { id: 'eu-west', name: 'London, UK', region: 'eu-west', country: 'GB', city: 'London', continent: 'Europe' },
    { id: 'ap-south', name: 'Singapore, SG', region: 'ap-south', country: 'SG', city: 'Singapore', continent: 'Asia' },
    { id: 'ap-northeast', name: 'Tokyo 2, JP', region: 'ap-northeast', country: 'JP', city: 'Tokyo', continent: 'Asia' },
    {
      id: 'br-gru',
      name: 'Sao Paulo, BR',
      region: 'br-gru',
      country: 'BR',
      city: 'Sao Paulo',
      continent: 'South America',
      priceMultiplier: 1.2,
    },
  ],
  sizes: [
    { id: 'g6-nanode-1', name: 'Nanode 1GB', vcpus: 1, memoryGiB: 1, diskGiB: 25, arch: 'x86_64', sharedCore: true, hourly: 0.0075 },
    { id: 'g6-standard-1', name: 'Linode 2GB', vcpus: 1, memoryGiB: 2, diskGiB: 50, arch: 'x86_64', sharedCore: true, hourly: 0.018 },
    { id: 'g6-standard-2', name: 'Linode 4GB', vcpus: 2, memoryGiB: 4, diskGiB: 80, arch: 'x86_64', sharedCore: true, hourly: 0.036 },
    { id: 'g6-standard-4', name: 'Linode 8GB', vcpus: 4, memoryGiB: 8, diskGiB: 160, arch: 'x86_64', sharedCore: true, hourly: 0.072 },
    { id: 'g6-dedicated-2', name: 'Dedicated 4GB', vcpus: 2, memoryGiB: 4, diskGiB: 80, arch: 'x86_64', hourly: 0.054 },
    { id: 'g6-dedicated-4', name: 'Dedicated 8GB', vcpus: 4, memoryGiB: 8, diskGiB: 160, arch: 'x86_64', hourly: 0.108 },
    {
      id: 'g1-gpu-rtx6000-1',
      name: 'Dedicated 32GB + RTX6000 GPU x1',
      vcpus: 8,
      memoryGiB: 32,
      diskGiB: 640,
      arch: 'x86_64',
      gpus: 1,
      hourly: 1.5,
      locations: ['us-east', 'eu-central'],
    },
  ],
  images: [
    image('linode/ubuntu22.04', 'ubuntu', '22.04', '2022-04-21T16:28:53'),
    image('linode/ubuntu24.04', 'ubuntu', '24.04', '2024-04-25T18:21:39'),
    image('linode/debian12', 'debian', '12', '2023-06-12T19:02:23'),
    image('linode/ubuntu20.04', 'ubuntu', '20.04', '2020-04-23T17:29:53', true),
  ],
};
