/**
 * A Linode driver wired to a Linode fake on loopback, sharing one virtual clock, for the
 * conformance, protocol and reliability tests.
 */
import { VirtualClock } from '../../src/core/clock.js';
import type { RetryOptions } from '../../src/core/retry.js';
import { createLinodeDriver, type LinodeDriver, type LinodeDriverOptions } from '../../providers/linode/index.js';
import { startLinodeFake, type LinodeFake, type LinodeFakeOptions } from '../fakes/linode/index.js';

/** Fast retries for tests: real timers, tiny pauses. */
export const TEST_RETRY: RetryOptions = { retries: 3, minDelayMs: 1, maxDelayMs: 5, jitter: false };

/** A driver and the fake it talks to. */
export interface LinodeHarness {
  readonly fake: LinodeFake;
  readonly driver: LinodeDriver;
  readonly clock: VirtualClock;
  close(): Promise<void>;
}

/** Options of {@link startLinodeHarness}. */
export interface LinodeHarnessOptions {
  readonly fake?: LinodeFakeOptions;
  /** Overrides of the driver options (endpoint, token and clock are set by the harness). */
  readonly driver?: Partial<LinodeDriverOptions>;
  /** Point the driver at this URL instead of the fake (e.g. a fault proxy in front of it). */
  readonly endpoint?: (fake: LinodeFake) => string;
}

/** Starts a Linode fake and a driver configured for it. */
export async function startLinodeHarness(options: LinodeHarnessOptions = {}): Promise<LinodeHarness> {
  const clock = new VirtualClock();
  const fake = await startLinodeFake({ clock, ...options.fake });
  const driver = createLinodeDriver({
    token: fake.token,
    endpoint: options.endpoint ? options.endpoint(fake) : fake.url,
    clock,
    retry: TEST_RETRY,
    ...options.driver,
  });
  return { fake, driver, clock, close: () => fake.close() };
}
