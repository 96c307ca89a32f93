import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { isTimeoutError, type TimeoutError } from '../../src/core/errors.js';
import { POLL_FLOOR_MS, pollUntil } from '../../src/core/poll.js';

const base = { provider: 'test', operation: 'createNode', what: 'action 7 to complete' } as const;

describe('pollUntil', () => {
  it('returns the value once the check says done, backing off between looks on the given clock', async () => {
    const clock = new VirtualClock();
    const lookedAt: number[] = [];
    const value = await pollUntil(
      async () => {
        lookedAt.push(clock.now());
        return lookedAt.length === 4 ? { done: true, value: 'ok' } : { done: false, state: 'in-progress' };
      },
      { ...base, clock, intervalMs: 1_000, backoffFactor: 2, maxIntervalMs: 3_000 },
    );
    expect(value).toBe('ok');
    const pauses = lookedAt.slice(1).map((at, index) => at - lookedAt[index]!);
    expect(pauses).toEqual([1_000, 2_000, 3_000]);
  });

  it('with pauseFirst, waits one interval before the first look, then backs off as usual', async () => {
    const clock = new VirtualClock();
    const start = clock.now();
    const lookedAt: number[] = [];
    await pollUntil(
      async () => {
        lookedAt.push(clock.now() - start);
        return lookedAt.length === 3 ? { done: true, value: 'ok' } : { done: false };
      },
      { ...base, clock, intervalMs: 1_000, backoffFactor: 2, maxIntervalMs: 10_000, pauseFirst: true },
    );
    expect(lookedAt).toEqual([1_000, 3_000, 7_000]);
  });

  it('raises an interval of 0 to the floor, so a wait never floods the provider', async () => {
    const clock = new VirtualClock();
    let looks = 0;
    const error = await pollUntil(async () => (looks++, { done: false as const }), {
      ...base,
      clock,
      intervalMs: 0,
      backoffFactor: 1,
      timeoutMs: 10 * POLL_FLOOR_MS,
    }).catch((caught: unknown) => caught);
    expect(isTimeoutError(error)).toBe(true);
    expect(looks).toBe(11);
  });

  it('times out with a TimeoutError naming what was awaited and the last state seen', async () => {
    const clock = new VirtualClock();
    const error = (await pollUntil(async () => ({ done: false as const, state: 'running' }), { ...base, clock, timeoutMs: 5_000 }).catch(
      (caught: unknown) => caught,
    )) as TimeoutError;
    expect(isTimeoutError(error)).toBe(true);
    expect(error.message).toContain('action 7 to complete');
    expect(error.message).toContain('last seen running');
    expect(error.lastState).toBe('running');
    expect(error.provider).toBe('test');
    expect(error.operation).toBe('createNode');
  });

  it("gives the TimeoutError the awaited thing's provider id and zone when told them", async () => {
    const error = (await pollUntil(async () => ({ done: false as const, state: 'RUNNING' }), {
      ...base,
      clock: new VirtualClock(),
      timeoutMs: 1_000,
      requestId: 'operation-42',
      location: 'us-central1-a',
    }).catch((caught: unknown) => caught)) as TimeoutError;
    expect(isTimeoutError(error)).toBe(true);
    expect(error).toMatchObject({ requestId: 'operation-42', location: 'us-central1-a', timeoutMs: 1_000 });
  });

  it('keeps lastState unset for a state that is not a node state', async () => {
    const error = (await pollUntil(async () => ({ done: false as const, state: 'in-progress' }), {
      ...base,
      clock: new VirtualClock(),
      timeoutMs: 1_000,
    }).catch((caught: unknown) => caught)) as TimeoutError;
    expect(error.message).toContain('last seen in-progress');
    expect(error.lastState).toBeUndefined();
  });

  it('ends with the signal reason when aborted between looks', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    let looks = 0;
    const error = await pollUntil(
      async () => {
        if (++looks === 2) controller.abort(reason);
        return { done: false as const };
      },
      { ...base, clock: new VirtualClock(), signal: controller.signal },
    ).catch((caught: unknown) => caught);
    expect(error).toBe(reason);
    expect(looks).toBe(2);
  });

  it('ends with the error the check throws', async () => {
    const failure = new Error('provider says no');
    await expect(pollUntil(async () => Promise.reject(failure), { ...base, clock: new VirtualClock() })).rejects.toBe(failure);
  });
});
