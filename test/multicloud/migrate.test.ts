import { describe, expect, it } from 'vitest';
import { isCloudError, isInvalidRequestError, isProviderUnavailableError, isQuotaError, isTimeoutError } from '../../src/core/errors.js';
import { MIGRATED_FROM_TAG, MIGRATION_KEY_TAG, MultiCloud, type MigrationProgress } from '../../src/multicloud/index.js';
import { VirtualClock } from '../../src/core/clock.js';
import { createLocalDriver } from '../../providers/local/index.js';
import { live, running, twoClouds } from './helpers.js';

/** A fleet on the standard cloud: three nodes that can move to the budget cloud and one (a GPU node) that cannot. */
async function fleet(standard: ReturnType<typeof twoClouds>['standard']) {
  return {
    web: await running(standard, 'web-1', 's-2vcpu-4gb', 'ubuntu-24.04-x64', 'fra1', { role: 'web' }),
    db: await running(standard, 'db-1', 'm-2vcpu-16gb', 'debian-12-x64', 'nyc1', { role: 'db' }),
    arm: await running(standard, 'arm-1', 'a-2vcpu-4gb', 'ubuntu-24.04-arm64', 'sgp1', { role: 'worker' }),
    gpu: await running(standard, 'gpu-1', 'g-8vcpu-32gb', 'ubuntu-24.04-x64', 'nyc1', { role: 'ml' }),
  };
}

describe('MultiCloud.planMigration', () => {
  it('matches size, image and location per node, and lists what cannot move with the reason', async () => {
    const { standard, multi } = twoClouds();
    const nodes = await fleet(standard);
    const plan = await multi.planMigration({ from: 'standard', to: 'budget' });
    const byName = Object.fromEntries(plan.steps.map((step) => [step.source.name, step.target]));
    expect(Object.keys(byName).sort()).toEqual(['arm-1', 'db-1', 'web-1']);

    // Same country: Frankfurt → Nuremberg, the cheapest size with at least 2 vCPU / 4 GiB.
    expect(byName['web-1']).toMatchObject({
      location: { id: 'de-nbg' },
      placement: 'same-country',
      size: { id: 'b2-medium' },
      image: { id: 'ubuntu-24.04-x64' },
    });
    // 2 vCPU / 16 GiB: of the sizes with at least that, the shared 8 vCPU / 16 GiB is cheaper than
    // the dedicated 4 vCPU / 16 GiB, so it wins; New York → Ashburn (US); Debian stays Debian.
    expect(byName['db-1']).toMatchObject({
      location: { id: 'us-ash' },
      placement: 'same-country',
      size: { id: 'b4-xlarge' },
      image: { id: 'debian-12-x64' },
    });
    // Arm in Singapore: Tokyo (same continent) has no Arm size, so the cheapest Arm location anywhere.
    expect(byName['arm-1']).toMatchObject({
      placement: 'cheapest-anywhere',
      size: { id: 'r2-medium', arch: 'arm64' },
      image: { id: 'ubuntu-24.04-arm64' },
    });
    expect(['de-nbg', 'fi-hel']).toContain(byName['arm-1']?.location.id);

    expect(plan.unmatched).toHaveLength(1);
    expect(plan.unmatched[0]?.source.id).toBe(nodes.gpu.id);
    expect(plan.unmatched[0]?.reason).toMatch(/GPU/);

    const web = plan.steps.find((step) => step.source.name === 'web-1');
    expect(web?.target.tags).toEqual({
      role: 'web',
      [MIGRATED_FROM_TAG]: `local/${nodes.web.id}`,
      [MIGRATION_KEY_TAG]: web?.target.idempotencyKey,
    });
    expect(web?.target.idempotencyKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(web?.source.price).toEqual(nodes.web.price);
  });

  it('sums the cost before and after per currency and never subtracts across currencies', async () => {
    const { standard, multi } = twoClouds();
    await fleet(standard);
    const plan = await multi.planMigration({ from: 'standard', to: 'budget' });
    const before = plan.steps.reduce((sum, step) => sum + (step.source.price?.hourly ?? 0), 0);
    const after = plan.steps.reduce((sum, step) => sum + (step.target.price?.hourly ?? 0), 0);
    expect(plan.cost.before.hourly.USD).toBeCloseTo(before, 6);
    expect(plan.cost.after.hourly.EUR).toBeCloseTo(after, 6);
    expect(Object.keys(plan.cost.before.hourly)).toEqual(['USD']);
    expect(Object.keys(plan.cost.after.hourly)).toEqual(['EUR']);
    expect(plan.cost.hourlyChange).toBeNull();
  });

  it('computes the change when both clouds price in the same currency', async () => {
    const clock = new VirtualClock();
    const a = createLocalDriver({ preset: 'standard', clock, idPrefix: 'a-' });
    const b = createLocalDriver({ preset: 'standard', clock, idPrefix: 'b-' });
    const multi = new MultiCloud({ drivers: { a, b } });
    await running(a, 'web', 's-2vcpu-4gb', 'ubuntu-24.04-x64', 'lon1');
    const plan = await multi.planMigration({ from: 'a', to: 'b', placement: { location: 'nyc1' } });
    const step = plan.steps[0];
    expect(step?.target).toMatchObject({ location: { id: 'nyc1' }, placement: 'placement-location' });
    expect(plan.cost.hourlyChange).toEqual({
      amount: Math.round(((step?.target.price?.hourly ?? 0) - (step?.source.price?.hourly ?? 0)) * 1e6) / 1e6,
      currency: 'USD',
    });
    expect(plan.cost.hourlyChange?.amount).toBeLessThan(0);
  });

  it('follows the placement rule: countries, and fallback none', async () => {
    const { standard, multi } = twoClouds();
    await fleet(standard);
    const finnish = await multi.planMigration({ from: 'standard', to: 'budget', placement: { countries: ['FI'] } });
    expect(finnish.steps.every((step) => step.target.location.country === 'FI')).toBe(true);
    const strict = await multi.planMigration({ from: 'standard', to: 'budget', placement: { fallback: 'none' } });
    expect(strict.steps.map((step) => step.source.name).sort()).toEqual(['db-1', 'web-1']);
    expect(strict.unmatched.find((each) => each.source.name === 'arm-1')?.reason).toMatch(/arm64/);
    await expect(multi.planMigration({ from: 'standard', to: 'budget', placement: { location: 'fra1' } })).rejects.toSatisfy(
      isInvalidRequestError,
    );
  });

  it('plans from an inventory while the source is down, using the remembered catalog', async () => {
    const { standard, multi } = twoClouds();
    await fleet(standard);
    const inventory = (await multi.listNodes({ clouds: ['standard'] })).nodes.map(({ node }) => node);
    await multi.listLocations();
    const healthy = await multi.planMigration({ from: 'standard', to: 'budget' });
    standard.cloud.faults.set({ outage: true });
    await expect(multi.planMigration({ from: 'standard', to: 'budget' })).rejects.toSatisfy(isProviderUnavailableError);
    const fromInventory = await multi.planMigration({ from: 'standard', to: 'budget', nodes: inventory });
    expect(fromInventory.steps.map((step) => [step.source.id, step.target.location.id, step.target.size.id])).toEqual(
      healthy.steps.map((step) => [step.source.id, step.target.location.id, step.target.size.id]),
    );
  });

  it('without a remembered catalog, says why each node of an unreachable source cannot be planned', async () => {
    const { standard, multi } = twoClouds({ catalogTtlMs: 0 });
    await fleet(standard);
    const inventory = await standard.listNodes();
    standard.cloud.faults.set({ outage: true });
    const plan = await multi.planMigration({ from: 'standard', to: 'budget', nodes: inventory });
    expect(plan.steps).toEqual([]);
    expect(plan.unmatched).toHaveLength(4);
    expect(plan.unmatched.every((each) => /source catalog cannot be read/.test(each.reason))).toBe(true);
  });

  it('rejects bad requests before any request', async () => {
    const { multi } = twoClouds();
    await expect(multi.planMigration({ from: 'standard', to: 'standard' })).rejects.toSatisfy(isInvalidRequestError);
    await expect(multi.planMigration({ from: 'nope', to: 'budget' })).rejects.toSatisfy(isInvalidRequestError);
  });
});

describe('MultiCloud.migrate', () => {
  it('creates the targets, waits for them to run, then destroys the sources', async () => {
    const { standard, budget, multi } = twoClouds();
    const nodes = await fleet(standard);
    const plan = await multi.planMigration({ from: 'standard', to: 'budget' });
    const progress: MigrationProgress[] = [];
    const report = await multi.migrate(plan, { cleanupSource: true, onProgress: (event) => progress.push(event) });
    expect(report).toMatchObject({ migrated: 3, failed: 0, interrupted: 0, created: 3, sourcesDestroyed: 3 });
    expect(report.unmatched.map((each) => each.source.id)).toEqual([nodes.gpu.id]);
    for (const result of report.results) {
      expect(result.target?.node.state).toBe('running');
      expect(result.target?.node.tags[MIGRATED_FROM_TAG]).toBe(`local/${result.source.id}`);
    }
    expect(
      live(budget)
        .map((node) => node.name)
        .sort(),
    ).toEqual(['arm-1', 'db-1', 'web-1']);
    // Only the GPU node, which had no match, is left at the source.
    expect(live(standard).map((node) => node.name)).toEqual(['gpu-1']);
    expect(
      progress
        .filter((event) => event.status === 'succeeded')
        .map((event) => event.source.name)
        .sort(),
    ).toEqual(['arm-1', 'db-1', 'web-1']);
    expect(progress.at(-1)?.finished).toBe(3);
  });

  it('keeps every source while the source provider is down, and finishes the cleanup on a re-run without creating twice', async () => {
    const { standard, budget, multi } = twoClouds();
    await fleet(standard);
    const plan = await multi.planMigration({ from: 'standard', to: 'budget' });
    standard.cloud.faults.set({ outage: true });
    const during = await multi.migrate(plan, { cleanupSource: true });
    expect(during).toMatchObject({ migrated: 0, failed: 3, created: 3, sourcesDestroyed: 0 });
    for (const result of during.results) {
      expect(result.phase).toBe('cleanup');
      expect(result.target?.node.state).toBe('running');
      expect(isProviderUnavailableError(result.error)).toBe(true);
      expect(result.error?.provider).toBe('local');
    }
    standard.cloud.faults.clear();
    expect(live(standard)).toHaveLength(4);

    const after = await multi.migrate(plan, { cleanupSource: true });
    expect(after).toMatchObject({ migrated: 3, failed: 0, created: 0, sourcesDestroyed: 3 });
    expect(live(budget)).toHaveLength(3);
    expect(budget.cloud.peekNodes()).toHaveLength(3);
    expect(live(standard).map((node) => node.name)).toEqual(['gpu-1']);
  });

  it('looks at a replacement it just created only after one wait interval, never right away', async () => {
    const { clock, standard, budget, multi } = twoClouds();
    await fleet(standard);
    const plan = await multi.planMigration({ from: 'standard', to: 'budget' });
    // Seen from the target cloud itself: when each node was created, and when it was looked at.
    const createdAt = new Map<string, number>();
    const looks: Array<{ id: string; at: number }> = [];
    const { cloud } = budget;
    const create = cloud.createNode.bind(cloud);
    const get = cloud.getNode.bind(cloud);
    cloud.createNode = async (input) => {
      const node = await create(input);
      createdAt.set(node.id, clock.now());
      return node;
    };
    cloud.getNode = async (id) => {
      looks.push({ id, at: clock.now() });
      return get(id);
    };
    const report = await multi.migrate(plan, { wait: { intervalMs: 400, backoffFactor: 1 } });
    expect(report).toMatchObject({ migrated: 3, created: 3 });
    expect(createdAt.size).toBe(3);
    // (The virtual clock runs concurrent sleeps one after another, so later looks come later still.)
    for (const [id, at] of createdAt) expect(looks.find((look) => look.id === id)?.at).toBeGreaterThanOrEqual(at + 400);
  });

  it('with the target in outage: fails at create, destroys nothing', async () => {
    const { standard, budget, multi } = twoClouds();
    await fleet(standard);
    const plan = await multi.planMigration({ from: 'standard', to: 'budget' });
    budget.cloud.faults.set({ outage: true });
    const report = await multi.migrate(plan, { cleanupSource: true });
    expect(report).toMatchObject({ migrated: 0, failed: 3, created: 0, sourcesDestroyed: 0 });
    expect(report.results.every((result) => result.phase === 'create' && isProviderUnavailableError(result.error))).toBe(true);
    budget.cloud.faults.clear();
    expect(budget.cloud.peekNodes()).toEqual([]);
    expect(live(standard)).toHaveLength(4);
  });

  it('resumes an interrupted migration: nothing created twice, nothing destroyed before its replacement runs', async () => {
    const { standard, budget, multi } = twoClouds();
    for (let index = 0; index < 6; index += 1) await running(standard, `web-${index}`, 's-2vcpu-4gb', 'ubuntu-24.04-x64', 'fra1');
    const plan = await multi.planMigration({ from: 'standard', to: 'budget' });
    expect(plan.steps).toHaveLength(6);
    const controller = new AbortController();
    let creates = 0;
    const first = await multi.migrate(plan, {
      cleanupSource: true,
      concurrency: 2,
      signal: controller.signal,
      onProgress: (event) => {
        if (event.phase === 'create' && event.status === 'started' && ++creates === 3)
          controller.abort(new Error('operator pressed Ctrl-C'));
      },
    });
    expect(first.interrupted).toBeGreaterThan(0);
    expect(first.migrated + first.failed + first.interrupted).toBe(6);
    expect(first.failed).toBe(0);
    // Every destroyed source has a running replacement.
    const targets = budget.cloud.peekNodes();
    for (const source of standard.cloud.peekNodes().filter((node) => node.state !== 'running')) {
      const replacement = targets.find((node) => node.tags[MIGRATED_FROM_TAG] === `local/${source.id}`);
      expect(replacement?.state).toBe('running');
    }
    const createdBefore = targets.length;
    expect(createdBefore).toBeLessThan(6);

    const second = await multi.migrate(plan, { cleanupSource: true, concurrency: 2 });
    expect(second).toMatchObject({ migrated: 6, failed: 0, interrupted: 0, sourcesDestroyed: 6 });
    expect(second.created).toBe(6 - createdBefore);
    const all = budget.cloud.peekNodes();
    expect(all).toHaveLength(6);
    expect(new Set(all.map((node) => node.tags[MIGRATED_FROM_TAG])).size).toBe(6);
    expect(live(standard)).toEqual([]);
  });

  it('reports a target quota error mid-way, keeps that source, and stays duplicate-free on a re-run', async () => {
    const { standard, budget, multi } = twoClouds({ budget: { maxNodes: 2 } });
    for (let index = 0; index < 3; index += 1) await running(standard, `web-${index}`, 's-2vcpu-4gb', 'ubuntu-24.04-x64', 'fra1');
    const plan = await multi.planMigration({ from: 'standard', to: 'budget' });
    const report = await multi.migrate(plan, { cleanupSource: true, concurrency: 1 });
    expect(report).toMatchObject({ migrated: 2, failed: 1, created: 2, sourcesDestroyed: 2 });
    const failure = report.results.find((result) => result.status === 'failed');
    expect(failure?.phase).toBe('create');
    expect(isQuotaError(failure?.error)).toBe(true);
    expect(live(standard).map((node) => node.id)).toEqual([failure?.source.id]);

    const again = await multi.migrate(plan, { cleanupSource: true, concurrency: 1 });
    expect(again).toMatchObject({ migrated: 2, failed: 1, created: 0 });
    expect(budget.cloud.peekNodes()).toHaveLength(2);
    expect(live(standard)).toHaveLength(1);
  });

  it('keeps the source when the replacement never runs', async () => {
    const { standard, budget, multi } = twoClouds({ budget: { retry: { retries: 0 } } });
    await running(standard, 'web', 's-2vcpu-4gb', 'ubuntu-24.04-x64', 'fra1');
    const plan = await multi.planMigration({ from: 'standard', to: 'budget' });
    budget.cloud.faults.set({ outage: true, operations: ['getNode'] });
    const report = await multi.migrate(plan, { cleanupSource: true, wait: { timeoutMs: 60_000 } });
    expect(report).toMatchObject({ migrated: 0, failed: 1, created: 1, sourcesDestroyed: 0 });
    expect(report.results[0]?.phase).toBe('wait');
    expect(isTimeoutError(report.results[0]?.error)).toBe(true);
    expect(live(standard)).toHaveLength(1);
  });

  it('serialises its report without secrets or raw error objects', async () => {
    const { standard, budget, multi } = twoClouds();
    await running(standard, 'web', 's-2vcpu-4gb', 'ubuntu-24.04-x64', 'fra1');
    const plan = JSON.parse(JSON.stringify(await multi.planMigration({ from: 'standard', to: 'budget' })));
    budget.cloud.faults.set({ outage: true });
    const report = await multi.migrate(plan);
    const json = JSON.parse(JSON.stringify(report));
    expect(json.results[0]).toMatchObject({
      status: 'failed',
      phase: 'create',
      error: { name: 'ProviderUnavailableError', provider: 'local' },
    });
    expect(isCloudError(report.results[0]?.error)).toBe(true);
  });
});
