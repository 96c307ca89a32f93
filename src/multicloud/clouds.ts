/**
 * The set of named clouds behind a `MultiCloud`: name checks, selection, one bounded call per
 * cloud with its failure kept, and the catalog cache (locations and sizes per location).
 *
 * @module
 */
import type { Driver } from '../core/driver.js';
import { InvalidRequestError } from '../core/errors.js';
import type { CallOptions, Image, Location, Size } from '../core/types.js';
import { asCloudError, withTimeout } from './timeout.js';
import type { CloudFailure, CloudSelection, MultiCloudOptions } from './types.js';

const CLOUD_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_CATALOG_TTL_MS = 3_600_000;

/** One cloud's answer: its value, or its failure. */
export type CloudOutcome<T> =
  { readonly cloud: string; readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: CloudFailure };

interface CacheEntry<T> {
  readonly value: T;
  readonly until: number;
}

/** The named drivers and what every MultiCloud operation needs to reach them. */
export class CloudSet {
  readonly drivers: ReadonlyMap<string, Driver>;
  readonly timeoutMs: number;
  readonly #catalogTtlMs: number;
  readonly #locations = new Map<string, CacheEntry<Location[]>>();
  readonly #sizes = new Map<string, CacheEntry<Size[]>>();
  readonly #images = new Map<string, CacheEntry<Image[]>>();

  constructor(options: MultiCloudOptions) {
    const where = { provider: 'polycloud' as const, operation: 'MultiCloud' };
    if (typeof options !== 'object' || options === null || typeof options.drivers !== 'object' || options.drivers === null) {
      throw new InvalidRequestError('"drivers" must be an object of named drivers', { ...where, field: 'drivers' });
    }
    const entries = Object.entries(options.drivers);
    if (entries.length === 0) throw new InvalidRequestError('"drivers" must name at least one driver', { ...where, field: 'drivers' });
    for (const [name, driver] of entries) {
      if (!CLOUD_NAME.test(name)) {
        throw new InvalidRequestError(`cloud name ${JSON.stringify(name)} must be 1-64 letters, digits, '.', '_' or '-'`, {
          ...where,
          field: 'drivers',
        });
      }
      if (typeof driver?.listNodes !== 'function' || typeof driver.provider !== 'string') {
        throw new InvalidRequestError(`"drivers.${name}" must be a polycloud driver`, { ...where, field: `drivers.${name}` });
      }
    }
    for (const field of ['timeoutMs', 'catalogTtlMs'] as const) {
      const value = options[field];
      if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
        throw new InvalidRequestError(`"${field}" must be a number of milliseconds, 0 or more`, { ...where, field });
      }
    }
    this.drivers = new Map(entries);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#catalogTtlMs = options.catalogTtlMs ?? DEFAULT_CATALOG_TTL_MS;
  }

  /** The driver named `name`; `InvalidRequestError` naming `field` when there is none. */
  driver(name: string, field: string, operation: string): Driver {
    const driver = typeof name === 'string' ? this.drivers.get(name) : undefined;
    if (!driver) {
      throw new InvalidRequestError(`"${field}" must be one of ${[...this.drivers.keys()].join(', ')}, got ${JSON.stringify(name)}`, {
        provider: 'polycloud',
        operation,
        field,
      });
    }
    return driver;
  }

  /** The clouds a selection covers, in the order they were configured. */
  select(selection: CloudSelection | undefined, operation: string): [string, Driver][] {
    const wanted = selection?.clouds;
    if (wanted === undefined) return [...this.drivers];
    if (!Array.isArray(wanted) || wanted.length === 0) {
      throw new InvalidRequestError('"clouds" must be a non-empty list of cloud or provider names', {
        provider: 'polycloud',
        operation,
        field: 'clouds',
      });
    }
    for (const name of wanted) {
      if (!this.drivers.has(name) && ![...this.drivers.values()].some((driver) => driver.provider === name)) {
        throw new InvalidRequestError(
          `"clouds" names ${JSON.stringify(name)}, which is neither a configured cloud (${[...this.drivers.keys()].join(', ')}) nor the provider of one`,
          {
            provider: 'polycloud',
            operation,
            field: 'clouds',
          },
        );
      }
    }
    return [...this.drivers].filter(([name, driver]) => wanted.includes(name) || wanted.includes(driver.provider));
  }

  /** Runs `run` against one cloud within the timeout; never throws — a failure is returned, naming the cloud. */
  async attempt<T>(
    cloud: string,
    operation: string,
    run: (driver: Driver, options: CallOptions) => Promise<T>,
    options: CallOptions = {},
  ): Promise<CloudOutcome<T>> {
    const driver = this.driver(cloud, 'cloud', operation);
    try {
      const value = await withTimeout((signal) => run(driver, { signal }), this.timeoutMs, {
        provider: driver.provider,
        operation,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      return { cloud, ok: true, value };
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      return { ok: false, failure: { cloud, provider: driver.provider, error: asCloudError(error, driver.provider, operation) } };
    }
  }

  /** Runs `run` against each cloud concurrently; answers and failures, in cloud order. */
  async each<T>(
    clouds: readonly [string, Driver][],
    operation: string,
    run: (driver: Driver, options: CallOptions, cloud: string) => Promise<T>,
    options: CallOptions = {},
  ): Promise<{ values: { cloud: string; value: T }[]; failures: CloudFailure[] }> {
    const outcomes = await Promise.all(
      clouds.map(([cloud]) => this.attempt(cloud, operation, (driver, callOptions) => run(driver, callOptions, cloud), options)),
    );
    const values: { cloud: string; value: T }[] = [];
    const failures: CloudFailure[] = [];
    for (const outcome of outcomes) {
      if (outcome.ok) values.push({ cloud: outcome.cloud, value: outcome.value });
      else failures.push(outcome.failure);
    }
    return { values, failures };
  }

  /** A cloud's locations, from the cache while fresh. Throws the cloud's error. */
  async locations(cloud: string, options: CallOptions = {}): Promise<Location[]> {
    return this.#cached(
      this.#locations,
      cloud,
      cloud,
      'listLocations',
      (driver, callOptions) => driver.listLocations(callOptions),
      options,
    );
  }

  /**
   * A cloud's sizes offered in one location, priced for it, from the cache while fresh. Throws the
   * cloud's error. A size whose `locations` name the location's region counts as offered in it
   * (AWS lists instance types per region, nodes run in zones).
   */
  async sizes(cloud: string, location: string, options: CallOptions = {}, region?: string): Promise<Size[]> {
    return this.#cached(
      this.#sizes,
      `${cloud}\u0000${location}`,
      cloud,
      'listSizes',
      async (driver, callOptions) =>
        (await driver.listSizes({ location }, callOptions))
          .filter(
            (size) =>
              size.locations === undefined ||
              size.locations.includes(location) ||
              (region !== undefined && size.locations.includes(region)),
          )
          .map((size) => (size.priceLocation === location ? size : { ...size, priceLocation: location })),
      options,
    );
  }

  /** A cloud's base images usable in one location, from the cache while fresh. Throws the cloud's error. */
  async images(cloud: string, location: string, options: CallOptions = {}): Promise<Image[]> {
    return this.#cached(
      this.#images,
      `${cloud}\u0000${location}`,
      cloud,
      'listImages',
      (driver, callOptions) => driver.listImages({ location }, callOptions),
      options,
    );
  }

  async #cached<T>(
    cache: Map<string, CacheEntry<T>>,
    key: string,
    cloud: string,
    operation: string,
    load: (driver: Driver, options: CallOptions) => Promise<T>,
    options: CallOptions,
  ): Promise<T> {
    const hit = cache.get(key);
    if (hit && hit.until > Date.now()) return hit.value;
    const outcome = await this.attempt(cloud, operation, load, options);
    if (!outcome.ok) throw outcome.failure.error;
    if (this.#catalogTtlMs > 0) cache.set(key, { value: outcome.value, until: Date.now() + this.#catalogTtlMs });
    return outcome.value;
  }
}
