/**
 * The Microsoft Azure driver, on the Azure SDKs (`@azure/arm-compute`, `@azure/arm-network`,
 * `@azure/arm-resources`, `@azure/identity`; optional peers loaded on first use). Nodes are Linux
 * virtual machines in one resource group, with their VM names as ids; `createNode` builds what a
 * VM needs (virtual network, public IP, network interface) and `destroyNode` removes exactly that.
 * `getLaunchSpec` reads a VM's user data, SSH keys and marketplace image (see `launch-spec.ts`).
 *
 * @module polycloud/providers/azure
 */
import {
  fullCapabilities,
  ConfigurationError,
  ConflictError,
  InvalidRequestError,
  checkEndpoint,
  defineDriver,
  isNodeNotFoundError,
  isNotFoundError,
  safeLogger,
  systemClock,
  type Clock,
  type Driver,
  type DriverContext,
  type Logger,
  type Image,
  type Location,
  type Node,
  type Price,
  type RetryOptions,
  type TransportBounds,
} from '../../src/kit.js';
import {
  companionsOf,
  createVirtualMachine,
  removeVirtualMachine,
  validateAzureCreate,
  type AzureProviderOptions,
  type CreateFlow,
} from './create.js';
import { mapAzureError } from './errors.js';
import { azureLaunchSpec } from './launch-spec.js';
import { KNOWN_IMAGES } from './images.js';
import {
  IDEMPOTENCY_TAG,
  VM_NAME_PATTERN,
  lastSegment,
  mapImage,
  mapRegion,
  mapVmSize,
  mapVmToNode,
  type AzureNodeRaw,
  type AzureVirtualMachine,
  type AzureVmSize,
} from './map.js';
import type { AzurePriceSnapshot } from './price-catalog.js';
import { createAzurePrices, type AzurePriceSource } from './prices.js';
import { createAzurePlaceCheck, fetchAzureLocations } from './places.js';
import { createAzureApi, type AzureCallContext, type AzureTokenCredential } from './sdk.js';
import { checkAzureSku, checkAzureVm, checkAzureVmSize } from './schemas.js';
import { checkEntries, checkEntry } from '../../src/kit.js';

export type { AzureProviderOptions } from './create.js';
export type { AzureTokenCredential } from './sdk.js';
export type { AzureNodeRaw, AzureVirtualMachine } from './map.js';
export type { AzurePriceSource } from './prices.js';
export type { AzurePriceProvenance, AzurePriceSnapshot, RetailPriceItem } from './price-catalog.js';

/** Options of the `azure` driver. */
export interface AzureDriverOptions {
  /**
   * The subscription id; a `ConfigurationError` when neither it nor `AZURE_SUBSCRIPTION_ID` is set.
   * @defaultValue `AZURE_SUBSCRIPTION_ID`
   */
  readonly subscriptionId?: string;
  /**
   * The resource group the driver's nodes live in.
   * @defaultValue `AZURE_RESOURCE_GROUP`, else `polycloud`
   */
  readonly resourceGroup?: string;
  /**
   * Create the resource group (in the node's region) on the first `createNode` if it does not exist.
   * @defaultValue false
   */
  readonly createResourceGroup?: boolean;
  /**
   * Regions to manage, e.g. `['westeurope']`; listings show only nodes there.
   * @defaultValue every region
   */
  readonly locations?: readonly string[];
  /**
   * A credential (`@azure/identity` or any `TokenCredential`).
   * @defaultValue `DefaultAzureCredential`
   */
  readonly credential?: AzureTokenCredential;
  /**
   * ARM endpoint, e.g. a sovereign cloud or a test server. `https:`, or `http:` on a loopback address
   * only (a local emulator or test server).
   * @defaultValue `https://management.azure.com`
   */
  readonly endpoint?: string;
  /**
   * PEM CA certificate(s) to trust for `endpoint` besides the system roots (Azure Stack Hub, test
   * servers).
   * @defaultValue none
   */
  readonly caCertificate?: string;
  /**
   * Retries of requests that are safe to repeat (reads, ARM PUT/DELETE). The SDK's own retries are off.
   * @defaultValue `DEFAULT_RETRY`
   */
  readonly retry?: RetryOptions;
  /**
   * Longest wait for one HTTP request, in ms.
   * @defaultValue 60000
   */
  readonly requestTimeoutMs?: number;
  /**
   * Body size, page and listing bounds (see `TransportBounds`).
   * @defaultValue 32 MiB bodies, 1000 pages, 10-minute listings
   */
  readonly bounds?: TransportBounds;
  /**
   * Longest wait for one long-running operation (create, delete, start, stop, restart), in ms.
   * @defaultValue 1800000
   */
  readonly operationTimeoutMs?: number;
  /**
   * Pause between polls of a long-running operation when ARM gives no `Retry-After`, in ms.
   * @defaultValue 2000
   */
  readonly pollIntervalMs?: number;
  /**
   * Where VM size prices come from: `catalog` (offline: `priceCatalog`, else the bundled snapshot) or
   * `live` (the Retail Prices API, cached for 6 hours).
   * @defaultValue `catalog`
   */
  readonly priceSource?: AzurePriceSource;
  /**
   * The catalog for `priceSource: 'catalog'`: price items in the Retail Prices API's format (e.g. pages
   * saved from it), with where they came from.
   * @defaultValue the bundled snapshot, which prices no Linux size yet (see `docs/azure.md`), so prices are `null`
   */
  readonly priceCatalog?: AzurePriceSnapshot;
  /**
   * The Retail Prices API endpoint for `priceSource: 'live'`.
   * @defaultValue `https://prices.azure.com`
   */
  readonly pricesEndpoint?: string;
  /**
   * The clock `waitForNode` sleeps on.
   * @defaultValue the system clock
   */
  readonly clock?: Clock;
  /**
   * Receives retry and clean-up diagnostics (secrets redacted).
   * @defaultValue nothing is logged
   */
  readonly logger?: Logger;
}

/** An `azure` driver. `Node.raw` is the VM with the addresses of its network interfaces. */
export type AzureDriver = Driver<AzureNodeRaw, AzureProviderOptions>;

/** The environment variables the driver (and `DefaultAzureCredential`) read. */
export const AZURE_ENV = ['AZURE_SUBSCRIPTION_ID', 'AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET'] as const;

const RESOURCE_GROUP_PATTERN = /^[-\w._()]{1,89}[-\w_()]$/;

function configError(field: string, expected: string, received: unknown): never {
  throw new InvalidRequestError(`"${field}" must be ${expected}, got ${JSON.stringify(received)}`, {
    provider: 'azure',
    operation: 'configure',
    field,
  });
}

function positive(field: string, value: number | undefined, fallback: number): number {
  const result = value ?? fallback;
  if (typeof result !== 'number' || !(result > 0)) configError(field, 'a positive number of ms', value);
  return result;
}

/** Creates an Azure driver. Loads no SDK and contacts nothing until the first call. */
export function createAzureDriver(options: AzureDriverOptions = {}): AzureDriver {
  const subscriptionId = options.subscriptionId ?? process.env.AZURE_SUBSCRIPTION_ID;
  if (subscriptionId === undefined || subscriptionId === '') {
    throw new ConfigurationError(
      'no Azure subscription: pass { subscriptionId } or set AZURE_SUBSCRIPTION_ID (credentials: pass { credential }, or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, or sign in with `az login`, for DefaultAzureCredential)',
      { provider: 'azure', operation: 'configure' },
    );
  }
  if (!/^[0-9a-fA-F-]{36}$/.test(subscriptionId)) configError('subscriptionId', 'a subscription id (a GUID)', subscriptionId);
  const resourceGroup = options.resourceGroup ?? process.env.AZURE_RESOURCE_GROUP ?? 'polycloud';
  if (!RESOURCE_GROUP_PATTERN.test(resourceGroup)) configError('resourceGroup', 'a resource group name', resourceGroup);
  const locations = options.locations?.map((location) => {
    if (typeof location !== 'string' || !/^[a-z][a-z0-9]{2,40}$/.test(location))
      configError('locations', 'Azure regions such as "westeurope"', location);
    return location;
  });
  if (locations !== undefined && locations.length === 0) configError('locations', 'a non-empty array', locations);
  const endpoint = options.endpoint === undefined ? undefined : checkEndpoint(options.endpoint, 'azure');
  const clock = options.clock ?? systemClock;
  const logger = safeLogger(options.logger);
  const api = createAzureApi({
    subscriptionId,
    clock,
    logger,
    requestTimeoutMs: positive('requestTimeoutMs', options.requestTimeoutMs, 60_000),
    operationTimeoutMs: positive('operationTimeoutMs', options.operationTimeoutMs, 1_800_000),
    pollIntervalMs: positive('pollIntervalMs', options.pollIntervalMs, 2_000),
    ...(endpoint ? { endpoint } : {}),
    ...(options.caCertificate ? { caCertificate: options.caCertificate } : {}),
    ...(options.credential ? { credential: options.credential } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.bounds ? { bounds: options.bounds } : {}),
  });
  if (options.priceSource !== undefined && options.priceSource !== 'catalog' && options.priceSource !== 'live')
    configError('priceSource', '"catalog" or "live"', options.priceSource);
  if (options.priceCatalog !== undefined && !Array.isArray((options.priceCatalog as { items?: unknown } | null)?.items))
    configError('priceCatalog', 'a snapshot { provenance, items: [...] } of Retail Prices items', options.priceCatalog);
  const prices = createAzurePrices({
    source: options.priceSource ?? 'catalog',
    ...(options.pricesEndpoint ? { endpoint: checkEndpoint(options.pricesEndpoint, 'azure', 'pricesEndpoint') } : {}),
    ...(options.caCertificate ? { caCertificate: options.caCertificate } : {}),
    requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.priceCatalog ? { snapshot: options.priceCatalog } : {}),
    ...(options.bounds ? { bounds: options.bounds } : {}),
    logger,
    clock,
  });
  const rg = resourceGroup;
  const defaultLocation = locations?.[0] ?? 'eastus';

  const read = (context: DriverContext, extra: Partial<AzureCallContext> = {}): AzureCallContext => ({
    operation: context.operation,
    idempotent: true,
    ...(context.signal ? { signal: context.signal } : {}),
    ...extra,
  });

  async function addressesOf(vm: AzureVirtualMachine, context: DriverContext): Promise<AzureNodeRaw> {
    const publicIps: string[] = [];
    const privateIps: string[] = [];
    for (const reference of vm.networkProfile?.networkInterfaces ?? []) {
      const nicName = lastSegment(reference.id);
      if (!nicName) continue;
      let nic: { ipConfigurations?: { privateIPAddress?: string; publicIPAddress?: { id?: string } }[] };
      try {
        nic = await api.call(read(context), ({ network }, call) => network.networkInterfaces.get(rg, nicName, call));
      } catch (error) {
        if (isNotFoundError(error)) continue; // the NIC is being deleted with the VM
        throw error;
      }
      for (const config of nic.ipConfigurations ?? []) {
        if (config.privateIPAddress) privateIps.push(config.privateIPAddress);
        const ipName = lastSegment(config.publicIPAddress?.id);
        if (!ipName) continue;
        try {
          const ip = (await api.call(read(context), ({ network }, call) => network.publicIPAddresses.get(rg, ipName, call))) as {
            ipAddress?: string;
          };
          if (ip.ipAddress) publicIps.push(ip.ipAddress);
        } catch (error) {
          if (!isNotFoundError(error)) throw error;
        }
      }
    }
    return { vm, publicIps, privateIps };
  }

  async function toNode(vm: AzureVirtualMachine, context: DriverContext): Promise<Node<AzureNodeRaw>> {
    const raw = await addressesOf(vm, context);
    const region = (vm.location ?? '').toLowerCase();
    const price: Price | null = vm.hardwareProfile?.vmSize ? await prices.price(vm.hardwareProfile.vmSize, region, context.signal) : null;
    return mapVmToNode(raw, price);
  }

  /** A VM by name, with its instance view (its state) or, for a launch spec, its user data: ARM expands one at a time. */
  async function getVm(
    name: string,
    context: DriverContext,
    expand: 'instanceView' | 'userData' = 'instanceView',
  ): Promise<AzureVirtualMachine> {
    const vm = await api.call(read(context, { nodeId: name }), ({ compute }, call) =>
      compute.virtualMachines.get(rg, name, { ...call, expand }),
    );
    return checkEntry(checkAzureVm, vm as AzureVirtualMachine, { provider: 'azure', operation: context.operation });
  }

  async function ensureResourceGroup(location: string, context: DriverContext): Promise<void> {
    try {
      await api.call(read(context), ({ resources }, call) => resources.resourceGroups.get(rg, call));
    } catch (error) {
      if (!isNotFoundError(error)) throw error;
      await api.call(read(context, { location }), ({ resources }, call) =>
        resources.resourceGroups.createOrUpdate(rg, { location, tags: { 'polycloud-managed': 'true' } }, call),
      );
    }
  }

  const action = (method: 'restart' | 'start' | 'deallocate') => async (id: string, context: DriverContext) => {
    await api.call(read(context, { nodeId: id, longRunning: true }), ({ compute }, call) => compute.virtualMachines[method](rg, id, call));
  };

  const placeSource = { api, subscriptionId, endpoint: endpoint ?? 'https://management.azure.com', read };
  const checkPlaces = createAzurePlaceCheck(placeSource);

  const flowFor = (context: DriverContext): CreateFlow => ({
    api,
    resourceGroup: rg,
    context: (extra = {}) => read(context, extra),
    cleanupContext: () => ({ operation: context.operation, idempotent: true, longRunning: true }),
    warn: (message) => logger.warn(message),
  });

  return defineDriver<AzureNodeRaw, AzureProviderOptions>({
    provider: 'azure',
    capabilities: fullCapabilities({ idempotency: 'tag', locationKind: 'region' }),
    limits: {
      maxNameLength: 64,
      namePattern: VM_NAME_PATTERN,
      maxTags: 48,
      maxTagKeyLength: 512,
      maxTagValueLength: 256,
      maxUserDataBytes: 64 * 1024,
    },
    nodeIdPattern: VM_NAME_PATTERN,
    clock,
    description: { subscriptionId, resourceGroup, locations: locations ?? null, endpoint: endpoint ?? null },

    async listLocations(context) {
      return (await fetchAzureLocations(placeSource, context))
        .map(mapRegion)
        .filter((location): location is Location => location !== undefined)
        .filter((location) => locations === undefined || locations.includes(location.id))
        .sort((a, b) => a.id.localeCompare(b.id));
    },

    async listSizes(query, context) {
      const location = query.location ?? defaultLocation;
      const sizes: AzureVmSize[] = [];
      for await (const page of api.pages<AzureVmSize>(read(context, { location }), ({ compute }, call) =>
        compute.virtualMachineSizes.list(location, call),
      )) {
        sizes.push(...checkEntries(checkAzureVmSize, page, { provider: 'azure', operation: context.operation, location }));
      }
      const priced = await Promise.all(
        sizes.map(async (size) => mapVmSize(size, location, await prices.price(size.name ?? '', location, context.signal))),
      );
      return priced.sort((a, b) => a.id.localeCompare(b.id));
    },

    async listImages(query, context) {
      const location = query.location ?? defaultLocation;
      const wanted = KNOWN_IMAGES.filter(
        (image) =>
          (query.os === undefined || image.family === query.os.toLowerCase()) &&
          (query.version === undefined || image.version === query.version) &&
          (query.arch === undefined || image.arch === query.arch),
      );
      const offers = [...new Set(wanted.map((image) => `${image.publisher}/${image.offer}`))];
      const skusByOffer = new Map<string, Set<string>>();
      for (const offer of offers) {
        const [publisher, name] = offer.split('/') as [string, string];
        const skus = (await api.call(read(context, { location }), ({ compute }, call) =>
          compute.virtualMachineImages.listSkus(location, publisher, name, call),
        )) as { name?: string }[];
        const checked = checkEntries(checkAzureSku, skus, { provider: 'azure', operation: context.operation, location });
        skusByOffer.set(offer, new Set(checked.map((sku) => sku.name ?? '')));
      }
      const images: Image[] = wanted
        .filter((image) => skusByOffer.get(`${image.publisher}/${image.offer}`)?.has(image.sku))
        .map((image) => mapImage({ ...image, version: 'latest' }, { family: image.family, version: image.version }, image.arch));
      return images;
    },

    async *listNodePages(query, context) {
      const wantedRegions = query.locations ?? locations;
      try {
        for await (const page of api.pages<AzureVirtualMachine>(read(context), ({ compute }, call) =>
          compute.virtualMachines.list(rg, { ...call, expand: 'instanceView' }),
        )) {
          const kept = checkEntries(checkAzureVm, page, { provider: 'azure', operation: context.operation }).filter(
            (vm) => wantedRegions === undefined || wantedRegions.includes((vm.location ?? '').toLowerCase()),
          );
          yield await Promise.all(kept.map((vm) => toNode(vm, context)));
        }
      } catch (error) {
        // A resource group that does not exist yet holds no nodes.
        if (isNotFoundError(error) && (error as { code?: string }).code === 'ResourceGroupNotFound') return;
        throw error;
      }
    },

    async getNode(id, context) {
      return toNode(await getVm(id, context), context);
    },

    async createNode(request, context) {
      try {
        const existing = await getVm(request.name, context);
        if (existing.tags?.[IDEMPOTENCY_TAG] === request.idempotencyKey) return toNode(existing, context);
        throw new ConflictError(`a VM named ${JSON.stringify(request.name)} already exists in resource group ${rg}`, {
          provider: 'azure',
          operation: context.operation,
        });
      } catch (error) {
        if (!isNodeNotFoundError(error) && !(isNotFoundError(error) && (error as { code?: string }).code === 'ResourceGroupNotFound'))
          throw error;
      }
      // Reads only, before the resource group, network, IP and NIC that ARM would otherwise make
      // before refusing a bad size, region or image at the VM step.
      await checkPlaces(request, context);
      if (options.createResourceGroup) await ensureResourceGroup(request.locationId, context);
      await createVirtualMachine(flowFor(context), request);
      return toNode(await getVm(request.name, context), context);
    },

    rebootNode: action('restart'),
    startNode: action('start'),
    stopNode: action('deallocate'),

    async destroyNode(id, context) {
      let vm: AzureVirtualMachine;
      try {
        vm = await getVm(id, context);
      } catch (error) {
        if (isNotFoundError(error)) return;
        throw error;
      }
      await removeVirtualMachine(flowFor(context), id, companionsOf(vm), { vmMayExist: true });
    },

    // User data, SSH keys and the marketplace image, from one read of the VM with its user data.
    getLaunchSpec: async (node, context) => azureLaunchSpec(await getVm(node.id, context, 'userData'), context),

    validateCreate: validateAzureCreate,
    mapError: (error, context) => mapAzureError(error, { operation: context.operation }),
  });
}
