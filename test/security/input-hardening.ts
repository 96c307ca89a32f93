/**
 * Input hardening, for any driver: every public method rejects bad arguments with an
 * `InvalidRequestError` naming the provider, before a single request reaches the provider.
 */
import { expect, it } from 'vitest';
import type { Driver } from '../../src/core/driver.js';
import { isInvalidRequestError } from '../../src/core/errors.js';
import type { ProviderName } from '../../src/core/types.js';

/** The provider limits the hardening cases exceed, as the provider documents them. */
export interface HardeningLimits {
  readonly maxNameLength: number;
  readonly maxTags: number;
  readonly maxTagKeyLength: number;
  readonly maxTagValueLength: number;
  readonly maxUserDataBytes: number;
}

/** What the hardening cases need. */
export interface HardeningTarget {
  readonly driver: Driver;
  /** Requests that reached the provider (proxy or simulator) so far. */
  requestCount(): number;
  readonly limits: HardeningLimits;
  /** A size, image and location that would be valid together. */
  readonly size: string;
  readonly image: string;
  readonly location: string;
  /** A well-formed id (of a node that may or may not exist), for cases where another argument is wrong. */
  readonly nodeId: string;
}

/** Ids no driver may put on the wire: wrong types, empty, path separators, URL metacharacters, absurd lengths. */
export const BAD_IDS: readonly unknown[] = [
  undefined,
  null,
  42,
  {},
  [],
  '',
  '   ',
  '../../etc/passwd',
  '..',
  'a/b',
  'a\\b',
  'a?x=1',
  'a#frag',
  'a%2Fb',
  'a&b=c',
  'a b',
  'a\nb',
  'a\u0000b',
  'https://evil.example/x',
  'x'.repeat(100_000),
];

/** Registers the hardening cases in the current `describe`. */
export function registerInputHardening(target: () => HardeningTarget): void {
  const other = (provider: ProviderName): ProviderName => (provider === 'local' ? 'aws' : 'local');

  /** Runs `call` and expects an InvalidRequestError from the driver's provider, with no request sent. */
  async function expectRejectedLocally(what: string, call: () => unknown): Promise<void> {
    const { driver, requestCount } = target();
    const before = requestCount();
    let error: unknown;
    try {
      const result = call();
      if (result && typeof (result as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
        for await (const _node of result as AsyncIterable<unknown>) break;
      } else {
        await result;
      }
    } catch (caught) {
      error = caught;
    }
    expect(
      isInvalidRequestError(error),
      `${what}: expected InvalidRequestError, got ${error === undefined ? 'success' : String(error)}`,
    ).toBe(true);
    expect((error as { provider?: unknown }).provider, what).toBe(driver.provider);
    expect(requestCount() - before, `${what}: requests sent before rejecting`).toBe(0);
  }

  it('counts requests (control: a well-formed call does reach the provider)', async () => {
    const { driver, requestCount, nodeId } = target();
    const before = requestCount();
    const outcome = await driver.getNode(nodeId).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isInvalidRequestError(outcome)).toBe(false);
    expect(requestCount()).toBeGreaterThan(before);
  });

  it('rejects bad node ids in every node method before any request', async () => {
    const { driver } = target();
    for (const id of BAD_IDS) {
      const shown = typeof id === 'string' && id.length > 40 ? `a string of ${id.length}` : JSON.stringify(id);
      await expectRejectedLocally(`getNode(${shown})`, () => driver.getNode(id as string));
      for (const method of ['rebootNode', 'startNode', 'stopNode', 'destroyNode'] as const) {
        await expectRejectedLocally(`${method}(${shown})`, () => driver[method](id as string));
        await expectRejectedLocally(`${method}({ id: ${shown} })`, () => driver[method]({ id } as never));
      }
      await expectRejectedLocally(`waitForNode(${shown})`, () => driver.waitForNode(id as string, 'running', { timeoutMs: 1 }));
    }
    for (const method of ['rebootNode', 'destroyNode', 'getNode'] as const) {
      const foreign = { id: target().nodeId, provider: other(driver.provider) };
      await expectRejectedLocally(`${method}(a node of another provider)`, () =>
        method === 'getNode' ? driver.getNode(foreign as never) : driver[method](foreign as never),
      );
    }
  });

  it('rejects bad queries, call options and wait options before any request', async () => {
    const { driver, location, nodeId } = target();
    const badQueries: unknown[] = [
      'all',
      42,
      [],
      { location: '' },
      { location: [] },
      { location: '../x' },
      { location: [location, 'a/b'] },
      { states: ['bogus'] },
      { states: [] },
      { tags: 'env=prod' },
      { tags: { env: 5 } },
      { tags: JSON.parse('{"__proto__": "x"}') as unknown },
      { tags: Object.fromEntries(Array.from({ length: 51 }, (_, index) => [`k${index}`, 'v'])) },
      { location: Array.from({ length: 101 }, (_, index) => `loc${index}`) },
      { pageSize: 0 },
      { pageSize: -1 },
      { pageSize: 1.5 },
      { pageSize: '10' },
    ];
    for (const query of badQueries) {
      await expectRejectedLocally(`listNodes(${JSON.stringify(query)})`, () => driver.listNodes(query as never));
      await expectRejectedLocally(`iterateNodes(${JSON.stringify(query)})`, () => driver.iterateNodes(query as never));
    }
    for (const query of ['x', 42, { location: 'a/b' }, { location: 5 }, { location: '' }]) {
      await expectRejectedLocally(`listSizes(${JSON.stringify(query)})`, () => driver.listSizes(query as never));
    }
    for (const query of ['x', { os: '' }, { version: 5 }, { arch: 'sparc' }, { location: '../x' }]) {
      await expectRejectedLocally(`listImages(${JSON.stringify(query)})`, () => driver.listImages(query as never));
    }
    for (const signal of ['x', {}, 5, { aborted: false }]) {
      const options = { signal } as never;
      await expectRejectedLocally(`listLocations({ signal: ${JSON.stringify(signal)} })`, () => driver.listLocations(options));
      await expectRejectedLocally(`listNodes({}, { signal: ${JSON.stringify(signal)} })`, () => driver.listNodes({}, options));
      await expectRejectedLocally(`getNode(id, { signal: ${JSON.stringify(signal)} })`, () => driver.getNode(nodeId, options));
    }
    const badWaits: [unknown, unknown][] = [
      ['bogus', {}],
      [[], {}],
      ['running', { timeoutMs: -1 }],
      ['running', { timeoutMs: Number.NaN }],
      ['running', { timeoutMs: Number.POSITIVE_INFINITY }],
      ['running', { timeoutMs: '1000' }],
      ['running', { intervalMs: -5 }],
      ['running', { backoffFactor: 0.5 }],
      ['running', 'fast'],
    ];
    for (const [state, options] of badWaits) {
      await expectRejectedLocally(`waitForNode(id, ${JSON.stringify(state)}, ${JSON.stringify(options)})`, () =>
        driver.waitForNode(nodeId, state as never, options as never),
      );
    }
  });

  it('rejects bad create requests, including tags and user data over the provider limits, before any request', async () => {
    const { driver, size, image, location, limits } = target();
    const valid = { name: 'hardening-1', size, image, location };
    const manyTags = Object.fromEntries(Array.from({ length: limits.maxTags + 1 }, (_, index) => [`k${index}`, 'v']));
    const cases: [string, unknown][] = [
      ['no request', undefined],
      ['a string request', 'node'],
      ['an empty request', {}],
      ['no name', { ...valid, name: undefined }],
      ['an empty name', { ...valid, name: '' }],
      ['a blank name', { ...valid, name: '   ' }],
      ['a numeric name', { ...valid, name: 42 }],
      ['a name over the limit', { ...valid, name: 'n'.repeat(limits.maxNameLength + 1) }],
      ['an absurd name', { ...valid, name: 'n'.repeat(1_000_000) }],
      ['a size with a path', { ...valid, size: '../x' }],
      ['an image with a slash', { ...valid, image: 'a/b' }],
      ['a location with a query', { ...valid, location: 'a?b=c' }],
      ['a size object without id', { ...valid, size: {} }],
      ['a size of another provider', { ...valid, size: { id: size, provider: other(driver.provider) } }],
      ['tags as an array', { ...valid, tags: ['a'] }],
      [`${limits.maxTags + 1} tags`, { ...valid, tags: manyTags }],
      ['a tag key over the limit', { ...valid, tags: { ['k'.repeat(limits.maxTagKeyLength + 1)]: 'v' } }],
      ['a tag value over the limit', { ...valid, tags: { k: 'v'.repeat(limits.maxTagValueLength + 1) } }],
      ['a non-string tag value', { ...valid, tags: { k: 1 } }],
      ['user data over the limit', { ...valid, userData: 'u'.repeat(limits.maxUserDataBytes + 1) }],
      ['non-string user data', { ...valid, userData: 5 }],
      ['sshKeys as a string', { ...valid, sshKeys: 'ssh-ed25519 AAAA' }],
      ['a malformed ssh key', { ...valid, sshKeys: ['not a key'] }],
      // Each key may be registered with a request of its own: 300 keys were 602 requests (issue 18).
      [
        '300 well-formed ssh keys',
        { ...valid, sshKeys: Array.from({ length: 300 }, (_, index) => `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5${index}A key-${index}`) },
      ],
      ['an ssh key of a megabyte', { ...valid, sshKeys: [`ssh-rsa ${'A'.repeat(1_000_000)}`] }],
      ['a __proto__ tag key', { ...valid, tags: JSON.parse('{"__proto__": "x"}') as unknown }],
      ['a constructor tag key', { ...valid, tags: { constructor: 'x' } }],
      ['an empty idempotency key', { ...valid, idempotencyKey: '' }],
      ['an idempotency key with a slash', { ...valid, idempotencyKey: 'a/b' }],
      ['an idempotency key over 64 characters', { ...valid, idempotencyKey: 'k'.repeat(65) }],
      ['providerOptions as a string', { ...valid, providerOptions: 'x' }],
    ];
    for (const [what, request] of cases) {
      await expectRejectedLocally(`createNode(${what})`, () => driver.createNode(request as never));
    }
    await expectRejectedLocally('createNode with a bad signal', () => driver.createNode(valid, { signal: 'x' } as never));
  });
}
