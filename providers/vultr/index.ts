/**
 * The `vultr` provider: Vultr instances through the Vultr API v2 (`https://api.vultr.com/v2`), as
 * a `defineRestDriver` spec.
 *
 * Credentials: `token`, else `VULTR_API_KEY` (the variable Vultr's own CLI reads), sent as a
 * bearer token. Vultr takes no idempotency token: each instance is tagged with a digest of the
 * idempotency key, and a create first looks for an instance carrying that tag (checked on the
 * client: the server's `tag` filter is only a hint). Start, halt and reboot answer at once (204);
 * `waitForNode` follows the instance's status fields. `getLaunchSpec` reads an instance's user
 * data, OS and the keys polycloud marked it with (see `launch-spec.ts`).
 *
 * @module polycloud/providers/vultr
 */
import {
  checkPositiveInteger,
  defineRestDriver,
  idPattern,
  NUMERIC_ID,
  UUID_ID,
  urlPath,
  type Driver,
  type RestDriverOptions,
} from '../../src/kit.js';
import type { VultrInstance, VultrOs, VultrPlan, VultrRegion } from './api.js';
import { catalogCache, type VultrState } from './catalog.js';
import { checkCreate, createInstanceBody, type VultrProviderOptions } from './create.js';
import { parseVultrError } from './errors.js';
import { mapInstance, mapOs, mapPlan, mapRegion } from './map.js';
import { checkVultrInstance, checkVultrOs, checkVultrPlan, checkVultrRegion } from './schemas.js';
import { vultrPaging } from './paging.js';
import { regionFacts } from './regions.js';
import { VULTR_KEY_REGISTRY } from './ssh-keys.js';
import { readVultrLaunchSpec } from './launch-spec.js';
import { idempotencyTag, toVultrTags } from './tags.js';
import { checkVultrPlaces } from './places.js';

/** The Vultr API v2. */
export const VULTR_ENDPOINT = 'https://api.vultr.com/v2';

/**
 * Options of the `vultr` provider. All are optional; besides these, see `RestDriverOptions`
 * (`token` (default `VULTR_API_KEY`), `endpoint`, `requestTimeoutMs`, `retry`, `maxConcurrency`,
 * `pageSize` (Vultr serves 1–500; default 500), `bounds` (page cap), `logger`, `clock`).
 */
export interface VultrDriverOptions extends RestDriverOptions {
  /**
   * How long the plans and regions fetched to give nodes their price and country are reused, in ms.
   * @defaultValue 3600000 (one hour)
   */
  readonly catalogTtlMs?: number;
}

/** A `vultr` driver; `Node.raw` is the API's instance object (without its root password and console link). */
export type VultrDriver = Driver<VultrInstance, VultrProviderOptions>;

/** Creates a `vultr` driver. */
export const createVultrDriver: (options?: VultrDriverOptions) => VultrDriver = defineRestDriver<
  VultrInstance,
  VultrProviderOptions,
  VultrDriverOptions,
  VultrState
>({
  provider: 'vultr',
  defaultEndpoint: VULTR_ENDPOINT,
  tokenEnv: ['VULTR_API_KEY'],
  capabilities: {
    startStop: true,
    reboot: true,
    userData: true,
    sshKeys: true,
    tags: true,
    idempotency: 'tag',
    locationKind: 'region',
    keyPairs: true,
  },
  // One tag is kept for the idempotency key.
  limits: { maxTags: 49 },
  idPatterns: {
    node: { ...UUID_ID, description: 'a Vultr instance id (a UUID)' },
    image: { ...NUMERIC_ID, description: 'a Vultr operating system id (a positive integer, such as 2284)' },
    location: idPattern(/^[a-z]{3,4}$/, 'a Vultr region id such as "ewr" or "fra"'),
  },
  transport: { parseErrorBody: parseVultrError },
  paging: vultrPaging,
  defaults: { catalogTtlMs: 3_600_000 },
  checkOptions: (options, check) => void checkPositiveInteger(check, 'catalogTtlMs', options.catalogTtlMs),
  setup: catalogCache,

  locations: { path: '/regions', field: 'regions', validate: checkVultrRegion, map: (region: VultrRegion) => mapRegion(region) },

  sizes: {
    path: '/plans',
    field: 'plans',
    validate: checkVultrPlan,
    map: (plan: VultrPlan, query, runtime) =>
      query.location !== undefined && !plan.locations.includes(query.location) ? undefined : mapPlan(plan, runtime.asOf(), query.location),
    // A region is known when the facts table or the API's region list has it, even if no plan is offered there now.
    locationKnown: async (location, runtime, context) =>
      regionFacts(location) !== undefined || (await runtime.state.catalog(context)).regions.has(location),
  },

  // Operating systems are global: the same ids in every region.
  images: { path: '/os', field: 'os', validate: checkVultrOs, map: (os: VultrOs) => mapOs(os) },

  nodes: {
    path: '/instances',
    field: 'instances',
    validate: checkVultrInstance,
    // The API filters by one region and one tag; the core applies the rest of the query.
    push(query) {
      const [tag] = toVultrTags(query.tags ?? {});
      const region = query.locations?.length === 1 ? query.locations[0] : undefined;
      return { query: { ...(region ? { region } : {}), ...(tag ? { tag } : {}) } };
    },
    get: { path: (id) => urlPath`/instances/${id}`, field: 'instance' },
    async mapper(runtime, context) {
      const { plans, regions } = await runtime.state.catalog(context);
      const asOf = runtime.asOf();
      return (instance) => mapInstance(instance, plans.get(instance.plan), asOf, regions.get(instance.region)?.country);
    },
  },

  create: {
    path: '/instances',
    field: 'instance',
    body: (request, sshKeyIds) => createInstanceBody(request, sshKeyIds),
    // Vultr generates the root password and shows it in the create answer only: hand it back, once.
    generatedPassword: (answer) =>
      (answer as { instance?: { default_password?: unknown } }).instance?.default_password as string | undefined,
  },

  idempotency: {
    filter: (key) => ({ query: { tag: idempotencyTag(key) } }),
    carries: (instance, key) => (instance.tags ?? []).includes(idempotencyTag(key)),
    matches: (instance, request) =>
      instance.label === request.name &&
      instance.plan === request.sizeId &&
      instance.region === request.locationId &&
      String(instance.os_id) === request.imageId,
  },

  sshKeys: VULTR_KEY_REGISTRY,
  // An instance does not list its keys: each carries a `polycloud-key:<id>` tag per key it was created with.
  keyMarks: { style: 'tags', field: 'tags' },

  routes: {
    reboot: { path: (id) => urlPath`/instances/${id}/reboot` },
    start: { path: (id) => urlPath`/instances/${id}/start`, satisfiedBy: 'running' },
    stop: { path: (id) => urlPath`/instances/${id}/halt`, satisfiedBy: 'stopped' },
    destroy: { path: (id) => urlPath`/instances/${id}` },
  },

  // Size, image and region are checked before any key is registered (nothing changes first).
  checkPlaces: checkVultrPlaces,
  validateCreate: checkCreate,

  // User data, image and the keys polycloud marked: what a migration carries to a replacement.
  methods: (runtime) => ({ getLaunchSpec: (node, context) => readVultrLaunchSpec(node, runtime, context) }),
});

export type { VultrInstance, VultrPlan, VultrRegion, VultrOs, VultrSshKey } from './api.js';
export type { VultrProviderOptions } from './create.js';
export { mapInstanceState } from './map.js';
export { VULTR_REGION_FACTS } from './regions.js';
export type { VultrRegionFacts } from './regions.js';
export { idempotencyTag, fromVultrTags, toVultrTags } from './tags.js';
