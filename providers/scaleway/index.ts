/**
 * The `scaleway` provider: Scaleway Instances through the Instance API
 * (`https://api.scaleway.com/instance/v1/zones/{zone}/…`), with images from the Marketplace API,
 * SSH keys from IAM and root volumes removed through the Block API — a `defineRestDriver` spec.
 * Zones are in every path, so listings fan out per zone (bounded), and node ids are zoned
 * (`fr-par-1/<uuid>`, as scaleway-cli writes them). `getLaunchSpec` reads a server's `cloud-init`
 * user data (see `launch-spec.ts`).
 *
 * @module polycloud/providers/scaleway
 */
import {
  defineRestDriver,
  fanOutPages,
  field,
  keyRegistry,
  type Driver,
  type DriverContext,
  type Node,
  type NormalizedNodeQuery,
} from '../../src/kit.js';
import type { ScalewayServer } from './api.js';
import { resolveScalewayConfig, type ScalewayConfig, type ScalewayDriverOptions } from './config.js';
import { checkProviderOptions, createServer, type ScalewayProviderOptions } from './create.js';
import { destroyServer } from './destroy.js';
import { readScalewayLaunchSpec } from './launch-spec.js';
import { parseScalewayError, SCALEWAY_REQUEST_ID_HEADER } from './errors.js';
import { LABEL_PATTERN, listZoneImages } from './images.js';
import { mapServer, mapServerType, NODE_ID_PATTERN, splitNodeId, toScalewayTags, UUID_PATTERN } from './map.js';
import { scalewayPaging } from './paging.js';
import { checkZone, instancePath, scalewayPages, serverTypes, zoneRequest, type ScalewayRuntime, type ScalewayState } from './runtime.js';
import { checkServer } from './schemas.js';
import { scalewayKeyRegistry } from './ssh-keys.js';
import { SCALEWAY_ZONES, ZONE_PATTERN, zoneLocation } from './zones.js';

export type { ScalewayDriverOptions, ScalewayProviderOptions, ScalewayServer };
export type {
  ScalewayServerType,
  ScalewayLocalImage,
  ScalewayMarketplaceImage,
  ScalewaySshKey,
  ScalewayServerIp,
  ScalewayServerVolume,
} from './api.js';
export { SCALEWAY_ENDPOINT, SCALEWAY_ENV } from './config.js';
export { SCALEWAY_ZONES } from './zones.js';
export type { ScalewayZoneFacts } from './zones.js';

/** A `scaleway` driver. `Node.raw` is the Instance server. */
export type ScalewayDriver = Driver<ScalewayServer, ScalewayProviderOptions>;

/** A node route: one server action (`poweron`, `poweroff`, `reboot`) through the action endpoint. */
const action = (name: string, satisfiedBy?: 'running' | 'stopped') => ({
  path: (id: string) => {
    const { zone, serverId } = splitNodeId(id);
    return instancePath(zone, 'servers', serverId, 'action');
  },
  body: () => ({ action: name }),
  ...(satisfiedBy ? { satisfiedBy } : {}),
});

/** Tags the server can filter by: `tags=a,b` holds servers carrying every one (a tag with a comma cannot be asked for). */
function pushedTags(query: NormalizedNodeQuery): string | undefined {
  const tags = toScalewayTags(query.tags ?? {}).filter((tag) => !tag.includes(','));
  return tags.length > 0 ? tags.join(',') : undefined;
}

function scalewaySpec(config: ScalewayConfig) {
  const mapWith = (runtime: ScalewayRuntime) => {
    const asOf = runtime.asOf();
    return (server: ScalewayServer) => mapServer(server, runtime.state.knownTypes.get(server.zone)?.[server.commercial_type], asOf);
  };

  return defineRestDriver<ScalewayServer, ScalewayProviderOptions, ScalewayDriverOptions, ScalewayState>({
    provider: 'scaleway',
    defaultEndpoint: config.endpoint,
    tokenEnv: ['SCW_SECRET_KEY'],
    capabilities: {
      startStop: true,
      reboot: true,
      // Set by a separate text/plain call (`PATCH …/user_data/cloud-init`) between create and power-on.
      userData: true,
      sshKeys: true,
      tags: true,
      idempotency: 'tag',
      locationKind: 'zone',
      keyPairs: true,
    },
    limits: { maxNameLength: 63, maxTags: 50, maxTagKeyLength: 64, maxTagValueLength: 128 },
    idPatterns: {
      node: { pattern: NODE_ID_PATTERN, description: 'a zoned Scaleway server id such as "fr-par-1/11111111-1111-1111-1111-111111111111"' },
      image: {
        pattern: new RegExp(`${UUID_PATTERN.source}|${LABEL_PATTERN.source}`),
        description: 'a Scaleway image id (a UUID of the zone) or a marketplace label such as "ubuntu_noble"',
      },
      size: { pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, description: 'a Scaleway server type such as "DEV1-S"' },
      location: { pattern: ZONE_PATTERN, description: 'a Scaleway zone such as "fr-par-1"' },
    },
    transport: { parseErrorBody: parseScalewayError, requestIdHeaders: [SCALEWAY_REQUEST_ID_HEADER], tokenHeader: 'X-Auth-Token' },
    paging: scalewayPaging(),
    defaults: { actionPollIntervalMs: 1_000, actionTimeoutMs: 600_000 },
    describe: () => ({ projectId: config.projectId, zone: config.zone, zones: config.zones }),
    setup: () => ({ config, types: new Map(), knownTypes: new Map() }),

    nodes: {
      // The default zone's list; listings of every zone are the fan-out in `methods` below.
      path: instancePath(config.zone, 'servers'),
      field: 'servers',
      validate: checkServer,
      get: {
        path: (id) => {
          const { zone, serverId } = splitNodeId(id);
          return instancePath(zone, 'servers', serverId);
        },
        field: 'server',
      },
      mapper: mapWith,
    },
    routes: {
      reboot: action('reboot'),
      start: action('poweron', 'running'),
      stop: action('poweroff', 'stopped'),
      destroy: { path: (id) => instancePath(splitNodeId(id).zone, 'servers', splitNodeId(id).serverId) },
    },
    sshKeys: scalewayKeyRegistry(config.projectId),
    // A server does not list the IAM keys it got: each carries a `polycloud-key:<id>` tag per key.
    keyMarks: { style: 'tags', field: 'tags' },
    validateCreate: (request, check) => checkProviderOptions(check, request.providerOptions),

    methods: (runtime) => {
      const registry = keyRegistry(scalewayKeyRegistry(config.projectId), runtime);
      const typesOf = (context: DriverContext, zone: string) => serverTypes(runtime, context, zone);
      return {
        listLocations: async () => Object.keys(SCALEWAY_ZONES).map(zoneLocation),

        async listSizes(query, context) {
          const zone = query.location ?? config.zone;
          checkZone(runtime, context, 'query.location', zone);
          const types = await typesOf(context, zone);
          const asOf = runtime.asOf();
          return Object.entries(types)
            .filter(([, type]) => !type.end_of_service)
            .map(([id, type]) => mapServerType(id, type, zone, asOf));
        },

        async listImages(query, context) {
          const zone = query.location ?? config.zone;
          checkZone(runtime, context, 'query.location', zone);
          return listZoneImages(runtime, context, zone);
        },

        async *listNodePages(query, context) {
          const zones = query.locations ?? config.zones;
          for (const zone of zones) checkZone(runtime, context, 'query.location', zone);
          const tags = pushedTags(query);
          yield* fanOutPages<Node<ScalewayServer>>(
            zones,
            async function* (zone) {
              await typesOf(context, zone); // nodes are priced from their zone's server types
              const map = mapWith(runtime);
              for await (const page of scalewayPages(runtime, context, {
                path: instancePath(zone, 'servers'),
                field: 'servers',
                zone,
                query: { project: config.projectId, ...(tags ? { tags } : {}) },
                pageSize: query.pageSize ?? runtime.pageSize,
                validate: checkServer,
              })) {
                yield (page as ScalewayServer[]).map(map);
              }
            },
            { concurrency: runtime.options.maxConcurrency ?? 10, provider: 'scaleway', operation: context.operation },
          );
        },

        async getNode(id, context) {
          const { zone, serverId } = splitNodeId(id);
          const [response] = await Promise.all([
            zoneRequest(runtime, context, zone, { method: 'GET', path: instancePath(zone, 'servers', serverId), nodeId: id }),
            typesOf(context, zone),
          ]);
          const raw = field(response, 'server', 'object', runtime.where(context));
          runtime.checkEntry(context, raw, checkServer);
          return mapWith(runtime)(raw as unknown as ScalewayServer);
        },

        createNode: async (request, context) => {
          const server = await createServer(runtime, registry, request, context);
          await typesOf(context, server.zone);
          return mapWith(runtime)(server);
        },

        destroyNode: (id, context) => destroyServer(runtime, id, context),

        // The `cloud-init` user data only: SSH keys are the project's, not a server's (see launch-spec.ts).
        getLaunchSpec: (node, context) => readScalewayLaunchSpec(node, runtime, context),
      };
    },
  });
}

/**
 * Creates a `scaleway` driver. Contacts nothing until the first call.
 *
 * @throws ConfigurationError naming `SCW_SECRET_KEY`, `SCW_DEFAULT_PROJECT_ID` and `SCW_DEFAULT_ZONE`
 *   (whichever are missing) when the token, project or zone is neither passed nor set.
 */
export function createScalewayDriver(options: ScalewayDriverOptions = {}): ScalewayDriver {
  const config = resolveScalewayConfig(options);
  return scalewaySpec(config)({ ...options, token: config.token, endpoint: config.endpoint });
}
