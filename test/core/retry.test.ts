import { describe, expect, it } from 'vitest';
import { InvalidRequestError, ProviderUnavailableError, RateLimitError } from '../../src/core/errors.js';
import { parseRetryAfter, withRetry } from '../../src/core/retry.js';

const fast = { minDelayMs: 1, maxDelayMs: 5, jitter: false };
const unavailable = () => new ProviderUnavailableError('down', { provider: 'local', operation: 'listNodes' });

describe('withRetry', () => {
  it('repeats a retryable failure of a safe call until it succeeds', async () => {
    let attempts = 0;
    const result = await withRetry(async () => (++attempts < 3 ? Promise.reject(unavailable()) : 'ok'), fast, { idempotent: true });
    expect(result).toBe('ok');
    expect(attempts).toBe(3);
  });

  it('never exceeds the attempt budget', async () => {
    let attempts = 0;
    await expect(
      withRetry(async () => Promise.reject((attempts++, unavailable())), { ...fast, retries: 2 }, { idempotent: true }),
    ).rejects.toThrow('down');
    expect(attempts).toBe(3);
  });

  it('does not repeat calls that are not safe to repeat, nor non-retryable errors', async () => {
    let unsafe = 0;
    await expect(withRetry(async () => Promise.reject((unsafe++, unavailable())), fast, { idempotent: false })).rejects.toThrow();
    expect(unsafe).toBe(1);
    let invalid = 0;
    const bad = () => new InvalidRequestError('bad', { provider: 'local', operation: 'createNode' });
    await expect(withRetry(async () => Promise.reject((invalid++, bad())), fast, { idempotent: true })).rejects.toThrow('bad');
    expect(invalid).toBe(1);
  });

  it('waits at least as long as Retry-After asks', async () => {
    const delays: number[] = [];
    let attempts = 0;
    const limited = () => new RateLimitError('throttled', { provider: 'local', operation: 'listNodes', retryAfterMs: 30 });
    await withRetry(async () => (++attempts === 1 ? Promise.reject(limited()) : 'ok'), fast, {
      idempotent: true,
      onRetry: ({ delayMs }) => delays.push(delayMs),
    });
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThanOrEqual(30);
  });

  it('fails at once when Retry-After is longer than allowed', async () => {
    let attempts = 0;
    const limited = () => new RateLimitError('throttled', { provider: 'local', operation: 'listNodes', retryAfterMs: 120_000 });
    await expect(withRetry(async () => Promise.reject((attempts++, limited())), fast, { idempotent: true })).rejects.toThrow('throttled');
    expect(attempts).toBe(1);
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    let attempts = 0;
    const pending = withRetry(
      async () => {
        attempts++;
        controller.abort(new Error('cancelled by caller'));
        throw unavailable();
      },
      fast,
      { idempotent: true, signal: controller.signal },
    );
    await expect(pending).rejects.toThrow('cancelled by caller');
    expect(attempts).toBe(1);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and ignores junk', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:10 GMT', Date.parse('Wed, 21 Oct 2026 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
