/**
 * Fleet runs started from an inventory and a query (planned by the worker, once), and the
 * optional verify step: each target must accept SSH with the worker's key and pass a command
 * before its source is destroyed. One in-process worker; the target is the local provider with
 * `ssh: true` (every node answers SSH on 127.0.0.1 and runs commands in its own directory).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalDriver, type LocalDriver } from '../../providers/local/index.js';
import { InvalidRequestError } from '../../src/core/errors.js';
import { Secret } from '../../src/core/secrets.js';
import { MultiCloud, MIGRATION_KEY_TAG, type Inventory } from '../../src/multicloud/index.js';
import { fleetStatus, startFleetMigration, startFleetWorker, type FleetStatus, type FleetWorker } from '../../src/fleet/index.js';
import { memoryHostKeys } from '../../src/ssh/index.js';
import { keyMaterial } from '../ssh/helpers.js';
import { makeKey, type TestKey } from '../ssh/sshd.js';
import { postgresTool, startTestPostgres, type TestPostgres } from './postgres.js';

const CLI = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
const IMAGE = 'ubuntu-24.04-x64';
const retry = { retries: 1, minDelayMs: 1, maxDelayMs: 2 };

let postgres: TestPostgres;
let database: string;
let worker: FleetWorker;
let source: LocalDriver;
let target: LocalDriver;
let multi: MultiCloud;
let root: string;
let key: TestKey;
/** Calls the worker made to the source cloud, by method. */
const sourceCalls: string[] = [];

async function until(runId: string, done: (status: FleetStatus) => boolean): Promise<FleetStatus> {
  for (;;) {
    const status = await fleetStatus(database, runId);
    if (done(status)) return status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function sourceNodes(count: number, batch: string) {
  for (let index = 0; index < count; index += 1) {
    await source.createNode({
      name: `${batch}-${index}`,
      size: 's-2vcpu-4gb',
      image: IMAGE,
      location: 'fra1',
      tags: { batch },
      sshKeys: [key.publicKey],
    });
  }
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'polycloud-fleet-verify-'));
  key = makeKey(root, 'fleet');
  postgres = await startTestPostgres();
  database = postgres.databaseUrl('fleet_inventory');
  source = createLocalDriver({ preset: 'standard', idPrefix: 'src-', timings: { boot: 40, terminate: 20 }, retry });
  // Real SSH servers on the targets; boot takes a while so that SSH is first refused.
  target = createLocalDriver({
    preset: 'budget',
    idPrefix: 'tgt-',
    timings: { boot: 200, terminate: 20 },
    retry,
    ssh: { root: join(root, 'sandboxes') },
  });
  // The worker sees the source through a wrapper that records each call (what it asks the source).
  const recorded = Object.fromEntries(
    Object.entries(source).map(([name, value]) => [
      name,
      typeof value === 'function'
        ? (...args: unknown[]) => {
            sourceCalls.push(name);
            return (value as (...a: unknown[]) => unknown).apply(source, args);
          }
        : value,
    ]),
  ) as unknown as LocalDriver;
  multi = new MultiCloud({ drivers: { source: recorded, target } });
  worker = await startFleetWorker({
    database,
    clouds: multi,
    workerId: 'inventory-1',
    ssh: { privateKey: new Secret(key.privateKey), hostKeys: memoryHostKeys() },
  });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await target?.closeSsh();
  await postgres?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
}, 60_000);

describe('fleet runs from an inventory and a query', () => {
  it('plans in the worker without asking the source, moves only the nodes the query selects, and is one run when started again', async () => {
    await sourceNodes(3, 'inv');
    await sourceNodes(1, 'other');
    // The inventory, as written to a file and read back.
    const inventory = JSON.parse(JSON.stringify(await new MultiCloud({ drivers: { source, target } }).takeInventory())) as Inventory;
    const query = { from: 'source', to: 'target', filter: { tags: { batch: 'inv' } } };
    const run = await startFleetMigration({ inventory, query, database, pollIntervalMs: 100, node: { waitIntervalMs: 20 } });
    // Not planned yet: the worker plans it.
    expect(run).toMatchObject({ total: null, unmatched: null, created: true });
    const status = await until(run.runId, (each) => each.done);
    expect(status).toMatchObject({ plan: 'planned', total: 3, sourcesDestroyed: 3 });
    expect(status.counts).toMatchObject({ migrated: 3, failed: 0, queued: 0 });
    // The plan came from the inventory: the worker only destroyed sources there (no listing, no launch specs).
    expect(new Set(sourceCalls)).toEqual(new Set(['destroyNode']));
    const moved = target.cloud.peekNodes().filter((node) => node.tags.batch === 'inv' && node.tags[MIGRATION_KEY_TAG]);
    expect(moved).toHaveLength(3);
    expect(source.cloud.peekNodes().find((node) => node.tags.batch === 'other')?.state).toBe('running');

    // The same inventory and query are the same run, from the library or the CLI.
    expect(await startFleetMigration({ inventory, query, database })).toMatchObject({ runId: run.runId, created: false });
    const file = join(root, 'inventory.json');
    writeFileSync(file, JSON.stringify(inventory));
    const cli = JSON.parse(
      execFileSync(
        process.execPath,
        [CLI, '--json', 'fleet', 'migrate', '--inventory', file, '--from', 'source', '--to', 'target', '--tag', 'batch=inv'],
        { encoding: 'utf8', env: { ...process.env, POLYCLOUD_FLEET_DATABASE: database } },
      ),
    );
    expect(cli).toMatchObject({ runId: run.runId, plan: 'planned', done: true, counts: { migrated: 3 } });
    expect(target.cloud.peekNodes().filter((node) => node.tags.batch === 'inv')).toHaveLength(3);
  }, 120_000);

  it('refuses a query the inventory cannot answer, before anything is stored', async () => {
    const inventory = await new MultiCloud({ drivers: { source } }).takeInventory();
    await expect(startFleetMigration({ inventory, query: { from: 'elsewhere', to: 'target' }, database })).rejects.toMatchObject({
      name: 'InvalidRequestError',
      field: 'query.from',
    });
    await expect(startFleetMigration({ inventory, database } as never)).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(
      startFleetMigration({ inventory, query: { from: 'source', to: 'target' }, plan: { steps: [], unmatched: [] } as never, database }),
    ).rejects.toMatchObject({ field: 'inventory' });
  });

  it('a worker whose planning fails reports it in the status', async () => {
    const inventory = await new MultiCloud({ drivers: { source } }).takeInventory();
    // "nowhere" is not a cloud of the worker: planning fails for good (not retried).
    const run = await startFleetMigration({ inventory, query: { from: 'source', to: 'nowhere' }, database, pollIntervalMs: 100 });
    const status = await until(run.runId, (each) => each.plan !== 'planning');
    expect(status).toMatchObject({ plan: 'failed', total: 0, done: true, planError: { name: 'InvalidRequestError', retryable: false } });
  }, 60_000);
});

describe('the verify step', () => {
  it('waits for SSH on each target and runs the command there before destroying its source', async () => {
    await sourceNodes(2, 'ver');
    const plan = await multi.planMigration({ from: 'source', to: 'target', filter: { tags: { batch: 'ver' } } });
    const run = await startFleetMigration({
      plan,
      database,
      pollIntervalMs: 100,
      node: { waitIntervalMs: 20, verify: { command: 'echo verified > verified.txt && id -un', intervalMs: 100, timeoutMs: 60_000 } },
    });
    const status = await until(run.runId, (each) => each.done);
    expect(status.counts).toMatchObject({ migrated: 2, failed: 0 });
    const targets = target.cloud.peekNodes().filter((node) => node.tags.batch === 'ver' && node.state === 'running');
    expect(targets).toHaveLength(2);
    // The command ran on each target, in that node's own directory, over SSH with the worker's key.
    for (const node of targets) expect(readFileSync(join(root, 'sandboxes', node.id, 'verified.txt'), 'utf8')).toBe('verified\n');
    expect(source.cloud.peekNodes().filter((node) => node.tags.batch === 'ver' && node.state === 'running')).toHaveLength(0);
  }, 120_000);

  it('keeps the source when the command fails, and stores only its exit status (not its output, not the key)', async () => {
    await sourceNodes(1, 'bad');
    const plan = await multi.planMigration({ from: 'source', to: 'target', filter: { tags: { batch: 'bad' } } });
    // What the command prints is computed on the target, so it is not in the stored command itself.
    const printed = 'printed-by-the-command-42-marker';
    const run = await startFleetMigration({
      plan,
      database,
      pollIntervalMs: 100,
      node: {
        waitIntervalMs: 20,
        verify: { command: 'echo printed-by-the-command-$((6*7))-marker >&2; exit 3', intervalMs: 100, timeoutMs: 60_000 },
      },
    });
    const status = await until(run.runId, (each) => each.done);
    expect(status.counts).toMatchObject({ failed: 1, migrated: 0 });
    expect(status.failures[0]).toMatchObject({ phase: 'verify', error: { name: 'InvalidRequestError', retryable: false } });
    expect(status.failures[0]?.error.message).toMatch(/exited with 3/);
    expect(source.cloud.peekNodes().find((node) => node.tags.batch === 'bad')?.state).toBe('running');
    const dump = execFileSync(postgresTool('pg_dump'), ['--data-only', database], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(dump).toContain(run.runId);
    expect(dump).not.toContain(printed);
    expect(dump).not.toContain(keyMaterial(key.privateKey));
    expect(existsSync(join(root, 'sandboxes'))).toBe(true);
  }, 120_000);
});
