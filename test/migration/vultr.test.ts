/**
 * Migration with Vultr at either end, over the Vultr fake: local → vultr (keys, user data and tags
 * arrive; Vultr's generated root password is reported once, as a Secret) and vultr → local (the
 * replacements move back with the key and user data read from Vultr, Vultr's instances are deleted). Each run repeated creates nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Node } from '../../src/core/types.js';
import { MultiCloud } from '../../src/multicloud/index.js';
import { createLocalDriver, type LocalDriver } from '../../providers/local/index.js';
import { startVultrHarness, type VultrHarness } from '../vultr/harness.js';
import { SSH_KEY, STANDARD_WITH_OLD_BUILD, USER_DATA } from './helpers.js';

const LOCAL_WAIT = { intervalMs: 5, timeoutMs: 60_000 };
const VULTR_WAIT = { intervalMs: 500, maxIntervalMs: 2_000, timeoutMs: 300_000 };
const KEY_BLOB = SSH_KEY.split(' ').slice(0, 2).join(' ');

let vultr: VultrHarness;
let local: LocalDriver;
/** The Vultr replacements of the first migration, moved back by the second. */
let onVultr: Node[] = [];

beforeAll(async () => {
  vultr = await startVultrHarness();
  local = createLocalDriver({ catalog: STANDARD_WITH_OLD_BUILD, idPrefix: 'loc-', timings: { boot: 5, terminate: 5 } });
});

afterAll(async () => {
  await vultr?.close();
});

describe('migration with vultr', () => {
  it('local → vultr: a like-for-like plan, keys, user data and tags on the wire, the root password reported once', async () => {
    const sources = await Promise.all(
      [
        { name: 'shop-web', location: 'fra1' },
        { name: 'shop-api', location: 'nyc1' },
      ].map(async ({ name, location }) =>
        local.waitForNode(
          await local.createNode({
            name,
            size: 's-1vcpu-1gb',
            image: 'ubuntu-24.04-x64',
            location,
            tags: { app: 'shop' },
            sshKeys: [SSH_KEY],
            userData: USER_DATA,
          }),
          'running',
          LOCAL_WAIT,
        ),
      ),
    );
    const multi = new MultiCloud({ drivers: { local, vultr: vultr.driver }, timeoutMs: 120_000 });
    const plan = await multi.planMigration({ from: 'local', to: 'vultr', filter: { tags: { app: 'shop' } } });
    expect(plan.unmatched).toEqual([]);
    expect(plan.steps).toHaveLength(2);
    for (const step of plan.steps) {
      const source = sources.find((node) => node.id === step.source.id)!;
      // Same country, an Ubuntu 24.04 image, a priced plan.
      expect(step.target.location.country).toBe(source.location.country);
      expect(step.target.image.os).toEqual({ family: 'ubuntu', version: '24.04' });
      expect(step.target.image.id).toBe('2284');
      expect(step.target.size.price?.currency).toBe('USD');
      expect(step.target.launch).toMatchObject({ sshKeys: [SSH_KEY], userData: USER_DATA });
      // The migration's own tags are spelled as Vultr takes them (no ":" in a key), so a re-run finds them.
      expect(Object.keys(step.target.tags).filter((key) => key.includes(':'))).toEqual([]);
    }

    const report = await multi.migrate(JSON.parse(JSON.stringify(plan)), { cleanupSource: true, wait: VULTR_WAIT });
    expect(report.results.filter((result) => result.status !== 'migrated')).toEqual([]);
    expect(report).toMatchObject({ migrated: 2, created: 2, sourcesDestroyed: 2 });
    onVultr = report.results.map((result) => result.target?.node as Node);
    for (const node of onVultr) {
      const received = vultr.fake.created.get(node.id);
      expect(received?.sshKeys.map((key) => key.split(' ').slice(0, 2).join(' '))).toEqual([KEY_BLOB]);
      expect(received?.userData).toBe(USER_DATA);
      expect((received?.body.tags as string[]) ?? []).toContain('app:shop');
      expect(node.tags.app).toBe('shop');
    }
    // Vultr generated each root password: the report carries it once, as a Secret, and never in JSON.
    for (const result of report.results) {
      const password = vultr.fake.created.get(result.target!.node.id)!.password;
      expect(result.credentials?.rootPassword?.reveal()).toBe(password);
      expect(JSON.stringify(report)).not.toContain(password);
    }
    expect(await local.listNodes({ tags: { app: 'shop' }, states: ['running'] })).toEqual([]);

    const again = await multi.migrate(plan, { wait: VULTR_WAIT });
    expect(again).toMatchObject({ migrated: 2, created: 0 });
    expect(vultr.fake.created.size).toBe(2);
    expect(vultr.fake.violations).toEqual([]);
  }, 600_000);

  it('vultr → local: the replacements move back with the key and user data read from Vultr, and Vultr’s instances are deleted', async () => {
    expect(onVultr).toHaveLength(2);
    const multi = new MultiCloud({ drivers: { vultr: vultr.driver, local }, timeoutMs: 120_000 });
    // No launch given: Vultr's launch spec gives each instance's user data and the key polycloud marked it with.
    const plan = await multi.planMigration({ from: 'vultr', to: 'local', filter: { tags: { app: 'shop' } } });
    expect(plan.unmatched).toEqual([]);
    expect(plan.steps.map((step) => step.source.id).sort()).toEqual(onVultr.map((node) => node.id).sort());
    for (const step of plan.steps) {
      expect(step.target.launch).toMatchObject({ userData: USER_DATA, userDataFrom: 'source', sshKeysFrom: 'source' });
      expect(step.target.launch?.sshKeys.map((key) => key.split(' ').slice(0, 2).join(' '))).toEqual([KEY_BLOB]);
      expect(step.target.image.os).toEqual({ family: 'ubuntu', version: '24.04' });
    }
    const userDataReads = vultr.fake.requests.filter((request) => request.method === 'GET' && request.path.endsWith('/user-data'));
    expect(userDataReads.map((request) => request.path.split('/')[3]).sort()).toEqual(onVultr.map((node) => node.id).sort());

    const report = await multi.migrate(plan, { cleanupSource: true, wait: LOCAL_WAIT });
    expect(report.results.filter((result) => result.status !== 'migrated')).toEqual([]);
    expect(report).toMatchObject({ migrated: 2, created: 2, sourcesDestroyed: 2 });
    for (const result of report.results) {
      const record = local.cloud.peekNodes().find((node) => node.id === result.target?.node.id);
      expect(record?.sshKeys.map((key) => key.split(' ').slice(0, 2).join(' '))).toContain(KEY_BLOB);
      expect(record?.userData).toBe(USER_DATA);
      expect(record?.tags.app).toBe('shop');
    }
    expect(await vultr.driver.listNodes({ tags: { app: 'shop' } })).toEqual([]);
    const deletes = vultr.fake.requests.filter((request) => request.method === 'DELETE' && request.path.startsWith('/v2/instances/'));
    expect(deletes.map((request) => request.path.split('/').pop()).sort()).toEqual(onVultr.map((node) => node.id).sort());

    const again = await multi.migrate(plan, { wait: LOCAL_WAIT });
    expect(again).toMatchObject({ migrated: 2, created: 0 });
    expect(vultr.fake.violations).toEqual([]);
    expect(vultr.fake.responseViolations).toEqual([]);
  }, 600_000);
});
