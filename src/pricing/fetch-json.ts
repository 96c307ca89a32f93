/**
 * GET of one JSON price document (an AWS offer file, a page of Cloud Billing SKUs) with the
 * project's retry policy, typed errors and a clear message when the body is cut short or is
 * not JSON.
 *
 * @module
 */
import axios, { type AxiosResponse } from 'axios';
import {
  AuthenticationError,
  CloudError,
  NotFoundError,
  PermissionError,
  ProviderUnavailableError,
  RateLimitError,
  TimeoutError,
} from '../errors.js';
import { parseRetryAfter, withRetry, type RetryOptions } from '../retry.js';
import { CatalogFormatError } from './catalog-data.js';

/** One price document request. */
export interface FetchJsonRequest {
  readonly url: string;
  readonly provider: 'aws' | 'gce';
  /** Named in errors, e.g. `fetchPrices`. */
  readonly operation: string;
  readonly params?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
  /** Per-request time limit in ms. Default: 300 000 (offer files are large). */
  readonly timeoutMs?: number;
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
  const response = await withRetry(() => get(request), request.retry, { idempotent: true, signal: request.signal });
  const body = response.data;
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > 0 && Buffer.byteLength(body, 'utf8') < declared) {
    throw new CatalogFormatError(
      `${describe(request)}: truncated body (${Buffer.byteLength(body, 'utf8')} of ${declared} bytes)`,
      request,
    );
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

async function get(request: FetchJsonRequest): Promise<AxiosResponse<string>> {
  try {
    return await axios.get<string>(request.url, {
      params: request.params,
      headers: { accept: 'application/json', ...request.headers },
      signal: request.signal,
      timeout: request.timeoutMs ?? 300_000,
      responseType: 'text',
      transformResponse: (data: string) => data,
      maxContentLength: MAX_BODY_BYTES,
      decompress: true,
      validateStatus: () => true,
    }).then((response) => {
      if (response.status >= 200 && response.status < 300) return response;
      throw httpError(request, response);
    });
  } catch (error) {
    if (error instanceof CloudError) throw error;
    if (axios.isCancel(error) || request.signal?.aborted) throw request.signal?.reason ?? error;
    const code = (error as { code?: string }).code;
    const options = { provider: request.provider, operation: request.operation, cause: error, code };
    if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
      throw new TimeoutError(`${describe(request)}: no answer in time`, { ...options, timeoutMs: request.timeoutMs ?? 300_000 });
    }
    if (code === 'ERR_BAD_RESPONSE' && /maxContentLength/.test((error as Error).message)) {
      throw new CatalogFormatError(`${describe(request)}: body larger than ${MAX_BODY_BYTES} bytes`, request);
    }
    throw new ProviderUnavailableError(`${describe(request)}: ${(error as Error).message}`, options);
  }
}

function httpError(request: FetchJsonRequest, response: AxiosResponse<string>): CloudError {
  const requestId =
    header(response, 'x-amz-request-id') ?? header(response, 'x-amz-cf-id') ?? header(response, 'x-guploader-uploadid');
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
