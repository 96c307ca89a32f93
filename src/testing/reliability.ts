/**
 * Reliability cases that need no fault-injecting proxy, so any driver can run them: cancellation
 * before and during a call, and the bounded wait. (This repository's own reliability suite adds
 * the cases that inject faults on the wire.)
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { isTimeoutError, type TimeoutError } from '../core/errors.js';
import type { Node } from '../core/types.js';
import type { ConformanceFixture } from './conformance.js';
import { rejectionOf } from './rejection.js';

/** Registers the cases; `current()` gives the fixture once the suite's `beforeAll` has run. */
export function runReliabilityCases(current: () => ConformanceFixture): void {
  it('rejects with the signal’s reason, before any request, when the signal is already aborted', async () => {
    const { driver, requestCount, missingNodeId = 'missing-node-0', location } = current();
    const reason = new Error('cancelled by the caller');
    const controller = new AbortController();
    controller.abort(reason);
    const signal = controller.signal;
    const before = requestCount();
    const calls: readonly [string, Promise<unknown>][] = [
      ['listLocations', driver.listLocations({ signal })],
      ['listSizes', driver.listSizes({ location }, { signal })],
      ['listImages', driver.listImages({ location }, { signal })],
      ['listNodes', driver.listNodes({}, { signal })],
      ['getNode', driver.getNode(missingNodeId, { signal })],
      ['destroyNode', driver.destroyNode(missingNodeId, { signal })],
      ['waitForNode', driver.waitForNode(missingNodeId, 'running', { signal })],
    ];
    for (const [what, call] of calls) expect(await rejectionOf(call), what).toBe(reason);
    expect(requestCount()).toBe(before);
  });

  /** Runs `test` with a fresh running node of the fixture's size, image and location, destroyed after. */
  async function withNode(test: (node: Node) => Promise<void>): Promise<void> {
    const { driver, size, image, location, wait } = current();
    const node = await driver.createNode({
      name: `rel-${randomUUID().slice(0, 8)}`,
      size,
      image,
      location,
      // Not "polycloud-…": drivers reserve that prefix (Azure refuses it); lowercase for GCE labels.
      tags: { 'conformance-case': 'reliability' },
    });
    try {
      await test(await driver.waitForNode(node, 'running', wait));
    } finally {
      await driver.destroyNode(node);
    }
  }

  it('stops a wait at once when its signal is aborted, with the signal’s reason', async () => {
    const { driver } = current();
    await withNode(async (node) => {
      const reason = new Error('stop waiting');
      const controller = new AbortController();
      // The node is running and nobody stops it: the wait would poll until its (long) timeout.
      const waiting = rejectionOf(driver.waitForNode(node, 'stopped', { signal: controller.signal, timeoutMs: 600_000, intervalMs: 50 }));
      setImmediate(() => controller.abort(reason));
      expect(await waiting).toBe(reason);
    });
  });

  it('ends a wait that cannot succeed with a TimeoutError naming the last state, within its bound', async () => {
    const { driver } = current();
    await withNode(async (node) => {
      const error = await rejectionOf(driver.waitForNode(node, 'stopped', { timeoutMs: 300, intervalMs: 50, maxIntervalMs: 100 }));
      expect(isTimeoutError(error), String(error)).toBe(true);
      expect((error as TimeoutError).provider).toBe(driver.provider);
      expect((error as TimeoutError).operation).toBe('waitForNode');
      expect((error as TimeoutError).lastState).toBe('running');
    });
  });
}
