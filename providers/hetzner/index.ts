/**
 * The `hetzner` provider: Hetzner Cloud servers through the Hetzner Cloud API
 * (`https://api.hetzner.cloud/v1`), over polycloud's shared REST layer.
 *
 * @module
 */
import type { TransportBounds } from '../../src/core/limits.js';
import { systemClock, type Clock } from '../../src/core/clock.js';
import { defineDriver, type Driver, type DriverContext } from '../../src/core/driver.js';
import { ConfigurationError, ConflictError, NodeNotFoundError, isConflictError, isNodeNotFoundError } from '../../src/core/errors.js';
import { field } from '../../src/rest/body.js';
import { createRestClient, urlPath, type RestRequest } from '../../src/rest/client.js';
import type { Logger } from '../../src/core/logger.js';
import type { RetryOptions } from '../../src/core/retry.js';
import { Secret } from '../../src/core/secrets.js';
import type { Node } from '../../src/core/types.js';
import { checkPositiveInteger, invalid } from '../../src/core/validate.js';
import { waitForAction } from './actions.js';
import type { HetznerAction, HetznerCreateServerResponse, HetznerImage, HetznerLocation, HetznerServer, HetznerServerType } from './api.js';
import { HETZNER_REQUEST_ID_HEADER, HETZNER_RESET_HEADERS, parseHetznerError } from './errors.js';
import { IDEMPOTENCY_LABEL, checkLabels, idempotencyLabelValue, labelSelector } from './labels.js';
import {
  imageOs,
  mapArchitecture,
  mapImage,
  mapLocation,
  mapServer,
  mapServerType,
  toHetznerArchitecture,
  type HetznerPriceBasis,
} from './map.js';
import { checkProviderOptions, createServerBody, type HetznerProviderOptions } from './create.js';
import { nextPageOf, singleStatus } from './listing.js';
import { ensureSshKeys } from './ssh-keys.js';

/** The Hetzner Cloud API. */
export const HETZNER_ENDPOINT = 'https://api.hetzner.cloud/v1';

/** Options of the `hetzner` provider. All are optional. */
export interface HetznerDriverOptions {
  /** API token of the Hetzner Cloud project. Default: the `HCLOUD_TOKEN` environment variable. */
  readonly token?: string | Secret;
  /** API base URL. Default: `https://api.hetzner.cloud/v1`. Must be `https:` (plain `http:` only on loopback). */
  readonly endpoint?: string;
  /** The location `listSizes()` prices sizes for when the query names none. Default: `fsn1`. */
  readonly defaultLocation?: string;
  /**
   * Which Hetzner price a `Price` holds: `net` (without VAT, comparable with other providers'
   * list prices) or `gross` (with the VAT of the project's billing country). Default: `net`.
   */
  readonly priceBasis?: HetznerPriceBasis;
  /** Servers per page when listing (Hetzner allows at most 50). Default: 50. */
  readonly pageSize?: number;
  /** How `stopNode` stops a server: `shutdown` (ACPI, graceful) or `poweroff` (hard). Default: `shutdown`. */
  readonly stopMethod?: 'shutdown' | 'poweroff';
  /** Pause between polls of a running action, in ms. Default: 1 000. */
  readonly actionPollIntervalMs?: number;
  /** Longest wait for an action (create, reboot, power, delete) to finish, in ms. Default: 600 000. */
  readonly actionTimeoutMs?: number;
  /** Per-request timeout, in ms. Default: 30 000. */
  readonly timeoutMs?: number;
  /** Largest answer, most pages and longest time of one listing. Default: `DEFAULT_BOUNDS`. */
  readonly bounds?: TransportBounds;
  /** Retries of requests that are safe to repeat. Default: see `DEFAULT_RETRY`. */
  readonly retry?: RetryOptions;
  /** Where retries are reported. Default: nowhere. */
  readonly logger?: Logger;
  /** The clock actions are polled on and prices dated by. Default: the system clock. */
  readonly clock?: Clock;
}

/** A `hetzner` driver. */
export type HetznerDriver = Driver<HetznerServer, HetznerProviderOptions>;

const HETZNER_MAX_PAGE_SIZE = 50;

/** Creates a `hetzner` driver. */
export function createHetznerDriver(options: HetznerDriverOptions = {}): HetznerDriver {
  const given = options.token ?? process.env.HCLOUD_TOKEN;
  if (given === undefined || given === '') {
    throw new ConfigurationError('no Hetzner Cloud API token: pass the "token" option or set HCLOUD_TOKEN', {
      provider: 'hetzner',
      operation: 'configure',
    });
  }
  const token = given instanceof Secret ? given : new Secret(given);
  const client = createRestClient({
    provider: 'hetzner',
    endpoint: options.endpoint ?? HETZNER_ENDPOINT,
    token,
    parseErrorBody: parseHetznerError,
    requestIdHeaders: [HETZNER_REQUEST_ID_HEADER],
    rateLimitResetHeaders: HETZNER_RESET_HEADERS,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.bounds ? { bounds: options.bounds } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const clock = options.clock ?? systemClock;
  const basis = options.priceBasis ?? 'net';
  if (basis !== 'net' && basis !== 'gross')
    invalid({ provider: 'hetzner', operation: 'configure' }, 'priceBasis', '"net" or "gross"', basis);
  const defaultLocation = options.defaultLocation ?? 'fsn1';
  const pageSize = Math.min(
    checkPositiveInteger({ provider: 'hetzner', operation: 'configure' }, 'pageSize', options.pageSize) ?? HETZNER_MAX_PAGE_SIZE,
    HETZNER_MAX_PAGE_SIZE,
  );
  const actionWait = { clock, intervalMs: options.actionPollIntervalMs ?? 1_000, timeoutMs: options.actionTimeoutMs ?? 600_000 };
  const today = () => new Date(clock.now()).toISOString().slice(0, 10);

  const call = (context: DriverContext, request: Omit<RestRequest, 'operation' | 'signal'>): RestRequest => ({
    ...request,
    operation: context.operation,
    ...(context.signal ? { signal: context.signal } : {}),
  });
  const shape = (context: DriverContext) => ({ provider: 'hetzner' as const, operation: context.operation });

  /** Every item of a paged list, following `meta.pagination.next_page` on the configured endpoint. */
  async function* pages<T>(
    context: DriverContext,
    path: string,
    key: string,
    query: Record<string, string | number | undefined>,
    perPage = HETZNER_MAX_PAGE_SIZE,
  ) {
    const first = call(context, { method: 'GET', path, query: { ...query, per_page: perPage } });
    for await (const page of client.paginate(first, nextPageOf(context.operation))) yield field(page, key, 'array', shape(context)) as T[];
  }
  const listAll = async <T>(context: DriverContext, path: string, key: string, query: Record<string, string | number | undefined> = {}) => {
    const items: T[] = [];
    for await (const page of pages<T>(context, path, key, query)) items.push(...page);
    return items;
  };

  const getServer = async (id: string, context: DriverContext): Promise<HetznerServer> => {
    // Hetzner ids are numbers: anything else names no server, and is not worth a request.
    if (!/^\d+$/.test(id)) throw new NodeNotFoundError(id, { provider: 'hetzner', operation: context.operation });
    const response = await client.request(call(context, { method: 'GET', path: urlPath`/servers/${id}`, nodeId: id }));
    return field(response, 'server', 'object', shape(context)) as unknown as HetznerServer;
  };

  const findByIdempotencyKey = async (key: string, context: DriverContext): Promise<HetznerServer | undefined> => {
    const servers = await listAll<HetznerServer>(context, '/servers', 'servers', {
      label_selector: `${IDEMPOTENCY_LABEL}=${idempotencyLabelValue(key)}`,
    });
    return servers.find((server) => server.status !== 'deleting');
  };

  /** Whether a server is what this request would create (size and location by name or numeric id). */
  const sameRequest = (server: HetznerServer, request: { name: string; sizeId: string; locationId: string }) => {
    const location = server.location ?? server.datacenter?.location;
    return (
      server.name === request.name &&
      [server.server_type?.name, String(server.server_type?.id)].includes(request.sizeId) &&
      [location?.name, String(location?.id)].includes(request.locationId)
    );
  };

  const runAction = async (id: string, action: string, context: DriverContext): Promise<void> => {
    if (!/^\d+$/.test(id)) throw new NodeNotFoundError(id, { provider: 'hetzner', operation: context.operation });
    const response = await client.request(call(context, { method: 'POST', path: urlPath`/servers/${id}/actions/${action}`, nodeId: id }));
    await waitForAction(client, field(response, 'action', 'object', shape(context)) as unknown as HetznerAction, actionWait, context);
  };

  return defineDriver<HetznerServer, HetznerProviderOptions>({
    provider: 'hetzner',
    capabilities: { startStop: true, reboot: true, userData: true, sshKeys: true, tags: true, idempotency: 'tag', locationKind: 'region' },
    limits: {
      maxNameLength: 63,
      // Label keys: an optional DNS-subdomain prefix (253) and "/", then a name of up to 63.
      maxTagKeyLength: 317,
      maxTagValueLength: 63,
      maxUserDataBytes: 32 * 1024,
    },
    clock,
    description: { endpoint: client.endpoint, priceBasis: basis, defaultLocation },

    async listLocations(context) {
      return (await listAll<HetznerLocation>(context, '/locations', 'locations')).map(mapLocation);
    },

    async listSizes(query, context) {
      const location = query.location ?? defaultLocation;
      const types = (await listAll<HetznerServerType>(context, '/server_types', 'server_types')).filter((type) => !type.deprecated);
      const offered = types.filter((type) => type.prices.some((price) => price.location === location));
      if (query.location !== undefined && offered.length === 0) {
        const known = [...new Set(types.flatMap((type) => type.prices.map((price) => price.location)))];
        invalid(
          { provider: 'hetzner', operation: context.operation },
          'query.location',
          `a Hetzner location (${known.join(', ')})`,
          query.location,
        );
      }
      return (query.location === undefined ? types : offered).map((type) => mapServerType(type, location, basis, today()));
    },

    async listImages(query, context) {
      const images = await listAll<HetznerImage>(context, '/images', 'images', {
        type: 'system',
        ...(query.arch ? { architecture: toHetznerArchitecture(query.arch) } : {}),
      });
      return images
        .filter((image) => image.status === 'available' && !image.deprecated && !image.deleted)
        .filter((image) => query.os === undefined || imageOs(image)?.family === query.os.toLowerCase())
        .filter((image) => query.version === undefined || imageOs(image)?.version === query.version)
        .filter((image) => query.arch === undefined || mapArchitecture(image.architecture) === query.arch)
        .sort((a, b) => b.created.localeCompare(a.created))
        .map(mapImage);
    },

    async *listNodePages(query, context) {
      const status = singleStatus(query.states);
      const selector = labelSelector(query.tags);
      const asOf = today();
      const perPage = Math.min(query.pageSize ?? pageSize, HETZNER_MAX_PAGE_SIZE);
      for await (const servers of pages<HetznerServer>(context, '/servers', 'servers', { label_selector: selector, status }, perPage)) {
        yield servers.map((server) => mapServer(server, basis, asOf));
      }
    },

    async getNode(id, context) {
      return mapServer(await getServer(id, context), basis, today());
    },

    validateCreate(request, check) {
      checkLabels(check, 'tags', request.tags);
      checkProviderOptions(check, request.providerOptions);
    },

    async createNode(request, context) {
      const existing = await findByIdempotencyKey(request.idempotencyKey, context);
      if (existing) return sameOrConflict(existing);
      const sshKeys = [...(await ensureSshKeys(client, request.sshKeys, context)), ...(request.providerOptions?.sshKeyNames ?? [])];
      const body = createServerBody(request, sshKeys);
      let created: HetznerCreateServerResponse;
      try {
        // Safe to repeat: server names are unique per project, so a repeat whose first attempt
        // did create the server fails as a duplicate, and the labelled server is found below.
        const response = await client.request<HetznerCreateServerResponse>(
          call(context, { method: 'POST', path: '/servers', body, idempotent: true }),
        );
        field(response, 'server', 'object', shape(context));
        created = response.data;
      } catch (error) {
        const raced = isConflictError(error) ? await findByIdempotencyKey(request.idempotencyKey, context) : undefined;
        if (!raced) throw error;
        return sameOrConflict(raced);
      }
      await waitForAction(client, created.action, actionWait, context);
      return mapServer(created.server, basis, today());

      function sameOrConflict(server: HetznerServer): Node<HetznerServer> {
        if (!sameRequest(server, request)) {
          throw new ConflictError(
            `idempotency key ${JSON.stringify(request.idempotencyKey)} was used for server ${server.id} (${server.name}), created from a different request`,
            {
              provider: 'hetzner',
              operation: context.operation,
            },
          );
        }
        return mapServer(server, basis, today());
      }
    },

    rebootNode: (id, context) => runAction(id, 'reboot', context),
    startNode: (id, context) => runAction(id, 'poweron', context),
    stopNode: (id, context) => runAction(id, options.stopMethod ?? 'shutdown', context),

    async destroyNode(id, context) {
      if (!/^\d+$/.test(id)) return;
      try {
        const response = await client.request(call(context, { method: 'DELETE', path: urlPath`/servers/${id}`, nodeId: id }));
        const action = (response.data as { action?: HetznerAction } | undefined)?.action;
        if (action) await waitForAction(client, action, actionWait, context);
      } catch (error) {
        if (isNodeNotFoundError(error)) return;
        throw error;
      }
    },
  });
}

export type { HetznerServer, HetznerPriceBasis, HetznerProviderOptions };
export type {
  HetznerImage,
  HetznerLocation,
  HetznerLocationPrice,
  HetznerPriceAmount,
  HetznerServerType,
  HetznerServerStatus,
} from './api.js';
