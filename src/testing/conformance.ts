/**
 * The contract every driver keeps. `runConformanceSuite` registers the same cases for any
 * driver, in this repository (the local provider, each network driver against its fake or
 * emulator) or in another package (through `polycloud/testing`). Runs under vitest.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Driver } from '../core/driver.js';
import { isCapabilityError, isCloudError, isInvalidRequestError, isNodeNotFoundError, type InvalidRequestError } from '../core/errors.js';
import type { CreateNodeRequest, Node, WaitOptions } from '../core/types.js';
import { runContractCases } from './contract-cases.js';
import { runReliabilityCases } from './reliability.js';
import { rejectionOf } from './rejection.js';

export { rejectionOf };

/** What a driver's harness provides to the suite. */
export interface ConformanceFixture {
  /** The driver under test, connected to the harness's fake or emulator; the suite creates and destroys nodes with it. */
  readonly driver: Driver;
  /** A location, size and image that work together. */
  readonly location: string;
  /** A size id offered in `location` and `otherLocation`, used for every node the suite creates. */
  readonly size: string;
  /** An image id usable in `location` and `otherLocation` with `size`, used for every node the suite creates. */
  readonly image: string;
  /** A second location where the same size and image work, for location filters. */
  readonly otherLocation: string;
  /** How many requests have reached the provider (server) so far. */
  requestCount(): number;
  /**
   * Wait options that suit the backend (fast polling against a fake).
   *
   * @defaultValue the driver's `waitForNode` defaults
   */
  readonly wait?: WaitOptions;
  /** A page size small enough that the pagination case spans several pages. */
  readonly pageSize: number;
  /**
   * A well-formed id of a node that does not exist.
   *
   * @defaultValue `'missing-node-0'`
   */
  readonly missingNodeId?: string;
  /**
   * The largest `pageSize` the driver takes, so the suite can check one more is refused.
   *
   * @defaultValue not checked beyond 10^9
   */
  readonly maxPageSize?: number;
  /**
   * Creates a second driver on the same backend with every optional setting given explicitly as
   * `undefined` (e.g. `{ ...connection, requestTimeoutMs: undefined, pageSize: undefined }`): it
   * must behave as with the defaults.
   *
   * @defaultValue not checked
   */
  driverWithUndefinedOptions?(): Driver | Promise<Driver>;
  /** Stops servers; called after the suite. */
  cleanup(): Promise<void>;
}

/**
 * Registers the whole contract for one driver: vitest `describe`/`it` cases, set up once by
 * `setup` (start the fake or emulator, create the driver) and cleaned up after.
 */
export function runConformanceSuite(label: string, setup: () => Promise<ConformanceFixture>): void {
  describe(`conformance: ${label}`, () => {
    let fixture: ConformanceFixture;
    let driver: Driver;
    const runTag = { 'conformance-run': randomUUID().slice(0, 8) };
    let sequence = 0;

    const request = (overrides: Partial<CreateNodeRequest> = {}): CreateNodeRequest => ({
      name: `conf-${runTag['conformance-run']}-${++sequence}`,
      size: fixture.size,
      image: fixture.image,
      location: fixture.location,
      tags: { ...runTag },
      ...overrides,
    });

    const expectInvalid = async (promise: Promise<unknown>, field: string) => {
      const error = await rejectionOf(promise);
      expect(isInvalidRequestError(error), `expected InvalidRequestError, got ${String(error)}`).toBe(true);
      expect((error as InvalidRequestError).field).toBe(field);
      expect((error as InvalidRequestError).message).toContain(field);
      expect((error as InvalidRequestError).provider).toBe(driver.provider);
    };

    beforeAll(async () => {
      fixture = await setup();
      driver = fixture.driver;
    });

    afterAll(async () => {
      if (!fixture) return;
      const leftovers = await fixture.driver.listNodes({ tags: runTag }).catch(() => [] as Node[]);
      await Promise.allSettled(leftovers.filter((node) => node.state !== 'terminated').map((node) => fixture.driver.destroyNode(node)));
      await fixture.cleanup();
    });

    it('runs a node through its whole lifecycle', async () => {
      const created = await driver.createNode(request({ tags: { ...runTag, role: 'lifecycle' } }));
      expect(created.provider).toBe(driver.provider);
      expect(created.id).toBeTruthy();
      expect(created.name).toMatch(/^conf-/);
      expect(['pending', 'running']).toContain(created.state);

      const listed = await driver.listNodes({ tags: { ...runTag, role: 'lifecycle' } });
      expect(listed.map((node) => node.id)).toEqual([created.id]);

      const running = await driver.waitForNode(created, 'running', fixture.wait);
      expect(running.state).toBe('running');
      expect(running.location.country).toMatch(/^[A-Z]{2}$/);
      expect(running.createdAt).toBeInstanceOf(Date);
      expect(running.tags.role).toBe('lifecycle');

      await driver.rebootNode(running);
      expect((await driver.waitForNode(created.id, 'running', fixture.wait)).state).toBe('running');

      if (driver.capabilities.startStop) {
        await driver.stopNode(created.id);
        expect((await driver.waitForNode(created, 'stopped', fixture.wait)).state).toBe('stopped');
        await driver.startNode(created);
        expect((await driver.waitForNode(created, 'running', fixture.wait)).state).toBe('running');
      }

      await driver.destroyNode(created);
      const gone = await driver.waitForNode(created, 'terminated', fixture.wait);
      expect(gone.state).toBe('terminated');
      const live = await driver.listNodes({ tags: { ...runTag, role: 'lifecycle' }, states: ['pending', 'running', 'stopped'] });
      expect(live).toEqual([]);
      await driver.destroyNode(created.id); // destroying again is not an error
    });

    it('rejects getNode of a missing id with NodeNotFoundError', async () => {
      const error = await rejectionOf(driver.getNode(fixture.missingNodeId ?? 'missing-node-0'));
      expect(isNodeNotFoundError(error), String(error)).toBe(true);
      expect((error as Error).message).toContain(driver.provider);
    });

    it('returns every page of a listing', async () => {
      const pageTag = { ...runTag, role: 'paging' };
      const count = fixture.pageSize + 2;
      const created: Node[] = [];
      for (let index = 0; index < count; index++) created.push(await driver.createNode(request({ tags: pageTag })));
      const before = fixture.requestCount();
      const listed = await driver.listNodes({ tags: pageTag, pageSize: fixture.pageSize });
      expect(fixture.requestCount() - before).toBeGreaterThanOrEqual(2);
      expect(listed.map((node) => node.id).sort()).toEqual(created.map((node) => node.id).sort());
      const iterated: string[] = [];
      for await (const node of driver.iterateNodes({ tags: pageTag, pageSize: fixture.pageSize })) iterated.push(node.id);
      expect(iterated.sort()).toEqual(created.map((node) => node.id).sort());
      await Promise.all(created.map((node) => driver.destroyNode(node)));
    });

    it('filters nodes by location, tags and state', async () => {
      const filterTag = { ...runTag, role: 'filter' };
      const here = await driver.createNode(request({ tags: { ...filterTag, side: 'a' } }));
      const there = await driver.createNode(request({ location: fixture.otherLocation, tags: { ...filterTag, side: 'b' } }));
      const inHere = await driver.listNodes({ tags: filterTag, location: fixture.location });
      expect(inHere.map((node) => node.id)).toEqual([here.id]);
      const inBoth = await driver.listNodes({ tags: filterTag, location: [fixture.location, fixture.otherLocation] });
      expect(inBoth.map((node) => node.id).sort()).toEqual([here.id, there.id].sort());
      const sideB = await driver.listNodes({ tags: { ...filterTag, side: 'b' } });
      expect(sideB.map((node) => node.id)).toEqual([there.id]);
      await driver.waitForNode(here, 'running', fixture.wait);
      await driver.destroyNode(here);
      await driver.waitForNode(here, 'terminated', fixture.wait);
      const running = await driver.listNodes({ tags: filterTag, states: ['pending', 'running'] });
      expect(running.map((node) => node.id)).toEqual([there.id]);
      await driver.destroyNode(there);
    });

    it('lists sizes with a price or null (never 0), with currency, source and date', async () => {
      const sizes = await driver.listSizes({ location: fixture.location });
      expect(sizes.length).toBeGreaterThan(0);
      expect(sizes.map((size) => size.id)).toContain(fixture.size);
      for (const size of sizes) {
        expect(size.provider).toBe(driver.provider);
        expect(size.vcpus).toBeGreaterThan(0);
        expect(size.memoryGiB).toBeGreaterThan(0);
        if (size.price === null) continue;
        expect(size.price.hourly).toBeGreaterThan(0);
        expect(size.price.monthly).toBeGreaterThan(0);
        expect(size.price.currency).toMatch(/^[A-Z]{3}$/);
        expect(['provider-api', 'catalog']).toContain(size.price.source);
        expect(size.price.asOf).toMatch(/^\d{4}-\d{2}-\d{2}/);
      }
    });

    it('lists locations with ISO countries', async () => {
      const locations = await driver.listLocations();
      expect(locations.map((location) => location.id)).toEqual(expect.arrayContaining([fixture.location, fixture.otherLocation]));
      for (const location of locations) {
        expect(location.provider).toBe(driver.provider);
        expect(['region', 'zone']).toContain(location.kind);
        expect(location.country).toMatch(/^[A-Z]{2}$/);
        expect(location.region).toBeTruthy();
      }
    });

    it('finds Ubuntu 24.04 base images', async () => {
      const images = await driver.listImages({ os: 'ubuntu', version: '24.04', location: fixture.location });
      expect(images.length).toBeGreaterThan(0);
      for (const image of images) {
        expect(image.os?.family).toBe('ubuntu');
        expect(image.os?.version).toBe('24.04');
      }
      const arm = await driver.listImages({ os: 'ubuntu', version: '24.04', arch: 'arm64', location: fixture.location });
      for (const image of arm) expect(image.arch).toBe('arm64');
    });

    it('rejects bad input with InvalidRequestError naming the field, before any request', async () => {
      const before = fixture.requestCount();
      await expectInvalid(driver.createNode(request({ name: '' })), 'name');
      await expectInvalid(driver.createNode(request({ size: undefined as unknown as string })), 'size');
      await expectInvalid(driver.createNode(request({ image: '' })), 'image');
      await expectInvalid(driver.createNode(request({ location: 'bad/../location' })), 'location');
      await expectInvalid(driver.createNode(request({ tags: { ok: 42 as unknown as string } })), 'tags.ok');
      await expectInvalid(driver.waitForNode(fixture.missingNodeId ?? 'some-node-1', 'running', { timeoutMs: -1 }), 'options.timeoutMs');
      await expectInvalid(driver.getNode('../etc/passwd'), 'id');
      await expectInvalid(driver.listNodes({ states: ['sleeping' as 'running'] }), 'query.states');
      expect(fixture.requestCount()).toBe(before);
    });

    it('rejects unknown size, image and location with InvalidRequestError and creates nothing', async () => {
      const badTag = { ...runTag, role: 'bad-input' };
      await expectInvalid(driver.createNode(request({ size: 'no-such-size', tags: badTag })), 'size');
      await expectInvalid(driver.createNode(request({ image: 'no-such-image', tags: badTag })), 'image');
      await expectInvalid(driver.createNode(request({ location: 'no-such-location', tags: badTag })), 'location');
      expect(await driver.listNodes({ tags: badTag })).toEqual([]);
    });

    it('creates a node with user data, and reads it back where the driver reads launch specs', async () => {
      const userData = `#cloud-config\n# conformance ${runTag['conformance-run']}\nruncmd:\n  - echo ready\n`;
      const tags = { ...runTag, role: 'launch-spec' };
      if (!driver.capabilities.userData) {
        // Refused before any request, never silently dropped.
        const before = fixture.requestCount();
        const error = await rejectionOf(driver.createNode(request({ userData, tags })));
        expect(isCapabilityError(error), `expected CapabilityError, got ${String(error)}`).toBe(true);
        expect(fixture.requestCount()).toBe(before);
        expect(driver.getLaunchSpec).toBeUndefined();
        return;
      }
      const withData = await driver.createNode(request({ userData, tags }));
      const without = await driver.createNode(request({ tags }));
      expect((await driver.listNodes({ tags })).map((node) => node.id).sort()).toEqual([withData.id, without.id].sort());
      // getLaunchSpec is optional in the contract: DigitalOcean, Hetzner, Linode and OpenStack cannot return user data.
      if (driver.getLaunchSpec) {
        const [byNode, byId, none] = await Promise.all([
          driver.getLaunchSpec(await driver.getNode(withData.id)),
          driver.getLaunchSpec(withData.id),
          driver.getLaunchSpec(without),
        ]);
        expect(byNode.userData).toBe(userData);
        expect(byId.userData).toBe(userData);
        expect(none.userData).toBeUndefined();
        for (const spec of [byNode, none]) expect(Array.isArray(spec.sshKeys)).toBe(true);
      }
      await Promise.all([driver.destroyNode(withData), driver.destroyNode(without)]);
    });

    it('creates one node for one idempotency key, however often it is sent', async () => {
      const onceTag = { ...runTag, role: 'idempotent' };
      const same = request({ tags: onceTag, idempotencyKey: `conf-${randomUUID()}` });
      const first = await driver.createNode(same);
      const second = await driver.createNode(same);
      expect(second.id).toBe(first.id);
      const listed = await driver.listNodes({ tags: onceTag });
      expect(listed.map((node) => node.id)).toEqual([first.id]);
      await driver.destroyNode(first);
    });

    runContractCases(() => fixture);
    runReliabilityCases(() => fixture);

    it('fails only with CloudErrors that name provider and operation', async () => {
      const error = await rejectionOf(driver.destroyNode({ id: 'x-1', provider: 'other' } as unknown as Node));
      expect(isCloudError(error)).toBe(true);
      expect((error as Error).message).toMatch(/^destroyNode: /);
      expect((error as Error).message).toContain(`provider ${driver.provider}`);
    });
  });
}
