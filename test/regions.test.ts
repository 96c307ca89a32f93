import { describe, expect, it } from 'vitest';
import { loadPriceTable } from '../src/pricing/index.js';
import { regionTable, type RegionTable } from '../src/core/regions.js';
import { AWS_REGIONS } from '../providers/aws/regions.js';
import { GCE_REGIONS } from '../providers/gce/regions.js';

// Each provider owns its table (providers/<name>/regions.ts); the look-ups are the core's regionTable.
const TABLES: Readonly<Record<string, RegionTable>> = { aws: AWS_REGIONS, gce: GCE_REGIONS };
const regionFacts = (provider: 'aws' | 'gce', region: string) => TABLES[provider]?.facts(region);
const zoneRegion = (provider: 'aws' | 'gce', id: string) => TABLES[provider]?.zoneRegion(id);
const knownRegions = (provider: 'aws' | 'gce') => TABLES[provider]!.knownRegions();

const CONTINENTS = ['Africa', 'Asia', 'Europe', 'North America', 'Oceania', 'South America', 'Antarctica'];

// Every AWS commercial region, including the newest (2023–2025 launches).
const AWS_COMMERCIAL = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-south-1',
  'ap-south-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-south-1',
  'eu-south-2',
  'eu-north-1',
  'il-central-1',
  'me-south-1',
  'me-central-1',
  'mx-central-1',
  'sa-east-1',
];

describe('region facts', () => {
  it.each(['aws', 'gce'] as const)('%s: cover every region present in the price catalog', async (provider) => {
    const catalog = await loadPriceTable(provider);
    const missing = catalog.regions().filter((region) => regionFacts(provider, region) === undefined);
    expect(missing).toEqual([]);
    if (provider === 'gce') expect(catalog.regions()).toHaveLength(43);
  });

  it('cover every AWS commercial region', () => {
    expect(AWS_COMMERCIAL.filter((region) => regionFacts('aws', region) === undefined)).toEqual([]);
  });

  it.each(['aws', 'gce'] as const)('%s: every entry has an ISO 3166-1 alpha-2 country, a city and a continent', (provider) => {
    for (const region of knownRegions(provider)) {
      const facts = regionFacts(provider, region)!;
      expect(facts.country, region).toMatch(/^[A-Z]{2}$/);
      expect(facts.city.length, region).toBeGreaterThan(1);
      expect(CONTINENTS, region).toContain(facts.continent);
    }
  });

  it.each([
    ['aws', 'us-east-1', { country: 'US', continent: 'North America' }],
    ['aws', 'eu-central-1', { country: 'DE', city: 'Frankfurt', continent: 'Europe' }],
    ['aws', 'ap-southeast-2', { country: 'AU', city: 'Sydney', continent: 'Oceania' }],
    ['aws', 'ap-southeast-5', { country: 'MY', city: 'Kuala Lumpur', continent: 'Asia' }],
    ['aws', 'ap-southeast-7', { country: 'TH', city: 'Bangkok', continent: 'Asia' }],
    ['aws', 'mx-central-1', { country: 'MX', continent: 'North America' }],
    ['aws', 'ca-west-1', { country: 'CA', city: 'Calgary' }],
    ['aws', 'il-central-1', { country: 'IL', city: 'Tel Aviv' }],
    ['aws', 'me-central-1', { country: 'AE' }],
    ['aws', 'sa-east-1', { country: 'BR', continent: 'South America' }],
    ['aws', 'af-south-1', { country: 'ZA', city: 'Cape Town', continent: 'Africa' }],
    ['gce', 'us-central1', { country: 'US', continent: 'North America' }],
    ['gce', 'europe-west3', { country: 'DE', city: 'Frankfurt', continent: 'Europe' }],
    ['gce', 'europe-west4', { country: 'NL' }],
    ['gce', 'asia-east1', { country: 'TW' }],
    ['gce', 'me-central2', { country: 'SA' }],
    ['gce', 'northamerica-south1', { country: 'MX' }],
    ['gce', 'southamerica-west1', { country: 'CL', city: 'Santiago' }],
    ['gce', 'australia-southeast2', { country: 'AU', city: 'Melbourne', continent: 'Oceania' }],
  ] as const)('%s %s is in the right place', (provider, region, expected) => {
    expect(regionFacts(provider, region)).toMatchObject(expected);
  });

  it('resolve zones through their region', () => {
    expect(zoneRegion('aws', 'us-east-1a')).toBe('us-east-1');
    expect(zoneRegion('aws', 'ap-southeast-5c')).toBe('ap-southeast-5');
    expect(zoneRegion('aws', 'us-east-1-bos-1a')).toBe('us-east-1');
    expect(zoneRegion('aws', 'us-gov-west-1a')).toBe('us-gov-west-1');
    expect(zoneRegion('gce', 'us-central1-a')).toBe('us-central1');
    expect(zoneRegion('gce', 'europe-west10-c')).toBe('europe-west10');
    expect(zoneRegion('gce', 'europe-west1')).toBe('europe-west1');
    expect(regionFacts('gce', 'europe-west3-b')).toEqual(regionFacts('gce', 'europe-west3'));
    expect(regionFacts('aws', 'eu-west-2b')).toEqual({ country: 'GB', city: 'London', continent: 'Europe' });
  });

  it('do not guess: unknown places and malformed zone ids are undefined', () => {
    expect(regionFacts('aws', 'mars-north-1')).toBeUndefined();
    expect(regionFacts('gce', 'us-central1a')).toBeUndefined();
    expect(regionFacts('aws', 'us-east-1-')).toBeUndefined();
    expect(regionFacts('aws', 'us-central1')).toBeUndefined();
    expect(regionFacts('gce', 'us-east-1')).toBeUndefined();
    expect(regionFacts('gce', 'toString')).toBeUndefined();
    expect(regionFacts('azure' as 'aws', 'westeurope')).toBeUndefined();
  });

  it('regionTable: a zone resolves to the longest region it extends by a zone suffix, and nothing else', () => {
    const table = regionTable({ 'x-1': ['DE', 'Berlin', 'Europe'], 'x-10': ['FR', 'Paris', 'Europe'] }, /^-[a-z]$/);
    expect([table.zoneRegion('x-10-b'), table.zoneRegion('x-1-b'), table.zoneRegion('x-1b'), table.zoneRegion('x-2-a')]).toEqual([
      'x-10',
      'x-1',
      undefined,
      undefined,
    ]);
    expect(table.facts('x-10-c')).toEqual({ country: 'FR', city: 'Paris', continent: 'Europe' });
    expect(table.knownRegions()).toEqual(['x-1', 'x-10']);
    expect(table.facts('hasOwnProperty')).toBeUndefined();
  });
});
