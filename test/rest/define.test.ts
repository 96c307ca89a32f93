/**
 * `defineRestDriver` on a toy provider over loopback: each paging style, the idempotency tag and
 * SSH-key fingerprints checked on the client against a fake that ignores filters, action polling
 * on a virtual clock, destroy's 404, set-up errors and defaults.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { publicKeyFingerprint } from '../../src/core/key-pairs.js';
import {
  isCloudError,
  isConfigurationError,
  isInvalidRequestError,
  isNodeNotFoundError,
  isTimeoutError,
  type CloudError,
  type ConfigurationError,
  type InvalidRequestError,
  type TimeoutError,
} from '../../src/core/errors.js';
import { keyRegistry, md5Fingerprint, type RestRuntime } from '../../src/rest/index.js';
import { rejectionOf } from '../conformance/suite.js';
import { TOY_TOKEN, startToyFake, toyDriverFactory, toyKeys, type PagingKind, type ToyFake, type ToyOptions } from './toy-provider.js';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq2l9lq5dJ0n9y7W3yWbq2XoYjv0s1vCk1b2Zc3aB4d toy@test';
const fakes: ToyFake[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

async function toy(paging: PagingKind, options: { ignoreFilters?: boolean; driver?: ToyOptions; actionMs?: number } = {}) {
  const clock = new VirtualClock();
  const fake = await startToyFake({ paging, clock, ...options });
  fakes.push(fake);
  const driver = toyDriverFactory(paging)({
    endpoint: `${fake.url}/v1`,
    token: TOY_TOKEN,
    clock,
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5, jitter: false },
    ...options.driver,
  });
  return { fake, driver, clock };
}

const request = (name: string, idempotencyKey?: string) => ({
  name,
  size: 'small',
  image: 'ubuntu-24.04',
  location: 'z1',
  ...(idempotencyKey ? { idempotencyKey } : {}),
});

function seed(fake: ToyFake, count: number, tags: string[] = []): void {
  for (let index = 0; index < count; index++) {
    const id = 1_000 + fake.servers.size;
    fake.servers.set(id, {
      id,
      name: `seed-${id}`,
      status: 'on',
      zone: 'z1',
      plan: 'small',
      image: 'ubuntu-24.04',
      tags,
      created: '2026-01-01T00:00:00Z',
    });
  }
}

describe.each(['link', 'meta', 'count'] as const)('defineRestDriver: %s paging', (paging) => {
  it('lists every page, asking for the page size given, on the configured endpoint', async () => {
    const { fake, driver } = await toy(paging, { driver: { pageSize: 2 } });
    seed(fake, 5);
    const nodes = await driver.listNodes();
    expect(nodes.map((node) => node.id).sort()).toEqual(['1000', '1001', '1002', '1003', '1004']);
    const lists = fake.requestsTo('GET', /^\/v1\/servers$/);
    expect(lists.map((each) => each.query.get('page') ?? '1')).toEqual(['1', '2', '3']);
    const sizeParam = paging === 'count' ? 'page_size' : 'per_page';
    expect(lists.every((each) => each.query.get(sizeParam) === '2')).toBe(true);
  });

  it('refuses a page size the API does not serve before any request, and keeps the largest page when pageSize is undefined', async () => {
    const { fake, driver } = await toy(paging, { driver: { pageSize: undefined } });
    seed(fake, 3);
    const error = (await rejectionOf(driver.listNodes({ pageSize: 10_000 }))) as InvalidRequestError;
    expect(error.field).toBe('query.pageSize');
    expect(fake.requests).toHaveLength(0);
    await driver.listNodes();
    const sizeParam = paging === 'count' ? 'page_size' : 'per_page';
    expect(fake.requestsTo('GET', /^\/v1\/servers$/).map((each) => each.query.get(sizeParam))).toEqual(['50']);
  });
});

describe('defineRestDriver: tag idempotency', () => {
  it('checks the marker on the client: a server the filter should have left out is not taken as ours', async () => {
    const { fake, driver } = await toy('meta', { ignoreFilters: true });
    seed(fake, 3, ['someone-else']);
    const first = await driver.createNode(request('web-1', 'key-1'));
    expect(fake.requestsTo('POST', /^\/v1\/servers$/)).toHaveLength(1);
    expect(Number(first.id)).toBeGreaterThanOrEqual(100);
    const again = await driver.createNode(request('web-1', 'key-1'));
    expect(again.id).toBe(first.id);
    expect(fake.requestsTo('POST', /^\/v1\/servers$/)).toHaveLength(1);
  });

  it('refuses a key reused for a different request with ConflictError, creating nothing', async () => {
    const { fake, driver } = await toy('count');
    await driver.createNode(request('web-1', 'key-2'));
    const error = (await rejectionOf(driver.createNode(request('web-2', 'key-2')))) as CloudError;
    expect(error.name).toBe('ConflictError');
    expect(fake.requestsTo('POST', /^\/v1\/servers$/)).toHaveLength(1);
  });
});

describe('defineRestDriver: SSH-key registry', () => {
  it('registers each key once, found by fingerprint on the client even when the filter is ignored', async () => {
    const { fake, driver } = await toy('link', { ignoreFilters: true });
    fake.keys.set(1, { id: 1, name: 'other', fingerprint: '00:11', public_key: 'ssh-ed25519 AAAAother' });
    const node = await driver.createNode({ ...request('keyed'), sshKeys: [KEY] });
    const registered = [...fake.keys.values()].find((key) => key.public_key === KEY);
    expect(registered?.fingerprint).toBe(md5Fingerprint(KEY));
    expect(node.raw.tags).toContain(`key-${registered?.id}`);
    await driver.createNode({ ...request('keyed-2'), sshKeys: [KEY] });
    expect(fake.requestsTo('POST', /^\/v1\/keys$/)).toHaveLength(1);
  });
});

describe('defineRestDriver: actions', () => {
  it('polls the action through pollUntil on the virtual clock until it is done', async () => {
    const { fake, driver, clock } = await toy('meta', { driver: { actionPollIntervalMs: 1_000 }, actionMs: 5_000 });
    seed(fake, 1);
    const before = clock.now();
    await driver.rebootNode('1000');
    const polls = fake.requestsTo('GET', /^\/v1\/actions\/\d+$/);
    // Pauses of 1 000, 1 500, 2 250 and 3 375 ms (backoff 1.5): done at the fourth poll, 8 125 ms in.
    expect(polls).toHaveLength(4);
    expect(clock.now() - before).toBe(8_125);
  });

  it('fails with the spec’s error when the action fails, and with TimeoutError naming the last state', async () => {
    const { fake, driver } = await toy('meta', { driver: { actionTimeoutMs: 3_000 }, actionMs: 2_000 });
    seed(fake, 1);
    fake.failNextAction();
    const failed = (await rejectionOf(driver.rebootNode('1000'))) as CloudError;
    expect(isCloudError(failed) && failed.code).toBe('action_failed');
    const slow = await toy('meta', { driver: { actionTimeoutMs: 3_000 }, actionMs: 60_000 });
    seed(slow.fake, 1);
    const timeout = (await rejectionOf(slow.driver.rebootNode('1000'))) as TimeoutError;
    expect(isTimeoutError(timeout)).toBe(true);
    expect(timeout.message).toContain('running');
  });

  it('does not poll when waitForActions is false', async () => {
    const { fake, driver } = await toy('meta', { driver: { waitForActions: false } });
    seed(fake, 1);
    await driver.rebootNode('1000');
    expect(fake.requestsTo('GET', /^\/v1\/actions\/\d+$/)).toHaveLength(0);
  });
});

describe('defineRestDriver: routes and ids', () => {
  it('treats a 404 on destroy as success, and sends the DELETE for a node that exists', async () => {
    const { fake, driver } = await toy('link');
    seed(fake, 1);
    await driver.destroyNode('424242');
    await driver.destroyNode('1000');
    expect(fake.requestsTo('DELETE', /^\/v1\/servers\/\d+$/).map((each) => each.path)).toEqual(['/v1/servers/424242', '/v1/servers/1000']);
    expect(fake.servers.size).toBe(0);
    expect(isNodeNotFoundError(await rejectionOf(driver.getNode('1000')))).toBe(true);
  });

  it('refuses a malformed id (a name passed as an id) with InvalidRequestError before any request', async () => {
    const { fake, driver } = await toy('link');
    for (const call of [driver.getNode('web-1'), driver.destroyNode('web-1'), driver.rebootNode('../1')]) {
      const error = (await rejectionOf(call)) as InvalidRequestError;
      expect(isInvalidRequestError(error)).toBe(true);
      expect(error.field).toBe('id');
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('filters and sorts images, newest first', async () => {
    const { driver } = await toy('count');
    expect((await driver.listImages()).map((image) => image.id)).toEqual(['ubuntu-24.04', 'ubuntu-22.04']);
    expect((await driver.listImages({ version: '22.04' })).map((image) => image.id)).toEqual(['ubuntu-22.04']);
  });
});

describe('defineRestDriver: set-up', () => {
  it('reads the token from the environment variables in order, and names them all when none is set', () => {
    const saved = [process.env.TOY_TOKEN, process.env.TOY_ACCESS_TOKEN];
    try {
      delete process.env.TOY_TOKEN;
      delete process.env.TOY_ACCESS_TOKEN;
      const error = (() => {
        try {
          toyDriverFactory('link')({ endpoint: 'http://127.0.0.1:9' });
        } catch (caught) {
          return caught as ConfigurationError;
        }
        return undefined;
      })();
      expect(isConfigurationError(error)).toBe(true);
      expect(error?.operation).toBe('configure');
      expect(error?.message).toContain('TOY_TOKEN or TOY_ACCESS_TOKEN');
      process.env.TOY_ACCESS_TOKEN = 'from-the-second-variable';
      expect(toyDriverFactory('link')({ endpoint: 'http://127.0.0.1:9' }).provider).toBeDefined();
    } finally {
      if (saved[0] === undefined) delete process.env.TOY_TOKEN;
      else process.env.TOY_TOKEN = saved[0];
      if (saved[1] === undefined) delete process.env.TOY_ACCESS_TOKEN;
      else process.env.TOY_ACCESS_TOKEN = saved[1];
    }
  });

  it('keeps a default when an option is passed as undefined', async () => {
    const { fake, driver } = await toy('link', { driver: { pageSize: undefined, actionPollIntervalMs: undefined } });
    seed(fake, 1);
    await driver.listNodes();
    await driver.rebootNode('1000');
    expect(fake.requestsTo('GET', /^\/v1\/servers$/)[0]?.query.get('per_page')).toBe('50');
    expect(fake.requestsTo('GET', /^\/v1\/actions\/\d+$/).length).toBeGreaterThan(0);
  });

  it('refuses a bad pageSize, maxConcurrency or requestTimeoutMs at set-up, naming the option', () => {
    for (const [name, value] of [
      ['pageSize', 0],
      ['maxConcurrency', 1.5],
      ['requestTimeoutMs', -1],
    ] as const) {
      const error = (() => {
        try {
          toyDriverFactory('meta')({ token: TOY_TOKEN, endpoint: 'http://127.0.0.1:9', [name]: value });
        } catch (caught) {
          return caught as InvalidRequestError;
        }
        return undefined;
      })();
      expect(error?.field).toBe(name);
      expect(error?.operation).toBe('configure');
    }
  });
});

describe('keyRegistry', () => {
  it('lists, imports (once, found by fingerprint on the client) and deletes key pairs of a described registry', async () => {
    const clock = new VirtualClock();
    const fake = await startToyFake({ paging: 'meta', clock, ignoreFilters: true });
    fakes.push(fake);
    let runtime: RestRuntime | undefined;
    toyDriverFactory('meta', (made) => (runtime = made))({ endpoint: `${fake.url}/v1`, token: TOY_TOKEN, clock });
    const registry = keyRegistry(toyKeys('meta'), runtime as RestRuntime);
    const context = { operation: 'importKeyPair' };
    fake.keys.set(1, { id: 1, name: 'other', fingerprint: '00:11', public_key: 'ssh-ed25519 AAAAother' });
    const imported = await registry.importKey(KEY, context, 'laptop');
    expect(imported).toMatchObject({ name: 'laptop', fingerprint: publicKeyFingerprint(KEY), publicKey: KEY, managed: false });
    expect(imported.fingerprint).toMatch(/^SHA256:/);
    expect((await registry.importKey(KEY, context)).id).toBe(imported.id);
    expect(fake.requestsTo('POST', /^\/v1\/keys$/)).toHaveLength(1);
    expect((await registry.list(context)).map((key) => key.name).sort()).toEqual(['laptop', 'other']);
    await registry.deleteKey(imported.id, context);
    await registry.deleteKey(imported.id, context);
    expect([...fake.keys.keys()]).toEqual([1]);
  });
});
