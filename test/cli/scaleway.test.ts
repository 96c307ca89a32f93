/**
 * The CLI reaches the `scaleway` provider by name: a config file's `scaleway` cloud (typed option
 * keys, a typo refused with a hint) lists the nodes of a Scaleway fake over the wire, and a
 * `scaleway` cloud without credentials is reported NOT CONFIGURED naming the SCW_* variables.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScalewayHarness, type ScalewayHarness } from '../scaleway/harness.js';
import { polycloud } from './run.js';

/** No SCW_* variable of the machine leaks into the child. */
const NO_SCW = { SCW_SECRET_KEY: '', SCW_DEFAULT_PROJECT_ID: '', SCW_DEFAULT_ZONE: '', SCW_API_URL: '' };

describe('cli: scaleway', () => {
  let home: string;
  let harness: ScalewayHarness;
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'polycloud-cli-scw-'));
    harness = await startScalewayHarness();
  });
  afterAll(async () => {
    await harness.close();
    rmSync(home, { recursive: true, force: true });
  });

  const config = (name: string, options: Record<string, unknown>) => {
    const path = join(home, `${name}.json`);
    writeFileSync(path, JSON.stringify({ clouds: { scw: { provider: 'scaleway', options } } }));
    return path;
  };

  it('lists a Scaleway cloud from the config file over the wire', async () => {
    const node = await harness.driver.createNode({ name: 'cli-1', size: 'DEV1-S', image: 'ubuntu_noble', location: 'nl-ams-1' });
    const path = config('ok', {
      token: harness.fake.token,
      projectId: harness.fake.projectId,
      endpoint: harness.fake.url,
      zone: 'fr-par-1',
      zones: ['fr-par-1', 'nl-ams-1'],
    });
    const result = await polycloud(home, ['nodes', '--config', path, '--json'], NO_SCW);
    expect(result.code, result.stderr).toBe(0);
    const answer = JSON.parse(result.stdout) as { nodes: { cloud: string; node: { id: string } }[] };
    expect(answer.nodes.map((each) => [each.cloud, each.node.id])).toEqual([['scw', node.id]]);
    expect(result.stdout + result.stderr).not.toContain(harness.fake.token);
    await harness.driver.destroyNode(node);
  });

  it('refuses a typo among the scaleway options with a hint, and names the SCW_* variables when unconfigured', async () => {
    const typo = await polycloud(home, ['nodes', '--config', config('typo', { projectid: 'x' })], NO_SCW);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('did you mean "projectId"');
    const clouds = await polycloud(home, ['clouds', '--config', config('bare', {})], NO_SCW);
    expect(clouds.stdout).toMatch(/scw .*NOT CONFIGURED: .*SCW_SECRET_KEY.*SCW_DEFAULT_PROJECT_ID.*SCW_DEFAULT_ZONE/);
  });
});
