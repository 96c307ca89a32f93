/**
 * HTTP failures → `CloudError`s, for the REST drivers. A provider supplies only a small parser for
 * its error body; status codes, rate-limit headers and transport failures are mapped here, once.
 *
 * @module
 */
import {
  AuthenticationError,
  CloudError,
  ConflictError,
  InvalidRequestError,
  NodeNotFoundError,
  NotFoundError,
  PermissionError,
  ProviderUnavailableError,
  QuotaError,
  RateLimitError,
  TimeoutError,
  type CloudErrorOptions,
} from '../core/errors.js';
import { parseRetryAfter } from '../core/retry.js';
import { redactSecrets } from '../core/secrets.js';
import type { ProviderName } from '../core/types.js';

/** What kind of failure an HTTP answer is; decides the `CloudError` class. */
export type HttpErrorKind = 'invalid' | 'authentication' | 'permission' | 'not-found' | 'conflict' | 'quota' | 'rate-limit' | 'unavailable';

/** What a provider's error body says. Every field is optional. */
export interface ProviderErrorDetail {
  /** Human message, e.g. DigitalOcean's `message`, Hetzner's `error.message`, Linode's `errors[0].reason`. */
  readonly message?: string;
  /** The provider's error code, e.g. `unprocessable_entity`, `uniqueness_error`. */
  readonly code?: string;
  /** The request field at fault, for 400/422 answers (e.g. Linode's `errors[0].field`). */
  readonly field?: string;
  /** A request id carried in the body (DigitalOcean's `request_id`), used when no header carries one. */
  readonly requestId?: string;
  /** Overrides the kind the status code implies, e.g. a 403/422 that is really an account limit → `quota`. */
  readonly kind?: HttpErrorKind;
}

/**
 * Reads a provider's error body (already parsed JSON, or the raw text when it was not JSON).
 * Returns `undefined` when the body says nothing useful; must not throw.
 */
export type ErrorBodyParser = (body: unknown, status: number) => ProviderErrorDetail | undefined;

/** Where a failure happened, for the error's message. */
export interface FailureContext {
  /** The provider the request went to. */
  readonly provider: ProviderName;
  /** The driver operation, e.g. `listNodes`, named in the error. */
  readonly operation: string;
  /** The region or zone the request was about, copied into the error's `location`. */
  readonly location?: string;
  /** When the request addressed a node: a 404 becomes a `NodeNotFoundError` for this id. */
  readonly nodeId?: string;
}

/** An HTTP answer that was not a success. */
export interface HttpFailure {
  /** The HTTP status code, outside 200–299. */
  readonly status: number;
  /** Response headers, names in lower case; read for `Retry-After` and rate-limit resets. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as JSON when it parsed, else as text (possibly empty). */
  readonly body: unknown;
  /** The request id from the response headers, if any. */
  readonly requestId?: string;
}

/** The kind each status code implies when the provider's body does not say otherwise. */
export function kindOfStatus(status: number): HttpErrorKind | undefined {
  if (status === 400 || status === 422) return 'invalid';
  if (status === 401) return 'authentication';
  if (status === 403) return 'permission';
  if (status === 404 || status === 410) return 'not-found';
  if (status === 409 || status === 423) return 'conflict';
  if (status === 429) return 'rate-limit';
  if (status >= 500 && status !== 501) return 'unavailable';
  return undefined;
}

/**
 * How long a 429 asks to wait: `Retry-After` (seconds or an HTTP date), else the first
 * rate-limit reset header present (a Unix time in seconds, or seconds from now when small).
 */
export function rateLimitDelayMs(
  headers: Readonly<Record<string, string>>,
  resetHeaders: readonly string[],
  now = Date.now(),
): number | undefined {
  const retryAfter = parseRetryAfter(headers['retry-after'], now);
  if (retryAfter !== undefined) return retryAfter;
  for (const name of resetHeaders) {
    const value = headers[name.toLowerCase()];
    if (value === undefined || !/^\d+(\.\d+)?$/.test(value.trim())) continue;
    const seconds = Number(value);
    // Reset headers are Unix times; a figure below ~2001-09-09 can only be a relative delay.
    return seconds > 1e9 ? Math.max(0, Math.round(seconds * 1000 - now)) : Math.round(seconds * 1000);
  }
  return undefined;
}

/** Turns a non-success HTTP answer into the matching `CloudError`. */
export function mapHttpFailure(
  failure: HttpFailure,
  context: FailureContext,
  parse: ErrorBodyParser | undefined,
  resetHeaders: readonly string[],
): CloudError {
  const detail = safeParse(parse, failure.body, failure.status);
  const requestId = failure.requestId ?? detail?.requestId;
  const options: CloudErrorOptions = {
    provider: context.provider,
    operation: context.operation,
    statusCode: failure.status,
    ...(requestId ? { requestId } : {}),
    ...(detail?.code ? { code: detail.code } : {}),
    ...(context.location ? { location: context.location } : {}),
  };
  const message = detail?.message?.trim() || describeStatus(failure.status);
  switch (detail?.kind ?? kindOfStatus(failure.status)) {
    case 'invalid': {
      const field = detail?.field;
      // Name the field in the message too, as the core's own checks do.
      const text = field && !message.includes(field) ? `"${field}": ${message}` : message;
      return new InvalidRequestError(text, { ...options, ...(field ? { field } : {}) });
    }
    case 'authentication':
      return new AuthenticationError(message, options);
    case 'permission':
      return new PermissionError(message, options);
    case 'not-found':
      return context.nodeId === undefined ? new NotFoundError(message, options) : new NodeNotFoundError(context.nodeId, options);
    case 'conflict':
      return new ConflictError(message, options);
    case 'quota':
      return new QuotaError(message, options);
    case 'rate-limit': {
      const retryAfterMs = rateLimitDelayMs(failure.headers, resetHeaders);
      return new RateLimitError(message, { ...options, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
    }
    case 'unavailable':
      return new ProviderUnavailableError(message, options);
    default:
      return new CloudError(message, options);
  }
}

/** What axios (or the socket under it) threw, reduced to the parts that are safe to keep. */
export interface TransportFailure {
  /** The Node or axios error code, e.g. `ECONNREFUSED`, `ETIMEDOUT`, `ECONNABORTED`; absent when there was none. */
  readonly code?: string;
  /** The error's message; secrets in it are redacted before it is kept as the cause. */
  readonly message: string;
}

/**
 * Turns a failure to get any answer (refused or reset connection, DNS, timeout) into a retryable
 * `CloudError`. The cause is a fresh `Error` with the code and message only: axios errors carry
 * the request configuration, including the `Authorization` header.
 */
export function mapTransportFailure(failure: TransportFailure, context: FailureContext, timeoutMs: number): CloudError {
  const cause = Object.assign(new Error(redactSecrets(failure.message)), failure.code ? { code: failure.code } : {});
  const options: CloudErrorOptions = {
    provider: context.provider,
    operation: context.operation,
    ...(failure.code ? { code: failure.code } : {}),
    ...(context.location ? { location: context.location } : {}),
    cause,
  };
  if (failure.code === 'ECONNABORTED' || failure.code === 'ETIMEDOUT') {
    return new TimeoutError(`no answer within ${timeoutMs} ms`, { ...options, timeoutMs });
  }
  return new ProviderUnavailableError(`request failed before an answer: ${failure.message}`, options);
}

/** A success status whose body is not what the API documents (truncated, not JSON, wrong shape). */
export function malformedResponse(detail: string, context: FailureContext, status: number, requestId?: string): CloudError {
  return new CloudError(`malformed response: ${detail}`, {
    provider: context.provider,
    operation: context.operation,
    statusCode: status,
    code: 'malformed-response',
    ...(requestId ? { requestId } : {}),
    ...(context.location ? { location: context.location } : {}),
    // The same request may well get a whole answer next time.
    retryable: true,
  });
}

function safeParse(parse: ErrorBodyParser | undefined, body: unknown, status: number): ProviderErrorDetail | undefined {
  if (!parse) return undefined;
  try {
    return parse(body, status);
  } catch {
    return undefined;
  }
}

function describeStatus(status: number): string {
  return `the provider answered HTTP ${status}`;
}
