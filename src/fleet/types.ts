/**
 * The public shapes of fleet mode: what a run is started with, what a worker is given, and what
 * `fleetStatus` reports. Everything stored in PostgreSQL is one of these plain-data shapes; no
 * credential ever is.
 *
 * @module
 */
import type { Driver } from '../core/driver.js';
import type { Secret } from '../core/secrets.js';
import type { HostKeyStore } from '../ssh/index.js';
import type { Inventory, MigrationPlan, MigrationPlanRequest, MigrationSource, MultiCloud } from '../multicloud/index.js';

/** Per-cloud limits, enforced across every worker sharing the database. */
export interface PerCloudLimits {
  /**
   * Most node migrations in flight at once per cloud, on both sides: at each target cloud, the
   * nodes being created, waited for and verified there (a DBOS queue partitioned by target
   * cloud); at each source cloud, the sources being destroyed there (a second DBOS queue,
   * partitioned by source cloud). Each in-flight node makes one request at a time, so this also
   * bounds the requests in flight at a cloud from the whole fleet (a cloud that is both a source
   * and a target in one run gets the limit once per side).
   * @defaultValue 8 ({@link DEFAULT_MAX_IN_FLIGHT})
   */
  readonly maxInFlight?: number;
  /**
   * Most node workflows started per second per cloud across every worker (DBOS's per-partition
   * rate limit, on both queues: node starts per target cloud, cleanups per source cloud). It
   * bounds the rate of the first request of each node, not every request (polls and look-ups
   * follow within `maxInFlight`). May be below 1 (e.g. `0.5`: one start every 2 seconds).
   * @defaultValue no limit
   */
  readonly requestsPerSecond?: number;
}

/**
 * Which source nodes to move where, planned by a worker from an inventory (the same fields as
 * `planMigration`, without `inventory`/`nodes`, which come from the request).
 */
export type FleetQuery = Omit<MigrationPlanRequest, 'inventory' | 'nodes' | 'signal'>;

/** SSH checks on each target before its source is destroyed (when asked). */
export interface FleetVerifyOptions {
  /**
   * Wait until the target accepts an authenticated SSH session (with the worker's key, see
   * {@link FleetWorkerOptions.ssh}).
   * @defaultValue true (when `verify` is given)
   */
  readonly ssh?: boolean;
  /**
   * A shell command run on the target over SSH once it accepts a session; a non-zero exit fails
   * the node at `verify` (its source is kept). Its output is never stored.
   * @defaultValue none: only the SSH session is checked
   */
  readonly command?: string;
  /**
   * The login user.
   * @defaultValue the driver's login user for the target's image
   */
  readonly user?: string;
  /**
   * Longest wait for SSH, and longest run of the command, in ms.
   * @defaultValue 300000 (5 minutes)
   */
  readonly timeoutMs?: number;
  /**
   * First pause between SSH attempts, in ms.
   * @defaultValue 1000
   */
  readonly intervalMs?: number;
}

/** How each node is migrated (the same for every node of a run). */
export interface FleetNodeOptions {
  /**
   * Destroy each source node once its replacement is seen running, never before.
   * @defaultValue true
   */
  readonly cleanupSource?: boolean;
  /**
   * Longest wait for a target to run, in ms, per attempt of the wait step.
   * @defaultValue 600000 (10 minutes)
   */
  readonly waitTimeoutMs?: number;
  /**
   * First pause between polls of a target, in ms.
   * @defaultValue 1000
   */
  readonly waitIntervalMs?: number;
  /**
   * Longest pause between polls of a target, in ms.
   * @defaultValue 15000
   */
  readonly waitMaxIntervalMs?: number;
  /**
   * Attempts of each step when it fails with a retryable error (provider down, throttled, timed
   * out), with the pause doubling from `retryIntervalMs`. A node that still fails is `failed`,
   * and `resumeFleetMigration` runs it again.
   * @defaultValue 8
   */
  readonly stepAttempts?: number;
  /**
   * First pause between attempts of a step, in ms.
   * @defaultValue 1000
   */
  readonly retryIntervalMs?: number;
  /**
   * Check each target over SSH (and run a command) before destroying its source.
   * @defaultValue no check
   */
  readonly verify?: FleetVerifyOptions;
}

/** `startFleetMigration` input. Give `plan` (or `plans`), or `inventory` and `query`. */
export interface FleetMigrationRequest {
  /** A plan made by `planMigration`. */
  readonly plan?: MigrationPlan;
  /** Several plans (e.g. one per source account) run as one fleet migration. */
  readonly plans?: readonly MigrationPlan[];
  /**
   * An inventory (`MultiCloud.takeInventory`, possibly read back from a file), planned by a
   * worker with `query`: the source is not contacted, the target's catalog is read by the worker
   * (which has the credentials). The plan is a durable step of the run: planned once.
   */
  readonly inventory?: Inventory;
  /** With `inventory`: the nodes to move and where, as `planMigration` takes them (one or several). */
  readonly query?: FleetQuery | readonly FleetQuery[];
  /** PostgreSQL URL of the DBOS system database, shared by every worker. */
  readonly database: string;
  /**
   * A name for the run: 1–64 letters, digits, `.`, `_` or `-`.
   * @defaultValue `run-` and a hash of the plans' migration keys (or of the inventory and queries),
   * so starting the same plan twice is the same run
   */
  readonly runId?: string;
  /**
   * Most node migrations in flight at once, across every worker and cloud.
   * @defaultValue 32 ({@link DEFAULT_CONCURRENCY})
   */
  readonly concurrency?: number;
  /**
   * Most node migrations in flight at once in one worker process.
   * @defaultValue no per-worker limit
   */
  readonly workerConcurrency?: number;
  /**
   * Limits per cloud, enforced across every worker.
   * @defaultValue `{}`: 8 in flight per cloud and side, no rate limit
   */
  readonly perCloud?: PerCloudLimits;
  /**
   * How each node is migrated: source cleanup, waits, step retries and SSH verification.
   * @defaultValue `{}` (see {@link NODE_DEFAULTS})
   */
  readonly node?: FleetNodeOptions;
  /**
   * How often workers look for queued nodes, in ms (DBOS's minimum polling interval); also how
   * often a node looks whether its source cleanup is done.
   * @defaultValue 1000
   */
  readonly pollIntervalMs?: number;
}

/** What `startFleetMigration` returns. */
export interface FleetRun {
  /** The run's id (the one given, or the derived one): what {@link fleetStatus} and the other run functions take. */
  readonly runId: string;
  /** Nodes the run migrates (plan steps); `null` for a run from an inventory, until a worker plans it. */
  readonly total: number | null;
  /** Source nodes no target was found for (carried over from the plans, never attempted); `null` until planned. */
  readonly unmatched: number | null;
  /** False when a run with this id had been started before (nothing new was enqueued). */
  readonly created: boolean;
}

/** Where a node is. */
export type FleetNodePhase = 'queued' | 'create' | 'wait' | 'verify' | 'cleanup' | 'migrated' | 'failed' | 'cancelled';

/** The step a node failed at. */
export type FleetStepName = 'create' | 'wait' | 'verify' | 'cleanup';

/** A node that failed, with its redacted error. */
export interface FleetFailure {
  /** The source node that failed to move: its cloud, provider, id and name. */
  readonly source: Pick<MigrationSource, 'cloud' | 'provider' | 'id' | 'name'>;
  /** The step that failed. */
  readonly phase: FleetStepName;
  /** Why, after the step's retries (a `WorkflowError` when the node's workflow itself ended abnormally). */
  readonly error: FleetError;
}

/** A failure as stored: the `CloudError`'s secret-free fields, never its cause. */
export interface FleetError {
  /** The error's class name, e.g. `RateLimitError` (`WorkflowError` when a node's workflow itself ended abnormally). */
  readonly name: string;
  /** The redacted message; for an error that is not a polycloud error, a fixed text (its own is withheld). */
  readonly message: string;
  /** The provider that failed, or `polycloud`; absent for an error that is not a polycloud error. */
  readonly provider?: string;
  /** The driver operation that failed, e.g. `createNode`; absent for an error that is not a polycloud error. */
  readonly operation?: string;
  /** The HTTP status the provider answered with, when there was an answer. */
  readonly statusCode?: number;
  /** The provider's request id (redacted), when it gave one. */
  readonly requestId?: string;
  /** The provider's own error code (redacted), when it gave one. */
  readonly code?: string;
  /** Whether repeating the step may succeed; only retryable failures are retried by the step. */
  readonly retryable: boolean;
}

/** `fleetStatus` result. */
export interface FleetStatus {
  /** The run asked about. */
  readonly runId: string;
  /**
   * For a run from an inventory: `planning` until a worker has planned it, `failed` when planning
   * failed (see `planError`); `planned` otherwise.
   */
  readonly plan: 'planning' | 'planned' | 'failed';
  /** Why planning failed (redacted). */
  readonly planError?: FleetError;
  /** Nodes the run migrates (its plans' steps); 0 while a run from an inventory is `planning`. */
  readonly total: number;
  /** Nodes per phase; the counts add up to `total`. */
  readonly counts: Readonly<Record<FleetNodePhase, number>>;
  /** Targets created by the run so far (including targets of nodes still in flight). */
  readonly created: number;
  /** Source nodes destroyed by the run so far. */
  readonly sourcesDestroyed: number;
  /** One entry per node counted as `failed`, with its redacted error. */
  readonly failures: FleetFailure[];
  /** True when no node is queued or in flight. */
  readonly done: boolean;
}

/** What a node workflow returns (stored by DBOS as the workflow's output). */
export interface FleetNodeResult {
  /** `migrated`: the target runs (and its source is destroyed, with `cleanupSource`); `failed`: a step failed. */
  readonly status: 'migrated' | 'failed';
  /** The step that failed; set only when `status` is `failed`. */
  readonly phase?: FleetStepName;
  /** The source node. */
  readonly source: {
    /** MultiCloud name of its cloud. */
    readonly cloud: string;
    /** Its provider id. */
    readonly id: string;
  };
  /** The target node as last recorded; absent when it was never created. */
  readonly target?: {
    /** MultiCloud name of its cloud. */
    readonly cloud: string;
    /** Its provider id. */
    readonly id: string;
    /** Its state when last seen, e.g. `running`. */
    readonly state: string;
  };
  /** True when this node's cleanup destroyed its source. */
  readonly sourceDestroyed: boolean;
  /** Why the node failed (redacted); set only when `status` is `failed`. */
  readonly error?: FleetError;
  /** The worker that finished the node. */
  readonly worker: string;
}

/** Told to a worker's `onProgress` as it finishes a node. */
export interface FleetWorkerEvent {
  /** What happened to the node. */
  readonly result: FleetNodeResult;
  /** The source node's name, for display. */
  readonly name: string;
}

/** `startFleetWorker` options. */
export interface FleetWorkerOptions {
  /** PostgreSQL URL of the DBOS system database. */
  readonly database: string;
  /**
   * The clouds this worker can reach, by the names the plans use, built from the worker's own
   * configuration (credentials never leave the worker).
   */
  readonly clouds: MultiCloud | Readonly<Record<string, Driver>>;
  /**
   * This worker's DBOS executor id. Give each worker a stable one: a worker restarted with the
   * same id takes over the nodes it was migrating when it stopped. 1–128 letters, digits, `.`,
   * `_`, `:` or `-`.
   * @defaultValue `fleet-<hostname>-<pid>`
   */
  readonly workerId?: string;
  /**
   * DBOS log level (step retries are logged at `warn`).
   * @defaultValue `error`
   */
  readonly logLevel?: 'error' | 'warn' | 'info' | 'debug';
  /**
   * Called each time this worker finishes a node, migrated or failed.
   * @defaultValue none
   */
  readonly onProgress?: (event: FleetWorkerEvent) => void;
  /**
   * This worker's SSH credentials, for runs that verify targets over SSH (`node.verify`). The
   * key stays in the worker: never stored, never logged.
   * @defaultValue none (such nodes fail at `verify`)
   */
  readonly ssh?: FleetWorkerSsh;
}

/** A worker's SSH credentials and host-key store. */
export interface FleetWorkerSsh {
  /** The private key (OpenSSH or PEM text) matching the public keys the targets were given. */
  readonly privateKey: Secret | string;
  /**
   * The passphrase of an encrypted `privateKey`.
   * @defaultValue none (the key is not encrypted)
   */
  readonly passphrase?: Secret | string;
  /**
   * Where host keys are recorded (trust on first use).
   * @defaultValue one in-memory store per process
   */
  readonly hostKeys?: HostKeyStore;
}

/** A running worker. */
export interface FleetWorker {
  /** This worker's DBOS executor id: what {@link recoverFleetWorker} takes if it dies for good. */
  readonly workerId: string;
  /** Stops dequeuing and disconnects; nodes in flight are taken over when the worker restarts. */
  stop(): Promise<void>;
}
