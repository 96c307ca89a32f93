/**
 * `createDriver(name, options)`: one entry point for every provider, loading the provider's
 * module (and its SDK) only when asked for.
 *
 * @module
 */
import type { Driver } from './driver.js';
import { ConfigurationError, InvalidRequestError } from './errors.js';
import { PROVIDER_NAMES, type ProviderName } from './types.js';
import type { LocalDriver, LocalDriverOptions } from '../../providers/local/index.js';
import type { AwsDriver, AwsDriverOptions } from '../../providers/aws/index.js';
import type { GceDriver, GceDriverOptions } from '../../providers/gce/index.js';
import type { DigitalOceanDriver, DigitalOceanDriverOptions } from '../../providers/digitalocean/index.js';
import type { HetznerDriver, HetznerDriverOptions } from '../../providers/hetzner/index.js';
import type { LinodeDriver, LinodeDriverOptions } from '../../providers/linode/index.js';
import type { AzureDriver, AzureDriverOptions } from '../../providers/azure/index.js';

/**
 * Options per provider name, so `createDriver('aws', { … })` is type-checked against the AWS
 * driver's options. Each provider module adds its entry here.
 */
export interface DriverOptionsByProvider {
  local: LocalDriverOptions;
  aws: AwsDriverOptions;
  gce: GceDriverOptions;
  digitalocean: DigitalOceanDriverOptions;
  hetzner: HetznerDriverOptions;
  linode: LinodeDriverOptions;
  azure: AzureDriverOptions;
}

/** The driver type each provider name yields. */
export interface DriverByProvider {
  local: LocalDriver;
  aws: AwsDriver;
  gce: GceDriver;
  digitalocean: DigitalOceanDriver;
  hetzner: HetznerDriver;
  linode: LinodeDriver;
  azure: AzureDriver;
}

/** Provider names whose drivers are available in this build. */
export type AvailableProvider = keyof DriverOptionsByProvider & ProviderName;

type Loader = () => Promise<Record<string, unknown>>;

/** Lazy loaders; no provider module (or SDK) is imported until its driver is created. */
const LOADERS: Partial<Record<ProviderName, { load: Loader; factory: string; packages: readonly string[] }>> = {
  local: { load: () => import('../../providers/local/index.js'), factory: 'createLocalDriver', packages: [] },
  aws: { load: () => import('../../providers/aws/index.js'), factory: 'createAwsDriver', packages: ['@aws-sdk/client-ec2'] },
  gce: { load: () => import('../../providers/gce/index.js'), factory: 'createGceDriver', packages: ['@google-cloud/compute'] },
  digitalocean: { load: () => import('../../providers/digitalocean/index.js'), factory: 'createDigitalOceanDriver', packages: [] },
  hetzner: { load: () => import('../../providers/hetzner/index.js'), factory: 'createHetznerDriver', packages: [] },
  linode: { load: () => import('../../providers/linode/index.js'), factory: 'createLinodeDriver', packages: [] },
  azure: {
    load: () => import('../../providers/azure/index.js'),
    factory: 'createAzureDriver',
    packages: ['@azure/arm-compute', '@azure/arm-network', '@azure/arm-resources', '@azure/identity'],
  },
};

/**
 * Creates a driver for a provider, importing its module on first use. With no arguments,
 * returns the embedded `local` provider.
 *
 * @throws ConfigurationError when the provider's SDK package is not installed.
 */
export async function createDriver<Name extends AvailableProvider = 'local'>(
  name?: Name,
  options?: DriverOptionsByProvider[Name],
): Promise<DriverByProvider[Name]> {
  const providerName = (name ?? 'local') as ProviderName;
  const entry = LOADERS[providerName];
  if (!entry) {
    throw new InvalidRequestError(
      `"name" must be one of ${PROVIDER_NAMES.filter((each) => LOADERS[each]).join(', ')}, got ${JSON.stringify(name)}`,
      { provider: 'polycloud', operation: 'createDriver', field: 'name' },
    );
  }
  let module: Record<string, unknown>;
  try {
    module = await entry.load();
  } catch (error) {
    const missing = entry.packages.find((pkg) => String((error as Error).message).includes(pkg));
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && missing) {
      throw new ConfigurationError(`the ${providerName} driver needs the package ${missing}: run \`npm install ${missing}\``, {
        provider: providerName,
        operation: 'createDriver',
        cause: error,
      });
    }
    throw error;
  }
  const factory = module[entry.factory] as (options: unknown) => Driver;
  return factory(options ?? {}) as DriverByProvider[Name];
}

/** Whether `createDriver` knows the provider in this build. */
export function isAvailableProvider(name: string): name is AvailableProvider {
  return LOADERS[name as ProviderName] !== undefined;
}
