/**
 * The Google Compute Engine driver, on `@google-cloud/compute` (REST transport). Nodes are
 * zonal instances with ids `<zone>.<name>`; listings use `aggregatedList` across all zones (or
 * per-zone `list` where zones are configured) with label and status filters pushed to the API;
 * every mutation carries a Compute `requestId` and waits for its zone operation.
 *
 * @module polycloud/providers/gce
 */
import type { TransportBounds } from '../../src/kit.js';
import type { GceLivePriceOptions } from './prices.js';
import { randomUUID } from 'node:crypto';
import {
  checkLivePriceOptions,
  fullCapabilities,
  type ProviderLimits,
  checkEndpoint,
  ConflictError,
  defineDriver,
  fanOut,
  InvalidRequestError,
  isNotFoundError,
  mergeDefaults,
  registerSecret,
  safeLogger,
  systemClock,
  type Clock,
  type Driver,
  type DriverContext,
  type Logger,
  type PriceSourceOption,
  type RetryOptions,
} from '../../src/kit.js';
import { createGceApi, type GceApi, type GceAuthClient, type GceCredentials } from './api.js';
import { buildInstanceBody, checkLabels, checkProviderOptions, requestIdForKey, type GceProviderOptions } from './create.js';
import { mapGceError } from './errors.js';
import { readGceLaunchSpec } from './launch-spec.js';
import { listInstancePages } from './list.js';
import { createLookups } from './lookups.js';
import {
  IMAGE_ID_PATTERN,
  INSTANCE_NAME_PATTERN,
  NODE_ID_PATTERN,
  isZoneId,
  lastSegment,
  mapImageFamilies,
  mapInstanceToNode,
  mapMachineType,
  mapRegion,
  mapZone,
  parseNodeId,
  regionOfZone,
} from './map.js';
import type { GceImage, GceInstance, GceMachineType, GceRegion } from './types.js';
import { checkGceImage, checkGceInstance, checkGceMachineType, checkGceRegion } from './schemas.js';
import { checkEntries, checkEntry } from '../../src/kit.js';

/** Options of the `gce` driver. */
export interface GceDriverOptions {
  /**
   * The Google Cloud project id.
   *
   * @defaultValue `GOOGLE_CLOUD_PROJECT`, `GCLOUD_PROJECT` or `CLOUDSDK_CORE_PROJECT` from the
   * environment, else found on the first call as Google's libraries find it: the credentials
   * file's `project_id`, then gcloud's configured project (`gcloud config set project`); a
   * `ConfigurationError` when none names one.
   */
  readonly project?: string;
  /**
   * Zones to manage, e.g. `['europe-west3-b']`: listings use per-zone `list`.
   * @defaultValue every zone (`aggregatedList`)
   */
  readonly zones?: readonly string[];
  /**
   * Regions to manage (all their zones), e.g. `['us-central1']`. Ignored when `zones` is given.
   * @defaultValue every region
   */
  readonly regions?: readonly string[];
  /**
   * A service account key (parsed JSON).
   * @defaultValue Application Default Credentials
   */
  readonly credentials?: GceCredentials;
  /**
   * Path to a service account key file.
   * @defaultValue Application Default Credentials
   */
  readonly keyFilename?: string;
  /**
   * A ready google-auth-library client (e.g. `OAuth2Client`, `GoogleAuth`). Takes precedence over
   * `credentials` and `keyFilename`.
   * @defaultValue none: `credentials`, `keyFilename` or Application Default Credentials are used
   */
  readonly authClient?: GceAuthClient;
  /**
   * API endpoint, e.g. a private endpoint or a test server. Must be `https:` (or `http:` on loopback),
   * without a path.
   * @defaultValue `https://compute.googleapis.com`
   */
  readonly endpoint?: string;
  /**
   * Most concurrent requests when listing several zones.
   * @defaultValue 8
   */
  readonly maxConcurrency?: number;
  /**
   * Retries of requests that are safe to repeat. The SDK's own retries are off.
   * @defaultValue `DEFAULT_RETRY`
   */
  readonly retry?: RetryOptions;
  /**
   * Where prices come from: the bundled `catalog` or the `live` Cloud Billing catalog.
   * @defaultValue `catalog`
   */
  readonly priceSource?: PriceSourceOption;
  /**
   * How live prices are fetched when `priceSource` is `live`: the Cloud Billing Catalog API
   * endpoint, the API key or access token, cache TTL and retries.
   * @defaultValue `https://cloudbilling.googleapis.com` with the `POLYCLOUD_GCE_BILLING_API_KEY` key, cached 6 hours
   */
  readonly livePrices?: GceLivePriceOptions;
  /**
   * Image projects `listImages` offers.
   * @defaultValue `['ubuntu-os-cloud', 'debian-cloud']`
   */
  readonly imageProjects?: readonly string[];
  /**
   * Longest wait for one HTTP request before it fails with a (retryable) `TimeoutError`, in ms.
   * @defaultValue 60000
   */
  readonly requestTimeoutMs?: number;
  /**
   * Largest answer (decompressed), most pages and longest time of one listing.
   * @defaultValue `DEFAULT_BOUNDS`
   */
  readonly bounds?: TransportBounds;
  /**
   * Longest wait for one zone operation (insert, start, stop, reset, delete), in ms.
   * @defaultValue 600000
   */
  readonly operationTimeoutMs?: number;
  /**
   * The clock operation polls and `waitForNode` sleep on.
   * @defaultValue the system clock
   */
  readonly clock?: Clock;
  /**
   * Receives retry and fallback diagnostics (secrets redacted).
   * @defaultValue nothing is logged
   */
  readonly logger?: Logger;
}

/** A `gce` driver. `Node.raw` is the Compute instance. */
export type GceDriver = Driver<GceInstance, GceProviderOptions>;

export type { GceProviderOptions } from './create.js';
export type { GceAuthClient, GceCredentials } from './api.js';
export type { GceInstance, GceNetworkInterface } from './types.js';

const DEFAULT_IMAGE_PROJECTS = ['ubuntu-os-cloud', 'debian-cloud'] as const;
const PROJECT_PATTERN = /^(?:[a-z][-a-z0-9.]*[a-z0-9]:)?[a-z][-a-z0-9]{4,28}[a-z0-9]$/;
const MAX_PAGE_SIZE = 500;

/**
 * Compute Engine's limits: instance names are RFC 1035 labels of up to 63 characters; an instance
 * has up to 64 labels, keys and values of up to 63 characters; one metadata value (the user data)
 * is at most 256 KiB; a list page holds up to 500 items.
 */
const GCE_LIMITS: Partial<ProviderLimits> = {
  maxNameLength: 63,
  namePattern: INSTANCE_NAME_PATTERN,
  maxTags: 64,
  maxTagKeyLength: 63,
  maxTagValueLength: 63,
  maxUserDataBytes: 256 * 1024,
  maxPageSize: MAX_PAGE_SIZE,
};

function configError(field: string, expected: string, received: unknown): never {
  throw new InvalidRequestError(`"${field}" must be ${expected}, got ${JSON.stringify(received)}`, {
    provider: 'gce',
    operation: 'configure',
    field,
  });
}

function checkLocations(field: string, value: readonly string[] | undefined, zone: boolean): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) configError(field, 'a non-empty array', value);
  for (const entry of value) {
    if (typeof entry !== 'string' || !/^[a-z][a-z0-9-]{1,62}$/.test(entry) || isZoneId(entry) !== zone) {
      configError(field, zone ? 'zone names such as "us-central1-a"' : 'region names such as "us-central1"', entry);
    }
  }
  return [...new Set(value)];
}

/** The project the options or the environment name; `undefined` leaves it to discovery from the credentials (`project.ts`). */
function resolveProject(options: GceDriverOptions): string | undefined {
  const project =
    options.project ?? (process.env.GOOGLE_CLOUD_PROJECT || process.env.GCLOUD_PROJECT || process.env.CLOUDSDK_CORE_PROJECT || undefined);
  if (project === undefined) return undefined;
  if (typeof project !== 'string' || !PROJECT_PATTERN.test(project))
    configError('project', 'a Google Cloud project id such as "my-project-123"', project);
  return project;
}

/** Defaults of {@link GceDriverOptions}; an option given as `undefined` keeps its default. */
const GCE_DEFAULTS = {
  maxConcurrency: 8,
  operationTimeoutMs: 600_000,
  requestTimeoutMs: 60_000,
  imageProjects: DEFAULT_IMAGE_PROJECTS,
  priceSource: 'catalog',
} as const satisfies GceDriverOptions;

/** Creates a Compute Engine driver. Loads nothing and contacts nothing until the first call. */
export function createGceDriver(given: GceDriverOptions = {}): GceDriver {
  const options = mergeDefaults(GCE_DEFAULTS, given);
  const project = resolveProject(options);
  const zones = checkLocations('zones', options.zones, true);
  const regions = zones ? undefined : checkLocations('regions', options.regions, false);
  const endpoint = options.endpoint === undefined ? undefined : checkEndpoint(options.endpoint, 'gce');
  if (endpoint !== undefined && new URL(endpoint).pathname !== '/') configError('endpoint', 'a URL without a path', options.endpoint);
  const concurrency = options.maxConcurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1) configError('maxConcurrency', 'a whole number, 1 or more', concurrency);
  const operationTimeoutMs = options.operationTimeoutMs ?? 600_000;
  if (typeof operationTimeoutMs !== 'number' || !(operationTimeoutMs > 0))
    configError('operationTimeoutMs', 'a positive number of ms', operationTimeoutMs);
  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
  if (typeof requestTimeoutMs !== 'number' || !(requestTimeoutMs > 0))
    configError('requestTimeoutMs', 'a positive number of ms', requestTimeoutMs);
  const imageProjects = options.imageProjects ?? DEFAULT_IMAGE_PROJECTS;
  if (options.credentials) {
    registerSecret(options.credentials.private_key);
    registerSecret(typeof options.credentials.private_key_id === 'string' ? options.credentials.private_key_id : undefined);
  }
  checkLivePriceOptions('gce', options.livePrices);
  const clock = options.clock ?? systemClock;
  const logger = safeLogger(options.logger);
  const api: GceApi = createGceApi({
    ...(project ? { project } : {}),
    clock,
    logger,
    operationTimeoutMs,
    requestTimeoutMs,
    ...(options.bounds ? { bounds: options.bounds } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(options.authClient ? { authClient: options.authClient } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.keyFilename ? { keyFilename: options.keyFilename } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
  });

  const lookups = createLookups(api, {
    priceSource: options.priceSource ?? 'catalog',
    ...(options.livePrices ? { livePrices: options.livePrices } : {}),
    logger,
  });
  const { read, prices } = lookups;

  async function getInstance(zone: string, name: string, context: DriverContext, nodeId: string): Promise<GceInstance> {
    const [instance] = await api.call(read(context, { nodeId, location: zone }), (sdk, call) =>
      sdk.instances.get({ project: sdk.project, zone, instance: name }, call),
    );
    return instance;
  }

  /** Runs start/stop/reset/delete with a fresh requestId (kept across retries) and waits for its operation. */
  async function mutate(method: 'start' | 'stop' | 'reset' | 'delete', id: string, context: DriverContext): Promise<void> {
    const { zone, name } = parseNodeId(id);
    const requestId = randomUUID();
    const callContext = read(context, { nodeId: id, location: zone, requestId });
    const [operation] = await api.call(callContext, (sdk, call) =>
      sdk.instances[method]({ project: sdk.project, zone, instance: name, requestId }, call),
    );
    await api.waitForOperation(operation.latestResponse, zone, callContext);
  }

  return defineDriver<GceInstance, GceProviderOptions>({
    provider: 'gce',
    capabilities: fullCapabilities({ idempotency: 'native', locationKind: 'zone' }),
    limits: GCE_LIMITS,
    idPatterns: { node: NODE_ID_PATTERN, image: IMAGE_ID_PATTERN },
    clock,
    description: { project: project ?? null, zones: zones ?? null, regions: regions ?? null, endpoint: endpoint ?? null },

    async listLocations(context) {
      const regionList: GceRegion[] = [];
      for await (const page of api.pages<GceRegion[]>(read(context), (sdk, pageToken, call) =>
        sdk.regions.list({ project: sdk.project, ...(pageToken ? { pageToken } : {}) }, call),
      )) {
        regionList.push(...checkEntries(checkGceRegion, page.items, { provider: 'gce', operation: context.operation }));
      }
      const zoneList = await lookups.zones(context);
      return [...regionList.map(mapRegion), ...zoneList.map(mapZone)].sort((a, b) => a.id.localeCompare(b.id));
    },

    async listSizes(query, context) {
      const location = query.location ?? zones?.[0] ?? (regions?.[0] ? regions[0] : 'us-central1');
      const zone = await lookups.resolveZone(location, context, 'query.location');
      const priceOf = await prices();
      const sizes = [];
      for await (const page of api.pages<GceMachineType[]>(read(context, { location: zone }), (sdk, pageToken, call) =>
        sdk.machineTypes.list({ project: sdk.project, zone, maxResults: MAX_PAGE_SIZE, ...(pageToken ? { pageToken } : {}) }, call),
      )) {
        for (const type of checkEntries(checkGceMachineType, page.items, { provider: 'gce', operation: context.operation, location: zone }))
          if (!type.deprecated?.state || type.deprecated.state === 'ACTIVE') sizes.push(mapMachineType(type, regionOfZone(zone), priceOf));
      }
      return sizes.sort((a, b) => a.id.localeCompare(b.id));
    },

    async listImages(query, context) {
      if (query.location !== undefined) await lookups.zonesOf([query.location], context);
      const perProject = await fanOut(
        imageProjects,
        async (imageProject) => {
          const images: GceImage[] = [];
          for await (const page of api.pages<GceImage[]>(read(context), (sdk, pageToken, call) =>
            sdk.images.list({ project: imageProject, maxResults: MAX_PAGE_SIZE, ...(pageToken ? { pageToken } : {}) }, call),
          )) {
            images.push(
              ...checkEntries(checkGceImage, page.items, { provider: 'gce', operation: context.operation, location: imageProject }),
            );
          }
          return mapImageFamilies(imageProject, images);
        },
        {
          concurrency,
          provider: 'gce',
          operation: context.operation,
          mapError: (error, part) => mapGceError(error, { operation: context.operation, location: part }),
        },
      );
      // The core filters by os, version and arch and sorts.
      return perProject;
    },

    async *listNodePages(query, context) {
      const priceOf = await prices();
      const target = query.locations ? await lookups.zonesOf(query.locations, context) : undefined;
      yield* listInstancePages(api, {
        context: read(context),
        concurrency,
        pageSize: query.pageSize ?? MAX_PAGE_SIZE,
        ...(query.tags ? { tags: query.tags } : {}),
        ...(query.states ? { states: query.states } : {}),
        ...(zones ? { zones } : {}),
        ...(regions ? { regions } : {}),
        ...(target ? { targetZones: target } : {}),
        map: (instance) => mapInstanceToNode(wellFormed(instance, context), priceOf),
      });
    },

    async getNode(id, context) {
      const { zone, name } = parseNodeId(id);
      const instance = await getInstance(zone, name, context, id);
      return mapInstanceToNode(wellFormed(instance, context), await prices());
    },

    async createNode(request, context) {
      const [{ zone, type }, image] = await Promise.all([
        lookups.placeSize(request.locationId, request.sizeId, context),
        lookups.resolveImage(request.imageId, context),
      ]);
      if (type.architecture && image.image.architecture && type.architecture !== image.image.architecture) {
        invalid(
          context.operation,
          'image',
          `"image" ${request.imageId} is ${image.image.architecture} but machine type ${request.sizeId} is ${type.architecture}`,
        );
      }
      const requestId = requestIdForKey(await api.project(read(context)), request.idempotencyKey);
      const instanceResource = buildInstanceBody(request, { zone, sourceImage: image.sourceImage, imageName: image.name });
      const callContext = read(context, { location: zone, requestId });
      // The requestId makes the insert safe to repeat: Compute answers a repeat with the first operation.
      const [operation] = await api.call(callContext, (sdk, call) =>
        sdk.instances.insert({ project: sdk.project, zone, requestId, instanceResource }, call),
      );
      const done = await api.waitForOperation(operation.latestResponse, zone, callContext);
      const createdName = lastSegment(done.targetLink) || request.name;
      if (createdName !== request.name || lastSegment(done.zone) !== zone) {
        throw new ConflictError(
          `idempotencyKey ${JSON.stringify(request.idempotencyKey)} was already used to create ${lastSegment(done.zone)}.${createdName}, a different node`,
          { provider: 'gce', operation: context.operation, requestId, location: zone },
        );
      }
      const nodeId = `${zone}.${request.name}`;
      return mapInstanceToNode(wellFormed(await getInstance(zone, request.name, context, nodeId), context), await prices());
    },

    rebootNode: (id, context) => mutate('reset', id, context),
    startNode: (id, context) => mutate('start', id, context),
    stopNode: (id, context) => mutate('stop', id, context),

    // A node already gone is success: the core turns NodeNotFoundError from here into success.
    destroyNode: (id, context) => mutate('delete', id, context),

    validateCreate(request, check) {
      checkLabels(check, 'tags', request.tags);
      checkProviderOptions(check, request.providerOptions);
      if (!isZoneId(request.locationId) && !/^[a-z][a-z0-9-]*[0-9]$/.test(request.locationId)) {
        invalid(check.operation, 'location', `"location" must be a Compute zone or region, got ${JSON.stringify(request.locationId)}`);
      }
    },

    getLaunchSpec: async (node, context) =>
      readGceLaunchSpec(node, {
        async disk(diskUrl) {
          const parsed = /projects\/([^/]+)\/zones\/([^/]+)\/disks\/([^/]+)$/.exec(diskUrl);
          if (!parsed) return {};
          const [, diskProject, zone, disk] = parsed;
          const [found] = await api.call(read(context, { location: zone }), (sdk, call) =>
            sdk.disks.get({ project: diskProject, zone, disk }, call),
          );
          return found;
        },
        async image(imageProject, image) {
          try {
            const [found] = await api.call(read(context), (sdk, call) => sdk.images.get({ project: imageProject, image }, call));
            return found;
          } catch (error) {
            // A custom image deleted since the disk was made from it.
            if (isNotFoundError(error)) return undefined;
            throw error;
          }
        },
      }),
    mapError: (error, context) => mapGceError(error, { operation: context.operation }),
  });
}

function invalid(operation: string, field: string, detail: string): never {
  throw new InvalidRequestError(detail, { provider: 'gce', operation, field });
}

/** The instance, checked against its schema (a malformed one is a `CloudError` naming the field). */
function wellFormed(instance: GceInstance, context: DriverContext): GceInstance {
  return checkEntry(checkGceInstance, instance, { provider: 'gce', operation: context.operation });
}
export { GCE_REGIONS } from './regions.js';
export { GCE_BILLING_API_KEY_ENV, loadGcePriceTable } from './prices.js';
export type { GceLivePriceOptions } from './prices.js';
