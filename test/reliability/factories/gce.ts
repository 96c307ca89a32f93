/**
 * The GCE driver as the reliability suite (and its child process) makes it: an auth client with a
 * planted access token (sent on the wire) and planted client secret and refresh token (never sent:
 * the token does not expire within the test, so the client never refreshes), the given retry
 * budget with short pauses, explicit zones.
 */
import { OAuth2Client } from 'google-auth-library';
import { createGceDriver, type GceDriver } from '../../../providers/gce/index.js';
import type { ReliabilityDriverOptions } from '../suite.js';

/** Recognisable credentials the secret scan looks for. */
export const GCE_PLANTED = {
  accessToken: 'ya29.rel-planted-ACCESS-token-3c8e1b5f9a2d7e4c6b0a',
  clientSecret: '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2a9d4f1c8b',
  refreshToken: '1//rel-planted-REFRESH-token-0f5b3d7a9e1c4b8d',
} as const;

export const GCE_PROJECT = 'polycloud-reliability';

export function makeReliabilityDriver(endpoint: string, options: ReliabilityDriverOptions): GceDriver {
  process.env.METADATA_SERVER_DETECTION = 'none';
  const authClient = new OAuth2Client({ clientId: 'rel-client.apps.googleusercontent.com', clientSecret: GCE_PLANTED.clientSecret });
  authClient.setCredentials({
    access_token: GCE_PLANTED.accessToken,
    refresh_token: GCE_PLANTED.refreshToken,
    token_type: 'Bearer',
    expiry_date: Date.now() + 24 * 3_600_000,
  });
  return createGceDriver({
    project: GCE_PROJECT,
    endpoint,
    authClient,
    zones: options.locations ?? ['us-central1-a'],
    retry: { retries: options.retries, minDelayMs: 20, maxDelayMs: 100, jitter: false },
    requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.bounds ? { bounds: options.bounds } : {}),
  });
}
