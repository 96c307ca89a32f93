/**
 * A fleet worker: this process joins the DBOS executors sharing the database, dequeues node
 * workflows within the runs' global and per-cloud limits, and runs them with its own drivers.
 * Start any number, on any machines; a worker restarted with the same id first takes over the
 * nodes it had in flight (DBOS recovery), and `recoverFleetWorker` hands a dead worker's nodes to
 * the others.
 *
 * @module
 */
import type { Driver } from '../core/driver.js';
import { ConflictError, InvalidRequestError } from '../core/errors.js';
import { MultiCloud } from '../multicloud/index.js';
import { FLEET_APP_NAME, FLEET_APP_VERSION, checkDatabaseUrl, databaseFailure, loadDbos } from './dbos.js';
import type { FleetWorker, FleetWorkerOptions } from './types.js';
import { defaultWorkerId, registerFleetWorkflows, setWorkerContext } from './workflows.js';

let running: string | undefined;

/**
 * Starts a worker in this process (one per process: DBOS is a process-wide runtime). Resolves
 * once it is connected and dequeuing.
 */
export async function startFleetWorker(options: FleetWorkerOptions): Promise<FleetWorker> {
  const operation = 'startFleetWorker';
  const database = checkDatabaseUrl(options.database, operation);
  const drivers = driversOf(options.clouds, operation);
  const workerId = options.workerId ?? defaultWorkerId();
  if (!/^[A-Za-z0-9._:-]{1,128}$/.test(workerId)) {
    throw new InvalidRequestError('"workerId" must be 1-128 letters, digits, ".", "_", ":" or "-"', {
      provider: 'polycloud',
      operation,
      field: 'workerId',
    });
  }
  if (running !== undefined) {
    throw new ConflictError(`a fleet worker (${running}) already runs in this process; stop it first`, {
      provider: 'polycloud',
      operation,
    });
  }
  const dbos = await loadDbos(operation);
  registerFleetWorkflows(dbos);
  setWorkerContext({
    workerId,
    drivers,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.ssh ? { ssh: options.ssh } : {}),
  });
  running = workerId;
  try {
    dbos.DBOS.setConfig({
      name: FLEET_APP_NAME,
      systemDatabaseUrl: database,
      executorID: workerId,
      applicationVersion: FLEET_APP_VERSION,
      // Nothing leaves for anywhere but the database: no OTLP export, no tracing.
      enableOTLP: false,
      tracingEnabled: false,
      logLevel: options.logLevel ?? 'error',
    });
    await dbos.DBOS.launch();
  } catch (error) {
    running = undefined;
    setWorkerContext(undefined);
    throw databaseFailure(error, database, operation);
  }
  return {
    workerId,
    async stop() {
      if (running !== workerId) return;
      await dbos.DBOS.shutdown();
      running = undefined;
      setWorkerContext(undefined);
    },
  };
}

function driversOf(clouds: FleetWorkerOptions['clouds'], operation: string): Map<string, Driver> {
  if (clouds instanceof MultiCloud) return new Map(clouds.clouds.map((name) => [name, clouds.driver(name)]));
  if (typeof clouds !== 'object' || clouds === null || Object.keys(clouds).length === 0) {
    throw new InvalidRequestError('"clouds" must name at least one cloud (a MultiCloud or { name: driver })', {
      provider: 'polycloud',
      operation,
      field: 'clouds',
    });
  }
  return new Map(Object.entries(clouds));
}
