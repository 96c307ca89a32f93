/**
 * The OpenStack driver (Nova + Glance, authenticated by Keystone v3), on `polycloud/kit`: the REST
 * transport (`createRestClient`: retries, Retry-After, bounds, typed errors), the kit's listing
 * guard and `defineDriver` (whose `waitForNode` polls with the kit's `pollUntil`; the driver has no
 * polling loop of its own). Not a `defineRestDriver` spec: Keystone's renewable token, two
 * services from its catalog and the resume-after-renewal listing do not fit one spec.
 * Works with any OpenStack cloud: OVHcloud, Infomaniak, Cleura, a private cloud. Nodes are Nova
 * servers in one region; locations are its availability zones.
 *
 * @module polycloud/providers/openstack
 */
import { randomUUID } from 'node:crypto';
import {
  ListingGuard,
  fullCapabilities,
  Secret,
  createRestClient,
  isConflictError,
  defineDriver,
  invalid,
  isAuthenticationError,
  isNotFoundError,
  isRetryableError,
  makePrice,
  safeLogger,
  systemClock,
  type Clock,
  type Driver,
  type DriverContext,
  type Logger,
  type NormalizedNodeQuery,
  type Price,
  malformedResponse,
  type RestClient,
  type RestRequest,
  type RestResponse,
  type RetryOptions,
  type TransportBounds,
} from '../../src/kit.js';
import { resolveOpenStackConfig, type OpenStackCredentialOptions } from './config.js';
import { parseOpenStackError } from './errors.js';
import { createKeystone } from './keystone.js';
import {
  IDEMPOTENCY_KEY_METADATA,
  mapFlavor,
  mapImage,
  mapLocation,
  mapServerToNode,
  type GlanceImage,
  type NovaFlavor,
  type NovaServer,
} from './map.js';
import { openStackRegionFacts, type OpenStackRegionFacts } from './regions.js';
import { keyPairName, validateOpenStackCreate, type OpenStackProviderOptions } from './create.js';
import { LIST_CHECKS, checkIdentified, checkNovaServer, checkZone } from './schemas.js';
import { checkEntries, checkEntry } from '../../src/kit.js';

export type { OpenStackProviderOptions } from './create.js';
export type { NovaServer } from './map.js';
export type { OpenStackRegionFacts } from './regions.js';
export { OPENSTACK_ENV } from './config.js';

/** Options of the `openstack` driver. */
export interface OpenStackDriverOptions extends OpenStackCredentialOptions {
  /**
   * Endpoint interface taken from the catalog.
   * @defaultValue `public`
   */
  readonly interface?: 'public' | 'internal' | 'admin';
  /**
   * Hourly prices per flavor name (OpenStack has no price API), e.g. `{ 'b2-7': { hourly: 0.0681, currency: 'EUR' } }`.
   * @defaultValue none, so prices are `null`
   */
  readonly prices?: Readonly<
    Record<
      string,
      {
        /** Price per hour of the flavor, in `currency`. */
        readonly hourly: number;
        /** ISO 4217 currency code, e.g. `EUR`. */
        readonly currency: string;
        /**
         * ISO date the price was taken (`Price.asOf`).
         * @defaultValue the day of the lookup
         */
        readonly asOf?: string;
      }
    >
  >;
  /**
   * Where the region is, for clouds polycloud's table does not know.
   * @defaultValue the table in `providers/openstack/regions.ts`
   */
  readonly regionFacts?: OpenStackRegionFacts;
  /**
   * Retries of requests that are safe to repeat.
   * @defaultValue `DEFAULT_RETRY`
   */
  readonly retry?: RetryOptions;
  /**
   * Longest wait for one HTTP request, in ms.
   * @defaultValue 30000
   */
  readonly requestTimeoutMs?: number;
  /**
   * Body size, page count and listing deadline bounds.
   * @defaultValue `DEFAULT_BOUNDS`
   */
  readonly bounds?: TransportBounds;
  /**
   * The clock token expiry and `waitForNode` run on.
   * @defaultValue the system clock
   */
  readonly clock?: Clock;
  /**
   * Receives retry diagnostics (secrets redacted).
   * @defaultValue nothing is logged
   */
  readonly logger?: Logger;
}

/** An `openstack` driver. `Node.raw` is the Nova server. */
export type OpenStackDriver = Driver<NovaServer, OpenStackProviderOptions>;

/** The Nova microversion the driver speaks: `networks: "auto"` on create (2.37), flavors by id (before 2.47). */
export const NOVA_MICROVERSION = '2.38';
const MAX_PAGE = 1000;

/** Creates an OpenStack driver. Contacts nothing until the first call. */
export function createOpenStackDriver(options: OpenStackDriverOptions = {}): OpenStackDriver {
  const config = resolveOpenStackConfig(options);
  const { region } = config;
  const clock = options.clock ?? systemClock;
  const logger = safeLogger(options.logger);
  const facts = options.regionFacts ?? openStackRegionFacts(region);
  const keystone = createKeystone({
    authUrl: config.authUrl,
    auth: config.auth,
    region,
    interface: options.interface ?? 'public',
    clock,
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.requestTimeoutMs ? { timeoutMs: options.requestTimeoutMs } : {}),
  });

  let clients: Promise<{ compute: RestClient; image: RestClient }> | undefined;
  function services(signal?: AbortSignal) {
    clients ??= keystone.session(signal).then((session) => {
      const make = (endpoint: string) =>
        createRestClient({
          provider: 'openstack',
          endpoint,
          // Never sent: the Keystone token goes in X-Auth-Token, asked for before every attempt.
          token: new Secret(randomUUID()),
          authHeaders: async () => ({ 'X-Auth-Token': (await keystone.session()).token.reveal() }),
          parseErrorBody: parseOpenStackError,
          requestIdHeaders: ['x-openstack-request-id', 'x-compute-request-id'],
          ...(options.retry ? { retry: options.retry } : {}),
          ...(options.requestTimeoutMs ? { timeoutMs: options.requestTimeoutMs } : {}),
          ...(options.logger ? { logger: options.logger } : {}),
          ...(options.bounds ? { bounds: options.bounds } : {}),
        });
      return { compute: make(session.endpoints.compute as string), image: make(session.endpoints.image as string) };
    });
    clients.catch(() => (clients = undefined));
    return clients;
  }

  /** Runs a call; a token the service refused (expired early, revoked) is renewed and the call repeated once. */
  async function authenticated<T>(run: () => Promise<T>): Promise<T> {
    const before = await keystone.session();
    try {
      return await run();
    } catch (error) {
      if (!isAuthenticationError(error)) throw error;
      logger.debug('openstack: the service refused the token; renewing it once');
      keystone.invalidate(before.token);
      return run();
    }
  }

  const nova = (context: DriverContext, request: Omit<RestRequest, 'operation'>) =>
    authenticated(async () =>
      (await services(context.signal)).compute.request<unknown>({
        ...request,
        operation: context.operation,
        headers: { 'OpenStack-API-Version': `compute ${NOVA_MICROVERSION}`, ...request.headers },
        ...(context.signal ? { signal: context.signal } : {}),
      }),
    );

  /**
   * Every page of a marker-paged Nova or Glance listing, through the REST layer's paginator (page
   * cap, listing deadline). A token refused mid-listing is renewed once and the listing resumes
   * after the last item it yielded, so no page is lost or repeated.
   */
  async function* pages<T extends { id: string }>(
    service: 'compute' | 'image',
    context: DriverContext,
    path: string,
    key: string,
    query: Readonly<Record<string, string | number>>,
    hasNext: (data: Record<string, unknown>) => boolean,
  ): AsyncGenerator<T[]> {
    let marker: string | undefined;
    let renewed = false;
    // One page cap and one deadline for the whole listing, across a resume after a token renewal
    // (each `paginate` call keeps its own as well).
    const guard = new ListingGuard({ provider: 'openstack', operation: context.operation }, options.bounds, clock);
    for (;;) {
      const client = (await services(context.signal))[service];
      const session = await keystone.session(context.signal);
      const first: RestRequest = {
        method: 'GET',
        path,
        query: { ...query, ...(marker ? { marker } : {}) },
        operation: context.operation,
        ...(service === 'compute' ? { headers: { 'OpenStack-API-Version': `compute ${NOVA_MICROVERSION}` } } : {}),
        ...(context.signal ? { signal: context.signal } : {}),
      };
      try {
        for await (const response of client.paginate<Record<string, unknown>>(first, (page) => {
          const items = itemsOf<T>(page, key, context);
          const last = items[items.length - 1];
          return last && hasNext(page.data) ? { query: { marker: last.id } } : undefined;
        })) {
          guard.beforePage();
          const items = itemsOf<T>(response, key, context);
          if (items.length > 0) marker = (items[items.length - 1] as T).id;
          yield items;
        }
        return;
      } catch (error) {
        if (!isAuthenticationError(error) || renewed) throw error;
        renewed = true;
        logger.debug('openstack: the service refused the token during a listing; renewing it and resuming');
        keystone.invalidate(session.token);
      }
    }
  }

  const nextLink = (key: string) => (data: Record<string, unknown>) =>
    Array.isArray(data[key]) && (data[key] as { rel?: string }[]).some((link) => link.rel === 'next');

  function priceOf(flavorName: string | undefined): Price | null {
    const entry = flavorName ? options.prices?.[flavorName] : undefined;
    if (!entry) return null;
    return makePrice(entry.hourly, {
      currency: entry.currency,
      source: 'catalog',
      asOf: entry.asOf ?? new Date(clock.now()).toISOString().slice(0, 10),
    });
  }

  let flavorNames: Promise<Map<string, string>> | undefined;
  async function flavorName(id: string | undefined, context: DriverContext): Promise<string | undefined> {
    if (!options.prices || !id) return undefined;
    flavorNames ??= (async () => {
      const names = new Map<string, string>();
      for await (const page of pages<NovaFlavor>(
        'compute',
        context,
        '/flavors/detail',
        'flavors',
        { limit: MAX_PAGE },
        nextLink('flavors_links'),
      ))
        for (const flavor of page) names.set(flavor.id, flavor.name ?? flavor.id);
      return names;
    })();
    flavorNames.catch(() => (flavorNames = undefined));
    return (await flavorNames).get(id);
  }

  const toNode = async (server: NovaServer, context: DriverContext) =>
    mapServerToNode(server, region, facts, priceOf(await flavorName(server.flavor?.id, context)));

  async function getServer(id: string, context: DriverContext): Promise<NovaServer> {
    const response = await nova(context, { method: 'GET', path: `/servers/${encodeURIComponent(id)}`, nodeId: id });
    const server = (response.data as { server?: NovaServer } | null)?.server;
    return checkEntry(checkNovaServer, server as NovaServer, {
      provider: 'openstack',
      operation: context.operation,
      statusCode: response.status,
      ...(response.requestId ? { requestId: response.requestId } : {}),
    });
  }

  async function findByKey(name: string, key: string, context: DriverContext): Promise<NovaServer | undefined> {
    for await (const page of pages<NovaServer>(
      'compute',
      context,
      '/servers/detail',
      'servers',
      { name: `^${escapeRegExp(name)}$`, limit: MAX_PAGE },
      nextLink('servers_links'),
    )) {
      // Tag-then-check: the key is verified here, on the client, not trusted to the server's filter.
      const found = page.find(
        (server) => server.name === name && server.metadata?.[IDEMPOTENCY_KEY_METADATA] === key && server.status !== 'DELETED',
      );
      if (found) return found;
    }
    return undefined;
  }

  async function ensureKeyPair(publicKey: string, context: DriverContext): Promise<string> {
    const name = keyPairName(publicKey);
    try {
      await nova(context, { method: 'POST', path: '/os-keypairs', body: { keypair: { name, public_key: publicKey } }, idempotent: false });
    } catch (error) {
      // 409: a key pair of that name (the key's own fingerprint) already exists.
      if (!isConflictError(error)) throw error;
    }
    return name;
  }

  let zoneNames: Promise<Set<string>> | undefined;
  /** Unknown flavor, image or zone → `InvalidRequestError` naming the field, before anything is created. */
  async function checkCreatePlaces(sizeId: string, imageId: string, locationId: string, context: DriverContext): Promise<void> {
    const exists = async (fetch: () => Promise<unknown>) => {
      try {
        await fetch();
        return true;
      } catch (error) {
        if (isNotFoundError(error)) return false;
        throw error;
      }
    };
    zoneNames ??= nova(context, { method: 'GET', path: '/os-availability-zone' }).then(
      (response) =>
        new Set(
          ((response.data as { availabilityZoneInfo?: { zoneName?: string }[] }).availabilityZoneInfo ?? []).map(
            (zone) => zone.zoneName ?? '',
          ),
        ),
    );
    zoneNames.catch(() => (zoneNames = undefined));
    const [flavorFound, imageFound, zones] = await Promise.all([
      exists(() => nova(context, { method: 'GET', path: `/flavors/${encodeURIComponent(sizeId)}` })),
      exists(() =>
        authenticated(async () =>
          (await services(context.signal)).image.request({
            method: 'GET',
            path: `/v2/images/${encodeURIComponent(imageId)}`,
            operation: context.operation,
            ...(context.signal ? { signal: context.signal } : {}),
          }),
        ),
      ),
      zoneNames,
    ]);
    const check = { provider: 'openstack', operation: context.operation };
    if (!flavorFound) invalid(check, 'size', `a flavor of region ${region}`, sizeId);
    if (!imageFound) invalid(check, 'image', `an image of region ${region}`, imageId);
    if (locationId !== region && !zones.has(locationId))
      invalid(check, 'location', `${region} or one of its availability zones (${[...zones].join(', ')})`, locationId);
  }

  const action = (body: unknown) => async (id: string, context: DriverContext) => {
    await nova(context, { method: 'POST', path: `/servers/${encodeURIComponent(id)}/action`, body, nodeId: id, idempotent: false });
  };

  return defineDriver<NovaServer, OpenStackProviderOptions>({
    provider: 'openstack',
    capabilities: fullCapabilities({ idempotency: 'tag', locationKind: 'zone' }),
    limits: { maxNameLength: 255, maxTags: 128, maxTagKeyLength: 255, maxTagValueLength: 255, maxUserDataBytes: 65_535 },
    nodeIdPattern: { pattern: /^[0-9a-fA-F-]{1,64}$/, description: 'a Nova server id (UUID)' },
    clock,
    description: { region, authUrl: config.authUrl, auth: config.auth.type },

    async listLocations(context) {
      const response = await nova(context, { method: 'GET', path: '/os-availability-zone' });
      const listed = (response.data as { availabilityZoneInfo?: { zoneName?: string; zoneState?: { available?: boolean } }[] } | null)
        ?.availabilityZoneInfo;
      const zones = checkEntries(checkZone, listed, { provider: 'openstack', operation: context.operation })
        .filter((zone) => zone.zoneName && zone.zoneState?.available !== false)
        .map((zone) => mapLocation(zone.zoneName as string, 'zone', region, facts));
      return [mapLocation(region, 'region', region, facts), ...zones];
    },

    async listSizes(_query, context) {
      const sizes = [];
      for await (const page of pages<NovaFlavor>(
        'compute',
        context,
        '/flavors/detail',
        'flavors',
        { limit: MAX_PAGE },
        nextLink('flavors_links'),
      ))
        for (const flavor of page) sizes.push(mapFlavor(flavor, region, priceOf(flavor.name)));
      return sizes.sort((a, b) => a.vcpus - b.vcpus || a.memoryGiB - b.memoryGiB || a.id.localeCompare(b.id));
    },

    async listImages(query, context) {
      const images = [];
      for await (const page of pages<GlanceImage>(
        'image',
        context,
        '/v2/images',
        'images',
        { limit: MAX_PAGE, status: 'active' },
        (data) => typeof data.next === 'string',
      ))
        images.push(...page.map(mapImage));
      return images
        .filter((image) => query.os === undefined || image.os?.family === query.os.toLowerCase())
        .filter((image) => query.version === undefined || image.os?.version === query.version)
        .filter((image) => query.arch === undefined || image.arch === query.arch);
    },

    async *listNodePages(query: NormalizedNodeQuery, context) {
      const limit = Math.min(query.pageSize ?? MAX_PAGE, MAX_PAGE);
      for await (const page of pages<NovaServer>('compute', context, '/servers/detail', 'servers', { limit }, nextLink('servers_links'))) {
        yield await Promise.all(page.map((server) => toNode(server, context)));
      }
    },

    getNode: async (id, context) => toNode(await getServer(id, context), context),

    async createNode(request, context) {
      const existing = await findByKey(request.name, request.idempotencyKey, context);
      if (existing) return toNode(await getServer(existing.id, context), context);
      await checkCreatePlaces(request.sizeId, request.imageId, request.locationId, context);
      const keyName = request.sshKeys[0] ? await ensureKeyPair(request.sshKeys[0], context) : undefined;
      const zone = request.locationId === region ? undefined : request.locationId;
      const body = {
        server: {
          name: request.name,
          imageRef: request.imageId,
          flavorRef: request.sizeId,
          networks: request.providerOptions?.networks ?? 'auto',
          metadata: { ...request.tags, [IDEMPOTENCY_KEY_METADATA]: request.idempotencyKey },
          ...(zone ? { availability_zone: zone } : {}),
          ...(keyName ? { key_name: keyName } : {}),
          ...(request.userData === undefined ? {} : { user_data: Buffer.from(request.userData, 'utf8').toString('base64') }),
          ...(request.providerOptions?.securityGroups
            ? { security_groups: request.providerOptions.securityGroups.map((name) => ({ name })) }
            : {}),
        },
      };
      let created: { server?: { id?: string } } | undefined;
      for (let attempt = 0; ; attempt++) {
        try {
          created = (await nova(context, { method: 'POST', path: '/servers', body, idempotent: false })).data as {
            server?: { id?: string };
          };
          break;
        } catch (error) {
          // The answer may be lost after Nova accepted the server: look for it by its key before sending again.
          if (!isRetryableError(error) || attempt >= 2) throw error;
          const found = await findByKey(request.name, request.idempotencyKey, context);
          if (found) return toNode(await getServer(found.id, context), context);
        }
      }
      const id = created?.server?.id;
      if (typeof id !== 'string' || id === '') {
        // Nova accepted something but did not say what: find it by its key rather than guess.
        const found = await findByKey(request.name, request.idempotencyKey, context);
        if (found) return toNode(await getServer(found.id, context), context);
        throw malformedResponse('the create answer has no server id', { provider: 'openstack', operation: context.operation }, 202);
      }
      return toNode(await getServer(id, context), context);
    },

    rebootNode: action({ reboot: { type: 'SOFT' } }),
    startNode: action({ 'os-start': null }),
    stopNode: action({ 'os-stop': null }),

    async destroyNode(id, context) {
      try {
        await nova(context, { method: 'DELETE', path: `/servers/${encodeURIComponent(id)}`, nodeId: id });
      } catch (error) {
        if (!isNotFoundError(error)) throw error;
      }
    },

    validateCreate: validateOpenStackCreate,
  });
}

/** The list under `key` of a listing answer; anything else is a malformed answer, never an empty page. */
function itemsOf<T extends { id: string }>(
  response: Pick<RestResponse<Record<string, unknown>>, 'data'> & Partial<Pick<RestResponse, 'status' | 'requestId'>>,
  key: string,
  context: DriverContext,
): T[] {
  const items = (response.data as Record<string, unknown> | null | undefined)?.[key];
  const where = { provider: 'openstack', operation: context.operation, statusCode: response.status ?? 200 } as const;
  if (!Array.isArray(items)) {
    throw malformedResponse(`the answer has no "${key}" list`, where, where.statusCode, response.requestId);
  }
  // Every entry fits its schema (an id at least), or the whole answer is one error naming the field.
  return checkEntries(LIST_CHECKS[key] ?? checkIdentified, items as T[], {
    ...where,
    ...(response.requestId ? { requestId: response.requestId } : {}),
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
