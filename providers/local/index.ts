/**
 * The `local` provider: an embedded simulated cloud, no network and no credentials. It is the
 * default when nothing is configured, and a real driver: timed transitions, prices, pagination,
 * idempotency, optional persistence and fault injection.
 *
 * @module polycloud/providers/local
 */
import {
  fullCapabilities,
  attachGeneratedCredentials,
  defineDriver,
  generatedPassword,
  InvalidRequestError,
  mergeDefaults,
  withRetry,
  type Clock,
  type Driver,
  type DriverContext,
  type RetryOptions,
} from '../../src/kit.js';
import {
  SIM_PRESETS,
  SimulatedCloud,
  sizeOfferedIn,
  type FaultSettings,
  type SimCatalog,
  type SimNode,
  type SimPresetName,
  type SimTimings,
} from '../../src/simulator/index.js';
import type { SimState } from '../../src/simulator/index.js';
import { mapLocalError } from './errors.js';
import { mapImage, mapLocation, mapNode, mapSize } from './map.js';
import { ROOT_PASSWORD_DIGEST, localLaunchSpec, newRootPassword } from './launch-spec.js';
import { localSsh, type LocalSshOption } from './ssh.js';

/** Options of the `local` provider. All are optional. */
export interface LocalDriverOptions {
  /**
   * Drive an existing simulated cloud (e.g. shared with a test).
   * @defaultValue a new one from the options below
   */
  readonly cloud?: SimulatedCloud;
  /**
   * Which catalog the new cloud offers. Ignored when `cloud` or `catalog` is given.
   * @defaultValue `standard`
   */
  readonly preset?: SimPresetName;
  /**
   * A custom catalog for the new cloud.
   * @defaultValue the preset's
   */
  readonly catalog?: SimCatalog;
  /**
   * Persist the cloud's nodes to this JSON file.
   * @defaultValue in memory only
   */
  readonly stateFile?: string;
  /**
   * The clock transitions and waits run on; a `VirtualClock` makes them instant.
   * @defaultValue the system clock
   */
  readonly clock?: Clock;
  /**
   * Seed for ids, addresses and injected errors.
   * @defaultValue 1
   */
  readonly seed?: number;
  /**
   * Transition durations.
   * @defaultValue `DEFAULT_TIMINGS`
   */
  readonly timings?: Partial<SimTimings>;
  /**
   * Faults to inject from the start; change them later through `cloud.faults`.
   * @defaultValue none
   */
  readonly faults?: FaultSettings;
  /**
   * Most live nodes before creates fail with `QuotaError`.
   * @defaultValue unlimited
   */
  readonly maxNodes?: number;
  /**
   * Prefix of node ids.
   * @defaultValue `node-`
   */
  readonly idPrefix?: string;
  /**
   * Nodes per page when listing.
   * @defaultValue 100
   */
  readonly pageSize?: number;
  /**
   * Retries of failed operations that are safe to repeat.
   * @defaultValue `DEFAULT_RETRY`
   */
  readonly retry?: RetryOptions;
  /**
   * Give every node a real SSH endpoint on 127.0.0.1 whose commands run with `/bin/sh` in a per-node
   * sandbox directory (as the user running polycloud: a convenience, not isolation). `true`, or
   * `{ root }` to choose where the sandboxes live.
   * @defaultValue false
   */
  readonly ssh?: LocalSshOption;
}

/** The `local` driver's provider options: none so far; present for symmetry. */
export type LocalProviderOptions = Record<string, never>;

export type { LocalSshOption } from './ssh.js';

/** A `local` driver, with the simulated cloud it drives. */
export interface LocalDriver extends Driver<SimNode, LocalProviderOptions> {
  /** The simulated cloud behind the driver: inject faults through `cloud.faults`. */
  readonly cloud: SimulatedCloud;
  /** Stops the nodes' SSH servers (with `ssh` on); they never keep the process alive anyway. */
  closeSsh(): Promise<void>;
}

/** Defaults of {@link LocalDriverOptions}; an option given as `undefined` keeps its default. */
const LOCAL_DEFAULTS = { preset: 'standard', pageSize: 100 } as const satisfies LocalDriverOptions;

/** Creates a `local` driver. */
export function createLocalDriver(given: LocalDriverOptions = {}): LocalDriver {
  const options = mergeDefaults(LOCAL_DEFAULTS, given);
  const cloud =
    options.cloud ??
    new SimulatedCloud({
      catalog: options.catalog ?? SIM_PRESETS[options.preset],
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.timings ? { timings: options.timings } : {}),
      ...(options.stateFile ? { stateFile: options.stateFile } : {}),
      ...(options.faults ? { faults: options.faults } : {}),
      ...(options.maxNodes !== undefined ? { maxNodes: options.maxNodes } : {}),
      ...(options.idPrefix ? { idPrefix: options.idPrefix } : {}),
    });
  const { catalog } = cloud;
  const access = localSsh(cloud, options);
  const defaultPageSize = options.pageSize;

  /** Runs a simulator call, retrying it when it is safe to, and maps its errors. */
  const call = <T>(context: DriverContext, idempotent: boolean, run: () => Promise<T>, nodeId?: string): Promise<T> =>
    withRetry(
      async () => {
        try {
          return await run();
        } catch (error) {
          throw mapLocalError(error, context, nodeId);
        }
      },
      options.retry,
      { idempotent, ...(context.signal ? { signal: context.signal } : {}) },
    );

  const locationOrThrow = (id: string, operation: string) => {
    const location = cloud.location(id);
    if (!location) {
      throw new InvalidRequestError(
        `"location" must be one of ${catalog.locations.map((each) => each.id).join(', ')}, got ${JSON.stringify(id)}`,
        {
          provider: 'local',
          operation,
          field: 'location',
        },
      );
    }
    return location;
  };

  return defineDriver<SimNode, LocalProviderOptions, { readonly cloud: SimulatedCloud; closeSsh(): Promise<void> }>(
    {
      provider: 'local',
      capabilities: fullCapabilities({ idempotency: 'native', locationKind: 'region', keyPairs: true }),
      clock: cloud.clock,
      description: { locations: catalog.locations.map((location) => location.id), stateFile: options.stateFile ?? null },

      async listLocations(context) {
        const locations = await call(context, true, () => cloud.listLocations());
        return locations.map(mapLocation);
      },

      async listSizes(query, context) {
        const location = locationOrThrow(query.location ?? catalog.locations[0]?.id ?? '', context.operation);
        const sizes = await call(context, true, () => cloud.listSizes(query.location));
        return sizes.filter((size) => sizeOfferedIn(size, location.id)).map((size) => mapSize(size, location, catalog));
      },

      async listImages(query, context) {
        if (query.location !== undefined) locationOrThrow(query.location, context.operation);
        const images = await call(context, true, () => cloud.listImages());
        // The core filters by os, version and arch and sorts.
        return images.filter((image) => !image.deprecated).map(mapImage);
      },

      async *listNodePages(query, context) {
        for (const location of query.locations ?? []) {
          if (!cloud.location(location)) locationOrThrow(location, context.operation);
        }
        let pageToken: string | undefined;
        do {
          const token = pageToken;
          const page = await call(context, true, () =>
            cloud.listNodes({
              ...(query.locations ? { locations: query.locations } : {}),
              ...(query.states
                ? { states: query.states.filter((state): state is SimState => state !== 'error' && state !== 'unknown') }
                : {}),
              ...(query.tags ? { tags: query.tags } : {}),
              pageSize: query.pageSize ?? defaultPageSize,
              ...(token === undefined ? {} : { pageToken: token }),
            }),
          );
          yield page.nodes.map((node) => mapNode(node, catalog));
          pageToken = page.nextPageToken;
        } while (pageToken !== undefined);
      },

      async getNode(id, context) {
        return mapNode(await call(context, true, () => cloud.getNode(id), id), catalog);
      },

      async createNode(request, context) {
        locationOrThrow(request.locationId, context.operation);
        // Without SSH keys nobody could log in: like Hetzner, a root password is generated.
        const root = request.sshKeys.length === 0 ? newRootPassword() : undefined;
        const node = await call(context, true, () =>
          cloud.createNode({
            name: request.name,
            sizeId: request.sizeId,
            imageId: request.imageId,
            locationId: request.locationId,
            tags: request.tags,
            sshKeys: request.sshKeys,
            idempotencyKey: request.idempotencyKey,
            ...(request.userData === undefined ? {} : { userData: request.userData }),
            ...(root ? { extra: { [ROOT_PASSWORD_DIGEST]: root.digest } } : {}),
          }),
        );
        const mapped = mapNode(node, catalog);
        // A repeated create (same idempotency key) returns the first node, whose password was handed back then.
        const fresh = root !== undefined && node.extra[ROOT_PASSWORD_DIGEST] === root.digest;
        access.registerKeysOf(request.sshKeys);
        return fresh ? attachGeneratedCredentials(mapped, { rootPassword: generatedPassword(root.password) }) : mapped;
      },

      async rebootNode(id, context) {
        await call(context, true, () => cloud.rebootNode(id), id);
      },
      async startNode(id, context) {
        await call(context, true, () => cloud.startNode(id), id);
      },
      async stopNode(id, context) {
        await call(context, true, () => cloud.stopNode(id), id);
      },
      // A node already gone is success: the core turns NodeNotFoundError from here into success.
      async destroyNode(id, context) {
        await call(context, true, () => cloud.destroyNode(id), id);
      },
      getLaunchSpec: async (node) => localLaunchSpec(node),
      ...access.implementation,
      mapError: (error, context) => mapLocalError(error, context),
    },
    { cloud, closeSsh: access.close },
  );
}

// The simulator is part of this provider's public API: tests and demos drive it directly.
export * from '../../src/simulator/index.js';
