/**
 * Compute Engine nodes on a project's own (custom) image, over the Compute fake: the boot disk of
 * an imported custom image has no OS license, so the launch spec reads the disk and the image it
 * was made from. An image whose family names its OS is matched by OS family, version and arch;
 * one that says nothing about its OS leaves the node unmatched, with the image and the reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import type { Node } from '../../src/core/types.js';
import { MultiCloud } from '../../src/multicloud/index.js';
import { createLocalDriver } from '../../providers/local/index.js';
import { startGceTestSetup, type GceTestSetup } from '../gce/harness.js';

const WAIT = { intervalMs: 500, maxIntervalMs: 2_000, timeoutMs: 300_000 };
const ZONE = 'europe-west3-a';

describe('Compute custom images in launch specs and plans (Compute fake)', () => {
  let gce: GceTestSetup;
  const nodes: Record<string, Node> = {};
  beforeAll(async () => {
    gce = await startGceTestSetup();
    const ubuntu2404 = (await gce.driver.listImages({ os: 'ubuntu', version: '24.04', arch: 'x86_64' }))[0];
    const images = {
      public: ubuntu2404?.id ?? '',
      hardened: 'projects/polycloud-test/global/images/hardened-web-v3',
      appliance: 'projects/polycloud-test/global/images/appliance-v7',
    };
    for (const [name, image] of Object.entries(images)) {
      const created = await gce.driver.createNode({ name, size: 'e2-medium', image, location: ZONE });
      nodes[name] = await gce.driver.waitForNode(created, 'running', WAIT);
    }
  }, 120_000);
  afterAll(async () => {
    await gce?.close();
  });

  const diskReads = () => gce.fake.served.filter((request) => request.method === 'GET' && /\/disks\//.test(request.path)).length;

  it('reads a public image from the disk license alone, and a custom one from its disk and image', async () => {
    const before = diskReads();
    const spec = await gce.driver.getLaunchSpec?.(nodes.public?.id ?? '');
    expect(spec?.image).toMatchObject({ os: { family: 'ubuntu', version: '24.04' }, arch: 'x86_64' });
    expect(diskReads()).toBe(before);

    const hardened = await gce.driver.getLaunchSpec?.(nodes.hardened?.id ?? '');
    expect(hardened?.image).toMatchObject({
      id: 'projects/polycloud-test/global/images/hardened-web-v3',
      os: { family: 'ubuntu', version: '22.04' },
      arch: 'x86_64',
    });
    const appliance = await gce.driver.getLaunchSpec?.(nodes.appliance?.id ?? '');
    expect(appliance?.image?.id).toBe('projects/polycloud-test/global/images/appliance-v7');
    expect(appliance?.image?.os).toBeUndefined();
    expect(appliance?.image?.name).toMatch(/does not say its OS/);
    expect(diskReads()).toBe(before + 2);
  });

  it('plans the custom image with a known OS, and reports the other unmatched with the image and why', async () => {
    const local = createLocalDriver({ preset: 'budget', clock: new VirtualClock() });
    const multi = new MultiCloud({ drivers: { gce: gce.driver, local } });
    const inventory = await multi.takeInventory({ clouds: ['gce'] });
    const plan = await multi.planMigration({ from: 'gce', to: 'local', inventory: JSON.parse(JSON.stringify(inventory)) });
    const target = Object.fromEntries(plan.steps.map((step) => [step.source.name, step.target.image]));
    expect(Object.keys(target).sort()).toEqual(['hardened', 'public']);
    expect(target.hardened?.os).toEqual({ family: 'ubuntu', version: '22.04' });
    expect(target.hardened?.arch).toBe('x86_64');
    expect(target.public?.os).toEqual({ family: 'ubuntu', version: '24.04' });
    expect(plan.unmatched).toHaveLength(1);
    expect(plan.unmatched[0]?.source.name).toBe('appliance');
    expect(plan.unmatched[0]?.reason).toMatch(/projects\/polycloud-test\/global\/images\/appliance-v7 has no known OS/);
    expect(plan.unmatched[0]?.reason).toMatch(/no OS license/);
  }, 120_000);
});
