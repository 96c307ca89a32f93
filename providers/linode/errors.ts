/**
 * Linode error bodies (`{ "errors": [{ "reason", "field" }] }`) → the parts the shared HTTP layer
 * builds a `CloudError` from.
 *
 * @module
 */
import type { ProviderErrorDetail } from '../../src/kit.js';

/** The response header Linode puts its request id in, where it sends one. */
export const LINODE_REQUEST_ID_HEADER = 'x-request-id';

/** Linode's rate-limit reset header (a Unix time), read when an answer has no `Retry-After`. */
export const LINODE_RESET_HEADERS: readonly string[] = ['x-ratelimit-reset'];

/** Linode request fields → the polycloud argument a caller passed them as. */
const FIELD_NAMES: Readonly<Record<string, string>> = {
  region: 'location',
  type: 'size',
  image: 'image',
  label: 'name',
  tags: 'tags',
  authorized_keys: 'sshKeys',
  'metadata.user_data': 'userData',
  root_pass: 'providerOptions.rootPassword',
};

/** Reads a Linode error body; `undefined` when it is not one. */
export function parseLinodeError(body: unknown, status: number): ProviderErrorDetail | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const errors = (body as { errors?: unknown }).errors;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  const reasons: string[] = [];
  let field: string | undefined;
  for (const entry of errors as { reason?: unknown; field?: unknown }[]) {
    const apiField = typeof entry?.field === 'string' ? entry.field : undefined;
    const mapped = apiField === undefined ? undefined : (FIELD_NAMES[apiField] ?? apiField);
    field ??= mapped;
    if (typeof entry?.reason === 'string') reasons.push(mapped ? `"${mapped}": ${entry.reason}` : entry.reason);
  }
  const message = reasons.join('; ');
  // Linode reports account limits as 400/403 answers whose reason names the limit.
  const quota = (status === 400 || status === 403) && field === undefined && /\blimit\b|\bquota\b/i.test(message);
  // "Linode busy." is a 400 for an instance in the middle of another operation.
  const busy = status === 400 && field === undefined && /\bbusy\b/i.test(message);
  const kind = quota ? ('quota' as const) : busy ? ('conflict' as const) : undefined;
  return { ...(message ? { message } : {}), ...(field ? { field } : {}), ...(kind ? { kind } : {}) };
}
