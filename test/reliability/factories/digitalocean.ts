/**
 * The DigitalOcean driver as the reliability suite (and its child process) makes it: a planted
 * token, the given retry budget with short pauses, fast action polling.
 */
import { createDigitalOceanDriver, type DigitalOceanDriver } from '../../../providers/digitalocean/index.js';
import type { ReliabilityDriverOptions } from '../suite.js';

/** A recognisable token the secret scan looks for; the fake accepts it. */
export const DIGITALOCEAN_PLANTED_TOKEN = 'dop_v1_relplanted0token9c4e1a7b3d5f2e8a6c0b4d9f1e3a5c7b';

export function makeReliabilityDriver(endpoint: string, options: ReliabilityDriverOptions): DigitalOceanDriver {
  return createDigitalOceanDriver({
    endpoint,
    token: DIGITALOCEAN_PLANTED_TOKEN,
    retry: { retries: options.retries, minDelayMs: 20, maxDelayMs: 100, jitter: false },
    actionPollIntervalMs: 50,
    timeoutMs: options.requestTimeoutMs ?? 60_000,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.bounds ? { bounds: options.bounds } : {}),
  });
}
