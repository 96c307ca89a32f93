/**
 * Where EC2's regions are: country (ISO 3166-1 alpha-2), city and continent of every region, and
 * the region a zone belongs to (`us-east-1a`, Local Zones such as `us-east-1-bos-1a`, Wavelength
 * zones). Facts from AWS's public region list; the tests check they cover every region the price
 * catalog knows. The core's `regionTable` does the look-ups.
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

/** AWS regions in every partition polycloud can reach (commercial, GovCloud, China, sovereign). */
const AWS_REGION_ROWS: Readonly<Record<string, RegionRow>> = {
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

/** EC2's regions; a zone is its region plus `a`, or `-<local zone>` such as `-bos-1a`. */
export const AWS_REGIONS: RegionTable = regionTable(AWS_REGION_ROWS, /^(?:[a-z]|-[a-z0-9-]+)$/);
