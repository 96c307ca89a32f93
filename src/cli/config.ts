/**
 * Which clouds the `polycloud` command talks to, and why. In order: a config file naming accounts
 * (`--config`, `POLYCLOUD_CONFIG`, `$XDG_CONFIG_HOME/polycloud/config.{json,yaml}`, or the old
 * `~/.polycloud/config.json`); `POLYCLOUD_PROVIDERS`; the providers whose credentials are where
 * their own SDKs and CLIs look; and, with none of these, the embedded `local` simulator with a
 * state file so successive commands see the same nodes — said loudly on stderr.
 *
 * A cloud whose driver cannot be created (a missing token, a bad option value) does not stop the
 * others: it stays in the list as a cloud whose every call fails with that error, so commands
 * report it the way they report an outage.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Driver } from '../core/driver.js';
import { ConfigurationError, isCloudError, type CloudError } from '../core/errors.js';
import { createDriver, isAvailableProvider, listProviders } from '../core/registry.js';
import { credentialSources, detectClouds } from './detect.js';
import { parseConfig } from './schema.js';

export type { CloudConfig, ConfigFile } from './schema.js';

/** One cloud the CLI works with. */
export interface LoadedCloud {
  /** The cloud's name (the config file's key, or the provider's name). */
  readonly name: string;
  /** The provider. */
  readonly provider: string;
  /** Why this cloud is used, e.g. `config file ~/.config/polycloud/config.json` or `HCLOUD_TOKEN`. */
  readonly reason: string;
  /** Why its driver could not be created, when it could not. */
  readonly error?: CloudError;
}

/** The clouds the CLI works with, and where they came from (shown by `clouds` and `health`). */
export interface LoadedClouds {
  /** The drivers by cloud name; a cloud that failed to configure has one whose calls all fail. */
  readonly drivers: Record<string, Driver>;
  /** Where the list of clouds came from. */
  readonly source: string;
  /** Each cloud with its reason. */
  readonly clouds: readonly LoadedCloud[];
  /** Whether this is the simulator fallback (nothing configured, no credentials found). */
  readonly fallback: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The config directory: `$XDG_CONFIG_HOME/polycloud`, by default `~/.config/polycloud`. */
export function configDirectory(env: Env = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'polycloud');
}

/** POLYCLOUD_LOCAL_SSH=1 gives local nodes real SSH endpoints (commands run on this machine, in a sandbox directory). */
function localSsh(env: Env): { ssh?: true } {
  return env.POLYCLOUD_LOCAL_SSH === '1' || env.POLYCLOUD_LOCAL_SSH === 'true' ? { ssh: true } : {};
}

/** Where the local provider keeps its nodes between commands. */
export function defaultStateFile(env: Env = process.env): string {
  if (env.POLYCLOUD_STATE_FILE) return env.POLYCLOUD_STATE_FILE;
  // An existing state file at the old place keeps its nodes; new ones go to the XDG state dir.
  const old = join(homedir(), '.polycloud', 'local-state.json');
  if (existsSync(old)) return old;
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'polycloud', 'local-state.json');
}

/** The config file in use, if any: the given one, `POLYCLOUD_CONFIG`, the XDG one, the old one. */
export function configFile(given: string | undefined, env: Env = process.env): string | undefined {
  if (given) return given;
  if (env.POLYCLOUD_CONFIG) return env.POLYCLOUD_CONFIG;
  const directory = configDirectory(env);
  return [
    join(directory, 'config.json'),
    join(directory, 'config.yaml'),
    join(directory, 'config.yml'),
    join(homedir(), '.polycloud', 'config.json'),
  ].find((path) => existsSync(path));
}

/** Loads the configured clouds. A broken config file is a `ConfigurationError`; a broken cloud is not. */
export async function loadClouds(configPath: string | undefined, env: Env = process.env): Promise<LoadedClouds> {
  const file = configFile(configPath, env);
  if (file) return fromConfigFile(file);

  const listed = env.POLYCLOUD_PROVIDERS?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (listed && listed.length > 0) {
    const clouds = await Promise.all(
      listed.map((name) =>
        create(name, name, name === 'local' ? { stateFile: defaultStateFile(env), ...localSsh(env) } : {}, 'POLYCLOUD_PROVIDERS'),
      ),
    );
    return assemble(clouds, `POLYCLOUD_PROVIDERS=${listed.join(',')}`, false);
  }

  const detected = detectClouds(env);
  if (detected.length > 0) {
    const clouds = await Promise.all(detected.map(({ provider, reason }) => create(provider, provider, {}, reason)));
    return assemble(clouds, `credentials found (${detected.map(({ provider, reason }) => `${provider}: ${reason}`).join(', ')})`, false);
  }

  const stateFile = defaultStateFile(env);
  const local = await create(
    'local',
    'local',
    { stateFile, ...localSsh(env) },
    `no cloud credentials found (looked for ${credentialSources()})`,
  );
  return assemble([local], `the embedded simulator (state file ${stateFile})`, true);
}

/** The message printed on stderr when the CLI falls back to the simulator. */
export function fallbackNotice(loaded: LoadedClouds, env: Env = process.env): string {
  return [
    `polycloud: no clouds configured and no cloud credentials found (looked for ${credentialSources()}).`,
    `polycloud: using the embedded SIMULATOR ('local' provider): nothing here is a real machine. State: ${defaultStateFile(env)}`,
    `polycloud: to use real clouds, set their credentials or write ${join(configDirectory(env), 'config.json')} (see \`polycloud clouds --help\`).`,
  ].join('\n');
}

function assemble(clouds: readonly (LoadedCloud & { driver: Driver })[], source: string, fallback: boolean): LoadedClouds {
  return {
    drivers: Object.fromEntries(clouds.map((cloud) => [cloud.name, cloud.driver])),
    source,
    clouds: clouds.map(({ driver: _driver, ...cloud }) => cloud),
    fallback,
  };
}

function readConfig(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigurationError(`config file ${path}: ${code === 'ENOENT' ? 'not found' : `cannot be read (${code ?? 'error'})`}`, {
      provider: 'polycloud',
      operation: 'loadConfig',
    });
  }
  try {
    return /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(
      `config file ${path}: not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'} (${(error as Error).message})`,
      {
        provider: 'polycloud',
        operation: 'loadConfig',
      },
    );
  }
}

async function fromConfigFile(path: string): Promise<LoadedClouds> {
  const config = parseConfig(readConfig(path), path);
  const clouds = await Promise.all(
    Object.entries(config.clouds).map(([name, entry]) => {
      const options: Record<string, unknown> = { ...(entry.options ?? {}) };
      // A relative state file is relative to the config file, so the file works from any directory.
      if (typeof options.stateFile === 'string') options.stateFile = expandPath(options.stateFile, dirname(path));
      return create(entry.provider, name, options, `config file ${path}`);
    }),
  );
  return assemble(clouds, `config file ${path}`, false);
}

async function create(
  provider: string,
  name: string,
  options: Record<string, unknown>,
  reason: string,
): Promise<LoadedCloud & { driver: Driver }> {
  if (!isAvailableProvider(provider)) {
    throw new ConfigurationError(
      `${reason}: provider ${JSON.stringify(provider)} is not available; use one of ${listProviders()
        .map((descriptor) => descriptor.name)
        .join(', ')}`,
      { provider: 'polycloud', operation: 'loadConfig' },
    );
  }
  try {
    const driver = await createDriver(provider as never, options as never);
    return { name, provider, reason, driver };
  } catch (error) {
    const cause = isCloudError(error)
      ? error
      : new ConfigurationError(`${provider}: ${(error as Error)?.message ?? String(error)}`, {
          provider,
          operation: 'configure',
          cause: error,
        });
    return { name, provider, reason, error: cause, driver: failingDriver(provider, cause) };
  }
}

/** A driver whose every call fails with `error`: a cloud that could not be configured, shown like an outage. */
function failingDriver(provider: string, error: CloudError): Driver {
  const fail = () => Promise.reject(error);
  const methods = [
    'listLocations',
    'listSizes',
    'listImages',
    'listNodes',
    'getNode',
    'createNode',
    'rebootNode',
    'startNode',
    'stopNode',
    'destroyNode',
    'waitForNode',
  ];
  return {
    provider,
    capabilities: {},
    ...Object.fromEntries(methods.map((method) => [method, fail])),
    iterateNodes: () => ({ [Symbol.asyncIterator]: () => ({ next: fail }) }),
  } as unknown as Driver;
}

function expandPath(path: string, base: string): string {
  if (path === '~' || path.startsWith('~/')) return join(homedir(), path.slice(1));
  return isAbsolute(path) ? path : resolve(base, path);
}
