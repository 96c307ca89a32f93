/**
 * `migrate`: runs a plan. For each node (the steps of `steps.ts`): find the target an earlier run
 * made (by its migrated-from tag) or create it with the idempotency key derived from the source
 * and generation, wait until it runs, and — only when asked, and only once the target is seen
 * running — destroy the source. Re-running a plan after an interruption creates nothing twice
 * and finishes the rest; a replacement destroyed by hand is recreated under the next generation.
 *
 * @module
 */
import pLimit, { type LimitFunction } from 'p-limit';
import type { Driver } from '../core/driver.js';
import { InvalidRequestError, isConflictError, type CloudError } from '../core/errors.js';
import type { GeneratedCredentials } from '../core/launch-spec.js';
import type { Node } from '../core/types.js';
import type { CloudSet } from './clouds.js';
import { cleanupSource, createReplacement, findReplacement, verifyReplacement, waitReplacementRunning } from './steps.js';
import { asCloudError } from './timeout.js';
import type {
  MigrateOptions,
  MigrationPhase,
  MigrationPlan,
  MigrationReport,
  MigrationResult,
  MigrationStep,
  NamePolicy,
} from './types.js';

const DEFAULT_CONCURRENCY = 4;
const DEFAULT_NODE_CONCURRENCY = 256;

export async function migrate(clouds: CloudSet, plan: MigrationPlan, options: MigrateOptions = {}): Promise<MigrationReport> {
  const operation = 'migrate';
  if (typeof plan !== 'object' || plan === null || !Array.isArray(plan.steps) || !Array.isArray(plan.unmatched)) {
    throw new InvalidRequestError('"plan" must be a plan made by planMigration', { provider: 'polycloud', operation, field: 'plan' });
  }
  const fromDriver = clouds.driver(plan.from, 'plan.from', operation);
  const toDriver = clouds.driver(plan.to, 'plan.to', operation);
  for (const field of ['concurrency', 'nodeConcurrency'] as const) {
    const value = options[field];
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
      throw new InvalidRequestError(`"${field}" must be a whole number, 1 or more`, { provider: 'polycloud', operation, field });
    }
  }
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const nodeConcurrency = options.nodeConcurrency ?? DEFAULT_NODE_CONCURRENCY;
  const total = plan.steps.length;
  let finished = 0;
  const report = (step: MigrationStep, phase: MigrationPhase, status: 'started' | 'succeeded' | 'failed', error?: CloudError) =>
    options.onProgress?.({ source: step.source, phase, status, finished, total, ...(error ? { error } : {}) });

  // The bound is on requests that change something (creates, cleanups), not on nodes: waiting for
  // a target to run is polling, so every node in progress waits at once and the run takes about one
  // provisioning round instead of one per `concurrency` nodes. Nodes are taken from the plan as
  // earlier ones finish, at most `nodeConcurrency` at a time, so a plan of any size stays bounded.
  const limit = pLimit(concurrency);
  const context: Context = { fromDriver, toDriver, options, report, limit, names: plan.names ?? 'suffix' };
  const results: MigrationResult[] = new Array<MigrationResult>(total);
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const index = next;
      next += 1;
      const step = plan.steps[index] as MigrationStep;
      const result = await migrateOne(step, context);
      finished += 1;
      results[index] = result;
      if (result.status !== 'interrupted')
        report(
          step,
          result.phase ?? (options.cleanupSource ? 'cleanup' : 'wait'),
          result.status === 'migrated' ? 'succeeded' : 'failed',
          result.error,
        );
      options.onResult?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(nodeConcurrency, total) }, worker));

  return {
    from: plan.from,
    to: plan.to,
    results,
    unmatched: plan.unmatched,
    migrated: results.filter((result) => result.status === 'migrated').length,
    failed: results.filter((result) => result.status === 'failed').length,
    interrupted: results.filter((result) => result.status === 'interrupted').length,
    created: results.filter((result) => result.created).length,
    sourcesDestroyed: results.filter((result) => result.sourceDestroyed).length,
  };
}

interface Context {
  readonly fromDriver: Driver;
  readonly toDriver: Driver;
  readonly options: MigrateOptions;
  readonly report: (step: MigrationStep, phase: MigrationPhase, status: 'started' | 'succeeded' | 'failed', error?: CloudError) => void;
  /** Bounds the creates and cleanups in flight. */
  readonly limit: LimitFunction;
  readonly names: NamePolicy;
}

/** One node through the steps of `steps.ts`, as a result (never throws). */
async function migrateOne(step: MigrationStep, context: Context): Promise<MigrationResult> {
  const { fromDriver, toDriver, options } = context;
  const { signal } = options;
  const callOptions = signal ? { signal } : {};
  const { target: planned, source } = step;
  let phase: MigrationPhase = 'create';
  let target: Node | undefined;
  let created = false;
  let sourceDestroyed = false;
  let generation = planned.generation ?? 1;
  let targetName = planned.name;
  let credentials: GeneratedCredentials | undefined;
  const outcome = () => ({
    source,
    ...(target ? { target: { cloud: planned.cloud, node: target } } : {}),
    created,
    sourceDestroyed,
    targetName,
    generation,
    ...(credentials ? { credentials } : {}),
  });
  try {
    signal?.throwIfAborted();
    const found = await findReplacement(toDriver, step, callOptions);
    generation = found.generation;
    target = found.node;
    if (target) targetName = target.name;
    else {
      const made = await context.limit(async () => {
        signal?.throwIfAborted();
        context.report(step, 'create', 'started');
        return createReplacement(toDriver, step, { ...callOptions, generation, names: context.names });
      });
      target = made.node;
      targetName = made.name;
      credentials = made.credentials;
      created = true;
    }

    phase = 'wait';
    if (target.state !== 'running') {
      context.report(step, 'wait', 'started');
      // A replacement this run just created is known to be starting: its first look waits one
      // interval (a look right away could only see it pending, one request per node for nothing).
      target = await waitReplacementRunning(toDriver, target, {
        ...(created ? { pauseFirst: true } : {}),
        ...options.wait,
        ...callOptions,
      });
    }

    if (options.cleanupSource) {
      const running = target;
      await context.limit(async () => {
        signal?.throwIfAborted();
        phase = 'verify';
        context.report(step, 'verify', 'started');
        // Look again right before destroying: the source goes only if its replacement runs now.
        try {
          target = await verifyReplacement(toDriver, running, callOptions);
        } catch (error) {
          if (isConflictError(error)) target = await toDriver.getNode(running.id, callOptions).catch(() => running);
          throw error;
        }
        phase = 'cleanup';
        context.report(step, 'cleanup', 'started');
        await cleanupSource(fromDriver, step, callOptions);
      });
      sourceDestroyed = true;
    }
    return { ...outcome(), status: 'migrated' };
  } catch (error) {
    if (signal?.aborted) return { ...outcome(), status: 'interrupted', phase };
    // Assigned inside the limited callback, which TypeScript's narrowing cannot see.
    const failedPhase = phase as MigrationPhase;
    const provider = failedPhase === 'cleanup' ? fromDriver.provider : toDriver.provider;
    const operationOf: Record<MigrationPhase, string> = {
      create: 'createNode',
      wait: 'waitForNode',
      verify: 'getNode',
      cleanup: 'destroyNode',
    };
    return { ...outcome(), status: 'failed', phase: failedPhase, error: asCloudError(error, provider, operationOf[failedPhase]) };
  }
}
