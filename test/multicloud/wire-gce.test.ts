/**
 * Migration from the local provider to Compute Engine over its wire-level fake: labels refuse
 * ':' and '/', so the migration facts travel in their portable spelling; asserting on what
 * reached the server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MultiCloud, PORTABLE_MIGRATED_FROM_TAG, PORTABLE_MIGRATION_KEY_TAG } from '../../src/multicloud/index.js';
import { createLocalDriver } from '../../providers/local/index.js';
import { startGceTestSetup, type GceTestSetup } from '../gce/harness.js';

let gce: GceTestSetup | undefined;

afterEach(async () => {
  await gce?.close();
  gce = undefined;
});

describe('migration over the wire: local → Compute Engine fake', () => {
  it('places by country, creates each instance once with valid labels, and finds them again on a re-run', async () => {
    gce = await startGceTestSetup();
    const local = createLocalDriver({ clock: gce.clock, idPrefix: 'src-' });
    const multi = new MultiCloud({ drivers: { local, gce: gce.driver } });
    const node = await local.waitForNode(
      await local.createNode({ name: 'web-1', size: 's-2vcpu-4gb', image: 'ubuntu-24.04-x64', location: 'fra1', tags: { app: 'shop' } }),
      'running',
    );

    const plan = await multi.planMigration({ from: 'local', to: 'gce' });
    expect(plan.unmatched).toEqual([]);
    const [step] = plan.steps;
    expect(step?.target.location.country).toBe('DE');
    expect(step?.target.size.vcpus).toBeGreaterThanOrEqual(2);
    expect(step?.target.size.memoryGiB).toBeGreaterThanOrEqual(4);
    expect(step?.target.image.os).toEqual({ family: 'ubuntu', version: '24.04' });

    const report = await multi.migrate(plan, { cleanupSource: true, wait: { intervalMs: 500, timeoutMs: 300_000 } });
    expect(report).toMatchObject({ migrated: 1, failed: 0, created: 1, sourcesDestroyed: 1 });

    const inserts = gce.fake.requests.filter((request) => request.method === 'POST' && /\/instances(\?|$)/.test(request.url));
    expect(inserts).toHaveLength(1);
    const body = JSON.parse(inserts[0]?.body ?? '{}') as { labels?: Record<string, string> };
    expect(body.labels?.[PORTABLE_MIGRATED_FROM_TAG]).toBe(`local-${node.id}`);
    expect(body.labels?.[PORTABLE_MIGRATION_KEY_TAG]).toBe(step?.target.idempotencyKey);
    expect(body.labels?.app).toBe('shop');

    const again = await multi.migrate(plan, { cleanupSource: true, wait: { intervalMs: 500, timeoutMs: 300_000 } });
    expect(again).toMatchObject({ migrated: 1, created: 0 });
    expect(gce.fake.requests.filter((request) => request.method === 'POST' && /\/instances(\?|$)/.test(request.url))).toHaveLength(1);
  });
});
