/**
 * Starting, watching, cancelling and resuming fleet runs, through a `DBOSClient`: the caller
 * needs only the database URL (no drivers, no credentials) and runs no workflow itself; workers
 * do the work.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { InvalidRequestError, NotFoundError } from '../core/errors.js';
import type { MigrationPlan } from '../multicloud/index.js';
import {
  CLEANUP_WORKFLOW,
  FLEET_APP_NAME,
  FLEET_APP_VERSION,
  NODE_WORKFLOW,
  RUNS_QUEUE,
  RUN_WORKFLOW,
  checkDatabaseUrl,
  cleanupIdOf,
  databaseFailure,
  loadDbos,
  type DbosModule,
} from './dbos.js';
import { checkRequest, type CheckedRequest } from './validate.js';
import type { FleetError, FleetFailure, FleetMigrationRequest, FleetNodePhase, FleetNodeResult, FleetRun, FleetStatus } from './types.js';
import { NODE_DEFAULTS, PLAN_STEP, type RunResult, type StoredRun } from './workflows.js';

type Client = Awaited<ReturnType<DbosModule['DBOSClient']['create']>>;
type WorkflowStatus = Awaited<ReturnType<Client['listWorkflows']>>[number];

/** DBOS binds one parameter per id: list statuses in chunks. */
const STATUS_CHUNK = 500;

/** DBOS's client logs its housekeeping at info level on stdout; the fleet functions report through their results and errors. */
const QUIET_LOGGER = { info: () => undefined, debug: () => undefined, warn: () => undefined, error: () => undefined };

/** Opens a client for one call (`create`: making sure the system database and its schema exist first). */
async function withClient<T>(
  database: string,
  operation: string,
  use: (client: Client, dbos: DbosModule) => Promise<T>,
  create = false,
): Promise<T> {
  const url = checkDatabaseUrl(database, operation);
  const dbos = await loadDbos(operation);
  let client: Client;
  try {
    if (create) await dbos.DBOS.migrate(url);
    client = await dbos.DBOSClient.create({
      systemDatabaseUrl: url,
      applicationName: FLEET_APP_NAME,
      systemDatabasePoolSize: 4,
      logger: QUIET_LOGGER,
    });
  } catch (error) {
    throw databaseFailure(error, url, operation);
  }
  try {
    return await use(client, dbos);
  } catch (error) {
    throw databaseFailure(error, url, operation);
  } finally {
    await client.destroy().catch(() => undefined);
  }
}

/**
 * Starts a fleet migration: stores the plans in PostgreSQL as one run and enqueues it; a worker
 * fans it out into one durable workflow per node, which the workers run within `concurrency`
 * overall and `perCloud` per target cloud. Returns once the run is stored; watch it with
 * {@link fleetStatus}. Starting the same plans again is the same run (nothing is enqueued twice).
 */
export async function startFleetMigration(request: FleetMigrationRequest): Promise<FleetRun> {
  const operation = 'startFleetMigration';
  const checked = checkRequest(request, operation);
  const { plans, queue: limits } = checked;
  const runId = request.runId ?? defaultRunId(checked);
  const run: StoredRun = {
    runId,
    queue: queueOf(runId),
    cleanupQueue: `${queueOf(runId)}-cleanup`,
    ...(checked.inventory ? { inventory: checked.inventory, queries: checked.queries } : { plans }),
    node: { ...NODE_DEFAULTS, ...request.node },
    ...(limits.minPollingIntervalMs ? { pollIntervalMs: limits.minPollingIntervalMs } : {}),
  };
  return withClient(
    request.database,
    operation,
    async (client) => {
      const existing = await client.getWorkflow(runId);
      await client.registerQueue(RUNS_QUEUE, { onConflict: 'never_update' });
      if (!existing) {
        // Two queues with the same limits: node workflows partitioned by target cloud, cleanups by source cloud.
        await client.registerQueue(run.queue, { ...limits, onConflict: 'always_update' });
        await client.registerQueue(run.cleanupQueue, { ...limits, onConflict: 'always_update' });
      }
      await client.enqueue({ queueName: RUNS_QUEUE, workflowName: RUN_WORKFLOW, workflowID: runId, appVersion: FLEET_APP_VERSION }, run);
      const planned = !checked.inventory;
      return {
        runId,
        total: planned ? plans.reduce((sum, plan) => sum + plan.steps.length, 0) : null,
        unmatched: planned ? plans.reduce((sum, plan) => sum + plan.unmatched.length, 0) : null,
        created: !existing,
      };
    },
    true,
  );
}

/** Where every node of a run is, with the failures and their (redacted) errors. */
export async function fleetStatus(database: string, runId: string): Promise<FleetStatus> {
  return withClient(database, 'fleetStatus', async (client) => {
    const { plans, plan, planError, nodes, cleanups } = await loadRun(client, runId, 'fleetStatus');
    const counts: Record<FleetNodePhase, number> = {
      queued: 0,
      create: 0,
      wait: 0,
      verify: 0,
      cleanup: 0,
      migrated: 0,
      failed: 0,
      cancelled: 0,
    };
    const failures: FleetFailure[] = [];
    let created = 0;
    let sourcesDestroyed = 0;
    const pending: string[] = [];
    for (const step of plans.flatMap((each) => each.steps)) {
      const key = step.target.idempotencyKey;
      const status = nodes.get(key);
      const result = status?.status === 'SUCCESS' ? (status.output as FleetNodeResult | undefined) : undefined;
      if (!status || status.status === 'ENQUEUED' || status.status === 'DELAYED') counts.queued += 1;
      else if (status.status === 'CANCELLED' || cleanups.get(cleanupIdOf(key))?.status === 'CANCELLED') counts.cancelled += 1;
      else if (status.status === 'PENDING') pending.push(key);
      else if (result?.status === 'migrated') counts.migrated += 1;
      else {
        counts.failed += 1;
        const { cloud, provider, id, name } = step.source;
        failures.push({
          source: { cloud, provider, id, name },
          phase: result?.phase ?? 'create',
          error: result?.error ?? { name: 'WorkflowError', message: `the node's workflow ended ${status.status}`, retryable: true },
        });
      }
      if (result?.target) created += 1;
      if (result?.sourceDestroyed) sourcesDestroyed += 1;
    }
    // The phase of a node in flight: its cleanup when that was started, else the first of its steps not yet recorded.
    for (const key of pending) {
      created += 1;
      if (cleanups.has(cleanupIdOf(key))) {
        counts.cleanup += 1;
        continue;
      }
      const steps = (await client.listWorkflowSteps(key)) ?? [];
      const done = new Set(steps.filter((step) => step.error === null).map((step) => step.name));
      const phase = done.has('verify') ? 'cleanup' : done.has('wait') ? 'verify' : done.has('create') ? 'wait' : 'create';
      if (phase === 'create') created -= 1;
      counts[phase] += 1;
    }
    const done = plan !== 'planning' && counts.queued + counts.create + counts.wait + counts.verify + counts.cleanup === 0;
    const total = plans.reduce((sum, each) => sum + each.steps.length, 0);
    return { runId, plan, ...(planError ? { planError } : {}), total, counts, created, sourcesDestroyed, failures, done };
  });
}

/**
 * Cancels a run: nodes not yet started never start, nodes in flight stop at their next step
 * (a step under way finishes; nothing is rolled back). {@link resumeFleetMigration} continues it.
 */
export async function cancelFleetMigration(
  database: string,
  runId: string,
): Promise<{
  /** Node and cleanup workflows that were queued or in flight and are now cancelled. */
  cancelled: number;
}> {
  return withClient(database, 'cancelFleetMigration', async (client) => {
    const { nodes, cleanups } = await loadRun(client, runId, 'cancelFleetMigration');
    const open = [...nodes.values(), ...cleanups.values()].filter((status) => ['ENQUEUED', 'PENDING', 'DELAYED'].includes(status.status));
    await client.cancelWorkflow(runId);
    if (open.length > 0) await client.cancelWorkflows(open.map((status) => status.workflowID));
    return { cancelled: open.length };
  });
}

/**
 * Resumes a run: cancelled nodes are queued again, failed nodes run again from their first step
 * (each step is safe to repeat: the create finds the target already made), and the run's
 * fan-out finishes if it had not.
 */
export async function resumeFleetMigration(
  database: string,
  runId: string,
): Promise<{
  /** Cancelled nodes queued again. */
  resumed: number;
  /** Failed nodes started again from their first step. */
  retried: number;
}> {
  return withClient(database, 'resumeFleetMigration', async (client) => {
    const { run, nodes, cleanups, status } = await loadRun(client, runId, 'resumeFleetMigration');
    if (status.status === 'CANCELLED') await client.resumeWorkflow(runId, { queueName: RUNS_QUEUE });
    // A run whose planning failed plans again.
    if ((status.output as RunResult | undefined)?.planError) await client.rewindWorkflow(runId, { queueName: RUNS_QUEUE });
    const cancelledCleanups = [...cleanups.values()].filter((each) => each.status === 'CANCELLED').map((each) => each.workflowID);
    if (cancelledCleanups.length > 0) await client.resumeWorkflows(cancelledCleanups, { queueName: run.cleanupQueue });
    const cancelled = [...nodes.values()].filter((each) => each.status === 'CANCELLED').map((each) => each.workflowID);
    if (cancelled.length > 0) await client.resumeWorkflows(cancelled, { queueName: run.queue });
    const isFailed = (each: WorkflowStatus) =>
      each.status === 'ERROR' || (each.status === 'SUCCESS' && (each.output as FleetNodeResult | undefined)?.status === 'failed');
    const rewind = (each: WorkflowStatus, queueName: string) =>
      client.rewindWorkflow(each.workflowID, {
        queueName,
        ...(each.queuePartitionKey ? { queuePartitionKey: each.queuePartitionKey } : {}),
      });
    // A failed cleanup first (its node workflow, started again, finds it by id and waits for it).
    for (const each of [...cleanups.values()].filter(isFailed)) await rewind(each, run.cleanupQueue);
    const failed = [...nodes.values()].filter(isFailed);
    for (const each of failed) await rewind(each, run.queue);
    return { resumed: cancelled.length, retried: failed.length };
  });
}

/**
 * Hands the nodes a worker had in flight to the other workers, for a worker that died and will
 * not come back under its id (one that restarts with its id takes them over itself). Only call
 * it for a worker that is really gone: a live one would run the same nodes at the same time.
 */
export async function recoverFleetWorker(
  database: string,
  workerId: string,
): Promise<{
  /** Workflows (nodes, cleanups, runs) the worker had in flight, now handed to the other workers. */
  recovered: number;
}> {
  return withClient(database, 'recoverFleetWorker', async (client) => {
    const stranded = await client.listWorkflows({
      executorId: workerId,
      status: 'PENDING',
      workflowName: [NODE_WORKFLOW, CLEANUP_WORKFLOW, RUN_WORKFLOW],
      applicationName: FLEET_APP_NAME,
      loadInput: false,
      loadOutput: false,
    });
    const byQueue = new Map<string, string[]>();
    for (const status of stranded) {
      const queue = status.queueName ?? RUNS_QUEUE;
      byQueue.set(queue, [...(byQueue.get(queue) ?? []), status.workflowID]);
    }
    for (const [queueName, ids] of byQueue) await client.resumeWorkflows(ids, { queueName });
    return { recovered: stranded.length };
  });
}

async function loadRun(client: Client, runId: string, operation: string) {
  if (typeof runId !== 'string' || runId === '') {
    throw new InvalidRequestError('"runId" must be a run id from startFleetMigration', {
      provider: 'polycloud',
      operation,
      field: 'runId',
    });
  }
  let status: WorkflowStatus | undefined;
  try {
    [status] = await client.listWorkflows({ workflowIDs: [runId], loadInput: true, loadOutput: true });
  } catch (error) {
    // A database no run was ever started in has no DBOS tables.
    if (!/does not exist/.test(String((error as Error)?.message))) throw error;
  }
  const run = status?.input?.[0] as StoredRun | undefined;
  if (!status || status.workflowName !== RUN_WORKFLOW || !run) {
    throw new NotFoundError(`no fleet run ${JSON.stringify(runId)} in this database`, { provider: 'polycloud', operation });
  }
  let plans: readonly MigrationPlan[] = run.plans ?? [];
  let plan: FleetStatus['plan'] = 'planned';
  let planError: FleetError | undefined = (status.output as RunResult | undefined)?.planError;
  if (!run.plans) {
    // Planned by a worker: the plans are the output of the run workflow's planning step.
    const planned = (await client.listWorkflowSteps(runId))?.find((step) => step.name === PLAN_STEP && step.error === null);
    if (planned) plans = planned.output as MigrationPlan[];
    else plan = planError || status.status === 'ERROR' ? 'failed' : 'planning';
    if (plan === 'failed') planError ??= { name: 'WorkflowError', message: `planning ended ${status.status}`, retryable: true };
  }
  const keys = plans.flatMap((each) => each.steps.map((step) => step.target.idempotencyKey));
  const nodes = await statusesOf(client, keys, true);
  // Only nodes that got that far have a cleanup workflow.
  const cleanupKeys = [...nodes.values()].filter((each) => each.status !== 'ENQUEUED').map((each) => cleanupIdOf(each.workflowID));
  const cleanups = await statusesOf(client, cleanupKeys, false);
  return { run, plans, plan, ...(planError ? { planError } : {}), nodes, cleanups, status };
}

async function statusesOf(client: Client, ids: readonly string[], loadOutput: boolean): Promise<Map<string, WorkflowStatus>> {
  const statuses = new Map<string, WorkflowStatus>();
  for (let start = 0; start < ids.length; start += STATUS_CHUNK) {
    const chunk = await client.listWorkflows({ workflowIDs: ids.slice(start, start + STATUS_CHUNK), loadInput: false, loadOutput });
    for (const each of chunk) statuses.set(each.workflowID, each);
  }
  return statuses;
}

/** The same plans (or the same inventory and queries) give the same run id. */
function defaultRunId(request: CheckedRequest): string {
  const hash = createHash('sha256');
  if (request.inventory) {
    hash.update(`inventory ${request.inventory.takenAt}\n`).update(JSON.stringify(request.queries));
    for (const query of request.queries ?? []) {
      for (const node of request.inventory.clouds[query.from]?.nodes ?? []) hash.update(`${query.from}/${node.id}\n`);
    }
  } else {
    for (const key of request.plans.flatMap((plan) => plan.steps.map((step) => step.target.idempotencyKey)).sort())
      hash.update(key).update('\n');
  }
  return `run-${hash.digest('hex').slice(0, 16)}`;
}

function queueOf(runId: string): string {
  return `polycloud-fleet-${runId}`;
}
