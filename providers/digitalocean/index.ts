/**
 * The DigitalOcean driver: droplets through the API v2 on the shared REST layer.
 *
 * Credentials: `token`, else the `DIGITALOCEAN_TOKEN` environment variable. Creates are made safe
 * to repeat with a tag (DigitalOcean takes no idempotency token): the droplet is tagged with a hash
 * of the idempotency key, and a create first looks for a droplet with that tag.
 *
 * @module
 */
import type { TransportBounds } from '../../src/core/limits.js';
import { systemClock, type Clock } from '../../src/core/clock.js';
import { defineDriver, type Driver, type DriverContext } from '../../src/core/driver.js';
import {
  ConfigurationError,
  ConflictError,
  InvalidRequestError,
  isConflictError,
  isInvalidRequestError,
  isNodeNotFoundError,
} from '../../src/core/errors.js';
import { createRestClient, field, malformedResponse, urlPath, type RestClient } from '../../src/rest/index.js';
import type { Logger } from '../../src/core/logger.js';
import { withRetry, type RetryOptions } from '../../src/core/retry.js';
import { Secret } from '../../src/core/secrets.js';
import { invalid } from '../../src/core/validate.js';
import type { Image, Location, Size } from '../../src/core/types.js';
import { startDropletAction, waitForAction, type DropletActionType } from './actions.js';
import type { DoCreateDropletBody, DoDroplet, DoImage, DoLinks, DoRegion, DoSize } from './api.js';
import { parseDigitalOceanError } from './errors.js';
import { DO_TAG_PATTERN, idempotencyTag, isoDate, mapDroplet, mapImage, mapRegion, mapSize, toDoTags } from './map.js';
import { regionFacts } from './regions.js';
import { DIGITALOCEAN_LIMITS, checkCreate, type DigitalOceanProviderOptions } from './rules.js';
import { ensureSshKeys } from './ssh-keys.js';

/** The public API host. */
export const DIGITALOCEAN_ENDPOINT = 'https://api.digitalocean.com';

/** Options of the DigitalOcean driver. All are optional. */
export interface DigitalOceanDriverOptions {
  /** API token. Default: the `DIGITALOCEAN_TOKEN` environment variable. */
  readonly token?: string;
  /** API base URL. Default: `https://api.digitalocean.com`. Plain `http:` only for loopback. */
  readonly endpoint?: string;
  /** Retries of failed requests that are safe to repeat. Default: see `DEFAULT_RETRY`. */
  readonly retry?: RetryOptions;
  /** Per-request timeout in ms. Default: 30 000. */
  readonly timeoutMs?: number;
  /** Largest answer, most pages and longest time of one listing. Default: `DEFAULT_BOUNDS`. */
  readonly bounds?: TransportBounds;
  /** Droplets per page when listing (1–200). Default: 200, the API's maximum. */
  readonly pageSize?: number;
  /**
   * Whether `rebootNode`, `startNode` and `stopNode` wait for the droplet action to complete (and
   * fail when it errors). Default: true.
   */
  readonly waitForActions?: boolean;
  /** Pause between polls of a droplet action, in ms. Default: 2 000. */
  readonly actionPollIntervalMs?: number;
  /** Longest wait for a droplet action, in ms. Default: 600 000. */
  readonly actionTimeoutMs?: number;
  /** Clock for waits and price dates. Default: the system clock. */
  readonly clock?: Clock;
  /** Where retries and skipped regions are reported. Default: nowhere. */
  readonly logger?: Logger;
}

/** A DigitalOcean driver; `Node.raw` is the API's droplet object. */
export type DigitalOceanDriver = Driver<DoDroplet, DigitalOceanProviderOptions>;

const MAX_PAGE_SIZE = 200;
const DROPLET_ID_PATTERN = /^[1-9]\d{0,17}$/;

/** Creates a DigitalOcean driver. */
export function createDigitalOceanDriver(options: DigitalOceanDriverOptions = {}): DigitalOceanDriver {
  const token = options.token ?? process.env.DIGITALOCEAN_TOKEN;
  if (token === undefined || token === '') {
    throw new ConfigurationError('no API token: pass "token" or set DIGITALOCEAN_TOKEN', {
      provider: 'digitalocean',
      operation: 'createDriver',
    });
  }
  const pageSize = options.pageSize ?? MAX_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new InvalidRequestError(`"pageSize" must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${String(pageSize)}`, {
      provider: 'digitalocean',
      operation: 'configure',
      field: 'pageSize',
    });
  }
  const clock = options.clock ?? systemClock;
  const endpoint = options.endpoint ?? DIGITALOCEAN_ENDPOINT;
  const client: RestClient = createRestClient({
    provider: 'digitalocean',
    endpoint,
    token: new Secret(token),
    parseErrorBody: parseDigitalOceanError,
    requestIdHeaders: ['x-request-id'],
    rateLimitResetHeaders: ['ratelimit-reset'],
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.bounds ? { bounds: options.bounds } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const actionWait = {
    clock,
    intervalMs: options.actionPollIntervalMs ?? 2_000,
    timeoutMs: options.actionTimeoutMs ?? 600_000,
  };
  const today = () => isoDate(clock.now());
  const base = (context: DriverContext) => ({ operation: context.operation, ...(context.signal ? { signal: context.signal } : {}) });
  const shapeContext = (context: DriverContext) => ({ provider: 'digitalocean' as const, operation: context.operation });

  /** Every item of a paginated collection (`links.pages.next`). */
  async function listAll<T>(path: string, key: string, query: Record<string, string | number>, context: DriverContext): Promise<T[]> {
    const items: T[] = [];
    for await (const page of client.paginate(
      { ...base(context), method: 'GET', path, query: { ...query, per_page: MAX_PAGE_SIZE } },
      nextPage,
    )) {
      items.push(...(field(page, key, 'array', shapeContext(context)) as T[]));
    }
    return items;
  }

  function dropletOf(value: unknown, context: DriverContext): DoDroplet {
    const droplet = value as Partial<DoDroplet> | null;
    if (
      typeof droplet !== 'object' ||
      droplet === null ||
      typeof droplet.id !== 'number' ||
      typeof droplet.name !== 'string' ||
      typeof droplet.status !== 'string' ||
      typeof droplet.region?.slug !== 'string'
    ) {
      throw malformedResponse('a droplet without "id", "name", "status" or "region.slug"', shapeContext(context), 200);
    }
    return droplet as DoDroplet;
  }

  function checkDropletId(id: string, context: DriverContext): string {
    if (!DROPLET_ID_PATTERN.test(id))
      invalid({ provider: 'digitalocean', operation: context.operation }, 'id', 'a DigitalOcean droplet id (a positive integer)', id);
    return id;
  }

  async function findByTag(tag: string, context: DriverContext, retry?: RetryOptions): Promise<DoDroplet[]> {
    const found: DoDroplet[] = [];
    for await (const page of client.paginate(
      {
        ...base(context),
        method: 'GET',
        path: '/v2/droplets',
        query: { tag_name: tag, per_page: MAX_PAGE_SIZE },
        ...(retry ? { retry } : {}),
      },
      nextPage,
    )) {
      for (const item of field(page, 'droplets', 'array', shapeContext(context))) found.push(dropletOf(item, context));
    }
    return found;
  }

  async function runAction(id: string, type: DropletActionType, alreadyThere: string | undefined, context: DriverContext): Promise<void> {
    checkDropletId(id, context);
    let action;
    try {
      action = await startDropletAction(client, id, type, base(context));
    } catch (error) {
      // Powering off an off droplet (or on an active one) is refused with 422; the caller's goal is met.
      if (alreadyThere && (isInvalidRequestError(error) || isConflictError(error))) {
        const current = await client.request({ ...base(context), method: 'GET', path: urlPath`/v2/droplets/${id}`, nodeId: id });
        if (dropletOf(field(current, 'droplet', 'object', shapeContext(context)), context).status === alreadyThere) return;
      }
      throw error;
    }
    if (options.waitForActions ?? true) await waitForAction(client, action, actionWait, { ...base(context), nodeId: id });
  }

  return defineDriver<DoDroplet, DigitalOceanProviderOptions>({
    provider: 'digitalocean',
    capabilities: { startStop: true, reboot: true, userData: true, sshKeys: true, tags: true, idempotency: 'tag', locationKind: 'region' },
    limits: DIGITALOCEAN_LIMITS,
    clock,
    description: { endpoint: client.endpoint },

    async listLocations(context) {
      const regions = await listAll<DoRegion>('/v2/regions', 'regions', {}, context);
      const locations: Location[] = [];
      for (const region of regions) {
        if (!region.available) continue;
        const location = mapRegion(region);
        if (location) locations.push(location);
        else options.logger?.warn?.(`digitalocean: region ${region.slug} is not in polycloud's region table; left out of listLocations`);
      }
      return locations;
    },

    async listSizes(query, context) {
      const sizes = await listAll<DoSize>('/v2/sizes', 'sizes', {}, context);
      if (
        query.location !== undefined &&
        !regionFacts(query.location) &&
        !sizes.some((size) => size.regions.includes(query.location as string))
      ) {
        invalid(
          { provider: 'digitalocean', operation: context.operation },
          'query.location',
          'a DigitalOcean region slug such as "fra1"',
          query.location,
        );
      }
      const asOf = today();
      return sizes
        .filter((size) => size.available !== false)
        .filter((size) => query.location === undefined || size.regions.includes(query.location))
        .map((size): Size => mapSize(size, asOf, query.location));
    },

    async listImages(query, context) {
      const images = await listAll<DoImage>('/v2/images', 'images', { type: 'distribution' }, context);
      return images
        .filter((image) => image.status === undefined || image.status === 'available')
        .filter((image) => query.location === undefined || image.regions.includes(query.location))
        .map((image) => ({ image, mapped: mapImage(image) }))
        .filter(({ mapped }) => query.os === undefined || mapped.os?.family === query.os.toLowerCase())
        .filter(({ mapped }) => query.version === undefined || mapped.os?.version === query.version)
        .filter(({ mapped }) => query.arch === undefined || mapped.arch === query.arch)
        .sort((a, b) => (b.image.created_at ?? '').localeCompare(a.image.created_at ?? ''))
        .map(({ mapped }): Image => mapped);
    },

    async *listNodePages(query, context) {
      // The API filters by one tag; the core applies the rest of the query.
      const pushed = Object.entries(query.tags ?? {})
        .map(([key, value]) => toDoTags({ [key]: value })[0] as string)
        .find((tag) => DO_TAG_PATTERN.test(tag));
      const perPage = Math.min(query.pageSize ?? pageSize, MAX_PAGE_SIZE);
      const asOf = today();
      for await (const page of client.paginate(
        { ...base(context), method: 'GET', path: '/v2/droplets', query: { per_page: perPage, ...(pushed ? { tag_name: pushed } : {}) } },
        nextPage,
      )) {
        yield field(page, 'droplets', 'array', shapeContext(context)).map((item) => mapDroplet(dropletOf(item, context), asOf));
      }
    },

    async getNode(id, context) {
      checkDropletId(id, context);
      const response = await client.request({ ...base(context), method: 'GET', path: urlPath`/v2/droplets/${id}`, nodeId: id });
      return mapDroplet(dropletOf(field(response, 'droplet', 'object', shapeContext(context)), context), today());
    },

    validateCreate(request, check) {
      checkCreate(request, check);
    },

    async createNode(request, context) {
      const tag = idempotencyTag(request.idempotencyKey);
      const sshKeys = await ensureSshKeys(client, request.sshKeys, base(context));
      const options_ = request.providerOptions ?? {};
      const body: DoCreateDropletBody = {
        name: request.name,
        region: request.locationId,
        size: request.sizeId,
        image: request.imageId,
        tags: [...toDoTags(request.tags), tag],
        ...(sshKeys.length > 0 ? { ssh_keys: sshKeys } : {}),
        ...(request.userData !== undefined ? { user_data: request.userData } : {}),
        ...(options_.vpcUuid !== undefined ? { vpc_uuid: options_.vpcUuid } : {}),
        ...(options_.ipv6 !== undefined ? { ipv6: options_.ipv6 } : {}),
        ...(options_.monitoring !== undefined ? { monitoring: options_.monitoring } : {}),
        ...(options_.backups !== undefined ? { backups: options_.backups } : {}),
      };
      // Each attempt first looks for a droplet carrying the key's tag, so a create retried after
      // a lost answer or a 5xx returns the droplet the first attempt made instead of a second one.
      const once = { retries: 0 };
      const droplet = await withRetry(
        async () => {
          const [existing] = await findByTag(tag, context, once);
          if (existing) {
            if (
              existing.name !== body.name ||
              existing.region.slug !== body.region ||
              existing.size_slug !== body.size ||
              (existing.image?.slug ?? String(existing.image?.id)) !== body.image
            ) {
              throw new ConflictError(
                `idempotency key ${JSON.stringify(request.idempotencyKey)} was used for a different droplet (${existing.id})`,
                {
                  provider: 'digitalocean',
                  operation: context.operation,
                },
              );
            }
            return existing;
          }
          const response = await client.request({ ...base(context), method: 'POST', path: '/v2/droplets', body, retry: once });
          return dropletOf(field(response, 'droplet', 'object', shapeContext(context)), context);
        },
        options.retry,
        { idempotent: true, ...(context.signal ? { signal: context.signal } : {}) },
      );
      return mapDroplet(droplet, today());
    },

    rebootNode: (id, context) => runAction(id, 'reboot', undefined, context),
    startNode: (id, context) => runAction(id, 'power_on', 'active', context),
    stopNode: (id, context) => runAction(id, 'power_off', 'off', context),

    async destroyNode(id, context) {
      checkDropletId(id, context);
      try {
        await client.request({ ...base(context), method: 'DELETE', path: urlPath`/v2/droplets/${id}`, nodeId: id });
      } catch (error) {
        if (isNodeNotFoundError(error)) return;
        throw error;
      }
    },
  });
}

/** The next page of a DigitalOcean list: `links.pages.next`, an absolute URL on the API host. */
function nextPage(page: { readonly data: unknown }) {
  const next = (page.data as { links?: DoLinks } | undefined)?.links?.pages?.next;
  return typeof next === 'string' && next !== '' ? { link: next } : undefined;
}

export type { DoDroplet, DoSize, DoRegion, DoImage, DoAction, DoActionStatus, DoNetworkV4, DoNetworkV6 } from './api.js';
export type { DigitalOceanProviderOptions } from './rules.js';
export { DO_STATE_MAP, fromDoTags, toDoTags, idempotencyTag } from './map.js';
export { sshKeyFingerprint } from './ssh-keys.js';
