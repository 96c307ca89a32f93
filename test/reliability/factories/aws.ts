/**
 * The AWS driver as the reliability suite (and its child process) makes it: planted credentials,
 * the given retry budget with short pauses, explicit regions.
 */
import { createAwsDriver, type AwsDriver } from '../../../providers/aws/index.js';
import type { ReliabilityDriverOptions } from '../suite.js';

/** Recognisable credentials the secret scan looks for; the session token travels on the wire. */
export const AWS_PLANTED = {
  accessKeyId: 'AKIARELIABILITY00001',
  secretAccessKey: 'rel-planted-AWS-secret-key-7f3a9c2e5b8d1f4a6c0e',
  sessionToken: 'rel-planted-AWS-session-token-4b1d8e2a9c7f3e6a5d0b',
} as const;

export function makeReliabilityDriver(endpoint: string, options: ReliabilityDriverOptions): AwsDriver {
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  return createAwsDriver({
    endpoint,
    credentials: { ...AWS_PLANTED },
    regions: options.locations ?? ['us-east-1'],
    retry: { retries: options.retries, minDelayMs: 20, maxDelayMs: 100, jitter: false },
    requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.bounds ? { bounds: options.bounds } : {}),
  });
}
