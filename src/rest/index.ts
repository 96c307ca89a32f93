/**
 * The REST layer shared by the JSON-API drivers (DigitalOcean, Hetzner Cloud, Linode), on axios.
 *
 * A driver creates one client with {@link createRestClient} and describes requests; the client
 * adds the bearer token, timeouts, cancellation, the core retry policy (429 with `Retry-After` or
 * a rate-limit reset header on every call; 5xx and lost connections only on calls safe to
 * repeat), page iteration that stays on the configured endpoint, and error mapping to
 * `CloudError`s with the provider's request id. The provider supplies only a parser for its
 * error body. See `docs/rest-layer.md`.
 *
 * @example
 * ```ts
 * const client = createRestClient({ provider: 'digitalocean', endpoint, token: new Secret(token), parseErrorBody });
 * for await (const page of client.paginate({ method: 'GET', path: '/v2/droplets', query: { per_page: 200 }, operation }, nextLink)) {
 *   const droplets = field(page, 'droplets', 'array', { provider: 'digitalocean', operation });
 * }
 * ```
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
export type { ResponseLike } from './body.js';
