/**
 * Live prices from the providers' official price sources, cached in memory.
 *
 * @module
 */
import { ConfigurationError } from '../errors.js';
import type { CatalogData, CatalogProvider } from './catalog-data.js';

/** Default time live prices stay cached: 6 hours. */
export const DEFAULT_LIVE_PRICE_TTL_MS = 6 * 60 * 60 * 1000;

/** Where and how live prices are fetched. */
export interface LivePriceOptions {
  /** Base URL of the official price source. */
  readonly endpoint?: string;
  /** Time a fetched price list stays cached, in ms. Default: {@link DEFAULT_LIVE_PRICE_TTL_MS}. */
  readonly ttlMs?: number;
}

const configured = new Map<CatalogProvider, LivePriceOptions>();

/** Sets the live price options of one provider. */
export function setLivePriceOptions(provider: CatalogProvider, options: LivePriceOptions): void {
  configured.set(provider, { ...options });
}

/** Forgets every cached live price list. */
export function clearLivePriceCache(): void {}

/** Fetches the live price list of `provider`. */
export async function loadLiveCatalogData(provider: CatalogProvider, _bundled: unknown, _signal?: AbortSignal): Promise<CatalogData> {
  throw new ConfigurationError('live prices are being implemented (work in progress)', { provider, operation: 'loadPriceCatalog' });
}
