/**
 * Region facts: the country (ISO 3166-1 alpha-2), city and continent of a provider's regions, and
 * the region a zone belongs to. The machinery is here; each provider owns its table
 * (`providers/aws/regions.ts`, `providers/gce/regions.ts`) and builds it with {@link regionTable}.
 *
 * @module
 */
import type { Continent } from './types.js';

/** Where a region is. */
export interface RegionFacts {
  /** ISO 3166-1 alpha-2 country code, e.g. `DE`. */
  readonly country: string;
  /** The city (or metro area) the provider names for the region. */
  readonly city: string;
  /** The continent the region is on, by its full English name, e.g. `Europe`. */
  readonly continent: Continent;
}

/** Short names of the continents, for compact region tables: `['DE', 'Frankfurt', EU]`. */
export const CONTINENTS = {
  /** North America, including Central America and the Caribbean. */
  NA: 'North America',
  /** South America. */
  SA: 'South America',
  /** Europe. */
  EU: 'Europe',
  /** Asia, including the Middle East. */
  AS: 'Asia',
  /** Oceania: Australia, New Zealand and the Pacific islands. */
  OC: 'Oceania',
  /** Africa. */
  AF: 'Africa',
  /** Antarctica (no cloud region today; here so every continent has a short name). */
  AN: 'Antarctica',
} as const satisfies Record<string, Continent>;

/** One region's facts as a table row: `[country, city, continent]`. */
export type RegionRow = readonly [country: string, city: string, continent: Continent];

/** A provider's regions, with the look-ups every driver and price catalog needs. */
export interface RegionTable {
  /** Every region id in the table, sorted. */
  knownRegions(): string[];
  /**
   * The region a location id belongs to: the id itself when it is a known region, the parent
   * region for a zone (the longest known region the id extends by a zone suffix), else `undefined`.
   */
  zoneRegion(locationId: string): string | undefined;
  /** Country, city and continent of a region, or of a zone's region; `undefined` for a place the table does not know. */
  facts(locationId: string): RegionFacts | undefined;
}

/**
 * Builds a {@link RegionTable} from a provider's rows.
 *
 * @param rows region id → `[country, city, continent]`.
 * @param zoneSuffix what follows a region id in a zone id, anchored (`/^-[a-z]$/` for `us-central1-a`).
 */
export function regionTable(rows: Readonly<Record<string, RegionRow>>, zoneSuffix: RegExp): RegionTable {
  const regions = Object.keys(rows);
  const zoneRegion = (locationId: string): string | undefined => {
    if (typeof locationId !== 'string') return undefined;
    if (Object.hasOwn(rows, locationId)) return locationId;
    let best: string | undefined;
    for (const region of regions) {
      if (locationId.startsWith(region) && zoneSuffix.test(locationId.slice(region.length))) {
        if (best === undefined || region.length > best.length) best = region;
      }
    }
    return best;
  };
  return {
    knownRegions: () => [...regions].sort(),
    zoneRegion,
    facts(locationId) {
      const id = zoneRegion(locationId);
      const row = id === undefined ? undefined : rows[id];
      if (row === undefined) return undefined;
      const [country, city, continent] = row;
      return { country, city, continent };
    },
  };
}
