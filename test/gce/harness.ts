/**
 * A reusable Compute test setup: the wire-level fake and a driver pointed at it through the real
 * SDK (REST transport) with a fixed-token test auth client, so no request can reach Google or a
 * metadata server. Other suites (e.g. a fault-injecting proxy) use `createGceTestDriver` with
 * their own endpoint.
 */
import { OAuth2Client } from 'google-auth-library';
import { expect } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { createGceDriver, type GceDriver, type GceDriverOptions } from '../../providers/gce/index.js';
import { startGceFake, type GceFake, type GceFakeOptions } from '../fakes/gce/index.js';

// Belt and braces next to vitest.config: google-auth-library must never probe 169.254.169.254.
process.env.METADATA_SERVER_DETECTION = 'none';

/** The project the fake serves and the test driver uses. */
export const TEST_PROJECT = 'polycloud-test';
/** The bearer token of the test auth client; the fake can require it. */
export const TEST_TOKEN = 'ya29.polycloud-test-token-0123456789';

/** A google-auth-library client with a fixed, unexpired access token: it never refreshes, so it never calls out. */
export function createTestAuthClient(token: string = TEST_TOKEN): OAuth2Client {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: token, token_type: 'Bearer', expiry_date: Date.now() + 24 * 3_600_000 });
  return client;
}

/**
 * A gce driver for a test endpoint: test project and auth client, fast retries. `overrides`
 * replace any option (e.g. `retry`, `zones`, `clock`).
 */
export function createGceTestDriver(endpoint: string, overrides: Partial<GceDriverOptions> = {}): GceDriver {
  return createGceDriver({
    project: TEST_PROJECT,
    endpoint,
    authClient: createTestAuthClient(),
    retry: { retries: 3, minDelayMs: 5, maxDelayMs: 50, jitter: false },
    ...overrides,
  });
}

/** A running fake, a driver on it, and the virtual clock both share. */
export interface GceTestSetup {
  readonly fake: GceFake;
  readonly driver: GceDriver;
  readonly clock: VirtualClock;
  /**
   * Checks that the fake saw no request and sent no answer outside the official Compute document
   * (a test that sends one on purpose empties `fake.violations` after asserting it), then closes it.
   */
  close(): Promise<void>;
}

/** Starts the fake (requiring the test token) and a driver on it, both on one virtual clock. */
export async function startGceTestSetup(
  options: { readonly fake?: GceFakeOptions; readonly driver?: Partial<GceDriverOptions> } = {},
): Promise<GceTestSetup> {
  const clock = new VirtualClock();
  const fake = await startGceFake({ project: TEST_PROJECT, clock, token: TEST_TOKEN, ...options.fake });
  const driver = createGceTestDriver(fake.url, { clock, ...options.driver });
  const close = async (): Promise<void> => {
    try {
      expect(fake.violations).toEqual([]);
      expect(fake.responseViolations).toEqual([]);
    } finally {
      await fake.close();
    }
  };
  return { fake, driver, clock, close };
}
