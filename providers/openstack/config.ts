/**
 * OpenStack configuration the way OpenStack's own tools read it: explicit options first, then a
 * `clouds.yaml` entry named by `cloud` / `OS_CLOUD` (searched in `./clouds.yaml`,
 * `~/.config/openstack/clouds.yaml`, `/etc/openstack/clouds.yaml`, or `OS_CLIENT_CONFIG_FILE`),
 * then the `OS_*` environment variables.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ConfigurationError, Secret, registerSecret } from '../../src/kit.js';
import type { OpenStackAuth } from './keystone.js';

/** The environment variables the driver reads. */
export const OPENSTACK_ENV = [
  'OS_AUTH_URL',
  'OS_USERNAME',
  'OS_PASSWORD',
  'OS_PROJECT_NAME',
  'OS_USER_DOMAIN_NAME',
  'OS_PROJECT_DOMAIN_NAME',
  'OS_REGION_NAME',
  'OS_APPLICATION_CREDENTIAL_ID',
  'OS_APPLICATION_CREDENTIAL_SECRET',
  'OS_CLOUD',
] as const;

/** Credentials and place, as options. Every field falls back to `clouds.yaml`, then `OS_*`. */
export interface OpenStackCredentialOptions {
  /**
   * The `clouds.yaml` entry to read the other settings from.
   * @defaultValue `OS_CLOUD`, else none (options and `OS_*` only)
   */
  readonly cloud?: string;
  /**
   * Keystone URL, e.g. `https://auth.cloud.ovh.net/v3`.
   * @defaultValue `auth.auth_url` of the `clouds.yaml` entry, else `OS_AUTH_URL`
   */
  readonly authUrl?: string;
  /**
   * User name for password authentication (with `password` and `projectName`).
   * @defaultValue `auth.username` of the `clouds.yaml` entry, else `OS_USERNAME`
   */
  readonly username?: string;
  /**
   * Password for password authentication; registered as a secret, never shown.
   * @defaultValue `auth.password` of the `clouds.yaml` entry, else `OS_PASSWORD`
   */
  readonly password?: string;
  /**
   * The project (tenant) to scope the token to, for password authentication.
   * @defaultValue `auth.project_name` of the `clouds.yaml` entry, else `OS_PROJECT_NAME`
   */
  readonly projectName?: string;
  /**
   * Keystone domain of the user, for password authentication.
   * @defaultValue `auth.user_domain_name` of the `clouds.yaml` entry, else `OS_USER_DOMAIN_NAME`, else `Default`
   */
  readonly userDomainName?: string;
  /**
   * Keystone domain of the project, for password authentication.
   * @defaultValue `auth.project_domain_name` of the `clouds.yaml` entry, else `OS_PROJECT_DOMAIN_NAME`, else `Default`
   */
  readonly projectDomainName?: string;
  /**
   * Id of an application credential; when given (with its secret) it is used instead of a password.
   * @defaultValue `auth.application_credential_id` of the `clouds.yaml` entry, else `OS_APPLICATION_CREDENTIAL_ID`
   */
  readonly applicationCredentialId?: string;
  /**
   * Secret of the application credential; registered as a secret, never shown.
   * @defaultValue `auth.application_credential_secret` of the `clouds.yaml` entry, else `OS_APPLICATION_CREDENTIAL_SECRET`
   */
  readonly applicationCredentialSecret?: string;
  /**
   * The region whose endpoints the catalog gives.
   * @defaultValue `region_name` of the `clouds.yaml` entry, else `OS_REGION_NAME`
   */
  readonly region?: string;
}

/** What the driver runs with. */
export interface ResolvedOpenStackConfig {
  /** Keystone URL. */
  readonly authUrl: string;
  /** How to authenticate: password or application credential. */
  readonly auth: OpenStackAuth;
  /** The region whose endpoints the catalog gives. */
  readonly region: string;
}

type Entry = { auth?: Record<string, unknown>; region_name?: unknown; auth_type?: unknown };

function cloudsYamlEntry(cloud: string, env: NodeJS.ProcessEnv): Entry {
  const files = [
    env.OS_CLIENT_CONFIG_FILE,
    join(process.cwd(), 'clouds.yaml'),
    join(homedir(), '.config', 'openstack', 'clouds.yaml'),
    '/etc/openstack/clouds.yaml',
  ];
  for (const file of files) {
    if (!file || !existsSync(file)) continue;
    const parsed = parse(readFileSync(file, 'utf8')) as { clouds?: Record<string, Entry> } | null;
    const entry = parsed?.clouds?.[cloud];
    if (entry) return entry;
  }
  throw new ConfigurationError(`no cloud named ${JSON.stringify(cloud)} in any clouds.yaml (OS_CLOUD / { cloud })`, {
    provider: 'openstack',
    operation: 'configure',
  });
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** Resolves options → clouds.yaml → environment; a `ConfigurationError` naming the variables when something is missing. */
export function resolveOpenStackConfig(options: OpenStackCredentialOptions, env: NodeJS.ProcessEnv = process.env): ResolvedOpenStackConfig {
  const cloud = options.cloud ?? text(env.OS_CLOUD);
  const entry: Entry = cloud ? cloudsYamlEntry(cloud, env) : {};
  const auth = entry.auth ?? {};
  const pick = (option: string | undefined, key: string, variable: string) => option ?? text(auth[key]) ?? text(env[variable]);
  const authUrl = pick(options.authUrl, 'auth_url', 'OS_AUTH_URL');
  const region = options.region ?? text(entry.region_name) ?? text(env.OS_REGION_NAME);
  const credentialId = pick(options.applicationCredentialId, 'application_credential_id', 'OS_APPLICATION_CREDENTIAL_ID');
  const credentialSecret = pick(options.applicationCredentialSecret, 'application_credential_secret', 'OS_APPLICATION_CREDENTIAL_SECRET');
  const username = pick(options.username, 'username', 'OS_USERNAME');
  const password = pick(options.password, 'password', 'OS_PASSWORD');
  const projectName = pick(options.projectName, 'project_name', 'OS_PROJECT_NAME');
  registerSecret(password);
  registerSecret(credentialSecret);
  const missing = (what: string, variables: string): never => {
    throw new ConfigurationError(
      `OpenStack ${what} missing: set ${variables} (or OS_CLOUD naming a clouds.yaml entry, or pass the options). The driver needs OS_AUTH_URL and OS_REGION_NAME, and either OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME, OS_USER_DOMAIN_NAME and OS_PROJECT_DOMAIN_NAME, or OS_APPLICATION_CREDENTIAL_ID and OS_APPLICATION_CREDENTIAL_SECRET`,
      { provider: 'openstack', operation: 'configure' },
    );
  };
  if (!authUrl) missing('auth URL', 'OS_AUTH_URL');
  if (!region) missing('region', 'OS_REGION_NAME');
  let resolvedAuth: OpenStackAuth;
  if (credentialId || credentialSecret) {
    if (!credentialId || !credentialSecret)
      missing('application credential', 'OS_APPLICATION_CREDENTIAL_ID and OS_APPLICATION_CREDENTIAL_SECRET');
    resolvedAuth = { type: 'application-credential', id: credentialId as string, secret: new Secret(credentialSecret as string) };
  } else {
    if (!username || !password || !projectName) missing('credentials', 'OS_USERNAME, OS_PASSWORD and OS_PROJECT_NAME');
    resolvedAuth = {
      type: 'password',
      username: username as string,
      password: new Secret(password as string),
      projectName: projectName as string,
      userDomainName: pick(options.userDomainName, 'user_domain_name', 'OS_USER_DOMAIN_NAME') ?? 'Default',
      projectDomainName: pick(options.projectDomainName, 'project_domain_name', 'OS_PROJECT_DOMAIN_NAME') ?? 'Default',
    };
  }
  return { authUrl: authUrl as string, auth: resolvedAuth, region: region as string };
}
