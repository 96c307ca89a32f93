/**
 * Scaleway's Instance zones and where they are. The Instance API has no "list zones" call: the
 * zone list is static (scaleway-cli `docs/commands/instance.md`, "One of: fr-par-1 … it-mil-1"),
 * and the facts below are Scaleway's published data-centre locations.
 *
 * @module
 */
import type { Continent, Location } from '../../src/kit.js';

/** Where one zone is. */
export interface ScalewayZoneFacts {
  /** Human name, e.g. `Paris 1`. */
  readonly name: string;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
  /** City of the data centre, e.g. `Paris` (`Location.city`). */
  readonly city: string;
  /** Continent of the data centre (`Location.continent`). */
  readonly continent: Continent;
}

/** Every Instance zone Scaleway documents, in the CLI's order. */
export const SCALEWAY_ZONES: Readonly<Record<string, ScalewayZoneFacts>> = {
  'fr-par-1': { name: 'Paris 1', country: 'FR', city: 'Paris', continent: 'Europe' },
  'fr-par-2': { name: 'Paris 2', country: 'FR', city: 'Paris', continent: 'Europe' },
  'fr-par-3': { name: 'Paris 3', country: 'FR', city: 'Paris', continent: 'Europe' },
  'nl-ams-1': { name: 'Amsterdam 1', country: 'NL', city: 'Amsterdam', continent: 'Europe' },
  'nl-ams-2': { name: 'Amsterdam 2', country: 'NL', city: 'Amsterdam', continent: 'Europe' },
  'nl-ams-3': { name: 'Amsterdam 3', country: 'NL', city: 'Amsterdam', continent: 'Europe' },
  'pl-waw-1': { name: 'Warsaw 1', country: 'PL', city: 'Warsaw', continent: 'Europe' },
  'pl-waw-2': { name: 'Warsaw 2', country: 'PL', city: 'Warsaw', continent: 'Europe' },
  'pl-waw-3': { name: 'Warsaw 3', country: 'PL', city: 'Warsaw', continent: 'Europe' },
  'it-mil-1': { name: 'Milan 1', country: 'IT', city: 'Milan', continent: 'Europe' },
};

/** The shape of a zone id: region (`fr-par`) and a digit. */
export const ZONE_PATTERN = /^[a-z]{2}-[a-z]{3}-[1-9]$/;

/** Whether `zone` is one of the zones in {@link SCALEWAY_ZONES}. */
export function isKnownZone(zone: string): boolean {
  return Object.hasOwn(SCALEWAY_ZONES, zone);
}

/** The region of a zone: `fr-par-1` → `fr-par`. */
export function regionOfZone(zone: string): string {
  return zone.replace(/-\d+$/, '');
}

/** A zone as a polycloud location; a zone newer than the table is `ZZ` (unknown), never guessed. */
export function zoneLocation(zone: string): Location {
  const facts = SCALEWAY_ZONES[zone];
  return {
    id: zone,
    name: facts?.name ?? zone,
    provider: 'scaleway',
    kind: 'zone',
    region: regionOfZone(zone),
    country: facts?.country ?? 'ZZ',
    ...(facts ? { city: facts.city, continent: facts.continent } : {}),
  };
}
