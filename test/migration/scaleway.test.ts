/**
 * Migration with Scaleway, both ways, over the Scaleway wire fake: local → scaleway and
 * scaleway → local. The plan picks a Scaleway zone, a server type and a marketplace image for
 * each source node; running it creates each replacement once (a re-run creates nothing), carries
 * the tags and user data, registers the SSH key in IAM, and destroys the sources. Back from
 * Scaleway, the user data is read from each server (its keys are the project's: given in the plan).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MultiCloud } from '../../src/multicloud/index.js';
import { createLocalDriver, type LocalDriver } from '../../providers/local/index.js';
import { startScalewayHarness, type ScalewayHarness } from '../scaleway/harness.js';
import { SSH_KEY, USER_DATA } from './helpers.js';

const WAIT = { intervalMs: 100, timeoutMs: 120_000 };

describe('migration with scaleway', () => {
  let harness: ScalewayHarness;
  let local: LocalDriver;
  beforeAll(async () => {
    harness = await startScalewayHarness();
    local = createLocalDriver({ clock: harness.clock, idPrefix: 'loc-' });
  });
  afterAll(() => harness.close());

  it('local → scaleway: a zone, server type and marketplace image per node; each replacement made once', async () => {
    const sources = await Promise.all(
      ['web-1', 'web-2'].map(async (name) =>
        local.waitForNode(
          await local.createNode({
            name,
            size: 's-2vcpu-4gb',
            image: 'ubuntu-24.04-x64',
            location: 'fra1',
            tags: { app: 'shop' },
            sshKeys: [SSH_KEY],
            userData: USER_DATA,
          }),
          'running',
        ),
      ),
    );
    const multi = new MultiCloud({ drivers: { local, scaleway: harness.driver } });
    const plan = await multi.planMigration({ from: 'local', to: 'scaleway' });
    expect(plan.unmatched).toEqual([]);
    expect(plan.steps).toHaveLength(2);
    for (const step of plan.steps) {
      expect(step.target.location.id).toMatch(/^[a-z]{2}-[a-z]{3}-\d$/);
      expect(step.target.image.os).toEqual({ family: 'ubuntu', version: '24.04' });
      expect(step.target.size.vcpus).toBeGreaterThanOrEqual(2);
      expect(step.target.size.price?.currency).toBe('EUR');
    }
    const report = await multi.migrate(JSON.parse(JSON.stringify(plan)), { cleanupSource: true, wait: WAIT });
    expect(report.results.filter((result) => result.status !== 'migrated')).toEqual([]);
    expect(report).toMatchObject({ migrated: 2, created: 2, sourcesDestroyed: 2 });
    const replacements = report.results.map((result) => result.target?.node);
    for (const node of replacements) {
      expect(node?.id).toMatch(/^[a-z]{2}-[a-z]{3}-\d\/[0-9a-f-]{36}$/);
      expect(node?.tags.app).toBe('shop');
      expect(harness.fake.userDataOf(node!.id, 'cloud-init')).toBe(USER_DATA);
    }
    // The key went to IAM for the project, once.
    expect((await harness.driver.listKeyPairs()).map((key) => key.publicKey?.split(' ').slice(0, 2).join(' '))).toEqual([
      SSH_KEY.split(' ').slice(0, 2).join(' '),
    ]);
    expect(await multi.migrate(plan, { wait: WAIT })).toMatchObject({ migrated: 2, created: 0 });
    const live = (await local.listNodes({ states: ['pending', 'running', 'stopped'] })).map((node) => node.id);
    for (const source of sources) expect(live).not.toContain(source.id);
  }, 120_000);

  it('scaleway → local: the Scaleway nodes move to the simulated cloud and are destroyed after', async () => {
    const scw = await harness.driver.listNodes({ tags: { app: 'shop' } });
    expect(scw).toHaveLength(2);
    const multi = new MultiCloud({ drivers: { scaleway: harness.driver, local } });
    const plan = await multi.planMigration({
      from: 'scaleway',
      to: 'local',
      filter: { tags: { app: 'shop' } },
      launch: { sshKeys: [SSH_KEY] },
    });
    expect(plan.unmatched).toEqual([]);
    expect(plan.steps.map((step) => step.source.id).sort()).toEqual(scw.map((node) => node.id).sort());
    // The user data is each server's own (read back from Scaleway); the key is the plan's.
    for (const step of plan.steps)
      expect(step.target.launch).toMatchObject({ userData: USER_DATA, userDataFrom: 'source', sshKeys: [SSH_KEY], sshKeysFrom: 'request' });
    const report = await multi.migrate(JSON.parse(JSON.stringify(plan)), { cleanupSource: true, wait: WAIT });
    expect(report.results.filter((result) => result.status !== 'migrated')).toEqual([]);
    expect(report).toMatchObject({ migrated: 2, created: 2, sourcesDestroyed: 2 });
    for (const result of report.results) {
      expect(result.target?.node.provider).toBe('local');
      expect(local.cloud.peekNodes().find((node) => node.id === result.target?.node.id)?.userData).toBe(USER_DATA);
    }
    expect(harness.fake.serverIds()).toEqual([]);
    expect(harness.fake.volumeIds()).toEqual([]);
    expect(harness.fake.violations).toEqual([]);
  }, 120_000);
});
