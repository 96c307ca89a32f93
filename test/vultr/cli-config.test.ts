/**
 * The CLI reaches the vultr provider: a config file entry `"provider": "vultr"` with its options,
 * a typo in those options refused by name, and `VULTR_API_KEY` in the environment detected.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectClouds } from '../../src/cli/detect.js';
import { loadClouds } from '../../src/cli/config.js';
import { isConfigurationError } from '../../src/core/errors.js';
import { rejectionOf } from '../conformance/suite.js';
import { startVultrFake, type VultrFake } from '../fakes/vultr/index.js';

let fake: VultrFake;
let directory: string;

beforeEach(async () => {
  fake = await startVultrFake();
  directory = mkdtempSync(join(tmpdir(), 'polycloud-vultr-cli-'));
});

afterEach(async () => {
  rmSync(directory, { recursive: true, force: true });
  await fake.close();
});

function config(options: Record<string, unknown>): string {
  const path = join(directory, 'config.json');
  writeFileSync(path, JSON.stringify({ clouds: { 'my-vultr': { provider: 'vultr', options } } }));
  return path;
}

describe('vultr in the CLI', () => {
  it('creates the driver from a config file entry, with its options', async () => {
    const loaded = await loadClouds(config({ endpoint: fake.url, token: fake.token, catalogTtlMs: 60_000, pageSize: 100 }), {});
    const driver = loaded.drivers['my-vultr'];
    expect(driver?.provider).toBe('vultr');
    expect((await driver!.listLocations()).map((location) => location.id)).toContain('fra');
    // `pageSize` is the node listings' page.
    expect(await driver!.listNodes()).toEqual([]);
    expect(fake.requests.at(-1)?.path).toBe('/v2/instances');
    expect(fake.requests.at(-1)?.query.get('per_page')).toBe('100');
  });

  it('refuses an option the vultr driver does not have, naming it', async () => {
    const error = await rejectionOf(loadClouds(config({ endpoint: fake.url, token: fake.token, catalogTtl: 5 }), {}));
    expect(isConfigurationError(error)).toBe(true);
    expect((error as Error).message).toContain('catalogTtl');
    expect(fake.requests).toEqual([]);
  });

  it('finds Vultr credentials in VULTR_API_KEY', () => {
    expect(detectClouds({ VULTR_API_KEY: 'x' }, directory)).toContainEqual({ provider: 'vultr', reason: 'VULTR_API_KEY' });
    expect(detectClouds({}, directory).map((cloud) => cloud.provider)).not.toContain('vultr');
  });
});
