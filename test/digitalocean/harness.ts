/**
 * A DigitalOcean driver wired to the DigitalOcean fake, for the conformance suite, the protocol
 * tests and the reliability suite. The fake's simulator and the driver share a `VirtualClock`,
 * so boots, action waits and `waitForNode` take no real time; retries pause only a few ms.
 */
import { VirtualClock } from '../../src/core/clock.js';
import { createDigitalOceanDriver, type DigitalOceanDriver, type DigitalOceanDriverOptions } from '../../providers/digitalocean/index.js';
import { startDigitalOceanFake, type DigitalOceanFake, type DigitalOceanFakeOptions } from '../fakes/digitalocean/index.js';

/** Options of {@link startDigitalOceanHarness}. */
export interface DigitalOceanHarnessOptions {
  /** Driver options over the harness defaults (endpoint, token, clock, fast retries and action polls). */
  readonly driver?: Partial<DigitalOceanDriverOptions>;
  /** Fake options over the harness defaults (the shared virtual clock). */
  readonly fake?: DigitalOceanFakeOptions;
}

/** A driver and the fake it talks to. */
export interface DigitalOceanHarness {
  readonly driver: DigitalOceanDriver;
  readonly fake: DigitalOceanFake;
  readonly clock: VirtualClock;
  /** Options the driver was created with (to create more drivers against the same fake). */
  readonly driverOptions: DigitalOceanDriverOptions;
  close(): Promise<void>;
}

/** Wait options that suit the fake: virtual time, so long timeouts cost nothing. */
export const DIGITALOCEAN_FAKE_WAIT = { intervalMs: 500, maxIntervalMs: 2_000, timeoutMs: 120_000 } as const;

/** Starts a DigitalOcean fake and a driver pointed at it. */
export async function startDigitalOceanHarness(options: DigitalOceanHarnessOptions = {}): Promise<DigitalOceanHarness> {
  const clock = new VirtualClock();
  const fake = await startDigitalOceanFake({ clock, ...options.fake });
  const driverOptions: DigitalOceanDriverOptions = {
    endpoint: fake.url,
    token: fake.token,
    clock,
    actionPollIntervalMs: 500,
    retry: { minDelayMs: 5, maxDelayMs: 50 },
    ...options.driver,
  };
  return { driver: createDigitalOceanDriver(driverOptions), fake, clock, driverOptions, close: () => fake.close() };
}
