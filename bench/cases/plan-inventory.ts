/**
 * Planning the migration of 1,000 nodes from an inventory: the inventory is taken while the source
 * answers, goes through JSON (as a file would), and a fresh `MultiCloud` plans from it with the
 * source in an outage and every call to it counted — the plan must make none. Time and the heap
 * the plan grows are reported.
 *
 * Both clouds are `local` drivers (`standard` → `budget`): what is measured is the planner, not
 * a transport.
 */
import type { Driver } from '../../src/core/driver.js';
import type * as LocalProvider from '../../providers/local/index.js';
import { loadMultiCloud, loadProvider } from '../lib/polycloud.js';
import { atMost, exactly, info, type Benchmark } from '../lib/result.js';
import { median, round } from '../lib/stats.js';

const NODES = 1_000;

type LocalModule = typeof LocalProvider;

/** A copy of a (frozen) driver whose every call is counted. */
function counted(driver: Driver): { driver: Driver; calls: () => number } {
  let calls = 0;
  const wrapped = Object.fromEntries(
    Object.entries(driver).map(([name, member]) => [
      name,
      typeof member === 'function'
        ? (...args: unknown[]) => {
            calls += 1;
            return (member as (...a: unknown[]) => unknown).apply(driver, args);
          }
        : member,
    ]),
  ) as unknown as Driver;
  return { driver: wrapped, calls: () => calls };
}

export const planInventoryBench: Benchmark = {
  id: 'plan-inventory-1000',
  title: 'plan 1,000 nodes from an inventory (source down, no request to it)',
  async run({ quick, log }) {
    const loaded = await loadProvider<LocalModule>('local');
    if ('missing' in loaded) return { id: this.id, title: this.title, status: 'not measured', reason: loaded.missing };
    const { createLocalDriver } = loaded.module;
    const MultiCloud = await loadMultiCloud();
    const runs = quick ? 3 : 7;

    const source = createLocalDriver({ preset: 'standard', seed: 7, timings: { boot: 0 }, idPrefix: 'src-' });
    const locations = source.cloud.catalog.locations;
    const sizes = ['s-2vcpu-4gb', 's-4vcpu-8gb', 'm-2vcpu-16gb', 's-1vcpu-2gb'];
    for (let index = 0; index < NODES; index += 1) {
      const size = sizes[index % sizes.length] ?? 's-2vcpu-4gb';
      await source.createNode({
        name: `app-${index}`,
        size,
        image: index % 3 === 0 ? 'debian-12-x64' : 'ubuntu-24.04-x64',
        location: locations[index % locations.length]?.id ?? '',
        tags: { app: `svc-${index % 20}`, team: 'platform' },
      });
    }
    const taking = new MultiCloud({ drivers: { source: source as Driver } });
    const takenStarted = performance.now();
    const json = JSON.stringify(await taking.takeInventory());
    const takeMs = performance.now() - takenStarted;

    source.cloud.faults.set({ outage: true });
    const times: number[] = [];
    const heaps: number[] = [];
    /** The heap still held after a collection, with the plan alive: what the plan itself takes. */
    const kept: number[] = [];
    let sourceCalls = 0;
    let steps = 0;
    for (let run = 0; run < runs; run += 1) {
      const watched = counted(source as Driver);
      const target = createLocalDriver({ preset: 'budget', seed: 100 + run });
      const multi = new MultiCloud({ drivers: { source: watched.driver, target: target as Driver } });
      (globalThis as { gc?: () => void }).gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      const started = performance.now();
      const plan = await multi.planMigration({ from: 'source', to: 'target', inventory: JSON.parse(json) });
      times.push(performance.now() - started);
      heaps.push((process.memoryUsage().heapUsed - heapBefore) / 2 ** 20);
      (globalThis as { gc?: () => void }).gc?.();
      kept.push((process.memoryUsage().heapUsed - heapBefore) / 2 ** 20);
      sourceCalls += watched.calls();
      // The point of planning from an inventory: a plan that reached the source is not a result.
      if (sourceCalls !== 0) throw new Error(`planning from the inventory made ${sourceCalls} request(s) to the source`);
      steps = plan.steps.length + plan.unmatched.length;
      log(`plan-inventory-1000: run ${run + 1}/${runs}: ${round(times.at(-1) ?? 0)} ms, ${plan.steps.length} steps`);
    }
    if (steps !== NODES) throw new Error(`the plan covers ${steps} of ${NODES} nodes`);
    return {
      id: this.id,
      title: this.title,
      status: 'measured',
      runs,
      metrics: [
        exactly('requests to the source while planning', sourceCalls, 0),
        atMost('time to plan 1,000 nodes', round(median(times)), 2_000, 'ms'),
        info('heap grown by one plan', round(median(heaps), 1), 'MiB'),
        info('heap kept by the plan (after a collection)', round(median(kept), 1), 'MiB'),
        info('inventory size', round(json.length / 2 ** 20, 2), 'MiB'),
      ],
      raw: { 'take inventory (ms)': round(takeMs, 1), 'plan (ms, median)': round(median(times), 1) },
      notes: ['the source is in an outage and every call to it is counted; the target catalog is read once per location and cached'],
    };
  },
};
