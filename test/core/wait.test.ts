import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { isConflictError, isTimeoutError, type TimeoutError } from '../../src/core/errors.js';
import { createLocalDriver } from '../../providers/local/index.js';
import { rejectionOf } from '../conformance/suite.js';

const request = { name: 'web-1', size: 's-2vcpu-4gb', image: 'ubuntu-24.04-x64', location: 'fra1' };

describe('waitForNode', () => {
  it('polls until the node reaches the state, without real waiting', async () => {
    const clock = new VirtualClock();
    const driver = createLocalDriver({ clock, timings: { boot: 90_000 } });
    const node = await driver.createNode(request);
    const started = clock.now();
    const running = await driver.waitForNode(node, 'running');
    expect(running.state).toBe('running');
    expect(clock.now() - started).toBeGreaterThanOrEqual(90_000);
  });

  it('with pauseFirst, makes its first look one interval after the call; a non-boolean is refused by name', async () => {
    const clock = new VirtualClock();
    const driver = createLocalDriver({ clock, timings: { boot: 10_000 } });
    const node = await driver.createNode(request);
    const looks: number[] = [];
    const get = driver.cloud.getNode.bind(driver.cloud);
    driver.cloud.getNode = async (id) => (looks.push(clock.now()), get(id));
    const started = clock.now();
    await driver.waitForNode(node, 'running', { pauseFirst: true, intervalMs: 4_000, backoffFactor: 1 });
    expect(looks.map((at) => at - started)).toEqual([4_000, 8_000, 12_000]);
    const error = await rejectionOf(driver.waitForNode(node, 'running', { pauseFirst: 'yes' as unknown as boolean }));
    expect(error).toMatchObject({ field: 'options.pauseFirst' });
  });

  it('times out with a TimeoutError naming the state last seen', async () => {
    const driver = createLocalDriver({ clock: new VirtualClock(), timings: { boot: 3_600_000 } });
    const node = await driver.createNode(request);
    const error = await rejectionOf(driver.waitForNode(node, 'running', { timeoutMs: 30_000 }));
    expect(isTimeoutError(error)).toBe(true);
    expect((error as TimeoutError).lastState).toBe('pending');
    expect((error as Error).message).toContain('last seen pending');
    expect((error as Error).message).toContain('30000 ms');
  });

  it('stops early when the node reaches a final state it will not leave', async () => {
    const driver = createLocalDriver({ clock: new VirtualClock() });
    const node = await driver.createNode(request);
    await driver.destroyNode(node);
    const error = await rejectionOf(driver.waitForNode(node, 'running'));
    expect(isConflictError(error)).toBe(true);
  });

  it('counts a node that is gone as terminated', async () => {
    const clock = new VirtualClock();
    const driver = createLocalDriver({ clock, timings: { terminatedRetention: 1 } });
    const node = await driver.createNode(request);
    await driver.destroyNode(node);
    clock.advance(10_000);
    const gone = await driver.waitForNode(node, 'terminated');
    expect(gone.state).toBe('terminated');
    expect(gone.id).toBe(node.id);
  });

  it('rejects with the abort reason when cancelled', async () => {
    const driver = createLocalDriver({ timings: { boot: 3_600_000 } });
    const node = await driver.createNode(request);
    const controller = new AbortController();
    const waiting = driver.waitForNode(node, 'running', { signal: controller.signal, intervalMs: 10 });
    setTimeout(() => controller.abort(new Error('user gave up')), 30);
    await expect(waiting).rejects.toThrow('user gave up');
  });
});
