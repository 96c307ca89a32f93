/**
 * Errors of the simulated cloud, by kind; each front-end turns them into its own protocol's
 * errors (the `local` driver into `CloudError`s, the fakes into provider error bodies).
 *
 * @module
 */

/** Kinds of simulator failure. */
export type SimulatorErrorCode = 'not-found' | 'invalid' | 'conflict' | 'quota' | 'rate-limit' | 'unavailable' | 'internal';

/** A failure of a simulated operation. */
export class SimulatorError extends Error {
  /** Always `'SimulatorError'`, so logs and stack traces name the class. */
  override name = 'SimulatorError';
  constructor(
    /** The kind of failure; front-ends map it to their own protocol's status or error class. */
    readonly code: SimulatorErrorCode,
    message: string,
    /** For `invalid`: the input field at fault. */
    readonly field?: string,
  ) {
    super(message);
  }
  /** A node, key or other resource that does not exist (or has been purged). */
  static notFound(message: string): SimulatorError {
    return new SimulatorError('not-found', message);
  }
  /** An input the cloud refuses, naming the input `field` at fault (e.g. `size`, `pageToken`). */
  static invalid(field: string, message: string): SimulatorError {
    return new SimulatorError('invalid', message, field);
  }
  /** A request the resource's current state forbids, e.g. rebooting a stopped node or a name already taken. */
  static conflict(message: string): SimulatorError {
    return new SimulatorError('conflict', message);
  }
  /** A create beyond the cloud's `maxNodes`. */
  static quota(message: string): SimulatorError {
    return new SimulatorError('quota', message);
  }
  /** An injected fault (outage or error rate): the operation did nothing and may be retried. */
  static unavailable(message: string): SimulatorError {
    return new SimulatorError('unavailable', message);
  }
  /** A broken invariant of the simulator itself, e.g. a node whose catalog entry is gone. */
  static internal(message: string): SimulatorError {
    return new SimulatorError('internal', message);
  }
}

/** True for a {@link SimulatorError}. */
export function isSimulatorError(error: unknown): error is SimulatorError {
  return error instanceof SimulatorError;
}
