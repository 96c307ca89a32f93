/**
 * The `hetzner` provider: Hetzner Cloud servers through the Hetzner Cloud API
 * (`https://api.hetzner.cloud/v1`), as a `defineRestDriver` spec.
 *
 * @module polycloud/providers/hetzner
 */
import {
  fullCapabilities,
  defineRestDriver,
  invalid,
  isConflictError,
  metaPaging,
  urlPath,
  type Driver,
  type RestActionOptions,
  type RestDriverOptions,
} from '../../src/kit.js';
import { checkHetznerPlaces } from './places.js';
import { checkHetznerImage, checkHetznerLocation, checkHetznerServer, checkHetznerServerType } from './schemas.js';
import type { HetznerAction, HetznerImage, HetznerLocation, HetznerServer, HetznerServerType } from './api.js';
import { HETZNER_REQUEST_ID_HEADER, HETZNER_RESET_HEADERS, actionFailure, parseHetznerError } from './errors.js';
import { IDEMPOTENCY_LABEL, checkLabels, idempotencyLabelValue, labelSelector } from './labels.js';
import {
  mapImage,
  mapLocation,
  mapServer,
  mapServerType,
  sameServer,
  singleStatus,
  toHetznerArchitecture,
  type HetznerPriceBasis,
} from './map.js';
import { checkProviderOptions, createServerBody, type HetznerProviderOptions } from './create.js';
import { HETZNER_KEY_REGISTRY } from './ssh-keys.js';

/** The Hetzner Cloud API. */
export const HETZNER_ENDPOINT = 'https://api.hetzner.cloud/v1';

/**
 * Options of the `hetzner` provider. All are optional; besides these, see `RestDriverOptions`
 * (token (default `HCLOUD_TOKEN`), endpoint, `requestTimeoutMs`, retry, `maxConcurrency`,
 * `pageSize` (1–50, default 50), logger, clock) and `RestActionOptions` (`waitForActions`,
 * `actionPollIntervalMs` default 1 000, `actionTimeoutMs`).
 */
export interface HetznerDriverOptions extends RestDriverOptions, RestActionOptions {
  /**
   * The location `listSizes()` prices sizes for when the query names none.
   * @defaultValue `fsn1`
   */
  readonly defaultLocation?: string;
  /**
   * Which Hetzner price a `Price` holds: `net` (without VAT, comparable with other providers'
   * list prices) or `gross` (with the VAT of the project's billing country).
   * @defaultValue `net`
   */
  readonly priceBasis?: HetznerPriceBasis;
  /**
   * How `stopNode` stops a server: `shutdown` (ACPI, graceful) or `poweroff` (hard).
   * @defaultValue `shutdown`
   */
  readonly stopMethod?: 'shutdown' | 'poweroff';
}

/** A `hetzner` driver. */
export type HetznerDriver = Driver<HetznerServer, HetznerProviderOptions>;

/** Creates a `hetzner` driver. */
export const createHetznerDriver: (options?: HetznerDriverOptions) => HetznerDriver = defineRestDriver<
  HetznerServer,
  HetznerProviderOptions,
  HetznerDriverOptions
>({
  provider: 'hetzner',
  defaultEndpoint: HETZNER_ENDPOINT,
  tokenEnv: ['HCLOUD_TOKEN'],
  capabilities: fullCapabilities({ idempotency: 'tag', locationKind: 'region', keyPairs: true }),
  limits: {
    maxNameLength: 63,
    // Label keys: an optional DNS-subdomain prefix (253) and "/", then a name of up to 63.
    maxTagKeyLength: 317,
    maxTagValueLength: 63,
    maxUserDataBytes: 32 * 1024,
  },
  idPatterns: { node: { pattern: /^[1-9]\d{0,18}$/, description: 'a Hetzner server id (a positive integer)' } },
  transport: {
    parseErrorBody: parseHetznerError,
    requestIdHeaders: [HETZNER_REQUEST_ID_HEADER],
    rateLimitResetHeaders: HETZNER_RESET_HEADERS,
  },
  paging: metaPaging({ maxPageSize: 50 }),
  defaults: { defaultLocation: 'fsn1', priceBasis: 'net', stopMethod: 'shutdown', actionPollIntervalMs: 1_000 },
  checkOptions(options, check) {
    if (options.priceBasis !== 'net' && options.priceBasis !== 'gross')
      invalid(check, 'priceBasis', '"net" or "gross"', options.priceBasis);
    if (options.stopMethod !== 'shutdown' && options.stopMethod !== 'poweroff')
      invalid(check, 'stopMethod', '"shutdown" or "poweroff"', options.stopMethod);
  },
  describe: (options) => ({ priceBasis: options.priceBasis, defaultLocation: options.defaultLocation }),

  locations: {
    path: '/locations',
    field: 'locations',
    validate: checkHetznerLocation,
    map: (location: HetznerLocation) => mapLocation(location),
  },

  sizes: {
    path: '/server_types',
    field: 'server_types',
    validate: checkHetznerServerType,
    map(type: HetznerServerType, query, runtime) {
      const { defaultLocation, priceBasis } = runtime.options;
      const location = query.location ?? (defaultLocation as string);
      if (type.deprecated) return undefined;
      if (query.location !== undefined && !type.prices.some((price) => price.location === location)) return undefined;
      return mapServerType(type, location, priceBasis as HetznerPriceBasis, runtime.asOf());
    },
  },

  images: {
    path: '/images',
    field: 'images',
    validate: checkHetznerImage,
    query: (query) => ({ type: 'system', ...(query.arch ? { architecture: toHetznerArchitecture(query.arch) } : {}) }),
    map: (image: HetznerImage) => (image.status === 'available' && !image.deprecated && !image.deleted ? mapImage(image) : undefined),
  },

  nodes: {
    path: '/servers',
    field: 'servers',
    validate: checkHetznerServer,
    push: (query) => ({ query: { label_selector: labelSelector(query.tags), status: singleStatus(query.states) } }),
    get: { path: (id) => urlPath`/servers/${id}`, field: 'server' },
    mapper(runtime) {
      const asOf = runtime.asOf();
      return (server) => mapServer(server, runtime.options.priceBasis as HetznerPriceBasis, asOf);
    },
  },

  create: {
    path: '/servers',
    field: 'server',
    body: (request, sshKeys) => createServerBody(request, [...sshKeys, ...(request.providerOptions?.sshKeyNames ?? [])]),
    // Hetzner answers a create without SSH keys with the server's root password, once.
    generatedPassword: (answer) => (answer as { root_password?: string | null } | undefined)?.root_password ?? undefined,
  },

  idempotency: {
    filter: (key) => ({ query: { label_selector: `${IDEMPOTENCY_LABEL}=${idempotencyLabelValue(key)}` } }),
    carries: (server, key) => server.labels?.[IDEMPOTENCY_LABEL] === idempotencyLabelValue(key),
    matches: sameServer,
    gone: (server) => server.status === 'deleting',
    // Server names are unique per project: a repeat whose first attempt did create the server
    // fails as a duplicate, and the labelled server is found.
    raced: isConflictError,
  },

  routes: {
    reboot: { path: (id) => urlPath`/servers/${id}/actions/reboot` },
    start: { path: (id) => urlPath`/servers/${id}/actions/poweron` },
    stop: { path: (id, runtime) => urlPath`/servers/${id}/actions/${runtime.options.stopMethod as string}` },
    destroy: { path: (id) => urlPath`/servers/${id}` },
  },

  actions: {
    field: 'action',
    path: (action) => urlPath`/actions/${String(action.id)}`,
    status: (action) => (action.status === 'success' ? 'done' : action.status === 'error' ? 'failed' : 'running'),
    describe: (action) => `action ${String(action.id)} (${String(action.command)}) to finish`,
    failure: (action, operation) => actionFailure(action as unknown as HetznerAction, operation),
  },

  sshKeys: HETZNER_KEY_REGISTRY,
  // A server does not list its keys: each carries a `polycloud/key-<id>` label per key it was created with.
  keyMarks: { style: 'labels', field: 'labels' },

  validateCreate(request, check) {
    checkLabels(check, 'tags', request.tags);
    checkProviderOptions(check, request.providerOptions);
  },
  checkPlaces: checkHetznerPlaces,
});

export type { HetznerServer, HetznerPriceBasis, HetznerProviderOptions };
export type {
  HetznerImage,
  HetznerLocation,
  HetznerLocationPrice,
  HetznerPriceAmount,
  HetznerServerType,
  HetznerServerStatus,
} from './api.js';
