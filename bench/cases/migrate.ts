/**
 * Migrating 100 nodes between two clouds whose nodes take 200 ms to provision, against one
 * provisioning round (create one node and wait until it runs) measured the same way.
 *
 * Both clouds are `local` drivers (two separate simulated clouds, `standard` → `budget`
 * catalog): no wire, so what is measured is MultiCloud's scheduling, not a transport.
 */
import { loadavg } from 'node:os';
import type { Driver } from '../../src/core/driver.js';
import type * as LocalProvider from '../../providers/local/index.js';
import type { LocalDriver } from '../../providers/local/index.js';
import { loadMultiCloud, loadProvider } from '../lib/polycloud.js';
import { atMost, info, type Benchmark } from '../lib/result.js';
import { median, round } from '../lib/stats.js';

const NODES = 100;
/** `MigrateOptions.concurrency`'s documented default. */
const DEFAULT_MIGRATE_CONCURRENCY = 4;
const BOOT_MS = 200;
/** Polling scaled to the 200 ms provisioning (the default 1 s interval is sized for real clouds' minutes). */
const WAIT = { intervalMs: 20, maxIntervalMs: 40, backoffFactor: 1.5 };

type LocalModule = typeof LocalProvider;

/** A full collection when the bench runs with `--expose-gc` (as `npm run bench` does), else nothing. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export const migrateBench: Benchmark = {
  id: 'migrate-100',
  title: 'migrate 100 nodes between two clouds, 200 ms provisioning',
  async run({ quick, log }) {
    const loaded = await loadProvider<LocalModule>('local');
    if ('missing' in loaded) return { id: this.id, title: this.title, status: 'not measured', reason: loaded.missing };
    const { createLocalDriver } = loaded.module;
    const MultiCloud = await loadMultiCloud();
    const runs = quick ? 3 : 7;
    const loadAtStart = loadavg()[0] ?? 0;

    const target = (seed: number): LocalDriver => createLocalDriver({ preset: 'budget', seed, timings: { boot: BOOT_MS } });
    async function oneRound(seed: number): Promise<number> {
      const driver = target(seed);
      collectGarbage();
      const started = performance.now();
      const node = await driver.createNode({
        name: 'one',
        size: 'b2-medium',
        image: 'ubuntu-24.04-x64',
        location: driver.cloud.catalog.locations[0]?.id ?? '',
      });
      await driver.waitForNode(node, 'running', WAIT);
      return performance.now() - started;
    }
    async function migration(
      seed: number,
      concurrency?: number,
    ): Promise<{ ms: number; migrated: number; created: number; mostInFlight: number }> {
      const source = createLocalDriver({ preset: 'standard', seed, timings: { boot: 0 } });
      const locations = source.cloud.catalog.locations;
      await Promise.all(
        Array.from({ length: NODES }, (_, index) =>
          source.createNode({
            name: `app-${index}`,
            size: 's-2vcpu-4gb',
            image: 'ubuntu-24.04-x64',
            location: locations[index % locations.length]?.id ?? '',
          }),
        ),
      );
      // Count the creates in flight at once, to show the run stays bounded.
      const to = target(seed + 1);
      let inFlight = 0;
      let mostInFlight = 0;
      const counted: Driver = {
        ...(to as Driver),
        createNode: async (request, options) => {
          mostInFlight = Math.max(mostInFlight, (inFlight += 1));
          try {
            return await to.createNode(request as Parameters<LocalDriver['createNode']>[0], options);
          } finally {
            inFlight -= 1;
          }
        },
      };
      const multi = new MultiCloud({ drivers: { source: source as Driver, target: counted } });
      const plan = await multi.planMigration({ from: 'source', to: 'target' });
      if (plan.steps.length !== NODES)
        throw new Error(`the plan moves ${plan.steps.length} of ${NODES} nodes: ${JSON.stringify(plan.unmatched.slice(0, 2))}`);
      // The setup's garbage (100 source nodes, the plan) is collected before, not during, the timing.
      collectGarbage();
      const started = performance.now();
      const report = await multi.migrate(plan, { wait: WAIT, ...(concurrency === undefined ? {} : { concurrency }) });
      const ms = performance.now() - started;
      if (report.migrated !== NODES)
        throw new Error(`migrated ${report.migrated} of ${NODES}: ${JSON.stringify(report.results.find((result) => result.error)?.error)}`);
      return { ms, migrated: report.migrated, created: report.created, mostInFlight };
    }

    // Both sides warm up once (compiled code paths, caches) before anything is measured.
    await oneRound(1);
    await migration(2);
    const rounds: number[] = [];
    const defaults: number[] = [];
    let mostInFlight = 0;
    for (let run = 0; run < runs; run += 1) {
      rounds.push(await oneRound(100 + run));
      const measured = await migration(200 + run * 2);
      defaults.push(measured.ms);
      mostInFlight = Math.max(mostInFlight, measured.mostInFlight);
      log(`migrate-100: run ${run + 1}/${runs}: one round ${round(rounds.at(-1) ?? 0)} ms, migration ${round(defaults.at(-1) ?? 0)} ms`);
    }
    const roundMs = median(rounds);
    const migrateMs = median(defaults);
    return {
      id: this.id,
      title: this.title,
      status: 'measured',
      runs,
      metrics: [
        atMost('time vs one provisioning round (default options)', round(migrateMs / roundMs), 1.1),
        info('time vs the bare 200 ms provisioning', round(migrateMs / BOOT_MS), 'x'),
        atMost('most creates in flight (bounded by the default concurrency)', mostInFlight, DEFAULT_MIGRATE_CONCURRENCY, 'count'),
      ],
      raw: {
        'one round (ms)': round(roundMs, 1),
        'migrate 100 (ms)': round(migrateMs, 1),
        'poll interval (ms)': WAIT.intervalMs,
        // The migration's own work (lookups, creates) is CPU in this process: a busy machine stretches it.
        'load average at start (1 min)': round(loadAtStart, 2),
      },
      notes: [
        `waits poll every ${WAIT.intervalMs}–${WAIT.maxIntervalMs} ms (scaled to the 200 ms provisioning); concurrency is MultiCloud's default`,
      ],
    };
  },
};
