/**
 * The REST transport of the JSON-API drivers (DigitalOcean, Hetzner Cloud, Linode): one axios
 * instance per driver with the endpoint, bearer auth, timeouts, cancellation, the core retry
 * policy, page iteration and error mapping. Drivers describe requests; they never touch axios.
 *
 * @module
 */
import type { AxiosInstance, AxiosResponse, CreateAxiosDefaults } from 'axios';
import { checkEndpoint, isLoopbackHost } from '../core/endpoint.js';
import { CloudError, InvalidRequestError, isRateLimitError } from '../core/errors.js';
import { DEFAULT_BOUNDS, ListingGuard, bodyTooLargeError, requestTimeoutError, type TransportBounds } from '../core/limits.js';
import { safeLogger, type Logger } from '../core/logger.js';
import { withRetry, type RetryOptions } from '../core/retry.js';
import type { Secret } from '../core/secrets.js';
import type { ProviderName } from '../core/types.js';
import { malformedResponse, mapHttpFailure, mapTransportFailure, type ErrorBodyParser, type FailureContext } from './errors.js';
import { encodeQuery, pageFromLink, type NextPage, type Query } from './pages.js';

/** HTTP methods the drivers use. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** How to reach and talk to one provider's REST API. */
export interface RestClientOptions {
  /** The provider this client talks to, named in every error it raises and in its log lines. */
  readonly provider: ProviderName;
  /**
   * Base URL, e.g. `https://api.digitalocean.com` or `https://api.hetzner.cloud/v1`. Checked with
   * `checkEndpoint`: `https:` anywhere, plain `http:` only on loopback.
   */
  readonly endpoint: string;
  /** The API token, sent as `Authorization: Bearer …` and never shown anywhere else. */
  readonly token: Secret;
  /**
   * Headers that authenticate each attempt, asked for afresh before every attempt (so a token
   * renewed in between is used), instead of `Authorization: Bearer <token>`. For APIs that take
   * a token in their own header, e.g. OpenStack's `X-Auth-Token`.
   * @defaultValue `Authorization: Bearer <token>`
   */
  readonly authHeaders?: () => Readonly<Record<string, string>> | Promise<Readonly<Record<string, string>>>;
  /**
   * Reads the provider's error body.
   * @defaultValue none (errors carry the status only)
   */
  readonly parseErrorBody?: ErrorBodyParser;
  /**
   * Response headers holding the provider's request id, first match wins.
   * @defaultValue `['x-request-id']`
   */
  readonly requestIdHeaders?: readonly string[];
  /**
   * Headers with the rate-limit reset time (Unix seconds), consulted on a 429 without
   * `Retry-After`.
   * @defaultValue `['ratelimit-reset', 'x-ratelimit-reset']`
   */
  readonly rateLimitResetHeaders?: readonly string[];
  /**
   * Per-request bound in ms on the whole exchange, connect to the last byte of the body: a server
   * that drips its answer is stopped too.
   * @defaultValue 30000
   */
  readonly timeoutMs?: number;
  /**
   * Largest answer body (counted after decompression, so a gzip bomb is refused), most pages and
   * longest time of one `paginate` call.
   * @defaultValue `DEFAULT_BOUNDS` (32 MiB, 1000 pages, 600000 ms)
   */
  readonly bounds?: TransportBounds;
  /**
   * Retries of failed requests that are safe to repeat.
   * @defaultValue `DEFAULT_RETRY` (3 retries, exponential backoff with jitter)
   */
  readonly retry?: RetryOptions;
  /**
   * `User-Agent` header.
   * @defaultValue `'polycloud'`
   */
  readonly userAgent?: string;
  /**
   * Where retries are reported.
   * @defaultValue nowhere
   */
  readonly logger?: Logger;
}

/** One request, described. */
export interface RestRequest {
  /** The HTTP method; also decides the default of {@link RestRequest.idempotent}. */
  readonly method: HttpMethod;
  /**
   * Path under the endpoint, starting with one `/`, e.g. `/v2/droplets`. Build paths with
   * {@link urlPath} so ids are encoded.
   */
  readonly path: string;
  /** Query parameters, appended to `path` in insertion order; `undefined` values are left out. */
  readonly query?: Query;
  /** Sent as JSON with `Content-Type: application/json`; without it (and `rawBody`) no body is sent. */
  readonly body?: unknown;
  /**
   * Sent as is with its own content type instead of a JSON `body`, for the rare call that takes
   * raw text (Scaleway's user data: `text/plain`). At most `maxBodyBytes` (UTF-8): a larger one is
   * an `InvalidRequestError` (field `body`) before any request. Not together with `body`.
   */
  readonly rawBody?: {
    /** The `Content-Type` header sent with it, e.g. `text/plain`; must be a `type/subtype` media type. */
    readonly contentType: string;
    /** The body, sent as UTF-8. */
    readonly text: string;
  };
  /**
   * How the answer body is read: `'json'` parsed (a body that is not JSON is a
   * `malformed-response` CloudError), `'text'` returned as the string it is (an empty body: `''`).
   * @defaultValue 'json'
   */
  readonly responseAs?: 'json' | 'text';
  /** Extra headers, e.g. Linode's `X-Filter`. Authentication and content-type headers override them. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Whether the request may be repeated after a server error or a lost connection. A 429 is
   * retried either way: the provider did not act on a throttled request.
   * @defaultValue true for GET, HEAD and DELETE, false otherwise
   */
  readonly idempotent?: boolean;
  /** The driver operation, named in errors, e.g. `listNodes`. */
  readonly operation: string;
  /** Cancels the request (and any retry pause); the call then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** The region or zone the request is about, named in errors. */
  readonly location?: string;
  /** When the request addresses a node: a 404 becomes `NodeNotFoundError` for this id. */
  readonly nodeId?: string;
  /**
   * Retry options for this request only, e.g. `{ retries: 0 }` when the caller retries a larger
   * sequence itself (a create guarded by an existence check).
   * @defaultValue the client's `retry`
   */
  readonly retry?: RetryOptions;
}

/** A successful answer (2xx). */
export interface RestResponse<T = unknown> {
  /** The HTTP status code, 200–299. */
  readonly status: number;
  /**
   * The parsed JSON body; `undefined` when the body was empty. With `responseAs: 'text'`, the
   * body as a string (`''` when empty).
   */
  readonly data: T;
  /** Response headers, names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The provider's request id, when a header carried one. */
  readonly requestId?: string;
}

/** A provider's REST API, as the drivers use it. */
export interface RestClient {
  /** The provider given in {@link RestClientOptions.provider}. */
  readonly provider: ProviderName;
  /** The checked base URL, without a trailing slash. */
  readonly endpoint: string;
  /** Sends a request (retrying it where safe) and returns the answer, or throws a `CloudError`. */
  request<T = unknown>(request: RestRequest): Promise<RestResponse<T>>;
  /**
   * Requests `first`, then every following page `nextPage` finds, each on the configured
   * endpoint (see `pageFromLink`), yielding each answer. Throws a `CloudError` when a provider
   * sends the same page twice (a pagination loop, `code: 'bad-pagination'`), when the listing
   * passes `maxPages` (`code: 'page-limit'`), and a `TimeoutError` when it outlives
   * `listingTimeoutMs` (`code: 'listing-timeout'`).
   */
  paginate<T = unknown>(first: RestRequest, nextPage: NextPage<T>): AsyncGenerator<RestResponse<T>>;
}

/** Defaults of {@link RestClientOptions}. */
export const REST_DEFAULTS = {
  /** Bound on one whole request, in ms (30 000). */
  timeoutMs: DEFAULT_BOUNDS.requestTimeoutMs,
  /** Largest answer body, in bytes after decompression (32 MiB). */
  maxBodyBytes: DEFAULT_BOUNDS.maxBodyBytes,
  /** Most pages one `paginate` call fetches (1000). */
  maxPages: DEFAULT_BOUNDS.maxPages,
  /** Longest time of one `paginate` call, in ms (600 000). */
  listingTimeoutMs: DEFAULT_BOUNDS.listingTimeoutMs,
  /** Response headers searched for the provider's request id. */
  requestIdHeaders: ['x-request-id'] as readonly string[],
  /** Headers read for the rate-limit reset time when a 429 has no `Retry-After`. */
  rateLimitResetHeaders: ['ratelimit-reset', 'x-ratelimit-reset'] as readonly string[],
  /** The `User-Agent` header sent. */
  userAgent: 'polycloud',
} as const;

/** Creates the REST client of one driver. */
export function createRestClient(options: RestClientOptions): RestClient {
  const { provider, token } = options;
  const endpoint = checkEndpoint(options.endpoint, provider);
  if (token.reveal() === '' || [...token.reveal()].some((char) => char.charCodeAt(0) <= 0x20 || char.charCodeAt(0) === 0x7f)) {
    throw new InvalidRequestError('"token" must be a non-empty API token without spaces or control characters', {
      provider,
      operation: 'configure',
      field: 'token',
    });
  }
  const timeoutMs = options.timeoutMs ?? REST_DEFAULTS.timeoutMs;
  const maxBodyBytes = options.bounds?.maxBodyBytes ?? REST_DEFAULTS.maxBodyBytes;
  const requestIdHeaders = (options.requestIdHeaders ?? REST_DEFAULTS.requestIdHeaders).map((name) => name.toLowerCase());
  const resetHeaders = options.rateLimitResetHeaders ?? REST_DEFAULTS.rateLimitResetHeaders;
  const log = safeLogger(options.logger);
  const httpConfig: CreateAxiosDefaults = {
    baseURL: endpoint,
    allowAbsoluteUrls: false,
    timeout: timeoutMs,
    // A redirect could carry the token to another host; no provider API redirects.
    maxRedirects: 0,
    // Counted by axios after decompression, so a small gzip that inflates without end is refused.
    maxContentLength: maxBodyBytes,
    maxBodyLength: maxBodyBytes,
    decompress: true,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    // An HTTP(S)_PROXY from the environment must never see loopback (test) traffic.
    ...(isLoopbackHost(new URL(endpoint).hostname) ? { proxy: false as const } : {}),
    headers: { Accept: 'application/json', 'User-Agent': options.userAgent ?? REST_DEFAULTS.userAgent },
  };
  // axios is imported on the first request, not with this module: the kit re-exports this file, and
  // every driver built on an SDK (AWS, Compute, Azure) would otherwise pay axios' import at start-up.
  let instance: Promise<AxiosInstance> | undefined;
  const httpClient = (): Promise<AxiosInstance> => (instance ??= import('axios').then(({ default: axios }) => axios.create(httpConfig)));

  async function once<T>(request: RestRequest, context: FailureContext): Promise<RestResponse<T>> {
    const url = `${request.path}${encodeQuery(request.query)}`;
    const http = await httpClient();
    let answer: AxiosResponse<string>;
    // axios' own `timeout` fires only on silence; this bound covers the whole exchange, so a body
    // that drips a byte at a time is cut off too.
    const exchange = new AbortController();
    const timer = setTimeout(() => exchange.abort(), timeoutMs);
    timer.unref?.();
    const signal = request.signal ? AbortSignal.any([request.signal, exchange.signal]) : exchange.signal;
    try {
      answer = await http.request<string>({
        method: request.method,
        url,
        headers: {
          ...request.headers,
          ...(options.authHeaders ? await options.authHeaders() : { Authorization: `Bearer ${token.reveal()}` }),
          ...(request.body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...(request.rawBody === undefined ? {} : { 'Content-Type': request.rawBody.contentType }),
        },
        ...(request.body === undefined ? {} : { data: JSON.stringify(request.body) }),
        ...(request.rawBody === undefined ? {} : { data: request.rawBody.text }),
        signal,
      });
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason;
      if (exchange.signal.aborted) throw requestTimeoutError(context, timeoutMs, error);
      const { code, message } = error as { code?: unknown; message?: unknown };
      if (code === 'ERR_BAD_RESPONSE' && /maxContentLength/.test(String(message))) throw bodyTooLargeError(context, maxBodyBytes);
      throw mapTransportFailure({ ...(typeof code === 'string' ? { code } : {}), message: String(message ?? error) }, context, timeoutMs);
    }
    const headers = plainHeaders(answer.headers);
    const requestId = requestIdHeaders.map((name) => headers[name]).find((value) => value !== undefined && value !== '');
    const text = typeof answer.data === 'string' ? answer.data : '';
    if (answer.status < 200 || answer.status >= 300) {
      const failure = { status: answer.status, headers, body: parseLoosely(text), ...(requestId ? { requestId } : {}) };
      throw mapHttpFailure(failure, context, options.parseErrorBody, resetHeaders);
    }
    if (request.responseAs === 'text') return { status: answer.status, data: text as T, headers, ...(requestId ? { requestId } : {}) };
    let data: unknown;
    if (text.trim() !== '') {
      try {
        data = JSON.parse(text);
      } catch {
        throw malformedResponse(
          `body is not valid JSON (${text.length} characters, possibly truncated)`,
          context,
          answer.status,
          requestId,
        );
      }
    }
    return { status: answer.status, data: data as T, headers, ...(requestId ? { requestId } : {}) };
  }

  async function request<T>(request: RestRequest): Promise<RestResponse<T>> {
    if (!/^\/(?!\/)/.test(request.path) || /[?#]/.test(request.path)) {
      throw new CloudError(`request path ${JSON.stringify(request.path)} must start with a single "/" and hold no query`, {
        provider,
        operation: request.operation,
      });
    }
    const context: FailureContext = {
      provider,
      operation: request.operation,
      ...(request.location ? { location: request.location } : {}),
      ...(request.nodeId !== undefined ? { nodeId: request.nodeId } : {}),
    };
    if (request.rawBody !== undefined) checkRawBody(request, maxBodyBytes, provider);
    const idempotent = request.idempotent ?? (request.method === 'GET' || request.method === 'HEAD' || request.method === 'DELETE');
    // A non-idempotent request is repeated only after a 429; any other failure ends the call
    // at once, passed out of the retry loop as a value so the loop does not see it.
    const outcome = await withRetry(
      async () => {
        try {
          return { ok: true as const, response: await once<T>(request, context) };
        } catch (error) {
          if (!idempotent && !isRateLimitError(error)) return { ok: false as const, error };
          throw error;
        }
      },
      request.retry ?? options.retry,
      {
        idempotent: true,
        ...(request.signal ? { signal: request.signal } : {}),
        onRetry: ({ attempt, error, delayMs }) =>
          log.debug(
            `${provider} ${request.operation}: ${request.method} ${request.path} attempt ${attempt} failed (${(error as Error).message}); retrying in ${delayMs} ms`,
          ),
      },
    );
    if (!outcome.ok) throw outcome.error;
    return outcome.response;
  }

  async function* paginate<T>(first: RestRequest, nextPage: NextPage<T>): AsyncGenerator<RestResponse<T>> {
    const seen = new Set<string>();
    const context = { provider, operation: first.operation, ...(first.location ? { location: first.location } : {}) };
    const guard = new ListingGuard(context, {
      maxPages: options.bounds?.maxPages ?? REST_DEFAULTS.maxPages,
      listingTimeoutMs: options.bounds?.listingTimeoutMs ?? REST_DEFAULTS.listingTimeoutMs,
    });
    // The listing deadline also cuts off the page (or the retry pause) under way when it passes.
    const listing = new AbortController();
    const timer = setTimeout(() => listing.abort(guard.timeoutError()), guard.listingTimeoutMs);
    timer.unref?.();
    const signal = first.signal ? AbortSignal.any([first.signal, listing.signal]) : listing.signal;
    try {
      yield* pagesOf(first, nextPage, seen, guard, signal);
    } finally {
      clearTimeout(timer);
    }
  }

  async function* pagesOf<T>(
    first: RestRequest,
    nextPage: NextPage<T>,
    seen: Set<string>,
    guard: ListingGuard,
    signal: AbortSignal,
  ): AsyncGenerator<RestResponse<T>> {
    let current: RestRequest | undefined = { ...first, signal };
    while (current) {
      guard.beforePage();
      const key = `${current.path}${encodeQuery(current.query)}`;
      if (seen.has(key)) {
        throw new CloudError(`the provider sent the page ${JSON.stringify(key)} twice; stopping instead of looping`, {
          provider,
          operation: first.operation,
          code: 'bad-pagination',
        });
      }
      seen.add(key);
      const page: RestResponse<T> = await request<T>(current);
      yield page;
      const cursor = nextPage(page);
      if (!cursor) return;
      const next =
        'link' in cursor
          ? pageFromLink(cursor.link, endpoint, first.path, first.query ?? {}, { provider, operation: first.operation })
          : { path: first.path, query: { ...first.query, ...cursor.query } };
      current = { ...first, path: next.path, query: next.query, signal };
    }
  }

  return { provider, endpoint, request, paginate };
}

/**
 * A request path with every `${value}` percent-encoded as one path segment:
 * ``urlPath`/v2/droplets/${id}/actions` ``.
 */
export function urlPath(strings: TemplateStringsArray, ...values: readonly (string | number)[]): string {
  return strings.reduce(
    (path, literal, index) => path + literal + (index < values.length ? encodeURIComponent(String(values[index])) : ''),
    '',
  );
}

/** A raw body is alone (no JSON `body` too), has a content type, and fits in `maxBodyBytes`. */
function checkRawBody(request: RestRequest, maxBodyBytes: number, provider: ProviderName): void {
  const raw = request.rawBody as NonNullable<RestRequest['rawBody']>;
  if (request.body !== undefined || !/^[\w.+-]+\/[\w.+-]+(;.*)?$/.test(raw.contentType) || /[\r\n]/.test(raw.contentType)) {
    throw new CloudError('a raw body needs a content type such as "text/plain" and no JSON body beside it', {
      provider,
      operation: request.operation,
    });
  }
  const bytes = Buffer.byteLength(raw.text, 'utf8');
  if (bytes > maxBodyBytes) {
    throw new InvalidRequestError(`"body" must be at most ${maxBodyBytes} bytes, got ${bytes} bytes`, {
      provider,
      operation: request.operation,
      field: 'body',
    });
  }
}

function plainHeaders(headers: AxiosResponse['headers']): Record<string, string> {
  const plain: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined || value === null) continue;
    plain[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return plain;
}

function parseLoosely(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
