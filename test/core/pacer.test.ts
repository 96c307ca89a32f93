import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { AdaptivePacer } from '../../src/core/pacer.js';

describe('AdaptivePacer', () => {
  it('does not pace before the first throttle', async () => {
    const clock = new VirtualClock();
    const pacer = new AdaptivePacer(clock);
    const start = clock.now();
    for (let index = 0; index < 50; index += 1) {
      await pacer.acquire();
      pacer.succeeded();
    }
    expect(clock.now()).toBe(start);
    expect(pacer.rate).toBe(Number.POSITIVE_INFINITY);
  });

  it('after a throttle, sends at a little under the rate that went through, and spaces requests by it', async () => {
    const clock = new VirtualClock();
    const pacer = new AdaptivePacer(clock);
    // 100 successes over one second, then a throttle.
    for (let index = 0; index < 100; index += 1) {
      pacer.succeeded();
      clock.advance(10);
    }
    pacer.throttled();
    expect(pacer.rate).toBeGreaterThan(70);
    expect(pacer.rate).toBeLessThan(100);
    const before = clock.now();
    for (let index = 0; index < 10; index += 1) await pacer.acquire();
    const spacing = 1000 / pacer.rate;
    expect(clock.now() - before).toBeGreaterThanOrEqual(Math.floor(10 * spacing) - 1);
  });

  it('decreases once per burst of throttles, grows with successes, and stops pacing after a quiet spell', async () => {
    const clock = new VirtualClock();
    const pacer = new AdaptivePacer(clock);
    pacer.throttled();
    const first = pacer.rate;
    expect(first).toBe(8); // no success to learn from: the floor of 10/s, decreased once
    pacer.throttled();
    expect(pacer.rate).toBe(first);
    clock.advance(200);
    pacer.throttled();
    expect(pacer.rate).toBeCloseTo(first * 0.8);
    const lowered = pacer.rate;
    pacer.succeeded();
    expect(pacer.rate).toBeGreaterThan(lowered);
    clock.advance(6_000);
    const before = clock.now();
    await pacer.acquire();
    await pacer.acquire();
    expect(clock.now()).toBe(before);
    expect(pacer.rate).toBe(Number.POSITIVE_INFINITY);
  });

  it('rejects a wait with the signal reason when aborted', async () => {
    const clock = new VirtualClock();
    const pacer = new AdaptivePacer(clock);
    pacer.throttled();
    await pacer.acquire();
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(pacer.acquire(controller.signal)).rejects.toThrow('stop');
  });
});
