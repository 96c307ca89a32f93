import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { ttlCache } from '../../src/core/ttl-cache.js';

describe('ttlCache', () => {
  it('fetches once for concurrent callers and reuses the value until the TTL has passed', async () => {
    const clock = new VirtualClock();
    let fetches = 0;
    const cached = ttlCache(async (tag: string) => `${tag}-${++fetches}`, 1_000, clock);
    expect(await Promise.all([cached('a'), cached('b'), cached('c')])).toEqual(['a-1', 'a-1', 'a-1']);
    clock.advance(999);
    expect(await cached('d')).toBe('a-1');
    clock.advance(1);
    expect(await cached('e')).toBe('e-2');
    expect(fetches).toBe(2);
  });

  it('does not keep a failed fetch: the next caller tries again', async () => {
    const clock = new VirtualClock();
    let fetches = 0;
    const cached = ttlCache(
      async () => {
        fetches += 1;
        if (fetches === 1) throw new Error('provider down');
        return fetches;
      },
      60_000,
      clock,
    );
    await expect(cached(undefined)).rejects.toThrow('provider down');
    expect(await cached(undefined)).toBe(2);
    expect(await cached(undefined)).toBe(2);
  });
});
