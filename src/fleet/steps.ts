/**
 * The per-node steps of a fleet migration, as DBOS runs them: thin wrappers over `migrate`'s own
 * per-node steps (src/multicloud/steps.ts), so that in-process and fleet migrations share one
 * implementation. Each is safe to run again after a crash: the create step first looks for the
 * replacement by its migrated-from tag (and creates with the generation's idempotency key), the
 * wait only reads, and the cleanup looks at the target again and destroys the source only when it
 * runs (destroying a node already gone succeeds).
 *
 * A step returns only the target's id and state: nothing the provider said (e.g. a generated root
 * password) is stored.
 *
 * @module
 */
import type { Driver } from '../core/driver.js';
import { isCloudError, type CloudError } from '../core/errors.js';
import {
  cleanupSource as destroySource,
  createReplacement,
  findReplacement,
  keyAndTags,
  verifyReplacement,
  waitReplacementRunning,
  type MigrationStep,
} from '../multicloud/index.js';
import { migrationKeyOf } from '../multicloud/keys.js';
import type { FleetError } from './types.js';

/** The target as a step records it: small, and nothing the provider said beyond id and state. */
export interface TargetRef {
  readonly id: string;
  readonly state: string;
}

/** Finds the replacement an earlier attempt made (by its tag), or creates it with the generation's key. */
export async function createTarget(step: MigrationStep, target: Driver, signal?: AbortSignal): Promise<TargetRef> {
  const options = signal ? { signal } : {};
  const found = await findReplacement(target, step, options);
  // findReplacement matches on the migrated-from tag (`<provider>/<id>`), which two source clouds
  // of one provider can share (their ids overlap): only a node carrying this step's own migration
  // key is this step's replacement.
  const ours = found.node !== undefined && migrationKeyOf(found.node.tags) === keyAndTags(step, found.generation).idempotencyKey;
  if (found.node && ours) return { id: found.node.id, state: found.node.state };
  const generation = found.node ? (step.target.generation ?? 1) : found.generation;
  const { node } = await createReplacement(target, step, { ...options, generation });
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
  const node = await waitReplacementRunning(target, ref.id, { ...wait, ...(signal ? { signal } : {}) });
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
  const seen = await verifyReplacement(target, ref.id, options);
  await destroySource(source, step, options);
  return { id: seen.id, state: seen.state };
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
