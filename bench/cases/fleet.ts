/**
 * Fleet mode at size: N simulated nodes (default 10,000; `POLYCLOUD_BENCH_FLEET_NODES`, 1,000 with
 * `--quick`) on 5 source clouds moved to 5 target clouds (10 DigitalOcean fakes on loopback, in
 * this process), by 4 worker processes sharing one PostgreSQL, one of them SIGKILLed a third of
 * the way through and restarted under its id. Side by side: one in-process `migrate` of the same
 * plans (fresh clouds, same seeding) with the same total concurrency.
 *
 * Reported: nodes/min both ways, the time from the kill until every node the killed worker had in
 * flight is finished by the fleet, and PostgreSQL rows per node (all DBOS tables).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDigitalOceanDriver } from '../../providers/digitalocean/index.js';
import { fleetStatus, startFleetMigration } from '../../src/fleet/index.js';
import { MultiCloud, type MigrationPlan } from '../../src/multicloud/index.js';
import type { SimState } from '../../src/simulator/cloud.js';
import { startDigitalOceanFake, type DigitalOceanFake } from '../../test/fakes/digitalocean/index.js';
import { postgresTool, startTestPostgres } from '../../test/fleet/postgres.js';
import { exactly, info, type Benchmark } from '../lib/result.js';
import { round } from '../lib/stats.js';
import { PACKAGE_ROOT, isolatedEnv } from '../lib/spawn.js';

const CLOUD_PAIRS = 5;
const WORKERS = 4;
/** Total node migrations in flight: the fleet's `concurrency`, and the sum of the in-process runs'. */
const CONCURRENCY = Number(process.env.POLYCLOUD_BENCH_FLEET_CONCURRENCY ?? 40);
/** How often workers poll the queues (ms). */
const POLL_MS = Number(process.env.POLYCLOUD_BENCH_FLEET_POLL_MS ?? 500);
/** DBOS workflow names (see src/fleet/dbos.ts). */
const NODE = 'polycloudFleetNode';
const CLEANUP = 'polycloudFleetCleanup';
const TIMINGS = { boot: 200, terminate: 50, reboot: 50, stop: 50 };
const WAIT = { intervalMs: 100, maxIntervalMs: 300 };

interface Clouds {
  readonly fakes: DigitalOceanFake[];
  readonly plans: MigrationPlan[];
  close(): Promise<void>;
}

/** 5 source and 5 target fakes, `nodes` sources spread over the source clouds, and one plan per pair. */
async function makeClouds(nodes: number): Promise<Clouds> {
  const fakes: DigitalOceanFake[] = [];
  for (let index = 0; index < CLOUD_PAIRS * 2; index += 1) fakes.push(await startDigitalOceanFake({ timings: TIMINGS, seed: index + 1 }));
  for (let index = 0; index < nodes; index += 1) {
    await fakes[index % CLOUD_PAIRS]?.cloud.createNode({
      name: `app-${index}`,
      sizeId: 's-1vcpu-1gb',
      imageId: 'ubuntu-24-04-x64',
      locationId: index % 2 ? 'fra1' : 'nyc1',
    });
  }
  await new Promise((resolve) => setTimeout(resolve, TIMINGS.boot * 2));
  const multi = new MultiCloud({ drivers: driversFor(fakes) });
  const plans: MigrationPlan[] = [];
  for (let pair = 0; pair < CLOUD_PAIRS; pair += 1) plans.push(await multi.planMigration({ from: `src-${pair}`, to: `dst-${pair}` }));
  return { fakes, plans, close: async () => void (await Promise.all(fakes.map((fake) => fake.close()))) };
}

/** Nodes in `states` across `fakes`, read straight from the simulated clouds (no driver, no paging limit). */
async function countNodes(fakes: readonly DigitalOceanFake[], states: readonly SimState[]): Promise<number> {
  let total = 0;
  for (const fake of fakes) {
    let pageToken: string | undefined;
    do {
      const page = await fake.cloud.listNodes({ pageSize: 1_000, states: [...states], ...(pageToken ? { pageToken } : {}) });
      total += page.nodes.length;
      pageToken = page.nextPageToken;
    } while (pageToken);
  }
  return total;
}

/** What the clouds hold after a run: replacements at the targets, sources not yet destroyed. */
async function cloudContents(clouds: Clouds): Promise<{ targets: number; sourcesLeft: number }> {
  const alive: SimState[] = ['pending', 'running', 'rebooting', 'stopping', 'stopped'];
  return {
    targets: await countNodes(clouds.fakes.slice(CLOUD_PAIRS), alive),
    sourcesLeft: await countNodes(clouds.fakes.slice(0, CLOUD_PAIRS), alive),
  };
}

function cloudName(index: number): string {
  return index < CLOUD_PAIRS ? `src-${index}` : `dst-${index - CLOUD_PAIRS}`;
}

function driversFor(fakes: readonly DigitalOceanFake[]) {
  return Object.fromEntries(
    fakes.map((fake, index) => [cloudName(index), createDigitalOceanDriver({ endpoint: fake.url, token: fake.token })]),
  );
}

export const fleetBench: Benchmark = {
  id: 'fleet',
  title: `fleet: 10,000 simulated nodes, 10 clouds, 4 workers, one killed`,
  async run({ quick, log }) {
    const nodes = Number(process.env.POLYCLOUD_BENCH_FLEET_NODES ?? (quick ? 1_000 : 10_000));
    // A deadline per side (minutes), so that a size too big for the machine still reports what it did.
    const deadlineMs = Number(process.env.POLYCLOUD_BENCH_FLEET_DEADLINE_MIN ?? 0) * 60_000 || Number.POSITIVE_INFINITY;
    const postgres = await startTestPostgres();
    const dir = mkdtempSync(join(tmpdir(), 'polycloud-bench-fleet-'));
    const children: ChildProcess[] = [];
    try {
      // 1. Fleet: 4 worker processes, one killed a third of the way and restarted under its id.
      const fleet = await makeClouds(nodes);
      const database = postgres.databaseUrl('bench_fleet');
      const clouds = Object.fromEntries(
        fleet.fakes.map((fake, index) => [
          cloudName(index),
          { provider: 'digitalocean', options: { endpoint: fake.url, token: fake.token } },
        ]),
      );
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ clouds }));
      const startWorker = (id: string) => {
        const child = spawn(
          process.execPath,
          [
            join(PACKAGE_ROOT, 'dist/src/cli/main.js'),
            '--config',
            join(dir, 'config.json'),
            'fleet',
            'worker',
            '--database',
            database,
            '--worker-id',
            id,
            '--quiet',
          ],
          { cwd: PACKAGE_ROOT, env: isolatedEnv(), stdio: ['ignore', 'ignore', 'inherit'] },
        );
        children.push(child);
        return child;
      };
      log(`fleet: ${nodes} nodes, ${WORKERS} workers`);
      let started = performance.now();
      const run = await startFleetMigration({
        plans: fleet.plans,
        database,
        concurrency: CONCURRENCY,
        perCloud: { maxInFlight: CONCURRENCY / CLOUD_PAIRS },
        pollIntervalMs: POLL_MS,
        node: { waitIntervalMs: WAIT.intervalMs, waitMaxIntervalMs: WAIT.maxIntervalMs, retryIntervalMs: 500 },
      });
      const workers = Array.from({ length: WORKERS }, (_, index) => startWorker(`bench-w${index + 1}`));
      // Progress from one cheap count (not fleetStatus, which reads the whole run), asynchronously:
      // the fakes share this process's event loop.
      const finished = async () =>
        Number(
          await psql(
            database,
            `select count(*) from dbos.workflow_status where name = '${NODE}' and status in ('SUCCESS', 'ERROR', 'CANCELLED')`,
          ),
        );
      let lastLog = 0;
      const progress = async () => {
        const count = await finished();
        if (performance.now() - lastLog > 30_000) {
          lastLog = performance.now();
          log(`fleet: ${count}/${nodes} finished after ${round((performance.now() - started) / 1000, 0)} s`);
        }
        return count;
      };
      const overdue = () => performance.now() - started > deadlineMs;
      // The kill comes a third of the way through (or a third of the way to the deadline).
      while ((await progress()) < nodes / 3 && performance.now() - started < deadlineMs / 3)
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      // Kill worker 1 mid-run, while it has nodes in flight; remember them; restart it under its id.
      const inFlightOnW1 = async () =>
        (
          await psql(
            database,
            `select workflow_uuid from dbos.workflow_status where executor_id = 'bench-w1' and status = 'PENDING' and name in ('${NODE}', '${CLEANUP}')`,
          )
        )
          .split('\n')
          .filter(Boolean);
      let stranded = await inFlightOnW1();
      for (let attempt = 0; stranded.length === 0 && attempt < 200 && !overdue(); attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        stranded = await inFlightOnW1();
      }
      let resumeMs = Number.NaN;
      if (!overdue()) {
        workers[0]?.kill('SIGKILL');
        const killedAt = performance.now();
        log(`fleet: worker 1 killed with ${stranded.length} workflow(s) in flight`);
        await new Promise((resolve) => workers[0]?.once('exit', resolve));
        startWorker('bench-w1');
        for (;;) {
          if (Number.isNaN(resumeMs) && stranded.length > 0) {
            const open = await psql(
              database,
              `select count(*) from dbos.workflow_status where workflow_uuid in (${stranded.map((id) => `'${id}'`).join(',')}) and status <> 'SUCCESS'`,
            );
            if (Number(open) === 0) resumeMs = performance.now() - killedAt;
          }
          if ((await progress()) >= nodes || overdue()) break;
          await new Promise((resolve) => setTimeout(resolve, 1_000));
        }
      }
      const fleetMs = performance.now() - started;
      const fleetStatusAtEnd = await fleetStatus(database, run.runId);
      const fleetMigrated = fleetStatusAtEnd.counts.migrated;
      log(`fleet: ${fleetMigrated} migrated in ${round(fleetMs / 1000, 0)} s`);
      for (const child of children) child.kill('SIGKILL');
      // Rows of the finished nodes (their node and cleanup workflows, and the run's record of their start).
      const rows = Number(
        await psql(
          database,
          `with f as (select workflow_uuid as id from dbos.workflow_status where name = '${NODE}' and status = 'SUCCESS'),
                ids as (select id from f union all select id || ':cleanup' from f)
           select (select count(*) from dbos.workflow_status where workflow_uuid in (select id from ids))
                + (select count(*) from dbos.workflow_input where workflow_uuid in (select id from ids))
                + (select count(*) from dbos.workflow_output where workflow_uuid in (select id from ids))
                + (select count(*) from dbos.operation_outputs where workflow_uuid in (select id from ids))
                + (select count(*) from dbos.operation_outputs where child_workflow_id in (select id from f))`,
        ),
      );
      const finishedNodes = Number(
        await psql(database, `select count(*) from dbos.workflow_status where name = '${NODE}' and status = 'SUCCESS'`),
      );
      const fleetClouds = await cloudContents(fleet);
      await fleet.close();

      // 2. In-process baseline: one `migrate` per plan, concurrently, the same nodes in flight in total.
      const baseline = await makeClouds(nodes);
      const multi = new MultiCloud({ drivers: driversFor(baseline.fakes) });
      log(`fleet: in-process migrate of ${nodes} nodes`);
      started = performance.now();
      const abort = new AbortController();
      const timer = Number.isFinite(deadlineMs) ? setTimeout(() => abort.abort(new Error('bench deadline')), deadlineMs) : undefined;
      const perPlan = CONCURRENCY / CLOUD_PAIRS;
      const reports = await Promise.all(
        baseline.plans.map((plan) =>
          multi.migrate(plan, { cleanupSource: true, concurrency: perPlan, nodeConcurrency: perPlan, wait: WAIT, signal: abort.signal }),
        ),
      );
      clearTimeout(timer);
      const baselineMs = performance.now() - started;
      const baselineMigrated = reports.reduce((sum, report) => sum + report.migrated, 0);
      log(`fleet: in-process ${baselineMigrated} migrated in ${round(baselineMs / 1000, 0)} s`);
      const baselineClouds = await cloudContents(baseline);
      await baseline.close();

      const perMinute = (count: number, ms: number) => round((count / ms) * 60_000, 0);
      return {
        id: this.id,
        title: this.title,
        status: 'measured',
        runs: 1,
        metrics: [
          exactly('nodes migrated by the fleet (one worker killed)', fleetMigrated, nodes),
          exactly('nodes migrated in-process', baselineMigrated, nodes),
          // Nothing lost, nothing doubled: one replacement per source at the targets, no source left behind.
          exactly('fleet: nodes at the targets (one per source)', fleetClouds.targets, nodes),
          exactly('fleet: sources left undestroyed', fleetClouds.sourcesLeft, 0),
          exactly('in-process: nodes at the targets (one per source)', baselineClouds.targets, nodes),
          exactly('in-process: sources left undestroyed', baselineClouds.sourcesLeft, 0),
          info('fleet throughput (nodes/min)', perMinute(fleetMigrated, fleetMs), 'count'),
          info('in-process migrate throughput (nodes/min)', perMinute(baselineMigrated, baselineMs), 'count'),
          info('time from the kill until its nodes were finished', round(resumeMs, 0), 'ms'),
          info('PostgreSQL rows per node', round(rows / Math.max(1, finishedNodes), 1), 'count'),
        ],
        raw: {
          nodes,
          'fleet (ms)': round(fleetMs, 0),
          'in-process (ms)': round(baselineMs, 0),
          'workflows in flight on the killed worker': stranded.length,
          'PostgreSQL rows of the finished nodes': rows,
          'finished nodes': finishedNodes,
          'fleet failed nodes': fleetStatusAtEnd.counts.failed,
        },
        notes: [
          `${CLOUD_PAIRS} source → ${CLOUD_PAIRS} target DigitalOcean fakes in the bench process (real driver, real HTTP on loopback); boot ${TIMINGS.boot} ms`,
          `fleet: concurrency ${CONCURRENCY}, ${perPlan} per cloud (creates per target, destroys per source), queue polling ${POLL_MS} ms; in-process: ${CLOUD_PAIRS} concurrent migrate() calls of concurrency ${perPlan} (nodes in flight ${perPlan})`,
          'both share this machine with the fakes and PostgreSQL: the fleet figure is what 4 processes on 2 cores reach, not what 4 machines would',
          ...(Number.isFinite(deadlineMs)
            ? [`each side stopped after ${deadlineMs / 60_000} min at the latest (POLYCLOUD_BENCH_FLEET_DEADLINE_MIN)`]
            : []),
        ],
      };
    } finally {
      for (const child of children) child.kill('SIGKILL');
      await postgres.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

const execFileAsync = promisify(execFile);

async function psql(database: string, sql: string): Promise<string> {
  const { stdout } = await execFileAsync(postgresTool('psql'), [database, '-Atc', sql], { encoding: 'utf8' });
  return stdout.trim();
}
