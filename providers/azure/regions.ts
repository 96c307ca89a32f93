/**
 * Where Azure regions are: ISO 3166-1 alpha-2 country, city and continent of every public Azure
 * region, from Microsoft's published region list ("Azure geographies"). A region newer than this
 * table maps to country `ZZ` (see `Location.country`).
 *
 * @module
 */
import type { Continent } from '../../src/kit.js';

/** Where one region is. */
export interface AzureRegionFacts {
  readonly country: string;
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

/** Public Azure regions by ARM name (`location`). */
const AZURE_REGIONS: Readonly<Record<string, Row>> = {
  eastus: ['US', 'Virginia', NA],
  eastus2: ['US', 'Virginia', NA],
  centralus: ['US', 'Iowa', NA],
  northcentralus: ['US', 'Illinois', NA],
  southcentralus: ['US', 'Texas', NA],
  westcentralus: ['US', 'Wyoming', NA],
  westus: ['US', 'California', NA],
  westus2: ['US', 'Washington', NA],
  westus3: ['US', 'Phoenix', NA],
  canadacentral: ['CA', 'Toronto', NA],
  canadaeast: ['CA', 'Quebec City', NA],
  mexicocentral: ['MX', 'Querétaro', NA],
  brazilsouth: ['BR', 'São Paulo', SA],
  brazilsoutheast: ['BR', 'Rio de Janeiro', SA],
  northeurope: ['IE', 'Dublin', EU],
  westeurope: ['NL', 'Amsterdam', EU],
  uksouth: ['GB', 'London', EU],
  ukwest: ['GB', 'Cardiff', EU],
  francecentral: ['FR', 'Paris', EU],
  francesouth: ['FR', 'Marseille', EU],
  germanywestcentral: ['DE', 'Frankfurt', EU],
  germanynorth: ['DE', 'Berlin', EU],
  switzerlandnorth: ['CH', 'Zurich', EU],
  switzerlandwest: ['CH', 'Geneva', EU],
  norwayeast: ['NO', 'Oslo', EU],
  norwaywest: ['NO', 'Stavanger', EU],
  swedencentral: ['SE', 'Gävle', EU],
  polandcentral: ['PL', 'Warsaw', EU],
  italynorth: ['IT', 'Milan', EU],
  spaincentral: ['ES', 'Madrid', EU],
  austriaeast: ['AT', 'Vienna', EU],
  belgiumcentral: ['BE', 'Brussels', EU],
  uaenorth: ['AE', 'Dubai', AS],
  uaecentral: ['AE', 'Abu Dhabi', AS],
  qatarcentral: ['QA', 'Doha', AS],
  israelcentral: ['IL', 'Israel', AS],
  southafricanorth: ['ZA', 'Johannesburg', AF],
  southafricawest: ['ZA', 'Cape Town', AF],
  centralindia: ['IN', 'Pune', AS],
  southindia: ['IN', 'Chennai', AS],
  westindia: ['IN', 'Mumbai', AS],
  eastasia: ['HK', 'Hong Kong', AS],
  southeastasia: ['SG', 'Singapore', AS],
  japaneast: ['JP', 'Tokyo', AS],
  japanwest: ['JP', 'Osaka', AS],
  koreacentral: ['KR', 'Seoul', AS],
  koreasouth: ['KR', 'Busan', AS],
  indonesiacentral: ['ID', 'Jakarta', AS],
  malaysiawest: ['MY', 'Kuala Lumpur', AS],
  australiaeast: ['AU', 'New South Wales', OC],
  australiasoutheast: ['AU', 'Victoria', OC],
  australiacentral: ['AU', 'Canberra', OC],
  australiacentral2: ['AU', 'Canberra', OC],
  newzealandnorth: ['NZ', 'Auckland', OC],
};

/** The facts of an Azure region, or `undefined` for a region newer than this table. */
export function azureRegionFacts(region: string): AzureRegionFacts | undefined {
  const row = AZURE_REGIONS[region.toLowerCase()];
  return row ? { country: row[0], city: row[1], continent: row[2] } : undefined;
}

/** Every region this table knows, by ARM name. */
export const AZURE_REGION_NAMES: readonly string[] = Object.keys(AZURE_REGIONS);
