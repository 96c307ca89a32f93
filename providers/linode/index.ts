/**
 * The `linode` provider: Linode (Akamai Cloud) instances through the Linode API v4
 * (`https://api.linode.com/v4`), over polycloud's shared REST layer.
 *
 * @module
 */
import type { TransportBounds } from '../../src/core/limits.js';
import { systemClock, type Clock } from '../../src/core/clock.js';
import { defineDriver, type Driver, type DriverContext } from '../../src/core/driver.js';
import { ConfigurationError, ConflictError, NodeNotFoundError, isInvalidRequestError, isNodeNotFoundError } from '../../src/core/errors.js';
import { field } from '../../src/rest/body.js';
import { createRestClient, urlPath, type RestRequest } from '../../src/rest/client.js';
import type { Query } from '../../src/rest/pages.js';
import type { Logger } from '../../src/core/logger.js';
import type { RetryOptions } from '../../src/core/retry.js';
import { Secret } from '../../src/core/secrets.js';
import type { Node } from '../../src/core/types.js';
import { checkPositiveInteger, invalid } from '../../src/core/validate.js';
import type { LinodeImage, LinodeInstance, LinodePage, LinodeRegion, LinodeType } from './api.js';
import { LINODE_REQUEST_ID_HEADER, LINODE_RESET_HEADERS, parseLinodeError } from './errors.js';
import { imageOs, mapImage, mapInstance, mapRegion, mapType } from './map.js';
import { checkProviderOptions, createInstanceBody, type LinodeProviderOptions } from './create.js';
import { MAX_PAGE_SIZE, MIN_PAGE_SIZE, clampPageSize, nextPageOf } from './listing.js';
import { checkLinodeTags, idempotencyTag, instanceFilter } from './tags.js';

/** The Linode API v4. */
export const LINODE_ENDPOINT = 'https://api.linode.com/v4';

/** Options of the `linode` provider. All are optional. */
export interface LinodeDriverOptions {
  /** Personal access token. Default: the `LINODE_TOKEN` environment variable. */
  readonly token?: string | Secret;
  /** API base URL. Default: `https://api.linode.com/v4`. Must be `https:` (plain `http:` only on loopback). */
  readonly endpoint?: string;
  /** The region `listSizes()` prices types for when the query names none. Default: `us-east`. */
  readonly defaultLocation?: string;
  /** Instances per page when listing; Linode allows 25 to 500, and values outside are clamped. Default: 500. */
  readonly pageSize?: number;
  /**
   * How long the regions and types fetched to give nodes their country and price are reused, in
   * ms. Default: 3 600 000 (one hour).
   */
  readonly catalogTtlMs?: number;
  /** Per-request timeout, in ms. Default: 30 000. */
  readonly timeoutMs?: number;
  /** Largest answer, most pages and longest time of one listing. Default: `DEFAULT_BOUNDS`. */
  readonly bounds?: TransportBounds;
  /** Retries of requests that are safe to repeat. Default: see `DEFAULT_RETRY`. */
  readonly retry?: RetryOptions;
  /** Where retries are reported. Default: nowhere. */
  readonly logger?: Logger;
  /** The clock prices are dated by and the catalog cache runs on. Default: the system clock. */
  readonly clock?: Clock;
}

/** A `linode` driver. */
export type LinodeDriver = Driver<LinodeInstance, LinodeProviderOptions>;

/** The regions and types nodes are mapped with: countries and prices. */
interface Catalog {
  readonly regions: ReadonlyMap<string, LinodeRegion>;
  readonly types: ReadonlyMap<string, LinodeType>;
  readonly fetchedAt: number;
}

/** Creates a `linode` driver. */
export function createLinodeDriver(options: LinodeDriverOptions = {}): LinodeDriver {
  const given = options.token ?? process.env.LINODE_TOKEN;
  if (given === undefined || given === '') {
    throw new ConfigurationError('no Linode API token: pass the "token" option or set LINODE_TOKEN', {
      provider: 'linode',
      operation: 'configure',
    });
  }
  const token = given instanceof Secret ? given : new Secret(given);
  const client = createRestClient({
    provider: 'linode',
    endpoint: options.endpoint ?? LINODE_ENDPOINT,
    token,
    parseErrorBody: parseLinodeError,
    requestIdHeaders: [LINODE_REQUEST_ID_HEADER],
    rateLimitResetHeaders: LINODE_RESET_HEADERS,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.bounds ? { bounds: options.bounds } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const clock = options.clock ?? systemClock;
  const defaultLocation = options.defaultLocation ?? 'us-east';
  const pageSize = clampPageSize(
    checkPositiveInteger({ provider: 'linode', operation: 'configure' }, 'pageSize', options.pageSize) ?? MAX_PAGE_SIZE,
  );
  const catalogTtlMs = options.catalogTtlMs ?? 3_600_000;
  const today = () => new Date(clock.now()).toISOString().slice(0, 10);
  let catalog: Promise<Catalog> | undefined;

  const call = (context: DriverContext, request: Omit<RestRequest, 'operation' | 'signal'>): RestRequest => ({
    ...request,
    operation: context.operation,
    ...(context.signal ? { signal: context.signal } : {}),
  });
  const shape = (context: DriverContext) => ({ provider: 'linode' as const, operation: context.operation });

  /** Pages of a list, following `page`/`pages` on the configured endpoint. */
  async function* pages<T>(context: DriverContext, path: string, query: Query = {}, headers?: Record<string, string>) {
    const first = call(context, { method: 'GET', path, query, ...(headers ? { headers } : {}) });
    for await (const page of client.paginate<LinodePage<T>>(first, nextPageOf(context.operation)))
      yield field(page, 'data', 'array', shape(context)) as T[];
  }
  const listAll = async <T>(context: DriverContext, path: string): Promise<T[]> => {
    const items: T[] = [];
    for await (const page of pages<T>(context, path)) items.push(...page);
    return items;
  };

  /** Regions and types, fetched together and reused for `catalogTtlMs`; a failed fetch is not kept. */
  const loadCatalog = (context: DriverContext): Promise<Catalog> => {
    if (catalog) {
      const cached = catalog;
      return cached.then((value) => (clock.now() - value.fetchedAt < catalogTtlMs ? value : ((catalog = undefined), loadCatalog(context))));
    }
    const loading = Promise.all([listAll<LinodeRegion>(context, '/regions'), listAll<LinodeType>(context, '/linode/types')]).then(
      ([regions, types]) => ({
        regions: new Map(regions.map((region) => [region.id, region])),
        types: new Map(types.map((type) => [type.id, type])),
        fetchedAt: clock.now(),
      }),
    );
    catalog = loading;
    loading.catch(() => {
      if (catalog === loading) catalog = undefined;
    });
    return loading;
  };

  const toNode = (instance: LinodeInstance, known: Catalog) => mapInstance(instance, known.regions, known.types, today());

  const instancesTagged = async (tag: string, context: DriverContext): Promise<LinodeInstance[]> => {
    const found: LinodeInstance[] = [];
    for await (const page of pages<LinodeInstance>(
      context,
      '/linode/instances',
      { page_size: MIN_PAGE_SIZE },
      { 'X-Filter': JSON.stringify({ tags: tag }) },
    ))
      found.push(...page);
    return found.filter((instance) => instance.status !== 'deleting');
  };

  const checkNumeric = (id: string, context: DriverContext) => {
    // Linode ids are numbers: anything else names no instance, and is not worth a request.
    if (!/^\d+$/.test(id)) throw new NodeNotFoundError(id, { provider: 'linode', operation: context.operation });
  };

  const instanceAction = async (id: string, action: 'reboot' | 'boot' | 'shutdown', context: DriverContext) => {
    checkNumeric(id, context);
    await client.request(call(context, { method: 'POST', path: urlPath`/linode/instances/${id}/${action}`, nodeId: id }));
  };

  return defineDriver<LinodeInstance, LinodeProviderOptions>({
    provider: 'linode',
    capabilities: { startStop: true, reboot: true, userData: true, sshKeys: true, tags: true, idempotency: 'tag', locationKind: 'region' },
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
    clock,
    description: { endpoint: client.endpoint, defaultLocation },

    async listLocations(context) {
      return (await listAll<LinodeRegion>(context, '/regions')).map(mapRegion);
    },

    async listSizes(query, context) {
      const region = query.location ?? defaultLocation;
      if (query.location !== undefined) {
        const known = (await loadCatalog(context)).regions;
        if (!known.has(query.location))
          invalid(
            { provider: 'linode', operation: context.operation },
            'query.location',
            `a Linode region (${[...known.keys()].join(', ')})`,
            query.location,
          );
      }
      const types = await listAll<LinodeType>(context, '/linode/types');
      return types.map((type) => mapType(type, region, today()));
    },

    async listImages(query, context) {
      const images = await listAll<LinodeImage>(context, '/images');
      return (
        images
          .filter(
            (image) => image.is_public && !image.deprecated && image.vendor && (image.status === undefined || image.status === 'available'),
          )
          .filter((image) => query.os === undefined || imageOs(image)?.family === query.os.toLowerCase())
          .filter((image) => query.version === undefined || imageOs(image)?.version === query.version)
          // Every Linode image is x86-64.
          .filter(() => query.arch === undefined || query.arch === 'x86_64')
          .sort((a, b) => b.created.localeCompare(a.created))
          .map(mapImage)
      );
    },

    async *listNodePages(query, context) {
      const known = await loadCatalog(context);
      const filter = instanceFilter({
        ...(query.tags ? { tags: query.tags } : {}),
        ...(query.locations ? { regions: query.locations } : {}),
      });
      const perPage = clampPageSize(query.pageSize ?? pageSize);
      for await (const instances of pages<LinodeInstance>(
        context,
        '/linode/instances',
        { page_size: perPage },
        filter ? { 'X-Filter': filter } : undefined,
      )) {
        yield instances.map((instance) => toNode(instance, known));
      }
    },

    async getNode(id, context) {
      checkNumeric(id, context);
      const [known, response] = await Promise.all([
        loadCatalog(context),
        client.request<LinodeInstance>(call(context, { method: 'GET', path: urlPath`/linode/instances/${id}`, nodeId: id })),
      ]);
      field(response, 'id', 'number', shape(context));
      return toNode(response.data, known);
    },

    validateCreate(request, check) {
      checkLinodeTags(check, 'tags', request.tags);
      checkProviderOptions(check, request.providerOptions);
    },

    async createNode(request, context) {
      const marker = idempotencyTag(request.idempotencyKey);
      const known = await loadCatalog(context);
      const sameOrConflict = (instance: LinodeInstance): Node<LinodeInstance> => {
        if (instance.label !== request.name || instance.type !== request.sizeId || instance.region !== request.locationId) {
          throw new ConflictError(
            `idempotency key ${JSON.stringify(request.idempotencyKey)} was used for instance ${instance.id} (${instance.label}), created from a different request`,
            {
              provider: 'linode',
              operation: context.operation,
            },
          );
        }
        return toNode(instance, known);
      };
      const [existing] = await instancesTagged(marker, context);
      if (existing) return sameOrConflict(existing);

      const body = createInstanceBody(request, marker);
      try {
        // Safe to repeat: labels are unique per account, so a repeat whose first attempt did
        // create the instance is refused for its label, and the tagged instance is found below.
        const response = await client.request<LinodeInstance>(
          call(context, { method: 'POST', path: '/linode/instances', body, idempotent: true }),
        );
        field(response, 'id', 'number', shape(context));
        return toNode(response.data, known);
      } catch (error) {
        const raced = isInvalidRequestError(error) && error.field === 'name' ? (await instancesTagged(marker, context))[0] : undefined;
        if (!raced) throw error;
        return sameOrConflict(raced);
      }
    },

    rebootNode: (id, context) => instanceAction(id, 'reboot', context),
    startNode: (id, context) => instanceAction(id, 'boot', context),
    stopNode: (id, context) => instanceAction(id, 'shutdown', context),

    async destroyNode(id, context) {
      if (!/^\d+$/.test(id)) return;
      try {
        await client.request(call(context, { method: 'DELETE', path: urlPath`/linode/instances/${id}`, nodeId: id }));
      } catch (error) {
        if (isNodeNotFoundError(error)) return;
        throw error;
      }
    },
  });
}

export type { LinodeInstance, LinodeProviderOptions };
export type { LinodeStatus } from './api.js';
