/**
 * The public shapes of `MultiCloud`: options, listings, offers, bulk reports, migration plans
 * and migration reports. Every result is plain data (JSON-serialisable; errors serialise through
 * their secret-free `toJSON`).
 *
 * @module
 */
import type { Driver } from '../core/driver.js';
import type { CloudError } from '../core/errors.js';
import type { GeneratedCredentials } from '../core/launch-spec.js';
import type { Inventory } from './inventory.js';
import type { LaunchRequest, MigrationLaunch, TagChange } from './launch.js';
import type {
  Arch,
  CallOptions,
  Image,
  Location,
  Node,
  NodeQuery,
  NodeState,
  Price,
  ProviderName,
  Size,
  WaitOptions,
} from '../core/types.js';

/** Options of `new MultiCloud(…)`. */
export interface MultiCloudOptions {
  /**
   * The clouds, by a name of your choosing (e.g. `aws-prod`, `hetzner`). Two accounts of the
   * same provider are two entries. Names must be 1–64 letters, digits, `.`, `_` or `-`.
   */
  readonly drivers: Readonly<Record<string, Driver>>;
  /**
   * How long one cloud may take to answer one call of a fan-out (`listNodes`, `health`,
   * `findOffers`, listing for bulk operations), in ms, before it is reported as failed with a
   * `TimeoutError`.
   * @defaultValue 30000
   */
  readonly timeoutMs?: number;
  /**
   * How long a cloud's locations and sizes (its catalog) are remembered after a successful
   * answer, so that a migration can be planned from an inventory while the source is down.
   * Node lists are never cached. In ms; `0` turns the cache off.
   * @defaultValue 3600000 (1 hour)
   */
  readonly catalogTtlMs?: number;
}

/** A node and the cloud (MultiCloud name) it lives in. */
export interface CloudNode {
  /** The MultiCloud name of the cloud, e.g. `aws-prod`. */
  readonly cloud: string;
  /** The node, as that cloud's driver reports it. */
  readonly node: Node;
}

/** A cloud that did not answer: never silently dropped from a result. */
export interface CloudFailure {
  /** The MultiCloud name of the cloud that failed. */
  readonly cloud: string;
  /** Its provider, e.g. `aws`. */
  readonly provider: ProviderName;
  /** Why it failed: the driver's error, or a `TimeoutError` after {@link MultiCloudOptions.timeoutMs}. */
  readonly error: CloudError;
}

/** Which clouds a call covers. */
export interface CloudSelection {
  /**
   * Only these MultiCloud names, or provider names (`aws` selects every AWS entry).
   * @defaultValue every configured cloud
   */
  readonly clouds?: readonly string[];
}

/** `MultiCloud.listNodes` query: a {@link NodeQuery} for every selected cloud. */
export type MultiNodeQuery = NodeQuery & CloudSelection;

/** Nodes from every cloud that answered, and a failure for every cloud that did not. */
export interface MultiNodeList {
  /** The matching nodes of every cloud that answered, each with its cloud's name. */
  readonly nodes: CloudNode[];
  /** One entry per selected cloud that failed or timed out; its nodes are missing from `nodes`. */
  readonly failures: CloudFailure[];
}

/** A location and the cloud it belongs to. */
export interface CloudLocation {
  /** The MultiCloud name of the cloud offering the location. */
  readonly cloud: string;
  /** The location, as that cloud's driver reports it. */
  readonly location: Location;
}

/** Locations of every cloud that answered. */
export interface MultiLocationList {
  /** Every location of every cloud that answered, each with its cloud's name. */
  readonly locations: CloudLocation[];
  /** One entry per selected cloud whose locations could not be read. */
  readonly failures: CloudFailure[];
}

/** Whether a cloud answers, and how fast. */
export interface CloudHealth {
  /** The MultiCloud name of the cloud probed. */
  readonly cloud: string;
  /** Its provider, e.g. `hetzner`. */
  readonly provider: ProviderName;
  /** True when an authenticated list call succeeded within the timeout. */
  readonly reachable: boolean;
  /** How long the probe took, in ms (until it failed or timed out, when it did). */
  readonly latencyMs: number;
  /** Why the cloud is not reachable; absent when `reachable` is true. */
  readonly error?: CloudError;
}

/** What `findOffers` looks for. */
export interface OfferQuery extends CloudSelection {
  /**
   * Fewest vCPUs.
   * @defaultValue 0 (any)
   */
  readonly minVcpus?: number;
  /**
   * Least memory in GiB.
   * @defaultValue 0 (any)
   */
  readonly minMemoryGiB?: number;
  /**
   * Only this architecture; sizes that do not state theirs are left out.
   * @defaultValue any architecture
   */
  readonly arch?: Arch;
  /**
   * Highest hourly price, in {@link OfferQuery.currency}. Offers whose price is unknown, or in
   * another currency with no exchange rate given, are left out when this is set, since they
   * cannot be shown to be under it.
   * @defaultValue no limit
   */
  readonly maxHourly?: number;
  /**
   * Only locations in these countries (ISO 3166-1 alpha-2, any case).
   * @defaultValue anywhere
   */
  readonly countries?: readonly string[];
  /**
   * Only these location ids (or regions).
   * @defaultValue every location
   */
  readonly regions?: readonly string[];
  /**
   * Only clouds of these providers. Combines with `clouds`.
   * @defaultValue every provider
   */
  readonly providers?: readonly ProviderName[];
  /**
   * The currency offers are ranked (and `maxHourly` is read) in (ISO 4217, any case).
   * @defaultValue the currency most priced offers are in
   */
  readonly currency?: string;
  /**
   * Exchange rates into {@link OfferQuery.currency}: how much one unit of each other currency is
   * worth, e.g. `{ EUR: 1.08 }` when ranking in USD. polycloud ships no exchange rates; without
   * one, offers in another currency are never converted and are listed after the comparable ones.
   * @defaultValue none
   */
  readonly exchangeRates?: Readonly<Record<string, number>>;
}

/** Where an offer sits in the ranking. */
export type OfferRank =
  /** Priced in the ranking currency (or converted with a given rate): sorted cheapest first. */
  | 'priced'
  /** Priced in another currency with no rate given: not comparable, listed after `priced`. */
  | 'other-currency'
  /** The price is unknown: listed last. */
  | 'unknown-price';

/** A size you can run in a location of a cloud, and what it costs there. */
export interface Offer {
  /** The MultiCloud name of the cloud offering the size. */
  readonly cloud: string;
  /** Its provider, e.g. `digitalocean`. */
  readonly provider: ProviderName;
  /** The size (instance type, plan) offered; its `id` is what `createNode` takes. */
  readonly size: Size;
  /** The location the size is offered and priced in. */
  readonly location: Location;
  /** The provider's price in this location, in its own currency; `null` when unknown. */
  readonly price: Price | null;
  /** Which part of the ranking the offer is in, which says whether `comparableHourly` is set. */
  readonly rank: OfferRank;
  /** The hourly price in the ranking currency, when `rank` is `priced` (converted when `converted`). */
  readonly comparableHourly: number | null;
  /** True when `comparableHourly` was converted with one of the given exchange rates. */
  readonly converted: boolean;
}

/** `findOffers` result. */
export interface OfferList {
  /** Ranked: `priced` cheapest first, then `other-currency`, then `unknown-price`. */
  readonly offers: Offer[];
  /** The currency `comparableHourly` is in (`null` when no offer has a known price). */
  readonly currency: string | null;
  /** One entry per selected cloud whose sizes or locations could not be read: none of its offers are listed. */
  readonly failures: CloudFailure[];
}

/**
 * Which nodes a bulk operation acts on. At least one criterion is required; to act on every
 * node of the selected clouds, say so with `{ all: true }`.
 */
export type BulkFilter =
  | ({
      /** Act on every node of the selected clouds; no other criterion may be given with it. */
      readonly all: true;
    } & CloudSelection)
  | (CloudSelection & {
      /** Not every node: the criteria below decide (at least one is required). */
      readonly all?: false;
      /** Only nodes with these ids. */
      readonly ids?: readonly string[];
      /** Only nodes with every one of these tags. */
      readonly tags?: Readonly<Record<string, string>>;
      /** Only nodes in these locations. */
      readonly location?: string | readonly string[];
      /** Only nodes in these states. */
      readonly states?: readonly NodeState[];
    });

/** Options of bulk operations. */
export interface BulkOptions extends CallOptions {
  /**
   * Only report which nodes would be acted on (status `would-act`); nothing is destroyed or rebooted.
   * @defaultValue false
   */
  readonly dryRun?: boolean;
  /**
   * Most node operations in flight at once, across clouds (a whole number, 1 or more).
   * @defaultValue 8
   */
  readonly concurrency?: number;
}

/** What happened to one node of a bulk operation. */
export interface BulkResult {
  /** The MultiCloud name of the node's cloud. */
  readonly cloud: string;
  /** The node as it was listed before the operation (its state is not refreshed after). */
  readonly node: Node;
  /** `would-act` in a dry run. */
  readonly status: 'succeeded' | 'failed' | 'would-act';
  /** Why the operation failed on this node; set only when `status` is `failed`. */
  readonly error?: CloudError;
}

/** A batch report. */
export interface BulkReport {
  /** The driver operation applied to each node: `destroyNode` (`destroyNodes`) or `rebootNode` (`rebootNodes`). */
  readonly operation: 'destroyNode' | 'rebootNode';
  /** True when the call was a dry run: nothing was done, every result is `would-act`. */
  readonly dryRun: boolean;
  /** One entry per matching node, in listing order. */
  readonly results: BulkResult[];
  /** Clouds whose nodes could not be listed: nothing was done there. */
  readonly failures: CloudFailure[];
  /** How many results are `succeeded`. */
  readonly succeeded: number;
  /** How many results are `failed`. */
  readonly failed: number;
}

/** Where migrated nodes go when no target location shares their country or continent. */
export interface PlacementRule {
  /**
   * Put every node in this target location id, whatever its geography.
   * @defaultValue none: each node's location is chosen by geography
   */
  readonly location?: string;
  /**
   * Only target locations in these countries (ISO 3166-1 alpha-2, any case).
   * @defaultValue any country
   */
  readonly countries?: readonly string[];
  /**
   * When no target location is in the node's country or continent: `cheapest` takes the target
   * location where the equivalent size is cheapest; `none` leaves the node unmatched.
   * @defaultValue `cheapest`
   */
  readonly fallback?: 'cheapest' | 'none';
}

/** `planMigration` input. */
export interface MigrationPlanRequest extends CallOptions {
  /** MultiCloud name of the source cloud. */
  readonly from: string;
  /** MultiCloud name of the target cloud. */
  readonly to: string;
  /**
   * Which source nodes to move.
   * @defaultValue every node that is not terminating or terminated
   */
  readonly filter?: NodeQuery;
  /**
   * The source nodes, when you already have them (e.g. an inventory taken before an outage):
   * the source is then not listed. `filter` still applies.
   * @defaultValue list the source now
   */
  readonly nodes?: readonly Node[];
  /**
   * An inventory taken earlier (`MultiCloud.takeInventory`, possibly read back from a JSON file):
   * the source's nodes, catalogs and launch specs come from it and the source is not contacted
   * at all. Only the target is asked. Wins over `nodes`.
   * @defaultValue read the source now
   */
  readonly inventory?: Inventory;
  /**
   * Where targets go when geography does not decide: a fixed location, allowed countries, and
   * the fallback when no target location shares a node's country or continent.
   * @defaultValue `{}`: same country, else same continent, else the cheapest location anywhere
   */
  readonly placement?: PlacementRule;
  /**
   * SSH keys and user data for the targets, for all nodes and per source node id. A node's own
   * launch spec (read from the source where the provider can say) wins over `sshKeys`/`userData`
   * for all; `perNode` wins over both.
   * @defaultValue only what the source says
   */
  readonly launch?: LaunchRequest;
  /**
   * Exchange rates into the source's currency (how much one unit of each other currency is worth
   * in it, e.g. `{ EUR: 1.08 }` when the source prices in USD), so that `hourlyChange` can be
   * computed across currencies. polycloud ships no rates.
   * @defaultValue none
   */
  readonly exchangeRates?: Readonly<Record<string, number>>;
  /**
   * What to do when a target name is already taken by a node that is not this migration's:
   * `suffix` appends a short suffix derived from the migration key (never adopting the other
   * node); `keep` fails that node.
   * @defaultValue `suffix`
   */
  readonly names?: NamePolicy;
}

/** What to do when a target name is taken by another node. */
export type NamePolicy = 'keep' | 'suffix';

/** Why a target location was chosen. */
export type PlacementReason = 'same-country' | 'same-continent' | 'placement-location' | 'cheapest-anywhere';

/** A source node, as much as a plan needs of it. */
export interface MigrationSource {
  /** The MultiCloud name of the source cloud (the plan's `from`). */
  readonly cloud: string;
  /** The source cloud's provider. */
  readonly provider: ProviderName;
  /** The source node's provider id: what the cleanup destroys and the migration key derives from. */
  readonly id: string;
  /** The source node's name; the target's name is derived from it. */
  readonly name: string;
  /** Where the source node runs; its country and continent decide the target location. */
  readonly location: Node['location'];
  /** The source node's size id; `null` when the provider does not say. */
  readonly sizeId: string | null;
  /** The id of the image the source node was created from; `null` when the provider does not say. */
  readonly imageId: string | null;
  /** The node's hourly price, `null` when unknown. */
  readonly price: Price | null;
  /** The source node's tags, as the source reports them. */
  readonly tags?: Readonly<Record<string, string>>;
}

/** What will be created for one source node. */
export interface MigrationTarget {
  /** The MultiCloud name of the target cloud (the plan's `to`). */
  readonly cloud: string;
  /** The target cloud's provider. */
  readonly provider: ProviderName;
  /**
   * The name the target is created with: the source's, respelled to the target's naming rules
   * (a run may add a suffix when it is taken, see {@link MigrationResult.targetName}).
   */
  readonly name: string;
  /** The cheapest target size with at least the source's vCPUs, memory and GPUs, on the same architecture. */
  readonly size: Size;
  /** The target base image with the source image's OS family and version. */
  readonly image: Image;
  /** The target location the node is created in. */
  readonly location: Location;
  /** Why `location` was chosen (the first tier of places with a fitting size and image wins). */
  readonly placement: PlacementReason;
  /**
   * Tags the target gets: the source's, plus `polycloud:migrated-from` and `polycloud:migration`,
   * all translated to the target's rules (see {@link MigrationTarget.tagChanges}).
   */
  readonly tags: Readonly<Record<string, string>>;
  /** Every tag that was respelled or dropped to meet the target's rules, and why. Empty when none. */
  readonly tagChanges?: readonly TagChange[];
  /** Derived from the source (and generation), so re-running the plan never creates a second target. */
  readonly idempotencyKey: string;
  /**
   * Which replacement this is: 1 for the first; a replacement found terminated (destroyed by
   * hand) is recreated under the next generation, with a new key.
   * @defaultValue 1
   */
  readonly generation?: number;
  /** The SSH keys and user data the target gets, where each came from, and any warning. */
  readonly launch?: MigrationLaunch;
  /** The target's hourly price, `null` when unknown. */
  readonly price: Price | null;
}

/** One node to move. */
export interface MigrationStep {
  /** The node to move. */
  readonly source: MigrationSource;
  /** What will be created for it on the target cloud. */
  readonly target: MigrationTarget;
}

/** A source node that cannot be moved, and why. */
export interface UnmatchedNode {
  /** The node that is not moved. */
  readonly source: MigrationSource;
  /** Why, in words, e.g. that its image is not a base image with a known OS. */
  readonly reason: string;
}

/** Hourly cost of a set of nodes, per currency (never added across currencies). */
export interface CostSummary {
  /** Hourly total per currency, e.g. `{ USD: 0.21 }`. */
  readonly hourly: Readonly<Record<string, number>>;
  /** Nodes whose price is unknown (not counted in `hourly`). */
  readonly unknownPrice: number;
}

/** A migration plan: plain data, safe to save as JSON and run later with `migrate`. */
export interface MigrationPlan {
  /** MultiCloud name of the source cloud. */
  readonly from: string;
  /** MultiCloud name of the target cloud. */
  readonly to: string;
  /** ISO time the plan was made. */
  readonly createdAt: string;
  /** One step per source node that can be moved; `migrate` runs them. */
  readonly steps: MigrationStep[];
  /** Source nodes the filter selected that cannot be moved, each with the reason; never attempted. */
  readonly unmatched: UnmatchedNode[];
  /** Hourly cost of the planned nodes (`steps` only) before and after the move. */
  readonly cost: {
    /** What the planned source nodes cost now. */
    readonly before: CostSummary;
    /** What their targets will cost. */
    readonly after: CostSummary;
    /**
     * `after − before` per hour in the source's currency, when both sides are fully priced in one
     * currency each and every other currency has a rate in `exchangeRates`; otherwise `null`.
     */
    readonly hourlyChange: {
      /** The change per hour: negative when the targets cost less. */
      readonly amount: number;
      /** The currency of `amount`: the source's (ISO 4217). */
      readonly currency: string;
      /** The exchange rates used (currency → its worth in `currency`); empty when none was needed. */
      readonly ratesUsed?: Readonly<Record<string, number>>;
    } | null;
  };
  /**
   * The name policy the run follows.
   * @defaultValue `suffix`
   */
  readonly names?: NamePolicy;
  /** Where the source's nodes came from: `inventory` (taken at `inventoryTakenAt`), `nodes` given, or `live`. */
  readonly sourceData?: 'inventory' | 'nodes' | 'live';
  /** ISO time the inventory the plan was made from was taken; set only when `sourceData` is `inventory`. */
  readonly inventoryTakenAt?: string;
}

/** A step of migrating one node: find or create the replacement, wait until it runs, verify it, destroy the source. */
export type MigrationPhase = 'create' | 'wait' | 'verify' | 'cleanup';

/** Told to `onProgress` as each node moves through its steps. */
export interface MigrationProgress {
  /** The node the event is about. */
  readonly source: MigrationSource;
  /** The step it is at (for a finished node: the last step it took). */
  readonly phase: MigrationPhase;
  /** `started` as the step begins; `succeeded` or `failed` once, when the node is finished. */
  readonly status: 'started' | 'succeeded' | 'failed';
  /** Nodes finished (either way) so far. */
  readonly finished: number;
  /** How many nodes the run covers (the plan's steps). */
  readonly total: number;
  /** Why the node failed; set only when `status` is `failed`. */
  readonly error?: CloudError;
}

/** Options of `migrate`. */
export interface MigrateOptions extends CallOptions {
  /**
   * Told as each node starts a step and once when it is finished; called synchronously, so keep
   * it quick (it must not throw).
   * @defaultValue none
   */
  readonly onProgress?: (progress: MigrationProgress) => void;
  /**
   * Most creates and source cleanups in flight at once. Waiting for targets to run is not
   * bounded by it (it is polling), so every created target provisions at the same time.
   * @defaultValue 4
   */
  readonly concurrency?: number;
  /**
   * Destroy each source node once its replacement is running. A source is never destroyed
   * before that.
   * @defaultValue false
   */
  readonly cleanupSource?: boolean;
  /**
   * How to wait for the targets to run.
   * @defaultValue the target driver's wait defaults
   */
  readonly wait?: Omit<WaitOptions, 'signal'>;
  /**
   * Most nodes in progress at once (looking up, waiting, verifying). Steps are taken from the plan
   * as earlier ones finish, so memory and requests stay bounded whatever the plan's size.
   * @defaultValue 256
   */
  readonly nodeConcurrency?: number;
  /**
   * Told each node's result as soon as it is known (results also come in the report).
   * @defaultValue none
   */
  readonly onResult?: (result: MigrationResult) => void;
}

/** What happened to one node of a migration. */
export interface MigrationResult {
  /** The node this result is about. */
  readonly source: MigrationSource;
  /**
   * `migrated`: the target runs (and, with `cleanupSource`, the source is destroyed).
   * `failed`: a step failed (see `phase` and `error`). `interrupted`: the signal aborted the run
   * before the node finished; run the plan again to finish it.
   */
  readonly status: 'migrated' | 'failed' | 'interrupted';
  /** The step that failed or was interrupted. */
  readonly phase?: MigrationPhase;
  /** The target node as last seen, when there is one. */
  readonly target?: CloudNode;
  /** True when this run created the target; false when it found one from an earlier run. */
  readonly created: boolean;
  /** True when this run destroyed the source. */
  readonly sourceDestroyed: boolean;
  /** The name the target was created with (differs from the plan's when the `suffix` policy applied). */
  readonly targetName?: string;
  /** The replacement's generation (see {@link MigrationTarget.generation}). */
  readonly generation?: number;
  /**
   * Credentials the target provider generated (e.g. Hetzner's root password), handed back once:
   * only in the run that created the node. {@link Secret}s: they print as `[redacted]`.
   */
  readonly credentials?: GeneratedCredentials;
  /** Why the node failed; set only when `status` is `failed`. */
  readonly error?: CloudError;
}

/** What a migration run did. */
export interface MigrationReport {
  /** MultiCloud name of the source cloud (the plan's `from`). */
  readonly from: string;
  /** MultiCloud name of the target cloud (the plan's `to`). */
  readonly to: string;
  /** One result per plan step, in the plan's order. */
  readonly results: MigrationResult[];
  /** Carried over from the plan: nodes that were never attempted. */
  readonly unmatched: UnmatchedNode[];
  /** How many results are `migrated`. */
  readonly migrated: number;
  /** How many results are `failed`: run the plan again to retry them. */
  readonly failed: number;
  /** How many results are `interrupted` (the signal aborted the run before they finished). */
  readonly interrupted: number;
  /** Targets this run created (targets found from earlier runs are not counted). */
  readonly created: number;
  /** Source nodes this run destroyed (with `cleanupSource`). */
  readonly sourcesDestroyed: number;
}
