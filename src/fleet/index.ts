/**
 * `polycloud/fleet`: migrations beyond one process. Each node of a plan becomes a durable DBOS
 * workflow (create → wait running → destroy the source) stored in PostgreSQL; any number of
 * worker processes, on any machines, share the work within a global concurrency limit and
 * per-cloud limits; a worker that dies is replaced without repeating what it finished.
 * `@dbos-inc/dbos-sdk` (an optional peer) is loaded on first use.
 *
 * ```ts
 * import { startFleetMigration, startFleetWorker, fleetStatus } from 'polycloud/fleet';
 * const database = 'postgres://fleet@db.internal:5432/polycloud';
 * const { runId } = await startFleetMigration({ plan, database, concurrency: 64, perCloud: { maxInFlight: 16 } });
 * // on each worker machine, with its own credentials:
 * const worker = await startFleetWorker({ database, clouds: multi });
 * console.log(await fleetStatus(database, runId));
 * ```
 *
 * @module polycloud/fleet
 */
export { startFleetMigration, fleetStatus, cancelFleetMigration, resumeFleetMigration, recoverFleetWorker } from './runs.js';
export { startFleetWorker } from './worker.js';
export { DEFAULT_CONCURRENCY, DEFAULT_MAX_IN_FLIGHT } from './validate.js';
export { NODE_DEFAULTS } from './workflows.js';
export type * from './types.js';
