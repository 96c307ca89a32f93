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
  FLEET_APP_NAME,
  FLEET_APP_VERSION,
  NODE_WORKFLOW,
  RUNS_QUEUE,
  RUN_WORKFLOW,
  checkDatabaseUrl,
  loadDbos,
  type DbosModule,
} from './dbos.js';
import { checkRequest } from './validate.js';
import type { FleetFailure, FleetMigrationRequest, FleetNodePhase, FleetNodeResult, FleetRun, FleetStatus } from './types.js';
import { NODE_DEFAULTS, type StoredRun } from './workflows.js';

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
  if (create) await dbos.DBOS.migrate(url);
  const client = await dbos.DBOSClient.create({
    systemDatabaseUrl: url,
    applicationName: FLEET_APP_NAME,
    systemDatabasePoolSize: 4,
    logger: QUIET_LOGGER,
  });
  try {
    return await use(client, dbos);
  } finally {
    await client.destroy();
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
  const { plans, queue: limits } = checkRequest(request, operation);
  const runId = request.runId ?? defaultRunId(plans);
  const run: StoredRun = { runId, queue: queueOf(runId), plans, node: { ...NODE_DEFAULTS, ...request.node } };
  return withClient(
    request.database,
    operation,
    async (client) => {
      const existing = await client.getWorkflow(runId);
      await client.registerQueue(RUNS_QUEUE, { onConflict: 'never_update' });
      if (!existing) await client.registerQueue(run.queue, { ...limits, onConflict: 'always_update' });
      await client.enqueue({ queueName: RUNS_QUEUE, workflowName: RUN_WORKFLOW, workflowID: runId, appVersion: FLEET_APP_VERSION }, run);
      return {
        runId,
        total: plans.reduce((sum, plan) => sum + plan.steps.length, 0),
        unmatched: plans.reduce((sum, plan) => sum + plan.unmatched.length, 0),
        created: !existing,
      };
    },
    true,
  );
}

/** Where every node of a run is, with the failures and their (redacted) errors. */
export async function fleetStatus(database: string, runId: string): Promise<FleetStatus> {
  return withClient(database, 'fleetStatus', async (client) => {
    const { run, nodes } = await loadRun(client, runId, 'fleetStatus');
    const counts: Record<FleetNodePhase, number> = { queued: 0, create: 0, wait: 0, cleanup: 0, migrated: 0, failed: 0, cancelled: 0 };
    const failures: FleetFailure[] = [];
    let created = 0;
    let sourcesDestroyed = 0;
    const pending: string[] = [];
    for (const step of run.plans.flatMap((plan) => plan.steps)) {
      const status = nodes.get(step.target.idempotencyKey);
      const result = status?.status === 'SUCCESS' ? (status.output as FleetNodeResult | undefined) : undefined;
      if (!status || status.status === 'ENQUEUED' || status.status === 'DELAYED') counts.queued += 1;
      else if (status.status === 'CANCELLED') counts.cancelled += 1;
      else if (status.status === 'PENDING') pending.push(status.workflowID);
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
    // The phase of a node in flight is the first of its steps not yet recorded.
    for (const id of pending) {
      const steps = (await client.listWorkflowSteps(id)) ?? [];
      const done = new Set(steps.filter((step) => step.error === null).map((step) => step.name));
      const phase = done.has('wait') ? 'cleanup' : done.has('create') ? 'wait' : 'create';
      counts[phase] += 1;
      if (phase !== 'create') created += 1;
    }
    const done = counts.queued + counts.create + counts.wait + counts.cleanup === 0;
    return { runId, total: countSteps(run), counts, created, sourcesDestroyed, failures, done };
  });
}

/**
 * Cancels a run: nodes not yet started never start, nodes in flight stop at their next step
 * (a step under way finishes; nothing is rolled back). {@link resumeFleetMigration} continues it.
 */
export async function cancelFleetMigration(database: string, runId: string): Promise<{ cancelled: number }> {
  return withClient(database, 'cancelFleetMigration', async (client) => {
    const { nodes } = await loadRun(client, runId, 'cancelFleetMigration');
    const open = [...nodes.values()].filter((status) => ['ENQUEUED', 'PENDING', 'DELAYED'].includes(status.status));
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
export async function resumeFleetMigration(database: string, runId: string): Promise<{ resumed: number; retried: number }> {
  return withClient(database, 'resumeFleetMigration', async (client) => {
    const { run, nodes, status } = await loadRun(client, runId, 'resumeFleetMigration');
    if (status.status === 'CANCELLED') await client.resumeWorkflow(runId, { queueName: RUNS_QUEUE });
    const cancelled = [...nodes.values()].filter((each) => each.status === 'CANCELLED').map((each) => each.workflowID);
    if (cancelled.length > 0) await client.resumeWorkflows(cancelled, { queueName: run.queue });
    const failed = [...nodes.values()].filter(
      (each) => each.status === 'ERROR' || (each.status === 'SUCCESS' && (each.output as FleetNodeResult | undefined)?.status === 'failed'),
    );
    for (const each of failed) {
      await client.rewindWorkflow(each.workflowID, {
        queueName: run.queue,
        ...(each.queuePartitionKey ? { queuePartitionKey: each.queuePartitionKey } : {}),
      });
    }
    return { resumed: cancelled.length, retried: failed.length };
  });
}

/**
 * Hands the nodes a worker had in flight to the other workers, for a worker that died and will
 * not come back under its id (one that restarts with its id takes them over itself). Only call
 * it for a worker that is really gone: a live one would run the same nodes at the same time.
 */
export async function recoverFleetWorker(database: string, workerId: string): Promise<{ recovered: number }> {
  return withClient(database, 'recoverFleetWorker', async (client) => {
    const stranded = await client.listWorkflows({
      executorId: workerId,
      status: 'PENDING',
      workflowName: [NODE_WORKFLOW, RUN_WORKFLOW],
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
    [status] = await client.listWorkflows({ workflowIDs: [runId], loadInput: true, loadOutput: false });
  } catch (error) {
    // A database no run was ever started in has no DBOS tables.
    if (!/does not exist/.test(String((error as Error)?.message))) throw error;
  }
  const run = status?.input?.[0] as StoredRun | undefined;
  if (!status || status.workflowName !== RUN_WORKFLOW || !run) {
    throw new NotFoundError(`no fleet run ${JSON.stringify(runId)} in this database`, { provider: 'polycloud', operation });
  }
  const keys = run.plans.flatMap((plan) => plan.steps.map((step) => step.target.idempotencyKey));
  const nodes = new Map<string, WorkflowStatus>();
  for (let start = 0; start < keys.length; start += STATUS_CHUNK) {
    const chunk = await client.listWorkflows({ workflowIDs: keys.slice(start, start + STATUS_CHUNK), loadInput: false, loadOutput: true });
    for (const each of chunk) nodes.set(each.workflowID, each);
  }
  return { run, nodes, status };
}

function countSteps(run: StoredRun): number {
  return run.plans.reduce((sum, plan) => sum + plan.steps.length, 0);
}

/** The same plans give the same run id. */
function defaultRunId(plans: readonly MigrationPlan[]): string {
  const hash = createHash('sha256');
  for (const key of plans.flatMap((plan) => plan.steps.map((step) => step.target.idempotencyKey)).sort()) hash.update(key).update('\n');
  return `run-${hash.digest('hex').slice(0, 16)}`;
}

function queueOf(runId: string): string {
  return `polycloud-fleet-${runId}`;
}
