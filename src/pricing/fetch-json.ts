/**
 * GET of one JSON price document (an AWS offer file, a page of Cloud Billing SKUs) with the
 * project's retry policy, typed errors and a clear message when the body is cut short or is
 * not JSON.
 *
 * @module
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { AxiosResponse, AxiosStatic } from 'axios';
import {
  AuthenticationError,
  CloudError,
  NotFoundError,
  PermissionError,
  ProviderUnavailableError,
  RateLimitError,
  TimeoutError,
} from '../core/errors.js';
import { parseRetryAfter, withRetry, type RetryOptions } from '../core/retry.js';
import { CatalogFormatError } from './catalog-data.js';

/** One price document request. */
export interface FetchJsonRequest {
  /** Absolute URL of the price document (already checked with `checkEndpoint` by the caller); errors show it without its query string. */
  readonly url: string;
  /** The provider whose prices are fetched, named in every error. */
  readonly provider: 'aws' | 'gce';
  /** Named in errors, e.g. `fetchPrices`. */
  readonly operation: string;
  /** Query parameters added to `url`, e.g. a page token. */
  readonly params?: Record<string, string>;
  /**
   * Extra request headers, e.g. `x-goog-api-key`. A request carrying a credential header follows redirects only on its own host.
   *
   * @defaultValue none besides `accept`
   */
  readonly headers?: Record<string, string>;
  /** Cancels the request and its retries; the call rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /**
   * Per-request time limit in ms: the whole JSON body must arrive within it (for streamed lines, the longest silence).
   *
   * @defaultValue 300000 (5 minutes: offer files are large)
   */
  readonly timeoutMs?: number;
  /**
   * Retry policy of the request (every fetch is a GET, so retryable failures are retried).
   *
   * @defaultValue `DEFAULT_RETRY` (3 retries, exponential backoff with jitter)
   */
  readonly retry?: RetryOptions;
}

/** Largest body accepted: JSON.parse cannot take strings over ~512 MiB anyway. */
const MAX_BODY_BYTES = 500 * 1024 * 1024;

/**
 * Fetches `request.url` and parses the body as JSON. Throws a `CloudError` kind for HTTP and
 * network failures (retrying the retryable ones) and {@link CatalogFormatError} when the body
 * is truncated or not JSON.
 */
export async function fetchJson(request: FetchJsonRequest): Promise<unknown> {
  const response = await withRetry(() => getText(request), request.retry, { idempotent: true, signal: request.signal });
  const body = response.data;
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > 0 && Buffer.byteLength(body, 'utf8') < declared) {
    throw new CatalogFormatError(`${describe(request)}: truncated body (${Buffer.byteLength(body, 'utf8')} of ${declared} bytes)`, request);
  }
  try {
    return JSON.parse(body) as unknown;
  } catch (error) {
    throw new CatalogFormatError(
      `${describe(request)}: body is not complete JSON (${(error as Error).message}); the file is malformed or truncated`,
      request,
    );
  }
}

/**
 * Streams `request.url` line by line into `consume`, without holding the body in memory (AWS
 * offer files run to gigabytes). The whole download is retried when it fails retryably; a
 * stream that breaks off is a retryable {@link ProviderUnavailableError}, a body that ends
 * short of its `Content-Length` a {@link CatalogFormatError}.
 */
export async function fetchLines<T>(request: FetchJsonRequest, consume: (lines: AsyncIterable<string>) => Promise<T>): Promise<T> {
  return withRetry(
    async () => {
      const response = await getStream(request);
      const declared = response.headers['content-encoding'] ? Number.NaN : Number(response.headers['content-length']);
      let received = 0;
      response.data.on('data', (chunk: Buffer) => (received += chunk.length));
      const lines = createInterface({ input: response.data, crlfDelay: Number.POSITIVE_INFINITY });
      try {
        const result = await consume(lines);
        if (Number.isFinite(declared) && received < declared) {
          throw new CatalogFormatError(`${describe(request)}: truncated body (${received} of ${declared} bytes)`, request);
        }
        return result;
      } catch (error) {
        if (error instanceof CloudError) throw error;
        throw transportError(request, error, (await import('axios')).default);
      } finally {
        lines.close();
        response.data.destroy();
      }
    },
    request.retry,
    { idempotent: true, signal: request.signal },
  );
}

async function getText(request: FetchJsonRequest): Promise<AxiosResponse<string>> {
  const response = await send<string>(request, 'text');
  if (response.status >= 200 && response.status < 300) return response;
  throw httpError(request, response);
}

async function getStream(request: FetchJsonRequest): Promise<AxiosResponse<Readable>> {
  const response = await send<Readable>(request, 'stream');
  if (response.status >= 200 && response.status < 300) return response;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.data as AsyncIterable<Buffer>) {
    if (size < 65_536) chunks.push(chunk);
    size += chunk.length;
  }
  throw httpError(request, { ...response, data: Buffer.concat(chunks).toString('utf8') });
}

/** Request headers that carry a credential: a redirect with them never leaves the host. */
const CREDENTIAL_HEADERS = ['x-goog-api-key', 'authorization', 'x-amz-security-token'];

/**
 * The redirect rule: a request that carries a credential follows redirects only on its own host
 * (and never from https to http); one without follows them anywhere (public offer files move
 * between hosts). axios calls this before each hop; throwing stops the request.
 */
function redirectGuard(request: FetchJsonRequest): (options: Record<string, unknown>) => void {
  const origin = new URL(request.url);
  const carriesCredential = Object.keys(request.headers ?? {}).some((name) => CREDENTIAL_HEADERS.includes(name.toLowerCase()));
  return (options) => {
    const host = String(options.hostname ?? options.host ?? '').replace(/:\d+$/, '');
    const protocol = String(options.protocol ?? '');
    if (
      carriesCredential &&
      (host.toLowerCase() !== origin.hostname.toLowerCase() || (origin.protocol === 'https:' && protocol !== 'https:'))
    ) {
      throw new RedirectRefused(
        `${describe(request)}: redirected to another host (${host || 'unknown'}); a request carrying a credential never follows it`,
      );
    }
  };
}

/** A redirect that would carry a credential to another host. */
class RedirectRefused extends Error {
  override name = 'RedirectRefused';
}

async function send<T>(request: FetchJsonRequest, responseType: 'text' | 'stream'): Promise<AxiosResponse<T>> {
  const timeoutMs = request.timeoutMs ?? 300_000;
  // Imported here, not with the module: the kit re-exports this file, and a driver that never
  // fetches live prices (every SDK driver at start-up) must not pay axios' import.
  const { default: axios } = await import('axios');
  // axios' `timeout` fires only on silence; a whole JSON document must arrive within the bound.
  // (A streamed offer file runs to gigabytes; it keeps the idle bound and its consumer's pace.)
  const exchange = new AbortController();
  const timer = responseType === 'text' ? setTimeout(() => exchange.abort(), timeoutMs) : undefined;
  timer?.unref?.();
  const signal = request.signal ? AbortSignal.any([request.signal, exchange.signal]) : exchange.signal;
  try {
    return await axios.get<T>(request.url, {
      params: request.params,
      headers: { accept: responseType === 'text' ? 'application/json' : 'text/csv, */*', ...request.headers },
      signal,
      maxRedirects: 5,
      beforeRedirect: redirectGuard(request),
      timeout: timeoutMs,
      responseType,
      ...(responseType === 'text' ? { transformResponse: (data: string) => data, maxContentLength: MAX_BODY_BYTES } : {}),
      decompress: true,
      validateStatus: () => true,
    });
  } catch (error) {
    if (exchange.signal.aborted && !request.signal?.aborted) {
      throw new TimeoutError(`${describe(request)}: no complete answer within ${timeoutMs} ms`, {
        provider: request.provider,
        operation: request.operation,
        code: 'request-timeout',
        timeoutMs,
      });
    }
    throw transportError(request, error, axios);
  } finally {
    clearTimeout(timer);
  }
}

function transportError(request: FetchJsonRequest, error: unknown, axios: AxiosStatic): unknown {
  if (error instanceof CloudError) return error;
  let refused: unknown = error;
  // axios and follow-redirects each wrap the refusal; it is somewhere down the cause chain.
  for (let depth = 0; depth < 5 && refused !== undefined && !(refused instanceof RedirectRefused); depth += 1) {
    refused = (refused as { cause?: unknown } | null)?.cause;
  }
  if (refused instanceof RedirectRefused) {
    return new PermissionError(refused.message, {
      provider: request.provider,
      operation: request.operation,
      code: 'cross-host-redirect',
      retryable: false,
    });
  }
  if (axios.isCancel(error) || request.signal?.aborted) return request.signal?.reason ?? error;
  const code = (error as { code?: string }).code;
  const options = { provider: request.provider, operation: request.operation, cause: error, ...(code ? { code } : {}) };
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
    return new TimeoutError(`${describe(request)}: no answer in time`, { ...options, timeoutMs: request.timeoutMs ?? 300_000 });
  }
  if (code === 'ERR_BAD_RESPONSE' && /maxContentLength/.test((error as Error).message)) {
    return new CatalogFormatError(`${describe(request)}: body larger than ${MAX_BODY_BYTES} bytes`, request);
  }
  return new ProviderUnavailableError(`${describe(request)}: ${(error as Error).message}`, options);
}

function httpError(request: FetchJsonRequest, response: AxiosResponse<string>): CloudError {
  const requestId = header(response, 'x-amz-request-id') ?? header(response, 'x-amz-cf-id') ?? header(response, 'x-guploader-uploadid');
  const options = {
    provider: request.provider,
    operation: request.operation,
    statusCode: response.status,
    ...(requestId === undefined ? {} : { requestId }),
  };
  const detail = `${describe(request)}: HTTP ${response.status}${errorDetail(response.data)}`;
  switch (response.status) {
    case 401:
      return new AuthenticationError(detail, options);
    case 403:
      return new PermissionError(detail, options);
    case 404:
      return new NotFoundError(detail, options);
    case 429: {
      const retryAfterMs = parseRetryAfter(header(response, 'retry-after'));
      return new RateLimitError(detail, { ...options, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
    }
    default:
      return response.status >= 500
        ? new ProviderUnavailableError(detail, options)
        : new CloudError(detail, { ...options, retryable: false });
  }
}

function header(response: AxiosResponse, name: string): string | undefined {
  const value: unknown = response.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** The provider's own error message, when the body carries one (Google: `error.message`). */
function errorDetail(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown };
    const message = typeof parsed.error === 'object' ? parsed.error?.message : (parsed.error ?? parsed.message);
    return typeof message === 'string' ? ` (${message.slice(0, 300)})` : '';
  } catch {
    return '';
  }
}

/** The URL without its query (which may carry an API key). */
function describe(request: FetchJsonRequest): string {
  return `GET ${request.url.replace(/\?.*$/, '')}`;
}
