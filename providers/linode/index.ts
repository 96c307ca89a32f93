/**
 * The `linode` provider: Linode (Akamai Cloud) instances through the Linode API v4
 * (`https://api.linode.com/v4`), as a `defineRestDriver` spec.
 *
 * @module polycloud/providers/linode
 */
import {
  ttlCache,
  fullCapabilities,
  checkPositiveInteger,
  defineRestDriver,
  isInvalidRequestError,
  pageCountPaging,
  urlPath,
  type Driver,
  type DriverContext,
  type RestDriverOptions,
  type RestRuntime,
} from '../../src/kit.js';
import type { LinodeImage, LinodeInstance, LinodeRegion, LinodeType } from './api.js';
import { LINODE_REQUEST_ID_HEADER, LINODE_RESET_HEADERS, parseLinodeError } from './errors.js';
import { LINODE_IMAGE_ID, mapImage, mapInstance, mapRegion, mapType } from './map.js';
import { checkProviderOptions, createInstanceBody, type LinodeProviderOptions } from './create.js';
import { checkLinodeTags, idempotencyTag, instanceFilter } from './tags.js';
import { LINODE_KEY_REGISTRY } from './ssh-keys.js';
import { checkLinodePlaces } from './places.js';
import { checkInstance, checkLinodeImage, checkLinodeRegion, checkLinodeType } from './schemas.js';

/** The Linode API v4. */
export const LINODE_ENDPOINT = 'https://api.linode.com/v4';

/**
 * Options of the `linode` provider. All are optional; besides these, see `RestDriverOptions`
 * (token (default `LINODE_TOKEN`), endpoint, `requestTimeoutMs`, retry, `maxConcurrency`,
 * `pageSize` (Linode serves 25–500; default 500), logger, clock).
 */
export interface LinodeDriverOptions extends RestDriverOptions {
  /**
   * The region `listSizes()` prices types for when the query names none.
   * @defaultValue `us-east`
   */
  readonly defaultLocation?: string;
  /**
   * How long the regions and types fetched to give nodes their country and price are reused, in ms.
   * @defaultValue 3600000 (one hour)
   */
  readonly catalogTtlMs?: number;
}

/** A `linode` driver. */
export type LinodeDriver = Driver<LinodeInstance, LinodeProviderOptions>;

/** The regions and types nodes are mapped with: countries and prices. */
interface Catalog {
  readonly regions: ReadonlyMap<string, LinodeRegion>;
  readonly types: ReadonlyMap<string, LinodeType>;
  readonly fetchedAt: number;
}

/** The driver's state: the catalog, fetched once per `catalogTtlMs` (a failed fetch is not kept). */
interface LinodeState {
  catalog(context: DriverContext): Promise<Catalog>;
}

type Runtime = RestRuntime<LinodeDriverOptions, LinodeState>;

/** Linode's catalog lists (regions, types, images) take no page size. */
const UNSIZED = { pageSize: false } as const;

function catalogCache(runtime: RestRuntime<LinodeDriverOptions, undefined>): LinodeState {
  const fetchCatalog = async (context: DriverContext): Promise<Catalog> => {
    const [regions, types] = await Promise.all([
      runtime.listAll(context, '/regions', 'data', { ...UNSIZED, validate: checkLinodeRegion }) as Promise<LinodeRegion[]>,
      runtime.listAll(context, '/linode/types', 'data', { ...UNSIZED, validate: checkLinodeType }) as Promise<LinodeType[]>,
    ]);
    return {
      regions: new Map(regions.map((region) => [region.id, region])),
      types: new Map(types.map((type) => [type.id, type])),
      fetchedAt: runtime.clock.now(),
    };
  };
  return { catalog: ttlCache(fetchCatalog, runtime.options.catalogTtlMs as number, runtime.clock) };
}

/** Creates a `linode` driver. */
export const createLinodeDriver: (options?: LinodeDriverOptions) => LinodeDriver = defineRestDriver<
  LinodeInstance,
  LinodeProviderOptions,
  LinodeDriverOptions,
  LinodeState
>({
  provider: 'linode',
  defaultEndpoint: LINODE_ENDPOINT,
  tokenEnv: ['LINODE_TOKEN'],
  capabilities: fullCapabilities({ idempotency: 'tag', locationKind: 'region', keyPairs: true }),
  limits: {
    maxNameLength: 64,
    namePattern: {
      pattern: /^(?!.*(--|__|\.\.))[A-Za-z][A-Za-z0-9_.-]+[A-Za-z0-9]$/,
      description:
        "3-64 letters, digits, '-', '_' or '.', starting with a letter, ending with a letter or digit, without '--', '__' or '..'",
    },
    // Linode tags are 3-50 characters; polycloud stores a tag as "key:value".
    maxTagKeyLength: 48,
    maxTagValueLength: 48,
    maxUserDataBytes: 16 * 1024,
  },
  idPatterns: {
    node: { pattern: /^[1-9]\d{0,18}$/, description: 'a Linode instance id (a positive integer)' },
    image: LINODE_IMAGE_ID,
  },
  transport: {
    parseErrorBody: parseLinodeError,
    requestIdHeaders: [LINODE_REQUEST_ID_HEADER],
    rateLimitResetHeaders: LINODE_RESET_HEADERS,
  },
  paging: pageCountPaging({ minPageSize: 25, maxPageSize: 500 }),
  defaults: { defaultLocation: 'us-east', catalogTtlMs: 3_600_000 },
  checkOptions: (options, check) => void checkPositiveInteger(check, 'catalogTtlMs', options.catalogTtlMs),
  setup: catalogCache,
  describe: (options) => ({ defaultLocation: options.defaultLocation }),

  locations: {
    path: '/regions',
    field: 'data',
    pageSize: false,
    validate: checkLinodeRegion,
    map: (region: LinodeRegion) => mapRegion(region),
  },

  sizes: {
    path: '/linode/types',
    field: 'data',
    pageSize: false,
    validate: checkLinodeType,
    map: (type: LinodeType, query, runtime) => mapType(type, query.location ?? (runtime.options.defaultLocation as string), runtime.asOf()),
    locationKnown: async (location, runtime: Runtime, context) => (await runtime.state.catalog(context)).regions.has(location),
  },

  images: {
    path: '/images',
    field: 'data',
    pageSize: false,
    validate: checkLinodeImage,
    map: (image: LinodeImage) =>
      image.is_public && !image.deprecated && image.vendor && (image.status === undefined || image.status === 'available')
        ? mapImage(image)
        : undefined,
  },

  nodes: {
    path: '/linode/instances',
    field: 'data',
    validate: checkInstance,
    push(query) {
      const filter = instanceFilter({
        ...(query.tags ? { tags: query.tags } : {}),
        ...(query.locations ? { regions: query.locations } : {}),
      });
      return filter ? { headers: { 'X-Filter': filter } } : {};
    },
    get: { path: (id) => urlPath`/linode/instances/${id}` },
    async mapper(runtime, context) {
      const { regions, types } = await runtime.state.catalog(context);
      const asOf = runtime.asOf();
      return (instance) => mapInstance(instance, regions, types, asOf);
    },
  },

  create: {
    path: '/linode/instances',
    body: (request) => createInstanceBody(request, idempotencyTag(request.idempotencyKey)),
    // The driver generates the root password unless one is given: hand it back, once.
    generatedPassword: (_answer, body, request) =>
      request.providerOptions?.rootPassword === undefined ? (body as { root_pass?: string }).root_pass : undefined,
  },

  idempotency: {
    filter: (key) => ({ headers: { 'X-Filter': JSON.stringify({ tags: idempotencyTag(key) }) } }),
    carries: (instance, key) => (instance.tags ?? []).includes(idempotencyTag(key)),
    matches: (instance, request) =>
      instance.label === request.name && instance.type === request.sizeId && instance.region === request.locationId,
    gone: (instance) => instance.status === 'deleting',
    // Labels are unique per account: a repeat whose first attempt did create the instance is
    // refused for its label, and the tagged instance is found.
    raced: (error) => isInvalidRequestError(error) && error.field === 'name',
  },

  // The profile's SSH keys; an instance takes key text (`authorized_keys`), so the registry is for
  // listing and cleanup, and each key given on create is also registered there as a managed key.
  sshKeys: LINODE_KEY_REGISTRY,
  // An instance does not list its keys: each carries a `polycloud-key:<id>` tag per key it was created with.
  keyMarks: { style: 'tags', field: 'tags' },

  routes: {
    reboot: { path: (id) => urlPath`/linode/instances/${id}/reboot` },
    start: { path: (id) => urlPath`/linode/instances/${id}/boot` },
    stop: { path: (id) => urlPath`/linode/instances/${id}/shutdown` },
    destroy: { path: (id) => urlPath`/linode/instances/${id}` },
  },

  validateCreate(request, check) {
    checkLinodeTags(check, 'tags', request.tags);
    checkProviderOptions(check, request.providerOptions);
  },
  checkPlaces: checkLinodePlaces,
});

export type { LinodeInstance, LinodeProviderOptions };
export type { LinodeStatus } from './api.js';
