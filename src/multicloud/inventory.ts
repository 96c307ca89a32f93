/**
 * The inventory: what a migration needs to know about a cloud, taken while it answers and kept as
 * plain JSON — its nodes, how each was launched (image of any build, user data, SSH keys, where
 * the provider can say), and the catalogs a plan needs (locations; sizes and images of every
 * location a node runs in). A plan made from it never contacts the source, so a fleet can be
 * moved away from a provider that is down.
 *
 * `JSON.parse(JSON.stringify(inventory))` is an inventory: every date is an ISO string.
 *
 * @module
 */
import pLimit from 'p-limit';
import type { Driver } from '../core/driver.js';
import { InvalidRequestError } from '../core/errors.js';
import type { LaunchSpec } from '../core/launch-spec.js';
import type { CallOptions, Image, Location, Node, ProviderName, Size } from '../core/types.js';
import type { CloudSet } from './clouds.js';
import { asCloudError } from './timeout.js';
import type { CloudSelection } from './types.js';

/** The inventory format's version. */
export const INVENTORY_VERSION = 1;

/** An image as an inventory keeps it: its publication time as an ISO string. */
export type InventoryImage = Omit<Image, 'createdAt'> & {
  /** When the image was published (ISO time); absent when the provider does not say. */
  readonly createdAt?: string;
};

/** A node as an inventory keeps it: without the provider's raw object, its creation time as an ISO string. */
export type InventoryNode = Omit<Node, 'raw' | 'createdAt'> & {
  /** When the provider created the node (ISO time); `null` when it does not say. */
  readonly createdAt: string | null;
};

/** A launch spec as an inventory keeps it. */
export type InventoryLaunchSpec = Omit<LaunchSpec, 'image'> & {
  /** The image the node was launched from, of any build; `null` when the provider cannot say. */
  readonly image: InventoryImage | null;
};

/** One cloud's part of an inventory. */
export interface InventoryCloud {
  /** The cloud's provider; a plan checks it against the source driver's. */
  readonly provider: ProviderName;
  /** The cloud's nodes as plain data: every node it listed when the inventory was taken. */
  readonly nodes: readonly InventoryNode[];
  /**
   * How each node was launched, by node id, where the driver can say (`Driver.getLaunchSpec`);
   * absent for nodes whose spec could not be read (see {@link InventoryCloud.launchSpecFailures}).
   */
  readonly launchSpecs: Readonly<Record<string, InventoryLaunchSpec>>;
  /** Why a node's launch spec could not be read, by node id. */
  readonly launchSpecFailures?: Readonly<Record<string, string>>;
  /** What a plan needs to know of the cloud's offer: locations, and sizes and images where nodes run. */
  readonly catalog: {
    /** Every location the cloud offers. */
    readonly locations: readonly Location[];
    /** The sizes offered in each location a node runs in, by location id. */
    readonly sizes: Readonly<Record<string, readonly Size[]>>;
    /** The base images offered in each location a node runs in, by location id. */
    readonly images: Readonly<Record<string, readonly InventoryImage[]>>;
  };
}

/** A cloud (or part of one) that could not be inventoried. */
export interface InventoryFailure {
  /** The MultiCloud name of the cloud that could not be inventoried. */
  readonly cloud: string;
  /** Its provider. */
  readonly provider: ProviderName;
  /** The error's class name, e.g. `ProviderUnavailableError`. */
  readonly error: string;
  /** Its message (secret-free, as every `CloudError` message). */
  readonly message: string;
}

/** What `MultiCloud.takeInventory` returns: plain JSON-serialisable data. */
export interface Inventory {
  /** The format's version ({@link INVENTORY_VERSION}); an inventory of another version is refused by {@link checkInventory}. */
  readonly version: typeof INVENTORY_VERSION;
  /** ISO time the inventory was taken. */
  readonly takenAt: string;
  /** Each cloud that answered, by MultiCloud name. */
  readonly clouds: Readonly<Record<string, InventoryCloud>>;
  /** Each cloud that did not: it is not in `clouds`. */
  readonly failures: readonly InventoryFailure[];
}

/** Options of `takeInventory`. */
export interface InventoryOptions extends CallOptions, CloudSelection {
  /**
   * Most launch-spec reads (and catalog reads) in flight per cloud (a whole number, 1 or more).
   * @defaultValue 8
   */
  readonly concurrency?: number;
}

const DEFAULT_CONCURRENCY = 8;

/** Takes an inventory of the selected clouds, concurrently; a cloud that fails is in `failures`. */
export async function takeInventory(clouds: CloudSet, options: InventoryOptions = {}): Promise<Inventory> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new InvalidRequestError('"concurrency" must be a whole number, 1 or more', {
      provider: 'polycloud',
      operation: 'takeInventory',
      field: 'concurrency',
    });
  }
  const takenAt = new Date().toISOString();
  const selected = clouds.select(options, 'takeInventory');
  const callOptions = options.signal ? { signal: options.signal } : {};
  const outcomes = await Promise.all(
    selected.map(async ([cloud, driver]) => {
      try {
        return { cloud, value: await inventoryOfCloud(clouds, cloud, driver, undefined, concurrency, callOptions) };
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason;
        const failure = asCloudError(error, driver.provider, 'takeInventory');
        return { cloud, failure: { cloud, provider: driver.provider, error: failure.name, message: failure.message } };
      }
    }),
  );
  const result: Record<string, InventoryCloud> = {};
  const failures: InventoryFailure[] = [];
  for (const outcome of outcomes) {
    if (outcome.value) result[outcome.cloud] = outcome.value;
    if (outcome.failure) failures.push(outcome.failure);
  }
  return { version: INVENTORY_VERSION, takenAt, clouds: result, failures };
}

/**
 * One cloud's inventory: its nodes (listed now, or the ones given), their launch specs, and the
 * catalog of every location they run in. Throws when the node list or a catalog cannot be read;
 * a launch spec that cannot be read is recorded in `launchSpecFailures`.
 */
export async function inventoryOfCloud(
  clouds: CloudSet,
  cloud: string,
  driver: Driver,
  given: readonly Node[] | undefined,
  concurrency: number,
  options: CallOptions,
  readLaunchSpecs = true,
): Promise<InventoryCloud> {
  let nodes: readonly Node[];
  if (given) nodes = given;
  else {
    const listed = await clouds.attempt(cloud, 'listNodes', (each, callOptions) => each.listNodes({}, callOptions), options);
    if (!listed.ok) throw listed.failure.error;
    nodes = listed.value;
  }
  const limit = pLimit(concurrency);
  const locations = await clouds.locations(cloud, options);
  const used = new Map<string, string>();
  for (const node of nodes) used.set(node.location.id, node.location.region);
  const sizes: Record<string, readonly Size[]> = {};
  const images: Record<string, readonly InventoryImage[]> = {};
  await Promise.all(
    [...used].map(([location, region]) =>
      limit(async () => {
        sizes[location] = await clouds.sizes(cloud, location, options, region);
        images[location] = (await clouds.images(cloud, location, options)).map(inventoryImage);
      }),
    ),
  );
  const launchSpecs: Record<string, InventoryLaunchSpec> = {};
  const launchSpecFailures: Record<string, string> = {};
  const read = driver.getLaunchSpec?.bind(driver);
  if (read && readLaunchSpecs) {
    await Promise.all(
      nodes.map((node) =>
        limit(async () => {
          try {
            const spec = await read(node, options);
            launchSpecs[node.id] = { ...spec, image: spec.image ? inventoryImage(spec.image) : null };
          } catch (error) {
            if (options.signal?.aborted) throw options.signal.reason;
            launchSpecFailures[node.id] = asCloudError(error, driver.provider, 'getLaunchSpec').message;
          }
        }),
      ),
    );
  }
  return {
    provider: driver.provider,
    nodes: nodes.map(inventoryNode),
    launchSpecs,
    ...(Object.keys(launchSpecFailures).length > 0 ? { launchSpecFailures } : {}),
    catalog: { locations, sizes, images },
  };
}

/** A node as plain data (its raw provider object left out). */
export function inventoryNode(node: Node | InventoryNode): InventoryNode {
  const { raw: _raw, createdAt, ...rest } = node as Node & { raw?: unknown };
  return { ...rest, createdAt: createdAt instanceof Date ? createdAt.toISOString() : (createdAt ?? null) };
}

/** An image as plain data. */
export function inventoryImage(image: Image | InventoryImage): InventoryImage {
  const { createdAt, ...rest } = image;
  return createdAt === undefined ? rest : { ...rest, createdAt: createdAt instanceof Date ? createdAt.toISOString() : createdAt };
}

/** An inventory image as an `Image` (its date revived). */
export function reviveImage(image: InventoryImage): Image {
  const { createdAt, ...rest } = image;
  return createdAt === undefined ? rest : { ...rest, createdAt: new Date(createdAt) };
}

/**
 * Checks that `value` (e.g. read from a JSON file) is an inventory this version understands, and
 * returns it typed; `InvalidRequestError` naming the field otherwise.
 */
export function checkInventory(value: unknown, field = 'inventory', operation = 'planMigration'): Inventory {
  const fail = (detail: string): never => {
    throw new InvalidRequestError(`"${field}" ${detail}`, { provider: 'polycloud', operation, field });
  };
  if (typeof value !== 'object' || value === null) return fail('must be an inventory from MultiCloud.takeInventory');
  const inventory = value as Partial<Inventory>;
  if (inventory.version !== INVENTORY_VERSION)
    fail(`must be an inventory of version ${INVENTORY_VERSION}, got ${String(inventory.version)}`);
  if (typeof inventory.takenAt !== 'string' || Number.isNaN(Date.parse(inventory.takenAt))) fail('must say when it was taken (takenAt)');
  if (typeof inventory.clouds !== 'object' || inventory.clouds === null) fail('must have a "clouds" object');
  for (const [cloud, entry] of Object.entries(inventory.clouds ?? {})) {
    const each = entry as Partial<InventoryCloud>;
    if (!Array.isArray(each.nodes) || typeof each.catalog !== 'object' || each.catalog === null || typeof each.launchSpecs !== 'object') {
      fail(`cloud ${JSON.stringify(cloud)} must have nodes, launchSpecs and a catalog`);
    }
  }
  return inventory as Inventory;
}
