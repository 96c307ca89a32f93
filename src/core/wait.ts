/**
 * Waiting for a node to reach a state: poll with backoff, stop early when the node can no
 * longer get there, honour an AbortSignal, and time out with a `TimeoutError` that says which
 * state the node was last seen in.
 *
 * @module
 */
import type { Clock } from './clock.js';
import { ConflictError, TimeoutError, isNodeNotFoundError, isRetryableError, type ErrorSource } from './errors.js';
import type { Node, NodeState, WaitOptions } from './types.js';

/** Defaults of {@link WaitOptions}. */
export const DEFAULT_WAIT = {
  timeoutMs: 600_000,
  intervalMs: 1_000,
  maxIntervalMs: 15_000,
  backoffFactor: 1.5,
} as const;

/** States a node does not leave by itself, unless the caller waits for them. */
const FINAL_STATES: readonly NodeState[] = ['terminated', 'error'];

/** What {@link pollNodeUntil} needs from a driver. */
export interface WaitTarget {
  readonly provider: ErrorSource;
  readonly clock: Clock;
  getNode(id: string, options: { signal?: AbortSignal }): Promise<Node>;
}

/**
 * Polls `target.getNode(id)` until the node is in one of `states`. A node that disappears counts
 * as `terminated` (and is returned as last seen, with that state) when `terminated` is wanted.
 */
export async function pollNodeUntil(
  target: WaitTarget,
  id: string,
  states: readonly NodeState[],
  options: WaitOptions,
  lastSeen?: Node,
): Promise<Node> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT.timeoutMs;
  const maxIntervalMs = options.maxIntervalMs ?? DEFAULT_WAIT.maxIntervalMs;
  const factor = options.backoffFactor ?? DEFAULT_WAIT.backoffFactor;
  const deadline = target.clock.now() + timeoutMs;
  let interval = options.intervalMs ?? DEFAULT_WAIT.intervalMs;
  let seen = lastSeen;
  const wanted = states.join(' or ');

  for (;;) {
    options.signal?.throwIfAborted();
    try {
      const node = await target.getNode(id, { signal: options.signal });
      seen = node;
      if (states.includes(node.state)) return node;
      if (FINAL_STATES.includes(node.state)) {
        throw new ConflictError(`node ${JSON.stringify(id)} is ${node.state} and will not become ${wanted}`, {
          provider: target.provider,
          operation: 'waitForNode',
        });
      }
    } catch (error) {
      if (isNodeNotFoundError(error) && states.includes('terminated') && seen) {
        return { ...seen, state: 'terminated' };
      }
      if (!isRetryableError(error)) throw error;
    }
    const remaining = deadline - target.clock.now();
    if (remaining <= 0) {
      throw new TimeoutError(
        `node ${JSON.stringify(id)} did not become ${wanted} within ${timeoutMs} ms; last seen ${seen ? seen.state : 'never'}`,
        { provider: target.provider, operation: 'waitForNode', timeoutMs, ...(seen ? { lastState: seen.state } : {}) },
      );
    }
    await target.clock.sleep(Math.min(interval, remaining), options.signal);
    interval = Math.min(interval * factor, maxIntervalMs);
  }
}
