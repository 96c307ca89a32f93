/**
 * `npm run docs` passes: TypeDoc converts every entry point with the project's typedoc.json
 * (validation on, warnings are errors), and names each module by the specifier a user imports
 * (`polycloud`, `polycloud/kit`, `polycloud/providers/aws`, …), never by its folder.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'polycloud-docs-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** The import specifiers the package's `exports` map offers, with `./providers/*` expanded. */
function specifiers(): string[] {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
  const providers = readdirSync(join(root, 'providers'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `polycloud/providers/${entry.name}`);
  const plain = Object.keys(manifest.exports)
    .filter((key) => !key.includes('*') && key !== './package.json')
    .map((key) => (key === '.' ? 'polycloud' : `polycloud/${key.slice(2)}`));
  return [...plain, ...providers].sort();
}

describe('npm run docs', () => {
  it('passes TypeDoc validation with the project options, modules named by import specifier', async () => {
    const json = join(out, 'api.json');
    // The project's own options; only the output differs (JSON in a temp dir, no HTML).
    const run = await promisify(execFile)(join(root, 'node_modules', '.bin', 'typedoc'), ['--json', json], {
      cwd: root,
      timeout: 900_000,
      maxBuffer: 64 * 1024 * 1024,
    }).catch((error: { code?: number; stdout?: string; stderr?: string }) => ({
      stdout: error.stdout ?? '',
      stderr: `${error.stderr ?? ''}\n(exit ${String(error.code)})`,
    }));
    expect(`${run.stdout}\n${run.stderr}`).not.toMatch(/\[(warning|error)\]/);
    const project = JSON.parse(readFileSync(json, 'utf8')) as { children?: { name: string }[] };
    expect((project.children ?? []).map((child) => child.name).sort()).toEqual(specifiers());
  }, 900_000);
});
