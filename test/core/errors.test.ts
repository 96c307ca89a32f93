import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  CloudError,
  InvalidRequestError,
  NodeNotFoundError,
  PartialFailureError,
  ProviderUnavailableError,
  RateLimitError,
  isCloudError,
  isInvalidRequestError,
  isNodeNotFoundError,
  isNotFoundError,
  isRateLimitError,
  isRetryableError,
} from '../../src/core/errors.js';
import { registerSecret } from '../../src/core/secrets.js';

describe('CloudError family', () => {
  it('says operation, detail, provider, status and request id in its message', () => {
    const error = new RateLimitError('slow down', {
      provider: 'aws',
      operation: 'listNodes',
      statusCode: 503,
      requestId: 'req-123',
      retryAfterMs: 2000,
    });
    expect(error.message).toBe('listNodes: slow down (provider aws, status 503, request id req-123)');
    expect(error.name).toBe('RateLimitError');
    expect(String(error)).toBe('RateLimitError: listNodes: slow down (provider aws, status 503, request id req-123)');
    expect(error.retryAfterMs).toBe(2000);
    expect(error.retryable).toBe(true);
  });

  it('marks transient kinds retryable by default and others not', () => {
    expect(new ProviderUnavailableError('down', { provider: 'gce', operation: 'getNode' }).retryable).toBe(true);
    expect(new InvalidRequestError('bad', { provider: 'gce', operation: 'getNode' }).retryable).toBe(false);
    expect(new CloudError('x', { provider: 'gce', operation: 'getNode', retryable: true }).retryable).toBe(true);
    expect(isRetryableError(new Error('plain'))).toBe(false);
  });

  it('recognises kinds through a marker, so guards work across copies of the package', () => {
    const error = new NodeNotFoundError('i-1', { provider: 'aws', operation: 'getNode' });
    expect(isNodeNotFoundError(error)).toBe(true);
    expect(isNotFoundError(error)).toBe(true);
    expect(isCloudError(error)).toBe(true);
    expect(isRateLimitError(error)).toBe(false);
    expect(error.nodeId).toBe('i-1');

    // An error from another copy of polycloud: a different class, the same registered marker.
    const foreign = Object.assign(new Error('from elsewhere'), {
      [Symbol.for('polycloud.error.kinds')]: ['InvalidRequestError', 'CloudError'],
    });
    expect(foreign instanceof CloudError).toBe(false);
    expect(isInvalidRequestError(foreign)).toBe(true);
    expect(isCloudError(foreign)).toBe(true);
    expect(isNotFoundError(foreign)).toBe(false);
  });

  it('keeps secrets and request configuration out of the message, the cause, JSON and inspect', () => {
    const token = 'tok_SECRET_value_123456';
    registerSecret(token);
    const axiosLike = Object.assign(new Error(`Request failed for token ${token}`), {
      config: { headers: { Authorization: `Bearer ${token}` } },
      request: { _header: `Authorization: Bearer ${token}` },
    });
    const error = new ProviderUnavailableError(`upstream said ${token}`, {
      provider: 'digitalocean',
      operation: 'listNodes',
      cause: axiosLike,
    });
    const shown = [error.message, inspect(error, { depth: 10 }), JSON.stringify(error), inspect(error.cause, { depth: 10 })].join('\n');
    expect(shown).not.toContain(token);
    expect(shown).toContain('[redacted]');
    expect((error.cause as { config?: unknown }).config).toBeUndefined();
  });

  it('PartialFailureError keeps the partial results and names each failed part', () => {
    const failure = new ProviderUnavailableError('region down', { provider: 'aws', operation: 'listNodes', location: 'eu-west-1' });
    const error = new PartialFailureError(['a', 'b'], [failure], { provider: 'aws', operation: 'listNodes' });
    expect(error.partial).toEqual(['a', 'b']);
    expect(error.failures).toEqual([failure]);
    expect(error.message).toContain('eu-west-1');
    expect(error.retryable).toBe(true);
  });
});
