/**
 * Destroying 1,000 nodes through `MultiCloud.destroyNodes` (AWS driver, default options) against
 * a fake that accepts 100 requests per second and throttles beyond (`RequestLimitExceeded`,
 * token bucket of 10): against the ideal 1000 / 100 s, with no failures and no instance
 * terminated twice.
 */
import { awsDriverFactory } from '../lib/aws.js';
import { startEc2Fake } from '../lib/ec2-fake.js';
import { loadMultiCloud } from '../lib/polycloud.js';
import { atMost, exactly, info, type Benchmark } from '../lib/result.js';
import { median, round } from '../lib/stats.js';

const REGION = 'us-east-1';
const NODES = 1_000;
const RATE = 100;
const BURST = 10;
const IDEAL_MS = (NODES / RATE) * 1000;

export const destroyBench: Benchmark = {
  id: 'destroy-1000',
  title: 'destroy 1,000 nodes, fake limited to 100 requests/s',
  async run({ quick, log }) {
    const factory = await awsDriverFactory();
    if ('missing' in factory) return { id: this.id, title: this.title, status: 'not measured', reason: factory.missing };
    const MultiCloud = await loadMultiCloud();
    const fake = await startEc2Fake();
    try {
      const runs = quick ? 1 : 3;
      const times: number[] = [];
      let failures = 0;
      let duplicates = 0;
      let missed = 0;
      let throttled = 0;
      let requests = 0;
      for (let run = 0; run < runs; run += 1) {
        await fake.reset({ regions: { [REGION]: NODES }, ratePerSecond: RATE, burst: BURST });
        const multi = new MultiCloud({ drivers: { aws: factory.create({ regions: [REGION], endpoint: fake.url }) } });
        const started = performance.now();
        const report = await multi.destroyNodes({ tags: { env: 'bench' } });
        const ms = performance.now() - started;
        const stats = await fake.stats();
        times.push(ms);
        failures += report.failed + report.failures.length;
        duplicates += stats.duplicateTerminations;
        missed += NODES - stats.terminated;
        throttled += stats.throttled;
        requests += Object.values(stats.requests).reduce((sum, count) => sum + count, 0);
        log(
          `destroy-1000: run ${run + 1}/${runs}: ${round(ms)} ms, ${report.succeeded} destroyed, ${report.failed} failed, ${stats.throttled} throttled, ${stats.duplicateTerminations} duplicates`,
        );
        const firstFailure = report.results.find((result) => result.error)?.error;
        if (firstFailure) log(`destroy-1000: first failure: ${firstFailure.name}: ${firstFailure.message}`);
      }
      const time = median(times);
      return {
        id: this.id,
        title: this.title,
        status: 'measured',
        runs,
        metrics: [
          atMost('time vs ideal (1000 / 100 s)', round(time / IDEAL_MS), 1.25),
          exactly('failed nodes (all runs)', failures, 0),
          exactly('instances terminated twice (all runs)', duplicates, 0),
          exactly('instances left running (all runs)', missed, 0),
          info('throttled requests per run', round(throttled / runs, 0), 'count'),
        ],
        raw: {
          'destroyNodes (ms)': round(time, 1),
          'ideal (ms)': IDEAL_MS,
          'requests per run': round(requests / runs, 0),
          'throttled per run': round(throttled / runs, 0),
        },
        notes: [
          `token bucket: ${RATE} requests/s, bucket of ${BURST}; one DescribeInstances lists the nodes, then one TerminateInstances each; MultiCloud and driver defaults`,
        ],
      };
    } finally {
      await fake.close();
    }
  },
};
