/**
 * Where Compute Engine's regions are: country (ISO 3166-1 alpha-2), city and continent of every
 * region, and the region a zone belongs to (`us-central1-a`). Facts from Google's public region
 * list; the tests check they cover every region the price catalog knows. The core's
 * `regionTable` does the look-ups.
 *
 * @module
 */
import { regionTable, type Continent, type RegionRow, type RegionTable } from '../../src/kit.js';

const NA: Continent = 'North America';
const SA: Continent = 'South America';
const EU: Continent = 'Europe';
const AS: Continent = 'Asia';
const OC: Continent = 'Oceania';
const AF: Continent = 'Africa';

/** Compute Engine regions, as listed on cloud.google.com/compute/docs/regions-zones. */
const GCE_REGION_ROWS: Readonly<Record<string, RegionRow>> = {
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

/** Compute Engine's regions; a zone is its region plus `-<letter>`. */
export const GCE_REGIONS: RegionTable = regionTable(GCE_REGION_ROWS, /^-[a-z]$/);
