/**
 * The CLI journey end to end, on the BUILT binary (as `test/cli` does): save an inventory, take
 * the source down, plan from the file into a saved plan, run the saved plan (the targets are
 * created, the sources kept), recover, run it again (the sources go, nothing is created twice).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SSH_KEY } from './helpers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const binary = join(root, 'dist', 'src', 'cli', 'main.js');
let home: string;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function polycloud(args: readonly string[]): Promise<Run> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(AWS_|GOOGLE_|DIGITALOCEAN_|HCLOUD_|LINODE_|POLYCLOUD_)/.test(key)),
  ) as Record<string, string>;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [binary, ...args],
      { env: { ...env, HOME: home, NO_COLOR: '1' }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** Two simulated clouds with state files; `mainDown` puts the source in outage. */
function config(mainDown: boolean): string {
  const path = join(home, mainDown ? 'clouds-source-down.json' : 'clouds.json');
  const timings = { boot: 50, terminate: 50, reboot: 50, stop: 50 };
  writeFileSync(
    path,
    JSON.stringify({
      clouds: {
        main: {
          provider: 'local',
          options: {
            preset: 'standard',
            stateFile: 'main.json',
            idPrefix: 'main-',
            timings,
            retry: { retries: 0 },
            ...(mainDown ? { faults: { outage: true } } : {}),
          },
        },
        spare: { provider: 'local', options: { preset: 'budget', stateFile: 'spare.json', idPrefix: 'spare-', timings } },
      },
    }),
  );
  return path;
}

beforeAll(() => {
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run \`npm run build\` first (npm test does)`);
  home = mkdtempSync(join(tmpdir(), 'polycloud-migrate-cli-'));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('polycloud inventory save → outage → migrate --inventory --plan-out → migrate --plan', () => {
  it('moves the fleet away from a source that is down, and finishes the cleanup after recovery', async () => {
    const healthy = config(false);
    for (const [name, location] of [
      ['web-1', 'fra1'],
      ['web-2', 'nyc1'],
    ] as const) {
      const created = await polycloud([
        'create',
        '--config',
        healthy,
        '--cloud',
        'main',
        '--name',
        name,
        '--size',
        's-2vcpu-4gb',
        '--image',
        'ubuntu-24.04-x64',
        '--location',
        location,
        '--ssh-key',
        SSH_KEY,
        '--wait',
      ]);
      expect(created.code).toBe(0);
    }

    const inventoryFile = join(home, 'inventory.json');
    const saved = await polycloud(['inventory', 'save', inventoryFile, '--config', healthy]);
    expect(saved.code).toBe(0);
    expect(saved.stdout).toMatch(/main\s*│\s*local\s*│\s*2\s*│\s*2\s*│/);
    expect(JSON.parse(readFileSync(inventoryFile, 'utf8')).clouds.main.nodes).toHaveLength(2);

    // The source goes down: listing it fails, planning from the inventory does not.
    const down = config(true);
    expect((await polycloud(['nodes', '--config', down, '--cloud', 'main'])).code).toBe(1);
    const planFile = join(home, 'plan.json');
    const planned = await polycloud([
      'migrate',
      '--config',
      down,
      '--from',
      'main',
      '--to',
      'spare',
      '--inventory',
      inventoryFile,
      '--rate',
      'EUR=1.08',
      '--plan-out',
      planFile,
    ]);
    expect(planned.code).toBe(0);
    expect(planned.stdout).toMatch(/Change: +[-+]\d+\.\d{4} USD\/h \(rates used: 1 EUR = 1\.08\)/);
    const plan = JSON.parse(readFileSync(planFile, 'utf8'));
    expect(plan.steps).toHaveLength(2);
    expect(plan.sourceData).toBe('inventory');
    expect(plan.steps[0].target.launch.sshKeys).toEqual([SSH_KEY]);

    // Run the saved plan while the source is still down: replacements are made, sources kept, exit 1 with the reason.
    const during = await polycloud(['migrate', '--config', down, '--plan', planFile, '--cleanup-source', '--yes']);
    expect(during.code).toBe(1);
    expect(during.stdout).toMatch(/failed at cleanup/);
    expect(during.stdout).toContain('0 migrated, 2 failed, 0 interrupted, 2 created in this run, 0 source(s) destroyed.');
    // Progress per node (not a terminal: one line per finished node, on stderr).
    expect(during.stderr).toMatch(/\[\d\/2\] web-1: cleanup failed/);
    expect(during.stderr).toMatch(/\[\d\/2\] web-2: cleanup failed/);

    // Recovery: the same saved plan finishes, creating nothing twice.
    const after = await polycloud(['migrate', '--config', healthy, '--plan', planFile, '--cleanup-source', '--yes', '--json']);
    expect(after.code).toBe(0);
    const { report } = JSON.parse(after.stdout);
    expect(report).toMatchObject({ migrated: 2, failed: 0, created: 0, sourcesDestroyed: 2 });
    const spare = JSON.parse((await polycloud(['nodes', '--config', healthy, '--cloud', 'spare', '--json'])).stdout).nodes;
    expect(spare).toHaveLength(2);
    const main = JSON.parse(
      (await polycloud(['nodes', '--config', healthy, '--cloud', 'main', '--json', '--state', 'running'])).stdout,
    ).nodes;
    expect(main).toEqual([]);
  }, 300_000);
});
