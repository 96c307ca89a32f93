/**
 * Listing 10,000 instances from one region: the AWS driver's `listNodes` against the raw SDK
 * paginator loop making the same requests (10 pages of 1,000). Time is measured in one process,
 * the two alternating; memory in fresh child processes, one listing each.
 */
import { awsDriverFactory } from '../lib/aws.js';
import { startEc2Fake } from '../lib/ec2-fake.js';
import { rawEc2Client, rawListInstances } from '../lib/raw-ec2.js';
import { atMost, exactly, info, type Benchmark } from '../lib/result.js';
import { runScript } from '../lib/spawn.js';
import { median, pairedRatio, round } from '../lib/stats.js';

const REGION = 'us-east-1';
const INSTANCES = 10_000;
const MiB = 1024 * 1024;

interface MemoryRun {
  readonly count: number;
  readonly ms: number;
  readonly peakBytes: number;
  readonly retainedBytes: number;
}

export const list10kBench: Benchmark = {
  id: 'list-10k',
  title: 'list 10,000 instances from one region',
  async run({ quick, log }) {
    const factory = await awsDriverFactory();
    if ('missing' in factory) return { id: this.id, title: this.title, status: 'not measured', reason: factory.missing };
    const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
    const fake = await startEc2Fake();
    try {
      await fake.reset({ regions: { [REGION]: INSTANCES } });
      const driver = factory.create({ regions: [REGION], endpoint: fake.url });
      const client = rawEc2Client(REGION, fake.url);

      // Same requests, checked at the fake: MaxResults and the number of pages.
      await fake.reset({ regions: { [REGION]: INSTANCES } });
      const driverCount = (await driver.listNodes()).length;
      const driverPages = (await fake.stats()).pageRequests;
      await fake.reset({ regions: { [REGION]: INSTANCES } });
      const sdkCount = (await rawListInstances(client, 1000)).length;
      const sdkPages = (await fake.stats()).pageRequests;
      if (driverCount !== INSTANCES || sdkCount !== INSTANCES)
        throw new Error(`listed ${driverCount} (driver) and ${sdkCount} (SDK) of ${INSTANCES}`);
      if (driverPages.join() !== sdkPages.join())
        throw new Error(`different requests: driver ${driverPages.join()}, SDK ${sdkPages.join()}`);

      const runs = quick ? 3 : 7;
      const driverMs: number[] = [];
      const sdkMs: number[] = [];
      // CPU time of this process (client side only: the fake runs in its own process).
      const driverCpuMs: number[] = [];
      const sdkCpuMs: number[] = [];
      for (let run = 0; run < runs; run += 1) {
        // Alternate which goes first, so neither always inherits the other's garbage.
        const order = run % 2 === 0 ? (['driver', 'sdk'] as const) : (['sdk', 'driver'] as const);
        for (const variant of order) {
          gc();
          const cpu = process.cpuUsage();
          const started = performance.now();
          if (variant === 'driver') await driver.listNodes();
          else await rawListInstances(client, 1000);
          (variant === 'driver' ? driverMs : sdkMs).push(performance.now() - started);
          const used = process.cpuUsage(cpu);
          (variant === 'driver' ? driverCpuMs : sdkCpuMs).push((used.user + used.system) / 1000);
        }
        log(`list-10k: time run ${run + 1}/${runs}: driver ${round(driverMs.at(-1) ?? 0)} ms, SDK ${round(sdkMs.at(-1) ?? 0)} ms`);
      }

      const memoryRuns = quick ? 2 : 3;
      const memory: Record<'driver' | 'sdk', MemoryRun[]> = { driver: [], sdk: [] };
      for (let run = 0; run < memoryRuns; run += 1) {
        for (const variant of ['driver', 'sdk'] as const) {
          memory[variant].push(await runScript<MemoryRun>('children/list-10k.ts', [variant, fake.url], { nodeArgs: ['--expose-gc'] }));
        }
      }
      const peak = (variant: 'driver' | 'sdk') => median(memory[variant].map((run) => run.peakBytes));
      const retained = (variant: 'driver' | 'sdk') => median(memory[variant].map((run) => run.retainedBytes));
      log(`list-10k: peak heap driver ${round(peak('driver') / MiB)} MiB, SDK ${round(peak('sdk') / MiB)} MiB`);
      return {
        id: this.id,
        title: this.title,
        status: 'measured',
        runs,
        metrics: [
          atMost('time vs raw SDK paginator loop (median of paired ratios)', round(pairedRatio(driverMs, sdkMs)), 1.1),
          info('CPU time vs raw SDK loop (client process, median of paired ratios)', round(pairedRatio(driverCpuMs, sdkCpuMs)), 'x'),
          atMost(`peak heap vs raw SDK loop (fresh processes, median of ${memoryRuns})`, round(peak('driver') / peak('sdk')), 1.2),
          info('heap kept by the result after GC vs raw SDK loop', round(retained('driver') / retained('sdk')), 'x'),
          exactly('requests, driver minus SDK', driverPages.length - sdkPages.length, 0),
        ],
        raw: {
          'driver listNodes (ms)': round(median(driverMs), 1),
          'SDK loop (ms)': round(median(sdkMs), 1),
          'driver peak heap (MiB)': round(peak('driver') / MiB, 1),
          'SDK peak heap (MiB)': round(peak('sdk') / MiB, 1),
          'driver result heap (MiB)': round(retained('driver') / MiB, 1),
          'SDK result heap (MiB)': round(retained('sdk') / MiB, 1),
          pages: driverPages.length,
        },
        notes: ['peak heap is `heapUsed` above the starting heap, sampled every millisecond, in a fresh `--expose-gc` process per listing'],
      };
    } finally {
      await fake.close();
    }
  },
};
