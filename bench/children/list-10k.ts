/**
 * One listing of every instance in one region, in a fresh process, for a fair memory figure:
 * `driver` (polycloud's AWS driver) or `sdk` (the raw paginator loop). Prints one JSON line:
 * the peak heap above the starting heap (sampled every millisecond and at every page), the heap
 * still held by the result after a full GC, the time, and the count.
 *
 * Usage: node --expose-gc --import tsx bench/children/list-10k.ts <driver|sdk> <endpoint>
 */
import { awsDriverFactory } from '../lib/aws.js';
import { rawEc2Client, rawListInstances } from '../lib/raw-ec2.js';

const [variant, endpoint] = process.argv.slice(2);
if ((variant !== 'driver' && variant !== 'sdk') || !endpoint) throw new Error('usage: list-10k.ts <driver|sdk> <endpoint>');
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const REGION = 'us-east-1';
let list: () => Promise<unknown[]>;
if (variant === 'driver') {
  const factory = await awsDriverFactory();
  if ('missing' in factory) throw new Error(factory.missing);
  const driver = factory.create({ regions: [REGION], endpoint });
  list = () => driver.listNodes();
} else {
  const client = rawEc2Client(REGION, endpoint);
  list = () => rawListInstances(client, 1000);
}
// One small warm-up listing would prime caches the real one then reuses; instead both start cold
// but with their modules loaded, so only the listing itself is measured.
gc();
gc();
const base = process.memoryUsage().heapUsed;
let peak = base;
const sample = () => {
  const used = process.memoryUsage().heapUsed;
  if (used > peak) peak = used;
};
const timer = setInterval(sample, 1);
const started = performance.now();
const result = await list();
const ms = performance.now() - started;
clearInterval(timer);
sample();
gc();
gc();
const retained = process.memoryUsage().heapUsed - base;
console.log(JSON.stringify({ variant, count: result.length, ms, peakBytes: peak - base, retainedBytes: retained }));
