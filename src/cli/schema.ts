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
import { getProvider } from '../core/registry.js';
import type { ProviderName } from '../core/types.js';

/**
 * The option keys a config file may set for `provider`: those its descriptor declares
 * (`ProviderDescriptor.optionKeys`; each built-in one checks its list against the driver's options
 * type), or `undefined` when it declares none and its driver checks its own options.
 */
export function configOptionKeys(provider: string): readonly string[] | undefined {
  return getProvider(provider)?.optionKeys;
}

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

const cloudSchema = v.strictObject({
  provider: v.pipe(v.string(), v.regex(/^[a-z][a-z0-9-]*$/, '"provider" must be a provider name such as "aws"')),
  options: v.optional(v.record(v.string(), v.unknown())),
});

/** A provider's options as a strict object (an unknown key is an issue), or `undefined` when it declares no keys. */
function optionSchema(provider: string): v.GenericSchema | undefined {
  const keys = configOptionKeys(provider);
  return keys && v.strictObject(Object.fromEntries(keys.map((key) => [key, v.optional(v.unknown())])));
}

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
  return (provider && configOptionKeys(provider)) || [];
}

type Issue = v.BaseIssue<unknown>;

function describe(issue: Issue, input: unknown, prefix: readonly (string | number)[]): string {
  const path = [...prefix, ...(issue.path ?? []).map((item) => item.key as string | number)];
  const where = path.join('.') || '(top level)';
  if (issue.type === 'strict_object' && issue.expected === 'never') {
    const key = String(path[path.length - 1]);
    const hint = closest(key, allowedKeys(path, input));
    return `${where}: unknown key ${JSON.stringify(key)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ''}`;
  }
  return `${where}: ${issue.message}`;
}

/**
 * Checks a parsed config file; a `ConfigurationError` naming the file, the path and (for an
 * unknown key) the closest known key otherwise.
 */
export function parseConfig(input: unknown, file: string): ConfigFile {
  const result = v.safeParse(configSchema, input);
  const messages = result.success ? [] : result.issues.map((issue) => describe(issue, input, []));
  // Each provider's declared option keys, also when the rest of the file has problems.
  const clouds = (input as { clouds?: unknown } | null)?.clouds;
  if (typeof clouds === 'object' && clouds !== null) {
    for (const [name, cloud] of Object.entries(clouds as Record<string, { provider?: unknown; options?: unknown }>)) {
      const schema = typeof cloud?.provider === 'string' ? optionSchema(cloud.provider) : undefined;
      if (!schema || typeof cloud.options !== 'object' || cloud.options === null) continue;
      const options = v.safeParse(schema, cloud.options);
      if (!options.success) messages.push(...options.issues.map((issue) => describe(issue, input, ['clouds', name, 'options'])));
    }
  }
  if (messages.length === 0) return (result as { output: ConfigFile }).output;
  throw new ConfigurationError(`config file ${file}: ${messages.slice(0, 5).join('; ')}`, {
    provider: 'polycloud',
    operation: 'loadConfig',
  });
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
