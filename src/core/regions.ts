/**
 * Facts about AWS and Compute Engine places: the country (ISO 3166-1 alpha-2), city and continent
 * of every region, and the region a zone belongs to. The tables are facts from the providers'
 * public region lists; the tests check that they cover every region the price catalogs know.
 *
 * @module
 */
import type { Continent } from './types.js';

/** The providers whose region names this module knows. */
export type RegionFactsProvider = 'aws' | 'gce';

/** Where a region is. */
export interface RegionFacts {
  /** ISO 3166-1 alpha-2 country code, e.g. `DE`. */
  readonly country: string;
  /** The city (or metro area) the provider names for the region. */
  readonly city: string;
  readonly continent: Continent;
}

type Row = readonly [country: string, city: string, continent: Continent];

const NA: Continent = 'North America';
const SA: Continent = 'South America';
const EU: Continent = 'Europe';
const AS: Continent = 'Asia';
const OC: Continent = 'Oceania';
const AF: Continent = 'Africa';

/** AWS regions in every partition polycloud can reach (commercial, GovCloud, China, sovereign). */
const AWS_REGIONS: Readonly<Record<string, Row>> = {
  'us-east-1': ['US', 'Ashburn (N. Virginia)', NA],
  'us-east-2': ['US', 'Columbus (Ohio)', NA],
  'us-west-1': ['US', 'San Francisco (N. California)', NA],
  'us-west-2': ['US', 'Boardman (Oregon)', NA],
  'us-gov-east-1': ['US', 'Columbus (Ohio)', NA],
  'us-gov-west-1': ['US', 'Oregon', NA],
  'ca-central-1': ['CA', 'Montréal', NA],
  'ca-west-1': ['CA', 'Calgary', NA],
  'mx-central-1': ['MX', 'Querétaro', NA],
  'sa-east-1': ['BR', 'São Paulo', SA],
  'eu-central-1': ['DE', 'Frankfurt', EU],
  'eu-central-2': ['CH', 'Zurich', EU],
  'eu-west-1': ['IE', 'Dublin', EU],
  'eu-west-2': ['GB', 'London', EU],
  'eu-west-3': ['FR', 'Paris', EU],
  'eu-south-1': ['IT', 'Milan', EU],
  'eu-south-2': ['ES', 'Aragón', EU],
  'eu-north-1': ['SE', 'Stockholm', EU],
  'eusc-de-east-1': ['DE', 'Brandenburg', EU],
  'af-south-1': ['ZA', 'Cape Town', AF],
  'me-south-1': ['BH', 'Manama', AS],
  'me-central-1': ['AE', 'Dubai', AS],
  'il-central-1': ['IL', 'Tel Aviv', AS],
  'ap-east-1': ['HK', 'Hong Kong', AS],
  'ap-east-2': ['TW', 'Taipei', AS],
  'ap-south-1': ['IN', 'Mumbai', AS],
  'ap-south-2': ['IN', 'Hyderabad', AS],
  'ap-northeast-1': ['JP', 'Tokyo', AS],
  'ap-northeast-2': ['KR', 'Seoul', AS],
  'ap-northeast-3': ['JP', 'Osaka', AS],
  'ap-southeast-1': ['SG', 'Singapore', AS],
  'ap-southeast-2': ['AU', 'Sydney', OC],
  'ap-southeast-3': ['ID', 'Jakarta', AS],
  'ap-southeast-4': ['AU', 'Melbourne', OC],
  'ap-southeast-5': ['MY', 'Kuala Lumpur', AS],
  'ap-southeast-6': ['NZ', 'Auckland', OC],
  'ap-southeast-7': ['TH', 'Bangkok', AS],
  'cn-north-1': ['CN', 'Beijing', AS],
  'cn-northwest-1': ['CN', 'Ningxia', AS],
};

/** Compute Engine regions, as listed on cloud.google.com/compute/docs/regions-zones. */
const GCE_REGIONS: Readonly<Record<string, Row>> = {
  'us-central1': ['US', 'Council Bluffs, Iowa', NA],
  'us-east1': ['US', 'Moncks Corner, South Carolina', NA],
  'us-east4': ['US', 'Ashburn, Virginia', NA],
  'us-east5': ['US', 'Columbus, Ohio', NA],
  'us-south1': ['US', 'Dallas, Texas', NA],
  'us-west1': ['US', 'The Dalles, Oregon', NA],
  'us-west2': ['US', 'Los Angeles, California', NA],
  'us-west3': ['US', 'Salt Lake City, Utah', NA],
  'us-west4': ['US', 'Las Vegas, Nevada', NA],
  'northamerica-northeast1': ['CA', 'Montréal', NA],
  'northamerica-northeast2': ['CA', 'Toronto', NA],
  'northamerica-south1': ['MX', 'Querétaro', NA],
  'southamerica-east1': ['BR', 'São Paulo', SA],
  'southamerica-west1': ['CL', 'Santiago', SA],
  'europe-central2': ['PL', 'Warsaw', EU],
  'europe-north1': ['FI', 'Hamina', EU],
  'europe-north2': ['SE', 'Stockholm', EU],
  'europe-southwest1': ['ES', 'Madrid', EU],
  'europe-west1': ['BE', 'St. Ghislain', EU],
  'europe-west2': ['GB', 'London', EU],
  'europe-west3': ['DE', 'Frankfurt', EU],
  'europe-west4': ['NL', 'Eemshaven', EU],
  'europe-west6': ['CH', 'Zurich', EU],
  'europe-west8': ['IT', 'Milan', EU],
  'europe-west9': ['FR', 'Paris', EU],
  'europe-west10': ['DE', 'Berlin', EU],
  'europe-west12': ['IT', 'Turin', EU],
  'me-central1': ['QA', 'Doha', AS],
  'me-central2': ['SA', 'Dammam', AS],
  'me-west1': ['IL', 'Tel Aviv', AS],
  'africa-south1': ['ZA', 'Johannesburg', AF],
  'asia-east1': ['TW', 'Changhua County', AS],
  'asia-east2': ['HK', 'Hong Kong', AS],
  'asia-northeast1': ['JP', 'Tokyo', AS],
  'asia-northeast2': ['JP', 'Osaka', AS],
  'asia-northeast3': ['KR', 'Seoul', AS],
  'asia-south1': ['IN', 'Mumbai', AS],
  'asia-south2': ['IN', 'Delhi', AS],
  'asia-southeast1': ['SG', 'Singapore', AS],
  'asia-southeast2': ['ID', 'Jakarta', AS],
  'asia-southeast3': ['TH', 'Bangkok', AS],
  'australia-southeast1': ['AU', 'Sydney', OC],
  'australia-southeast2': ['AU', 'Melbourne', OC],
};

const TABLES: Readonly<Record<RegionFactsProvider, Readonly<Record<string, Row>>>> = {
  aws: AWS_REGIONS,
  gce: GCE_REGIONS,
};

/** Every region id polycloud has facts for, for one provider, sorted. */
export function knownRegions(provider: RegionFactsProvider): string[] {
  return Object.keys(TABLES[provider]).sort();
}

/**
 * The region a location id belongs to: the id itself when it is a known region, the parent
 * region for a zone (`us-east-1a`, `us-east-1-bos-1a` (Local Zone), `us-central1-a`), else
 * `undefined`.
 */
export function zoneRegion(provider: RegionFactsProvider, locationId: string): string | undefined {
  const table = TABLES[provider];
  if (Object.hasOwn(table, locationId)) return locationId;
  // A zone is its region plus a suffix: AWS `a` / `-bos-1a` / `-wl1-…`, Compute `-a`.
  const suffix = provider === 'aws' ? /^(?:[a-z]|-[a-z0-9-]+)$/ : /^-[a-z]$/;
  let best: string | undefined;
  for (const region of Object.keys(table)) {
    if (locationId.startsWith(region) && suffix.test(locationId.slice(region.length))) {
      if (best === undefined || region.length > best.length) best = region;
    }
  }
  return best;
}

/**
 * Country, city and continent of an AWS or Compute Engine region, or of a zone (resolved to its
 * region with {@link zoneRegion}); `undefined` for a place polycloud does not know.
 */
export function regionFacts(provider: 'aws' | 'gce', region: string): { country: string; city: string; continent: Continent } | undefined {
  const table = TABLES[provider];
  if (table === undefined || typeof region !== 'string') return undefined;
  const id = zoneRegion(provider, region);
  const row = id === undefined ? undefined : table[id];
  if (row === undefined) return undefined;
  const [country, city, continent] = row;
  return { country, city, continent };
}
