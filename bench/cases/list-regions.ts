/**
 * Listing every node over 16 regions × 3 pages with 50 ms per request: the AWS driver's
 * `listNodes` against the critical path (3 × 50 ms: the pages of one region must come one after
 * another) and against the hand-written loop a user writes without polycloud — region by region,
 * page by page, with the raw SDK paginator, over the same requests.
 */
import { awsDriverFactory, SIXTEEN_REGIONS } from '../lib/aws.js';
import { startEc2Fake } from '../lib/ec2-fake.js';
import { rawEc2Client, rawListInstances } from '../lib/raw-ec2.js';
import { atLeast, atMost, exactly, info, type Benchmark } from '../lib/result.js';
import { median, round } from '../lib/stats.js';

const LATENCY_MS = 50;
const PAGES = 3;
const PAGE_SIZE = 5;
const CRITICAL_PATH_MS = PAGES * LATENCY_MS;

export const listRegionsBench: Benchmark = {
  id: 'list-16-regions',
  title: 'list all nodes, 16 regions × 3 pages, 50 ms per request',
  async run({ quick, log }) {
    const factory = await awsDriverFactory();
    if ('missing' in factory) return { id: this.id, title: this.title, status: 'not measured', reason: factory.missing };
    const fake = await startEc2Fake();
    try {
      const regions = Object.fromEntries(SIXTEEN_REGIONS.map((region) => [region, PAGES * PAGE_SIZE]));
      // The fake caps pages at 5 instances, so each region answers in exactly 3 pages.
      await fake.reset({ regions, latencyMs: LATENCY_MS, maxPage: PAGE_SIZE });
      const expected = SIXTEEN_REGIONS.length * PAGES * PAGE_SIZE;
      const driver = factory.create({ regions: SIXTEEN_REGIONS, endpoint: fake.url });
      const clients = SIXTEEN_REGIONS.map((region) => rawEc2Client(region, fake.url));
      const loop = async () => {
        let count = 0;
        for (const client of clients) count += (await rawListInstances(client, 1000)).length;
        return count;
      };
      // Warm both (clients, connections, JIT) and check they make the same requests.
      await fake.reset({ regions, latencyMs: LATENCY_MS, maxPage: PAGE_SIZE });
      const driverCount = (await driver.listNodes()).length;
      const driverRequests = (await fake.stats()).pageRequests;
      await fake.reset({ regions, latencyMs: LATENCY_MS, maxPage: PAGE_SIZE });
      const loopCount = await loop();
      const loopRequests = (await fake.stats()).pageRequests;
      if (driverCount !== expected || loopCount !== expected)
        throw new Error(`listed ${driverCount} (driver) and ${loopCount} (loop) of ${expected} nodes`);
      if (driverRequests.length !== loopRequests.length)
        throw new Error(`the driver made ${driverRequests.length} requests, the loop ${loopRequests.length}`);

      // Not a target: the raw SDK asking all regions at once, the floor any wrapper stands on.
      const parallel = async () => (await Promise.all(clients.map((client) => rawListInstances(client, 1000)))).flat().length;
      await parallel();

      const runs = quick ? 3 : 9;
      const driverMs: number[] = [];
      const loopMs: number[] = [];
      const parallelMs: number[] = [];
      for (let run = 0; run < runs; run += 1) {
        let started = performance.now();
        await driver.listNodes();
        driverMs.push(performance.now() - started);
        started = performance.now();
        await parallel();
        parallelMs.push(performance.now() - started);
        // The loop takes 16 × 3 × 50 ms; fewer of its runs keep the benchmark short.
        if (run % 3 === 0) {
          started = performance.now();
          await loop();
          loopMs.push(performance.now() - started);
        }
      }
      const driverMedian = median(driverMs);
      const loopMedian = median(loopMs);
      const parallelMedian = median(parallelMs);
      log(`list-16-regions: driver ${round(driverMedian)} ms, loop ${round(loopMedian)} ms`);
      return {
        id: this.id,
        title: this.title,
        status: 'measured',
        runs,
        metrics: [
          atMost('time vs critical path (3 × 50 ms)', round(driverMedian / CRITICAL_PATH_MS), 1.3),
          atLeast('speed-up over the region-by-region SDK loop', round(loopMedian / driverMedian, 1), 10),
          exactly('requests, driver minus loop', driverRequests.length - loopRequests.length, 0),
          info('raw SDK, all regions at once (Promise.all), vs critical path', round(parallelMedian / CRITICAL_PATH_MS), 'x'),
        ],
        raw: {
          'driver listNodes (ms)': round(driverMedian, 1),
          'SDK loop (ms)': round(loopMedian, 1),
          'raw SDK all regions at once (ms)': round(parallelMedian, 1),
          'SDK loop runs': loopMs.length,
          'requests per listing': driverRequests.length,
          nodes: expected,
        },
        notes: [`the fake answers DescribeInstances in pages of ${PAGE_SIZE} after ${LATENCY_MS} ms; driver with default options`],
      };
    } finally {
      await fake.close();
    }
  },
};
