/**
 * The journey the migration exists for, on simulated clouds: take an inventory while the source
 * is healthy, save it to disk, lose the source, plan from the file in a fresh process (a fresh
 * `MultiCloud`), run, recover, run again. Order of events is asserted, never timing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Driver } from '../../src/core/driver.js';
import { generatedCredentialsOf } from '../../src/core/launch-spec.js';
import { isProviderUnavailableError, isQuotaError } from '../../src/core/errors.js';
import {
  MIGRATED_FROM_TAG,
  MIGRATION_GENERATION_TAG,
  MIGRATION_KEY_TAG,
  checkInventory,
  type Inventory,
} from '../../src/multicloud/index.js';
import { rootPasswordDigest } from '../../providers/local/launch-spec.js';
import { OLD_UBUNTU_BUILD, SSH_KEY, USER_DATA, counted, launched, live, multiOf, simulatedPair } from './helpers.js';

let directory: string | undefined;
afterEach(() => {
  if (directory) rmSync(directory, { recursive: true, force: true });
  directory = undefined;
});

/** Saves an inventory as a file and reads it back, as `polycloud inventory save` and a later run do. */
function throughDisk(inventory: Inventory): Inventory {
  directory ??= mkdtempSync(join(tmpdir(), 'polycloud-inventory-'));
  const file = join(directory, 'inventory.json');
  writeFileSync(file, JSON.stringify(inventory));
  return checkInventory(JSON.parse(readFileSync(file, 'utf8')));
}

describe('migration from an inventory while the source is down', () => {
  it('plans without one request to the source, keeps every source until its replacement runs, and finishes after recovery', async () => {
    const { source, target } = simulatedPair();
    const web = await launched(source, 'web-1', 'fra1');
    const old = await launched(source, 'web-2', 'nyc1', { image: OLD_UBUNTU_BUILD });
    const db = await launched(source, 'db-1', 'lon1', { image: 'debian-12-x64', tags: { role: 'db' } });
    const sources = [web, old, db];

    const inventory = await multiOf(source, target).takeInventory({ clouds: ['old'] });
    expect(inventory.failures).toEqual([]);
    expect(JSON.parse(JSON.stringify(inventory))).toEqual(inventory);
    expect(inventory.clouds.old?.launchSpecs[web.id]).toMatchObject({ sshKeys: [SSH_KEY], userData: USER_DATA });
    const saved = throughDisk(inventory);

    // The outage: every call to the source fails. A fresh MultiCloud has no cached catalog.
    source.cloud.faults.set({ outage: true });
    const watched = counted(source as Driver);
    const fresh = multiOf(watched.driver, target);
    const plan = await fresh.planMigration({ from: 'old', to: 'new', inventory: saved });
    expect(watched.calls).toEqual([]);
    expect(plan.sourceData).toBe('inventory');
    expect(plan.unmatched).toEqual([]);
    expect(plan.steps.map((step) => step.source.id).sort()).toEqual(sources.map((node) => node.id).sort());
    // Last year's build of Ubuntu 24.04 matches today's Ubuntu 24.04 on the target.
    expect(plan.steps.find((step) => step.source.id === old.id)?.target.image.os).toEqual({ family: 'ubuntu', version: '24.04' });
    for (const step of plan.steps) {
      expect(step.target.launch).toMatchObject({ sshKeys: [SSH_KEY], sshKeysFrom: 'source', userData: USER_DATA, userDataFrom: 'source' });
    }

    // Destroying a source is allowed only when its replacement runs at that moment.
    const destroyedWhileReplacementRan: boolean[] = [];
    const guarded: Driver = {
      ...(watched.driver as Driver),
      destroyNode: async (node, options) => {
        const id = typeof node === 'string' ? node : node.id;
        const replacement = target.cloud.peekNodes().find((each) => each.tags[MIGRATED_FROM_TAG] === `local/${id}`);
        destroyedWhileReplacementRan.push(replacement?.state === 'running');
        return source.destroyNode(node, options);
      },
    };
    const runner = multiOf(guarded, target);
    const during = await runner.migrate(JSON.parse(JSON.stringify(plan)), { cleanupSource: true });
    expect(during).toMatchObject({ migrated: 0, failed: 3, created: 3, sourcesDestroyed: 0 });
    for (const result of during.results) {
      expect(result.phase).toBe('cleanup');
      expect(isProviderUnavailableError(result.error)).toBe(true);
    }
    source.cloud.faults.clear();
    expect(live(source)).toHaveLength(3);

    const after = await runner.migrate(plan, { cleanupSource: true });
    expect(after).toMatchObject({ migrated: 3, failed: 0, created: 0, sourcesDestroyed: 3 });
    expect(live(source)).toEqual([]);
    // Exactly one replacement per source, each with the source's key and user data.
    const replacements = target.cloud.peekNodes();
    expect(replacements).toHaveLength(3);
    expect(new Set(replacements.map((node) => node.tags[MIGRATED_FROM_TAG]))).toEqual(new Set(sources.map((node) => `local/${node.id}`)));
    for (const node of replacements) {
      expect(node.sshKeys).toEqual([SSH_KEY]);
      expect(node.userData).toBe(USER_DATA);
    }
    expect(destroyedWhileReplacementRan).toEqual(expect.arrayContaining([true]));
    expect(destroyedWhileReplacementRan.every(Boolean)).toBe(true);
  });

  it('without the inventory, a fresh MultiCloud cannot plan a source that is down (why the inventory exists)', async () => {
    const { source, target } = simulatedPair();
    await launched(source, 'web-1', 'fra1');
    source.cloud.faults.set({ outage: true });
    await expect(multiOf(source, target).planMigration({ from: 'old', to: 'new' })).rejects.toSatisfy(isProviderUnavailableError);
  });

  it('recreates a replacement destroyed by hand, under the next generation of the key', async () => {
    const { source, target } = simulatedPair();
    const web = await launched(source, 'web-1', 'fra1');
    const multi = multiOf(source, target);
    const plan = await multi.planMigration({ from: 'old', to: 'new' });
    const first = await multi.migrate(plan);
    expect(first).toMatchObject({ migrated: 1, created: 1 });
    const firstNode = first.results[0]?.target?.node;
    await target.destroyNode(firstNode?.id ?? '');
    await target.waitForNode(firstNode?.id ?? '', 'terminated');

    const second = await multi.migrate(plan);
    expect(second).toMatchObject({ migrated: 1, created: 1, failed: 0 });
    expect(second.results[0]?.generation).toBe(2);
    const recreated = second.results[0]?.target?.node;
    expect(recreated?.id).not.toBe(firstNode?.id);
    expect(recreated?.tags[MIGRATION_GENERATION_TAG]).toBe('2');
    expect(recreated?.tags[MIGRATION_KEY_TAG]).not.toBe(plan.steps[0]?.target.idempotencyKey);
    expect(recreated?.tags[MIGRATED_FROM_TAG]).toBe(`local/${web.id}`);

    // A third run finds generation 2 running and creates nothing.
    const third = await multi.migrate(plan);
    expect(third).toMatchObject({ migrated: 1, created: 0 });
    expect(live(target)).toHaveLength(1);
  });

  it('leaves a correct report and a resumable plan when the target runs out of quota mid-way', async () => {
    const { source, target } = simulatedPair({ target: { maxNodes: 3 } });
    for (let index = 0; index < 3; index += 1) await launched(source, `web-${index}`, 'fra1');
    // Someone else's node on the target, with a name the migration also wants: never adopted.
    const stranger = await target.waitForNode(
      await target.createNode({ name: 'web-0', size: 'b2-medium', image: 'ubuntu-24.04-x64', location: 'de-nbg', sshKeys: [SSH_KEY] }),
      'running',
    );
    const multi = multiOf(source, target);
    const plan = JSON.parse(JSON.stringify(await multi.planMigration({ from: 'old', to: 'new' })));
    const report = await multi.migrate(plan, { cleanupSource: true, concurrency: 1 });
    expect(report).toMatchObject({ migrated: 2, failed: 1, created: 2, sourcesDestroyed: 2 });
    const failure = report.results.find((result) => result.status === 'failed');
    expect(failure).toMatchObject({ phase: 'create', created: false, sourceDestroyed: false });
    expect(isQuotaError(failure?.error)).toBe(true);
    expect(live(source).map((node) => node.id)).toEqual([failure?.source.id]);
    expect(report.results.some((result) => result.target?.node.id === stranger.id)).toBe(false);

    // Quota freed: the same plan finishes the one that failed, creating nothing twice.
    await target.destroyNode(stranger);
    await target.waitForNode(stranger, 'terminated');
    const again = await multi.migrate(plan, { cleanupSource: true, concurrency: 1 });
    expect(again).toMatchObject({ migrated: 3, failed: 0, created: 1 });
    expect(live(target)).toHaveLength(3);
    expect(live(source)).toEqual([]);
  });
});

describe('what a replacement is launched with', () => {
  it('takes SSH keys and user data from the request where the source says none, and warns when nobody could log in', async () => {
    const { source, target } = simulatedPair();
    const bare = await source.waitForNode(
      await source.createNode({ name: 'bare', size: 's-2vcpu-4gb', image: 'ubuntu-24.04-x64', location: 'fra1' }),
      'running',
    );
    const keyed = await launched(source, 'keyed', 'fra1');
    const multi = multiOf(source, target);
    const unkeyed = await multi.planMigration({ from: 'old', to: 'new', filter: { tags: {} } });
    const bareStep = unkeyed.steps.find((step) => step.source.id === bare.id);
    expect(bareStep?.target.launch?.sshKeys).toEqual([]);
    expect(bareStep?.target.launch?.warnings.join(' ')).toMatch(/nobody can log in/);

    const other = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKeyForThisNodeOnly00000000000000000000 other@example';
    const plan = await multi.planMigration({
      from: 'old',
      to: 'new',
      launch: { sshKeys: [SSH_KEY], userData: '#cloud-config\n{}\n', perNode: { [keyed.id]: { sshKeys: [other] } } },
    });
    const byId = Object.fromEntries(plan.steps.map((step) => [step.source.id, step.target.launch]));
    expect(byId[bare.id]).toMatchObject({ sshKeys: [SSH_KEY], sshKeysFrom: 'request', userDataFrom: 'request', warnings: [] });
    expect(byId[keyed.id]).toMatchObject({ sshKeys: [other], sshKeysFrom: 'request-node', userData: USER_DATA, userDataFrom: 'source' });
  });

  it('hands a generated root password back once, as a Secret that never prints', async () => {
    const { source, target } = simulatedPair();
    await source.waitForNode(
      await source.createNode({ name: 'bare', size: 's-2vcpu-4gb', image: 'ubuntu-24.04-x64', location: 'fra1' }),
      'running',
    );
    const multi = multiOf(source, target);
    const plan = await multi.planMigration({ from: 'old', to: 'new' });
    const report = await multi.migrate(plan);
    const password = report.results[0]?.credentials?.rootPassword;
    expect(password?.reveal()).toMatch(/^[A-Za-z0-9_-]{32}$/);
    // It is the node's: the simulator keeps its digest.
    const node = target.cloud.peekNodes()[0];
    expect(node?.extra.rootPasswordSha256).toBe(rootPasswordDigest(password?.reveal() ?? ''));
    expect(JSON.stringify(report)).not.toContain(password?.reveal());
    expect(String(password)).toBe('[redacted]');
    // Once: a re-run finds the node and has no password to give.
    const again = await multi.migrate(plan);
    expect(again.results[0]?.credentials).toBeUndefined();
    const found = again.results[0]?.target?.node;
    expect(found && generatedCredentialsOf(found)).toBeUndefined();
  });
});

describe('the cost change across currencies', () => {
  it('converts with the given rates and says which it used', async () => {
    const { source, target } = simulatedPair();
    await launched(source, 'web-1', 'fra1');
    const multi = multiOf(source, target);
    const without = await multi.planMigration({ from: 'old', to: 'new' });
    expect(without.cost.hourlyChange).toBeNull();
    const plan = await multi.planMigration({ from: 'old', to: 'new', exchangeRates: { EUR: 1.08 } });
    const before = plan.cost.before.hourly.USD ?? 0;
    const after = plan.cost.after.hourly.EUR ?? 0;
    expect(plan.cost.hourlyChange).toEqual({
      amount: Math.round((after * 1.08 - before) * 1e6) / 1e6,
      currency: 'USD',
      ratesUsed: { EUR: 1.08 },
    });
  });
});
