/**
 * The config file's schema (valibot): `{ "clouds": { "<name>": { "provider": "…", "options": { … } } } }`
 * with every object strict, so a typo such as `"endpont"` — which would otherwise silently send
 * requests to the real API — is an error naming the key, with a "did you mean" hint. Option
 * values are checked by the drivers themselves when they are created.
 *
 * @module
 */
import * as v from 'valibot';
import { ConfigurationError } from '../core/errors.js';
import { PROVIDER_NAMES, type ProviderName } from '../core/types.js';

/**
 * The driver options a config file may set, per provider: every JSON-expressible option of
 * `<Provider>DriverOptions` (functions and objects such as `clock`, `logger` or `authClient`
 * cannot come from a file).
 */
export const CONFIG_OPTION_KEYS: Readonly<Record<ProviderName, readonly string[]>> = {
  local: ['cloud', 'preset', 'catalog', 'stateFile', 'seed', 'timings', 'faults', 'maxNodes', 'idPrefix', 'pageSize', 'retry'],
  aws: [
    'regions',
    'defaultRegion',
    'credentials',
    'profile',
    'endpoint',
    'maxConcurrency',
    'retry',
    'priceSource',
    'sizeCacheTtlMs',
    'requestTimeoutMs',
  ],
  gce: [
    'project',
    'zones',
    'regions',
    'credentials',
    'keyFilename',
    'endpoint',
    'maxConcurrency',
    'retry',
    'priceSource',
    'imageProjects',
    'requestTimeoutMs',
    'operationTimeoutMs',
  ],
  digitalocean: ['token', 'endpoint', 'retry', 'timeoutMs', 'pageSize', 'waitForActions', 'actionPollIntervalMs', 'actionTimeoutMs'],
  hetzner: [
    'token',
    'endpoint',
    'defaultLocation',
    'priceBasis',
    'pageSize',
    'stopMethod',
    'actionPollIntervalMs',
    'actionTimeoutMs',
    'timeoutMs',
    'retry',
  ],
  linode: ['token', 'endpoint', 'defaultLocation', 'pageSize', 'catalogTtlMs', 'timeoutMs', 'retry'],
};

/** One account in the config file. */
export interface CloudConfig {
  /** The provider, e.g. `aws`, `hetzner`, `local`. */
  readonly provider: ProviderName;
  /**
   * The driver's options, as `createDriver(provider, options)` takes them.
   *
   * @defaultValue `{}` (credentials from the environment)
   */
  readonly options?: Readonly<Record<string, unknown>>;
}

/** The config file. */
export interface ConfigFile {
  /** The clouds by name; a name is 1-64 letters, digits, `.`, `_` or `-`. */
  readonly clouds: Readonly<Record<string, CloudConfig>>;
}

const CLOUD_NAME = /^[A-Za-z0-9._-]{1,64}$/;

const cloudSchema = v.variant(
  'provider',
  PROVIDER_NAMES.map((provider) =>
    v.strictObject({
      provider: v.literal(provider),
      options: v.optional(v.strictObject(Object.fromEntries(CONFIG_OPTION_KEYS[provider].map((key) => [key, v.optional(v.unknown())])))),
    }),
  ),
  (issue) => `"provider" must be one of ${PROVIDER_NAMES.join(', ')}, got ${String(issue.received)}`,
);

const configSchema = v.strictObject({
  $schema: v.optional(v.string()),
  clouds: v.pipe(
    v.record(v.pipe(v.string(), v.regex(CLOUD_NAME, 'cloud names are 1-64 letters, digits, ".", "_" or "-"')), cloudSchema),
    v.check((clouds) => Object.keys(clouds).length > 0, 'must name at least one cloud'),
  ),
});

/** The keys allowed where an unknown key was found, from the path to it. */
function allowedKeys(path: readonly (string | number)[], input: unknown): readonly string[] {
  if (path.length === 1) return ['clouds', '$schema'];
  if (path.length === 3) return ['provider', 'options'];
  const provider = (input as ConfigFile | undefined)?.clouds?.[String(path[1])]?.provider;
  return provider && provider in CONFIG_OPTION_KEYS ? CONFIG_OPTION_KEYS[provider] : [];
}

/**
 * Checks a parsed config file; a `ConfigurationError` naming the file, the path and (for an
 * unknown key) the closest known key otherwise.
 */
export function parseConfig(input: unknown, file: string): ConfigFile {
  const result = v.safeParse(configSchema, input);
  if (result.success) return result.output as ConfigFile;
  const messages = result.issues.slice(0, 5).map((issue) => {
    const path = (issue.path ?? []).map((item) => item.key as string | number);
    const where = path.join('.') || '(top level)';
    if (issue.type === 'strict_object' && issue.expected === 'never') {
      const key = String(path[path.length - 1]);
      const hint = closest(key, allowedKeys(path, input));
      return `${where}: unknown key ${JSON.stringify(key)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ''}`;
    }
    return `${where}: ${issue.message}`;
  });
  throw new ConfigurationError(`config file ${file}: ${messages.join('; ')}`, { provider: 'polycloud', operation: 'loadConfig' });
}

/** The candidate nearest to `word` by edit distance, when it is near enough to be a typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** Damerau-Levenshtein distance (optimal string alignment), so a swapped pair counts once. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = rows[i] as number[];
      const above = rows[i - 1] as number[];
      row[j] = Math.min((above[j] as number) + 1, (row[j - 1] as number) + 1, (above[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j] as number, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}
