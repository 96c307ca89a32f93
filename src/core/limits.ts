/**
 * The bounds every transport and every listing keeps, in one place: how long one request may
 * take from the first byte sent to the last byte of the answer, how large an answer may be
 * (decompressed), how many pages one listing may fetch and how long it may take in all.
 *
 * A server that drips its answer, never ends it, inflates a small gzip into gigabytes or links
 * every page to a new one is stopped by these, with an error that says which bound it hit.
 *
 * @module
 */
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import { CloudError, TimeoutError, type ErrorSource } from './errors.js';

/** Bounds of one request. */
export interface RequestBounds {
  /**
   * The whole exchange, connect to the last byte of the body, in ms. A server that sends a byte
   * now and then never goes silent, so an idle timeout alone would never fire.
   *
   * @defaultValue 30000 (30 s)
   */
  readonly requestTimeoutMs?: number;
  /**
   * Largest answer body, in bytes, counted after decompression (a small gzip can inflate to
   * gigabytes).
   *
   * @defaultValue 33554432 (32 MiB)
   */
  readonly maxBodyBytes?: number;
}

/** Bounds of one listing (every page of one list call). */
export interface ListingBounds {
  /**
   * Most pages one listing fetches; a provider that links every page to another is stopped here.
   *
   * @defaultValue 1000
   */
  readonly maxPages?: number;
  /**
   * The whole listing, every page and retry, in ms.
   *
   * @defaultValue 600000 (10 minutes)
   */
  readonly listingTimeoutMs?: number;
}

/**
 * The bounds a driver takes in its options as `bounds` (its per-request time limit keeps its own
 * option, `timeoutMs` or `requestTimeoutMs`).
 */
export interface TransportBounds extends ListingBounds {
  /** See {@link RequestBounds.maxBodyBytes}. @defaultValue 33554432 (32 MiB) */
  readonly maxBodyBytes?: number;
}

/** The defaults of {@link RequestBounds} and {@link ListingBounds}. */
export const DEFAULT_BOUNDS = {
  /** One request, connect to the last byte of the body: 30000 ms (30 s). */
  requestTimeoutMs: 30_000,
  /** Largest decompressed answer body: 33554432 bytes (32 MiB). */
  maxBodyBytes: 32 * 1024 * 1024,
  /** Most pages one listing fetches: 1000. */
  maxPages: 1_000,
  /** One whole listing, every page and retry: 600000 ms (10 minutes). */
  listingTimeoutMs: 600_000,
} as const;

/** Codes of the errors a bound raises, in `CloudError.code`. */
export const BOUND_CODES = {
  /** The answer was larger than `maxBodyBytes`. */
  bodyTooLarge: 'body-too-large',
  /** One request outlived `requestTimeoutMs`. */
  requestTimeout: 'request-timeout',
  /** A listing asked for more than `maxPages` pages. */
  pageLimit: 'page-limit',
  /** A listing outlived `listingTimeoutMs`. */
  listingTimeout: 'listing-timeout',
} as const;

/** The error of an answer larger than allowed. Not retryable: the same request gets the same answer. */
export function bodyTooLargeError(
  context: { readonly provider: ErrorSource; readonly operation: string; readonly location?: string },
  maxBodyBytes: number,
): CloudError {
  return new CloudError(`the answer is larger than ${maxBodyBytes} bytes (maxBodyBytes); refusing to read more`, {
    provider: context.provider,
    operation: context.operation,
    code: BOUND_CODES.bodyTooLarge,
    retryable: false,
    ...(context.location ? { location: context.location } : {}),
  });
}

/** The error of a request that outlived its whole-exchange bound. Retryable, like any timeout. */
export function requestTimeoutError(
  context: { readonly provider: ErrorSource; readonly operation: string; readonly location?: string },
  timeoutMs: number,
  cause?: unknown,
): TimeoutError {
  return new TimeoutError(`no complete answer within ${timeoutMs} ms (requestTimeoutMs, headers and body)`, {
    provider: context.provider,
    operation: context.operation,
    code: BOUND_CODES.requestTimeout,
    timeoutMs,
    ...(context.location ? { location: context.location } : {}),
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * Counts the pages of one listing and watches its deadline: call {@link ListingGuard.beforePage}
 * before fetching each page. The same guard serves the REST client, the SDK drivers' listings and
 * the live price sources, so every listing stops the same way.
 */
export class ListingGuard {
  /** Most pages this listing may fetch: `bounds.maxPages`, else 1000 (`DEFAULT_BOUNDS.maxPages`). */
  readonly maxPages: number;
  /** Time the whole listing may take from the guard's creation, in ms: `bounds.listingTimeoutMs`, else 600000. */
  readonly listingTimeoutMs: number;
  readonly #context: { readonly provider: ErrorSource; readonly operation: string; readonly location?: string };
  readonly #clock: Clock;
  readonly #deadline: number;
  #pages = 0;

  constructor(
    context: { readonly provider: ErrorSource; readonly operation: string; readonly location?: string },
    bounds: ListingBounds = {},
    clock: Clock = systemClock,
  ) {
    this.#context = context;
    this.#clock = clock;
    this.maxPages = bounds.maxPages ?? DEFAULT_BOUNDS.maxPages;
    this.listingTimeoutMs = bounds.listingTimeoutMs ?? DEFAULT_BOUNDS.listingTimeoutMs;
    this.#deadline = clock.now() + this.listingTimeoutMs;
  }

  /** Pages fetched (or started) so far. */
  get pages(): number {
    return this.#pages;
  }

  /** Milliseconds left before the listing deadline (0 when past it). */
  remainingMs(): number {
    return Math.max(0, this.#deadline - this.#clock.now());
  }

  /**
   * Call before fetching a page.
   *
   * @throws CloudError (`code: 'page-limit'`) when the page would be past `maxPages`;
   *   TimeoutError (`code: 'listing-timeout'`) when the listing deadline has passed.
   */
  beforePage(): void {
    const { provider, operation, location } = this.#context;
    const where = location ? { location } : {};
    if (this.#pages >= this.maxPages) {
      throw new CloudError(
        `the listing reached ${this.maxPages} pages (maxPages) and the provider still linked another; stopping instead of paging forever`,
        { provider, operation, code: BOUND_CODES.pageLimit, retryable: false, ...where },
      );
    }
    if (this.#pages > 0 && this.remainingMs() <= 0) throw this.timeoutError();
    this.#pages += 1;
  }

  /** The error of a listing past its deadline (for transports that abort the page under way). */
  timeoutError(): TimeoutError {
    const { provider, operation, location } = this.#context;
    return new TimeoutError(`the listing took longer than ${this.listingTimeoutMs} ms (listingTimeoutMs) after ${this.#pages} pages`, {
      provider,
      operation,
      code: BOUND_CODES.listingTimeout,
      timeoutMs: this.listingTimeoutMs,
      ...(location ? { location } : {}),
    });
  }
}

/** Checks a bound given by a caller: a whole number of at least `minimum`. */
export function isBound(value: unknown, minimum = 1): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= minimum;
}
