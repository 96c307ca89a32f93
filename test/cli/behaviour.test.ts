/**
 * The CLI in pipes, scripts and terminals: exit codes (0 ok, 1 failed, 2 bad input or
 * configuration, 130 interrupted), a reader that closes the pipe early, JSON errors, confirmation
 * of destructive commands, per-cloud configuration failures, and the clouds it picks and why.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exited, polycloud, polycloudInTerminal, startPolycloud } from './run.js';

let home: string;
const run = (args: readonly string[], env: Record<string, string> = {}) => polycloud(home, args, env);

/** A config file with one simulated cloud whose state lives in the temp dir. */
function localConfig(name: string, extra: Record<string, unknown> = {}, options: Record<string, unknown> = {}): string {
  const path = join(home, `${name}.json`);
  const timings = { boot: 50, terminate: 50, reboot: 50, stop: 50 };
  writeFileSync(
    path,
    JSON.stringify({ clouds: { sim: { provider: 'local', options: { stateFile: `${name}-state.json`, timings, ...options } }, ...extra } }),
  );
  return path;
}

async function createNode(config: string, name: string): Promise<{ id: string }> {
  const created = await run([
    'create',
    '--config',
    config,
    '--cloud',
    'sim',
    '--name',
    name,
    '--size',
    's-1vcpu-1gb',
    '--location',
    'fra1',
    '--image',
    'ubuntu-24.04-x64',
    '--wait',
    '--json',
  ]);
  expect(created.code, created.stderr).toBe(0);
  return JSON.parse(created.stdout).node;
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'polycloud-cli-behaviour-'));
});

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

describe('in a pipe', () => {
  it('stops quietly, without a stack trace, when the reader closes early', async () => {
    const child = startPolycloud(home, ['sizes', '--limit', '0']);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // The reader takes the first chunk and goes away, like `| head -1`.
    await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
    child.stdout?.destroy();
    const { code } = await exited(child);
    expect(stderr).not.toMatch(/EPIPE|Error|at .*\.js/);
    expect(code).toBe(0);
  });
});

describe('exit codes and errors', () => {
  it('exits 2 for a mistyped state, naming the valid ones, before asking any cloud', async () => {
    const result = await run(['nodes', '--state', 'runing']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('did you mean "running"');
    expect(result.stderr).not.toContain('did not answer');
  });

  it('prints errors as JSON on stdout with --json, usage errors included', async () => {
    const bad = await run(['nodes', '--state', 'runing', '--json']);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout).error).toMatchObject({ name: 'InvalidRequestError', field: 'state' });
    const unknown = await run(['nodes', '--bogus', '--json']);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout).error).toMatchObject({ name: 'UsageError', message: expect.stringContaining('--bogus') });
  });

  it('exits 2 with a typed error when the user data file is missing', async () => {
    const result = await run([
      'create',
      '--name',
      'x',
      '--size',
      's-1vcpu-1gb',
      '--location',
      'fra1',
      '--image',
      'ubuntu-24.04-x64',
      '--user-data-file',
      join(home, 'nope.yaml'),
      '--json',
    ]);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout).error).toMatchObject({ name: 'InvalidRequestError', field: '--user-data-file' });
  });

  it('exits 1 when an operation fails: a node that does not exist', async () => {
    const result = await run(['get', 'node-ffffff']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/node-ffffff/);
  });

  it('exits 130 when interrupted', async () => {
    const config = localConfig('interrupt', {}, { timings: { boot: 60_000, terminate: 50, reboot: 50, stop: 50 } });
    const child = startPolycloud(home, [
      'create',
      '--config',
      config,
      '--name',
      'slow',
      '--size',
      's-1vcpu-1gb',
      '--location',
      'fra1',
      '--image',
      'ubuntu-24.04-x64',
      '--wait',
    ]);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Interrupt once the node exists and the command is waiting for it to boot.
    const state = join(home, 'interrupt-state.json');
    for (let tries = 0; !(existsSync(state) && readFileSync(state, 'utf8').includes('slow')); tries++) {
      if (tries > 600) throw new Error('the node was never created');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGINT');
    const { code } = await exited(child);
    expect(code).toBe(130);
    expect(stderr).toContain('interrupted');
  });
});

describe('sizes --limit', () => {
  it('shows every offer with --limit 0 and says how many more there are otherwise', async () => {
    const all = await run(['sizes', '--limit', '0']);
    const one = await run(['sizes', '--limit', '1']);
    expect(all.code).toBe(0);
    expect(all.stdout).not.toContain('more (use --limit');
    expect(one.stdout).toMatch(/… \d+ more \(use --limit/);
    const rows = (text: string) => text.split('\n').filter((line) => line.startsWith('│ ')).length - 1;
    expect(rows(one.stdout)).toBe(1);
    expect(rows(all.stdout)).toBe(Number(/… (\d+) more/.exec(one.stdout)?.[1]) + 1);
    expect((await run(['sizes', '--limit', '1.5'])).code).toBe(2);
  });
});

describe('get, start, stop and tables', () => {
  it('shows a node, stops and starts it, with its IP in the tables', async () => {
    const config = localConfig('lifecycle');
    const node = await createNode(config, 'web-1');
    const shown = await run(['get', '--config', config, `sim/${node.id}`, '--json']);
    expect(shown.code).toBe(0);
    const details = JSON.parse(shown.stdout).node;
    expect(details).toMatchObject({ id: node.id, state: 'running' });
    const ip = details.publicIps[0] ?? details.privateIps[0];
    expect(ip).toMatch(/\d+\.\d+\.\d+\.\d+|:/);

    const listed = await run(['nodes', '--config', config]);
    expect(listed.stdout).toContain('IP');
    expect(listed.stdout).toContain(ip);

    const stopped = await run(['stop', '--config', config, node.id, '--wait', '--json']);
    expect(stopped.code).toBe(0);
    expect(JSON.parse(stopped.stdout).results).toMatchObject([{ status: 'ok', node: { state: 'stopped' } }]);
    const started = await run(['start', '--config', config, node.id, '--wait']);
    expect(started.code).toBe(0);
    expect(started.stdout).toContain('running');
    expect(JSON.parse((await run(['get', '--config', config, node.id, '--json'])).stdout).node.state).toBe('running');
  });

  it('fits tables to the terminal width, and leaves them whole in a pipe', async () => {
    const config = localConfig('widths');
    await createNode(config, 'a-rather-long-node-name-that-would-not-fit-in-a-narrow-terminal');
    const narrow = await polycloudInTerminal(home, ['nodes', '--config', config], '', 70);
    expect(narrow.code).toBe(0);
    const lines = narrow.stdout.split(/\r?\n/).filter((line) => line.includes('│'));
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(70);
    expect(narrow.stdout).toContain('…');
    const piped = await run(['nodes', '--config', config]);
    expect(piped.stdout).toContain('a-rather-long-node-name-that-would-not-fit-in-a-narrow-terminal');
  });
});

describe('destroy asks first', () => {
  it('refuses without --yes when stdin is not a terminal, and destroys nothing', async () => {
    const config = localConfig('refuse');
    await createNode(config, 'keep-me');
    const refused = await run(['destroy', '--config', config, '--all']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');
    const nodes = JSON.parse((await run(['nodes', '--config', config, '--json'])).stdout).nodes;
    expect(nodes.map((each: { node: { state: string } }) => each.node.state)).toEqual(['running']);
    const done = await run(['destroy', '--config', config, '--all', '--yes', '--json']);
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout).results).toHaveLength(1);
  });

  it('asks at a terminal: "n" keeps the nodes, "y" destroys them', async () => {
    const config = localConfig('ask');
    await createNode(config, 'ask-me');
    const declined = await polycloudInTerminal(home, ['destroy', '--config', config, '--all'], 'n\n');
    expect(declined.stdout).toContain('Destroy 1 node(s)? [y/N]');
    expect(declined.code).toBe(2);
    expect(JSON.parse((await run(['nodes', '--config', config, '--json'])).stdout).nodes).toHaveLength(1);
    const accepted = await polycloudInTerminal(home, ['destroy', '--config', config, '--all'], 'y\n');
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain('destroying');
  });
});

describe('migrate --cleanup-source asks first, as destroy --all does', () => {
  /** Two simulated clouds: `sim` (the source, with one node) and `spare`. */
  async function twoClouds(name: string): Promise<string> {
    const timings = { boot: 50, terminate: 50, reboot: 50, stop: 50 };
    const config = localConfig(name, { spare: { provider: 'local', options: { stateFile: `${name}-spare.json`, timings } } });
    await createNode(config, `${name}-web`);
    return config;
  }
  const statesIn = async (config: string, cloud: string): Promise<string[]> =>
    JSON.parse((await run(['nodes', '--config', config, '--cloud', cloud, '--json'])).stdout).nodes.map(
      (each: { node: { state: string } }) => each.node.state,
    );
  const migrate = (config: string, ...extra: string[]) => ['migrate', '--config', config, '--from', 'sim', '--to', 'spare', ...extra];

  it('refuses without --yes when stdin is not a terminal (exit 2), before creating or destroying anything', async () => {
    const config = await twoClouds('mrefuse');
    const refused = await run(migrate(config, '--cleanup-source'));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');
    expect(refused.stdout).not.toContain('Plan:');
    expect(await statesIn(config, 'sim')).toEqual(['running']);
    expect(await statesIn(config, 'spare')).toEqual([]);
    const json = await run(migrate(config, '--cleanup-source', '--json'));
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).error.message).toContain('--yes');
    // Without --cleanup-source nothing is destroyed, so nothing is asked; --dry-run neither.
    expect((await run(migrate(config, '--cleanup-source', '--dry-run'))).code).toBe(0);
    const done = await run(migrate(config, '--cleanup-source', '--yes', '--json'));
    expect(done.code, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout).report).toMatchObject({ migrated: 1, sourcesDestroyed: 1 });
  });

  it('asks at a terminal once the plan is shown: "n" changes nothing (exit 2), "y" migrates and destroys the source', async () => {
    const config = await twoClouds('mask');
    const declined = await polycloudInTerminal(home, migrate(config, '--cleanup-source'), 'n\n');
    expect(declined.stdout).toContain('Plan: ');
    expect(declined.stdout).toContain('Destroy each of the 1 source node(s) once its replacement runs? [y/N]');
    expect(declined.code).toBe(2);
    expect(await statesIn(config, 'sim')).toEqual(['running']);
    expect(await statesIn(config, 'spare')).toEqual([]);
    const accepted = await polycloudInTerminal(home, migrate(config, '--cleanup-source'), 'y\n');
    expect(accepted.code, accepted.stdout).toBe(0);
    expect(accepted.stdout).toContain('1 source(s) destroyed');
    expect(await statesIn(config, 'spare')).toEqual(['running']);
  });
});

describe('configuration', () => {
  it('rejects an unknown key in the config file with a "did you mean" hint (exit 2)', async () => {
    const path = join(home, 'typo.json');
    writeFileSync(
      path,
      JSON.stringify({ clouds: { a: { provider: 'hetzner', options: { token: 'x'.repeat(64), endpont: 'http://127.0.0.1:1' } } } }),
    );
    const result = await run(['nodes', '--config', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('clouds.a.options.endpont: unknown key "endpont" (did you mean "endpoint"?)');
    writeFileSync(path, JSON.stringify({ clouds: { a: { provider: 'local', options: { presett: 'budget' } } }, regoins: [] }));
    const both = await run(['nodes', '--config', path, '--json']);
    expect(both.code).toBe(2);
    const message = JSON.parse(both.stdout).error.message;
    expect(message).toContain('did you mean "preset"');
    expect(message).toContain('unknown key "regoins"');
  });

  it('reports a cloud that cannot be configured like an outage while the others answer (exit 1)', async () => {
    const config = localConfig('partial', { broken: { provider: 'hetzner' } });
    await createNode(config, 'still-listed');
    const result = await run(['nodes', '--config', config, '--json'], {});
    expect(result.code).toBe(1);
    const answer = JSON.parse(result.stdout);
    expect(answer.nodes.map((each: { cloud: string }) => each.cloud)).toEqual(['sim']);
    expect(answer.failures).toMatchObject([{ cloud: 'broken', error: { name: 'ConfigurationError' } }]);
    const clouds = await run(['clouds', '--config', config]);
    expect(clouds.stdout).toMatch(/broken .*NOT CONFIGURED: .*HCLOUD_TOKEN/);
  });

  it('reads the config from the XDG config dir, and still from the old ~/.polycloud', async () => {
    const xdg = join(home, 'xdg');
    mkdirSync(join(xdg, 'polycloud'), { recursive: true });
    writeFileSync(join(xdg, 'polycloud', 'config.yaml'), 'clouds:\n  from-xdg:\n    provider: local\n');
    const fromXdg = await run(['clouds', '--json'], { XDG_CONFIG_HOME: xdg });
    expect(JSON.parse(fromXdg.stdout)).toMatchObject({ simulator: false, clouds: [{ name: 'from-xdg', provider: 'local' }] });

    const oldHome = join(home, 'old-home');
    mkdirSync(join(oldHome, '.polycloud'), { recursive: true });
    writeFileSync(join(oldHome, '.polycloud', 'config.json'), JSON.stringify({ clouds: { 'from-old': { provider: 'local' } } }));
    const fromOld = await run(['clouds', '--json'], { HOME: oldHome });
    expect(JSON.parse(fromOld.stdout).clouds).toMatchObject([{ name: 'from-old' }]);
  });

  it('finds AWS through ~/.aws/credentials as the SDK does, and says why', async () => {
    const awsHome = join(home, 'aws-home');
    mkdirSync(join(awsHome, '.aws'), { recursive: true });
    writeFileSync(
      join(awsHome, '.aws', 'credentials'),
      '[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = not-a-real-secret\n',
    );
    const result = await run(['clouds', '--json'], { HOME: awsHome });
    expect(result.code).toBe(0);
    const answer = JSON.parse(result.stdout);
    expect(answer).toMatchObject({ simulator: false, clouds: [{ name: 'aws', provider: 'aws', reason: '~/.aws/credentials' }] });
    expect(result.stdout + result.stderr).not.toContain('not-a-real-secret');
    expect(result.stderr).not.toContain('SIMULATOR');
  });

  it('says loudly on stderr when it falls back to the simulator, and why', async () => {
    const result = await run(['nodes']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('SIMULATOR');
    expect(result.stderr).toContain('no cloud credentials found');
    const clouds = await run(['clouds', '--json']);
    expect(JSON.parse(clouds.stdout)).toMatchObject({ simulator: true, clouds: [{ name: 'local', provider: 'local' }] });
  });
});

describe('polycloud completion', () => {
  it('completes commands and their options in bash', async () => {
    const script = await run(['completion', 'bash']);
    expect(script.code).toBe(0);
    const path = join(home, 'completion.bash');
    writeFileSync(path, script.stdout);
    const { execFileSync } = await import('node:child_process');
    const complete = (words: string[]) =>
      execFileSync(
        'bash',
        [
          '-c',
          `source ${path}; COMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _polycloud; echo "\${COMPREPLY[@]}"`,
        ],
        {
          encoding: 'utf8',
        },
      ).trim();
    expect(complete(['polycloud', 'st']).split(' ').sort()).toEqual(['start', 'stop']);
    expect(complete(['polycloud', 'nodes', '--st'])).toBe('--state');
    expect(complete(['polycloud', 'destroy', '--y'])).toBe('--yes');
  });

  it.each(['zsh', 'fish'])('prints a %s script naming every command', async (shell) => {
    const script = await run(['completion', shell]);
    expect(script.code).toBe(0);
    for (const command of ['nodes', 'sizes', 'create', 'get', 'start', 'stop', 'destroy', 'completion'])
      expect(script.stdout).toContain(command);
  });

  it('exits 2 for an unknown shell', async () => {
    expect((await run(['completion', 'tcsh'])).code).toBe(2);
  });
});
