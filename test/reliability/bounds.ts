/**
 * The bounds every driver keeps against a hostile server (issue 18): a body that drips in, a body
 * that never ends, a gzip bomb, pages that link to new pages for ever, a listing that outlives its
 * deadline, and secrets echoed back in every field of an error answer. Each case goes through the
 * real driver and its real transport to the fault proxy on loopback.
 *
 * No assertion here depends on how fast the machine is: the bounds are far from what a correct
 * driver needs (seconds against a stall of minutes, megabytes against gigabytes), and each case
 * asserts on what happened (the error's kind and code, the requests the proxy saw, the bytes it
 * wrote), never on elapsed time.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCloudError, isTimeoutError, type CloudError } from '../../src/core/errors.js';
import { BOUND_CODES } from '../../src/core/limits.js';
import type { Node } from '../../src/core/types.js';
import { echoAnswer, type FaultProxy } from '../fakes/fault-proxy/index.js';
import { findSecrets, textsOfError } from '../security/scan.js';
import type { ReliabilityFixture } from './suite.js';

/** What the bounds cases need from the running suite. */
export interface BoundsContext {
  readonly fixture: ReliabilityFixture;
  readonly listed: readonly Node[];
  readonly listTag: Readonly<Record<string, string>>;
  readonly produced: unknown[];
  observe<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown; ms: number }>;
  expectCloudError(error: unknown, operation: string): CloudError;
}

const MiB = 1024 * 1024;
/** The body bound the cases set: small, so the proxy's writes show where the client stopped. */
const BODY_BOUND = 2 * MiB;
const PAGE_BOUND = 25;

/** Figures for the README's Reliability section, one JSON file per driver in the temp folder. */
const figures: Record<string, unknown> = {};
function record(provider: string, key: string, value: unknown): void {
  figures[key] = value;
  writeFileSync(join(tmpdir(), `polycloud-bounds-${provider}.json`), `${JSON.stringify(figures, null, 2)}\n`);
}

function describeError(error: unknown): string {
  return error === undefined ? 'no error' : error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function bytesSent(proxy: FaultProxy): number {
  return proxy.requests.reduce((sum, request) => sum + (request.bytesSent ?? 0), 0);
}

/** Registers the bounds cases in the current `describe`. */
export function registerBoundsCases(context: () => BoundsContext): void {
  describe('bounds on answers and listings', () => {
    it('a body that drips in a few bytes at a time is cut off by the whole-exchange bound', async () => {
      const { fixture, listed, observe, expectCloudError } = context();
      const impatient = await fixture.makeDriver(fixture.proxy.url, { retries: 0, requestTimeoutMs: 1_000 });
      // 4 bytes every 400 ms: a node's answer would take minutes, and the server is never silent.
      fixture.proxy.inject({ ...fixture.routes.getNode, fault: { kind: 'drip', chunkBytes: 4, intervalMs: 400 } });
      const outcome = await observe(impatient.getNode((listed[0] as Node).id));
      expect(isTimeoutError(outcome.error), describeError(outcome.error)).toBe(true);
      expectCloudError(outcome.error, 'getNode');
      expect(fixture.proxy.count(fixture.routes.getNode)).toBe(1);
    });

    it('a body that never ends is refused at the size bound, not read until memory runs out', async () => {
      const { fixture, listed, observe, expectCloudError } = context();
      const bounded = await fixture.makeDriver(fixture.proxy.url, {
        retries: 0,
        requestTimeoutMs: 120_000,
        bounds: { maxBodyBytes: BODY_BOUND },
      });
      fixture.proxy.inject({ ...fixture.routes.getNode, fault: { kind: 'endless' } });
      const rssBefore = process.memoryUsage().rss;
      const outcome = await observe(bounded.getNode((listed[0] as Node).id));
      const rssGrowth = process.memoryUsage().rss - rssBefore;
      const error = expectCloudError(outcome.error, 'getNode');
      expect(error.code, describeError(error)).toBe(BOUND_CODES.bodyTooLarge);
      expect(error.retryable).toBe(false);
      const sent = bytesSent(fixture.proxy);
      // The proxy writes only as fast as the client reads, so what it wrote is what the client
      // took in before it hung up: the bound plus socket buffers, nowhere near the 2-minute stall.
      expect(sent).toBeLessThan(BODY_BOUND + 32 * MiB);
      record(fixture.provider, 'endlessBody', { maxBodyBytes: BODY_BOUND, bytesSentBeforeHangUp: sent, rssGrowthBytes: rssGrowth });
    }, 120_000);

    it('a gzip bomb is refused by its inflated size', async () => {
      const { fixture, listed, observe, expectCloudError } = context();
      const bounded = await fixture.makeDriver(fixture.proxy.url, { retries: 0, bounds: { maxBodyBytes: BODY_BOUND } });
      fixture.proxy.inject({ ...fixture.routes.getNode, fault: { kind: 'gzip-bomb', inflatedBytes: 1024 * MiB } });
      const rssBefore = process.memoryUsage().rss;
      const outcome = await observe(bounded.getNode((listed[0] as Node).id));
      const rssGrowth = process.memoryUsage().rss - rssBefore;
      expect(outcome.value, 'a gzip bomb was accepted as a node').toBeUndefined();
      const error = expectCloudError(outcome.error, 'getNode');
      expect(error.code, describeError(error)).toBe(BOUND_CODES.bodyTooLarge);
      // 1 GiB inflated would show as ≥ 1 GiB of growth; the bound keeps it to a few buffers.
      expect(rssGrowth).toBeLessThan(512 * MiB);
      record(fixture.provider, 'gzipBomb', {
        compressedBytes: bytesSent(fixture.proxy),
        inflatedBytes: 1024 * MiB,
        rssGrowthBytes: rssGrowth,
      });
    });

    it('pages that each link to a new page stop at the page cap with a typed error', async () => {
      const { fixture, observe, expectCloudError, listTag } = context();
      const capped = await fixture.makeDriver(fixture.proxy.url, { retries: 0, bounds: { maxPages: PAGE_BOUND } });
      const endless = { kind: 'respond', answer: fixture.endlessPage } as const;
      fixture.proxy.inject({ ...fixture.routes.listNodes, fault: endless });
      fixture.proxy.inject({ ...fixture.routes.laterPage, fault: endless });
      const outcome = await observe(capped.listNodes({ tags: listTag }));
      const error = expectCloudError(outcome.error, 'listNodes');
      expect(error.code, describeError(error)).toBe(BOUND_CODES.pageLimit);
      expect(error.message).toContain('maxPages');
      const sent = fixture.proxy.count(fixture.routes.listNodes) + fixture.proxy.count(fixture.routes.laterPage);
      expect(sent).toBe(PAGE_BOUND);
      record(fixture.provider, 'endlessPages', { maxPages: PAGE_BOUND, requestsSent: sent });
    });

    it('a listing that outlives its deadline stops with a TimeoutError saying so', async () => {
      const { fixture, observe, expectCloudError, listTag } = context();
      const hurried = await fixture.makeDriver(fixture.proxy.url, { retries: 0, bounds: { listingTimeoutMs: 1_000 } });
      const slow = { kind: 'respond', answer: fixture.endlessPage, delayMs: 150 } as const;
      fixture.proxy.inject({ ...fixture.routes.listNodes, fault: slow });
      fixture.proxy.inject({ ...fixture.routes.laterPage, fault: slow });
      const outcome = await observe(hurried.listNodes({ tags: listTag }));
      const error = expectCloudError(outcome.error, 'listNodes');
      expect(isTimeoutError(error), describeError(error)).toBe(true);
      expect(error.code).toBe(BOUND_CODES.listingTimeout);
    });

    for (const [what, entry] of [
      ['an empty object', {}],
      ['null', null],
      ['a number', 42],
    ] as const) {
      it(`${what} among the listed nodes is one CloudError naming the field, never a TypeError or a node "undefined"`, async () => {
        const { fixture, observe, expectCloudError, listTag } = context();
        const withEntry = fixture.withListEntry;
        if (!withEntry) {
          // EC2 answers are XML the SDK parses into typed objects; there is no JSON list to corrupt.
          expect(fixture.format).toBe('ec2');
          return;
        }
        fixture.proxy.inject({ ...fixture.routes.listNodes, fault: { kind: 'malformed', body: (body) => withEntry(body, entry) } });
        const plain = await fixture.makeDriver(fixture.proxy.url, { retries: 0 });
        const outcome = await observe(plain.listNodes({ tags: listTag }));
        expect(outcome.value, 'a malformed entry was listed as a node').toBeUndefined();
        const error = expectCloudError(outcome.error, 'listNodes');
        expect(error.message).not.toMatch(/TypeError|Cannot read|undefined"/);
        expect(error.message).toMatch(/"?id"?|shape|object|entry|malformed/i);
      });
    }

    it('a secret echoed in every field of an error answer (request id, code, message, fields) is redacted everywhere', async () => {
      const { fixture, listed, observe, produced } = context();
      const secret = fixture.secrets.find((each) => each.onWire)?.value ?? (fixture.secrets[0]?.value as string);
      const errors: unknown[] = [];
      const driver = await fixture.makeDriver(fixture.proxy.url, { retries: 0 });
      for (const status of [400, 401, 403, 404, 409, 422, 500]) {
        fixture.proxy.reset();
        fixture.proxy.inject({ fault: { kind: 'answer', answer: echoAnswer(fixture.format, status, secret) } });
        const calls: (() => Promise<unknown>)[] = [
          () => driver.getNode((listed[0] as Node).id),
          () => driver.listNodes({}),
          () => driver.destroyNode(fixture.missingNodeId),
          () => driver.createNode({ name: 'echo-1', size: fixture.size, image: fixture.image, location: fixture.location }),
        ];
        for (const call of calls) {
          const outcome = await observe(call());
          errors.push(outcome.error);
        }
      }
      produced.push(...errors);
      // Every call fails, except destroying a node the server calls absent (404), which succeeds by contract.
      const failures = errors.filter((error) => error !== undefined);
      expect(failures.length).toBeGreaterThanOrEqual(errors.length - 1);
      expect(
        failures.every((error) => isCloudError(error)),
        failures.map(describeError).join('\n'),
      ).toBe(true);
      expect(
        findSecrets(
          errors.flatMap((error) => textsOfError(error)),
          [secret],
        ),
      ).toEqual([]);
      // The echoed values arrived in place of the request id: redacted, yet still present.
      expect(errors.some((error) => (error as CloudError).requestId === '[redacted]' || (error as CloudError).code === '[redacted]')).toBe(
        true,
      );
    }, 240_000);
  });
}
