/** The kit's small helpers: defaults merging, the kind→class table, id patterns and path encoding. */
import { describe, expect, it } from 'vitest';
import {
  ERROR_CLASSES,
  NUMERIC_ID,
  createCloudError,
  encodedPath,
  fullCapabilities,
  idPattern,
  isNodeNotFoundError,
  isNotFoundError,
  isRateLimitError,
  mergeDefaults,
  pathIdPattern,
} from '../../src/kit.js';

describe('mergeDefaults', () => {
  it('keeps a default when the option is given as undefined, and takes every given value', () => {
    const given: { requestTimeoutMs?: number; pageSize?: number; name?: string } = { requestTimeoutMs: undefined, pageSize: 5 };
    const merged = mergeDefaults({ requestTimeoutMs: 30_000, pageSize: 100, name: 'a' }, given);
    const timeout: number = merged.requestTimeoutMs; // typed as present: the default fills it
    expect(timeout).toBe(30_000);
    expect(merged).toEqual({ requestTimeoutMs: 30_000, pageSize: 5, name: 'a' });
  });

  it('lets later sources win and skips a missing source', () => {
    expect(mergeDefaults<{ a?: number; b?: number }>({ a: 1, b: 1 }, undefined, { a: 2 }, { a: undefined, b: 3 })).toEqual({ a: 2, b: 3 });
  });
});

describe('fullCapabilities', () => {
  it('gives the whole lifecycle plus the choices, and lets a driver turn a capability off', () => {
    expect(fullCapabilities({ idempotency: 'tag', locationKind: 'region', keyPairs: true })).toEqual({
      startStop: true,
      reboot: true,
      userData: true,
      sshKeys: true,
      tags: true,
      idempotency: 'tag',
      locationKind: 'region',
      keyPairs: true,
    });
    const noReboot = fullCapabilities({ idempotency: 'native', locationKind: 'zone', reboot: false });
    expect([noReboot.reboot, noReboot.startStop, noReboot.keyPairs]).toEqual([false, true, undefined]);
  });
});

describe('createCloudError', () => {
  it('builds the class of each kind from the one table', () => {
    for (const [kind, Class] of Object.entries(ERROR_CLASSES)) {
      const error = createCloudError(kind as keyof typeof ERROR_CLASSES, 'detail', { provider: 'p', operation: 'op', nodeId: 'n-1' });
      expect(error).toBeInstanceOf(Class);
      expect(error.name).toBe(kind);
    }
  });

  it('carries the extra fields a kind has', () => {
    const throttled = createCloudError('RateLimitError', 'slow down', { provider: 'p', operation: 'op', retryAfterMs: 1500 });
    expect(isRateLimitError(throttled) && throttled.retryAfterMs).toBe(1500);
    const missing = createCloudError('NodeNotFoundError', 'gone', { provider: 'p', operation: 'getNode' });
    expect(isNotFoundError(missing)).toBe(true);
    expect(isNodeNotFoundError(missing)).toBe(false);
  });
});

describe('id patterns', () => {
  it('refuses an unanchored pattern', () => {
    expect(() => idPattern(/[0-9]+/, 'digits')).toThrow(/anchored/);
  });

  it('matches numeric ids and path ids without traversal', () => {
    expect(NUMERIC_ID.pattern.test('12345')).toBe(true);
    expect(NUMERIC_ID.pattern.test('web-1')).toBe(false);
    const path = pathIdPattern(6, 'an image path');
    expect(path.pattern.test('projects/debian-cloud/global/images/family/debian-12')).toBe(true);
    expect(path.pattern.test('linode/ubuntu24.04')).toBe(true);
    for (const bad of ['../etc/passwd', 'a//b', 'a/./b', '/abs', 'a/b/', 'a b', 'a/b/c/d/e/f/g', 'a?b', 'a#b']) {
      expect(path.pattern.test(bad), bad).toBe(false);
    }
  });

  it('encodes every interpolated path segment', () => {
    expect(encodedPath`/v2/droplets/${'1/../../account'}/actions?x=${'a&b'}`).toBe('/v2/droplets/1%2F..%2F..%2Faccount/actions?x=a%26b');
  });
});
