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
  override name = 'SimulatorError';
  constructor(
    readonly code: SimulatorErrorCode,
    message: string,
    /** For `invalid`: the input field at fault. */
    readonly field?: string,
  ) {
    super(message);
  }
  static notFound(message: string): SimulatorError {
    return new SimulatorError('not-found', message);
  }
  static invalid(field: string, message: string): SimulatorError {
    return new SimulatorError('invalid', message, field);
  }
  static conflict(message: string): SimulatorError {
    return new SimulatorError('conflict', message);
  }
  static quota(message: string): SimulatorError {
    return new SimulatorError('quota', message);
  }
  static unavailable(message: string): SimulatorError {
    return new SimulatorError('unavailable', message);
  }
  static internal(message: string): SimulatorError {
    return new SimulatorError('internal', message);
  }
}

/** True for a {@link SimulatorError}. */
export function isSimulatorError(error: unknown): error is SimulatorError {
  return error instanceof SimulatorError;
}
