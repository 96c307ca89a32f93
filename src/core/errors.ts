/**
 * The `CloudError` family. Every failure a driver reports is one of these, naming the provider,
 * the operation and (where the provider gave one) the request id.
 *
 * Type guards (`isCloudError`, `isNotFoundError`, …) check a marker registered with
 * `Symbol.for`, so they work across two copies of polycloud in one process, where
 * `instanceof` would not.
 *
 * @module
 */
import type { NodeState, ProviderName } from './types.js';
import { redactOptional, redactSecrets, sanitizeCause } from './secrets.js';

const KINDS: unique symbol = Symbol.for('polycloud.error.kinds') as never;

/** The kinds of {@link CloudError}, one per class. */
export type CloudErrorKind =
  | 'CloudError'
  | 'AuthenticationError'
  | 'PermissionError'
  | 'NotFoundError'
  | 'NodeNotFoundError'
  | 'RateLimitError'
  | 'QuotaError'
  | 'InvalidRequestError'
  | 'ConflictError'
  | 'ProviderUnavailableError'
  | 'TimeoutError'
  | 'CapabilityError'
  | 'ConfigurationError'
  | 'PartialFailureError';

/** Who failed: `polycloud` for errors raised before any provider was involved. */
export type ErrorSource = ProviderName | 'polycloud';

/** What every {@link CloudError} is built from. */
export interface CloudErrorOptions {
  /** The provider (or `polycloud` for errors not tied to one). */
  readonly provider: ErrorSource;
  /** The driver method or provider call that failed, e.g. `createNode`. */
  readonly operation: string;
  /** HTTP status the provider answered with, when there was one. */
  readonly statusCode?: number;
  /** The provider's request id, for its support. */
  readonly requestId?: string;
  /** The provider's own error code, e.g. `InvalidInstanceID.NotFound`. */
  readonly code?: string;
  /** The region or zone the failing request went to. */
  readonly location?: string;
  /**
   * Whether repeating the same call may succeed.
   *
   * @defaultValue the class's `defaultRetryable`: `true` for rate limits, unavailability and timeouts, else `false`
   */
  readonly retryable?: boolean;
  /** The underlying error (secrets are stripped from it). */
  readonly cause?: unknown;
}

/** Base class of every error polycloud raises. */
export class CloudError extends Error {
  /** The class name, e.g. `RateLimitError`; survives serialization where `instanceof` does not. */
  override name = 'CloudError';
  /** The provider that failed (`aws`, `hetzner`, …), or `polycloud` for a failure of polycloud itself. */
  readonly provider: ErrorSource;
  /** The driver operation that failed, e.g. `createNode` or `listNodes`. */
  readonly operation: string;
  /** The HTTP status the provider answered with, when there was an answer. */
  readonly statusCode?: number;
  /** The provider's request id (redacted), for its support and logs. */
  readonly requestId?: string;
  /** The provider's own error code, e.g. `InsufficientInstanceCapacity` (redacted). */
  readonly code?: string;
  /** The region or zone the failing request went to. */
  readonly location?: string;
  /** Whether repeating the same call may succeed. */
  readonly retryable: boolean;
  /** Human detail without the operation/provider framing, as given to the constructor. */
  readonly detail: string;
  /** @internal The kinds this error is, read by the `is…Error` guards across copies of the package. */
  declare readonly [KINDS]: readonly CloudErrorKind[];

  constructor(detail: string, given: CloudErrorOptions) {
    const cleanDetail = redactSecrets(detail);
    // Request ids, codes and locations usually come from a server, which may echo anything it
    // was sent (a token as request id, a key as error code): every one is redacted like the detail.
    const options = redactServerStrings(given);
    super(formatMessage(cleanDetail, options), options.cause === undefined ? undefined : { cause: sanitizeCause(options.cause) });
    this.detail = cleanDetail;
    this.provider = options.provider;
    this.operation = options.operation;
    if (options.statusCode !== undefined) this.statusCode = options.statusCode;
    if (options.requestId !== undefined) this.requestId = options.requestId;
    if (options.code !== undefined) this.code = options.code;
    if (options.location !== undefined) this.location = options.location;
    this.retryable = options.retryable ?? (this.constructor as typeof CloudError).defaultRetryable;
    Object.defineProperty(this, KINDS, { value: kindsOf(this), enumerable: false });
  }

  /**
   * Whether errors of this class are retryable when the constructor is not told.
   *
   * @defaultValue `false` (`true` on {@link RateLimitError}, {@link ProviderUnavailableError} and {@link TimeoutError})
   */
  static defaultRetryable = false;

  /** A plain, secret-free object for logs and `JSON.stringify`. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      provider: this.provider,
      operation: this.operation,
      statusCode: this.statusCode,
      requestId: this.requestId,
      code: this.code,
      location: this.location,
      retryable: this.retryable,
    };
  }
}

function redactServerStrings(options: CloudErrorOptions): CloudErrorOptions {
  const requestId = redactOptional(options.requestId);
  const code = redactOptional(options.code);
  const location = redactOptional(options.location);
  return {
    ...options,
    ...(requestId === undefined ? {} : { requestId }),
    ...(code === undefined ? {} : { code }),
    ...(location === undefined ? {} : { location }),
  };
}

function formatMessage(detail: string, options: CloudErrorOptions): string {
  const context = [`provider ${options.provider}`];
  if (options.location) context.push(`location ${options.location}`);
  if (options.code) context.push(`code ${options.code}`);
  if (options.statusCode !== undefined) context.push(`status ${options.statusCode}`);
  if (options.requestId) context.push(`request id ${options.requestId}`);
  return `${options.operation}: ${detail} (${context.join(', ')})`;
}

function kindsOf(error: CloudError): CloudErrorKind[] {
  const kinds: CloudErrorKind[] = [];
  for (let proto = Object.getPrototypeOf(error); proto && proto !== Error.prototype; proto = Object.getPrototypeOf(proto)) {
    const kind = (proto.constructor as { kind?: CloudErrorKind }).kind;
    if (kind && !kinds.includes(kind)) kinds.push(kind);
  }
  return kinds;
}

/** The credentials were missing, malformed, expired or rejected. */
export class AuthenticationError extends CloudError {
  /** Kind tag `'AuthenticationError'` stored on each instance; `isAuthenticationError` checks for it, across package copies too. */
  static readonly kind: CloudErrorKind = 'AuthenticationError';
  override name = 'AuthenticationError';
}

/** The credentials are valid but not allowed to do this. */
export class PermissionError extends CloudError {
  /** Kind tag `'PermissionError'` stored on each instance; `isPermissionError` checks for it, across package copies too. */
  static readonly kind: CloudErrorKind = 'PermissionError';
  override name = 'PermissionError';
}

/** A resource named in the call does not exist. */
export class NotFoundError extends CloudError {
  /** Kind tag `'NotFoundError'` stored on each instance; `isNotFoundError` checks for it, across package copies too. */
  static readonly kind: CloudErrorKind = 'NotFoundError';
  override name = 'NotFoundError';
}

/** The node does not exist (or no longer exists). */
export class NodeNotFoundError extends NotFoundError {
  /** Kind tag `'NodeNotFoundError'` stored on each instance; `isNodeNotFoundError` checks for it, across package copies too. */
  static override readonly kind: CloudErrorKind = 'NodeNotFoundError';
  override name = 'NodeNotFoundError';
  /** The node id that was looked for. */
  readonly nodeId: string;
  constructor(nodeId: string, options: CloudErrorOptions) {
    super(`node ${JSON.stringify(nodeId)} does not exist`, options);
    this.nodeId = nodeId;
  }
}

/** The provider throttled the call. */
export class RateLimitError extends CloudError {
  /** Kind tag `'RateLimitError'` stored on each instance; `isRateLimitError` checks for it, across package copies too. */
  static readonly kind: CloudErrorKind = 'RateLimitError';
  static override defaultRetryable = true;
  override name = 'RateLimitError';
  /** How long the provider asked to wait before the next attempt, when it said. */
  readonly retryAfterMs?: number;
  constructor(detail: string, options: CloudErrorOptions & { readonly retryAfterMs?: number }) {
    super(detail, options);
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

/** An account limit (instances, vCPUs, addresses, …) stops the call. */
export class QuotaError extends CloudError {
  /** Kind tag `'QuotaError'` stored on each instance; `isQuotaError` checks for it, across package copies too. */
  static readonly kind: CloudErrorKind = 'QuotaError';
  override name = 'QuotaError';
}

/** The arguments are wrong. Raised before any request where polycloud can tell. */
export class InvalidRequestError extends CloudError {
  /** Kind tag `'InvalidRequestError'` stored on each instance; `isInvalidRequestError` checks for it, across package copies too. */
  static readonly kind: CloudErrorKind = 'InvalidRequestError';
  override name = 'InvalidRequestError';
  /** The argument or field at fault, e.g. `size`, `tags.env`, `options.timeoutMs`. */
  readonly field?: string;
  constructor(detail: string, options: CloudErrorOptions & { readonly field?: string }) {
    super(detail, options);
    if (options.field !== undefined) this.field = redactSecrets(options.field);
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), field: this.field };
  }
}

/** The resource is in a state that does not allow the call, or already exists. */
export class ConflictError extends CloudError {
  /** Kind tag `'ConflictError'` stored on each instance; `isConflictError` checks for it, across package copies too. */
  static readonly kind: CloudErrorKind = 'ConflictError';
  override name = 'ConflictError';
}

/** The provider is down, overloaded, or answered with a server error. */
export class ProviderUnavailableError extends CloudError {
  /** Kind tag `'ProviderUnavailableError'` stored on each instance; `isProviderUnavailableError` checks for it, across package copies too. */
  static readonly kind: CloudErrorKind = 'ProviderUnavailableError';
  static override defaultRetryable = true;
  override name = 'ProviderUnavailableError';
}

/** A request or a wait took longer than allowed. */
export class TimeoutError extends CloudError {
  /** Kind tag `'TimeoutError'` stored on each instance; `isTimeoutError` checks for it, across package copies too. */
  static readonly kind: CloudErrorKind = 'TimeoutError';
  static override defaultRetryable = true;
  override name = 'TimeoutError';
  /** The limit that ran out, in milliseconds. */
  readonly timeoutMs?: number;
  /** For waits: the state the node was last seen in (`undefined` if never seen). */
  readonly lastState?: NodeState;
  constructor(detail: string, options: CloudErrorOptions & { readonly timeoutMs?: number; readonly lastState?: NodeState }) {
    super(detail, options);
    if (options.timeoutMs !== undefined) this.timeoutMs = options.timeoutMs;
    if (options.lastState !== undefined) this.lastState = options.lastState;
  }
}

/** The provider (or this driver) cannot do what was asked, e.g. stopping a node on a provider without stop. */
export class CapabilityError extends CloudError {
  /** Kind tag `'CapabilityError'` stored on each instance; `isCapabilityError` checks for it, across package copies too. */
  static readonly kind: CloudErrorKind = 'CapabilityError';
  override name = 'CapabilityError';
}

/** polycloud is set up wrongly: a missing SDK package, missing credentials, an unsafe endpoint. */
export class ConfigurationError extends CloudError {
  /** Kind tag `'ConfigurationError'` stored on each instance; `isConfigurationError` checks for it, across package copies too. */
  static readonly kind: CloudErrorKind = 'ConfigurationError';
  override name = 'ConfigurationError';
}

/**
 * Some parts of a fan-out (regions, zones, providers) failed. The parts that answered are in
 * `partial`, each failure in `failures`: nothing is dropped silently.
 */
export class PartialFailureError<T = unknown> extends CloudError {
  /** Kind tag `'PartialFailureError'` stored on each instance; `isPartialFailureError` checks for it, across package copies too. */
  static readonly kind: CloudErrorKind = 'PartialFailureError';
  override name = 'PartialFailureError';
  /** Results from the parts that succeeded. */
  readonly partial: readonly T[];
  /** One error per failed part, each naming its location. */
  readonly failures: readonly CloudError[];
  constructor(partial: readonly T[], failures: readonly CloudError[], options: CloudErrorOptions) {
    const where = failures.map((failure) => `${failure.location ?? failure.provider}: ${failure.message}`).join('; ');
    super(`${failures.length} part(s) failed, ${partial.length} result(s) from the rest: ${where}`, {
      ...options,
      retryable: options.retryable ?? failures.every((failure) => failure.retryable),
      cause: options.cause ?? failures[0],
    });
    this.partial = partial;
    this.failures = failures;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), failures: this.failures.map((failure) => failure.toJSON()) };
  }
}

(CloudError as unknown as { kind: CloudErrorKind }).kind = 'CloudError';

function hasKind(error: unknown, kind: CloudErrorKind): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const kinds = (error as { [KINDS]?: unknown })[KINDS];
  return Array.isArray(kinds) && kinds.includes(kind);
}

/** True for any polycloud error, from this copy of the package or another. */
export function isCloudError(error: unknown): error is CloudError {
  return hasKind(error, 'CloudError');
}
/** True when `error` is a polycloud {@link AuthenticationError} (or a subclass), from this copy of the package or another. */
export function isAuthenticationError(error: unknown): error is AuthenticationError {
  return hasKind(error, 'AuthenticationError');
}
/** True when `error` is a polycloud {@link PermissionError} (or a subclass), from this copy of the package or another. */
export function isPermissionError(error: unknown): error is PermissionError {
  return hasKind(error, 'PermissionError');
}
/** True for {@link NotFoundError} and {@link NodeNotFoundError}. */
export function isNotFoundError(error: unknown): error is NotFoundError {
  return hasKind(error, 'NotFoundError');
}
/** True when `error` is a polycloud {@link NodeNotFoundError} (or a subclass), from this copy of the package or another. */
export function isNodeNotFoundError(error: unknown): error is NodeNotFoundError {
  return hasKind(error, 'NodeNotFoundError');
}
/** True when `error` is a polycloud {@link RateLimitError} (or a subclass), from this copy of the package or another. */
export function isRateLimitError(error: unknown): error is RateLimitError {
  return hasKind(error, 'RateLimitError');
}
/** True when `error` is a polycloud {@link QuotaError} (or a subclass), from this copy of the package or another. */
export function isQuotaError(error: unknown): error is QuotaError {
  return hasKind(error, 'QuotaError');
}
/** True when `error` is a polycloud {@link InvalidRequestError} (or a subclass), from this copy of the package or another. */
export function isInvalidRequestError(error: unknown): error is InvalidRequestError {
  return hasKind(error, 'InvalidRequestError');
}
/** True when `error` is a polycloud {@link ConflictError} (or a subclass), from this copy of the package or another. */
export function isConflictError(error: unknown): error is ConflictError {
  return hasKind(error, 'ConflictError');
}
/** True when `error` is a polycloud {@link ProviderUnavailableError} (or a subclass), from this copy of the package or another. */
export function isProviderUnavailableError(error: unknown): error is ProviderUnavailableError {
  return hasKind(error, 'ProviderUnavailableError');
}
/** True when `error` is a polycloud {@link TimeoutError} (or a subclass), from this copy of the package or another. */
export function isTimeoutError(error: unknown): error is TimeoutError {
  return hasKind(error, 'TimeoutError');
}
/** True when `error` is a polycloud {@link CapabilityError} (or a subclass), from this copy of the package or another. */
export function isCapabilityError(error: unknown): error is CapabilityError {
  return hasKind(error, 'CapabilityError');
}
/** True when `error` is a polycloud {@link ConfigurationError} (or a subclass), from this copy of the package or another. */
export function isConfigurationError(error: unknown): error is ConfigurationError {
  return hasKind(error, 'ConfigurationError');
}
/** True when `error` is a polycloud {@link PartialFailureError} (or a subclass), from this copy of the package or another. */
export function isPartialFailureError(error: unknown): error is PartialFailureError {
  return hasKind(error, 'PartialFailureError');
}

/** True when the error is a polycloud error marked retryable. */
export function isRetryableError(error: unknown): boolean {
  return isCloudError(error) && error.retryable;
}
