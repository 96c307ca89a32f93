/**
 * Waiting for a node to reach a state: poll with backoff, stop early when the node can no
 * longer get there, honour an AbortSignal, and time out with a `TimeoutError` that says which
 * state the node was last seen in.
 *
 * @module
 */
import type { Clock } from './clock.js';
import { ConflictError, isNodeNotFoundError, isRetryableError, type ErrorSource } from './errors.js';
import type { Node, NodeState, WaitOptions } from './types.js';
import { DEFAULT_POLL, pollUntil } from './poll.js';

/** Defaults of {@link WaitOptions}. */
export const DEFAULT_WAIT = DEFAULT_POLL;

/** States a node does not leave by itself, unless the caller waits for them. */
const FINAL_STATES: readonly NodeState[] = ['terminated', 'error'];

/** What {@link pollNodeUntil} needs from a driver. */
export interface WaitTarget {
  /** The provider named in the `TimeoutError` or `ConflictError` that ends a failed wait. */
  readonly provider: ErrorSource;
  /** The clock the pauses between polls sleep on (a `VirtualClock` in tests). */
  readonly clock: Clock;
  /** Reads the node once per poll; a retryable error is tolerated, `NodeNotFoundError` means it is gone. */
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
  let seen = lastSeen;
  const wanted = states.join(' or ');
  return pollUntil<Node>(
    async (signal) => {
      try {
        const node = await target.getNode(id, signal ? { signal } : {});
        seen = node;
        if (states.includes(node.state)) return { done: true, value: node };
        if (FINAL_STATES.includes(node.state)) {
          throw new ConflictError(`node ${JSON.stringify(id)} is ${node.state} and will not become ${wanted}`, {
            provider: target.provider,
            operation: 'waitForNode',
          });
        }
        return { done: false, state: node.state };
      } catch (error) {
        if (isNodeNotFoundError(error) && states.includes('terminated') && seen) {
          return { done: true, value: { ...seen, state: 'terminated' } };
        }
        if (!isRetryableError(error)) throw error;
        return seen ? { done: false, state: seen.state } : { done: false };
      }
    },
    {
      provider: target.provider,
      operation: 'waitForNode',
      what: `node ${JSON.stringify(id)} to become ${wanted}`,
      clock: target.clock,
      ...(options.signal ? { signal: options.signal } : {}),
      timeoutMs: options.timeoutMs ?? DEFAULT_WAIT.timeoutMs,
      intervalMs: options.intervalMs ?? DEFAULT_WAIT.intervalMs,
      maxIntervalMs: options.maxIntervalMs ?? DEFAULT_WAIT.maxIntervalMs,
      backoffFactor: options.backoffFactor ?? DEFAULT_WAIT.backoffFactor,
      ...(options.pauseFirst ? { pauseFirst: true } : {}),
    },
  );
}
