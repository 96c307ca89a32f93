/**
 * The public shapes of fleet mode: what a run is started with, what a worker is given, and what
 * `fleetStatus` reports. Everything stored in PostgreSQL is one of these plain-data shapes; no
 * credential ever is.
 *
 * @module
 */
import type { Driver } from '../core/driver.js';
import type { MigrationPlan, MigrationSource, MultiCloud } from '../multicloud/index.js';

/** Per-cloud limits, enforced by DBOS across every worker sharing the database. */
export interface PerCloudLimits {
  /**
   * Most node migrations in flight at once per target cloud (a DBOS partitioned queue keyed by the
   * target cloud's name). Each migration makes one request at a time, so this also bounds the
   * requests in flight at that cloud from the whole fleet. Default: 8.
   */
  readonly maxInFlight?: number;
  /**
   * Most node migrations started per second per target cloud (the partition's DBOS rate limit),
   * across every worker. Each start makes one create request; the polls that follow are bounded
   * by `maxInFlight` and the wait interval. Default: no limit.
   */
  readonly requestsPerSecond?: number;
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
}

/** `startFleetMigration` input. Give `plan` (or `plans`). */
export interface FleetMigrationRequest {
  /** A plan made by `planMigration`. */
  readonly plan?: MigrationPlan;
  /** Several plans (e.g. one per source account) run as one fleet migration. */
  readonly plans?: readonly MigrationPlan[];
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
  /** Nodes the run migrates (plan steps). */
  readonly total: number;
  /** Source nodes no target was found for (carried over from the plans, never attempted). */
  readonly unmatched: number;
  /** False when a run with this id had been started before (nothing new was enqueued). */
  readonly created: boolean;
}

/** Where a node is. */
export type FleetNodePhase = 'queued' | 'create' | 'wait' | 'cleanup' | 'migrated' | 'failed' | 'cancelled';

/** A node that failed, with its redacted error. */
export interface FleetFailure {
  readonly source: Pick<MigrationSource, 'cloud' | 'provider' | 'id' | 'name'>;
  /** The step that failed. */
  readonly phase: 'create' | 'wait' | 'cleanup';
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
  readonly phase?: 'create' | 'wait' | 'cleanup';
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
}

/** A running worker. */
export interface FleetWorker {
  readonly workerId: string;
  /** Stops dequeuing and disconnects; nodes in flight are taken over when the worker restarts. */
  stop(): Promise<void>;
}
