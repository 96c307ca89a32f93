/**
 * The Scaleway driver as the reliability suite (and its child process) makes it: a planted secret
 * key, a fixed project, the given retry budget with short pauses, fast polling while destroying.
 */
import { createScalewayDriver, type ScalewayDriver } from '../../../providers/scaleway/index.js';
import type { ReliabilityDriverOptions } from '../suite.js';

/** A recognisable secret key the secret scan looks for; the fake accepts it. */
export const SCALEWAY_PLANTED_TOKEN = 'scw-rel-planted-SECRET-7c1e9a3b5d2f4e6a8b0c';
/** The project the fake and the driver share. */
export const SCALEWAY_REL_PROJECT = '5ca1e0a4-0000-4000-8000-00000000beef';

/** `endpoint` is the server's root (the Scaleway API lives at its root). */
export function makeReliabilityDriver(endpoint: string, options: ReliabilityDriverOptions): ScalewayDriver {
  return createScalewayDriver({
    endpoint: endpoint.replace(/\/+$/, ''),
    token: SCALEWAY_PLANTED_TOKEN,
    projectId: SCALEWAY_REL_PROJECT,
    zone: 'fr-par-1',
    zones: options.locations ?? ['fr-par-1'],
    retry: { retries: options.retries, minDelayMs: 20, maxDelayMs: 100, jitter: false },
    actionPollIntervalMs: 50,
    requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.bounds ? { bounds: options.bounds } : {}),
  });
}
