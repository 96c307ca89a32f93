/**
 * The per-node steps of a fleet migration — create the target, wait until it runs, destroy the
 * source — as plain functions over two drivers. Each is safe to run again after a crash: the
 * create carries the node's migration key as its idempotency key (the provider, or polycloud's
 * tag-then-check, returns the node an earlier attempt made), the wait only reads, and the
 * cleanup looks at the target again and destroys the source only when it runs (destroying a
 * node already gone succeeds).
 *
 * These mirror `migrate`'s steps (src/multicloud/migrate.ts), which does not export per-node
 * step functions yet; when it does, these should call them.
 *
 * @module
 */
import type { Driver } from '../core/driver.js';
import { ConflictError, isCloudError, isInvalidRequestError, type CloudError } from '../core/errors.js';
import type { Node } from '../core/types.js';
import { portableMigrationTags } from '../multicloud/keys.js';
import type { MigrationStep } from '../multicloud/index.js';
import type { FleetError } from './types.js';

/** The target as a step records it: small, and nothing the provider said beyond id and state. */
export interface TargetRef {
  readonly id: string;
  readonly state: string;
}

/** Creates the target, or finds the one an earlier attempt created (same idempotency key). */
export async function createTarget(step: MigrationStep, target: Driver, signal?: AbortSignal): Promise<TargetRef> {
  const planned = step.target;
  const request = {
    name: planned.name,
    size: planned.size.id,
    image: planned.image.id,
    location: planned.location.id,
    tags: planned.tags,
    idempotencyKey: planned.idempotencyKey,
  };
  const options = signal ? { signal } : {};
  let node: Node;
  try {
    node = await target.createNode(request, options);
  } catch (error) {
    // Providers whose tag rules refuse ':' in keys or '/' in values reject the canonical spelling
    // before any request; the portable spelling carries the same facts (as `migrate` does).
    const portable = portableMigrationTags(planned.tags);
    if (!isTagRejection(error) || JSON.stringify(portable) === JSON.stringify(planned.tags)) throw error;
    node = await target.createNode({ ...request, tags: portable }, options);
  }
  return { id: node.id, state: node.state };
}

/** Waits until the target runs. */
export async function waitForTarget(
  target: Driver,
  ref: TargetRef,
  wait: { timeoutMs: number; intervalMs: number; maxIntervalMs: number },
  signal?: AbortSignal,
): Promise<TargetRef> {
  if (ref.state === 'running') return ref;
  const node = await target.waitForNode(ref.id, 'running', { ...wait, ...(signal ? { signal } : {}) });
  return { id: node.id, state: node.state };
}

/**
 * Destroys the source, after seeing its replacement run right now: a source is never destroyed
 * while its replacement is not running (then a `ConflictError`, and the source is kept).
 */
export async function cleanupSource(
  step: MigrationStep,
  source: Driver,
  target: Driver,
  ref: TargetRef,
  signal?: AbortSignal,
): Promise<TargetRef> {
  const options = signal ? { signal } : {};
  const seen = await target.getNode(ref.id, options);
  if (seen.state !== 'running') {
    throw new ConflictError(`the replacement ${seen.id} is ${seen.state}, so the source was kept`, {
      provider: target.provider,
      operation: 'migrate',
    });
  }
  await source.destroyNode(step.source.id, options);
  return { id: seen.id, state: seen.state };
}

/** A create refused because of a tag's spelling (the error names a tag field, or speaks of tags or labels). */
function isTagRejection(error: unknown): boolean {
  return isInvalidRequestError(error) && ((error.field ?? '').startsWith('tags') || /\b(tag|label)s?\b/i.test(error.message));
}

/** The stored form of a failure: the `CloudError`'s secret-free fields (messages are redacted at construction). */
export function toFleetError(error: unknown): FleetError {
  if (isCloudError(error)) {
    const json = (error as CloudError).toJSON() as Partial<FleetError>;
    return {
      name: error.name,
      message: error.message,
      retryable: error.retryable,
      ...(json.provider === undefined ? {} : { provider: String(json.provider) }),
      ...(json.operation === undefined ? {} : { operation: String(json.operation) }),
      ...(error.statusCode === undefined ? {} : { statusCode: error.statusCode }),
      ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
      ...(error.code === undefined ? {} : { code: error.code }),
    };
  }
  if (error instanceof FleetStepError) return error.fleetError;
  // Not a polycloud error (a bug, or DBOS itself): keep only its class, never its text, which
  // may quote anything.
  const name = error instanceof Error ? error.name : typeof error;
  return { name, message: `${name} (details withheld: not a polycloud error)`, retryable: false };
}

/**
 * What a step throws to DBOS: a fresh error carrying only the redacted fields, so that DBOS's
 * serialisation of it (into PostgreSQL) cannot reach the original's cause, request or headers.
 */
export class FleetStepError extends Error {
  override name = 'FleetStepError';
  readonly fleetError: FleetError;
  constructor(fleetError: FleetError) {
    super(fleetError.message);
    this.fleetError = fleetError;
  }
}
