/**
 * The `polycloud` command end to end: the BUILT binary (dist/, made by `npm run build`, which
 * `npm test` runs first) in a child process on this Node, against the local provider with state
 * files in a temporary directory.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const binary = join(root, 'dist', 'src', 'cli', 'main.js');
let home: string;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment the CLI runs in: no cloud credentials, HOME and state in the temp dir. */
function cliEnv(env: Record<string, string> = {}): Record<string, string> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(AWS_|GOOGLE_|DIGITALOCEAN_|HCLOUD_|LINODE_|POLYCLOUD_)/.test(key)),
  ) as Record<string, string>;
  return { ...clean, HOME: home, POLYCLOUD_STATE_FILE: join(home, 'state.json'), NO_COLOR: '1', ...env };
}

/** Runs the built CLI with a clean environment: no cloud credentials, HOME and state in the temp dir. */
function polycloud(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [binary, ...args], { env: cliEnv(env), timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The newest modification time under a directory. */
function newest(directory: string): number {
  let latest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** A config file with two simulated clouds whose state lives in the temp dir. */
function twoCloudConfig(name: string, budgetFaults?: Record<string, unknown>, boot = 50): string {
  const path = join(home, `${name}.json`);
  const timings = { boot, terminate: 50, reboot: 50, stop: 50 };
  writeFileSync(
    path,
    JSON.stringify({
      clouds: {
        main: { provider: 'local', options: { preset: 'standard', stateFile: `${name}-main.json`, idPrefix: 'main-', timings } },
        spare: {
          provider: 'local',
          options: {
            preset: 'budget',
            stateFile: `${name}-spare.json`,
            idPrefix: 'spare-',
            timings,
            retry: { retries: 0 },
            ...(budgetFaults ? { faults: budgetFaults } : {}),
          },
        },
      },
    }),
  );
  return path;
}

beforeAll(() => {
  if (!existsSync(binary) || statSync(binary).mtimeMs < newest(join(root, 'src', 'cli'))) {
    throw new Error(`${binary} is missing or older than src/cli: run \`npm run build\` first (npm test does)`);
  }
  home = mkdtempSync(join(tmpdir(), 'polycloud-cli-'));
});

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

describe('polycloud --help', () => {
  it('documents every command and exits 0', async () => {
    const run = await polycloud(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['nodes', 'health', 'sizes', 'create', 'destroy', 'reboot', 'migrate', 'demo'])
      expect(run.stdout).toContain(command);
  });

  it.each([
    ['nodes', '--state'],
    ['sizes', '--min-vcpus'],
    ['create', '--os-version'],
    ['destroy', '--dry-run'],
    ['migrate', '--cleanup-source'],
    ['health', '--cloud'],
    ['demo', 'self-contained demo'],
  ])('%s --help shows %s', async (command, option) => {
    const run = await polycloud([command, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(option);
  });
});

describe('polycloud on the default local provider', () => {
  it('keeps nodes between commands in the state file', async () => {
    const empty = await polycloud(['nodes']);
    expect(empty).toMatchObject({ code: 0, stdout: 'No nodes.\n' });

    const created = await polycloud([
      'create',
      '--name',
      'web-1',
      '--size',
      's-2vcpu-4gb',
      '--location',
      'fra1',
      '--os',
      'ubuntu',
      '--os-version',
      '24.04',
      '--tag',
      'env=test',
      '--wait',
      '--json',
    ]);
    expect(created.code).toBe(0);
    const { cloud, node } = JSON.parse(created.stdout);
    expect(cloud).toBe('local');
    expect(node).toMatchObject({
      name: 'web-1',
      state: 'running',
      imageId: 'ubuntu-24.04-x64',
      sizeId: 's-2vcpu-4gb',
      tags: { env: 'test' },
      location: { id: 'fra1', country: 'DE' },
    });
    expect(node.raw).toBeUndefined();
    expect(existsSync(join(home, 'state.json'))).toBe(true);
    expect(existsSync(join(home, '.polycloud'))).toBe(false);

    const listed = await polycloud(['nodes']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(
      new RegExp(
        `local\\s+│\\s+${node.id}\\s+│\\s+web-1\\s+│\\s+running\\s+│\\s+[\\d.:a-f]+\\s+│\\s+fra1\\s+│\\s+DE\\s+│\\s+s-2vcpu-4gb\\s+│\\s+0\\.0357 USD`,
      ),
    );

    const json = JSON.parse((await polycloud(['nodes', '--json', '--tag', 'env=test'])).stdout);
    expect(json.failures).toEqual([]);
    expect(json.nodes.map((each: { node: { id: string } }) => each.node.id)).toEqual([node.id]);

    const dry = await polycloud(['destroy', '--all', '--dry-run', '--json']);
    expect(JSON.parse(dry.stdout).results).toMatchObject([{ cloud: 'local', status: 'would-act', node: { id: node.id } }]);
    const destroyed = await polycloud(['destroy', `local/${node.id}`, '--yes', '--json']);
    expect(destroyed.code).toBe(0);
    expect(JSON.parse(destroyed.stdout).results).toMatchObject([{ status: 'succeeded', node: { id: node.id } }]);
    const after = JSON.parse((await polycloud(['nodes', '--json'])).stdout);
    expect(after.nodes.map((each: { node: { state: string } }) => each.node.state)).not.toContain('running');
  });

  it('finds the cheapest sizes by need and place', async () => {
    const run = await polycloud(['sizes', '--min-vcpus', '2', '--min-memory', '4', '--country', 'DE', '--json']);
    expect(run.code).toBe(0);
    const { offers, currency, failures } = JSON.parse(run.stdout);
    expect(failures).toEqual([]);
    expect(currency).toBe('USD');
    expect(offers.length).toBeGreaterThan(0);
    for (const offer of offers) {
      expect(offer.location.country).toBe('DE');
      expect(offer.size.vcpus).toBeGreaterThanOrEqual(2);
      expect(offer.size.memoryGiB).toBeGreaterThanOrEqual(4);
    }
    const hourly = offers.map((offer: { price: { hourly: number } }) => offer.price.hourly);
    expect(hourly).toEqual([...hourly].sort((a: number, b: number) => a - b));

    const table = await polycloud(['sizes', '--min-vcpus', '2', '--min-memory', '4', '--country', 'DE', '--limit', '3']);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n').filter((line) => line.includes('│ local'))).toHaveLength(3);
    expect(table.stdout).toContain(`${offers[0].size.id}`);
  });

  it('takes the clouds from POLYCLOUD_PROVIDERS, the local one with its state file', async () => {
    const run = await polycloud(['health', '--json'], { POLYCLOUD_PROVIDERS: 'local' });
    expect(run.code).toBe(0);
    const health = JSON.parse(run.stdout);
    expect(health.source).toBe('POLYCLOUD_PROVIDERS=local');
    expect(health.clouds).toMatchObject([{ cloud: 'local', reachable: true }]);
    const created = await polycloud(
      ['create', '--name', 'env-1', '--size', 's-1vcpu-1gb', '--image', 'debian-12-x64', '--location', 'ams1', '--json'],
      {
        POLYCLOUD_PROVIDERS: 'local',
      },
    );
    const { node } = JSON.parse(created.stdout);
    const listed = JSON.parse((await polycloud(['nodes', '--json'], { POLYCLOUD_PROVIDERS: 'local' })).stdout);
    expect(listed.nodes.map((each: { node: { id: string } }) => each.node.id)).toContain(node.id);
  });

  it('reports health', async () => {
    const run = await polycloud(['health', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).clouds).toMatchObject([{ cloud: 'local', provider: 'local', reachable: true }]);
  });
});

describe('exit codes', () => {
  it('exits 2 on bad usage, with the reason', async () => {
    expect((await polycloud(['bogus'])).code).toBe(2);
    expect((await polycloud([])).code).toBe(2);
    const noFilter = await polycloud(['destroy']);
    expect(noFilter.code).toBe(2);
    expect(noFilter.stderr).toContain('say which nodes');
    const badNumber = await polycloud(['sizes', '--min-vcpus', 'many']);
    expect(badNumber.code).toBe(2);
    expect(badNumber.stderr).toContain('--min-vcpus');
  });

  it('prints errors as JSON with --json', async () => {
    const run = await polycloud(['destroy', '--json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error).toMatchObject({ name: 'InvalidRequestError', provider: 'polycloud' });
  });

  it('exits 1 when a named node does not exist', async () => {
    const run = await polycloud(['destroy', 'local/node-ffffff', '--yes']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('local/node-ffffff: no such node');
  });

  it('exits 2 on a config file naming an unknown provider', async () => {
    const path = join(home, 'unknown-provider.json');
    writeFileSync(path, JSON.stringify({ clouds: { x: { provider: 'nimbus' } } }));
    const run = await polycloud(['health', '--config', path]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('provider "nimbus" is not available');
  });

  it('exits 2 on a broken config file, naming it', async () => {
    const path = join(home, 'broken.json');
    writeFileSync(path, '{ "clouds": ');
    const run = await polycloud(['nodes', '--config', path]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(path);
  });
});

describe('polycloud with two clouds from a config file', () => {
  it('lists a cloud in outage as a failure, still lists the other, and exits 1', async () => {
    const config = twoCloudConfig('outage', { outage: true });
    const created = await polycloud([
      'create',
      '--config',
      config,
      '--cloud',
      'main',
      '--name',
      'a',
      '--size',
      's-1vcpu-1gb',
      '--image',
      'debian-12-x64',
      '--location',
      'ams1',
    ]);
    expect(created.code).toBe(0);
    const table = await polycloud(['nodes', '--config', config]);
    expect(table.code).toBe(1);
    expect(table.stdout).toContain('main');
    expect(table.stderr).toMatch(/spare \(local\) did not answer: .*outage/);
    const json = await polycloud(['nodes', '--config', config, '--json']);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.nodes).toHaveLength(1);
    expect(parsed.failures).toMatchObject([{ cloud: 'spare', provider: 'local', error: { name: 'ProviderUnavailableError' } }]);
    const health = await polycloud(['health', '--config', config, '--json']);
    expect(health.code).toBe(1);
    expect(JSON.parse(health.stdout).clouds.map((each: { reachable: boolean }) => each.reachable)).toEqual([true, false]);
  });

  it('plans with --dry-run, migrates with progress and cost, and re-runs without creating twice', async () => {
    const config = twoCloudConfig('move');
    for (const [name, location] of [
      ['web-1', 'fra1'],
      ['web-2', 'nyc1'],
    ] as const) {
      const run = await polycloud([
        'create',
        '--config',
        config,
        '--cloud',
        'main',
        '--name',
        name,
        '--size',
        's-2vcpu-4gb',
        '--os',
        'ubuntu',
        '--os-version',
        '24.04',
        '--location',
        location,
        '--wait',
      ]);
      expect(run.code).toBe(0);
    }

    const dry = await polycloud(['migrate', '--config', config, '--from', 'main', '--to', 'spare', '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    const { plan } = JSON.parse(dry.stdout);
    expect(plan.steps.map((step: { target: { location: { id: string } } }) => step.target.location.id).sort()).toEqual([
      'de-nbg',
      'us-ash',
    ]);
    expect(plan.cost.before.hourly.USD).toBeGreaterThan(0);
    expect(plan.cost.after.hourly.EUR).toBeGreaterThan(0);
    expect(plan.cost.hourlyChange).toBeNull();
    expect(JSON.parse((await polycloud(['nodes', '--config', config, '--cloud', 'spare', '--json'])).stdout).nodes).toEqual([]);

    const human = await polycloud(['migrate', '--config', config, '--from', 'main', '--to', 'spare']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('Cost before: ');
    expect(human.stdout).toMatch(/Cost after: +0\.\d{4} EUR\/h/);
    expect(human.stdout).toContain('2 migrated, 0 failed, 0 interrupted, 2 created in this run, 0 source(s) destroyed.');
    // Not a terminal: progress comes as one line per node on stderr.
    expect(human.stderr).toMatch(/\[1\/2\] web-\d: done/);
    expect(human.stderr).toMatch(/\[2\/2\] web-\d: done/);

    const again = await polycloud([
      'migrate',
      '--config',
      config,
      '--from',
      'main',
      '--to',
      'spare',
      '--cleanup-source',
      '--yes',
      '--json',
    ]);
    expect(again.code).toBe(0);
    const { report } = JSON.parse(again.stdout);
    // The same plan again: the targets of the first run are found, not created twice; now the sources go.
    expect(report).toMatchObject({ migrated: 2, created: 0, sourcesDestroyed: 2 });

    const spare = JSON.parse((await polycloud(['nodes', '--config', config, '--cloud', 'spare', '--json'])).stdout).nodes;
    expect(spare).toHaveLength(2);
    for (const { node } of spare) expect(node.tags['polycloud:migrated-from']).toMatch(/^local\/main-/);
    const main = JSON.parse(
      (await polycloud(['nodes', '--config', config, '--cloud', 'main', '--json', '--state', 'running'])).stdout,
    ).nodes;
    expect(main).toEqual([]);
  });

  it('exits 1 and keeps the sources when the target cannot create', async () => {
    const config = twoCloudConfig('quota', { outage: true, operations: ['createNode'] });
    const created = await polycloud([
      'create',
      '--config',
      config,
      '--cloud',
      'main',
      '--name',
      'db',
      '--size',
      's-2vcpu-4gb',
      '--image',
      'ubuntu-24.04-x64',
      '--location',
      'fra1',
      '--wait',
    ]);
    expect(created.code).toBe(0);
    const run = await polycloud(['migrate', '--config', config, '--from', 'main', '--to', 'spare', '--cleanup-source', '--yes', '--json']);
    expect(run.code).toBe(1);
    const { report } = JSON.parse(run.stdout);
    expect(report.results).toMatchObject([
      { status: 'failed', phase: 'create', sourceDestroyed: false, error: { name: 'ProviderUnavailableError' } },
    ]);
    const main = JSON.parse((await polycloud(['nodes', '--config', config, '--cloud', 'main', '--json'])).stdout).nodes;
    expect(main.map((each: { node: { state: string } }) => each.node.state)).toEqual(['running']);
  });
});

describe('polycloud migrate interrupted with Ctrl-C', () => {
  it('stops with exit 130, destroys no source, and the same command then finishes without creating twice', async () => {
    // Boots take 6 s of real time, so the run is still waiting for its targets when interrupted.
    const config = twoCloudConfig('interrupt', undefined, 6_000);
    for (const name of ['a', 'b', 'c']) {
      const run = await polycloud([
        'create',
        '--config',
        config,
        '--cloud',
        'main',
        '--name',
        name,
        '--size',
        's-1vcpu-2gb',
        '--image',
        'ubuntu-24.04-x64',
        '--location',
        'fra1',
      ]);
      expect(run.code).toBe(0);
    }
    const spareState = join(home, 'interrupt-spare.json');
    const child = spawn(
      process.execPath,
      [binary, 'migrate', '--config', config, '--from', 'main', '--to', 'spare', '--cleanup-source', '--yes', '--json'],
      { env: cliEnv() },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // Interrupt once all three targets exist at the target (they are still booting).
    const deadline = Date.now() + 90_000; // only a bound against hangs: a loaded machine is slow to create them
    while (Date.now() < deadline) {
      let nodes: unknown[] = [];
      try {
        nodes = existsSync(spareState) ? (JSON.parse(readFileSync(spareState, 'utf8')) as { nodes: unknown[] }).nodes : [];
      } catch {
        // The CLI may be writing the state file right now: read it again on the next turn.
      }
      if (nodes.length === 3) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const { report } = JSON.parse(stdout);
    expect(report).toMatchObject({ interrupted: 3, sourcesDestroyed: 0, failed: 0 });
    const main = JSON.parse((await polycloud(['nodes', '--config', config, '--cloud', 'main', '--json'])).stdout).nodes;
    expect(
      main.map((each: { node: { state: string } }) => each.node.state).every((state: string) => state === 'pending' || state === 'running'),
    ).toBe(true);

    const again = await polycloud([
      'migrate',
      '--config',
      config,
      '--from',
      'main',
      '--to',
      'spare',
      '--cleanup-source',
      '--yes',
      '--json',
    ]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).report).toMatchObject({ migrated: 3, created: 0, sourcesDestroyed: 3 });
    const spare = JSON.parse((await polycloud(['nodes', '--config', config, '--cloud', 'spare', '--json'])).stdout).nodes;
    expect(spare).toHaveLength(3);
  }, 240_000);
});

describe('polycloud demo', () => {
  it('runs in seconds without credentials or warnings, showing an outage and a migration with costs', async () => {
    const run = await polycloud(['demo']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/standard \(local\) did not answer: .*outage/);
    expect(run.stdout).toMatch(/Cost before: 0\.\d{4} USD\/h/);
    expect(run.stdout).toMatch(/Cost after: +0\.\d{4} EUR\/h/);
    expect(run.stdout).toContain('created 4 replacement(s) in the first run and 0 in the re-run');
    expect(run.stdout).toContain('sources destroyed: 0 during the outage, 4 after recovery');
  });

  it('gives the same story as JSON', async () => {
    const run = await polycloud(['demo', '--json']);
    expect(run.code).toBe(0);
    const demo = JSON.parse(run.stdout);
    expect(demo.outage.failures).toMatchObject([{ cloud: 'standard', error: { name: 'ProviderUnavailableError' } }]);
    expect(demo.outage.nodes.every((each: { cloud: string }) => each.cloud === 'budget')).toBe(true);
    expect(demo.runs[1]).toMatchObject({ created: 0, failed: 0 });
    expect(demo.plan.steps.length).toBe(demo.runs[1].migrated);
  });
});
