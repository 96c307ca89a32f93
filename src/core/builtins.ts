/**
 * The descriptors of the providers polycloud ships, one small entry each. They register exactly
 * as a provider from another package does; each `create` imports its provider's module (and so
 * its SDK) only when a driver is asked for, so `import('polycloud')` loads none of them.
 *
 * This is the one place in `src/` that names a provider module (a lint rule holds the rest).
 *
 * @module
 */
import type { Driver } from './driver.js';
import type { BuiltInProviderName } from './types.js';
import type { PriceTableLoader } from '../pricing/index.js';

/** A built-in provider's descriptor (the shape of `ProviderDescriptor`, kept here to avoid an import cycle). */
export interface BuiltInProviderDescriptor {
  readonly name: BuiltInProviderName;
  create(options: never): Promise<Driver>;
  readonly packages?: readonly string[];
  readonly env?: readonly string[];
  readonly description?: string;
  prices?(): Promise<PriceTableLoader>;
}

/** The built-in providers, in the order listings show them. */
export const BUILT_IN_PROVIDERS: readonly BuiltInProviderDescriptor[] = [
  {
    name: 'local',
    description: 'an embedded simulated cloud (no network, no credentials)',
    create: async (options) => (await import('../../providers/local/index.js')).createLocalDriver(options),
  },
  {
    name: 'aws',
    description: 'Amazon EC2',
    packages: ['@aws-sdk/client-ec2'],
    env: ['AWS_ACCESS_KEY_ID', 'AWS_PROFILE'],
    create: async (options) => (await import('../../providers/aws/index.js')).createAwsDriver(options),
    prices: async () => (await import('../../providers/aws/prices.js')).loadAwsPriceTable,
  },
  {
    name: 'gce',
    description: 'Google Compute Engine',
    packages: ['@google-cloud/compute'],
    env: ['GOOGLE_CLOUD_PROJECT'],
    create: async (options) => (await import('../../providers/gce/index.js')).createGceDriver(options),
    prices: async () => (await import('../../providers/gce/prices.js')).loadGcePriceTable,
  },
  {
    name: 'digitalocean',
    description: 'DigitalOcean Droplets',
    env: ['DIGITALOCEAN_TOKEN'],
    create: async (options) => (await import('../../providers/digitalocean/index.js')).createDigitalOceanDriver(options),
  },
  {
    name: 'hetzner',
    description: 'Hetzner Cloud',
    env: ['HCLOUD_TOKEN'],
    create: async (options) => (await import('../../providers/hetzner/index.js')).createHetznerDriver(options),
  },
  {
    name: 'linode',
    description: 'Akamai Cloud (Linode)',
    env: ['LINODE_TOKEN'],
    create: async (options) => (await import('../../providers/linode/index.js')).createLinodeDriver(options),
  },
  {
    name: 'scaleway',
    description: 'Scaleway Instances',
    env: ['SCW_SECRET_KEY'],
    create: async (options) => (await import('../../providers/scaleway/index.js')).createScalewayDriver(options),
  },
  {
    name: 'azure',
    description: 'Microsoft Azure Virtual Machines',
    packages: ['@azure/arm-compute', '@azure/arm-network', '@azure/arm-resources', '@azure/identity'],
    env: ['AZURE_SUBSCRIPTION_ID'],
    create: async (options) => (await import('../../providers/azure/index.js')).createAzureDriver(options),
  },
  {
    name: 'openstack',
    description: 'OpenStack (Nova + Glance, Keystone v3): OVHcloud, Infomaniak, private clouds',
    env: ['OS_CLOUD', 'OS_AUTH_URL'],
    create: async (options) => (await import('../../providers/openstack/index.js')).createOpenStackDriver(options),
  },
  {
    name: 'vultr',
    description: 'Vultr Cloud Compute',
    env: ['VULTR_API_KEY'],
    create: async (options) => (await import('../../providers/vultr/index.js')).createVultrDriver(options),
  },
];
