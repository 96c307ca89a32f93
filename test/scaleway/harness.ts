/**
 * A Scaleway driver wired to the Scaleway fake on loopback, sharing one virtual clock, for the
 * conformance, driver and migration tests.
 */
import { VirtualClock } from '../../src/core/clock.js';
import type { RetryOptions } from '../../src/core/retry.js';
import { createScalewayDriver, type ScalewayDriver, type ScalewayDriverOptions } from '../../providers/scaleway/index.js';
import { startScalewayFake, type ScalewayFake, type ScalewayFakeOptions } from '../fakes/scaleway/index.js';

/** Fast retries for tests: real timers, tiny pauses. */
export const TEST_RETRY: RetryOptions = { retries: 3, minDelayMs: 1, maxDelayMs: 5, jitter: false };

/** A driver and the fake it talks to. */
export interface ScalewayHarness {
  readonly fake: ScalewayFake;
  readonly driver: ScalewayDriver;
  readonly clock: VirtualClock;
  /** Another driver on the same fake, with these options over the harness's. */
  driverWith(overrides: Partial<ScalewayDriverOptions>): ScalewayDriver;
  close(): Promise<void>;
}

/** Options of {@link startScalewayHarness}. */
export interface ScalewayHarnessOptions {
  readonly fake?: ScalewayFakeOptions;
  /** Overrides of the driver options (endpoint, token, project and clock are set by the harness). */
  readonly driver?: Partial<ScalewayDriverOptions>;
}

/** Starts a Scaleway fake and a driver configured for it (zones fr-par-1 and nl-ams-1). */
export async function startScalewayHarness(options: ScalewayHarnessOptions = {}): Promise<ScalewayHarness> {
  const clock = new VirtualClock();
  const fake = await startScalewayFake({ clock, ...options.fake });
  const base: ScalewayDriverOptions = {
    token: fake.token,
    projectId: fake.projectId,
    endpoint: fake.url,
    zone: 'fr-par-1',
    zones: ['fr-par-1', 'nl-ams-1'],
    clock,
    actionPollIntervalMs: 100,
    retry: TEST_RETRY,
    ...options.driver,
  };
  const driverWith = (overrides: Partial<ScalewayDriverOptions>) => createScalewayDriver({ ...base, ...overrides });
  return { fake, driver: driverWith({}), clock, driverWith, close: () => fake.close() };
}
