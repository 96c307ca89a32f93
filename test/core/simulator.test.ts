import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { isConflictError, isProviderUnavailableError, isQuotaError } from '../../src/core/errors.js';
import { SimulatedCloud, createLocalDriver } from '../../providers/local/index.js';
import { rejectionOf } from '../conformance/suite.js';

const request = { name: 'web-1', size: 's-2vcpu-4gb', image: 'ubuntu-24.04-x64', location: 'fra1' };
const directories: string[] = [];
afterEach(() => directories.splice(0).forEach((directory) => rmSync(directory, { recursive: true, force: true })));

describe('simulated cloud', () => {
  it('persists nodes to a state file that a new cloud picks up, with transitions still running', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'polycloud-sim-'));
    directories.push(directory);
    const stateFile = join(directory, 'state.json');
    const clock = new VirtualClock();
    const first = createLocalDriver({ clock, stateFile });
    const node = await first.createNode({ ...request, tags: { app: 'web' } });
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).nodes).toHaveLength(1);

    const second = createLocalDriver({ clock, stateFile });
    const seen = await second.getNode(node.id);
    expect(seen.tags).toEqual({ app: 'web' });
    clock.advance(60_000);
    expect((await second.getNode(node.id)).state).toBe('running');
    const another = await second.createNode({ ...request, name: 'web-2' });
    expect(another.id).not.toBe(node.id);
  });

  it('rejects a corrupt state file clearly instead of starting empty', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'polycloud-sim-'));
    directories.push(directory);
    const stateFile = join(directory, 'state.json');
    writeFileSync(stateFile, '{"version": 1, "nodes": [');
    // The file is read by every operation (another process may change it), so each one fails.
    const cloud = new SimulatedCloud({ stateFile });
    await expect(cloud.listNodes()).rejects.toThrow(/not valid JSON/);
    expect(readFileSync(stateFile, 'utf8')).toBe('{"version": 1, "nodes": [');
  });

  it('fails every operation with ProviderUnavailableError during an outage, and recovers after', async () => {
    const driver = createLocalDriver({ clock: new VirtualClock(), retry: { retries: 1, minDelayMs: 1 } });
    driver.cloud.faults.set({ outage: true });
    const error = await rejectionOf(driver.listNodes());
    expect(isProviderUnavailableError(error)).toBe(true);
    expect((error as Error).message).toContain('outage');
    driver.cloud.faults.clear();
    expect(await driver.listNodes()).toEqual([]);
  });

  it('absorbs an injected error rate with retries, counting every attempt', async () => {
    const driver = createLocalDriver({
      clock: new VirtualClock(),
      faults: { errorRate: 0.5 },
      seed: 7,
      retry: { retries: 8, minDelayMs: 1, maxDelayMs: 2 },
    });
    const before = driver.cloud.operationCount;
    for (let index = 0; index < 10; index++) await driver.listNodes();
    expect(driver.cloud.operationCount - before).toBeGreaterThan(10);
  });

  it('adds latency on the cloud clock', async () => {
    const clock = new VirtualClock();
    const driver = createLocalDriver({ clock, faults: { latencyMs: 250 } });
    const start = clock.now();
    await driver.listLocations();
    expect(clock.now() - start).toBe(250);
  });

  it('enforces a node quota with QuotaError', async () => {
    const driver = createLocalDriver({ clock: new VirtualClock(), maxNodes: 1 });
    await driver.createNode(request);
    const error = await rejectionOf(driver.createNode({ ...request, name: 'web-2' }));
    expect(isQuotaError(error)).toBe(true);
  });

  it('refuses an idempotency key reused for a different request', async () => {
    const driver = createLocalDriver({ clock: new VirtualClock() });
    await driver.createNode({ ...request, idempotencyKey: 'key-1' });
    const error = await rejectionOf(driver.createNode({ ...request, name: 'other', idempotencyKey: 'key-1' }));
    expect(isConflictError(error)).toBe(true);
  });

  it('hands out snapshots whose catalog entries cannot change the catalog', async () => {
    const cloud = new SimulatedCloud({ clock: new VirtualClock() });
    const node = await cloud.createNode({ name: 'web-1', sizeId: 's-2vcpu-4gb', imageId: 'ubuntu-24.04-x64', locationId: 'fra1' });
    expect(() => {
      (node.size as { vcpus: number }).vcpus = 64;
    }).toThrow(TypeError);
    expect(cloud.size('s-2vcpu-4gb')?.vcpus).toBe(2);
    expect((await cloud.getNode(node.id)).size.vcpus).toBe(2);
    // The node's own record is still a copy of its own: changing it changes nothing stored.
    (node.tags as Record<string, string>).role = 'changed';
    expect((await cloud.getNode(node.id)).tags).toEqual({});
  });

  it('is deterministic for a seed: same ids and addresses', async () => {
    const make = async () => {
      const driver = createLocalDriver({ clock: new VirtualClock(), seed: 42 });
      const node = await driver.createNode(request);
      return [node.id, node.publicIps, node.privateIps];
    };
    expect(await make()).toEqual(await make());
  });

  it('prices sizes per location and never at 0', async () => {
    const driver = createLocalDriver({ clock: new VirtualClock() });
    const frankfurt = await driver.listSizes({ location: 'fra1' });
    const sydney = await driver.listSizes({ location: 'syd1' });
    const price = (sizes: typeof frankfurt, id: string) => sizes.find((size) => size.id === id)?.price?.hourly;
    expect(price(sydney, 's-2vcpu-4gb')).toBeGreaterThan(price(frankfurt, 's-2vcpu-4gb') ?? Infinity);
    expect(sydney.map((size) => size.id)).not.toContain('a-2vcpu-4gb');
    for (const size of [...frankfurt, ...sydney]) expect(size.price?.hourly).toBeGreaterThan(0);
  });
});
