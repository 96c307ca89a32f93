/**
 * Keeping credentials out of everything polycloud prints, throws or serialises.
 *
 * Drivers register every secret they are given; error messages, causes and log lines are passed
 * through {@link redactSecrets} before anyone sees them, and {@link Secret} hides a value from
 * `JSON.stringify`, `util.inspect` and string conversion.
 *
 * @module
 */

const REDACTED = '[redacted]';

/**
 * How many secrets the registry keeps, per kind. Credentials (keys, tokens: one or a few per
 * driver, refreshed tokens re-registered) and generated secrets (a root password per node created)
 * are kept apart, so a run creating thousands of nodes never pushes a driver's key out. Beyond the
 * limit the least recently registered secret of that kind is forgotten: it is no longer scrubbed
 * from free text (its {@link Secret} still never shows it). Registering a value again makes it
 * the most recent.
 */
export const SECRET_REGISTRY_LIMITS = {
  /** Keys and tokens drivers are configured with: up to 1000 kept. */
  credentials: 1_000,
  /** Per-resource secrets such as generated root passwords (`generated: true`): up to 1000 kept. */
  generated: 1_000,
} as const;

/** Insertion-ordered sets used as LRU lists: the first entry is the least recently registered. */
const registries = { credentials: new Set<string>(), generated: new Set<string>() };
/** Secrets shorter than this are not scrubbed from text: they would match ordinary words. */
const MIN_SECRET_LENGTH = 6;

/** Patterns of secrets that are scrubbed even when nobody registered them. */
const SECRET_PATTERNS: readonly RegExp[] = [
  /(authorization["']?\s*[:=]\s*["']?)(bearer\s+)?[^\s"',}]+/gi,
  /(x-amz-security-token["']?\s*[:=]\s*["']?)[^\s"',}]+/gi,
  /(Signature=)[0-9a-f]{16,}/gi,
  /(Credential=)[A-Z0-9]{16,}/g,
  /(access_token["']?\s*[:=]\s*["']?)[^\s"',}]+/gi,
  /(private_key["']?\s*[:=]\s*["']?)-----BEGIN[^"']*/gi,
  // Google OAuth access tokens, refresh tokens and client secrets have fixed prefixes: scrub them
  // even when they came from a caller's auth client that polycloud never saw the token of.
  /()\bya29\.[A-Za-z0-9._-]{8,}/g,
  /()(?<![A-Za-z0-9])1\/\/[A-Za-z0-9._-]{16,}/g,
  /()\bGOCSPX-[A-Za-z0-9._-]{8,}/g,
  // Credentials inside URLs: `scheme://user:password@host` and API keys in query strings.
  /([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"']+@/gi,
  /([?&](?:key|api[_-]?key|apikey|token|access[_-]?token|password|secret|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token)=)[^\s&#"']+/gi,
  /(x-goog-api-key["']?\s*[:=]\s*["']?)[^\s"',}]+/gi,
];

/** Options of {@link registerSecret}. */
export interface RegisterSecretOptions {
  /**
   * A secret made per resource (e.g. a generated root password) rather than a credential: kept
   * in the generated pool, see {@link SECRET_REGISTRY_LIMITS}.
   * @defaultValue false
   */
  readonly generated?: boolean;
}

/**
 * Remembers a value as secret so that it is scrubbed from every message polycloud produces, up to
 * {@link SECRET_REGISTRY_LIMITS} per kind (the least recently registered is forgotten first).
 */
export function registerSecret(value: string | undefined | null, options: RegisterSecretOptions = {}): void {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return;
  const kind = options.generated ? 'generated' : 'credentials';
  const registry = registries[kind];
  registry.delete(value);
  registry.add(value);
  if (registry.size > SECRET_REGISTRY_LIMITS[kind]) {
    const oldest = registry.values().next().value;
    if (oldest !== undefined) registry.delete(oldest);
  }
}

/** How many secrets the registry holds now, per kind (for tests and diagnostics). */
export function registeredSecretCounts(): { credentials: number; generated: number } {
  return { credentials: registries.credentials.size, generated: registries.generated.size };
}

/** Replaces every registered secret and every known credential pattern in `text` with `[redacted]`. */
export function redactSecrets(text: string): string {
  let result = text;
  for (const registry of [registries.credentials, registries.generated]) {
    for (const secret of registry) {
      if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    }
  }
  for (const pattern of SECRET_PATTERNS) {
    result = result.replace(pattern, (_match, prefix: string) => `${prefix}${REDACTED}`);
  }
  return result;
}

/**
 * `text` with secrets redacted, or `undefined` for `undefined`: for the short strings a server
 * sends back (request ids, error codes, field names), which may echo anything it was given.
 */
export function redactOptional(text: string | undefined): string | undefined {
  return text === undefined ? undefined : redactSecrets(text);
}

/**
 * A URL as it may be shown: user name and password removed, every query value replaced by
 * `[redacted]` (a query can carry an API key under any name). Non-URLs are redacted as text.
 */
export function redactUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return redactSecrets(value);
  }
  const hadCredentials = url.username !== '' || url.password !== '';
  url.username = '';
  url.password = '';
  const query = [...url.searchParams.keys()].map((key) => `${encodeURIComponent(key)}=${REDACTED}`).join('&');
  const base = `${url.protocol}//${hadCredentials ? `${REDACTED}@` : ''}${url.host}${url.pathname}`;
  return redactSecrets(`${base}${query === '' ? '' : `?${query}`}${url.hash === '' ? '' : '#…'}`);
}

/**
 * A copy of an arbitrary thrown value that is safe to keep as an error `cause`: name, message,
 * code and stack only (scrubbed), never the request configuration, headers or response objects
 * that HTTP clients and SDKs attach to their errors.
 */
export function sanitizeCause(cause: unknown): unknown {
  if (cause === undefined || cause === null) return cause;
  if (typeof cause === 'object' && Symbol.for('polycloud.error.kinds') in cause) return cause;
  if (!(cause instanceof Error)) return new Error(redactSecrets(typeof cause === 'string' ? cause : describeValue(cause)));
  const copy = new Error(redactSecrets(cause.message));
  // An SDK names its errors after the server's error code, which may echo anything it was sent.
  copy.name = redactSecrets(cause.name);
  const code = (cause as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') (copy as Error & { code?: unknown }).code = redactSecrets(String(code));
  copy.stack = cause.stack === undefined ? undefined : redactSecrets(cause.stack);
  if (cause.cause !== undefined) (copy as Error & { cause?: unknown }).cause = sanitizeCause(cause.cause);
  return copy;
}

function describeValue(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * A credential that never shows itself: `String(secret)`, `JSON.stringify` and `util.inspect`
 * all print `[redacted]`. Call {@link Secret.reveal} where the value is really needed.
 */
export class Secret {
  readonly #value: string;
  /** @param options - `generated: true` for a secret made per resource (see {@link registerSecret}). */
  constructor(value: string, options: RegisterSecretOptions = {}) {
    this.#value = value;
    registerSecret(value, options);
  }
  /** The secret value itself; use only to put it on the wire. */
  reveal(): string {
    return this.#value;
  }
  /** Always `[redacted]`, so template strings and concatenation never show the value. */
  toString(): string {
    return REDACTED;
  }
  /** Always `[redacted]`, so `JSON.stringify` of an object holding the secret never shows the value. */
  toJSON(): string {
    return REDACTED;
  }
  // `util.inspect.custom` by its registered name: importing node:util would slow every `import('polycloud')`.
  /** `Secret([redacted])` for `util.inspect` and `console.log`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Secret(${REDACTED})`;
  }
}
