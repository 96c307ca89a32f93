import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createDriver, isInvalidRequestError } from '../../src/index.js';
import { rejectionOf } from '../conformance/suite.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('package', () => {
  it('creates the local provider when nothing is configured', async () => {
    const driver = await createDriver();
    expect(driver.provider).toBe('local');
    expect((await driver.listLocations()).length).toBeGreaterThanOrEqual(4);
  });

  it('rejects an unknown provider name, naming the argument', async () => {
    const error = await rejectionOf(createDriver('nimbus' as 'local'));
    expect(isInvalidRequestError(error)).toBe(true);
    expect((error as Error).message).toContain('"name"');
  });

  it('declares ESM, Node 22.12+, no side effects, the bin and exports for the core and every provider', () => {
    const manifest = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
    expect(manifest.type).toBe('module');
    expect(manifest.engines.node).toBe('>=22.12');
    expect(manifest.sideEffects).toBe(false);
    expect(manifest.bin.polycloud).toBe('./dist/src/cli/main.js');
    expect(Object.keys(manifest.exports)).toEqual(expect.arrayContaining(['.', './providers/*']));
    expect(manifest.peerDependenciesMeta['@aws-sdk/client-ec2'].optional).toBe(true);
    expect(manifest.peerDependenciesMeta['@google-cloud/compute'].optional).toBe(true);
  });

  it('loads no cloud SDK and no provider module on import("polycloud")', () => {
    expect(existsSync(`${root}/dist/src/index.js`), 'run `npm run build` first (npm test does)').toBe(true);
    const script = `
      import { registerHooks } from 'node:module';
      const loaded = [];
      registerHooks({ resolve(specifier, context, next) { loaded.push(specifier); return next(specifier, context); } });
      const polycloud = await import('polycloud');
      if (typeof polycloud.createDriver !== 'function') throw new Error('createDriver missing');
      console.log(JSON.stringify(loaded));
    `;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    const loaded: string[] = JSON.parse(output.trim().split('\n').pop() ?? '[]');
    expect(loaded).toContain('polycloud');
    expect(loaded.filter((specifier) => /@aws-sdk|@google-cloud|@azure|google-gax|google-auth-library|axios/.test(specifier))).toEqual([]);
    // The built-in providers are registered by descriptor; their modules load on createDriver only.
    expect(loaded.filter((specifier) => /providers\//.test(specifier))).toEqual([]);
  });
});
