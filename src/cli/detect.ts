/**
 * Which clouds have credentials on this machine, found where each provider's own SDK or CLI looks
 * for them, with the reason the CLI shows ("AWS_PROFILE", "~/.aws/credentials", …). Only the
 * presence of a source is checked: nothing is read out of it, so no secret passes through here.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { listProviders } from '../core/registry.js';
import type { ProviderName } from '../core/types.js';

/** A provider whose credentials were found, and where. */
export interface DetectedCloud {
  /** The provider. */
  readonly provider: ProviderName;
  /** Where its credentials were found, e.g. `HCLOUD_TOKEN` or `~/.aws/credentials`. */
  readonly reason: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** `/home/me/.aws/credentials` → `~/.aws/credentials`, for messages. */
function tilde(path: string, home: string): string {
  return path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
}

function firstVariable(env: Env, names: readonly string[]): string | undefined {
  return names.find((name) => !!env[name]);
}

/** The AWS SDK's default chain: environment keys, profile, web identity, container role, shared files. */
function awsSource(env: Env, home: string): string | undefined {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return 'AWS_ACCESS_KEY_ID';
  const variable = firstVariable(env, [
    'AWS_PROFILE',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  ]);
  if (variable) return variable;
  for (const path of [
    env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials'),
    env.AWS_CONFIG_FILE || join(home, '.aws', 'config'),
  ]) {
    if (existsSync(path)) return tilde(path, home);
  }
  return undefined;
}

/** Google's Application Default Credentials: the key file variable, then gcloud's ADC file. */
function gceSource(env: Env, home: string): string | undefined {
  if (env.GOOGLE_APPLICATION_CREDENTIALS) return 'GOOGLE_APPLICATION_CREDENTIALS';
  const gcloud = env.CLOUDSDK_CONFIG || join(home, '.config', 'gcloud');
  const adc = join(gcloud, 'application_default_credentials.json');
  return existsSync(adc) ? tilde(adc, home) : undefined;
}

/** Providers whose SDK also reads files: checked the way that SDK does, besides their variables. */
const FILE_SOURCES: Readonly<Record<string, (env: Env, home: string) => string | undefined>> = {
  aws: awsSource,
  gce: gceSource,
};

/** Variables a built-in driver reads that its descriptor does not list as a hint. */
const EXTRA_VARIABLES: Readonly<Record<string, readonly string[]>> = {
  digitalocean: ['DIGITALOCEAN_TOKEN', 'DIGITALOCEAN_ACCESS_TOKEN'],
};

/**
 * The registered providers with credentials in `env` or in the files their tools write, in
 * registration order: the SDK's own sources for AWS and Google, the variables each provider's
 * descriptor names for the others.
 */
export function detectClouds(env: Env = process.env, home: string = homedir()): DetectedCloud[] {
  const found: DetectedCloud[] = [];
  for (const descriptor of listProviders()) {
    const name = descriptor.name;
    const reason =
      FILE_SOURCES[name]?.(env, home) ?? firstVariable(env, [...new Set([...(EXTRA_VARIABLES[name] ?? []), ...(descriptor.env ?? [])])]);
    if (reason) found.push({ provider: name, reason });
  }
  return found;
}

/** Every place {@link detectClouds} looks, for the message shown when it finds nothing. */
export function credentialSources(): string {
  const named = listProviders()
    .filter((descriptor) => !FILE_SOURCES[descriptor.name])
    .flatMap((descriptor) => [...new Set([...(EXTRA_VARIABLES[descriptor.name] ?? []), ...(descriptor.env ?? [])])]);
  return ['AWS_* / ~/.aws', 'GOOGLE_APPLICATION_CREDENTIALS / gcloud ADC', ...named].join(', ');
}
