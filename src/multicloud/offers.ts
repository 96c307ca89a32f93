/**
 * `findOffers`: every (size, location) across the selected clouds that meets the criteria,
 * ranked by price. Prices are compared only within one currency; another currency is converted
 * only with an exchange rate the caller gives, never with a guessed one.
 *
 * @module
 */
import pLimit from 'p-limit';
import { InvalidRequestError } from '../core/errors.js';
import { checkSizeCriteria, sizeMeets } from './select.js';
import type { CallOptions, Location, Price } from '../core/types.js';
import type { CloudSet } from './clouds.js';
import type { CloudFailure, Offer, OfferList, OfferQuery, OfferRank } from './types.js';

/** Most `listSizes` calls in flight per cloud. */
const SIZE_CONCURRENCY = 4;

export async function findOffers(clouds: CloudSet, query: OfferQuery = {}, options: CallOptions = {}): Promise<OfferList> {
  checkOfferQuery(query);
  const countries = query.countries?.map((country) => country.toUpperCase());
  const selected = clouds.select(query, 'findOffers').filter(([, driver]) => !query.providers || query.providers.includes(driver.provider));
  const failures: CloudFailure[] = [];
  const found: { cloud: string; offer: Omit<Offer, 'rank' | 'comparableHourly' | 'converted'> }[] = [];

  await Promise.all(
    selected.map(async ([cloud, driver]) => {
      try {
        const locations = (await clouds.locations(cloud, options)).filter(
          (location) =>
            (!countries || countries.includes(location.country.toUpperCase())) &&
            (!query.regions || query.regions.includes(location.id) || query.regions.includes(location.region)),
        );
        const limit = pLimit(SIZE_CONCURRENCY);
        const perLocation = await Promise.all(
          locations.map((location) =>
            limit(async () => ({ location, sizes: await clouds.sizes(cloud, location.id, options, location.region) })),
          ),
        );
        for (const { location, sizes } of perLocation) {
          for (const size of sizes) {
            // maxHourly is read in the ranking currency below, so it is not applied per size here.
            if (sizeMeets(size, { ...query, maxHourly: undefined })) {
              found.push({ cloud, offer: { cloud, provider: driver.provider, size, location: location as Location, price: size.price } });
            }
          }
        }
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason;
        failures.push({ cloud, provider: driver.provider, error: error as CloudFailure['error'] });
      }
    }),
  );

  const currency = query.currency?.toUpperCase() ?? mostCommonCurrency(found.map(({ offer }) => offer.price));
  const offers = found
    .map(({ offer }) => ({ ...offer, ...rankOf(offer.price, currency, query.exchangeRates) }))
    .filter((offer) => query.maxHourly === undefined || (offer.comparableHourly !== null && offer.comparableHourly <= query.maxHourly))
    .sort(compareOffers);
  failures.sort((a, b) => a.cloud.localeCompare(b.cloud));
  return { offers, currency: currency ?? null, failures };
}

function rankOf(
  price: Price | null,
  currency: string | undefined,
  rates: OfferQuery['exchangeRates'],
): { rank: OfferRank; comparableHourly: number | null; converted: boolean } {
  if (price === null) return { rank: 'unknown-price', comparableHourly: null, converted: false };
  if (price.currency === currency) return { rank: 'priced', comparableHourly: price.hourly, converted: false };
  const rate = rates?.[price.currency];
  if (rate !== undefined) return { rank: 'priced', comparableHourly: price.hourly * rate, converted: true };
  return { rank: 'other-currency', comparableHourly: null, converted: false };
}

const RANK_ORDER: Record<OfferRank, number> = { priced: 0, 'other-currency': 1, 'unknown-price': 2 };

function compareOffers(a: Offer, b: Offer): number {
  return (
    RANK_ORDER[a.rank] - RANK_ORDER[b.rank] ||
    (a.comparableHourly ?? 0) - (b.comparableHourly ?? 0) ||
    (a.rank === 'other-currency' && a.price && b.price
      ? a.price.currency.localeCompare(b.price.currency) || a.price.hourly - b.price.hourly
      : 0) ||
    a.size.vcpus - b.size.vcpus ||
    a.size.memoryGiB - b.size.memoryGiB ||
    a.cloud.localeCompare(b.cloud) ||
    a.location.id.localeCompare(b.location.id) ||
    a.size.id.localeCompare(b.size.id)
  );
}

function mostCommonCurrency(prices: readonly (Price | null)[]): string | undefined {
  const counts = new Map<string, number>();
  for (const price of prices) if (price) counts.set(price.currency, (counts.get(price.currency) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}

function checkOfferQuery(query: OfferQuery): void {
  checkSizeCriteria('findOffers', { ...query, location: undefined });
  const fail = (field: string, expected: string) => {
    throw new InvalidRequestError(`"${field}" must be ${expected}`, { provider: 'polycloud', operation: 'findOffers', field });
  };
  for (const field of ['countries', 'regions', 'providers'] as const) {
    const list = query[field];
    if (list !== undefined && (!Array.isArray(list) || list.some((each) => typeof each !== 'string' || each === '')))
      fail(field, 'a list of non-empty strings');
  }
  if (query.countries?.some((country) => !/^[A-Za-z]{2}$/.test(country))) fail('countries', 'ISO 3166-1 alpha-2 codes such as "DE"');
  if (query.currency !== undefined && !/^[A-Za-z]{3}$/.test(query.currency)) fail('currency', 'an ISO 4217 code such as "USD"');
  if (query.exchangeRates !== undefined) {
    if (typeof query.exchangeRates !== 'object' || query.exchangeRates === null) fail('exchangeRates', 'an object of currency → rate');
    for (const [code, rate] of Object.entries(query.exchangeRates)) {
      if (!/^[A-Z]{3}$/.test(code) || !(typeof rate === 'number' && Number.isFinite(rate) && rate > 0))
        fail(`exchangeRates.${code}`, 'a positive rate keyed by an upper-case ISO 4217 code');
    }
  }
}
