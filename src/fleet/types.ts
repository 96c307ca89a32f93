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
   * and a target in one run gets the limit once per side). Default: 8.
   */
  readonly maxInFlight?: number;
  /**
   * Most node workflows started per second per cloud across every worker (DBOS's per-partition
   * rate limit, on both queues: node starts per target cloud, cleanups per source cloud). It
   * bounds the rate of the first request of each node, not every request (polls and look-ups
   * follow within `maxInFlight`). Default: no limit.
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
   * {@link FleetWorkerOptions.ssh}). Default: true when `verify` is given.
   */
  readonly ssh?: boolean;
  /**
   * A shell command run on the target over SSH once it accepts a session; a non-zero exit fails
   * the node at `verify` (its source is kept). Its output is never stored. Default: none.
   */
  readonly command?: string;
  /** The login user. Default: the driver's for the target's image. */
  readonly user?: string;
  /** Longest wait for SSH, and longest run of the command, in ms. Default: 300 000. */
  readonly timeoutMs?: number;
  /** First pause between SSH attempts, in ms. Default: 1 000. */
  readonly intervalMs?: number;
}

/** How each node is migrated (the same for every node of a run). */
export interface FleetNodeOptions {
  /** Destroy each source node once its replacement is seen running, never before. Default: true. */
  readonly cleanupSource?: boolean;
  /** Longest wait for a target to run, in ms, per attempt of the wait step. Default: 600 000. */
  readonly waitTimeoutMs?: number;
  /** First pause between polls of a target, in ms. Default: 1 000. */
  readonly waitIntervalMs?: number;
  /** Longest pause between polls of a target, in ms. Default: 15 000. */
  readonly waitMaxIntervalMs?: number;
  /**
   * Attempts of each step when it fails with a retryable error (provider down, throttled, timed
   * out), with the pause doubling from `retryIntervalMs`. A node that still fails is `failed`,
   * and `resumeFleetMigration` runs it again. Default: 8.
   */
  readonly stepAttempts?: number;
  /** First pause between attempts of a step, in ms. Default: 1 000. */
  readonly retryIntervalMs?: number;
  /** Check each target over SSH (and run a command) before destroying its source. Default: no check. */
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
   * A name for the run. Default: derived from the plans' migration keys, so starting the same plan
   * twice is the same run.
   */
  readonly runId?: string;
  /** Most node migrations in flight at once, across every worker and cloud. Default: 32. */
  readonly concurrency?: number;
  /** Most node migrations in flight at once in one worker process. Default: no per-worker limit. */
  readonly workerConcurrency?: number;
  readonly perCloud?: PerCloudLimits;
  readonly node?: FleetNodeOptions;
  /** How often workers look for queued nodes, in ms (DBOS's minimum polling interval). Default: 1 000. */
  readonly pollIntervalMs?: number;
}

/** What `startFleetMigration` returns. */
export interface FleetRun {
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
  readonly source: Pick<MigrationSource, 'cloud' | 'provider' | 'id' | 'name'>;
  /** The step that failed. */
  readonly phase: FleetStepName;
  readonly error: FleetError;
}

/** A failure as stored: the `CloudError`'s secret-free fields, never its cause. */
export interface FleetError {
  readonly name: string;
  readonly message: string;
  readonly provider?: string;
  readonly operation?: string;
  readonly statusCode?: number;
  readonly requestId?: string;
  readonly code?: string;
  readonly retryable: boolean;
}

/** `fleetStatus` result. */
export interface FleetStatus {
  readonly runId: string;
  /**
   * For a run from an inventory: `planning` until a worker has planned it, `failed` when planning
   * failed (see `planError`); `planned` otherwise.
   */
  readonly plan: 'planning' | 'planned' | 'failed';
  /** Why planning failed (redacted). */
  readonly planError?: FleetError;
  readonly total: number;
  /** Nodes per phase; the counts add up to `total`. */
  readonly counts: Readonly<Record<FleetNodePhase, number>>;
  /** Targets created by the run so far, and sources destroyed. */
  readonly created: number;
  readonly sourcesDestroyed: number;
  readonly failures: FleetFailure[];
  /** True when no node is queued or in flight. */
  readonly done: boolean;
}

/** What a node workflow returns (stored by DBOS as the workflow's output). */
export interface FleetNodeResult {
  readonly status: 'migrated' | 'failed';
  readonly phase?: FleetStepName;
  readonly source: { readonly cloud: string; readonly id: string };
  readonly target?: { readonly cloud: string; readonly id: string; readonly state: string };
  readonly sourceDestroyed: boolean;
  readonly error?: FleetError;
  /** The worker that finished the node. */
  readonly worker: string;
}

/** Told to a worker's `onProgress` as it finishes a node. */
export interface FleetWorkerEvent {
  readonly result: FleetNodeResult;
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
   * same id takes over the nodes it was migrating when it stopped. Default: `fleet-<hostname>-<pid>`.
   */
  readonly workerId?: string;
  /** DBOS log level. Default: `error` (step retries are logged at `warn`). */
  readonly logLevel?: 'error' | 'warn' | 'info' | 'debug';
  /** Called each time this worker finishes a node. */
  readonly onProgress?: (event: FleetWorkerEvent) => void;
  /**
   * This worker's SSH credentials, for runs that verify targets over SSH (`node.verify`). The
   * key stays in the worker: never stored, never logged. Default: none (such nodes fail at `verify`).
   */
  readonly ssh?: FleetWorkerSsh;
}

/** A worker's SSH credentials and host-key store. */
export interface FleetWorkerSsh {
  /** The private key (OpenSSH or PEM text) matching the public keys the targets were given. */
  readonly privateKey: Secret | string;
  readonly passphrase?: Secret | string;
  /** Where host keys are recorded (trust on first use). Default: one in-memory store per process. */
  readonly hostKeys?: HostKeyStore;
}

/** A running worker. */
export interface FleetWorker {
  readonly workerId: string;
  /** Stops dequeuing and disconnects; nodes in flight are taken over when the worker restarts. */
  stop(): Promise<void>;
}
