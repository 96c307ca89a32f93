/**
 * `npm run bench`: runs every benchmark side by side with its baseline against loopback fakes and
 * writes `bench/results.json` and `bench/results.md`.
 *
 *   npm run bench                      all benchmarks
 *   npm run bench -- --quick           fewer repetitions
 *   npm run bench -- --only=cold-import,list-10k   some of them, merged into the previous results
 */
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { coldImport } from './cases/cold-import.js';
import { coldAws, coldGce } from './cases/cold-providers.js';
import { destroyBench } from './cases/destroy-1000.js';
import { fleetBench } from './cases/fleet.js';
import { list10kBench } from './cases/list-10k.js';
import { listRegionsBench } from './cases/list-regions.js';
import { migrateBench } from './cases/migrate.js';
import { planInventoryBench } from './cases/plan-inventory.js';
import { readResults, toMarkdown, updateDocs, writeResults, type ResultsFile } from './lib/report.js';
import type { Benchmark, BenchmarkResult } from './lib/result.js';

const BENCHMARKS: readonly Benchmark[] = [
  listRegionsBench,
  list10kBench,
  destroyBench,
  migrateBench,
  planInventoryBench,
  coldImport,
  coldAws,
  coldGce,
  fleetBench,
];

// Nothing may probe a cloud's metadata service; every client gets explicit test credentials.
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.METADATA_SERVER_DETECTION = 'none';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const unknown = only?.filter((id) => !BENCHMARKS.some((bench) => bench.id === id)) ?? [];
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.map((bench) => bench.id).join(', ')}`);
  process.exit(2);
}

// Every benchmark stops by itself; this is the backstop if one ever hangs.
// 10,000 fleet nodes take about 12 minutes on a quiet 2-core machine, the rest about 2.
const WATCHDOG_MS = 45 * 60_000;
setTimeout(() => {
  console.error(`bench: still running after ${WATCHDOG_MS / 60_000} minutes; giving up`);
  process.exit(1);
}, WATCHDOG_MS).unref();

const log = (line: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
const load = () => loadavg().map((value) => Math.round(value * 100) / 100);
const started = performance.now();
const loadBefore = load();
const fresh: (BenchmarkResult & { measuredAt: string })[] = [];
for (const bench of BENCHMARKS.filter((each) => !only || only.includes(each.id))) {
  log(`${bench.id}: start`);
  let result: BenchmarkResult;
  try {
    result = await bench.run({ quick, log });
  } catch (error) {
    // A benchmark that breaks is reported as such, never as a figure.
    result = {
      id: bench.id,
      title: bench.title,
      status: 'not measured',
      reason: `the benchmark failed: ${String((error as Error)?.message ?? error).split('\n')[0]}`,
    };
    log(`${bench.id}: ${(error as Error)?.stack ?? String(error)}`);
  }
  fresh.push({ ...result, measuredAt: new Date().toISOString() });
  log(`${bench.id}: ${JSON.stringify(result.status === 'measured' ? result.metrics : result.reason)}`);
}

const jsonPath = fileURLToPath(new URL('results.json', import.meta.url));
const markdownPath = fileURLToPath(new URL('results.md', import.meta.url));
const previous = only ? await readResults(jsonPath) : undefined;
const byId = new Map((previous?.results ?? []).map((result) => [result.id, result]));
for (const result of fresh) byId.set(result.id, result);
const file: ResultsFile = {
  environment: {
    date: new Date().toISOString(),
    node: process.versions.node,
    cpus: `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}`,
    loadBefore,
    loadAfter: load(),
    quick,
    durationS: Math.round((performance.now() - started) / 1000),
  },
  results: BENCHMARKS.map((bench) => byId.get(bench.id)).filter((result) => result !== undefined),
};
await writeResults(jsonPath, markdownPath, file);
log(`wrote ${markdownPath}`);
// Only a full run (every benchmark, full repetitions) goes into docs/benchmarks.md.
if (!quick && !only) {
  const docPath = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
  if (await updateDocs(docPath, toMarkdown(file))) log(`updated ${docPath}`);
}
console.log(toMarkdown(file));
// Idle keep-alive sockets of SDK clients must not hold the process open.
process.exit(0);
