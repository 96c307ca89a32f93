/**
 * The two DBOS workflows of fleet mode, registered once per worker process:
 *
 * - the run workflow takes a run's plans and enqueues one node workflow per plan step, on the
 *   run's partitioned queue (partition = target cloud), with the step's migration key as the
 *   workflow id — so the same node started twice, by one run or two, is one workflow;
 * - for a run started from an inventory, the run workflow first plans it (a DBOS step, with the
 *   worker's drivers: the target's catalog needs credentials), so the plan is made once;
 * - the node workflow runs create → wait running → verify (when asked) → cleanup (see node.ts),
 *   each a DBOS step, so a worker that dies mid-node is replaced by one that replays the
 *   finished steps from PostgreSQL and runs the rest. A step that is replayed after a crash
 *   repeats a call that is safe to repeat.
 *
 * Drivers are the worker's own (from its configuration): the workflow inputs name clouds, never
 * carry credentials.
 *
 * @module
 */
import { hostname } from 'node:os';
import { MultiCloud, type MigrationPlan } from '../multicloud/index.js';
import { CLEANUP_WORKFLOW, NODE_WORKFLOW, RUN_WORKFLOW, type DbosModule } from './dbos.js';
import { runCleanup, runNode, setWorkerContext, stepFailure, workerContext, type CleanupInput, type NodeInput } from './node.js';
import { FleetStepError, toFleetError } from './steps.js';
import type { FleetError, FleetNodeOptions, FleetNodeResult, FleetQuery } from './types.js';
import type { Inventory } from '../multicloud/index.js';

export { setWorkerContext };

/** A run as stored (the run workflow's input): plans (or an inventory and queries) and options, no credentials. */
export interface StoredRun {
  readonly runId: string;
  /** Node workflows' queue (partitioned by target cloud). */
  readonly queue: string;
  /** Cleanup workflows' queue (partitioned by source cloud). */
  readonly cleanupQueue: string;
  readonly plans?: readonly MigrationPlan[];
  readonly inventory?: Inventory;
  readonly queries?: readonly FleetQuery[];
  readonly node: NodeInput['node'];
  /** The queues' polling interval (ms): also how often a node looks whether its cleanup is done. */
  readonly pollIntervalMs?: number;
}

/** What the run workflow returns. */
export interface RunResult {
  readonly enqueued: number;
  /** Set when planning failed: nothing was enqueued. */
  readonly planError?: FleetError;
}

/** Node defaults (see {@link FleetNodeOptions}). */
export const NODE_DEFAULTS: Required<Omit<FleetNodeOptions, 'verify'>> = {
  cleanupSource: true,
  waitTimeoutMs: 600_000,
  waitIntervalMs: 1_000,
  waitMaxIntervalMs: 15_000,
  stepAttempts: 8,
  retryIntervalMs: 1_000,
};

/** The name of the run workflow's planning step. */
export const PLAN_STEP = 'plan';

/** Node workflows a run workflow enqueues at once. */
const FAN_OUT_BATCH = 64;

let registered = false;

/** Default worker id: unique per process on a host. */
export function defaultWorkerId(): string {
  return `fleet-${hostname()}-${process.pid}`;
}

/** Registers the workflows with DBOS (once per process; DBOS needs them before launch). */
export function registerFleetWorkflows(dbos: DbosModule): void {
  if (registered) return;
  const { DBOS } = dbos;

  const cleanupWorkflow = DBOS.registerWorkflow(async (input: CleanupInput): Promise<FleetNodeResult> => runCleanup(dbos, input), {
    name: CLEANUP_WORKFLOW,
  });
  const nodeWorkflow = DBOS.registerWorkflow(async (input: NodeInput): Promise<FleetNodeResult> => runNode(dbos, input, cleanupWorkflow), {
    name: NODE_WORKFLOW,
  });

  DBOS.registerWorkflow(
    async (run: StoredRun): Promise<RunResult> => {
      let plans = run.plans ?? [];
      if (run.inventory && run.queries) {
        const { inventory, queries } = run;
        try {
          plans = await DBOS.runStep(
            async () => {
              try {
                return await planAll(inventory, queries);
              } catch (error) {
                throw new FleetStepError(toFleetError(error));
              }
            },
            {
              name: PLAN_STEP,
              retriesAllowed: true,
              maxAttempts: run.node.stepAttempts,
              intervalSeconds: run.node.retryIntervalMs / 1000,
              backoffRate: 2,
              shouldRetry: (error: unknown) => error instanceof FleetStepError && error.fleetError.retryable,
            },
          );
        } catch (error) {
          if (error instanceof dbos.Error.DBOSWorkflowCancelledError) throw error;
          return { enqueued: 0, planError: stepFailure(error) };
        }
      }
      const steps = plans.flatMap((plan) => plan.steps);
      // Enqueued in batches: each start is a write to PostgreSQL, and one at a time would make a
      // 10,000-node fan-out take minutes. DBOS numbers the starts in call order, so a replay after
      // a crash matches them up again (and an id already started is returned, not started twice).
      for (let start = 0; start < steps.length; start += FAN_OUT_BATCH) {
        await Promise.all(
          steps.slice(start, start + FAN_OUT_BATCH).map((step) =>
            // Deterministic id: the node's migration key.
            DBOS.startWorkflow(nodeWorkflow, {
              workflowID: step.target.idempotencyKey,
              queueName: run.queue,
              enqueueOptions: { queuePartitionKey: step.target.cloud },
            })({
              runId: run.runId,
              step,
              node: run.node,
              cleanupQueue: run.cleanupQueue,
              ...(run.pollIntervalMs ? { pollIntervalMs: run.pollIntervalMs } : {}),
            }),
          ),
        );
      }
      return { enqueued: steps.length };
    },
    { name: RUN_WORKFLOW },
  );
  registered = true;
}

/** Plans every query from the inventory, with this worker's drivers (the target's catalog is read live). */
async function planAll(inventory: Inventory, queries: readonly FleetQuery[]): Promise<MigrationPlan[]> {
  const drivers = workerContext()?.drivers ?? new Map();
  const multi = new MultiCloud({ drivers: Object.fromEntries(drivers) });
  const plans: MigrationPlan[] = [];
  for (const query of queries) plans.push(await multi.planMigration({ ...query, inventory }));
  return plans;
}
