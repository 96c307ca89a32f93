/**
 * EC2 errors → `CloudError`s, at the edge of the driver. Every mapped error names the provider,
 * the operation, the region, the EC2 error code and the request id.
 *
 * @module
 */
import { createCloudError, isCloudError, type CloudError, type CloudErrorOptions } from '../../src/kit.js';

/** Where an EC2 call failed: the public operation, the region, and the node it was about. */
export interface AwsErrorContext {
  readonly operation: string;
  readonly region?: string;
  /** The instance id the call was about; `InvalidInstanceID.NotFound` then becomes `NodeNotFoundError`. */
  readonly nodeId?: string;
}

const THROTTLING = new Set([
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'SlowDown',
]);
const AUTHENTICATION = new Set([
  'AuthFailure',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'ExpiredToken',
  'RequestExpired',
  'UnrecognizedClientException',
  'CredentialsProviderError',
]);
const PERMISSION = new Set([
  'UnauthorizedOperation',
  'AccessDenied',
  'AccessDeniedException',
  'Blocked',
  'OptInRequired',
  'PendingVerification',
]);
const QUOTA = new Set([
  'InstanceLimitExceeded',
  'VcpuLimitExceeded',
  'MaxSpotInstanceCountExceeded',
  'ResourceLimitExceeded',
  'AddressLimitExceeded',
  'VolumeLimitExceeded',
  'KeyPairLimitExceeded',
]);
const CONFLICT = new Set([
  'IncorrectInstanceState',
  'IncorrectState',
  'IdempotentParameterMismatch',
  'InvalidKeyPair.Duplicate',
  'OperationNotPermitted',
]);
const UNAVAILABLE = new Set(['InternalError', 'InternalFailure', 'ServiceUnavailable', 'Unavailable', 'ServerInternal']);
/** Codes of parameters that are wrong, with the request field they concern. */
const INVALID_FIELD: Readonly<Record<string, string | undefined>> = {
  'InvalidInstanceID.Malformed': 'id',
  'InvalidAMIID.Malformed': 'image',
  'InvalidAMIID.NotFound': 'image',
  'InvalidAMIID.Unavailable': 'image',
  InvalidInstanceType: 'size',
  InvalidAvailabilityZone: 'location',
  'InvalidUserData.Malformed': 'userData',
  'InvalidKeyPair.NotFound': 'providerOptions.keyName',
  'InvalidKeyPair.Format': 'sshKeys',
  'InvalidSubnetID.NotFound': 'providerOptions.subnetId',
  'InvalidSubnetID.Malformed': 'providerOptions.subnetId',
  'InvalidGroup.NotFound': 'providerOptions.securityGroupIds',
  'InvalidGroupId.Malformed': 'providerOptions.securityGroupIds',
  InvalidParameterValue: undefined,
  InvalidParameter: undefined,
  InvalidParameterCombination: undefined,
  MissingParameter: undefined,
  Unsupported: undefined,
  UnsupportedOperation: undefined,
  InvalidRequest: undefined,
  InvalidFilter: undefined,
  InvalidPaginationToken: undefined,
};
/** Code families (e.g. `InvalidInstanceType.NotFound`, as moto says it) and the request field they concern. */
const FIELD_BY_CODE_PREFIX: readonly (readonly [string, string])[] = [
  ['InvalidAMIID.', 'image'],
  ['InvalidInstanceType', 'size'],
  ['InvalidAvailabilityZone', 'location'],
  ['InvalidSubnetID.', 'providerOptions.subnetId'],
  ['InvalidGroup', 'providerOptions.securityGroupIds'],
  ['InvalidKeyPair.NotFound', 'providerOptions.keyName'],
  ['InvalidUserData.', 'userData'],
];
/** Node.js socket failures: the request may or may not have reached EC2. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** Guesses the request field an `InvalidParameterValue` message is about, from the EC2 parameter it names. */
export function fieldFromMessage(message: string): string | undefined {
  const rules: readonly [RegExp, string][] = [
    [/instance ?type/i, 'size'],
    [/image ?id|\bami\b/i, 'image'],
    [/availability ?zone|placement/i, 'location'],
    [/user ?data/i, 'userData'],
    [/key ?name|key ?pair/i, 'providerOptions.keyName'],
    [/subnet/i, 'providerOptions.subnetId'],
    [/security ?group|group ?id/i, 'providerOptions.securityGroupIds'],
    [/iam ?instance ?profile/i, 'providerOptions.iamInstanceProfile'],
    [/spot|max ?price/i, 'providerOptions.spot'],
    [/tag/i, 'tags'],
  ];
  return rules.find(([pattern]) => pattern.test(message))?.[1];
}

interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  Code?: string;
  RequestID?: string;
  RequestId?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

/** Turns whatever an EC2 call threw (SDK service exception, socket error, credential failure) into a `CloudError`. */
export function mapAwsError(error: unknown, context: AwsErrorContext): CloudError {
  if (isCloudError(error)) return error;
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const message = typeof shape.message === 'string' && shape.message !== '' ? shape.message : String(error);
  const code = shape.Code ?? (shape.$metadata ? shape.name : undefined) ?? shape.code ?? shape.name;
  const statusCode = shape.$metadata?.httpStatusCode;
  const requestId = shape.$metadata?.requestId ?? shape.RequestID ?? shape.RequestId;
  const options: CloudErrorOptions = {
    provider: 'aws',
    operation: context.operation,
    cause: error,
    ...(context.region ? { location: context.region } : {}),
    ...(code && code !== 'Error' ? { code } : {}),
    ...(statusCode !== undefined ? { statusCode } : {}),
    ...(requestId ? { requestId } : {}),
  };

  if (code && THROTTLING.has(code)) return createCloudError('RateLimitError', message, options);
  if (code && AUTHENTICATION.has(code)) return createCloudError('AuthenticationError', message, options);
  if (code && PERMISSION.has(code)) return createCloudError('PermissionError', message, options);
  if (code === 'InvalidInstanceID.NotFound') {
    return createCloudError('NodeNotFoundError', message, { ...options, nodeId: context.nodeId });
  }
  if (code && QUOTA.has(code)) return createCloudError('QuotaError', message, options);
  if (code === 'InsufficientInstanceCapacity' || code === 'InsufficientHostCapacity' || code === 'InsufficientReservedInstanceCapacity') {
    // Capacity comes back in minutes, not seconds: report it as unavailable but do not hammer EC2 with retries.
    return createCloudError('ProviderUnavailableError', message, { ...options, retryable: false });
  }
  if (code && CONFLICT.has(code)) return createCloudError('ConflictError', message, options);
  if (code && code in INVALID_FIELD) {
    const field = INVALID_FIELD[code] ?? fieldFromMessage(message);
    return createCloudError('InvalidRequestError', message, { ...options, ...(field ? { field } : {}) });
  }
  const prefixField = code ? FIELD_BY_CODE_PREFIX.find(([prefix]) => code.startsWith(prefix))?.[1] : undefined;
  if (prefixField) return createCloudError('InvalidRequestError', message, { ...options, field: prefixField });
  if (code?.endsWith('.NotFound')) {
    // On create, a referenced resource that does not exist is bad input, not a missing node.
    if (context.operation === 'createNode')
      return createCloudError('InvalidRequestError', message, { ...options, ...withField(fieldFromMessage(message)) });
    return createCloudError('NotFoundError', message, options);
  }
  if (code?.endsWith('.Malformed'))
    return createCloudError('InvalidRequestError', message, { ...options, ...withField(fieldFromMessage(message)) });
  if ((code && UNAVAILABLE.has(code)) || shape.$fault === 'server' || (statusCode !== undefined && statusCode >= 500)) {
    return createCloudError('ProviderUnavailableError', message, options);
  }
  if (isRequestTimeout(error)) return createCloudError('TimeoutError', `EC2 did not answer in time: ${message}`, options);
  if (isNetworkError(error)) return createCloudError('ProviderUnavailableError', `EC2 could not be reached: ${message}`, options);
  return createCloudError('CloudError', message, options);
}

function withField(field: string | undefined): { field?: string } {
  return field ? { field } : {};
}

/** True for the SDK's request timeouts (connection or answer too slow). */
export function isRequestTimeout(error: unknown): boolean {
  const { name, code } = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown; code?: unknown };
  return name === 'TimeoutError' || code === 'ETIMEDOUT' || name === 'RequestTimeout';
}

/** True for socket-level failures and SDK request timeouts, which say nothing about what EC2 did. */
export function isNetworkError(error: unknown): boolean {
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 5; depth++) {
    const { code, name, message } = current as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    if (name === 'TimeoutError' || name === 'RequestTimeout') return true;
    if (typeof message === 'string' && /socket hang up|ECONNRESET|ECONNREFUSED|EPIPE/.test(message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
