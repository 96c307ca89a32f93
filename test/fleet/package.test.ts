/**
 * `@dbos-inc/dbos-sdk` is an optional peer: nothing loads it until fleet mode is used, and using
 * fleet mode without it is a ConfigurationError naming the package (checked in child processes
 * with a module resolve hook, on the built package).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

function runScript(body: string): string {
  expect(existsSync(`${root}/dist/src/fleet/index.js`), 'run `npm run build` first (npm test does)').toBe(true);
  const script = `
    import { registerHooks } from 'node:module';
    const loaded = [];
    registerHooks({ resolve(specifier, context, next) {
      loaded.push(specifier);
      if (specifier.startsWith('@dbos-inc/') && process.env.HIDE_DBOS) throw Object.assign(new Error('Cannot find package ' + specifier), { code: 'ERR_MODULE_NOT_FOUND' });
      return next(specifier, context);
    } });
    ${body}
  `;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, HIDE_DBOS: body.includes('HIDE') ? '1' : '' },
  });
}

describe('polycloud/fleet packaging', () => {
  it('is exported as polycloud/fleet, and neither polycloud nor polycloud/fleet loads DBOS on import', () => {
    const output = runScript(`
      const polycloud = await import('polycloud');
      const fleet = await import('polycloud/fleet');
      if (typeof fleet.startFleetMigration !== 'function' || typeof polycloud.MultiCloud !== 'function') throw new Error('exports missing');
      console.log(JSON.stringify(loaded));
    `);
    const loaded: string[] = JSON.parse(output.trim().split('\n').pop() ?? '[]');
    expect(loaded).toEqual(expect.arrayContaining(['polycloud', 'polycloud/fleet']));
    expect(loaded.filter((specifier) => specifier.includes('@dbos-inc'))).toEqual([]);
  });

  it('without @dbos-inc/dbos-sdk, fails with a ConfigurationError naming the package, before touching the database', () => {
    const output = runScript(`
      // HIDE: the resolve hook refuses @dbos-inc/*, as if it were not installed.
      const fleet = await import('polycloud/fleet');
      try {
        await fleet.fleetStatus('postgres://nobody@127.0.0.1:1/none', 'run-1');
        console.log('no error');
      } catch (error) {
        console.log(JSON.stringify({ name: error.name, message: error.message }));
      }
    `);
    const error = JSON.parse(output.trim().split('\n').pop() ?? '{}');
    expect(error.name).toBe('ConfigurationError');
    expect(error.message).toContain('@dbos-inc/dbos-sdk');
  });
});
