/**
 * Merges a freshly fetched catalog into the previous one region by region: every region the
 * fresh data covers is taken from it whole (with its date); every other region keeps its old
 * prices and old date. So refreshing a few AWS regions never drops the rest, and every price
 * still says how old it is.
 */
import type { CatalogData, CatalogType } from '../src/pricing/catalog-data.js';

export function mergeCatalogs(previous: CatalogData | undefined, fresh: CatalogData): CatalogData {
  if (previous === undefined || previous.provider !== fresh.provider) return fresh;
  const freshRegions = new Set<string>();
  for (const type of Object.values(fresh.types)) for (const region of Object.keys(type.prices)) freshRegions.add(region);
  const dateOf = (data: CatalogData, region: string) => data.regionAsOf?.[region] ?? data.asOf;

  const types: Record<string, CatalogType> = {};
  const regionDates: Record<string, string> = {};
  for (const [name, type] of Object.entries(previous.types)) {
    const kept = Object.entries(type.prices).filter(([region]) => !freshRegions.has(region));
    if (kept.length === 0) continue;
    types[name] = { ...type, prices: Object.fromEntries(kept) };
    for (const [region] of kept) regionDates[region] = dateOf(previous, region);
  }
  for (const [name, type] of Object.entries(fresh.types)) {
    const old = types[name];
    types[name] = { ...(old ?? {}), ...type, prices: { ...(old?.prices ?? {}), ...type.prices } };
    for (const region of Object.keys(type.prices)) regionDates[region] = dateOf(fresh, region);
  }
  const sorted: Record<string, CatalogType> = {};
  for (const name of Object.keys(types).sort()) {
    const type = types[name]!;
    sorted[name] = { ...type, prices: Object.fromEntries(Object.entries(type.prices).sort(([a], [b]) => a.localeCompare(b))) };
  }
  const asOf = Object.values(regionDates).reduce((a, b) => (b > a ? b : a), fresh.asOf);
  const regionAsOf = Object.fromEntries(
    Object.entries(regionDates)
      .filter(([, date]) => date !== asOf)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  const keptOld = Object.keys(regionDates).some((region) => !freshRegions.has(region));
  return {
    ...fresh,
    asOf,
    regionAsOf,
    sources: keptOld ? [...fresh.sources, ...previous.sources] : fresh.sources,
    ...(keptOld && previous.notices ? { notices: [...(fresh.notices ?? []), ...previous.notices] } : {}),
    notes: keptOld
      ? [...fresh.notes, 'Regions not refreshed keep their earlier prices and dates (see regionAsOf).', ...previous.notes]
      : fresh.notes,
    types: sorted,
  };
}
