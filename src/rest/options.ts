/**
 * The options every REST driver takes, their defaults, and the two set-up rules they share: the
 * token (from the option or the provider's environment variables) and defaults that an explicit
 * `undefined` never erases.
 *
 * @module
 */
import type { Clock } from '../core/clock.js';
import { ConfigurationError } from '../core/errors.js';
import type { TransportBounds } from '../core/limits.js';
import type { Logger } from '../core/logger.js';
import type { RetryOptions } from '../core/retry.js';
import { Secret } from '../core/secrets.js';
import type { ProviderName } from '../core/types.js';
import { checkPositiveInteger } from '../core/validate.js';

/** Options of every driver made with `defineRestDriver`. All are optional. */
export interface RestDriverOptions {
  /**
   * The API token, sent as `Authorization: Bearer …` and shown nowhere else.
   * @defaultValue the first of the provider's token environment variables that is set
   */
  readonly token?: string | Secret;
  /**
   * API base URL: `https:`, or plain `http:` on a loopback address (tests, local fakes).
   * @defaultValue the provider's public API
   */
  readonly endpoint?: string;
  /**
   * Deadline of one request, connect to last byte, in ms.
   * @defaultValue 30000
   */
  readonly requestTimeoutMs?: number;
  /**
   * @deprecated Use {@link RestDriverOptions.requestTimeoutMs}; read only when that is not given.
   */
  readonly timeoutMs?: number;
  /**
   * Largest answer (counted decompressed), most pages and longest time of one listing.
   * @defaultValue `DEFAULT_BOUNDS` (32 MiB, 1000 pages, 600000 ms)
   */
  readonly bounds?: TransportBounds;
  /**
   * Retries of failed requests that are safe to repeat.
   * @defaultValue `DEFAULT_RETRY` (3 retries, exponential backoff with jitter)
   */
  readonly retry?: RetryOptions;
  /**
   * Requests of this driver in flight at once; more wait their turn.
   * @defaultValue 10
   */
  readonly maxConcurrency?: number;
  /**
   * Nodes per page when listing; a value outside what the API serves is an `InvalidRequestError`.
   * @defaultValue the API's largest page
   */
  readonly pageSize?: number;
  /**
   * Where retries and skipped entries are reported.
   * @defaultValue nowhere
   */
  readonly logger?: Logger;
  /**
   * The clock waits run on and prices are dated by (a `VirtualClock` in tests).
   * @defaultValue the system clock
   */
  readonly clock?: Clock;
}

/** Options of REST drivers whose provider runs changes as actions to poll (DigitalOcean, Hetzner). */
export interface RestActionOptions {
  /**
   * Whether reboot, start, stop (and, where the provider answers with one, create and destroy)
   * wait for the provider's action to finish, failing when it fails.
   * @defaultValue true
   */
  readonly waitForActions?: boolean;
  /**
   * First pause between polls of an action, in ms (it grows by the core's poll backoff).
   * @defaultValue the provider's own (DigitalOcean 2000, Hetzner 1000)
   */
  readonly actionPollIntervalMs?: number;
  /**
   * Longest wait for one action, in ms.
   * @defaultValue 600000
   */
  readonly actionTimeoutMs?: number;
}

/** Defaults of {@link RestDriverOptions} that do not depend on the provider. */
export const REST_DRIVER_DEFAULTS = {
  /** Deadline of one request, in ms. */
  requestTimeoutMs: 30_000,
  /** Requests of one driver in flight at once. */
  maxConcurrency: 10,
} as const;

/** Defaults of {@link RestActionOptions} that do not depend on the provider. */
export const REST_ACTION_DEFAULTS = {
  /** Changes wait for the provider's action to finish. */
  waitForActions: true,
  /** First pause between action polls, in ms, for a provider that sets none of its own. */
  actionPollIntervalMs: 1_000,
  /** Longest wait for one action, in ms. */
  actionTimeoutMs: 600_000,
} as const;

/**
 * The token as a {@link Secret}: the option, else the first environment variable of `envNames`
 * that is set and not empty.
 *
 * @throws ConfigurationError (`operation: 'configure'`) naming the option and every variable
 * when there is none.
 */
export function resolveToken(provider: ProviderName, given: string | Secret | undefined, envNames: readonly string[]): Secret {
  if (given instanceof Secret) return given;
  const value = given ?? envNames.map((name) => process.env[name]).find((each) => each !== undefined && each !== '');
  if (value === undefined || value === '') {
    const where = envNames.length > 0 ? ` or set ${envNames.join(' or ')}` : '';
    throw new ConfigurationError(`no ${provider} API token: pass the "token" option${where}`, { provider, operation: 'configure' });
  }
  return new Secret(value);
}

/** The request timeout: `requestTimeoutMs`, else the deprecated `timeoutMs`, else 30 000 ms. */
export function requestTimeoutOf(options: Pick<RestDriverOptions, 'requestTimeoutMs' | 'timeoutMs'>, provider: ProviderName): number {
  const context = { provider, operation: 'configure' };
  return (
    checkPositiveInteger(context, 'requestTimeoutMs', options.requestTimeoutMs) ??
    checkPositiveInteger(context, 'timeoutMs', options.timeoutMs) ??
    REST_DRIVER_DEFAULTS.requestTimeoutMs
  );
}
