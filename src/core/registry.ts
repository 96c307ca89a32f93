/**
 * `registerProvider(descriptor)` and `createDriver(name, options)`: one entry point for every
 * provider, built-in or from another package. A descriptor is small and cheap to import; the
 * provider's own module (and its SDK) is loaded by `create`, only when a driver is asked for.
 *
 * @module
 */
import type { Driver } from './driver.js';
import { ConfigurationError, InvalidRequestError } from './errors.js';
import type { BuiltInProviderName, ProviderName } from './types.js';
import { BUILT_IN_PROVIDERS } from './builtins.js';
import type { PriceTableLoader } from '../pricing/index.js';
import type { LocalDriver, LocalDriverOptions } from '../../providers/local/index.js';
import type { AwsDriver, AwsDriverOptions } from '../../providers/aws/index.js';
import type { GceDriver, GceDriverOptions } from '../../providers/gce/index.js';
import type { DigitalOceanDriver, DigitalOceanDriverOptions } from '../../providers/digitalocean/index.js';
import type { HetznerDriver, HetznerDriverOptions } from '../../providers/hetzner/index.js';
import type { LinodeDriver, LinodeDriverOptions } from '../../providers/linode/index.js';
import type { ScalewayDriver, ScalewayDriverOptions } from '../../providers/scaleway/index.js';
import type { AzureDriver, AzureDriverOptions } from '../../providers/azure/index.js';
import type { OpenStackDriver, OpenStackDriverOptions } from '../../providers/openstack/index.js';
import type { VultrDriver, VultrDriverOptions } from '../../providers/vultr/index.js';

/**
 * Options per provider name, so `createDriver('aws', { … })` is type-checked against the AWS
 * driver's options. A provider from another package can add its entry by module augmentation:
 *
 * ```ts
 * declare module 'polycloud' {
 *   interface DriverOptionsByProvider { acme: AcmeDriverOptions }
 *   interface DriverByProvider { acme: AcmeDriver }
 * }
 * ```
 */
export interface DriverOptionsByProvider {
  /** Options of `createDriver('local')`: the embedded simulated cloud (no network, no credentials). */
  local: LocalDriverOptions;
  /** Options of `createDriver('aws')`: Amazon EC2. */
  aws: AwsDriverOptions;
  /** Options of `createDriver('gce')`: Google Compute Engine. */
  gce: GceDriverOptions;
  /** Options of `createDriver('digitalocean')`: DigitalOcean Droplets. */
  digitalocean: DigitalOceanDriverOptions;
  /** Options of `createDriver('hetzner')`: Hetzner Cloud. */
  hetzner: HetznerDriverOptions;
  /** Options of `createDriver('linode')`: Akamai Cloud (Linode). */
  linode: LinodeDriverOptions;
  /** Options of `createDriver('scaleway')`: Scaleway Instances. */
  scaleway: ScalewayDriverOptions;
  /** Options of `createDriver('azure')`: Microsoft Azure Virtual Machines. */
  azure: AzureDriverOptions;
  /** Options of `createDriver('openstack')`: OpenStack (Nova + Glance, Keystone v3). */
  openstack: OpenStackDriverOptions;
  /** Options of `createDriver('vultr')`: Vultr Cloud Compute. */
  vultr: VultrDriverOptions;
}

/** The driver type each typed provider name yields. */
export interface DriverByProvider {
  /** What `createDriver('local')` resolves to: the embedded simulated cloud (no network, no credentials). */
  local: LocalDriver;
  /** What `createDriver('aws')` resolves to: Amazon EC2. */
  aws: AwsDriver;
  /** What `createDriver('gce')` resolves to: Google Compute Engine. */
  gce: GceDriver;
  /** What `createDriver('digitalocean')` resolves to: DigitalOcean Droplets. */
  digitalocean: DigitalOceanDriver;
  /** What `createDriver('hetzner')` resolves to: Hetzner Cloud. */
  hetzner: HetznerDriver;
  /** What `createDriver('linode')` resolves to: Akamai Cloud (Linode). */
  linode: LinodeDriver;
  /** What `createDriver('scaleway')` resolves to: Scaleway Instances. */
  scaleway: ScalewayDriver;
  /** What `createDriver('azure')` resolves to: Microsoft Azure Virtual Machines. */
  azure: AzureDriver;
  /** What `createDriver('openstack')` resolves to: OpenStack (Nova + Glance, Keystone v3). */
  openstack: OpenStackDriver;
  /** What `createDriver('vultr')` resolves to: Vultr Cloud Compute. */
  vultr: VultrDriver;
}

/** Provider names whose options are typed (the built-in ones, and any added by augmentation). */
export type TypedProviderName = keyof DriverOptionsByProvider & keyof DriverByProvider & string;

/**
 * Provider names whose drivers are available in this build.
 *
 * @deprecated Any registered name is available; this is {@link TypedProviderName}.
 */
export type AvailableProvider = TypedProviderName;

/**
 * What makes a provider reachable by name: `createDriver(name, options)` calls `create`, and the
 * CLI reads `env` to find the provider's credentials in the environment.
 *
 * @typeParam Options - the driver's options.
 */
export interface ProviderDescriptor<Options = Record<string, unknown>> {
  /** The provider's name, e.g. `vultr`: lower-case letters, digits and `-`, starting with a letter. */
  readonly name: ProviderName;
  /**
   * Creates a driver. Import the provider's module here (`await import('./driver.js')`), so that
   * registering a provider loads neither the driver nor its SDK.
   */
  create(options: Options): Driver | Promise<Driver>;
  /**
   * npm packages the driver loads (optional peers such as an SDK): a failed import naming one of
   * them becomes a `ConfigurationError` telling the user to install it.
   *
   * @defaultValue none: every failed import is rethrown as it is
   */
  readonly packages?: readonly string[];
  /**
   * Environment variables whose presence shows the provider's credentials are set up, e.g.
   * `['VULTR_API_KEY']`; the CLI uses a provider when one of them is set.
   *
   * @defaultValue none: the CLI never picks the provider from the environment
   */
  readonly env?: readonly string[];
  /**
   * One line for listings such as `polycloud providers`.
   *
   * @defaultValue none
   */
  readonly description?: string;
  /**
   * The option keys a config file may set for this provider (those JSON can express, e.g.
   * `['token', 'endpoint']`). The CLI rejects any other key with a "did you mean" hint, so a
   * typo in `endpoint` never sends requests to the real API.
   *
   * @defaultValue any key: the driver checks its own options when it is created
   */
  readonly optionKeys?: readonly string[];
  /**
   * The provider's price catalog, for `loadPriceCatalog(name)`: imports the provider's price
   * module lazily and returns its loader (built with `definePriceCatalog`).
   *
   * @defaultValue none: the provider publishes no price catalog (its sizes may still carry prices from its API)
   */
  readonly prices?: () => Promise<PriceTableLoader>;
}

const PROVIDER_NAME_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;

/** Every registered provider, in registration order (the built-in ones first). */
const registry = new Map<ProviderName, ProviderDescriptor<never>>(BUILT_IN_PROVIDERS.map((each) => [each.name, each]));

/**
 * Makes a provider reachable by `createDriver(name, options)` and the CLI config. Registering a
 * name again replaces the earlier descriptor (the last registration wins), so a package can
 * override a built-in provider.
 *
 * @throws InvalidRequestError when the descriptor is malformed.
 */
export function registerProvider<Options>(descriptor: ProviderDescriptor<Options>): void {
  const check = { provider: 'polycloud', operation: 'registerProvider' } as const;
  if (typeof descriptor !== 'object' || descriptor === null) {
    throw new InvalidRequestError('"descriptor" must be an object with name and create', { ...check, field: 'descriptor' });
  }
  if (typeof descriptor.name !== 'string' || !PROVIDER_NAME_PATTERN.test(descriptor.name)) {
    throw new InvalidRequestError(
      `"name" must be 1-63 lower-case letters, digits or '-', starting with a letter, got ${JSON.stringify(descriptor.name)}`,
      { ...check, field: 'name' },
    );
  }
  if (typeof descriptor.create !== 'function') {
    throw new InvalidRequestError('"create" must be a function returning a driver', { ...check, field: 'create' });
  }
  for (const field of ['packages', 'env', 'optionKeys'] as const) {
    const list = descriptor[field];
    if (list !== undefined && !(Array.isArray(list) && list.every((each) => typeof each === 'string' && each.length > 0))) {
      throw new InvalidRequestError(`"${field}" must be a list of non-empty strings`, { ...check, field });
    }
  }
  if (descriptor.prices !== undefined && typeof descriptor.prices !== 'function') {
    throw new InvalidRequestError('"prices" must be a function returning a price table loader', { ...check, field: 'prices' });
  }
  registry.set(descriptor.name, Object.freeze({ ...descriptor }) as ProviderDescriptor<never>);
}

/** Every registered provider's descriptor, the built-in ones first. */
export function listProviders(): readonly ProviderDescriptor<never>[] {
  return [...registry.values()];
}

/** The descriptor registered under `name`, or `undefined`. */
export function getProvider(name: string): ProviderDescriptor<never> | undefined {
  return registry.get(name);
}

/** Whether `createDriver` can create a driver for `name`. */
export function isAvailableProvider(name: string): boolean {
  return registry.has(name);
}

/** Whether `name` is a built-in provider's. */
export function isBuiltInProvider(name: string): name is BuiltInProviderName {
  return BUILT_IN_PROVIDERS.some((each) => each.name === name);
}

/**
 * Creates a driver for a provider, importing its module on first use. With no arguments,
 * returns the embedded `local` provider. Options are type-checked per typed provider name.
 *
 * @throws InvalidRequestError when no provider is registered under `name`.
 * @throws ConfigurationError when a package the provider needs (e.g. its SDK) is not installed.
 */
export function createDriver(): Promise<LocalDriver>;
export function createDriver<Name extends TypedProviderName>(
  name: Name,
  options?: DriverOptionsByProvider[Name],
): Promise<DriverByProvider[Name]>;
export function createDriver<Name extends string>(
  name: Name extends TypedProviderName ? never : Name,
  options?: Record<string, unknown>,
): Promise<Driver>;
export async function createDriver(name?: string, options?: unknown): Promise<Driver> {
  const providerName = name ?? 'local';
  const descriptor = registry.get(providerName);
  if (!descriptor) {
    throw new InvalidRequestError(
      `"name" must be a registered provider (${[...registry.keys()].join(', ')}), got ${JSON.stringify(name)}`,
      { provider: 'polycloud', operation: 'createDriver', field: 'name' },
    );
  }
  try {
    return await descriptor.create((options ?? {}) as never);
  } catch (error) {
    const missing = missingPackage(error, descriptor.packages ?? []);
    if (missing) {
      throw new ConfigurationError(`the ${providerName} driver needs the package ${missing}: run \`npm install ${missing}\``, {
        provider: providerName,
        operation: 'configure',
        cause: error,
      });
    }
    throw error;
  }
}

function missingPackage(error: unknown, packages: readonly string[]): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return undefined;
  const message = String((error as Error).message);
  return packages.find((pkg) => message.includes(pkg));
}
