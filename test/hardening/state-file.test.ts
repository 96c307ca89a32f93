/**
 * The local provider's state file under concurrent processes and hostile content (issue 18): no
 * lost update and no id given twice across processes, every record validated with an error naming
 * it, ids derived from what is stored, symlinks followed.
 */
import { spawn } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isCloudError, type CloudError } from '../../src/core/errors.js';
import { createLocalDriver } from '../../providers/local/index.js';
import { writeFigure } from './figures.js';

const CHILD = fileURLToPath(new URL('./state-child.ts', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'polycloud-state-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const request = { size: 's-2vcpu-4gb', image: 'ubuntu-24.04-x64', location: 'fra1' } as const;

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function failureOf(promise: Promise<unknown>): Promise<CloudError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isCloudError(error), String(error)).toBe(true);
  return error as CloudError;
}

describe('state file shared by processes', () => {
  it('two processes creating 40 nodes each while a third lists keep all 80, and no id is given twice', async () => {
    const stateFile = join(folder, 'shared.json');
    const [a, b, lister] = await Promise.all([
      run(['create', '40', stateFile, 'a']),
      run(['create', '40', stateFile, 'b']),
      run(['list', '30', stateFile, 'l']),
    ]);
    for (const child of [a, b, lister]) expect(child.code, child.stderr).toBe(0);
    const given = [...(JSON.parse(a.stdout) as string[]), ...(JSON.parse(b.stdout) as string[])];
    expect(given).toHaveLength(80);
    expect(new Set(given).size).toBe(80);
    const stored = JSON.parse(readFileSync(stateFile, 'utf8')) as { nodes: { id: string; name: string }[] };
    expect(stored.nodes.map((node) => node.id).sort()).toEqual([...given].sort());
    const listings = JSON.parse(lister.stdout) as number[];
    // A listing sees the state before or after each change, never a half-written file.
    expect(listings.every((count) => count >= 0 && count <= 80)).toBe(true);
    writeFigure('stateFile', { processes: 3, createsSent: 80, nodesKept: stored.nodes.length, distinctIds: new Set(given).size });
  });
});

describe('state file content', () => {
  it.each([
    ['a null record', { version: 1, counter: 0, nodes: [null], idempotency: {} }, 'nodes[0]'],
    ['a record without fields', { version: 1, counter: 0, nodes: [{}], idempotency: {} }, 'nodes[0]'],
    [
      'a record with a bad state',
      {
        version: 1,
        counter: 1,
        nodes: [
          { id: 'node-000001', name: 'x', sizeId: 's', imageId: 'i', locationId: 'fra1', tags: {}, sshKeys: [], createdAt: 0 },
          { id: 'node-000002', state: 'exploded' },
        ],
        idempotency: {},
      },
      'nodes[0]',
    ],
    ['a number instead of a state', 42, 'not a polycloud simulator state'],
  ])('%s gives one CloudError naming the record, for every operation', async (_what, content, named) => {
    const stateFile = join(folder, `bad-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(stateFile, JSON.stringify(content));
    const driver = createLocalDriver({ stateFile });
    for (const call of [
      () => driver.listNodes(),
      () => driver.getNode('node-000001'),
      () => driver.createNode({ name: 'n', ...request }),
    ]) {
      const error = await failureOf(call());
      expect(error.provider).toBe('local');
      expect(error.message).toContain(named);
      expect(error.message).not.toMatch(/TypeError|Cannot read/);
    }
  });

  it('ids come from what is stored: a counter behind the stored ids never overwrites a node', async () => {
    const stateFile = join(folder, 'behind.json');
    const first = createLocalDriver({ stateFile });
    const kept = await first.createNode({ name: 'kept', ...request });
    const stored = JSON.parse(readFileSync(stateFile, 'utf8')) as { counter: number };
    writeFileSync(stateFile, JSON.stringify({ ...stored, counter: 0 }));
    const second = createLocalDriver({ stateFile });
    const added = await second.createNode({ name: 'added', ...request });
    expect(added.id).not.toBe(kept.id);
    expect((await second.getNode(kept.id)).name).toBe('kept');
    expect((await second.listNodes()).map((node) => node.name).sort()).toEqual(['added', 'kept']);
  });

  it('a symlinked state file stays a symlink, and the file it points to holds the state', async () => {
    const real = join(folder, 'real-state.json');
    const link = join(folder, 'linked-state.json');
    symlinkSync(real, link);
    const driver = createLocalDriver({ stateFile: link });
    const node = await driver.createNode({ name: 'linked', ...request });
    await driver.destroyNode(node.id);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    const stored = JSON.parse(readFileSync(real, 'utf8')) as { nodes: { id: string }[] };
    expect(stored.nodes.map((each) => each.id)).toEqual([node.id]);
  });
});
