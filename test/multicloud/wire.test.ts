/**
 * Migration between real drivers over their wire-level fakes: DigitalOcean (USD, tags) to Hetzner
 * (EUR, labels that refuse ':' and '/'), asserting on what reached each server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MultiCloud, PORTABLE_MIGRATED_FROM_TAG, PORTABLE_MIGRATION_KEY_TAG } from '../../src/multicloud/index.js';
import type { Node } from '../../src/core/types.js';
import { DIGITALOCEAN_FAKE_WAIT, startDigitalOceanHarness, type DigitalOceanHarness } from '../digitalocean/harness.js';
import { startHetznerHarness, type HetznerHarness } from '../hetzner/harness.js';

let source: DigitalOceanHarness | undefined;
let target: HetznerHarness | undefined;

afterEach(async () => {
  await source?.close();
  await target?.close();
  source = target = undefined;
});

async function setup() {
  source = await startDigitalOceanHarness();
  target = await startHetznerHarness();
  const multi = new MultiCloud({ drivers: { 'do-prod': source.driver, hetzner: target.driver } });
  const nodes: Node[] = [];
  for (const [name, region] of [
    ['web-1', 'fra1'],
    ['web-2', 'nyc1'],
  ] as const) {
    const node = await source.driver.createNode({
      name,
      size: 's-2vcpu-4gb',
      image: 'ubuntu-24-04-x64',
      location: region,
      tags: { app: 'shop' },
    });
    nodes.push(await source.driver.waitForNode(node, 'running', DIGITALOCEAN_FAKE_WAIT));
  }
  return { multi, nodes, source, target };
}

const creates = (harness: HetznerHarness) =>
  harness.fake.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/servers'));
const deletes = (harness: DigitalOceanHarness) =>
  harness.fake.requests.filter((request) => request.method === 'DELETE' && /\/v2\/droplets\/\d+$/.test(request.path));

describe('migration over the wire: DigitalOcean fake → Hetzner fake', () => {
  it('plans by country and price in each currency, creates each target once with portable labels, then removes the sources', async () => {
    const { multi, nodes, source, target } = await setup();
    const plan = await multi.planMigration({ from: 'do-prod', to: 'hetzner', filter: { tags: { app: 'shop' } } });
    expect(plan.unmatched).toEqual([]);
    const byName = Object.fromEntries(plan.steps.map((step) => [step.source.name, step.target]));
    expect(byName['web-1']?.location.country).toBe('DE');
    expect(byName['web-2']?.location.country).toBe('US');
    expect(byName['web-1']?.image.os).toEqual({ family: 'ubuntu', version: '24.04' });
    expect(Object.keys(plan.cost.before.hourly)).toEqual(['USD']);
    expect(Object.keys(plan.cost.after.hourly)).toEqual(['EUR']);
    expect(plan.cost.hourlyChange).toBeNull();

    const report = await multi.migrate(plan, { cleanupSource: true, wait: { intervalMs: 250, timeoutMs: 120_000 } });
    expect(report).toMatchObject({ migrated: 2, failed: 0, created: 2, sourcesDestroyed: 2 });

    // What reached Hetzner: one create per node, with the migration facts as valid labels.
    const sent = creates(target).map((request) => JSON.parse(request.body) as { name: string; labels: Record<string, string> });
    expect(sent).toHaveLength(2);
    for (const body of sent) {
      const from = nodes.find((node) => node.name === body.name);
      expect(body.labels[PORTABLE_MIGRATED_FROM_TAG]).toBe(`digitalocean-${from?.id}`);
      expect(body.labels[PORTABLE_MIGRATION_KEY_TAG]).toMatch(/^[0-9a-f-]{36}$/);
      expect(body.labels.app).toBe('shop');
    }
    expect(target.fake.violations).toEqual([]);
    // What reached DigitalOcean: one delete per source.
    expect(
      deletes(source)
        .map((request) => request.path.split('/').pop())
        .sort(),
    ).toEqual(nodes.map((node) => node.id).sort());
    expect(source.fake.violations).toEqual([]);
  });

  it('keeps the sources through a DigitalOcean outage and finishes on a re-run without a second create', async () => {
    const { multi, source, target } = await setup();
    const plan = await multi.planMigration({ from: 'do-prod', to: 'hetzner' });
    source.fake.cloud.faults.set({ outage: true });
    const during = await multi.migrate(plan, { cleanupSource: true, wait: { intervalMs: 250, timeoutMs: 120_000 } });
    expect(during).toMatchObject({ migrated: 0, failed: 2, created: 2, sourcesDestroyed: 0 });
    expect(during.results.every((result) => result.phase === 'cleanup' && result.target?.node.state === 'running')).toBe(true);
    // The deletes reached DigitalOcean and failed there; every source still runs.
    expect(source.fake.cloud.peekNodes().map((node) => node.state)).toEqual(['running', 'running']);

    source.fake.cloud.faults.clear();
    const after = await multi.migrate(plan, { cleanupSource: true, wait: { intervalMs: 250, timeoutMs: 120_000 } });
    expect(after).toMatchObject({ migrated: 2, failed: 0, created: 0, sourcesDestroyed: 2 });
    expect(creates(target)).toHaveLength(2);
    expect(source.fake.cloud.peekNodes().every((node) => node.state === 'terminating' || node.state === 'terminated')).toBe(true);
  });
});
