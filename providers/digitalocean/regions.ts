/**
 * Where DigitalOcean's regions are. The API names a region ("Frankfurt 1") but not its country,
 * so the driver keeps this small table, keyed by the slug's city prefix (`fra1` → `fra`); every
 * numbered data centre in a city shares the row.
 *
 * @module
 */
import type { Continent } from '../../src/kit.js';

/** Country, city and continent of a region. */
export interface DoRegionFacts {
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
  /** City of the region's data centres, e.g. `Frankfurt` (`Location.city`). */
  readonly city: string;
  /** Continent of the region (`Location.continent`). */
  readonly continent: Continent;
}

/** Facts per slug prefix (the slug without its trailing digits). */
export const DO_REGION_FACTS: Readonly<Record<string, DoRegionFacts>> = {
  nyc: { country: 'US', city: 'New York', continent: 'North America' },
  sfo: { country: 'US', city: 'San Francisco', continent: 'North America' },
  atl: { country: 'US', city: 'Atlanta', continent: 'North America' },
  tor: { country: 'CA', city: 'Toronto', continent: 'North America' },
  ams: { country: 'NL', city: 'Amsterdam', continent: 'Europe' },
  lon: { country: 'GB', city: 'London', continent: 'Europe' },
  fra: { country: 'DE', city: 'Frankfurt', continent: 'Europe' },
  sgp: { country: 'SG', city: 'Singapore', continent: 'Asia' },
  blr: { country: 'IN', city: 'Bangalore', continent: 'Asia' },
  syd: { country: 'AU', city: 'Sydney', continent: 'Oceania' },
};

/** The facts of a region slug such as `fra1`, or `undefined` for a region polycloud does not know yet. */
export function regionFacts(slug: string): DoRegionFacts | undefined {
  return DO_REGION_FACTS[slug.replace(/\d+$/, '')];
}
