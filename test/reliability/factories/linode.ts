/**
 * The Linode driver as the reliability suite (and its child process) makes it: a planted token,
 * the given retry budget with short pauses.
 */
import { createLinodeDriver, type LinodeDriver } from '../../../providers/linode/index.js';
import type { ReliabilityDriverOptions } from '../suite.js';

/** A recognisable token the secret scan looks for; the fake accepts it. */
export const LINODE_PLANTED_TOKEN = 'linode-rel-planted-TOKEN-8d2f6b0a4c9e1f3a7b5d';

/** `endpoint` is the server's root; the API lives under `/v4`. */
export function makeReliabilityDriver(endpoint: string, options: ReliabilityDriverOptions): LinodeDriver {
  return createLinodeDriver({
    endpoint: `${endpoint.replace(/\/+$/, '')}/v4`,
    token: LINODE_PLANTED_TOKEN,
    retry: { retries: options.retries, minDelayMs: 20, maxDelayMs: 100, jitter: false },
    timeoutMs: options.requestTimeoutMs ?? 60_000,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.bounds ? { bounds: options.bounds } : {}),
  });
}
