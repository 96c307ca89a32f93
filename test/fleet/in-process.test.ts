/**
 * Fleet mode in one process: a worker with in-memory simulated clouds, runs started, watched,
 * cancelled and resumed through PostgreSQL (a real server; see postgres.ts).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalDriver, type LocalDriver } from '../../providers/local/index.js';
import type { Driver } from '../../src/core/driver.js';
import { InvalidRequestError } from '../../src/core/errors.js';
import { MultiCloud, MIGRATION_KEY_TAG, type MigrationPlan } from '../../src/multicloud/index.js';
import {
  fleetStatus,
  resumeFleetMigration,
  startFleetMigration,
  startFleetWorker,
  type FleetStatus,
  type FleetWorker,
} from '../../src/fleet/index.js';
import { postgresTool, startTestPostgres, type TestPostgres } from './postgres.js';

const CLI = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

const FAST = { boot: 40, terminate: 20, reboot: 20, stop: 20 };
const IMAGE = 'ubuntu-24.04-x64';
const retry = { retries: 1, minDelayMs: 1, maxDelayMs: 2 };

let postgres: TestPostgres;
let database: string;
let worker: FleetWorker;
let source: LocalDriver;
let target: LocalDriver;
let multi: MultiCloud;
let leaky: LocalDriver;
const SECRET = 'sk-live-0123456789abcdef-SECRET';

async function until(database: string, runId: string, done: (status: FleetStatus) => boolean): Promise<FleetStatus> {
  for (;;) {
    const status = await fleetStatus(database, runId);
    if (done(status)) return status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  postgres = await startTestPostgres();
  database = postgres.databaseUrl('fleet_inprocess');
  source = createLocalDriver({ preset: 'standard', idPrefix: 'src-', timings: FAST, retry });
  target = createLocalDriver({ preset: 'budget', idPrefix: 'tgt-', timings: FAST, retry });
  leaky = createLocalDriver({ preset: 'budget', idPrefix: 'lk-', timings: FAST, retry });
  // A target whose creates fail with errors that carry a secret: in a polycloud error's cause,
  // and in the message of an error that is not polycloud's.
  let creates = 0;
  const refusing: Driver = {
    ...(leaky as Driver),
    createNode: async () => {
      creates += 1;
      if (creates % 2 === 1) {
        throw new InvalidRequestError('the request was refused', {
          provider: 'local',
          operation: 'createNode',
          cause: new Error(`upstream said: Authorization: Bearer ${SECRET}`),
        });
      }
      throw new TypeError(`cannot read token ${SECRET}`);
    },
  };
  multi = new MultiCloud({ drivers: { source, target, refusing } });
  worker = await startFleetWorker({ database, clouds: multi, workerId: 'in-process-1' });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await postgres?.stop();
}, 60_000);

async function sourceNodes(count: number, prefix: string) {
  for (let index = 0; index < count; index += 1) {
    await source.createNode({ name: `${prefix}-${index}`, size: 's-2vcpu-4gb', image: IMAGE, location: 'fra1', tags: { batch: prefix } });
  }
}

describe('fleet in one process', () => {
  it('migrates every node of a plan once, destroying each source only after its target runs', async () => {
    await sourceNodes(12, 'a');
    const plan: MigrationPlan = await multi.planMigration({ from: 'source', to: 'target', filter: { tags: { batch: 'a' } } });
    expect(plan.steps).toHaveLength(12);
    const run = await startFleetMigration({
      plan,
      database,
      concurrency: 4,
      perCloud: { maxInFlight: 3 },
      pollIntervalMs: 100,
      node: { waitIntervalMs: 20 },
    });
    expect(run).toMatchObject({ total: 12, created: true });
    const status = await until(database, run.runId, (each) => each.done);
    expect(status.counts).toMatchObject({ migrated: 12, failed: 0, queued: 0, cancelled: 0 });
    expect(status.sourcesDestroyed).toBe(12);
    const targets = target.cloud.peekNodes().filter((node) => node.tags[MIGRATION_KEY_TAG]);
    expect(targets).toHaveLength(12);
    expect(new Set(targets.map((node) => node.tags[MIGRATION_KEY_TAG])).size).toBe(12);
    const again = await startFleetMigration({ plan, database });
    expect(again).toMatchObject({ runId: run.runId, created: false });
    expect((await until(database, run.runId, (each) => each.done)).counts.migrated).toBe(12);
    expect(target.cloud.peekNodes().filter((node) => node.tags[MIGRATION_KEY_TAG])).toHaveLength(12);
  }, 120_000);

  it('reports a refused create as a failure with its redacted error, and runs it again on resume', async () => {
    await sourceNodes(3, 'b');
    const plan = await multi.planMigration({ from: 'source', to: 'target', filter: { tags: { batch: 'b' } } });
    target.cloud.faults.set({ outage: true, operations: ['createNode'] });
    const run = await startFleetMigration({
      plan,
      database,
      pollIntervalMs: 100,
      node: { stepAttempts: 2, retryIntervalMs: 10, waitIntervalMs: 20 },
    });
    const failed = await until(database, run.runId, (each) => each.done);
    expect(failed.counts).toMatchObject({ failed: 3, migrated: 0 });
    expect(failed.failures[0]).toMatchObject({
      phase: 'create',
      error: { name: 'ProviderUnavailableError', provider: 'local', retryable: true },
    });
    target.cloud.faults.clear();
    expect(await resumeFleetMigration(database, run.runId)).toEqual({ resumed: 0, retried: 3 });
    const status = await until(database, run.runId, (each) => each.done);
    expect(status.counts).toMatchObject({ migrated: 3, failed: 0 });
  }, 120_000);

  it('stores failures redacted: no secret from an error or its cause reaches PostgreSQL or the status', async () => {
    await sourceNodes(2, 'c');
    const plan = await multi.planMigration({ from: 'source', to: 'refusing', filter: { tags: { batch: 'c' } } });
    const run = await startFleetMigration({ plan, database, pollIntervalMs: 100, node: { stepAttempts: 1 } });
    const status = await until(database, run.runId, (each) => each.done);
    expect(status.counts).toMatchObject({ failed: 2, migrated: 0 });
    const errors = status.failures.map((failure) => failure.error);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'InvalidRequestError', retryable: false }),
        expect.objectContaining({ name: 'TypeError', message: 'TypeError (details withheld: not a polycloud error)' }),
      ]),
    );
    expect(JSON.stringify(status)).not.toContain(SECRET);
    const dump = execFileSync(postgresTool('pg_dump'), ['--data-only', database], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(dump).toContain(run.runId);
    expect(dump).not.toContain(SECRET);
    // Sources stay when their replacement could not be made.
    expect(source.cloud.peekNodes().filter((node) => node.tags.batch === 'c' && node.state === 'running')).toHaveLength(2);
  }, 120_000);

  it('requestsPerSecond: node starts per cloud keep to the rate, by the database clock DBOS stamps them with', async () => {
    await sourceNodes(6, 'r');
    const plan = await multi.planMigration({ from: 'source', to: 'target', filter: { tags: { batch: 'r' } } });
    const run = await startFleetMigration({
      plan,
      database,
      concurrency: 8,
      pollIntervalMs: 50,
      perCloud: { maxInFlight: 8, requestsPerSecond: 2 },
      node: { waitIntervalMs: 20 },
    });
    const status = await until(database, run.runId, (each) => each.done);
    expect(status.counts).toMatchObject({ migrated: 6, failed: 0 });
    // One create per start, at the cloud.
    expect(target.cloud.peekNodes().filter((node) => node.tags.batch === 'r')).toHaveLength(6);
    // DBOS claims a start only while fewer than 2 started in the last second (database clock), and
    // stamps each start with that clock: so any 3 consecutive starts span at least 1 000 ms — on
    // the target side (node workflows) and the source side (cleanups) alike, however slow the machine.
    for (const queue of [`polycloud-fleet-${run.runId}`, `polycloud-fleet-${run.runId}-cleanup`]) {
      const starts = execFileSync(
        postgresTool('psql'),
        [database, '-Atc', `select started_at_epoch_ms from dbos.workflow_status where queue_name = '${queue}' order by 1`],
        { encoding: 'utf8' },
      )
        .trim()
        .split('\n')
        .map(Number);
      expect(starts, queue).toHaveLength(6);
      for (let index = 2; index < starts.length; index += 1) {
        expect((starts[index] ?? 0) - (starts[index - 2] ?? 0), `${queue} starts ${index - 2}..${index}`).toBeGreaterThanOrEqual(1000);
      }
    }
  }, 120_000);

  it('polycloud fleet status shows a run from another process, and refuses a run that does not exist', async () => {
    await sourceNodes(2, 'd');
    const plan = await multi.planMigration({ from: 'source', to: 'target', filter: { tags: { batch: 'd' } } });
    const run = await startFleetMigration({ plan, database, pollIntervalMs: 100, node: { waitIntervalMs: 20 } });
    const expected = await until(database, run.runId, (each) => each.done);
    const output = execFileSync(process.execPath, [CLI, '--json', 'fleet', 'status', run.runId, '--database', database], {
      encoding: 'utf8',
    });
    expect(JSON.parse(output)).toEqual(JSON.parse(JSON.stringify(expected)));
    let failure: { status: number; stdout: string } | undefined;
    try {
      execFileSync(process.execPath, [CLI, '--json', 'fleet', 'status', 'run-does-not-exist', '--database', database], {
        encoding: 'utf8',
      });
    } catch (error) {
      failure = error as { status: number; stdout: string };
    }
    expect(failure?.status).toBe(1);
    expect(JSON.parse(failure?.stdout ?? '{}').error).toMatchObject({ name: 'NotFoundError', operation: 'fleetStatus' });
  }, 120_000);
});
