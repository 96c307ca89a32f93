/**
 * Hetzner Cloud error bodies (`{ "error": { "code", "message", "details" } }`) → the parts the
 * shared HTTP layer builds a `CloudError` from, and failed actions → `CloudError`s.
 *
 * @module
 */
import {
  CloudError,
  ConflictError,
  ProviderUnavailableError,
  QuotaError,
  type HttpErrorKind,
  type ProviderErrorDetail,
} from '../../src/kit.js';
import type { HetznerAction } from './api.js';

/** The response header Hetzner puts its request id in. */
export const HETZNER_REQUEST_ID_HEADER = 'x-correlation-id';

/** Hetzner's rate-limit reset header (a Unix time), read when an answer has no `Retry-After`. */
export const HETZNER_RESET_HEADERS: readonly string[] = ['ratelimit-reset'];

/** Hetzner error codes whose meaning differs from what the HTTP status alone implies. */
const KIND_BY_CODE: Readonly<Record<string, HttpErrorKind>> = {
  invalid_input: 'invalid',
  json_error: 'invalid',
  unauthorized: 'authentication',
  forbidden: 'permission',
  token_readonly: 'permission',
  not_found: 'not-found',
  uniqueness_error: 'conflict',
  conflict: 'conflict',
  locked: 'conflict',
  protected: 'conflict',
  rate_limit_exceeded: 'rate-limit',
  resource_limit_exceeded: 'quota',
  resource_unavailable: 'unavailable',
  placement_error: 'unavailable',
  maintenance: 'unavailable',
  server_error: 'unavailable',
  service_error: 'unavailable',
  unavailable: 'unavailable',
  timeout: 'unavailable',
};

/** Hetzner request fields → the polycloud argument a caller passed them as. */
const FIELD_NAMES: Readonly<Record<string, string>> = {
  server_type: 'size',
  image: 'image',
  location: 'location',
  datacenter: 'location',
  name: 'name',
  labels: 'tags',
  user_data: 'userData',
  ssh_keys: 'sshKeys',
};

/** Reads a Hetzner error body; `undefined` when it is not one. */
export function parseHetznerError(body: unknown): ProviderErrorDetail | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message, details } = error as { code?: unknown; message?: unknown; details?: unknown };
  const fields = typeof details === 'object' && details !== null ? (details as { fields?: unknown }).fields : undefined;
  const firstField = Array.isArray(fields) ? (fields[0] as { name?: unknown; messages?: unknown } | undefined) : undefined;
  const apiField = typeof firstField?.name === 'string' ? firstField.name : undefined;
  const fieldMessages = Array.isArray(firstField?.messages)
    ? firstField.messages.filter((each): each is string => typeof each === 'string')
    : [];
  const kind = typeof code === 'string' ? KIND_BY_CODE[code] : undefined;
  const field = apiField === undefined ? undefined : (FIELD_NAMES[apiField] ?? apiField);
  const text = typeof message === 'string' ? message : undefined;
  return {
    ...(text || field ? { message: [field ? `"${field}":` : '', text ?? '', ...fieldMessages].filter(Boolean).join(' ') } : {}),
    ...(typeof code === 'string' ? { code } : {}),
    ...(field ? { field } : {}),
    ...(kind ? { kind } : {}),
  };
}

/** The `CloudError` for an action that finished with `status: "error"`. */
export function actionFailure(action: HetznerAction, operation: string): CloudError {
  const code = action.error?.code ?? 'action_failed';
  const detail = `action ${action.id} (${action.command}) failed: ${action.error?.message ?? 'no reason given'}`;
  const options = { provider: 'hetzner' as const, operation, code };
  const kind = KIND_BY_CODE[code];
  if (kind === 'quota') return new QuotaError(detail, options);
  if (kind === 'conflict') return new ConflictError(detail, options);
  // A failed action is not repeated automatically: the caller decides whether to try again.
  if (kind === 'unavailable') return new ProviderUnavailableError(detail, { ...options, retryable: false });
  return new CloudError(detail, options);
}
