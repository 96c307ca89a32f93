/**
 * The one table from an error kind to its class, so that a driver maps a provider's failure to a
 * kind (a word) and the core builds the error: `createCloudError('RateLimitError', …)`.
 *
 * @module
 */
import {
  AuthenticationError,
  CapabilityError,
  CloudError,
  ConfigurationError,
  ConflictError,
  InvalidRequestError,
  NodeNotFoundError,
  NotFoundError,
  PermissionError,
  ProviderUnavailableError,
  QuotaError,
  RateLimitError,
  TimeoutError,
  type CloudErrorKind,
  type CloudErrorOptions,
} from './errors.js';
import type { NodeState } from './types.js';

/** Options of {@link createCloudError}: the common ones plus what some kinds carry. */
export interface CloudErrorKindOptions extends CloudErrorOptions {
  /** `InvalidRequestError`: the field at fault. */
  readonly field?: string;
  /** `RateLimitError`: how long the provider asked to wait. */
  readonly retryAfterMs?: number;
  /** `TimeoutError`: the limit that ran out. */
  readonly timeoutMs?: number;
  /** `TimeoutError`: the state last seen. */
  readonly lastState?: NodeState;
  /** `NodeNotFoundError`: the node id looked for (required for that kind; otherwise a `NotFoundError` is made). */
  readonly nodeId?: string;
}

/** The kinds {@link createCloudError} builds (every kind but the fan-out summary `PartialFailureError`). */
export type SingleCloudErrorKind = Exclude<CloudErrorKind, 'PartialFailureError'>;

/** Every error class by kind: the one place a kind becomes a class. */
export const ERROR_CLASSES = {
  /** `'CloudError'` → {@link CloudError}: any other failure; not retryable unless `options.retryable` says so. */
  CloudError,
  /** `'AuthenticationError'` → {@link AuthenticationError}: credentials missing, malformed, expired or rejected. */
  AuthenticationError,
  /** `'PermissionError'` → {@link PermissionError}: valid credentials not allowed to do this. */
  PermissionError,
  /** `'NotFoundError'` → {@link NotFoundError}: a resource named in the call does not exist. */
  NotFoundError,
  /** `'NodeNotFoundError'` → {@link NodeNotFoundError}: the node does not exist; needs `options.nodeId` (else a `NotFoundError`). */
  NodeNotFoundError,
  /** `'RateLimitError'` → {@link RateLimitError}: the provider throttled the call; retryable, takes `options.retryAfterMs`. */
  RateLimitError,
  /** `'QuotaError'` → {@link QuotaError}: an account limit stops the call. */
  QuotaError,
  /** `'InvalidRequestError'` → {@link InvalidRequestError}: the arguments are wrong; takes `options.field`. */
  InvalidRequestError,
  /** `'ConflictError'` → {@link ConflictError}: the resource's state does not allow the call, or it already exists. */
  ConflictError,
  /** `'ProviderUnavailableError'` → {@link ProviderUnavailableError}: the provider is down or answered with a server error; retryable. */
  ProviderUnavailableError,
  /** `'TimeoutError'` → {@link TimeoutError}: a request or wait ran out of time; retryable, takes `timeoutMs` and `lastState`. */
  TimeoutError,
  /** `'CapabilityError'` → {@link CapabilityError}: the provider or driver cannot do what was asked. */
  CapabilityError,
  /** `'ConfigurationError'` → {@link ConfigurationError}: polycloud is set up wrongly (missing package, credentials, unsafe endpoint). */
  ConfigurationError,
} as const satisfies Record<SingleCloudErrorKind, unknown>;

/**
 * Builds the error of `kind`. A `NodeNotFoundError` without `options.nodeId` becomes a
 * `NotFoundError` (its message needs the id).
 */
export function createCloudError(kind: SingleCloudErrorKind, detail: string, options: CloudErrorKindOptions): CloudError {
  const { nodeId, ...rest } = options;
  if (kind === 'NodeNotFoundError') {
    return nodeId === undefined ? new NotFoundError(detail, rest) : new NodeNotFoundError(nodeId, rest);
  }
  const Class = ERROR_CLASSES[kind] as new (detail: string, options: CloudErrorKindOptions) => CloudError;
  return new Class(detail, rest);
}
