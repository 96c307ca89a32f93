/**
 * Where OpenStack regions are. OpenStack region names are each cloud's own; this table knows
 * public clouds' regions (OVHcloud, Infomaniak, Cleura, Binero) and the driver's `regionFacts`
 * option gives them for any other cloud. An unknown region is `ZZ` in listings and
 * `null` on nodes.
 *
 * @module
 */
import type { Continent } from '../../src/kit.js';

/** Where a region is. */
export interface OpenStackRegionFacts {
  /** ISO 3166-1 alpha-2 country code, e.g. `FR` (`Location.country`). */
  readonly country: string;
  /** City of the region's data centre, e.g. `Gravelines` (`Location.city`). */
  readonly city: string;
  /** Continent of the region (`Location.continent`). */
  readonly continent: Continent;
}

const EU: Continent = 'Europe';
const NA: Continent = 'North America';
const AS: Continent = 'Asia';
const OC: Continent = 'Oceania';

/** Public OpenStack regions by name (as `OS_REGION_NAME` spells them). */
const REGIONS: Readonly<Record<string, OpenStackRegionFacts>> = {
  // OVHcloud Public Cloud
  GRA7: { country: 'FR', city: 'Gravelines', continent: EU },
  GRA9: { country: 'FR', city: 'Gravelines', continent: EU },
  GRA11: { country: 'FR', city: 'Gravelines', continent: EU },
  SBG5: { country: 'FR', city: 'Strasbourg', continent: EU },
  DE1: { country: 'DE', city: 'Frankfurt', continent: EU },
  UK1: { country: 'GB', city: 'London', continent: EU },
  WAW1: { country: 'PL', city: 'Warsaw', continent: EU },
  BHS5: { country: 'CA', city: 'Beauharnois', continent: NA },
  SGP1: { country: 'SG', city: 'Singapore', continent: AS },
  SYD1: { country: 'AU', city: 'Sydney', continent: OC },
  // Infomaniak Public Cloud
  'dc3-a': { country: 'CH', city: 'Geneva', continent: EU },
  'dc4-a': { country: 'CH', city: 'Geneva', continent: EU },
  // Cleura (City Network)
  Fra1: { country: 'DE', city: 'Frankfurt', continent: EU },
  Sto2: { country: 'SE', city: 'Stockholm', continent: EU },
  Kna1: { country: 'SE', city: 'Karlskrona', continent: EU },
  // Binero
  'europe-se-1': { country: 'SE', city: 'Stockholm', continent: EU },
};

/** The facts of a region, or `undefined` when polycloud does not know where it is. */
export function openStackRegionFacts(region: string): OpenStackRegionFacts | undefined {
  return REGIONS[region];
}
