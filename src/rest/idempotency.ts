/**
 * Creates made safe to repeat with a marker (a tag or label derived from the idempotency key):
 * each attempt first looks for a node carrying the marker — checked on the client, never trusting
 * the server's filter — and only then sends the create. A create retried after a lost answer or a
 * 5xx returns the node the first attempt made instead of making a second one.
 *
 * @module
 */
import type { DriverContext } from '../core/driver.js';
import { ConflictError } from '../core/errors.js';
import { withRetry } from '../core/retry.js';
import type { ResolvedCreateNodeRequest } from '../core/types.js';
import type { RestIdempotency, RestRuntime } from './spec.js';

/** What a marked create needs from the driver. */
export interface MarkedCreate<Raw, PO, R extends RestRuntime> {
  /** The spec's marker rules: how to filter for, recognise and compare marked nodes. */
  readonly idempotency: RestIdempotency<Raw, PO, R>;
  /** The nodes' list path and field. */
  readonly list: {
    /** The nodes' list path, e.g. `/v2/droplets`. */
    readonly path: string;
    /** The field of each page holding the nodes, e.g. `droplets`. */
    readonly field: string;
    /** Checks each listed node before the marker is looked for; returns what is wrong, or `undefined`. */
    readonly validate?: (entry: unknown) => string | undefined;
  };
  /** Sends the create once (no retries of its own); resolves with the node made. */
  send(): Promise<Raw>;
}

/** Nodes carrying the key's marker (the server's filter narrows the list; the client decides). */
export async function findMarked<Raw, PO, R extends RestRuntime>(
  create: MarkedCreate<Raw, PO, R>,
  key: string,
  runtime: R,
  context: DriverContext,
): Promise<Raw[]> {
  const { idempotency, list } = create;
  const entries = await runtime.listAll(context, list.path, list.field, {
    ...idempotency.filter(key, runtime),
    retry: { retries: 0 },
    ...(list.validate ? { validate: list.validate } : {}),
  });
  return (entries as Raw[]).filter((raw) => idempotency.carries(raw, key) && !idempotency.gone?.(raw));
}

/**
 * Creates the node for `request` at most once per idempotency key: returns the node already
 * carrying the key's marker when it is the same request, and rejects with `ConflictError` when the
 * key was used for a different one.
 */
export async function createOnce<Raw, PO, R extends RestRuntime>(
  create: MarkedCreate<Raw, PO, R>,
  request: ResolvedCreateNodeRequest<PO>,
  runtime: R,
  context: DriverContext,
): Promise<Raw> {
  const key = request.idempotencyKey;
  const sameOrConflict = (raw: Raw): Raw => {
    if (create.idempotency.matches(raw, request)) return raw;
    throw new ConflictError(`idempotency key ${JSON.stringify(key)} was used for a different node, created from a different request`, {
      provider: runtime.provider,
      operation: context.operation,
    });
  };
  return withRetry(
    async () => {
      const [existing] = await findMarked(create, key, runtime, context);
      if (existing !== undefined) return sameOrConflict(existing);
      try {
        return await create.send();
      } catch (error) {
        const raced = create.idempotency.raced?.(error) ? (await findMarked(create, key, runtime, context))[0] : undefined;
        if (raced === undefined) throw error;
        return sameOrConflict(raced);
      }
    },
    runtime.options.retry,
    { idempotent: true, ...(context.signal ? { signal: context.signal } : {}) },
  );
}
