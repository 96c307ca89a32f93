/**
 * Which clouds the `polycloud` command talks to. In order: a config file naming accounts
 * (`--config`, `POLYCLOUD_CONFIG`, or `~/.polycloud/config.json`); `POLYCLOUD_PROVIDERS`; the
 * providers whose usual credentials are in the environment; and, with none of these, the
 * embedded `local` provider with a state file so successive commands see the same nodes.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { Driver } from '../core/driver.js';
import { ConfigurationError } from '../core/errors.js';
import { createDriver, isAvailableProvider, listProviders } from '../core/registry.js';
import type { ProviderName } from '../core/types.js';

/** One account in the config file. */
export interface CloudConfig {
  /** The provider, e.g. `aws`, `hetzner`, `local`. */
  readonly provider: ProviderName;
  /** The driver's options, as `createDriver(provider, options)` takes them. Default: `{}` (credentials from the environment). */
  readonly options?: Record<string, unknown>;
}

/** The config file: `{ "clouds": { "<name>": { "provider": "…", "options": { … } } } }`. */
export interface ConfigFile {
  readonly clouds: Readonly<Record<string, CloudConfig>>;
}

/** The clouds the CLI works with, and where they came from (shown by `health`). */
export interface LoadedClouds {
  readonly drivers: Record<string, Driver>;
  readonly source: string;
}

/** Environment variables that reveal a provider's credentials, per registered provider (its descriptor's `env`). */
const credentialHints = (): readonly [ProviderName, readonly string[]][] =>
  listProviders().map((descriptor) => [descriptor.name, descriptor.env ?? []]);

/** The registered provider names, for messages. */
const providerNames = (): string =>
  listProviders()
    .map((descriptor) => descriptor.name)
    .join(', ');

/** POLYCLOUD_LOCAL_SSH=1 gives local nodes real SSH endpoints (commands run on this machine, in a sandbox directory). */
function localSsh(env: NodeJS.ProcessEnv): { ssh?: true } {
  return env.POLYCLOUD_LOCAL_SSH === '1' || env.POLYCLOUD_LOCAL_SSH === 'true' ? { ssh: true } : {};
}

/** Where the local provider keeps its nodes between commands. */
export function defaultStateFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.POLYCLOUD_STATE_FILE || join(homedir(), '.polycloud', 'local-state.json');
}

/** Loads the configured clouds. */
export async function loadClouds(configPath: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<LoadedClouds> {
  const file = configPath ?? env.POLYCLOUD_CONFIG ?? existing(join(homedir(), '.polycloud', 'config.json'));
  if (file) return fromConfigFile(file);

  const listed = env.POLYCLOUD_PROVIDERS?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (listed && listed.length > 0) {
    const drivers: Record<string, Driver> = {};
    for (const name of listed)
      drivers[name] = await create(
        name,
        name === 'local' ? { stateFile: defaultStateFile(env), ...localSsh(env) } : {},
        'POLYCLOUD_PROVIDERS',
      );
    return { drivers, source: `POLYCLOUD_PROVIDERS=${listed.join(',')}` };
  }

  const detected = credentialHints().filter(([, variables]) => variables.some((variable) => env[variable]));
  if (detected.length > 0) {
    const drivers: Record<string, Driver> = {};
    for (const [provider] of detected) drivers[provider] = await create(provider, {}, 'environment');
    return { drivers, source: `credentials in the environment (${detected.map(([provider]) => provider).join(', ')})` };
  }

  const stateFile = defaultStateFile(env);
  return {
    drivers: { local: await create('local', { stateFile, ...localSsh(env) }, 'default') },
    source: `the local provider (state file ${stateFile})`,
  };
}

function existing(path: string): string | undefined {
  return existsSync(path) ? path : undefined;
}

async function fromConfigFile(path: string): Promise<LoadedClouds> {
  const fail = (detail: string): never => {
    throw new ConfigurationError(`config file ${path}: ${detail}`, { provider: 'polycloud', operation: 'loadConfig' });
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    fail((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : `not valid JSON (${(error as Error).message})`);
  }
  const clouds = (parsed as Partial<ConfigFile> | null)?.clouds;
  if (typeof clouds !== 'object' || clouds === null || Object.keys(clouds).length === 0) fail('must have a non-empty "clouds" object');
  const drivers: Record<string, Driver> = {};
  for (const [name, entry] of Object.entries(clouds as Record<string, CloudConfig>)) {
    if (typeof entry?.provider !== 'string') fail(`clouds.${name}.provider must be one of ${providerNames()}`);
    const options = { ...(entry.options ?? {}) };
    // A relative state file is relative to the config file, so the file works from any directory.
    if (typeof options.stateFile === 'string') options.stateFile = expandPath(options.stateFile, dirname(path));
    drivers[name] = await create(entry.provider, options, `clouds.${name}`);
  }
  return { drivers, source: `config file ${path}` };
}

async function create(provider: string, options: Record<string, unknown>, where: string): Promise<Driver> {
  if (!isAvailableProvider(provider)) {
    throw new ConfigurationError(`${where}: provider ${JSON.stringify(provider)} is not available; use one of ${providerNames()}`, {
      provider: 'polycloud',
      operation: 'loadConfig',
    });
  }
  return createDriver(provider as never, options as never);
}

function expandPath(path: string, base: string): string {
  if (path === '~' || path.startsWith('~/')) return join(homedir(), path.slice(1));
  return isAbsolute(path) ? path : resolve(base, path);
}
