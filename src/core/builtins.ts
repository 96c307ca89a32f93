/**
 * The descriptors of the providers polycloud ships, one small entry each. They register exactly
 * as a provider from another package does; each `create` imports its provider's module (and so
 * its SDK) only when a driver is asked for, so `import('polycloud')` loads none of them.
 *
 * This is the one place in `src/` that names a provider module (a lint rule holds the rest).
 *
 * @module
 */
import type { AwsDriverOptions } from '../../providers/aws/index.js';
import type { AzureDriverOptions } from '../../providers/azure/index.js';
import type { DigitalOceanDriverOptions } from '../../providers/digitalocean/index.js';
import type { GceDriverOptions } from '../../providers/gce/index.js';
import type { HetznerDriverOptions } from '../../providers/hetzner/index.js';
import type { LinodeDriverOptions } from '../../providers/linode/index.js';
import type { LocalDriverOptions } from '../../providers/local/index.js';
import type { OpenStackDriverOptions } from '../../providers/openstack/index.js';
import type { VultrDriverOptions } from '../../providers/vultr/index.js';
import type { ScalewayDriverOptions } from '../../providers/scaleway/index.js';
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
  /** The option keys a config file may set (see `ProviderDescriptor.optionKeys`); made by {@link configurableKeys}. */
  readonly optionKeys?: readonly string[];
  prices?(): Promise<PriceTableLoader>;
}

/**
 * The option keys a config file may set, decided once per key of the driver's options type:
 * `true` when JSON can express the option, `false` when it cannot (a function, a clock, a client
 * object). The argument must name every key of `Options` and no other, so an option added to
 * a driver without a decision here — or renamed — fails to compile, and the CLI's config schema
 * (which reads these keys) cannot drift from the drivers.
 */
export function configurableKeys<Options>(decisions: { readonly [Key in keyof Required<Options>]: boolean }): readonly string[] {
  return Object.entries(decisions)
    .filter(([, allowed]) => allowed === true)
    .map(([key]) => key);
}

/** The options every REST driver takes (`RestDriverOptions`), as {@link configurableKeys} decides them. */
const REST_KEYS = {
  token: true,
  endpoint: true,
  requestTimeoutMs: true,
  timeoutMs: true,
  bounds: true,
  retry: true,
  maxConcurrency: true,
  pageSize: true,
  clock: false,
  logger: false,
} as const;

/** The options of REST drivers whose mutations are actions (`RestActionOptions`). */
const REST_ACTION_KEYS = { waitForActions: true, actionPollIntervalMs: true, actionTimeoutMs: true } as const;

/** Options no file can hold: a clock or a logger is an object with methods. */
const CODE_ONLY = { clock: false, logger: false } as const;

/** The built-in providers, in the order listings show them. */
export const BUILT_IN_PROVIDERS: readonly BuiltInProviderDescriptor[] = [
  {
    name: 'local',
    description: 'an embedded simulated cloud (no network, no credentials)',
    optionKeys: configurableKeys<LocalDriverOptions>({
      cloud: true,
      preset: true,
      catalog: true,
      stateFile: true,
      seed: true,
      timings: true,
      faults: true,
      maxNodes: true,
      idPrefix: true,
      pageSize: true,
      retry: true,
      ssh: true,
      clock: false,
    }),
    create: async (options) => (await import('../../providers/local/index.js')).createLocalDriver(options),
  },
  {
    name: 'aws',
    description: 'Amazon EC2',
    packages: ['@aws-sdk/client-ec2'],
    env: ['AWS_ACCESS_KEY_ID', 'AWS_PROFILE'],
    optionKeys: configurableKeys<AwsDriverOptions>({
      regions: true,
      defaultRegion: true,
      credentials: true,
      profile: true,
      endpoint: true,
      maxConcurrency: true,
      retry: true,
      priceSource: true,
      sizeCacheTtlMs: true,
      requestTimeoutMs: true,
      bounds: true,
      livePrices: true,
      ...CODE_ONLY,
    }),
    create: async (options) => (await import('../../providers/aws/index.js')).createAwsDriver(options),
    prices: async () => (await import('../../providers/aws/prices.js')).loadAwsPriceTable,
  },
  {
    name: 'gce',
    description: 'Google Compute Engine',
    packages: ['@google-cloud/compute'],
    env: ['GOOGLE_CLOUD_PROJECT'],
    optionKeys: configurableKeys<GceDriverOptions>({
      project: true,
      zones: true,
      regions: true,
      credentials: true,
      keyFilename: true,
      authClient: false,
      endpoint: true,
      maxConcurrency: true,
      retry: true,
      priceSource: true,
      imageProjects: true,
      requestTimeoutMs: true,
      bounds: true,
      operationTimeoutMs: true,
      livePrices: true,
      ...CODE_ONLY,
    }),
    create: async (options) => (await import('../../providers/gce/index.js')).createGceDriver(options),
    prices: async () => (await import('../../providers/gce/prices.js')).loadGcePriceTable,
  },
  {
    name: 'digitalocean',
    description: 'DigitalOcean Droplets',
    env: ['DIGITALOCEAN_TOKEN'],
    optionKeys: configurableKeys<DigitalOceanDriverOptions>({ ...REST_KEYS, ...REST_ACTION_KEYS }),
    create: async (options) => (await import('../../providers/digitalocean/index.js')).createDigitalOceanDriver(options),
  },
  {
    name: 'hetzner',
    description: 'Hetzner Cloud',
    env: ['HCLOUD_TOKEN'],
    optionKeys: configurableKeys<HetznerDriverOptions>({
      ...REST_KEYS,
      ...REST_ACTION_KEYS,
      defaultLocation: true,
      priceBasis: true,
      stopMethod: true,
    }),
    create: async (options) => (await import('../../providers/hetzner/index.js')).createHetznerDriver(options),
  },
  {
    name: 'linode',
    description: 'Akamai Cloud (Linode)',
    env: ['LINODE_TOKEN'],
    optionKeys: configurableKeys<LinodeDriverOptions>({ ...REST_KEYS, defaultLocation: true, catalogTtlMs: true }),
    create: async (options) => (await import('../../providers/linode/index.js')).createLinodeDriver(options),
  },
  {
    name: 'scaleway',
    description: 'Scaleway Instances',
    env: ['SCW_SECRET_KEY'],
    optionKeys: configurableKeys<ScalewayDriverOptions>({
      ...REST_KEYS,
      projectId: true,
      zone: true,
      zones: true,
      actionPollIntervalMs: true,
      actionTimeoutMs: true,
    }),
    create: async (options) => (await import('../../providers/scaleway/index.js')).createScalewayDriver(options),
  },
  {
    name: 'azure',
    description: 'Microsoft Azure Virtual Machines',
    packages: ['@azure/arm-compute', '@azure/arm-network', '@azure/arm-resources', '@azure/identity'],
    env: ['AZURE_SUBSCRIPTION_ID'],
    optionKeys: configurableKeys<AzureDriverOptions>({
      subscriptionId: true,
      resourceGroup: true,
      createResourceGroup: true,
      locations: true,
      credential: false,
      endpoint: true,
      caCertificate: true,
      retry: true,
      requestTimeoutMs: true,
      operationTimeoutMs: true,
      pollIntervalMs: true,
      priceSource: true,
      pricesEndpoint: true,
      bounds: true,
      priceCatalog: true,
      ...CODE_ONLY,
    }),
    create: async (options) => (await import('../../providers/azure/index.js')).createAzureDriver(options),
  },
  {
    name: 'openstack',
    description: 'OpenStack (Nova + Glance, Keystone v3): OVHcloud, Infomaniak, private clouds',
    env: ['OS_CLOUD', 'OS_AUTH_URL'],
    optionKeys: configurableKeys<OpenStackDriverOptions>({
      cloud: true,
      authUrl: true,
      username: true,
      password: true,
      projectName: true,
      userDomainName: true,
      projectDomainName: true,
      applicationCredentialId: true,
      applicationCredentialSecret: true,
      region: true,
      interface: true,
      prices: true,
      regionFacts: true,
      retry: true,
      requestTimeoutMs: true,
      bounds: true,
      ...CODE_ONLY,
    }),
    create: async (options) => (await import('../../providers/openstack/index.js')).createOpenStackDriver(options),
  },
  {
    name: 'vultr',
    description: 'Vultr Cloud Compute',
    env: ['VULTR_API_KEY'],
    optionKeys: configurableKeys<VultrDriverOptions>({ ...REST_KEYS, catalogTtlMs: true }),
    create: async (options) => (await import('../../providers/vultr/index.js')).createVultrDriver(options),
  },
];
