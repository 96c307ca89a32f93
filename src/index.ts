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
 * @module polycloud
 */
export * from './core/types.js';
export * from './core/errors.js';
export { defineDriver, matchesQuery } from './core/driver.js';
export type { Driver, DriverContext, DriverImplementation, NormalizedNodeQuery } from './core/driver.js';
export { createDriver, registerProvider, listProviders, getProvider, isAvailableProvider, isBuiltInProvider } from './core/registry.js';
export type {
  AvailableProvider,
  DriverByProvider,
  DriverOptionsByProvider,
  ProviderDescriptor,
  TypedProviderName,
} from './core/registry.js';
export { withRetry, parseRetryAfter, resolveRetryOptions, DEFAULT_RETRY } from './core/retry.js';
export type { RetryOptions, RetryCall } from './core/retry.js';
export { DEFAULT_WAIT } from './core/wait.js';
export { pollUntil, DEFAULT_POLL, POLL_FLOOR_MS } from './core/poll.js';
export type { PollResult, PollUntilOptions } from './core/poll.js';
export { systemClock, VirtualClock } from './core/clock.js';
export type { Clock } from './core/clock.js';
export { Secret, redactSecrets, registerSecret, SECRET_REGISTRY_LIMITS } from './core/secrets.js';
export type { RegisterSecretOptions } from './core/secrets.js';
export { checkEndpoint, isLoopbackHost } from './core/endpoint.js';
export { fanOut, fanOutPages } from './core/fanout.js';
export type { FanOutOptions } from './core/fanout.js';
export { DEFAULT_LIMITS, DEFAULT_ID_PATTERN } from './core/validate.js';
export type { CheckContext } from './core/validate.js';
export type { Logger } from './core/logger.js';
export * from './multicloud/index.js';
export { findSizes, findImage, equivalentSize, pickImage } from './multicloud/select.js';
export type { SizeCriteria, ImageCriteria } from './multicloud/select.js';
// Price catalogs: the data is each provider's (aws, gce); these reach it through the registry.
// Live-price settings are driver options (`livePrices`) or `loadPriceCatalog(…, { livePrices })`.
export {
  loadPriceCatalog,
  loadPriceTable,
  makePrice,
  priceTableFromData,
  clearLivePriceCache,
  CatalogFormatError,
  DEFAULT_LIVE_PRICE_TTL_MS,
} from './pricing/index.js';
export type {
  PriceCatalog,
  PriceTable,
  PriceSourceOption,
  CatalogSizeSpec,
  LivePriceOptions,
  LoadPriceCatalogOptions,
  CatalogSource,
} from './pricing/index.js';
// Region facts: the tables are each provider's (`AWS_REGIONS` from polycloud/providers/aws, `GCE_REGIONS` from polycloud/providers/gce).
export { regionTable } from './core/regions.js';
export type { RegionFacts, RegionRow, RegionTable } from './core/regions.js';
export type { CatalogData, CatalogProvider, CatalogType } from './pricing/catalog-data.js';
