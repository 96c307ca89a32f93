import { describe, expect, it } from 'vitest';
import { isInvalidRequestError, isProviderUnavailableError, isTimeoutError } from '../../src/core/errors.js';
import { MultiCloud } from '../../src/multicloud/index.js';
import { createLocalDriver } from '../../providers/local/index.js';
import { live, running, twoClouds } from './helpers.js';

describe('MultiCloud.listNodes', () => {
  it('lists every cloud, each node with its cloud name', async () => {
    const { standard, budget, multi } = twoClouds();
    await running(standard, 'web-1', 's-1vcpu-1gb', 'ubuntu-24.04-x64', 'fra1');
    await running(budget, 'web-2', 'b1-small', 'ubuntu-24.04-x64', 'de-nbg');
    const { nodes, failures } = await multi.listNodes();
    expect(failures).toEqual([]);
    expect(nodes.map(({ cloud, node }) => `${cloud}:${node.name}`).sort()).toEqual(['budget:web-2', 'standard:web-1']);
  });

  it('reports a cloud in outage in failures, and still lists the others', async () => {
    const { standard, budget, multi } = twoClouds();
    await running(standard, 'web-1', 's-1vcpu-1gb', 'ubuntu-24.04-x64', 'fra1');
    await running(budget, 'web-2', 'b1-small', 'ubuntu-24.04-x64', 'de-nbg');
    standard.cloud.faults.set({ outage: true });
    const { nodes, failures } = await multi.listNodes();
    expect(nodes.map(({ cloud, node }) => `${cloud}:${node.name}`)).toEqual(['budget:web-2']);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ cloud: 'standard', provider: 'local' });
    expect(isProviderUnavailableError(failures[0]?.error)).toBe(true);
  });

  it('reports a cloud that does not answer in time as a TimeoutError', async () => {
    // A real-time clock with 60 s of injected latency: only the 100 ms deadline can end the wait
    // (the bound below only catches a hang, whatever the machine's load).
    const slow = createLocalDriver({ faults: { latencyMs: 60_000 } });
    const fast = createLocalDriver();
    const multi = new MultiCloud({ drivers: { slow, fast }, timeoutMs: 100 });
    const started = Date.now();
    const { nodes, failures } = await multi.listNodes();
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(nodes).toEqual([]);
    expect(failures.map((failure) => failure.cloud)).toEqual(['slow']);
    expect(isTimeoutError(failures[0]?.error)).toBe(true);
    expect(failures[0]?.error.message).toContain('listNodes');
  });

  it('limits the listing to selected clouds and passes the node query on', async () => {
    const { standard, budget, multi } = twoClouds();
    await running(standard, 'a', 's-1vcpu-1gb', 'ubuntu-24.04-x64', 'fra1', { team: 'x' });
    await running(standard, 'b', 's-1vcpu-1gb', 'ubuntu-24.04-x64', 'fra1', { team: 'y' });
    await running(budget, 'c', 'b1-small', 'ubuntu-24.04-x64', 'de-nbg', { team: 'x' });
    const { nodes } = await multi.listNodes({ clouds: ['standard'], tags: { team: 'x' } });
    expect(nodes.map(({ node }) => node.name)).toEqual(['a']);
    await expect(multi.listNodes({ clouds: ['nope'] })).rejects.toSatisfy(isInvalidRequestError);
  });
});

describe('MultiCloud.health', () => {
  it('says which clouds answer, with latency and the error', async () => {
    const { budget, multi } = twoClouds();
    budget.cloud.faults.set({ outage: true });
    const health = await multi.health();
    expect(health.map(({ cloud, reachable }) => ({ cloud, reachable }))).toEqual([
      { cloud: 'standard', reachable: true },
      { cloud: 'budget', reachable: false },
    ]);
    expect(health.every((entry) => entry.latencyMs >= 0)).toBe(true);
    expect(isProviderUnavailableError(health[1]?.error)).toBe(true);
    expect(health[0]?.error).toBeUndefined();
  });
});

describe('MultiCloud.findOffers', () => {
  it('ranks offers cheapest first within one currency and lists other currencies after, unconverted', async () => {
    const { multi } = twoClouds();
    const { offers, currency, failures } = await multi.findOffers({ minVcpus: 2, minMemoryGiB: 4, countries: ['de'] });
    expect(failures).toEqual([]);
    expect(new Set(offers.map((offer) => offer.location.country))).toEqual(new Set(['DE']));
    expect(offers.every((offer) => offer.size.vcpus >= 2 && offer.size.memoryGiB >= 4)).toBe(true);
    const priced = offers.filter((offer) => offer.rank === 'priced');
    const other = offers.filter((offer) => offer.rank === 'other-currency');
    expect(priced.length).toBeGreaterThan(0);
    expect(other.length).toBeGreaterThan(0);
    // Ranked offers all come before the unconvertible ones, all in the ranking currency, ascending.
    expect(offers.slice(0, priced.length)).toEqual(priced);
    expect(
      priced.every((offer) => offer.price?.currency === currency && offer.comparableHourly === offer.price?.hourly && !offer.converted),
    ).toBe(true);
    const hourly = priced.map((offer) => offer.comparableHourly ?? Infinity);
    expect(hourly).toEqual([...hourly].sort((a, b) => a - b));
    expect(other.every((offer) => offer.price?.currency !== currency && offer.comparableHourly === null)).toBe(true);
  });

  it('converts with exchange rates the caller gives, and ranks across currencies then', async () => {
    const { multi } = twoClouds();
    const { offers, currency } = await multi.findOffers({
      minVcpus: 2,
      minMemoryGiB: 4,
      countries: ['DE'],
      currency: 'USD',
      exchangeRates: { EUR: 1.1 },
    });
    expect(currency).toBe('USD');
    expect(offers.every((offer) => offer.rank === 'priced')).toBe(true);
    const first = offers[0];
    expect(first?.cloud).toBe('budget');
    expect(first?.converted).toBe(true);
    expect(first?.comparableHourly).toBeCloseTo((first?.price?.hourly ?? 0) * 1.1, 10);
    const hourly = offers.map((offer) => offer.comparableHourly ?? Infinity);
    expect(hourly).toEqual([...hourly].sort((a, b) => a - b));
  });

  it('applies maxHourly only where the price is comparable, and filters by provider and region', async () => {
    const { multi } = twoClouds();
    const { offers } = await multi.findOffers({ minVcpus: 2, currency: 'EUR', maxHourly: 0.01 });
    expect(offers.length).toBeGreaterThan(0);
    expect(offers.every((offer) => offer.price?.currency === 'EUR' && offer.price.hourly <= 0.01)).toBe(true);
    const inFra = await multi.findOffers({ regions: ['fra1'] });
    expect(new Set(inFra.offers.map((offer) => `${offer.cloud}/${offer.location.id}`))).toEqual(new Set(['standard/fra1']));
    expect((await multi.findOffers({ providers: ['aws'] })).offers).toEqual([]);
  });

  it('lists offers of unknown price last, flagged, and leaves them out under maxHourly', async () => {
    const { standard } = twoClouds();
    // A driver that knows the price of the shared-core sizes only (as a provider without a price list would).
    const partlyPriced = {
      ...standard,
      listSizes: async (...args: Parameters<typeof standard.listSizes>) =>
        (await standard.listSizes(...args)).map((size) => (size.sharedCore ? size : { ...size, price: null })),
    };
    const multi = new MultiCloud({ drivers: { partlyPriced } });
    const { offers } = await multi.findOffers({ minVcpus: 2, regions: ['fra1'] });
    const ranks = offers.map((offer) => offer.rank);
    expect(ranks).toContain('unknown-price');
    expect(ranks.indexOf('unknown-price')).toBe(ranks.filter((rank) => rank === 'priced').length);
    expect(
      offers.filter((offer) => offer.rank === 'unknown-price').every((offer) => offer.price === null && offer.comparableHourly === null),
    ).toBe(true);
    const capped = await multi.findOffers({ minVcpus: 2, regions: ['fra1'], maxHourly: 10 });
    expect(capped.offers.every((offer) => offer.rank === 'priced')).toBe(true);
    expect(capped.offers.length).toBe(ranks.filter((rank) => rank === 'priced').length);
  });

  it('reports a cloud in outage and still offers the other', async () => {
    const { standard, multi } = twoClouds();
    standard.cloud.faults.set({ outage: true });
    const { offers, failures } = await multi.findOffers({ minVcpus: 1 });
    expect(failures.map((failure) => failure.cloud)).toEqual(['standard']);
    expect(offers.length).toBeGreaterThan(0);
    expect(offers.every((offer) => offer.cloud === 'budget')).toBe(true);
  });
});

describe('MultiCloud bulk operations', () => {
  it('refuses a filter that matches everything unless it says all: true', async () => {
    const { standard, multi } = twoClouds();
    await running(standard, 'a', 's-1vcpu-1gb', 'ubuntu-24.04-x64', 'fra1');
    await expect(multi.destroyNodes({})).rejects.toSatisfy(isInvalidRequestError);
    await expect(multi.destroyNodes({ tags: {} })).rejects.toSatisfy(isInvalidRequestError);
    await expect(multi.destroyNodes(undefined as never)).rejects.toSatisfy(isInvalidRequestError);
    expect(live(standard)).toHaveLength(1);
  });

  it('dry-runs: reports what would be destroyed, destroys nothing', async () => {
    const { standard, budget, multi } = twoClouds();
    await running(standard, 'a', 's-1vcpu-1gb', 'ubuntu-24.04-x64', 'fra1');
    await running(budget, 'b', 'b1-small', 'ubuntu-24.04-x64', 'de-nbg');
    const report = await multi.destroyNodes({ all: true }, { dryRun: true });
    expect(report.dryRun).toBe(true);
    expect(report.results.map((result) => `${result.cloud}:${result.node.name}:${result.status}`).sort()).toEqual([
      'budget:b:would-act',
      'standard:a:would-act',
    ]);
    expect(live(standard)).toHaveLength(1);
    expect(live(budget)).toHaveLength(1);
  });

  it('destroys the matching nodes across clouds with a per-node report', async () => {
    const { standard, budget, multi } = twoClouds();
    await running(standard, 'a', 's-1vcpu-1gb', 'ubuntu-24.04-x64', 'fra1', { env: 'test' });
    await running(standard, 'keep', 's-1vcpu-1gb', 'ubuntu-24.04-x64', 'fra1', { env: 'prod' });
    await running(budget, 'b', 'b1-small', 'ubuntu-24.04-x64', 'de-nbg', { env: 'test' });
    const report = await multi.destroyNodes({ tags: { env: 'test' } });
    expect(report).toMatchObject({ operation: 'destroyNode', dryRun: false, succeeded: 2, failed: 0, failures: [] });
    expect(live(standard).map((node) => node.name)).toEqual(['keep']);
    expect(live(budget)).toEqual([]);
  });

  it('reports each failing node with its error and keeps going, within the concurrency bound', async () => {
    const { standard, multi } = twoClouds();
    for (let index = 0; index < 6; index += 1)
      await running(standard, `n${index}`, 's-1vcpu-1gb', 'ubuntu-24.04-x64', 'fra1', { group: 'g' });
    const stopped = await running(standard, 'stopped', 's-1vcpu-1gb', 'ubuntu-24.04-x64', 'fra1', { group: 'g' });
    await standard.stopNode(stopped);
    await standard.waitForNode(stopped, 'stopped');
    const report = await multi.rebootNodes({ tags: { group: 'g' }, states: ['running', 'stopped'] }, { concurrency: 2 });
    expect(report.succeeded).toBe(6);
    expect(report.failed).toBe(1);
    const failure = report.results.find((result) => result.status === 'failed');
    expect(failure?.node.name).toBe('stopped');
    expect(failure?.error?.name).toBe('ConflictError');
  });

  it('runs at most `concurrency` operations at once', async () => {
    const { standard } = twoClouds();
    for (let index = 0; index < 6; index += 1) await running(standard, `n${index}`, 's-1vcpu-1gb', 'ubuntu-24.04-x64', 'fra1');
    let inFlight = 0;
    let most = 0;
    const counting = {
      ...standard,
      destroyNode: async (...args: Parameters<typeof standard.destroyNode>) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        await standard.destroyNode(...args);
        inFlight -= 1;
      },
    };
    const multi = new MultiCloud({ drivers: { standard: counting } });
    const report = await multi.destroyNodes({ all: true }, { concurrency: 3 });
    expect(report.succeeded).toBe(6);
    expect(most).toBe(3);
  });

  it('reports a cloud that cannot be listed, and acts on the rest', async () => {
    const { standard, budget, multi } = twoClouds();
    await running(standard, 'a', 's-1vcpu-1gb', 'ubuntu-24.04-x64', 'fra1');
    await running(budget, 'b', 'b1-small', 'ubuntu-24.04-x64', 'de-nbg');
    standard.cloud.faults.set({ outage: true });
    const report = await multi.destroyNodes({ all: true });
    expect(report.failures.map((failure) => failure.cloud)).toEqual(['standard']);
    expect(report.results.map((result) => result.node.name)).toEqual(['b']);
    standard.cloud.faults.clear();
    expect(live(standard)).toHaveLength(1);
  });
});
