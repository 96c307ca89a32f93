/**
 * `polycloud/kit`: everything a driver author needs, from this one entry point. A driver in this
 * repository (`providers/*`) imports only this file and its own folder (a lint rule holds it); a
 * driver in another package imports `polycloud/kit` the same way.
 *
 * ```ts
 * import { defineDriver, registerProvider, NUMERIC_ID, withRetry } from 'polycloud/kit';
 * ```
 *
 * What is here: `defineDriver` (the contract in one place) and `registerProvider`; the argument
 * checks; retry and `Retry-After`; polling (`pollUntil`) and waiting; bounded fan-out over
 * regions; `Secret` and redaction; every error class and the one kind→class table; `Clock` and
 * `VirtualClock`; id patterns and path encoding; `mergeDefaults`; endpoint checks; the price
 * catalog machinery (`definePriceCatalog`) and region tables (`regionTable`).
 *
 * @module polycloud/kit
 */
export * from './core/types.js';
export * from './core/errors.js';
export { ERROR_CLASSES, createCloudError } from './core/error-kinds.js';
export type { CloudErrorKindOptions, SingleCloudErrorKind } from './core/error-kinds.js';
export { defineDriver, matchesQuery } from './core/driver.js';
export { fullCapabilities } from './core/capabilities.js';
export type { CapabilityChoices } from './core/capabilities.js';
export type { Driver, DriverContext, DriverImplementation, NormalizedNodeQuery } from './core/driver.js';
export { attachGeneratedCredentials, generatedCredentialsOf, generatedPassword } from './core/launch-spec.js';
export type { GeneratedCredentials, LaunchSpec, LaunchSpecDriver, LaunchSpecImplementation } from './core/launch-spec.js';
export { LAUNCH_USER_DATA_MAX_BYTES, userDataReadBack } from './core/user-data.js';
export { registerProvider, listProviders, getProvider, createDriver } from './core/registry.js';
export type { ProviderDescriptor, DriverOptionsByProvider, DriverByProvider, TypedProviderName } from './core/registry.js';
export {
  DEFAULT_LIMITS,
  checkDuration,
  checkId,
  checkIdOrObject,
  checkIdempotencyKey,
  checkName,
  checkObject,
  checkPositiveInteger,
  checkSignal,
  checkSshKeys,
  checkStates,
  checkTags,
  checkUserData,
  describeReceived,
  invalid,
} from './core/validate.js';
export type { CheckContext } from './core/validate.js';
export { DEFAULT_ID_PATTERN, NUMERIC_ID, UUID_ID, encodedPath, idPattern, pathIdPattern } from './core/ids.js';
export type { IdKind, IdPattern, IdPatterns } from './core/ids.js';
export { mergeDefaults } from './core/options.js';
export { ttlCache } from './core/ttl-cache.js';
export type { WithDefaults } from './core/options.js';
export { withRetry, parseRetryAfter, resolveRetryOptions, DEFAULT_RETRY } from './core/retry.js';
export type { RetryOptions, RetryCall } from './core/retry.js';
export { DEFAULT_WAIT, pollNodeUntil } from './core/wait.js';
export type { WaitTarget } from './core/wait.js';
export { pollUntil, DEFAULT_POLL, POLL_FLOOR_MS } from './core/poll.js';
export type { PollResult, PollUntilOptions } from './core/poll.js';
export { fanOut, fanOutPages } from './core/fanout.js';
export type { FanOutOptions } from './core/fanout.js';
export { systemClock, VirtualClock } from './core/clock.js';
export type { Clock } from './core/clock.js';
export { Secret, redactSecrets, registerSecret, sanitizeCause } from './core/secrets.js';
export { checkEndpoint, isLoopbackHost } from './core/endpoint.js';
export { settleOrAbort } from './core/abort.js';
export { MALFORMED_RESPONSE_CODE, checkEntries, checkEntry, entryCheck, malformedEntryError } from './core/entries.js';
export type { EntryProblem, EntryWhere } from './core/entries.js';
export { BOUND_CODES, DEFAULT_BOUNDS, ListingGuard, bodyTooLargeError, requestTimeoutError } from './core/limits.js';
export type { ListingBounds, RequestBounds, TransportBounds } from './core/limits.js';
export { safeLogger } from './core/logger.js';
export type { Logger } from './core/logger.js';
export { AdaptivePacer } from './core/pacer.js';
export { MANAGED_KEY_PREFIX, MAX_PUBLIC_KEY_LENGTH, checkImportKeyPair, isManagedKeyName, publicKeyFingerprint } from './core/key-pairs.js';
export type { DestroyNodeOptions, ImportKeyPairRequest, KeyPair, KeyPairImplementation, KeyPairMethods } from './core/key-pairs.js';
export { addressOf, defaultLoginUser } from './core/login.js';
export type { SshLogin } from './core/login.js';
export { CONTINENTS, regionTable } from './core/regions.js';
export type { RegionFacts, RegionRow, RegionTable } from './core/regions.js';
// Price catalogs: a provider hands its bundled snapshot and live fetcher to definePriceCatalog.
export {
  CatalogFormatError,
  checkLivePriceOptions,
  definePriceCatalog,
  DEFAULT_LIVE_PRICE_TTL_MS,
  loadPriceCatalog,
  makePrice,
  priceTableFromData,
  validateCatalogData,
} from './pricing/index.js';
// Bounded JSON and line fetching for live price sources (axios, imported on the first fetch).
export { fetchJson, fetchLines } from './pricing/fetch-json.js';
export type { FetchJsonRequest } from './pricing/fetch-json.js';
export type {
  CatalogData,
  CatalogType,
  LivePriceOptions,
  LoadPriceCatalogOptions,
  PriceCatalog,
  PriceCatalogSpec,
  PriceSourceOption,
  PriceTable,
  PriceTableLoader,
} from './pricing/index.js';
// The REST layer: `defineRestDriver(spec)` and the transport, paging styles, key registry and actions it is built from.
export * from './rest/index.js';
