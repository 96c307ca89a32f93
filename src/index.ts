/**
 * polycloud: one typed, promise-based API for virtual machines on every cloud.
 *
 * ```ts
 * import { createDriver } from 'polycloud';
 * const cloud = await createDriver(); // the embedded `local` provider
 * const node = await cloud.createNode({ name: 'web-1', size: 's-2vcpu-4gb', image: 'ubuntu-24.04-x64', location: 'fra1' });
 * await cloud.waitForNode(node, 'running');
 * ```
 *
 * @module
 */
export * from './types.js';
export * from './errors.js';
export { defineDriver, matchesQuery } from './driver.js';
export type { Driver, DriverContext, DriverImplementation, NormalizedNodeQuery } from './driver.js';
export { createDriver, isAvailableProvider } from './registry.js';
export type { AvailableProvider, DriverByProvider, DriverOptionsByProvider } from './registry.js';
export { withRetry, parseRetryAfter, resolveRetryOptions, DEFAULT_RETRY } from './retry.js';
export type { RetryOptions, RetryCall } from './retry.js';
export { DEFAULT_WAIT } from './wait.js';
export { systemClock, VirtualClock } from './clock.js';
export type { Clock } from './clock.js';
export { Secret, redactSecrets, registerSecret } from './secrets.js';
export { checkEndpoint, isLoopbackHost } from './endpoint.js';
export { fanOut, fanOutPages } from './fanout.js';
export type { FanOutOptions } from './fanout.js';
export { DEFAULT_LIMITS, DEFAULT_ID_PATTERN } from './validate.js';
export type { CheckContext } from './validate.js';
export type { Logger } from './logger.js';
export * from './multicloud.js';
export { findSizes, findImage, equivalentSize, pickImage } from './select.js';
export type { SizeCriteria, ImageCriteria } from './select.js';
export {
  loadPriceCatalog,
  loadPriceTable,
  makePrice,
  priceTableFromData,
  setLivePriceOptions,
  clearLivePriceCache,
  CatalogFormatError,
  DEFAULT_LIVE_PRICE_TTL_MS,
  GCE_BILLING_API_KEY_ENV,
} from './pricing.js';
export type { PriceCatalog, PriceTable, PriceSourceOption, CatalogSizeSpec, LivePriceOptions, CatalogSource } from './pricing.js';
export { regionFacts, zoneRegion, knownRegions } from './regions.js';
export type { RegionFacts, RegionFactsProvider } from './regions.js';
export type { CatalogData, CatalogProvider, CatalogType } from './pricing/catalog-data.js';
