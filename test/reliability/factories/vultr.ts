/**
 * The Vultr driver as the reliability suite (and its child process) makes it: a planted API key,
 * the given retry budget with short pauses.
 */
import { createVultrDriver, type VultrDriver } from '../../../providers/vultr/index.js';
import type { ReliabilityDriverOptions } from '../suite.js';

/** A recognisable API key the secret scan looks for; the fake accepts it. */
export const VULTR_PLANTED_TOKEN = 'VULTRRELPLANTEDKEY8D2F6B0A4C9E1F3A7B5D';

/** `endpoint` is the server's root; the API lives under `/v2`. */
export function makeReliabilityDriver(endpoint: string, options: ReliabilityDriverOptions): VultrDriver {
  return createVultrDriver({
    endpoint: `${endpoint.replace(/\/+$/, '')}/v2`,
    token: VULTR_PLANTED_TOKEN,
    retry: { retries: options.retries, minDelayMs: 20, maxDelayMs: 100, jitter: false },
    requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.bounds ? { bounds: options.bounds } : {}),
  });
}
