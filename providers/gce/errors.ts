/**
 * Compute Engine failures → `CloudError`s, at the edge: HTTP errors as the SDK's REST transport
 * reports them (gRPC `code`, `httpStatusCode`, and the JSON body with `error.status` and the
 * legacy `error.errors[].reason`), and errors inside a finished zone operation.
 *
 * @module
 */
import { createCloudError, type CloudError, type CloudErrorOptions, type SingleCloudErrorKind } from '../../src/kit.js';
import type { GceOperation } from './types.js';

/** Where a failure happened, for the error's framing. */
export interface GceErrorContext {
  readonly operation: string;
  /** The node the call was about: a 404 then becomes `NodeNotFoundError`. */
  readonly nodeId?: string;
  /** The zone or region the request went to. */
  readonly location?: string;
  /** The Compute `requestId` polycloud sent (mutations), or the operation name. */
  readonly requestId?: string;
}

/** gRPC status codes, as the SDK's `GoogleError.code` carries them. */
const GRPC = {
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

const GRPC_NAMES: Readonly<Record<number, string>> = Object.fromEntries(Object.entries(GRPC).map(([name, code]) => [code, name]));

/** Where google-gax keeps the undecoded HTTP error body (`Symbol.for`, so no import is needed). */
const RAW_PAYLOAD = Symbol.for('google-gax.rawHttpResponsePayload');

/** What a Compute HTTP error says, pulled out of the SDK error. */
export interface GceHttpFailure {
  readonly httpStatus?: number;
  /** Canonical status name, e.g. `RESOURCE_EXHAUSTED`. */
  readonly status?: string;
  /** Legacy reasons, e.g. `rateLimitExceeded`, `quotaExceeded`, `notFound`. */
  readonly reasons: readonly string[];
  readonly message: string;
  /** From a `google.rpc.RetryInfo` detail, when the server sent one. */
  readonly retryAfterMs?: number;
}

interface ErrorBody {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly status?: unknown;
  readonly errors?: readonly { readonly reason?: unknown; readonly message?: unknown }[];
  readonly details?: readonly { readonly '@type'?: unknown; readonly retryDelay?: unknown; readonly reason?: unknown }[];
}

function parseBody(raw: unknown): ErrorBody | undefined {
  let json: unknown = raw;
  if (typeof raw === 'string') {
    try {
      json = JSON.parse(raw);
    } catch {
      return undefined;
    }
  }
  if (Array.isArray(json)) json = json.find((entry) => typeof entry === 'object' && entry !== null && 'error' in entry);
  if (typeof json !== 'object' || json === null) return undefined;
  const body = (json as { error?: unknown }).error;
  return typeof body === 'object' && body !== null ? (body as ErrorBody) : undefined;
}

/** Parses a protobuf Duration string such as `3s` or `1.5s`. */
function durationMs(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return match?.[1] ? Math.round(Number(match[1]) * 1000) : undefined;
}

/** Reads an SDK (google-gax) error; `undefined` for errors that are not Compute HTTP/transport errors. */
export function readHttpFailure(error: unknown): (GceHttpFailure & { readonly grpcCode?: number }) | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { code?: unknown; httpStatusCode?: unknown; message?: unknown; reason?: unknown; [RAW_PAYLOAD]?: unknown };
  const grpcCode = typeof candidate.code === 'number' ? candidate.code : undefined;
  const httpStatus = typeof candidate.httpStatusCode === 'number' ? candidate.httpStatusCode : undefined;
  if (grpcCode === undefined && httpStatus === undefined) return undefined;
  const body = parseBody(candidate[RAW_PAYLOAD]);
  const reasons = (body?.errors ?? []).map((item) => item.reason).filter((reason): reason is string => typeof reason === 'string');
  if (typeof candidate.reason === 'string') reasons.push(candidate.reason);
  for (const detail of body?.details ?? []) if (typeof detail.reason === 'string') reasons.push(detail.reason);
  const retryInfo = (body?.details ?? []).find((detail) => detail['@type'] === 'type.googleapis.com/google.rpc.RetryInfo');
  const retryAfterMs = durationMs(retryInfo?.retryDelay);
  const status = typeof body?.status === 'string' ? body.status : grpcCode === undefined ? undefined : GRPC_NAMES[grpcCode];
  const message =
    typeof body?.message === 'string' ? body.message : typeof candidate.message === 'string' ? candidate.message : 'request failed';
  return {
    ...(grpcCode === undefined ? {} : { grpcCode }),
    ...(httpStatus === undefined ? {} : { httpStatus }),
    ...(status === undefined ? {} : { status }),
    reasons,
    message,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

const QUOTA_REASONS = new Set(['quotaExceeded', 'limitExceeded', 'QUOTA_EXCEEDED', 'dailyLimitExceeded']);
const RATE_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'RATE_LIMIT_EXCEEDED']);
const CONFLICT_REASONS = new Set(['alreadyExists', 'resourceInUseByAnotherResource', 'resourceNotReady', 'conditionNotMet']);

/** Which request field an "Invalid value for field 'resource.machineType'" message is about, in polycloud's words. */
function fieldOf(message: string): string | undefined {
  const field = /field '([^']+)'/.exec(message)?.[1] ?? '';
  if (/machineType/i.test(field)) return 'size';
  if (/sourceImage|image/i.test(field)) return 'image';
  if (/zone|region/i.test(field)) return 'location';
  if (/labels/i.test(field)) return 'tags';
  if (/\bname$/.test(field)) return 'name';
  if (/metadata/i.test(field)) return 'userData';
  return undefined;
}

/** Turns an HTTP (or transport) failure of a Compute call into a `CloudError`. */
export function mapHttpFailure(
  failure: GceHttpFailure & { readonly grpcCode?: number },
  context: GceErrorContext,
  cause: unknown,
): CloudError {
  const { httpStatus, status, reasons, message } = failure;
  const has = (set: Set<string>) => reasons.some((reason) => set.has(reason));
  const options: CloudErrorOptions = {
    provider: 'gce',
    operation: context.operation,
    ...(httpStatus === undefined ? {} : { statusCode: httpStatus }),
    ...(context.requestId ? { requestId: context.requestId } : {}),
    ...(status || reasons[0] ? { code: reasons[0] ?? status } : {}),
    ...(context.location ? { location: context.location } : {}),
    cause,
  };
  const code = failure.grpcCode;
  if (httpStatus === 401 || code === GRPC.UNAUTHENTICATED) return createCloudError('AuthenticationError', message, options);
  if (has(QUOTA_REASONS)) return createCloudError('QuotaError', message, options);
  if (httpStatus === 429 || has(RATE_REASONS) || code === GRPC.RESOURCE_EXHAUSTED) {
    return createCloudError('RateLimitError', message, {
      ...options,
      ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
    });
  }
  if (httpStatus === 403 || code === GRPC.PERMISSION_DENIED) return createCloudError('PermissionError', message, options);
  if (httpStatus === 404 || code === GRPC.NOT_FOUND) {
    return createCloudError('NodeNotFoundError', message, { ...options, nodeId: context.nodeId });
  }
  if (
    httpStatus === 409 ||
    httpStatus === 412 ||
    has(CONFLICT_REASONS) ||
    code === GRPC.ALREADY_EXISTS ||
    code === GRPC.ABORTED ||
    code === GRPC.FAILED_PRECONDITION
  ) {
    return createCloudError('ConflictError', message, options);
  }
  if (httpStatus === 400 || code === GRPC.INVALID_ARGUMENT || code === GRPC.OUT_OF_RANGE) {
    const field = fieldOf(message);
    return createCloudError('InvalidRequestError', message, { ...options, ...(field ? { field } : {}) });
  }
  if (code === GRPC.DEADLINE_EXCEEDED || httpStatus === 504) return createCloudError('TimeoutError', message, options);
  if (
    (httpStatus !== undefined && httpStatus >= 500) ||
    code === GRPC.UNAVAILABLE ||
    code === GRPC.INTERNAL ||
    code === GRPC.UNKNOWN ||
    code === GRPC.DATA_LOSS
  ) {
    return createCloudError('ProviderUnavailableError', message, options);
  }
  return createCloudError('CloudError', message, options);
}

/** Maps anything a Compute call threw to a `CloudError`. */
export function mapGceError(error: unknown, context: GceErrorContext): CloudError {
  const failure = readHttpFailure(error);
  if (failure) return mapHttpFailure(failure, context, error);
  const detail = error instanceof Error ? error.message : String(error);
  // google-auth-library found no Application Default Credentials: say how to provide them.
  if (/could not load the default credentials/i.test(detail)) {
    return createCloudError(
      'AuthenticationError',
      'no Google credentials found: run `gcloud auth application-default login`, set GOOGLE_APPLICATION_CREDENTIALS to a service account key file, or pass { credentials } or { keyFilename }',
      { provider: 'gce', operation: context.operation, ...(context.location ? { location: context.location } : {}), cause: error },
    );
  }
  return createCloudError('CloudError', `unexpected failure: ${detail}`, {
    provider: 'gce',
    operation: context.operation,
    ...(context.requestId ? { requestId: context.requestId } : {}),
    ...(context.location ? { location: context.location } : {}),
    cause: error,
  });
}

/** The kind of error an operation's error code means (a retryable flag where the class default is wrong). */
const OPERATION_CODES: Readonly<Record<string, readonly [SingleCloudErrorKind, { readonly retryable?: boolean }?]>> = {
  QUOTA_EXCEEDED: ['QuotaError'],
  RATE_LIMIT_EXCEEDED: ['RateLimitError'],
  // A zone out of capacity stays so for minutes: unavailable, but not worth retrying at once.
  ZONE_RESOURCE_POOL_EXHAUSTED: ['ProviderUnavailableError', { retryable: false }],
  ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS: ['ProviderUnavailableError', { retryable: false }],
  RESOURCE_ALREADY_EXISTS: ['ConflictError'],
  RESOURCE_IN_USE_BY_ANOTHER_RESOURCE: ['ConflictError'],
  RESOURCE_NOT_READY: ['ConflictError'],
  PERMISSIONS_ERROR: ['PermissionError'],
  FORBIDDEN: ['PermissionError'],
  INVALID_FIELD_VALUE: ['InvalidRequestError'],
  BAD_REQUEST: ['InvalidRequestError'],
  INTERNAL_ERROR: ['ProviderUnavailableError'],
};

/**
 * The error of a finished operation (`status: DONE` with `error.errors`), as a `CloudError`;
 * `undefined` when the operation succeeded. The request id names the operation.
 */
export function operationError(operation: GceOperation, context: GceErrorContext): CloudError | undefined {
  const items = operation.error?.errors ?? [];
  if (items.length === 0 && !(operation.httpErrorStatusCode && operation.httpErrorStatusCode >= 400)) return undefined;
  const first = items[0];
  const code = first?.code ?? undefined;
  const message =
    items
      .map((item) => item.message ?? item.code ?? '')
      .filter(Boolean)
      .join('; ') ||
    operation.httpErrorMessage ||
    'operation failed';
  const options: CloudErrorOptions = {
    provider: 'gce',
    operation: context.operation,
    ...(operation.httpErrorStatusCode ? { statusCode: operation.httpErrorStatusCode } : {}),
    requestId: context.requestId ?? operation.name ?? undefined,
    ...(code ? { code } : {}),
    ...(context.location ? { location: context.location } : {}),
  };
  const byCode = code ? OPERATION_CODES[code] : undefined;
  if (byCode) return createCloudError(byCode[0], message, { ...options, ...byCode[1] });
  if (code === 'RESOURCE_NOT_FOUND' && context.nodeId !== undefined)
    return createCloudError('NodeNotFoundError', message, { ...options, nodeId: context.nodeId });
  const failure: GceHttpFailure = {
    reasons: code ? [code] : [],
    message,
    ...(operation.httpErrorStatusCode ? { httpStatus: operation.httpErrorStatusCode } : {}),
  };
  return mapHttpFailure(failure, context, undefined);
}
