/**
 * DigitalOcean error bodies (`{ id, message, request_id }`) → what the shared REST layer needs
 * to pick the `CloudError`.
 *
 * @module
 */
import type { ErrorBodyParser, ProviderErrorDetail } from '../../src/kit.js';

/** The create-request field a 422 message is about, for `InvalidRequestError.field`. */
const FIELD_MESSAGES: readonly (readonly [RegExp, string])[] = [
  [/invalid size|size is not available|size.*restricted/i, 'size'],
  [/invalid image|image you specified/i, 'image'],
  [/invalid region|region is not available|not available in the selected region/i, 'location'],
  [/ssh[_ ]?key/i, 'sshKeys'],
  [/user[_ ]?data/i, 'userData'],
  [/\bname\b/i, 'name'],
  [/\btag/i, 'tags'],
];

/** Reads a DigitalOcean error body. */
export const parseDigitalOceanError: ErrorBodyParser = (body) => {
  if (typeof body !== 'object' || body === null) return undefined;
  const { id, message, request_id: requestId } = body as Record<string, unknown>;
  const detail: { -readonly [K in keyof ProviderErrorDetail]: ProviderErrorDetail[K] } = {};
  if (typeof message === 'string') detail.message = message;
  if (typeof id === 'string') detail.code = id;
  if (typeof requestId === 'string' && requestId !== '') detail.requestId = requestId;
  if (typeof message === 'string' && /droplet limit|exceed.*limit/i.test(message)) detail.kind = 'quota';
  else if (typeof message === 'string' && id === 'unprocessable_entity') {
    const field = FIELD_MESSAGES.find(([pattern]) => pattern.test(message))?.[1];
    if (field) detail.field = field;
  }
  return detail;
};
