/**
 * `MultiCloud`: one view over many clouds. Listing fans out to every cloud concurrently and
 * reports each cloud that fails instead of dropping it; offers rank sizes across clouds by
 * price; bulk operations report per node; a migration plan moves a fleet to another cloud and
 * `migrate` runs it safely, again and again until it is done.
 *
 * ```ts
 * const multi = new MultiCloud({ drivers: { 'aws-prod': aws, hetzner } });
 * const { nodes, failures } = await multi.listNodes();
 * const plan = await multi.planMigration({ from: 'aws-prod', to: 'hetzner' });
 * const report = await multi.migrate(plan, { cleanupSource: true });
 * ```
 *
 * @module
 */
import pLimit from 'p-limit';
import type { Driver } from '../core/driver.js';
import type { CallOptions } from '../core/types.js';
import { runBulk } from './bulk.js';
import { CloudSet } from './clouds.js';
import { migrate } from './migrate.js';
import { findOffers } from './offers.js';
import { planMigration } from './plan.js';
import { takeInventory, type Inventory, type InventoryOptions } from './inventory.js';
import type {
  BulkFilter,
  BulkOptions,
  BulkReport,
  CloudFailure,
  CloudHealth,
  CloudSelection,
  MigrateOptions,
  MigrationPlan,
  MigrationPlanRequest,
  MigrationReport,
  MultiCloudOptions,
  MultiLocationList,
  MultiNodeList,
  MultiNodeQuery,
  OfferList,
  OfferQuery,
} from './types.js';

export * from './types.js';
export {
  MIGRATED_FROM_TAG,
  MIGRATION_GENERATION_TAG,
  MIGRATION_KEY_TAG,
  PORTABLE_MIGRATED_FROM_TAG,
  PORTABLE_MIGRATION_KEY_TAG,
  generationOf,
  migratedFromValue,
  migrationKey,
  migrationKeyOf,
} from './keys.js';
// The inventory, the per-node steps and the key derivation are public so that the same steps can
// run as durable workflows (fleet mode) as well as in-process.
export {
  INVENTORY_VERSION,
  checkInventory,
  inventoryImage,
  inventoryNode,
  reviveImage,
  type Inventory,
  type InventoryCloud,
  type InventoryFailure,
  type InventoryImage,
  type InventoryLaunchSpec,
  type InventoryNode,
  type InventoryOptions,
} from './inventory.js';
export {
  cleanupSource,
  createReplacement,
  findReplacement,
  isNameTaken,
  keyAndTags,
  sourceTagOf,
  verifyReplacement,
  waitReplacementRunning,
  type CreateReplacementOptions,
  type CreatedReplacement,
  type FoundReplacement,
} from './steps.js';
export { resolveLaunch, type LaunchInput, type LaunchOrigin, type LaunchRequest, type MigrationLaunch } from './launch.js';
export { acceptsTag, suffixedName, targetName, translateTags, type TagChange } from './target-rules.js';
export { migrationTags } from './plan.js';

/** Many clouds behind one object. Every method validates its input before any request. */
export class MultiCloud {
  readonly #clouds: CloudSet;

  constructor(options: MultiCloudOptions) {
    this.#clouds = new CloudSet(options);
  }

  /** The configured cloud names, in order. */
  get clouds(): string[] {
    return [...this.#clouds.drivers.keys()];
  }

  /** The driver of a configured cloud. */
  driver(cloud: string): Driver {
    return this.#clouds.driver(cloud, 'cloud', 'driver');
  }

  /**
   * Nodes of every selected cloud, fetched concurrently, each with the name of its cloud. A cloud
   * that fails or times out is in `failures` with its error; the others' nodes are still returned.
   */
  async listNodes(query: MultiNodeQuery = {}, options: CallOptions = {}): Promise<MultiNodeList> {
    const { clouds: _selection, ...nodeQuery } = query;
    const { values, failures } = await this.#clouds.each(
      this.#clouds.select(query, 'listNodes'),
      'listNodes',
      (driver, callOptions) => driver.listNodes(nodeQuery, callOptions),
      options,
    );
    return { nodes: values.flatMap(({ cloud, value }) => value.map((node) => ({ cloud, node }))), failures };
  }

  /** Locations of every selected cloud (remembered for `catalogTtlMs`), with a failure for each cloud that did not answer. */
  async listLocations(selection: CloudSelection = {}, options: CallOptions = {}): Promise<MultiLocationList> {
    const selected = this.#clouds.select(selection, 'listLocations');
    const outcomes = await Promise.all(
      selected.map(async ([cloud, driver]) => {
        try {
          return { cloud, locations: await this.#clouds.locations(cloud, options) };
        } catch (error) {
          if (options.signal?.aborted) throw options.signal.reason;
          return { cloud, failure: { cloud, provider: driver.provider, error: error as MultiLocationList['failures'][number]['error'] } };
        }
      }),
    );
    return {
      locations: outcomes.flatMap((outcome) => (outcome.locations ?? []).map((location) => ({ cloud: outcome.cloud, location }))),
      failures: outcomes.flatMap((outcome) => (outcome.failure ? [outcome.failure] : [])),
    };
  }

  /**
   * Reads and remembers (for `catalogTtlMs`) each selected cloud's locations, and its sizes and
   * base images in every location: what a migration plan needs from the source. Run it while the
   * clouds are healthy (e.g. with your inventory) and a plan can still be made from that
   * inventory when the source provider is down. Clouds that fail are reported, not thrown.
   */
  async prefetchCatalogs(
    selection: CloudSelection = {},
    options: CallOptions = {},
  ): Promise<{
    /** The clouds whose catalogs are now remembered (every location, size list and image list was read). */
    clouds: string[];
    /** One entry per selected cloud whose catalog could not be read in full. */
    failures: CloudFailure[];
  }> {
    const { values, failures } = await this.#clouds.each(
      this.#clouds.select(selection, 'prefetchCatalogs'),
      'prefetchCatalogs',
      async (_driver, callOptions, cloud) => {
        const locations = await this.#clouds.locations(cloud, callOptions);
        const limit = pLimit(4);
        await Promise.all(
          locations.map((location) =>
            limit(() =>
              Promise.all([this.#clouds.sizes(cloud, location.id, callOptions), this.#clouds.images(cloud, location.id, callOptions)]),
            ),
          ),
        );
      },
      options,
    );
    return { clouds: values.map((value) => value.cloud), failures };
  }

  /**
   * Takes an inventory of the selected clouds: their nodes, how each was launched (image of any
   * build, user data, SSH keys — where the driver can say), and the catalogs a migration plan
   * needs. Plain JSON: save it (`JSON.stringify`) while the clouds are healthy, and plan from it
   * (`planMigration({ inventory })`) when the source is down. Clouds that fail are in `failures`.
   */
  takeInventory(options: InventoryOptions = {}): Promise<Inventory> {
    return takeInventory(this.#clouds, options);
  }

  /**
   * Whether each selected cloud answers an authenticated call (the first page of its node list),
   * and how long it took. Never throws for a cloud's failure: it is in that cloud's entry.
   */
  async health(selection: CloudSelection = {}, options: CallOptions = {}): Promise<CloudHealth[]> {
    return Promise.all(
      this.#clouds.select(selection, 'health').map(async ([cloud, driver]) => {
        const started = performance.now();
        const outcome = await this.#clouds.attempt(
          cloud,
          'health',
          async (each, callOptions) => {
            // The first node (or the end of an empty list) proves the credentials and the API work.
            for await (const _node of each.iterateNodes({}, callOptions)) break;
          },
          options,
        );
        const latencyMs = Math.round(performance.now() - started);
        return outcome.ok
          ? { cloud, provider: driver.provider, reachable: true, latencyMs }
          : { cloud, provider: driver.provider, reachable: false, latencyMs, error: outcome.failure.error };
      }),
    );
  }

  /**
   * Sizes you can run across the selected clouds and their locations that meet the query, ranked
   * cheapest first in one currency. Offers in another currency are converted only with a rate you
   * give (`exchangeRates`), else listed after the comparable ones (`rank: 'other-currency'`);
   * offers with an unknown price come last (`rank: 'unknown-price'`).
   */
  findOffers(query: OfferQuery = {}, options: CallOptions = {}): Promise<OfferList> {
    return findOffers(this.#clouds, query, options);
  }

  /** Destroys every node the filter matches (`{ all: true }` for all), with bounded concurrency; a report per node. */
  destroyNodes(filter: BulkFilter, options: BulkOptions = {}): Promise<BulkReport> {
    return runBulk(this.#clouds, 'destroyNode', filter, options);
  }

  /** Reboots every node the filter matches (`{ all: true }` for all), with bounded concurrency; a report per node. */
  rebootNodes(filter: BulkFilter, options: BulkOptions = {}): Promise<BulkReport> {
    return runBulk(this.#clouds, 'rebootNode', filter, options);
  }

  /**
   * Plans moving nodes from one cloud to another: target size, image and location per node, the
   * hourly cost before and after, and the nodes that cannot be moved with the reason. Nothing is
   * created; the plan is plain data you can save and run later.
   */
  planMigration(request: MigrationPlanRequest): Promise<MigrationPlan> {
    return planMigration(this.#clouds, request);
  }

  /**
   * Runs a plan: creates each target (tagged with its source and created with an idempotency key
   * derived from it), waits until it runs, and with `cleanupSource` destroys the source — never
   * before its replacement runs. Safe to run again after an interruption or a failure: targets
   * from earlier runs are found, not created twice. Aborting the signal stops the run and reports
   * the unfinished nodes as `interrupted`.
   */
  migrate(plan: MigrationPlan, options: MigrateOptions = {}): Promise<MigrationReport> {
    return migrate(this.#clouds, plan, options);
  }
}
