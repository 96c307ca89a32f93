/**
 * `migrate`: runs a plan. For each node: find the target an earlier run made (by its migration
 * tag) or create it with the idempotency key derived from the source, wait until it runs, and —
 * only when asked, and only once the target is seen running — destroy the source. Re-running a
 * plan after an interruption creates nothing twice and finishes the rest.
 *
 * @module
 */
import pLimit, { type LimitFunction } from 'p-limit';
import type { Driver } from '../core/driver.js';
import { ConflictError, InvalidRequestError, isInvalidRequestError, type CloudError } from '../core/errors.js';
import type { Node, NodeState } from '../core/types.js';
import type { CloudSet } from './clouds.js';
import { migrationKeyOf, portableMigrationTags } from './keys.js';
import { asCloudError } from './timeout.js';
import type { MigrateOptions, MigrationPhase, MigrationPlan, MigrationReport, MigrationResult, MigrationStep } from './types.js';

const DEFAULT_CONCURRENCY = 4;
const GONE: readonly NodeState[] = ['terminating', 'terminated'];

export async function migrate(clouds: CloudSet, plan: MigrationPlan, options: MigrateOptions = {}): Promise<MigrationReport> {
  const operation = 'migrate';
  if (typeof plan !== 'object' || plan === null || !Array.isArray(plan.steps) || !Array.isArray(plan.unmatched)) {
    throw new InvalidRequestError('"plan" must be a plan made by planMigration', { provider: 'polycloud', operation, field: 'plan' });
  }
  const fromDriver = clouds.driver(plan.from, 'plan.from', operation);
  const toDriver = clouds.driver(plan.to, 'plan.to', operation);
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new InvalidRequestError('"concurrency" must be a whole number, 1 or more', {
      provider: 'polycloud',
      operation,
      field: 'concurrency',
    });
  }
  const { signal } = options;
  const total = plan.steps.length;
  let finished = 0;
  const report = (step: MigrationStep, phase: MigrationPhase, status: 'started' | 'succeeded' | 'failed', error?: CloudError) =>
    options.onProgress?.({ source: step.source, phase, status, finished, total, ...(error ? { error } : {}) });

  // One listing finds every target an earlier run created, whatever the provider's idempotency.
  const listed =
    total === 0
      ? undefined
      : await clouds.attempt(plan.to, 'listNodes', (driver, callOptions) => driver.listNodes({}, callOptions), signal ? { signal } : {});
  const existing = new Map<string, Node>();
  if (listed?.ok) {
    for (const node of listed.value) {
      const key = migrationKeyOf(node.tags);
      if (key !== undefined && !GONE.includes(node.state)) existing.set(key, node);
    }
  }

  // The bound is on requests that change something (creates, cleanups), not on nodes: waiting for
  // a target to run is polling, so every created target waits at once and the run takes about one
  // provisioning round instead of one per `concurrency` nodes.
  const limit = pLimit(concurrency);
  const results = await Promise.all(
    plan.steps.map(async (step): Promise<MigrationResult> => {
      const result =
        listed && !listed.ok
          ? failed(step, 'create', listed.failure.error, undefined, false, false)
          : await migrateOne(step, { fromDriver, toDriver, existing, options, report, limit });
      finished += 1;
      if (result.status !== 'interrupted')
        report(
          step,
          result.phase ?? (options.cleanupSource ? 'cleanup' : 'wait'),
          result.status === 'migrated' ? 'succeeded' : 'failed',
          result.error,
        );
      return result;
    }),
  );

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
  readonly existing: ReadonlyMap<string, Node>;
  readonly options: MigrateOptions;
  readonly report: (step: MigrationStep, phase: MigrationPhase, status: 'started' | 'succeeded' | 'failed', error?: CloudError) => void;
  /** Bounds the creates and cleanups in flight. */
  readonly limit: LimitFunction;
}

async function migrateOne(step: MigrationStep, context: Context): Promise<MigrationResult> {
  const { fromDriver, toDriver, options } = context;
  const { signal } = options;
  const { target: planned, source } = step;
  let phase: MigrationPhase = 'create';
  let target: Node | undefined;
  let created = false;
  let sourceDestroyed = false;
  try {
    signal?.throwIfAborted();
    target = context.existing.get(planned.idempotencyKey);
    if (!target) {
      target = await context.limit(async () => {
        signal?.throwIfAborted();
        context.report(step, 'create', 'started');
        const request = {
          name: planned.name,
          size: planned.size.id,
          image: planned.image.id,
          location: planned.location.id,
          tags: planned.tags,
          idempotencyKey: planned.idempotencyKey,
        };
        try {
          return await toDriver.createNode(request, signal ? { signal } : {});
        } catch (error) {
          // Providers whose tag rules refuse ':' in keys or '/' in values reject the canonical
          // spelling (before any request); the portable spelling carries the same facts.
          const portable = portableMigrationTags(planned.tags);
          if (!isTagRejection(error) || JSON.stringify(portable) === JSON.stringify(planned.tags)) throw error;
          return toDriver.createNode({ ...request, tags: portable }, signal ? { signal } : {});
        }
      });
      created = true;
    }

    phase = 'wait';
    if (target.state !== 'running') {
      context.report(step, 'wait', 'started');
      target = await toDriver.waitForNode(target, 'running', { ...options.wait, ...(signal ? { signal } : {}) });
    }

    if (options.cleanupSource) {
      phase = 'cleanup';
      const running = target;
      target = await context.limit(async () => {
        signal?.throwIfAborted();
        context.report(step, 'cleanup', 'started');
        // Look again right before destroying: the source goes only if its replacement runs now.
        const seen = await toDriver.getNode(running.id, signal ? { signal } : {});
        if (seen.state !== 'running') {
          target = seen;
          throw new ConflictError(`the replacement ${seen.id} is ${seen.state}, so the source was kept`, {
            provider: toDriver.provider,
            operation: 'migrate',
          });
        }
        await fromDriver.destroyNode(source.id, signal ? { signal } : {});
        return seen;
      });
      sourceDestroyed = true;
    }
    return { source, status: 'migrated', target: { cloud: planned.cloud, node: target }, created, sourceDestroyed };
  } catch (error) {
    if (signal?.aborted) {
      return {
        source,
        status: 'interrupted',
        phase,
        ...(target ? { target: { cloud: planned.cloud, node: target } } : {}),
        created,
        sourceDestroyed,
      };
    }
    const provider = phase === 'cleanup' && target?.state === 'running' ? fromDriver.provider : toDriver.provider;
    return failed(
      step,
      phase,
      asCloudError(error, provider, phase === 'create' ? 'createNode' : phase === 'wait' ? 'waitForNode' : 'destroyNode'),
      target,
      created,
      sourceDestroyed,
    );
  }
}

/** A create refused because of a tag's spelling (the error names a tag field, or speaks of tags or labels). */
function isTagRejection(error: unknown): boolean {
  return isInvalidRequestError(error) && ((error.field ?? '').startsWith('tags') || /\b(tag|label)s?\b/i.test(error.message));
}

function failed(
  step: MigrationStep,
  phase: MigrationPhase,
  error: CloudError,
  target: Node | undefined,
  created: boolean,
  sourceDestroyed: boolean,
): MigrationResult {
  return {
    source: step.source,
    status: 'failed',
    phase,
    ...(target ? { target: { cloud: step.target.cloud, node: target } } : {}),
    created,
    sourceDestroyed,
    error,
  };
}
