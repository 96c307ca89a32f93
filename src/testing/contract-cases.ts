/**
 * The contract cases where drivers used to drift apart: malformed ids, names passed as ids,
 * absent nodes, page sizes, explicit `undefined` options, and image filtering and order. Every
 * driver runs them through `runConformanceSuite`.
 *
 * @module
 */
import { expect, it } from 'vitest';
import type { Driver } from '../core/driver.js';
import { isInvalidRequestError, isNodeNotFoundError, type InvalidRequestError } from '../core/errors.js';
import { compareImages } from '../core/images.js';
import type { ConformanceFixture } from './conformance.js';
import { rejectionOf } from './rejection.js';

/** Ids no provider's pattern may accept: empty, path traversal, spaces, URL metacharacters. */
export const MALFORMED_IDS: readonly string[] = ['', '../etc/passwd', 'a b', 'id?x=1', 'id#frag', 'a/../../b', '%2e%2e'];

/** The node methods that take an id. */
const NODE_METHODS = ['getNode', 'rebootNode', 'startNode', 'stopNode', 'destroyNode', 'waitForNode'] as const;

function callWithId(driver: Driver, method: (typeof NODE_METHODS)[number], id: string): Promise<unknown> {
  if (method === 'waitForNode') return driver.waitForNode(id, 'running', { timeoutMs: 1_000 });
  return driver[method](id);
}

async function expectInvalid(driver: Driver, promise: Promise<unknown>, field: string, what: string): Promise<void> {
  const error = await rejectionOf(promise);
  expect(isInvalidRequestError(error), `${what}: expected InvalidRequestError, got ${String(error)}`).toBe(true);
  expect((error as InvalidRequestError).field, what).toBe(field);
  expect((error as InvalidRequestError).provider, what).toBe(driver.provider);
}

/** Registers the drift cases; `current()` gives the fixture once the suite's `beforeAll` has run. */
export function runContractCases(current: () => ConformanceFixture): void {
  it('refuses a malformed id on every method with InvalidRequestError naming the field, before any request', async () => {
    const { driver, requestCount } = current();
    const before = requestCount();
    for (const id of MALFORMED_IDS) {
      for (const method of NODE_METHODS)
        await expectInvalid(driver, callWithId(driver, method, id), 'id', `${method}(${JSON.stringify(id)})`);
      await expectInvalid(driver, driver.listNodes({ location: id }), 'query.location', `listNodes location ${JSON.stringify(id)}`);
      await expectInvalid(driver, driver.listSizes({ location: id }), 'query.location', `listSizes location ${JSON.stringify(id)}`);
      await expectInvalid(driver, driver.listImages({ location: id }), 'query.location', `listImages location ${JSON.stringify(id)}`);
    }
    expect(requestCount()).toBe(before);
  });

  it('refuses a node name passed as an id where the id pattern excludes it, and otherwise answers it consistently', async () => {
    const { driver } = current();
    const name = 'web-1';
    if (!driver.idPatterns.node.pattern.test(name)) {
      await expectInvalid(driver, driver.destroyNode(name), 'id', `destroyNode(${JSON.stringify(name)})`);
      await expectInvalid(driver, driver.getNode(name), 'id', `getNode(${JSON.stringify(name)})`);
      return;
    }
    // A well-formed id: either the id of an absent node (destroy succeeds, reads are NodeNotFoundError)
    // or refused by the provider as malformed on both calls, never one answer on one call and another on the other.
    const destroyed = await driver.destroyNode(name).then(
      () => undefined,
      (error: unknown) => error,
    );
    const read = await rejectionOf(driver.getNode(name));
    if (destroyed === undefined) {
      expect(isNodeNotFoundError(read), `getNode(${JSON.stringify(name)}) after destroy succeeded: ${String(read)}`).toBe(true);
    } else {
      expect(isInvalidRequestError(destroyed), `destroyNode(${JSON.stringify(name)}): ${String(destroyed)}`).toBe(true);
      expect(isInvalidRequestError(read), `getNode(${JSON.stringify(name)}): ${String(read)}`).toBe(true);
    }
  });

  it('answers a well-formed id of an absent node with NodeNotFoundError on reads and success on destroy', async () => {
    const { driver, missingNodeId = 'missing-node-0' } = current();
    expect(driver.idPatterns.node.pattern.test(missingNodeId), `${missingNodeId} must be well-formed`).toBe(true);
    const read = await rejectionOf(driver.getNode(missingNodeId));
    expect(isNodeNotFoundError(read), String(read)).toBe(true);
    expect((read as { provider?: string }).provider).toBe(driver.provider);
    await expect(driver.destroyNode(missingNodeId)).resolves.toBeUndefined();
  });

  it('refuses an out-of-range pageSize with InvalidRequestError, never clamping it', async () => {
    const { driver, requestCount, maxPageSize } = current();
    const before = requestCount();
    const outOfRange: unknown[] = [0, -1, 1.5, Number.NaN, '10', 1_000_000_000];
    if (maxPageSize !== undefined) outOfRange.push(maxPageSize + 1);
    for (const pageSize of outOfRange) {
      await expectInvalid(driver, driver.listNodes({ pageSize: pageSize as number }), 'query.pageSize', `pageSize ${String(pageSize)}`);
    }
    expect(requestCount()).toBe(before);
    if (maxPageSize !== undefined) await expect(driver.listNodes({ pageSize: maxPageSize })).resolves.toBeInstanceOf(Array);
  });

  it('treats an option given as undefined as not given', async () => {
    const { driver, driverWithUndefinedOptions } = current();
    const plain = await driver.listNodes();
    const withUndefined = await driver.listNodes({ location: undefined, states: undefined, tags: undefined, pageSize: undefined });
    expect(withUndefined.map((node) => node.id).sort()).toEqual(plain.map((node) => node.id).sort());
    const images = await driver.listImages({ os: undefined, version: undefined, arch: undefined, location: undefined });
    expect(images.map((image) => image.id)).toEqual((await driver.listImages()).map((image) => image.id));
    if (driverWithUndefinedOptions) {
      const other = await driverWithUndefinedOptions();
      expect((await other.listLocations()).length).toBeGreaterThan(0);
      expect((await other.listNodes()).map((node) => node.id).sort()).toEqual(plain.map((node) => node.id).sort());
    }
  });

  it('returns images filtered by the query and in the one core order', async () => {
    const { driver, location } = current();
    const all = await driver.listImages({ location });
    expect(all.length).toBeGreaterThan(0);
    expect([...all].sort(compareImages).map((image) => image.id)).toEqual(all.map((image) => image.id));
    const sample = all.find((image) => image.os !== undefined);
    expect(sample, 'at least one image states its OS').toBeDefined();
    if (!sample?.os) return;
    const filtered = await driver.listImages({ location, os: sample.os.family.toUpperCase(), version: sample.os.version });
    expect(filtered.map((image) => image.id)).toContain(sample.id);
    for (const image of filtered) {
      expect(image.os?.family).toBe(sample.os.family);
      expect(image.os?.version).toBe(sample.os.version);
    }
    expect([...filtered].sort(compareImages).map((image) => image.id)).toEqual(filtered.map((image) => image.id));
    for (const arch of ['x86_64', 'arm64'] as const) {
      for (const image of await driver.listImages({ location, arch })) expect(image.arch).toBe(arch);
    }
  });
}
