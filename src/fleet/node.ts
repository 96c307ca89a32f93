/**
 * The bodies of the two per-node workflows:
 *
 * - the node workflow (on the run's queue, partitioned by target cloud): create → wait running →
 *   verify over SSH (when asked) → the cleanup workflow, whose result it waits for and returns;
 * - the cleanup workflow (on the run's cleanup queue, partitioned by source cloud): look at the
 *   target again (it must run now), then destroy the source.
 *
 * So every call to a target is made within the target cloud's `maxInFlight` (the node workflow
 * holds its slot while its cleanup runs, and the cleanup's one look at the target happens then),
 * and every destroy within the source cloud's. Each step is a DBOS step whose failure reaches
 * DBOS as a {@link FleetStepError} holding only redacted fields.
 *
 * @module
 */
import type { Driver } from '../core/driver.js';
import { ConfigurationError } from '../core/errors.js';
import type { MigrationStep } from '../multicloud/index.js';
import { cleanupIdOf, type DbosModule } from './dbos.js';
import { FleetStepError, cleanupSource, createTarget, toFleetError, waitForTarget, type TargetRef } from './steps.js';
import type { FleetError, FleetNodeOptions, FleetNodeResult, FleetStepName, FleetWorkerEvent, FleetWorkerSsh } from './types.js';
import { verifyTarget, type VerifyOutcome } from './verify.js';

/** A node workflow's input. */
export interface NodeInput {
  readonly runId: string;
  readonly step: MigrationStep;
  readonly node: Required<Omit<FleetNodeOptions, 'verify'>> & Pick<FleetNodeOptions, 'verify'>;
  /** The run's cleanup queue (partitioned by source cloud). */
  readonly cleanupQueue: string;
  /**
   * How often to look whether the cleanup (when another worker runs it) is done, in ms.
   * @defaultValue 1000
   */
  readonly pollIntervalMs?: number;
}

/** A cleanup workflow's input. */
export interface CleanupInput {
  readonly step: MigrationStep;
  readonly node: NodeInput['node'];
  readonly target: TargetRef;
}

/** What the workflows of this process run with: set by the worker before DBOS launches. */
export interface WorkerContext {
  readonly workerId: string;
  readonly drivers: ReadonlyMap<string, Driver>;
  readonly onProgress?: (event: FleetWorkerEvent) => void;
  readonly ssh?: FleetWorkerSsh;
}

let context: WorkerContext | undefined;

/** Sets the drivers and identity the workflows of this process use. */
export function setWorkerContext(next: WorkerContext | undefined): void {
  context = next;
}

/** The context of this process's worker. */
export function workerContext(): WorkerContext | undefined {
  return context;
}

/** DBOS step settings for a node's options: retry only failures that may pass, doubling the pause. */
function stepConfig(options: NodeInput['node'], name: FleetStepName) {
  return {
    name,
    retriesAllowed: true,
    maxAttempts: options.stepAttempts,
    intervalSeconds: options.retryIntervalMs / 1000,
    backoffRate: 2,
    // Only failures that may pass are retried; a refused request fails the node at once.
    shouldRetry: (error: unknown) => error instanceof FleetStepError && error.fleetError.retryable,
  };
}

/** Runs a step body; its failure becomes a FleetStepError holding only redacted fields. */
async function guarded<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new FleetStepError(toFleetError(error));
  }
}

/** The node workflow: create → wait → verify (when asked) → cleanup (a child workflow at the source side). */
export async function runNode(
  dbos: DbosModule,
  input: NodeInput,
  cleanupWorkflow: (input: CleanupInput) => Promise<FleetNodeResult>,
): Promise<FleetNodeResult> {
  const { DBOS } = dbos;
  const { step, node: options } = input;
  const worker = context?.workerId ?? DBOS.executorID;
  const source = { cloud: step.source.cloud, id: step.source.id };
  let phase: FleetStepName = 'create';
  let target: TargetRef | undefined;
  try {
    target = await DBOS.runStep(
      () => guarded(() => createTarget(step, driverFor(step.target.cloud), signalOf(DBOS))),
      stepConfig(options, 'create'),
    );
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
      stepConfig(options, 'wait'),
    );
    if (options.verify) {
      phase = 'verify';
      const running = target;
      const verify = options.verify;
      await DBOS.runStep(
        (): Promise<VerifyOutcome> =>
          guarded(() => verifyTarget(driverFor(step.target.cloud), running, verify, context?.ssh, signalOf(DBOS))),
        stepConfig(options, 'verify'),
      );
    }
    const result: FleetNodeResult = {
      status: 'migrated',
      source,
      target: { cloud: step.target.cloud, ...target },
      sourceDestroyed: false,
      worker,
    };
    if (!options.cleanupSource) return finish(result, step);
    phase = 'cleanup';
    // The cleanup runs on the source side's queue; this workflow keeps its target-side slot until
    // it is done (its one look at the target counts there).
    const handle = await DBOS.startWorkflow(cleanupWorkflow, {
      workflowID: cleanupIdOf(step.target.idempotencyKey),
      queueName: input.cleanupQueue,
      enqueueOptions: { queuePartitionKey: step.source.cloud },
    })({ step, node: options, target });
    return await handle.getResult({ pollingIntervalMs: input.pollIntervalMs ?? 1_000 });
  } catch (error) {
    // A cancelled workflow must stop, not report a failure.
    if (error instanceof dbos.Error.DBOSWorkflowCancelledError) throw error;
    return finish(
      {
        status: 'failed',
        phase,
        source,
        ...(target ? { target: { cloud: step.target.cloud, ...target } } : {}),
        sourceDestroyed: false,
        error: stepFailure(error),
        worker,
      },
      step,
    );
  }
}

/** The cleanup workflow: the target must run now, then the source is destroyed. */
export async function runCleanup(dbos: DbosModule, input: CleanupInput): Promise<FleetNodeResult> {
  const { DBOS } = dbos;
  const { step, node: options, target: running } = input;
  const worker = context?.workerId ?? DBOS.executorID;
  const source = { cloud: step.source.cloud, id: step.source.id };
  try {
    const target = await DBOS.runStep(
      () => guarded(() => cleanupSource(step, driverFor(step.source.cloud), driverFor(step.target.cloud), running, signalOf(DBOS))),
      stepConfig(options, 'cleanup'),
    );
    return finish({ status: 'migrated', source, target: { cloud: step.target.cloud, ...target }, sourceDestroyed: true, worker }, step);
  } catch (error) {
    if (error instanceof dbos.Error.DBOSWorkflowCancelledError) throw error;
    return finish(
      {
        status: 'failed',
        phase: 'cleanup',
        source,
        target: { cloud: step.target.cloud, ...running },
        sourceDestroyed: false,
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
export function stepFailure(error: unknown): FleetError {
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

/** The worker's driver for a cloud the plan names. */
export function driverFor(cloud: string): Driver {
  const driver = context?.drivers.get(cloud);
  if (!driver) {
    throw new ConfigurationError(
      `this worker has no cloud named ${JSON.stringify(cloud)} in its configuration (it has ${[...(context?.drivers.keys() ?? [])].join(', ') || 'none'})`,
      { provider: 'polycloud', operation: 'fleetWorker' },
    );
  }
  return driver;
}
