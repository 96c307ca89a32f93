/**
 * The optional verify step of a node: wait until the target accepts an authenticated SSH session
 * with the worker's own key, then run the run's verify command (when given). Through
 * `polycloud/ssh` (loaded on first use; it loads `ssh2`, an optional peer). Nothing the target
 * printed is returned or stored: only the exit status and the host key's fingerprint.
 *
 * @module
 */
import type { Driver } from '../core/driver.js';
import { ConfigurationError, InvalidRequestError } from '../core/errors.js';
import type { TargetRef } from './steps.js';
import type { FleetVerifyOptions, FleetWorkerSsh } from './types.js';

/** What a verify step records. */
export interface VerifyOutcome {
  /** The host key the target showed (`SHA256:…`). */
  readonly hostKey: string;
  /** The verify command's exit status (0), when one ran. */
  readonly exitCode?: number | null;
}

/** Defaults of {@link FleetVerifyOptions}. */
export const VERIFY_DEFAULTS = { timeoutMs: 300_000, intervalMs: 1_000 } as const;

/** Waits for SSH on the target and runs the verify command; a non-zero exit is a non-retryable failure. */
export async function verifyTarget(
  driver: Driver,
  ref: TargetRef,
  verify: FleetVerifyOptions,
  ssh: FleetWorkerSsh | undefined,
  signal?: AbortSignal,
): Promise<VerifyOutcome> {
  if (!ssh) {
    throw new ConfigurationError(
      'this run verifies targets over SSH, and this worker has no SSH key (FleetWorkerOptions.ssh / --ssh-key-file)',
      {
        provider: 'polycloud',
        operation: 'fleetVerify',
      },
    );
  }
  const { waitForSsh, runScript, isScriptError } = await import('../ssh/index.js');
  const connect = {
    privateKey: ssh.privateKey,
    ...(ssh.passphrase ? { passphrase: ssh.passphrase } : {}),
    ...(ssh.hostKeys ? { hostKeys: ssh.hostKeys } : {}),
    ...(verify.user ? { user: verify.user } : {}),
    driver,
    ...(signal ? { signal } : {}),
  };
  const node = await driver.getNode(ref.id, signal ? { signal } : {});
  const ready = await waitForSsh(node, {
    ...connect,
    timeoutMs: verify.timeoutMs ?? VERIFY_DEFAULTS.timeoutMs,
    intervalMs: verify.intervalMs ?? VERIFY_DEFAULTS.intervalMs,
  });
  if (verify.command === undefined) return { hostKey: ready.hostKey.fingerprint };
  try {
    const result = await runScript(ready.node, verify.command, { ...connect, timeoutMs: verify.timeoutMs ?? VERIFY_DEFAULTS.timeoutMs });
    return { hostKey: result.hostKey.fingerprint, exitCode: result.exitCode };
  } catch (error) {
    // The script's output may hold anything: only its exit status is kept.
    if (isScriptError(error)) {
      throw new InvalidRequestError(
        `the verify command ${error.exitCode === null ? 'was ended by a signal' : `exited with ${error.exitCode}`} on ${ref.id}`,
        { provider: 'polycloud', operation: 'fleetVerify', field: 'node.verify.command' },
      );
    }
    throw error;
  }
}
