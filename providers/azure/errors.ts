/**
 * Azure Resource Manager failures → `CloudError`s, at the edge. ARM answers errors as
 * `{"error": {"code", "message", "target", "details"}}` (the ARM RPC contract) with the request id
 * in `x-ms-request-id`; the SDK raises them as `RestError`s with `statusCode`, `code` and the
 * response. A long-running operation that ends `Failed` carries the same error object.
 *
 * @module
 */
import {
  createCloudError,
  isCloudError,
  malformedResponse,
  parseRetryAfter,
  redactSecrets,
  type CloudError,
  type CloudErrorOptions,
} from '../../src/kit.js';

/** Where a failure happened, for the error's framing. */
export interface AzureErrorContext {
  readonly operation: string;
  /** The node the call was about: a 404 of the VM then becomes `NodeNotFoundError`. */
  readonly nodeId?: string;
  readonly location?: string;
}

/** ARM error codes that mean "over a limit", whatever the HTTP status. */
const QUOTA_CODES = /quota|limitexceeded|SkuNotAvailable|ZonalAllocationFailed|AllocationFailed|OverconstrainedAllocationRequest/i;

/** How `@azure/core-lro` words a long-running operation that ended `Failed`. */
const LRO_FAILED = /^The long-running operation has failed(?:\. ([\w.]+)\. ([\s\S]*))?$/;
/** ARM codes of a failed operation that mean the request itself was wrong. */
const INVALID_CODES =
  /^(InvalidParameter|BadRequest|InvalidRequestContent|InvalidRequestFormat|PropertyChangeNotAllowed|ImageNotFound|PlatformImageNotFound)$/;
/** ARM codes of a failed operation that mean the platform failed. */
const INTERNAL_CODES = /^(InternalServerError|InternalExecutionError|InternalOperationError|ServiceUnavailable)$/;

interface SdkErrorShape {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly statusCode?: unknown;
  readonly details?: unknown;
  readonly response?: { readonly headers?: { get?(name: string): string | undefined }; readonly bodyAsText?: string | null };
}

/** The code and message ARM put in the body, when the SDK kept it. */
function bodyError(shape: SdkErrorShape): { code?: string; message?: string } {
  const text = shape.response?.bodyAsText;
  if (typeof text !== 'string' || text === '') return {};
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    const error = parsed.error;
    return {
      ...(typeof error?.code === 'string' ? { code: error.code } : {}),
      ...(typeof error?.message === 'string' ? { message: error.message } : {}),
    };
  } catch {
    return {};
  }
}

/** A TypeError thrown inside an Azure SDK (its deserializers), i.e. an answer of the wrong shape. */
function isSdkDeserializationFailure(error: unknown): boolean {
  return error instanceof TypeError && /[\\/]@azure[\\/]/.test(error.stack ?? '');
}

/** Turns anything the SDK threw into a `CloudError` naming provider, operation and request id. */
export function mapAzureError(error: unknown, context: AzureErrorContext): CloudError {
  if (isCloudError(error)) return error;
  if (isSdkDeserializationFailure(error)) {
    // The SDK's deserializers read every field without checks: `null` or `42` in a list throws a TypeError there.
    return malformedResponse(
      'the Azure SDK could not read the answer: an entry or field of the wrong shape',
      {
        provider: 'azure',
        operation: context.operation,
        ...(context.location ? { location: context.location } : {}),
      },
      200,
    );
  }
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const status = typeof shape.statusCode === 'number' ? shape.statusCode : undefined;
  // The SDK pollers report an operation that ended `Failed` as a plain Error whose message carries ARM's code.
  const lro = typeof shape.message === 'string' ? LRO_FAILED.exec(shape.message) : null;
  const fromBody = lro ? { ...(lro[1] ? { code: lro[1] } : {}), ...(lro[2] ? { message: lro[2] } : {}) } : bodyError(shape);
  const code = typeof shape.code === 'string' ? shape.code : fromBody.code;
  const requestId = shape.response?.headers?.get?.('x-ms-request-id') ?? undefined;
  const rawMessage = fromBody.message ?? (typeof shape.message === 'string' ? shape.message : String(error));
  const message = redactSecrets(rawMessage).slice(0, 500);
  const options: CloudErrorOptions = {
    provider: 'azure',
    operation: context.operation,
    ...(status === undefined ? {} : { statusCode: status }),
    ...(requestId ? { requestId } : {}),
    ...(code ? { code } : {}),
    ...(context.location ? { location: context.location } : {}),
    cause: error,
  };
  const detail = `Azure ${context.operation} failed${status ? ` (HTTP ${status}` : ' ('}${code ? `${status ? ', ' : ''}${code}` : ''}): ${message}`;

  if (status === 404 || code === 'ResourceNotFound' || code === 'NotFound') {
    // A missing resource group is not a missing node.
    const nodeId = code === 'ResourceGroupNotFound' ? undefined : context.nodeId;
    return createCloudError('NodeNotFoundError', detail, { ...options, nodeId });
  }
  if (status === 401) return createCloudError('AuthenticationError', detail, options);
  if (status === 403) return createCloudError('PermissionError', detail, options);
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(shape.response?.headers?.get?.('retry-after'));
    return createCloudError('RateLimitError', detail, { ...options, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
  }
  if (code && QUOTA_CODES.test(code)) return createCloudError('QuotaError', detail, options);
  if (status === 409) return createCloudError('ConflictError', detail, options);
  if (status === 408 || shape.name === 'AbortError' || code === 'ETIMEDOUT')
    return createCloudError('TimeoutError', detail, { ...options, retryable: true });
  if (status !== undefined && status >= 500) return createCloudError('ProviderUnavailableError', detail, options);
  if (status === undefined && code && INTERNAL_CODES.test(code)) return createCloudError('ProviderUnavailableError', detail, options);
  if (status === undefined && code && INVALID_CODES.test(code)) return createCloudError('InvalidRequestError', detail, options);
  if (status !== undefined && status >= 400) return createCloudError('InvalidRequestError', detail, options);
  if (code === 'REQUEST_SEND_ERROR' || /ECONNRESET|ECONNREFUSED|socket hang up|EPIPE/i.test(rawMessage)) {
    return createCloudError('ProviderUnavailableError', detail, { ...options, retryable: true });
  }
  if (code === 'PARSE_ERROR' || shape.name === 'SyntaxError') {
    return createCloudError('ProviderUnavailableError', `Azure ${context.operation}: the response is malformed: ${message}`, {
      ...options,
      retryable: true,
    });
  }
  return createCloudError('CloudError', detail, options);
}
