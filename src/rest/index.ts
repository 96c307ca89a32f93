/**
 * The REST layer of the JSON-API drivers (DigitalOcean, Hetzner Cloud, Linode, and any provider
 * written with {@link defineRestDriver}), on axios.
 *
 * The transport ({@link createRestClient}) adds the bearer token, timeouts, cancellation, the core
 * retry policy, page iteration that stays on the configured endpoint, and error mapping to
 * `CloudError`s. {@link defineRestDriver} turns a provider's spec — endpoint, token variables,
 * paging style, collections and mappers, create body, routes, tag idempotency, SSH-key registry,
 * actions — into a driver. See `docs/rest-layer.md` and `docs/writing-a-driver.md`.
 *
 * @module
 */
export { createRestClient, urlPath, REST_DEFAULTS } from './client.js';
export type { HttpMethod, RestClient, RestClientOptions, RestRequest, RestResponse } from './client.js';
export { pageFromLink, encodeQuery } from './pages.js';
export type { NextPage, PageCursor, Query, QueryValue } from './pages.js';
export { kindOfStatus, mapHttpFailure, mapTransportFailure, malformedResponse, rateLimitDelayMs } from './errors.js';
export type { ErrorBodyParser, FailureContext, HttpErrorKind, HttpFailure, ProviderErrorDetail, TransportFailure } from './errors.js';
export { field } from './body.js';
export type { ResponseLike, Shape, ShapeType } from './body.js';
export { defineRestDriver } from './define.js';
export { limitedClient } from './limited.js';
export { REST_ACTION_DEFAULTS, REST_DRIVER_DEFAULTS, requestTimeoutOf, resolveToken } from './options.js';
export type { RestActionOptions, RestDriverOptions } from './options.js';
export { checkPageSize, linkPaging, metaPaging, pageCountPaging, pageQuery } from './paging.js';
export type { PagingStyle } from './paging.js';
export { keyPairOf, keyRegistry, managedKeyName, md5Fingerprint } from './key-registry.js';
export type { KeyRegistry, KeyRegistrySpec } from './key-registry.js';
export { KEY_MARK_LABEL_PREFIX, KEY_MARK_TAG_PREFIX, isKeyMarkLabel, isKeyMarkTag, keysMarkedOn, withKeyMarks } from './key-marks.js';
export type { RestKeyMarks } from './key-marks.js';
export { createOnce, findMarked } from './idempotency.js';
export type { MarkedCreate } from './idempotency.js';
export { actionIn, waitForAction } from './actions.js';
export { checkPlacesIn } from './places.js';
export type { CheckPlaces, PlaceList } from './places.js';
export type {
  ActionStatus,
  EntryCheck,
  ListRequest,
  PushedQuery,
  RestActions,
  RestCollection,
  RestCreate,
  RestDriverSpec,
  RestIdempotency,
  RestNodes,
  RestRoute,
  RestRoutes,
  RestRuntime,
  RestSizesCollection,
  RestTransportSpec,
} from './spec.js';
