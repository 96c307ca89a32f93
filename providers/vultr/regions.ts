/**
 * Where Vultr's regions are. The API names each region's city, country and continent, but in its
 * own words ("New Jersey", "Silicon Valley"); this table gives polycloud's: the ISO country, the
 * city as users know it and a continent from polycloud's list. A region newer than the table
 * keeps what the API says (its country is already an ISO code).
 *
 * @module
 */
import type { Continent } from '../../src/kit.js';

/** Country, city and continent of a region. */
export interface VultrRegionFacts {
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
  /** City as users know it, e.g. `Frankfurt` (`Location.city` and `Location.name`). */
  readonly city: string;
  /** Continent of the region (`Location.continent`). */
  readonly continent: Continent;
}

const NA: Continent = 'North America';
const SA: Continent = 'South America';
const EU: Continent = 'Europe';
const AS: Continent = 'Asia';
const OC: Continent = 'Oceania';
const AF: Continent = 'Africa';

/** Vultr's regions (vultr.com/features/datacenter-locations), by region id. */
export const VULTR_REGION_FACTS: Readonly<Record<string, VultrRegionFacts>> = {
  ewr: { country: 'US', city: 'Piscataway (New Jersey)', continent: NA },
  ord: { country: 'US', city: 'Chicago', continent: NA },
  dfw: { country: 'US', city: 'Dallas', continent: NA },
  sea: { country: 'US', city: 'Seattle', continent: NA },
  lax: { country: 'US', city: 'Los Angeles', continent: NA },
  atl: { country: 'US', city: 'Atlanta', continent: NA },
  sjc: { country: 'US', city: 'Silicon Valley', continent: NA },
  mia: { country: 'US', city: 'Miami', continent: NA },
  hnl: { country: 'US', city: 'Honolulu', continent: NA },
  yto: { country: 'CA', city: 'Toronto', continent: NA },
  mex: { country: 'MX', city: 'Mexico City', continent: NA },
  sao: { country: 'BR', city: 'São Paulo', continent: SA },
  scl: { country: 'CL', city: 'Santiago', continent: SA },
  ams: { country: 'NL', city: 'Amsterdam', continent: EU },
  lhr: { country: 'GB', city: 'London', continent: EU },
  man: { country: 'GB', city: 'Manchester', continent: EU },
  fra: { country: 'DE', city: 'Frankfurt', continent: EU },
  cdg: { country: 'FR', city: 'Paris', continent: EU },
  mad: { country: 'ES', city: 'Madrid', continent: EU },
  waw: { country: 'PL', city: 'Warsaw', continent: EU },
  sto: { country: 'SE', city: 'Stockholm', continent: EU },
  tlv: { country: 'IL', city: 'Tel Aviv', continent: AS },
  nrt: { country: 'JP', city: 'Tokyo', continent: AS },
  itm: { country: 'JP', city: 'Osaka', continent: AS },
  icn: { country: 'KR', city: 'Seoul', continent: AS },
  sgp: { country: 'SG', city: 'Singapore', continent: AS },
  bom: { country: 'IN', city: 'Mumbai', continent: AS },
  del: { country: 'IN', city: 'Delhi NCR', continent: AS },
  blr: { country: 'IN', city: 'Bangalore', continent: AS },
  syd: { country: 'AU', city: 'Sydney', continent: OC },
  mel: { country: 'AU', city: 'Melbourne', continent: OC },
  jnb: { country: 'ZA', city: 'Johannesburg', continent: AF },
};

/** The facts of a region id such as `fra`, or `undefined` for a region polycloud does not know yet. */
export function regionFacts(id: string): VultrRegionFacts | undefined {
  return Object.hasOwn(VULTR_REGION_FACTS, id) ? VULTR_REGION_FACTS[id] : undefined;
}
