/**
 * google-auth-library's "no Application Default Credentials" failure becomes an
 * `AuthenticationError` that says how to provide credentials, instead of an untyped CloudError.
 * (Through the real SDK this also leaves an unhandled rejection inside the SDK's client set-up;
 * see the issue-14 report.)
 */
import { describe, expect, it } from 'vitest';
import { mapGceError } from '../../providers/gce/errors.js';
import { isAuthenticationError } from '../../src/core/errors.js';

describe('gce without credentials', () => {
  it('is an AuthenticationError saying how to log in', () => {
    const sdkError = new Error(
      'Could not load the default credentials. Browse to https://cloud.google.com/docs/authentication/getting-started for more information.',
    );
    const error = mapGceError(sdkError, { operation: 'listSizes' });
    expect(isAuthenticationError(error)).toBe(true);
    expect(error.message).toContain('gcloud auth application-default login');
    expect(error.message).toContain('GOOGLE_APPLICATION_CREDENTIALS');
    expect(error).toMatchObject({ provider: 'gce', operation: 'listSizes' });
  });

  it('leaves other failures as they were', () => {
    expect(isAuthenticationError(mapGceError(new Error('socket hang up'), { operation: 'listSizes' }))).toBe(false);
  });
});
