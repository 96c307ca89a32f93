/**
 * The two DBOS workflows of fleet mode, registered once per worker process:
 *
 * - the run workflow takes a run's plans and enqueues one node workflow per plan step, on the
 *   run's partitioned queue (partition = target cloud), with the step's migration key as the
 *   workflow id — so the same node started twice, by one run or two, is one workflow;
 * - the node workflow runs create → wait running → cleanup, each a DBOS step, so a worker that
 *   dies mid-node is replaced by one that replays the finished steps from PostgreSQL and runs
 *   the rest. A step that is replayed after a crash repeats a call that is safe to repeat.
 *
 * Drivers are the worker's own (from its configuration): the workflow inputs name clouds, never
 * carry credentials.
 *
 * @module
 */
import { hostname } from 'node:os';
import type { Driver } from '../core/driver.js';
import { ConfigurationError } from '../core/errors.js';
import type { MigrationPlan, MigrationStep } from '../multicloud/index.js';
import { NODE_WORKFLOW, RUN_WORKFLOW, type DbosModule } from './dbos.js';
import { FleetStepError, cleanupSource, createTarget, toFleetError, waitForTarget, type TargetRef } from './steps.js';
import type { FleetError, FleetNodeOptions, FleetNodeResult, FleetWorkerEvent } from './types.js';

/** A run as stored (the run workflow's input): plans and options, no credentials. */
export interface StoredRun {
  readonly runId: string;
  readonly queue: string;
  readonly plans: readonly MigrationPlan[];
  readonly node: Required<FleetNodeOptions>;
}

/** A node workflow's input. */
export interface NodeInput {
  readonly runId: string;
  readonly step: MigrationStep;
  readonly node: Required<FleetNodeOptions>;
}

/** Node defaults (see {@link FleetNodeOptions}). */
export const NODE_DEFAULTS: Required<FleetNodeOptions> = {
  cleanupSource: true,
  waitTimeoutMs: 600_000,
  waitIntervalMs: 1_000,
  waitMaxIntervalMs: 15_000,
  stepAttempts: 8,
  retryIntervalMs: 1_000,
};

/** Node workflows a run workflow enqueues at once. */
const FAN_OUT_BATCH = 32;

/** What the process's workflows run with: set by the worker before DBOS launches. */
interface WorkerContext {
  readonly workerId: string;
  readonly drivers: ReadonlyMap<string, Driver>;
  readonly onProgress?: (event: FleetWorkerEvent) => void;
}

let context: WorkerContext | undefined;
let registered: { runWorkflow: (run: StoredRun) => Promise<number> } | undefined;

/** Sets the drivers and identity the workflows of this process use. */
export function setWorkerContext(next: WorkerContext | undefined): void {
  context = next;
}

/** Default worker id: unique per process on a host. */
export function defaultWorkerId(): string {
  return `fleet-${hostname()}-${process.pid}`;
}

/** Registers the workflows with DBOS (once per process; DBOS needs them before launch). */
export function registerFleetWorkflows(dbos: DbosModule): void {
  if (registered) return;
  const { DBOS } = dbos;

  const nodeWorkflow = DBOS.registerWorkflow(async (input: NodeInput): Promise<FleetNodeResult> => runNode(dbos, input), {
    name: NODE_WORKFLOW,
  });

  const runWorkflow = DBOS.registerWorkflow(
    async (run: StoredRun): Promise<number> => {
      let enqueued = 0;
      const steps = run.plans.flatMap((plan) => plan.steps);
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
            })({ runId: run.runId, step, node: run.node }),
          ),
        );
        enqueued += Math.min(FAN_OUT_BATCH, steps.length - start);
      }
      return enqueued;
    },
    { name: RUN_WORKFLOW },
  );
  registered = { runWorkflow };
}

/** One node: create → wait → cleanup, each a DBOS step. */
async function runNode(dbos: DbosModule, input: NodeInput): Promise<FleetNodeResult> {
  const { DBOS } = dbos;
  const { step, node: options } = input;
  const worker = context?.workerId ?? DBOS.executorID;
  const source = { cloud: step.source.cloud, id: step.source.id };
  const stepConfig = {
    retriesAllowed: true,
    maxAttempts: options.stepAttempts,
    intervalSeconds: options.retryIntervalMs / 1000,
    backoffRate: 2,
    // Only failures that may pass are retried; a refused request fails the node at once.
    shouldRetry: (error: unknown) => error instanceof FleetStepError && error.fleetError.retryable,
  };
  /** Runs a step; its failure becomes a FleetStepError holding only redacted fields. */
  const guarded = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw new FleetStepError(toFleetError(error));
    }
  };

  let phase: 'create' | 'wait' | 'cleanup' = 'create';
  let target: TargetRef | undefined;
  let sourceDestroyed = false;
  try {
    target = await DBOS.runStep(() => guarded(() => createTarget(step, driverFor(step.target.cloud), signalOf(DBOS))), {
      ...stepConfig,
      name: 'create',
    });
    phase = 'wait';
    const created = target;
    target = await DBOS.runStep(
      () =>
        guarded(() =>
          waitForTarget(
            driverFor(step.target.cloud),
            created,
            { timeoutMs: options.waitTimeoutMs, intervalMs: options.waitIntervalMs, maxIntervalMs: options.waitMaxIntervalMs },
            signalOf(DBOS),
          ),
        ),
      { ...stepConfig, name: 'wait' },
    );
    if (options.cleanupSource) {
      phase = 'cleanup';
      const running = target;
      target = await DBOS.runStep(
        () => guarded(() => cleanupSource(step, driverFor(step.source.cloud), driverFor(step.target.cloud), running, signalOf(DBOS))),
        { ...stepConfig, name: 'cleanup' },
      );
      sourceDestroyed = true;
    }
    return finish({ status: 'migrated', source, target: { cloud: step.target.cloud, ...target }, sourceDestroyed, worker }, step);
  } catch (error) {
    // A cancelled workflow must stop, not report a failure.
    if (error instanceof dbos.Error.DBOSWorkflowCancelledError) throw error;
    return finish(
      {
        status: 'failed',
        phase,
        source,
        ...(target ? { target: { cloud: step.target.cloud, ...target } } : {}),
        sourceDestroyed,
        error: stepFailure(error),
        worker,
      },
      step,
    );
  }
}

function finish(result: FleetNodeResult, step: MigrationStep): FleetNodeResult {
  context?.onProgress?.({ result, name: step.source.name });
  return result;
}

/** The redacted error of a failed step (DBOS wraps the last one when retries run out). */
function stepFailure(error: unknown): FleetError {
  if (error instanceof FleetStepError) return error.fleetError;
  const errors = (error as { errors?: unknown[] } | null)?.errors;
  const last = Array.isArray(errors) ? errors[errors.length - 1] : undefined;
  if (last instanceof FleetStepError)
    return { ...last.fleetError, message: `${last.fleetError.message} (after ${errors?.length} attempts)` };
  if (last && typeof last === 'object' && 'fleetError' in last) return (last as { fleetError: FleetError }).fleetError;
  return toFleetError(error);
}

function signalOf(DBOS: DbosModule['DBOS']): AbortSignal | undefined {
  return DBOS.stepStatus?.cancelSignal;
}

function driverFor(cloud: string): Driver {
  const driver = context?.drivers.get(cloud);
  if (!driver) {
    throw new ConfigurationError(
      `this worker has no cloud named ${JSON.stringify(cloud)} in its configuration (it has ${[...(context?.drivers.keys() ?? [])].join(', ') || 'none'})`,
      { provider: 'polycloud', operation: 'fleetWorker' },
    );
  }
  return driver;
}
