/**
 * The `scaleway` driver's options and how they are resolved, following Scaleway's own
 * conventions (scaleway-cli `docs/commands/config.md`): `SCW_SECRET_KEY`, `SCW_DEFAULT_PROJECT_ID`,
 * `SCW_DEFAULT_ZONE`, `SCW_API_URL`.
 *
 * @module
 */
import { ConfigurationError, invalid, Secret, type RestActionOptions, type RestDriverOptions } from '../../src/kit.js';
import { isKnownZone } from './zones.js';

/** The public Scaleway API. */
export const SCALEWAY_ENDPOINT = 'https://api.scaleway.com';

/** The environment variables the driver reads, in Scaleway's own names. */
export const SCALEWAY_ENV = {
  /** Variable holding the API secret key, read when `token` is not given. */
  token: 'SCW_SECRET_KEY',
  /** Variable holding the project UUID, read when `projectId` is not given. */
  projectId: 'SCW_DEFAULT_PROJECT_ID',
  /** Variable holding the default zone, read when `zone` is not given. */
  zone: 'SCW_DEFAULT_ZONE',
  /** Variable holding the API base URL, read when `endpoint` is not given. */
  endpoint: 'SCW_API_URL',
} as const;

/**
 * Options of the `scaleway` driver. Besides these, see `RestDriverOptions` (`requestTimeoutMs`,
 * `retry`, `maxConcurrency`, `pageSize` 1–100 (default 100), `bounds`, `logger`, `clock`).
 */
export interface ScalewayDriverOptions extends RestDriverOptions, Pick<RestActionOptions, 'actionPollIntervalMs' | 'actionTimeoutMs'> {
  /**
   * The secret key of an API key, sent as `X-Auth-Token` and shown nowhere else.
   * @defaultValue `SCW_SECRET_KEY`
   */
  readonly token?: string | Secret;
  /**
   * The project servers are created in and listed from; IAM SSH keys are registered in it.
   * @defaultValue `SCW_DEFAULT_PROJECT_ID`
   */
  readonly projectId?: string;
  /**
   * The default zone: `listImages()` without a location looks here.
   * @defaultValue `SCW_DEFAULT_ZONE`, else the first of `zones`
   */
  readonly zone?: string;
  /**
   * The zones node listings cover (one request per zone, concurrently; a failing zone is a
   * `PartialFailureError` beside the others' nodes). `listNodes({ location })` asks the zones named.
   * @defaultValue `[zone]`
   */
  readonly zones?: readonly string[];
  /**
   * API base URL.
   * @defaultValue `SCW_API_URL`, else `https://api.scaleway.com`
   */
  readonly endpoint?: string;
  /**
   * First pause between looks while `destroyNode` waits for a server to go and its volumes to detach, in ms.
   * @defaultValue 1000
   */
  readonly actionPollIntervalMs?: number;
  /**
   * Longest wait of `destroyNode` for a server to go and its volumes to detach, in ms.
   * @defaultValue 600000
   */
  readonly actionTimeoutMs?: number;
}

/** What the driver needs besides the token, resolved. */
export interface ScalewayConfig {
  /** The API secret key, wrapped so it never prints. */
  readonly token: Secret;
  /** Project UUID servers are created in and listed from. */
  readonly projectId: string;
  /** The default zone (a documented zone). */
  readonly zone: string;
  /** The zones node listings cover, without duplicates. */
  readonly zones: readonly string[];
  /** API base URL. */
  readonly endpoint: string;
}

const fromEnv = (name: string): string | undefined => {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
};

/**
 * Resolves the options against the environment.
 *
 * @throws ConfigurationError naming every missing setting and its variable (`SCW_SECRET_KEY`,
 *   `SCW_DEFAULT_PROJECT_ID`, `SCW_DEFAULT_ZONE`) when any is missing.
 * @throws InvalidRequestError naming `zone` or `zones` for a zone Scaleway does not document.
 */
export function resolveScalewayConfig(options: ScalewayDriverOptions): ScalewayConfig {
  const given = options.token ?? fromEnv(SCALEWAY_ENV.token);
  const projectId = options.projectId ?? fromEnv(SCALEWAY_ENV.projectId);
  const zone = options.zone ?? fromEnv(SCALEWAY_ENV.zone) ?? options.zones?.[0];
  const missing = [
    ...(given === undefined || given === '' ? [`"token" (or ${SCALEWAY_ENV.token})`] : []),
    ...(projectId === undefined ? [`"projectId" (or ${SCALEWAY_ENV.projectId})`] : []),
    ...(zone === undefined ? [`"zone" (or ${SCALEWAY_ENV.zone})`] : []),
  ];
  if (missing.length > 0 || given === undefined || projectId === undefined || zone === undefined) {
    throw new ConfigurationError(`scaleway is not configured: pass ${missing.join(', ')}`, {
      provider: 'scaleway',
      operation: 'configure',
    });
  }
  const check = { provider: 'scaleway', operation: 'configure' };
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(projectId))
    invalid(check, 'projectId', 'a Scaleway project id (a UUID)', projectId);
  if (!isKnownZone(zone)) invalid(check, 'zone', 'a Scaleway zone such as "fr-par-1"', zone);
  const zones = options.zones ?? [zone];
  if (!Array.isArray(zones) || zones.length === 0) invalid(check, 'zones', 'a non-empty list of Scaleway zones', zones);
  zones.forEach((each, index) => {
    if (typeof each !== 'string' || !isKnownZone(each)) invalid(check, `zones[${index}]`, 'a Scaleway zone such as "fr-par-1"', each);
  });
  return {
    token: given instanceof Secret ? given : new Secret(given),
    projectId,
    zone,
    zones: [...new Set(zones)],
    endpoint: options.endpoint ?? fromEnv(SCALEWAY_ENV.endpoint) ?? SCALEWAY_ENDPOINT,
  };
}
