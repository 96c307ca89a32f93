/**
 * Scaleway error bodies (`{ "type": "not_found", "message": "…", "details": [{ "argument_name" }] }`,
 * types as `@scaleway/sdk-client` parses them) → the parts the REST layer builds a `CloudError` from.
 *
 * @module
 */
import type { HttpErrorKind, ProviderErrorDetail } from '../../src/kit.js';

/** The response header holding Scaleway's request id. */
export const SCALEWAY_REQUEST_ID_HEADER = 'x-request-id';

/** Scaleway error types whose meaning differs from (or sharpens) the HTTP status. */
const KIND_BY_TYPE: Readonly<Record<string, HttpErrorKind>> = {
  invalid_arguments: 'invalid',
  invalid_request_error: 'invalid',
  denied_authentication: 'authentication',
  permissions_denied: 'permission',
  not_found: 'not-found',
  unknown_resource: 'not-found',
  quotas_exceeded: 'quota',
  out_of_stock: 'unavailable',
  precondition_failed: 'conflict',
  transient_state: 'conflict',
  locked: 'conflict',
  already_exists: 'conflict',
  expired: 'authentication',
  too_many_requests: 'rate-limit',
};

/** Scaleway request fields → the polycloud argument a caller passed them as. */
const FIELD_NAMES: Readonly<Record<string, string>> = {
  commercial_type: 'size',
  image: 'image',
  zone: 'location',
  name: 'name',
  tags: 'tags',
  public_key: 'publicKey',
};

/** Reads a Scaleway error body; `undefined` when it is not one. Never throws. */
export function parseScalewayError(body: unknown): ProviderErrorDetail | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { type, message, details } = body as { type?: unknown; message?: unknown; details?: unknown };
  if (typeof type !== 'string' && typeof message !== 'string') return undefined;
  const first = Array.isArray(details) ? (details[0] as { argument_name?: unknown; help_message?: unknown } | undefined) : undefined;
  const argument = typeof first?.argument_name === 'string' ? first.argument_name : undefined;
  const field = argument === undefined ? undefined : (FIELD_NAMES[argument] ?? argument);
  const help = typeof first?.help_message === 'string' ? first.help_message : undefined;
  const kind = typeof type === 'string' ? KIND_BY_TYPE[type] : undefined;
  const text = [field ? `"${field}":` : '', typeof message === 'string' ? message : '', help ?? ''].filter(Boolean).join(' ');
  return {
    ...(text ? { message: text } : {}),
    ...(typeof type === 'string' ? { code: type } : {}),
    ...(field ? { field } : {}),
    ...(kind ? { kind } : {}),
  };
}
