/**
 * The DigitalOcean driver: droplets through the API v2, as a `defineRestDriver` spec.
 *
 * Credentials: `token`, else `DIGITALOCEAN_TOKEN`, else `DIGITALOCEAN_ACCESS_TOKEN` (doctl's).
 * Creates are made safe to repeat with a tag (DigitalOcean takes no idempotency token): the
 * droplet is tagged with a hash of the idempotency key, and a create first looks for a droplet
 * carrying that tag (checked on the client: the server's `tag_name` filter is only a hint).
 *
 * @module polycloud/providers/digitalocean
 */
import {
  fullCapabilities,
  CloudError,
  defineRestDriver,
  keyPairOf,
  linkPaging,
  urlPath,
  type Driver,
  type RestActionOptions,
  type RestDriverOptions,
} from '../../src/kit.js';
import type { DoAction, DoCreateDropletBody, DoDroplet, DoImage, DoLinks, DoRegion, DoSize, DoSshKey } from './api.js';
import { parseDigitalOceanError } from './errors.js';
import { DO_TAG_PATTERN, idempotencyTag, mapDroplet, mapImage, mapRegion, mapSize, toDoTags } from './map.js';
import { checkDoPlaces } from './places.js';
import { checkAction, checkDoImage, checkDoRegion, checkDoSize, checkDoSshKey, checkDroplet } from './schemas.js';
import { regionFacts } from './regions.js';
import { DIGITALOCEAN_LIMITS, checkCreate, type DigitalOceanProviderOptions } from './rules.js';

/** The public API host. */
export const DIGITALOCEAN_ENDPOINT = 'https://api.digitalocean.com';

/**
 * Options of the DigitalOcean driver. All are optional; see `RestDriverOptions` (token, endpoint,
 * `requestTimeoutMs`, retry, `maxConcurrency`, `pageSize` (1–200, default 200), logger, clock) and
 * `RestActionOptions` (`waitForActions`, `actionPollIntervalMs` default 2 000, `actionTimeoutMs`).
 */
export interface DigitalOceanDriverOptions extends RestDriverOptions, RestActionOptions {}

/** A DigitalOcean driver; `Node.raw` is the API's droplet object. */
export type DigitalOceanDriver = Driver<DoDroplet, DigitalOceanProviderOptions>;

const DROPLET_ID = { pattern: /^[1-9]\d{0,17}$/, description: 'a DigitalOcean droplet id (a positive integer)' };

/** Creates a DigitalOcean driver. */
export const createDigitalOceanDriver: (options?: DigitalOceanDriverOptions) => DigitalOceanDriver = defineRestDriver<
  DoDroplet,
  DigitalOceanProviderOptions,
  DigitalOceanDriverOptions
>({
  provider: 'digitalocean',
  defaultEndpoint: DIGITALOCEAN_ENDPOINT,
  tokenEnv: ['DIGITALOCEAN_TOKEN', 'DIGITALOCEAN_ACCESS_TOKEN'],
  capabilities: fullCapabilities({ idempotency: 'tag', locationKind: 'region', keyPairs: true }),
  limits: DIGITALOCEAN_LIMITS,
  idPatterns: { node: DROPLET_ID },
  transport: { parseErrorBody: parseDigitalOceanError, requestIdHeaders: ['x-request-id'], rateLimitResetHeaders: ['ratelimit-reset'] },
  paging: linkPaging({ maxPageSize: 200, link: (body) => (body as { links?: DoLinks }).links?.pages?.next }),
  defaults: { actionPollIntervalMs: 2_000 },

  locations: {
    path: '/v2/regions',
    field: 'regions',
    validate: checkDoRegion,
    map(region: DoRegion, _query, runtime) {
      if (!region.available) return undefined;
      const location = mapRegion(region);
      if (!location)
        runtime.logger.warn(`digitalocean: region ${region.slug} is not in polycloud's region table; left out of listLocations`);
      return location;
    },
  },

  sizes: {
    path: '/v2/sizes',
    field: 'sizes',
    validate: checkDoSize,
    map: (size: DoSize, query, runtime) =>
      size.available === false || (query.location !== undefined && !size.regions.includes(query.location))
        ? undefined
        : mapSize(size, runtime.asOf(), query.location),
    // A region in the facts table is known even when it offers no size right now.
    async locationKnown(location, runtime, context) {
      if (regionFacts(location)) return true;
      const sizes = (await runtime.listAll(context, '/v2/sizes', 'sizes', { validate: checkDoSize })) as DoSize[];
      return sizes.some((size) => size.regions.includes(location));
    },
  },

  images: {
    path: '/v2/images',
    field: 'images',
    validate: checkDoImage,
    query: () => ({ type: 'distribution' }),
    map: (image: DoImage, query) =>
      (image.status === undefined || image.status === 'available') &&
      (query.location === undefined || image.regions.includes(query.location))
        ? mapImage(image)
        : undefined,
  },

  nodes: {
    path: '/v2/droplets',
    field: 'droplets',
    validate: checkDroplet,
    // The API filters by one tag; the core applies the rest of the query.
    push(query) {
      const tag = Object.entries(query.tags ?? {})
        .map(([key, value]) => toDoTags({ [key]: value })[0] as string)
        .find((each) => DO_TAG_PATTERN.test(each));
      return tag ? { query: { tag_name: tag } } : {};
    },
    get: { path: (id) => urlPath`/v2/droplets/${id}`, field: 'droplet' },
    mapper: (runtime) => {
      const asOf = runtime.asOf();
      return (droplet) => mapDroplet(droplet, asOf);
    },
  },

  create: {
    path: '/v2/droplets',
    field: 'droplet',
    body(request, sshKeys): DoCreateDropletBody {
      const extra = request.providerOptions ?? {};
      return {
        name: request.name,
        region: request.locationId,
        size: request.sizeId,
        image: request.imageId,
        tags: [...toDoTags(request.tags), idempotencyTag(request.idempotencyKey)],
        ...(sshKeys.length > 0 ? { ssh_keys: [...sshKeys] } : {}),
        ...(request.userData !== undefined ? { user_data: request.userData } : {}),
        ...(extra.vpcUuid !== undefined ? { vpc_uuid: extra.vpcUuid } : {}),
        ...(extra.ipv6 !== undefined ? { ipv6: extra.ipv6 } : {}),
        ...(extra.monitoring !== undefined ? { monitoring: extra.monitoring } : {}),
        ...(extra.backups !== undefined ? { backups: extra.backups } : {}),
      };
    },
  },

  idempotency: {
    filter: (key) => ({ query: { tag_name: idempotencyTag(key) } }),
    carries: (droplet, key) => (droplet.tags ?? []).includes(idempotencyTag(key)),
    matches: (droplet, request) =>
      droplet.name === request.name &&
      droplet.region.slug === request.locationId &&
      droplet.size_slug === request.sizeId &&
      (droplet.image?.slug ?? String(droplet.image?.id)) === request.imageId,
  },

  routes: {
    reboot: { path: (id) => urlPath`/v2/droplets/${id}/actions`, body: () => ({ type: 'reboot' }) },
    start: { path: (id) => urlPath`/v2/droplets/${id}/actions`, body: () => ({ type: 'power_on' }), satisfiedBy: 'running' },
    stop: { path: (id) => urlPath`/v2/droplets/${id}/actions`, body: () => ({ type: 'power_off' }), satisfiedBy: 'stopped' },
    destroy: { path: (id) => urlPath`/v2/droplets/${id}` },
  },

  actions: {
    field: 'action',
    validate: checkAction,
    path: (action) => urlPath`/v2/actions/${String(action.id)}`,
    status: (action) =>
      (action as unknown as DoAction).status === 'completed' ? 'done' : action.status === 'errored' ? 'failed' : 'running',
    describe: (action) => `action ${String(action.type)} (id ${String(action.id)}) to complete`,
    failure(action, operation, nodeId) {
      const { type, id, region_slug: region } = action as unknown as DoAction;
      return new CloudError(`droplet ${nodeId ?? '?'}: action ${type} (id ${id}) errored`, {
        provider: 'digitalocean',
        operation,
        code: 'action_errored',
        ...(region ? { location: region } : {}),
      });
    },
  },

  // A droplet does not list its keys: each carries a `polycloud-key:<id>` tag per key it was created with.
  keyMarks: { style: 'tags', field: 'tags' },

  sshKeys: {
    list: { path: '/v2/account/keys', field: 'ssh_keys' },
    get: { path: (fingerprint) => urlPath`/v2/account/keys/${fingerprint}`, field: 'ssh_key' },
    create: { path: '/v2/account/keys', field: 'ssh_key', body: (publicKey, name) => ({ name, public_key: publicKey }) },
    delete: { path: (id) => urlPath`/v2/account/keys/${id}` },
    map: (entry) => {
      const key = entry as DoSshKey;
      return keyPairOf('digitalocean', { id: key.id, name: key.name, publicKey: key.public_key, fingerprint: key.fingerprint });
    },
    // A droplet takes registered keys by fingerprint.
    reference: (_key, fingerprint) => fingerprint,
    validate: checkDoSshKey,
  },

  validateCreate: checkCreate,
  checkPlaces: checkDoPlaces,
});

export type { DoDroplet, DoSize, DoRegion, DoImage, DoAction, DoActionStatus, DoNetworkV4, DoNetworkV6 } from './api.js';
export type { DigitalOceanProviderOptions } from './rules.js';
export { DO_STATE_MAP, fromDoTags, toDoTags, idempotencyTag } from './map.js';
/** DigitalOcean's fingerprint of an OpenSSH public key: MD5 of the key blob, as colon-separated hex. */
export { md5Fingerprint as sshKeyFingerprint } from '../../src/kit.js';
