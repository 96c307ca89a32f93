/**
 * The Azure driver as the reliability suite (and its child process) makes it: the planted bearer
 * token, the throwaway loopback certificate trusted (the child inherits it through the
 * environment), the given retry budget with short pauses, short long-running-operation polls.
 */
import { createAzureDriver, type AzureDriver } from '../../../providers/azure/index.js';
import { loopbackCertificate } from '../../fakes/azure/tls.js';
import { AZURE_SUBSCRIPTION, plantedCredential } from '../../azure/harness.js';
import type { ReliabilityDriverOptions } from '../suite.js';

export function makeReliabilityDriver(endpoint: string, options: ReliabilityDriverOptions): AzureDriver {
  return createAzureDriver({
    subscriptionId: AZURE_SUBSCRIPTION,
    resourceGroup: 'polycloud',
    credential: plantedCredential,
    endpoint,
    caCertificate: loopbackCertificate().cert,
    pollIntervalMs: 10,
    retry: { retries: options.retries, minDelayMs: 20, maxDelayMs: 100, jitter: false },
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    ...(options.locations ? { locations: options.locations } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.bounds ? { bounds: options.bounds } : {}),
  });
}
