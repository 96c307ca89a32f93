import { VirtualClock } from '../../src/core/clock.js';
import { MultiCloud } from '../../src/multicloud/index.js';
import type { Node } from '../../src/core/types.js';
import { createLocalDriver, type LocalDriver, type LocalDriverOptions } from '../../providers/local/index.js';

/** Two simulated clouds on one virtual clock: `standard` (USD) and `budget` (EUR). */
export function twoClouds(
  options: { standard?: LocalDriverOptions; budget?: LocalDriverOptions; timeoutMs?: number; catalogTtlMs?: number } = {},
) {
  const clock = new VirtualClock();
  // Fast retries: an outage should fail a call in milliseconds, not seconds.
  const retry = { retries: 1, minDelayMs: 1, maxDelayMs: 2 };
  const standard = createLocalDriver({ preset: 'standard', clock, idPrefix: 'std-', retry, ...options.standard });
  const budget = createLocalDriver({ preset: 'budget', clock, idPrefix: 'bud-', retry, ...options.budget });
  const multi = new MultiCloud({
    drivers: { standard, budget },
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.catalogTtlMs !== undefined ? { catalogTtlMs: options.catalogTtlMs } : {}),
  });
  return { clock, standard, budget, multi };
}

/** Creates a node and waits until it runs. */
export async function running(
  driver: LocalDriver,
  name: string,
  size: string,
  image: string,
  location: string,
  tags: Record<string, string> = {},
): Promise<Node> {
  const node = await driver.createNode({ name, size, image, location, tags });
  return driver.waitForNode(node, 'running');
}

/** Nodes of a simulated cloud that are not on their way out. */
export function live(driver: LocalDriver) {
  return driver.cloud.peekNodes().filter((node) => node.state !== 'terminating' && node.state !== 'terminated');
}
