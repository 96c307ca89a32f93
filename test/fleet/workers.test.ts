/**
 * A fleet migration run by three worker processes (the built CLI, `polycloud fleet worker`)
 * sharing one PostgreSQL, against five simulated clouds served over loopback by the
 * DigitalOcean fake (each worker reaches them with the real DigitalOcean driver and its own
 * token, through a proxy that counts the requests in flight per cloud):
 *
 * - worker 1 is SIGKILLed in the middle of a create: the cloud made the droplet, the answer never
 *   reached the worker; it is restarted with the same id and takes its nodes over (DBOS recovery);
 * - worker 2 is SIGKILLed while waiting for a target it created (between create and cleanup) and
 *   never comes back: `recoverFleetWorker` hands its nodes to the others;
 * - a source cloud is down for part of the run (its destroys fail, and are retried).
 *
 * Afterwards: exactly one replacement per source, no source destroyed before its replacement
 * ran, every node finished, the status counts match the clouds, the per-cloud limit held at
 * every target cloud and every source cloud, and no worker's token is anywhere in the database.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDigitalOceanDriver } from '../../providers/digitalocean/index.js';
import { fleetStatus, recoverFleetWorker, startFleetMigration, type FleetStatus } from '../../src/fleet/index.js';
import { MultiCloud, type MigrationPlan } from '../../src/multicloud/index.js';
import { migrationKeyOf } from '../../src/multicloud/keys.js';
import { startDigitalOceanFake, type DigitalOceanFake } from '../fakes/digitalocean/index.js';
import { startCountingProxy, type CountingProxy } from './counting-proxy.js';
import { postgresTool, startTestPostgres, type TestPostgres } from './postgres.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(root, 'dist/src/cli/main.js');
const SCALE = Number(process.env.FLEET_TEST_SCALE ?? 1);
const SOURCES = { 'src-a': Math.round(90 * SCALE), 'src-b': Math.round(70 * SCALE), 'src-c': Math.round(60 * SCALE) } as const;
const ROUTES: readonly [keyof typeof SOURCES, string][] = [
  ['src-a', 'dst-x'],
  ['src-b', 'dst-x'],
  ['src-c', 'dst-y'],
];
const CLOUDS = ['src-a', 'src-b', 'src-c', 'dst-x', 'dst-y'] as const;
const WORKERS = ['w1', 'w2', 'w3'] as const;
const MAX_IN_FLIGHT = 5;
const TIMINGS = { boot: 100, terminate: 50, reboot: 50, stop: 50 };

let postgres: TestPostgres;
let database: string;
let dir: string;
const fakes = new Map<string, DigitalOceanFake>();
const proxies = new Map<string, CountingProxy>();
const workers = new Map<string, ChildProcess>();
const tokens = new Map(WORKERS.map((worker) => [`${worker}-secret-token-${Math.random().toString(36).slice(2)}`, worker]));
const tokenOf = (worker: string) => [...tokens].find(([, name]) => name === worker)?.[0] ?? '';

function startWorker(worker: string): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      CLI,
      '--config',
      join(dir, `${worker}.json`),
      'fleet',
      'worker',
      '--database',
      database,
      '--worker-id',
      worker,
      '--quiet',
      '--log-level',
      process.env.FLEET_TEST_LOG_LEVEL ?? 'error',
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, POLYCLOUD_FLEET_DATABASE: '' },
    },
  );
  if (process.env.FLEET_TEST_LOG_LEVEL)
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${worker}] ${chunk.toString()}`));
  else child.stderr?.resume();
  workers.set(worker, child);
  return child;
}

function killed(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

async function until(runId: string, done: (status: FleetStatus) => boolean): Promise<FleetStatus> {
  for (;;) {
    const status = await fleetStatus(database, runId);
    if (process.env.FLEET_TEST_LOG_LEVEL) console.error(new Date().toISOString(), JSON.stringify(status.counts));
    if (done(status)) return status;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

beforeAll(async () => {
  expect(existsSync(CLI), 'run `npm run build` first (npm test does)').toBe(true);
  postgres = await startTestPostgres();
  database = postgres.databaseUrl('fleet_workers');
  dir = mkdtempSync(join(tmpdir(), 'polycloud-fleet-'));
  for (const cloud of CLOUDS) {
    // Targets answer after a little latency, so that requests overlap and the proxy sees real concurrency.
    const fake = await startDigitalOceanFake({ timings: TIMINGS, ...(cloud.startsWith('dst') ? { faults: { latencyMs: 15 } } : {}) });
    fakes.set(cloud, fake);
    proxies.set(cloud, await startCountingProxy(fake.url, fake.token, tokens));
  }
  for (const [cloud, count] of Object.entries(SOURCES)) {
    const fake = fakes.get(cloud);
    for (let index = 0; index < count; index += 1) {
      await fake?.cloud.createNode({
        name: `${cloud}-web-${index}`,
        sizeId: 's-1vcpu-1gb',
        imageId: 'ubuntu-24-04-x64',
        locationId: index % 2 ? 'fra1' : 'nyc1',
      });
    }
  }
  for (const worker of WORKERS) {
    const clouds = Object.fromEntries(
      CLOUDS.map((cloud) => [
        cloud,
        {
          provider: 'digitalocean',
          options: { endpoint: proxies.get(cloud)?.url, token: tokenOf(worker), retry: { retries: 2, minDelayMs: 50, maxDelayMs: 200 } },
        },
      ]),
    );
    writeFileSync(join(dir, `${worker}.json`), JSON.stringify({ clouds }));
  }
}, 120_000);

afterAll(async () => {
  for (const child of workers.values()) {
    child.kill('SIGKILL');
    await killed(child);
  }
  for (const proxy of proxies.values()) await proxy.close();
  for (const fake of fakes.values()) await fake.close();
  await postgres?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('a fleet migration across worker processes', () => {
  it('survives two killed workers and a source outage: one replacement per source, every node finished, limits held', async () => {
    // Plans are made in this process, straight against the fakes (not through the proxies).
    const drivers = Object.fromEntries(
      CLOUDS.map((cloud) => [
        cloud,
        createDigitalOceanDriver({ endpoint: fakes.get(cloud)?.url ?? '', token: fakes.get(cloud)?.token ?? '' }),
      ]),
    );
    const multi = new MultiCloud({ drivers });
    await new Promise((resolve) => setTimeout(resolve, TIMINGS.boot * 2));
    const plans: MigrationPlan[] = [];
    for (const [from, to] of ROUTES) plans.push(await multi.planMigration({ from, to }));
    const total = Object.values(SOURCES).reduce((sum, count) => sum + count, 0);
    expect(plans.reduce((sum, plan) => sum + plan.steps.length, 0)).toBe(total);

    const run = await startFleetMigration({
      plans,
      database,
      concurrency: 12,
      perCloud: { maxInFlight: MAX_IN_FLIGHT },
      pollIntervalMs: 100,
      node: { waitIntervalMs: 100, waitMaxIntervalMs: 300, retryIntervalMs: 300, stepAttempts: 10 },
    });
    expect(run).toMatchObject({ total, created: true });

    // Worker 1 dies mid-create: its 4th create reached the cloud, the answer is dropped as it is killed.
    const w1Gone = new Promise<void>((resolve) => {
      let creates = 0;
      for (const target of ['dst-x', 'dst-y']) {
        proxies.get(target)?.intercept(async (request) => {
          if (request.worker === 'w1' && request.method === 'POST' && request.path === '/v2/droplets' && ++creates === 4) {
            const child = workers.get('w1');
            child?.kill('SIGKILL');
            if (child) await killed(child);
            resolve();
            return 'drop';
          }
          // Worker 2 dies while polling a target it created: after its create, before its cleanup.
          if (
            request.worker === 'w2' &&
            request.method === 'GET' &&
            /^\/v2\/droplets\/\d+$/.test(request.path) &&
            workers.get('w2')?.exitCode === null
          ) {
            const child = workers.get('w2');
            if (child && child.signalCode === null) {
              child.kill('SIGKILL');
              await killed(child);
              return 'drop';
            }
          }
          return 'forward';
        });
      }
    });
    for (const worker of WORKERS) startWorker(worker);
    await w1Gone;
    await killed(workers.get('w2') as ChildProcess);
    for (const target of ['dst-x', 'dst-y']) proxies.get(target)?.intercept(undefined);
    const w1Create = proxies
      .get('dst-x')
      ?.requests.concat(proxies.get('dst-y')?.requests ?? [])
      .filter((each) => each.worker === 'w1' && each.method === 'POST');
    expect(w1Create?.length).toBeGreaterThanOrEqual(4);

    // The source src-a goes down for a while: destroys there fail and are retried.
    fakes.get('src-a')?.cloud.faults.set({ outage: true });
    const outageEnds = new Promise((resolve) => setTimeout(resolve, 2_000)).then(() => fakes.get('src-a')?.cloud.faults.clear());

    // Worker 2 never comes back: its nodes go to the others. Worker 1 restarts under its id.
    const recovered = await recoverFleetWorker(database, 'w2');
    expect(recovered.recovered).toBeGreaterThanOrEqual(1);
    startWorker('w1');
    await outageEnds;

    const status = await until(run.runId, (each) => each.done);
    expect(status.counts).toEqual({ queued: 0, create: 0, wait: 0, verify: 0, cleanup: 0, migrated: total, failed: 0, cancelled: 0 });
    expect(status.failures).toEqual([]);
    expect(status.sourcesDestroyed).toBe(total);

    // The clouds agree with the status: exactly one running replacement per source, every source gone.
    const targets = (await Promise.all(['dst-x', 'dst-y'].map((cloud) => multi.driver(cloud).listNodes()))).flat();
    const keys = targets.map((node) => migrationKeyOf(node.tags));
    expect(keys.filter(Boolean)).toHaveLength(total);
    expect(new Set(keys).size).toBe(total);
    expect(targets.every((node) => node.state === 'running')).toBe(true);
    expect(status.created).toBe(targets.length);
    // When each replacement started running, from the simulator's record of it.
    const simTargets = ['dst-x', 'dst-y'].flatMap((cloud) => fakes.get(cloud)?.cloud.peekNodes() ?? []);
    const runningSince = new Map(simTargets.map((node) => [node.name, node.stateSince]));
    const runningAt = new Map(targets.map((node) => [migrationKeyOf(node.tags), runningSince.get(node.name)]));
    for (const plan of plans) {
      const source = fakes.get(plan.from);
      const sources = new Map((source?.cloud.peekNodes() ?? []).map((node) => [node.id, node]));
      const deletes = proxies.get(plan.from)?.requests.filter((each) => each.method === 'DELETE' && (each.status ?? 500) < 300) ?? [];
      for (const step of plan.steps) {
        const node = sources.get(String(step.source.id));
        expect(
          node === undefined || node.state === 'terminating' || node.state === 'terminated',
          `${plan.from}/${step.source.id} destroyed`,
        ).toBe(true);
        // The first successful destroy of the source came after its replacement was running.
        const destroyedAt = deletes.find((each) => each.path === `/v2/droplets/${step.source.id}`)?.answeredAt;
        expect(destroyedAt, `destroy of ${plan.from}/${step.source.id}`).toBeDefined();
        expect(destroyedAt ?? 0).toBeGreaterThanOrEqual(runningAt.get(step.target.idempotencyKey) ?? Infinity);
      }
    }

    // The per-cloud limit held at every target cloud, and the clouds did see concurrent requests.
    for (const target of ['dst-x', 'dst-y']) {
      const proxy = proxies.get(target) as CountingProxy;
      expect(proxy.maxInFlight, target).toBeLessThanOrEqual(MAX_IN_FLIGHT);
      expect(proxy.maxInFlight, target).toBeGreaterThanOrEqual(2);
    }
    // And at every source cloud: destroys count against the source's limit (the cleanup queue's partitions).
    for (const source of Object.keys(SOURCES)) {
      const proxy = proxies.get(source) as CountingProxy;
      expect(proxy.maxInFlight, source).toBeLessThanOrEqual(MAX_IN_FLIGHT);
      expect(proxy.maxInFlight, source).toBeGreaterThanOrEqual(1);
    }
    // Every worker used its own token (the proxies knew each request's sender).
    const senders = new Set([...proxies.values()].flatMap((proxy) => proxy.requests.map((each) => each.worker)));
    expect(senders).toEqual(new Set(WORKERS));

    // No credential in PostgreSQL: a dump of the whole database holds none of the workers' tokens.
    const dump = execFileSync(postgresTool('pg_dump'), ['--data-only', database], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    expect(dump).toContain(plans[0]?.steps[0]?.target.idempotencyKey);
    for (const token of tokens.keys()) expect(dump.includes(token)).toBe(false);
  }, 300_000);
});
