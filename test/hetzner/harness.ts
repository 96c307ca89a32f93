/**
 * A Hetzner driver wired to a Hetzner fake on loopback, sharing one virtual clock, for the
 * conformance, protocol and reliability tests.
 */
import { VirtualClock } from '../../src/core/clock.js';
import type { RetryOptions } from '../../src/core/retry.js';
import { createHetznerDriver, type HetznerDriver, type HetznerDriverOptions } from '../../providers/hetzner/index.js';
import { startHetznerFake, type HetznerFake, type HetznerFakeOptions } from '../fakes/hetzner/index.js';

/** Fast retries for tests: real timers, tiny pauses. */
export const TEST_RETRY: RetryOptions = { retries: 3, minDelayMs: 1, maxDelayMs: 5, jitter: false };

/** A driver and the fake it talks to. */
export interface HetznerHarness {
  readonly fake: HetznerFake;
  readonly driver: HetznerDriver;
  readonly clock: VirtualClock;
  close(): Promise<void>;
}

/** Options of {@link startHetznerHarness}. */
export interface HetznerHarnessOptions {
  readonly fake?: HetznerFakeOptions;
  /** Overrides of the driver options (endpoint, token and clock are set by the harness). */
  readonly driver?: Partial<HetznerDriverOptions>;
  /** Point the driver at this URL instead of the fake (e.g. a fault proxy in front of it). */
  readonly endpoint?: (fake: HetznerFake) => string;
}

/** Starts a Hetzner fake and a driver configured for it. */
export async function startHetznerHarness(options: HetznerHarnessOptions = {}): Promise<HetznerHarness> {
  const clock = new VirtualClock();
  const fake = await startHetznerFake({ clock, ...options.fake });
  const driver = createHetznerDriver({
    token: fake.token,
    endpoint: options.endpoint ? options.endpoint(fake) : fake.url,
    clock,
    actionPollIntervalMs: 250,
    retry: TEST_RETRY,
    ...options.driver,
  });
  return { fake, driver, clock, close: () => fake.close() };
}
