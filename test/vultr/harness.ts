/**
 * A Vultr driver wired to a Vultr fake on loopback, sharing one virtual clock, for the
 * conformance, protocol, security and migration tests.
 */
import { afterEach, beforeEach, expect } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import type { RetryOptions } from '../../src/core/retry.js';
import { createVultrDriver, type VultrDriver, type VultrDriverOptions } from '../../providers/vultr/index.js';
import { startVultrFake, type VultrFake, type VultrFakeOptions } from '../fakes/vultr/index.js';

/** Fast retries for tests: real timers, tiny pauses. */
export const TEST_RETRY: RetryOptions = { retries: 3, minDelayMs: 1, maxDelayMs: 5, jitter: false };

/** A driver and the fake it talks to. */
export interface VultrHarness {
  readonly fake: VultrFake;
  readonly driver: VultrDriver;
  readonly clock: VirtualClock;
  close(): Promise<void>;
}

/** Options of {@link startVultrHarness}. */
export interface VultrHarnessOptions {
  readonly fake?: VultrFakeOptions;
  /** Overrides of the driver options (endpoint, token and clock are set by the harness). */
  readonly driver?: Partial<VultrDriverOptions>;
}

/** Starts a Vultr fake and a driver configured for it. */
export async function startVultrHarness(options: VultrHarnessOptions = {}): Promise<VultrHarness> {
  const clock = new VirtualClock();
  const fake = await startVultrFake({ clock, ...options.fake });
  const driver = createVultrDriver({ token: fake.token, endpoint: fake.url, clock, retry: TEST_RETRY, ...options.driver });
  return { fake, driver, clock, close: () => fake.close() };
}

/**
 * A fresh harness for each test of the calling file: started before each test and, after it,
 * checked (the fake saw no request and sent no answer outside the official document) and closed.
 * Returns the current test's harness.
 */
export function useVultrHarness(options: VultrHarnessOptions = {}): () => VultrHarness {
  let current: VultrHarness | undefined;
  beforeEach(async () => {
    current = await startVultrHarness(options);
  });
  afterEach(async () => {
    expect(current?.fake.violations).toEqual([]);
    expect(current?.fake.responseViolations).toEqual([]);
    await current?.close();
  });
  return () => {
    if (!current) throw new Error('useVultrHarness: no test is running');
    return current;
  };
}
