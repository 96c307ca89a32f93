/**
 * `rejectionOf(promise)`: the error a call fails with, for assertions on it.
 *
 * @module
 */

/** Awaits `promise` and returns its rejection, failing (throwing) if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
