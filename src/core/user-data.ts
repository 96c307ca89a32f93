/**
 * User data read back from a provider for a launch spec (Vultr's base64 `user_data.data`,
 * Azure's base64 `userData`, Scaleway's `cloud-init` text): empty means none, and the size is
 * bounded, so a provider answering with megabytes cannot make a migration carry them.
 *
 * The user data itself may hold secrets: errors here say only its size or what is wrong with its
 * encoding, never any of its text.
 *
 * @module
 */
import { malformedEntryError, type EntryWhere } from './entries.js';
import { USER_DATA_FILE_MAX_BYTES } from './files.js';

/**
 * Largest user data a launch spec reads back, in UTF-8 bytes: the bound the CLI reads a user-data
 * file with, above every provider's own create limit (so a target's create still names its own).
 */
export const LAUNCH_USER_DATA_MAX_BYTES = USER_DATA_FILE_MAX_BYTES;

/** Base64 (standard alphabet, padded or not); providers may wrap it in lines. */
const BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}\s*$/;

/**
 * The user data a provider answered with, as text: `undefined` when it is absent or empty (the
 * node has none).
 *
 * @param value - what the provider sent: base64 or plain text, per `encoding`.
 * @param encoding - `base64` (decoded as UTF-8) or `text` (taken as is).
 * @param where - the provider, operation, status and request id named in an error.
 * @throws CloudError (`code: 'malformed-response'`) when it is larger than
 *   {@link LAUNCH_USER_DATA_MAX_BYTES} or is not base64 where base64 is documented.
 */
export function userDataReadBack(value: string | null | undefined, encoding: 'base64' | 'text', where: EntryWhere): string | undefined {
  if (value === undefined || value === null || value.trim() === '') return undefined;
  const tooLarge = (size: string) =>
    malformedEntryError(`user data of ${size} bytes, more than the ${LAUNCH_USER_DATA_MAX_BYTES} read back`, where);
  if (encoding === 'text') {
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes > LAUNCH_USER_DATA_MAX_BYTES) throw tooLarge(String(bytes));
    return value;
  }
  // The encoded form is bounded first, so an oversized answer is never decoded.
  const encoded = value.replace(/\s/g, '');
  if (encoded.length > Math.ceil(LAUNCH_USER_DATA_MAX_BYTES / 3) * 4) throw tooLarge(`about ${Math.floor((encoded.length * 3) / 4)}`);
  if (!BASE64.test(value)) throw malformedEntryError('user data that is not base64, as the API documents it', where);
  const text = Buffer.from(encoded, 'base64').toString('utf8');
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > LAUNCH_USER_DATA_MAX_BYTES) throw tooLarge(String(bytes));
  return text === '' ? undefined : text;
}
