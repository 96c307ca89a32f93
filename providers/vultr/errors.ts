/**
 * Vultr error bodies → the parts the shared REST layer builds a `CloudError` from. The API
 * answers a failure with `{ "error": "<message>", "status": <code> }` (its document describes the
 * JSON `error` string but gives no schema); the message names the request field at fault.
 *
 * @module
 */
import type { ErrorBodyParser, ProviderErrorDetail } from '../../src/kit.js';

/** The create-request field a 400 message is about, for `InvalidRequestError.field`. */
const FIELD_MESSAGES: readonly (readonly [RegExp, string])[] = [
  [/\bplan\b/i, 'size'],
  [/\bos(_id)?\b|operating system/i, 'image'],
  [/\bregion\b|location/i, 'location'],
  [/ssh[ _-]?key/i, 'sshKeys'],
  [/user[ _]?data/i, 'userData'],
  [/\blabel\b|\bhostname\b/i, 'name'],
  [/\btags?\b/i, 'tags'],
];

/** Messages that are an account limit, not a bad request. */
const QUOTA_MESSAGE = /\blimit\b|\bquota\b|\bexceed/i;

/** Reads a Vultr error body; `undefined` when it is not one. */
export const parseVultrError: ErrorBodyParser = (body, status) => {
  if (typeof body !== 'object' || body === null) return undefined;
  const message = (body as { error?: unknown }).error;
  if (typeof message !== 'string' || message === '') return undefined;
  const detail: { -readonly [K in keyof ProviderErrorDetail]: ProviderErrorDetail[K] } = { message };
  if ((status === 400 || status === 403 || status === 412) && QUOTA_MESSAGE.test(message)) detail.kind = 'quota';
  else if (status === 400 || status === 422) {
    const field = FIELD_MESSAGES.find(([pattern]) => pattern.test(message))?.[1];
    if (field) detail.field = field;
  }
  return detail;
};
