/**
 * Argument checks the core runs before any request, so that bad input fails with an
 * {@link InvalidRequestError} naming the argument and what was expected.
 *
 * @module
 */
import { InvalidRequestError, type ErrorSource } from './errors.js';
import { NODE_STATES, type NodeState, type ProviderLimits } from './types.js';
import { DEFAULT_ID_PATTERN, type IdPattern } from './ids.js';

/** The limits applied when a driver states none. */
export const DEFAULT_LIMITS: ProviderLimits = {
  maxNameLength: 63,
  namePattern: {
    pattern: /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/,
    description: "letters, digits, '.' and '-', starting and ending with a letter or digit",
  },
  maxTags: 50,
  maxTagKeyLength: 128,
  maxTagValueLength: 256,
  maxUserDataBytes: 16 * 1024,
  maxPageSize: 1000,
  minPageSize: 1,
};

/**
 * Caps on inputs that multiply requests or memory, the same for every provider: each key in
 * `sshKeys` may become a registration request, each listed location a request per page.
 */
export const INPUT_CAPS = {
  /** Most `sshKeys` in one create. @defaultValue 32 */
  maxSshKeys: 32,
  /** Longest OpenSSH public key, in characters (an 16384-bit RSA key is about 2 800). @defaultValue 8192 */
  maxSshKeyLength: 8_192,
  /** Most tags in a node query (`query.tags`). @defaultValue 50 */
  maxQueryTags: 50,
  /** Most locations in a node query (`query.location`). @defaultValue 100 */
  maxQueryLocations: 100,
  /** Shortest pause between two polls of `waitForNode`, in ms: `intervalMs` below it is raised to it. @defaultValue 100 */
  minPollIntervalMs: 100,
} as const;

/**
 * Tag keys that would reach an object's prototype instead of being stored (`tags[key] = value`
 * with `__proto__` changes the prototype and the tag silently vanishes).
 */
const FORBIDDEN_TAG_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export { DEFAULT_ID_PATTERN };

const SSH_KEY_PATTERN =
  /^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/]+={0,3}( [^\r\n]*)?$/;
const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

/** Where a check runs: for error messages. */
export interface CheckContext {
  /** The provider named in the `InvalidRequestError` (`polycloud` for checks outside any driver). */
  readonly provider: ErrorSource;
  /** The public operation whose arguments are checked, e.g. `createNode`. */
  readonly operation: string;
}

/** Shows a received value in an error message, briefly. */
export function describeReceived(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return `a ${typeof value}`;
}

/** Throws an {@link InvalidRequestError} for `field`. */
export function invalid(context: CheckContext, field: string, expected: string, received: unknown): never {
  throw new InvalidRequestError(`"${field}" must be ${expected}, got ${describeReceived(received)}`, {
    provider: context.provider,
    operation: context.operation,
    field,
  });
}

/** A non-empty string that is a safe id (or matches the driver's own id pattern). */
export function checkId(context: CheckContext, field: string, value: unknown, idPattern: IdPattern = DEFAULT_ID_PATTERN): string {
  if (typeof value !== 'string' || value.length === 0) invalid(context, field, 'a non-empty id string', value);
  if (!idPattern.pattern.test(value)) invalid(context, field, `an id of ${idPattern.description}`, value);
  return value;
}

/** A value that is either an id string or an object with an `id`, e.g. a `Size`. */
export function checkIdOrObject(
  context: CheckContext,
  field: string,
  what: string,
  value: unknown,
  provider: string,
  idPattern?: IdPattern,
): string {
  const expected = `a ${field} id or ${what}`;
  if (typeof value === 'string') {
    if (value.length === 0) invalid(context, field, expected, value);
    return checkId(context, field, value, idPattern);
  }
  if (typeof value !== 'object' || value === null) invalid(context, field, expected, value);
  const object = value as { id?: unknown; provider?: unknown };
  if (typeof object.id !== 'string' || object.id.length === 0) invalid(context, field, expected, value);
  if (object.provider !== undefined && object.provider !== provider) {
    invalid(context, field, `a ${what} of provider ${provider}`, `a ${what} of provider ${String(object.provider)}`);
  }
  return checkId(context, field, object.id, idPattern);
}

/**
 * A node name: a non-blank string within `limits.maxNameLength` matching `limits.namePattern` (when set);
 * returned as given, else `InvalidRequestError` naming `name`.
 */
export function checkName(context: CheckContext, value: unknown, limits: ProviderLimits): string {
  if (typeof value !== 'string' || value.trim().length === 0) invalid(context, 'name', 'a non-empty string', value);
  if (value.length > limits.maxNameLength) invalid(context, 'name', `at most ${limits.maxNameLength} characters`, value);
  if (limits.namePattern && !limits.namePattern.pattern.test(value)) {
    invalid(context, 'name', limits.namePattern.description, value);
  }
  return value;
}

/**
 * `sshKeys`: at most `maxKeys` OpenSSH public keys, each at most 8192 characters;
 * returned trimmed, `[]` when absent, else `InvalidRequestError` naming the key at fault.
 */
export function checkSshKeys(context: CheckContext, value: unknown, maxKeys: number = INPUT_CAPS.maxSshKeys): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) invalid(context, 'sshKeys', 'an array of OpenSSH public keys', value);
  if (value.length > maxKeys) invalid(context, 'sshKeys', `at most ${maxKeys} keys`, `${value.length} keys`);
  value.forEach((key: unknown, index) => {
    if (typeof key === 'string' && key.length > INPUT_CAPS.maxSshKeyLength) {
      invalid(context, `sshKeys[${index}]`, `at most ${INPUT_CAPS.maxSshKeyLength} characters`, key);
    }
    if (typeof key !== 'string' || !SSH_KEY_PATTERN.test(key.trim())) {
      invalid(context, `sshKeys[${index}]`, 'an OpenSSH public key such as "ssh-ed25519 AAAA… comment"', key);
    }
  });
  return value.map((key: string) => key.trim());
}

/**
 * `userData`: a string of at most `limits.maxUserDataBytes` UTF-8 bytes, or `undefined`; else
 * `InvalidRequestError` naming `userData`.
 */
export function checkUserData(context: CheckContext, value: unknown, limits: ProviderLimits): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') invalid(context, 'userData', 'a string', value);
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > limits.maxUserDataBytes) invalid(context, 'userData', `at most ${limits.maxUserDataBytes} bytes`, `${bytes} bytes`);
  return value;
}

/**
 * Tags at `field`: at most `limits.maxTags` string values, keys and values within the length limits,
 * no prototype keys; returned as a plain copy, `{}` when absent.
 */
export function checkTags(context: CheckContext, field: string, value: unknown, limits: ProviderLimits): Readonly<Record<string, string>> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    invalid(context, field, 'an object of string tag values', value);
  }
  const entries = Object.entries(value);
  if (entries.length > limits.maxTags) invalid(context, field, `at most ${limits.maxTags} tags`, `${entries.length} tags`);
  for (const [key, tagValue] of entries) {
    if (key.length === 0 || key.length > limits.maxTagKeyLength) {
      invalid(context, `${field} key`, `1-${limits.maxTagKeyLength} characters`, key);
    }
    if (FORBIDDEN_TAG_KEYS.has(key)) invalid(context, `${field} key`, 'a key other than __proto__, constructor or prototype', key);
    if (typeof tagValue !== 'string') invalid(context, `${field}.${key}`, 'a string', tagValue);
    if (tagValue.length > limits.maxTagValueLength) {
      invalid(context, `${field}.${key}`, `at most ${limits.maxTagValueLength} characters`, tagValue);
    }
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

/** An idempotency key of 1–64 letters, digits, `.`, `_`, `:` or `-`, or `undefined`; else `InvalidRequestError`. */
export function checkIdempotencyKey(context: CheckContext, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(value)) {
    invalid(context, 'idempotencyKey', "1-64 letters, digits, '.', '_', ':' or '-'", value);
  }
  return value;
}

/** One node state or a non-empty list of them; always returned as a list, else `InvalidRequestError` naming `field`. */
export function checkStates(context: CheckContext, field: string, value: unknown): readonly NodeState[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) invalid(context, field, `one or more of ${NODE_STATES.join(', ')}`, value);
  for (const state of list) {
    if (!NODE_STATES.includes(state as NodeState)) invalid(context, field, `one or more of ${NODE_STATES.join(', ')}`, state);
  }
  return list as NodeState[];
}

/**
 * The pause between polls: `intervalMs` as given, but never below `minimum` (a caller's
 * `intervalMs: 0` would poll in a tight loop). `undefined` stays `undefined` (the default applies).
 */
export function floorPollInterval(intervalMs: number | undefined, minimum: number = INPUT_CAPS.minPollIntervalMs): number | undefined {
  return intervalMs === undefined ? undefined : Math.max(intervalMs, minimum);
}

/** A list of locations in a node query: at most {@link INPUT_CAPS.maxQueryLocations}. */
export function checkQueryLocations(context: CheckContext, value: readonly unknown[]): void {
  if (value.length > INPUT_CAPS.maxQueryLocations) {
    invalid(context, 'query.location', `at most ${INPUT_CAPS.maxQueryLocations} locations`, `${value.length} locations`);
  }
}

/** A finite number of milliseconds that is not negative. */
export function checkDuration(context: CheckContext, field: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    invalid(context, field, 'a finite number of milliseconds, 0 or more', value);
  }
  return value;
}

/** A whole number, 1 or more, or `undefined`; else `InvalidRequestError` naming `field`. */
export function checkPositiveInteger(context: CheckContext, field: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) invalid(context, field, 'a whole number, 1 or more', value);
  return value;
}

/** `options.signal`: an `AbortSignal` or `undefined`; else `InvalidRequestError`. */
export function checkSignal(context: CheckContext, value: unknown): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof AbortSignal)) invalid(context, 'options.signal', 'an AbortSignal', value);
  return value;
}

/**
 * A plain object (not `null`, not an array) at `field`; with `optional`, `undefined` becomes `{}`.
 * Else `InvalidRequestError` naming `field`.
 */
export function checkObject(context: CheckContext, field: string, value: unknown, optional: boolean): Record<string, unknown> {
  if (value === undefined && optional) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(context, field, 'an object', value);
  return value as Record<string, unknown>;
}
