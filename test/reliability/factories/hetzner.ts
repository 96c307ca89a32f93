/**
 * The Hetzner driver as the reliability suite (and its child process) makes it: a planted token,
 * the given retry budget with short pauses, fast action polling.
 */
import { createHetznerDriver, type HetznerDriver } from '../../../providers/hetzner/index.js';
import type { ReliabilityDriverOptions } from '../suite.js';

/** A recognisable token the secret scan looks for; the fake accepts it. */
export const HETZNER_PLANTED_TOKEN = 'hcloud-rel-planted-TOKEN-5e1f7a3c9b2d4e6f8a0c';

/** `endpoint` is the server's root; the API lives under `/v1`. */
export function makeReliabilityDriver(endpoint: string, options: ReliabilityDriverOptions): HetznerDriver {
  return createHetznerDriver({
    endpoint: `${endpoint.replace(/\/+$/, '')}/v1`,
    token: HETZNER_PLANTED_TOKEN,
    retry: { retries: options.retries, minDelayMs: 20, maxDelayMs: 100, jitter: false },
    actionPollIntervalMs: 50,
    timeoutMs: options.requestTimeoutMs ?? 60_000,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.bounds ? { bounds: options.bounds } : {}),
  });
}
