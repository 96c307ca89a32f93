/**
 * Cancellation of the `local` driver (the 20 s bounds only catch hangs: the injected latency is 60 s): a call stalled inside the simulated cloud (injected
 * latency) still settles with the signal's reason as soon as the caller aborts.
 */
import { describe, expect, it } from 'vitest';
import { createLocalDriver } from '../../providers/local/index.js';

describe('reliability: local', () => {
  it('an AbortSignal cancels a call stalled by simulated latency, with its reason', async () => {
    const driver = createLocalDriver({ faults: { latencyMs: 60_000 } });
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    setTimeout(() => controller.abort(reason), 100);
    const started = performance.now();
    const error = await driver.listNodes({}, { signal: controller.signal }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBe(reason);
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it('an AbortSignal that times out cancels a stalled getNode and createNode', async () => {
    const driver = createLocalDriver({ faults: { latencyMs: 60_000 } });
    for (const call of [
      (signal: AbortSignal) => driver.getNode('node-1', { signal }),
      (signal: AbortSignal) =>
        driver.createNode({ name: 'n1', size: 's-2vcpu-4gb', image: 'ubuntu-24.04-x64', location: 'fra1' }, { signal }),
    ]) {
      const started = performance.now();
      const error = await call(AbortSignal.timeout(100)).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect((error as Error | undefined)?.name).toBe('TimeoutError');
      expect(performance.now() - started).toBeLessThan(20_000);
    }
  });
});
