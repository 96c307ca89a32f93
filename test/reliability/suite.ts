/**
 * The reliability suite every network driver runs, against its fake (or moto) behind the fault
 * proxy: retries within budget honouring Retry-After, exactly one node from a create whose answer
 * was lost, no silent truncation of lists, CloudErrors for garbage bodies, prompt cancellation
 * without leftovers, per-region failures reported beside the results that did arrive, no leaked
 * secret under any fault, input rejected before any request, and https-only endpoints.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Driver } from '../../src/core/driver.js';
import {
  isCloudError,
  isConfigurationError,
  isInvalidRequestError,
  isNotFoundError,
  isPartialFailureError,
  isProviderUnavailableError,
  isRateLimitError,
  isTimeoutError,
  type CloudError,
  type PartialFailureError,
  type RateLimitError,
} from '../../src/core/errors.js';
import type { Logger } from '../../src/core/logger.js';
import type { TransportBounds } from '../../src/core/limits.js';
import { MultiCloud } from '../../src/multicloud/index.js';
import { VirtualClock } from '../../src/core/clock.js';
import { createLocalDriver } from '../../providers/local/index.js';
import type { Node, ProviderName } from '../../src/core/types.js';
import {
  errorAnswer,
  type CannedAnswer,
  type Fault,
  type FaultProxy,
  type ProxiedRequest,
  type RequestPattern,
  type WireFormat,
} from '../fakes/fault-proxy/index.js';
import { registerBoundsCases } from './bounds.js';
import { registerInputHardening, type HardeningLimits } from '../security/input-hardening.js';
import { findSecrets, textsOfError, textsOfValue } from '../security/scan.js';

/** How the suite asks a fixture for a driver. */
export interface ReliabilityDriverOptions {
  /** Retries after the first attempt (the attempt budget is `retries + 1`), with short pauses. */
  readonly retries: number;
  /** Where the driver logs, if it takes a logger. */
  readonly logger?: Logger;
  /** Locations the driver covers. Default: the fixture's `location`. */
  readonly locations?: readonly string[];
  /** The driver's per-request timeout, in ms: generous, so only a hang trips it on a loaded machine. Default: 60 000. */
  readonly requestTimeoutMs?: number;
  /** Body, page and listing bounds. Default: the driver's defaults. */
  readonly bounds?: TransportBounds;
}

/** A credential planted in the driver's options. */
export interface PlantedSecret {
  readonly value: string;
  /** Whether the value itself is sent on the wire (a bearer token, a session token) — a signing key is not. */
  readonly onWire: boolean;
}

/** Which requests each operation sends, as the proxy sees them. */
export interface ReliabilityRoutes {
  /** The first request of a node listing. */
  readonly listNodes: RequestPattern;
  /** Requests for the second and later pages of a node listing. */
  readonly laterPage: RequestPattern;
  /** The request of `getNode`. */
  readonly getNode: RequestPattern;
  /** The request that creates a node. */
  readonly createNode: RequestPattern;
}

/** What a driver's test file provides to the suite. */
export interface ReliabilityFixture {
  readonly provider: ProviderName;
  /** The provider's wire format for injected throttles and errors. */
  readonly format: WireFormat;
  /** The fault proxy in front of the fake. */
  readonly proxy: FaultProxy;
  /** The fake itself, for setup and checks that must not go through the faults. */
  readonly upstreamUrl: string;
  /**
   * A module exporting `makeReliabilityDriver(endpoint, options)` (the same function as
   * `makeDriver`), loaded by a child process that must exit promptly after cancelled calls.
   */
  readonly factoryModule: string;
  /** Creates a driver for `endpoint` with the planted secrets as credentials. */
  makeDriver(endpoint: string, options: ReliabilityDriverOptions): Driver | Promise<Driver>;
  readonly location: string;
  readonly size: string;
  readonly image: string;
  /** A well-formed id of a node that does not exist. */
  readonly missingNodeId: string;
  /** A page size the provider accepts; the suite creates `pageSize + 1` nodes to get two pages. */
  readonly pageSize: number;
  readonly routes: ReliabilityRoutes;
  /** The provider's documented limits. */
  readonly limits: HardeningLimits;
  readonly secrets: readonly PlantedSecret[];
  /**
   * A page of an empty node listing that links to the page after the one `request` asked for, in
   * the provider's format: every page leads to a new one, for ever.
   */
  endlessPage(request: ProxiedRequest): CannedAnswer;
  /**
   * The node listing's body with `entry` added to its list (JSON providers), for the malformed-entry
   * cases; absent where entries are XML parsed by the SDK (EC2).
   */
  readonly withListEntry?: (body: string, entry: unknown) => string;
  /** For drivers that fan out per region or zone: a second location and the requests that go to it. */
  readonly regions?: { readonly failing: string; readonly failingRequests: RequestPattern };
  cleanup(): Promise<void>;
}

/**
 * An outer bound against hangs only, in ms: a cancelled or timed-out call settles long before it
 * on any machine, however loaded. Every injected stall is far longer (≥ 60 s, or a 30 s
 * Retry-After pause per retry), so a call that was not cancelled still fails the case.
 */
const CANCEL_BOUND_MS = 20_000;
/** An injected stall: far past {@link CANCEL_BOUND_MS} and every test's own time limit. */
const STALL_MS = 60_000;
const BUDGET = 2;
const CHILD_SCRIPT = fileURLToPath(new URL('./child-exit.ts', import.meta.url));

async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown; ms: number }> {
  const started = performance.now();
  try {
    const value = await promise;
    return { value, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
}

function describeError(error: unknown): string {
  return error === undefined ? 'no error' : error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** What a driver is, known before its fixture starts: decides which cases apply. */
export interface ReliabilityTraits {
  /** The driver fans out per region or zone (the fixture then gives `regions`). */
  readonly perRegion: boolean;
  /** The provider's throttling answers carry `Retry-After` (EC2 and Compute send none). */
  readonly sendsRetryAfter: boolean;
  /**
   * The bounds cases (drip, endless body, gzip bomb, endless pages, listing deadline, echoed
   * secrets) run. Default: true.
   */
  readonly boundedTransport?: boolean;
}

/** Registers the reliability suite for one driver. */
export function runReliabilitySuite(label: string, traits: ReliabilityTraits, setup: () => Promise<ReliabilityFixture>): void {
  describe(`reliability: ${label}`, () => {
    let fixture: ReliabilityFixture;
    let proxy: FaultProxy;
    let driver: Driver;
    let direct: Driver;
    const logLines: string[] = [];
    const logger: Logger = { debug: (line) => logLines.push(line), warn: (line) => logLines.push(line) };
    const produced: unknown[] = [];
    const runTag = { 'rel-run': randomUUID().slice(0, 8) };
    const listTag = { ...runTag, 'rel-set': 'pages' };
    const listed: Node[] = [];
    let sequence = 0;

    const request = (tags: Record<string, string> = {}, overrides: Record<string, unknown> = {}) => ({
      name: `rel-${runTag['rel-run']}-${++sequence}`,
      size: fixture.size,
      image: fixture.image,
      location: fixture.location,
      tags: { ...runTag, ...tags },
      ...overrides,
    });

    /** Settles a call, keeping what it produced for the secret scan. */
    const observe = async <T>(promise: Promise<T>) => {
      const outcome = await settle(promise);
      produced.push(outcome.error ?? outcome.value);
      return outcome;
    };

    const expectCloudError = (error: unknown, operation: string): CloudError => {
      expect(isCloudError(error), `expected a CloudError from ${operation}, got ${describeError(error)}`).toBe(true);
      const cloudError = error as CloudError;
      expect(cloudError.provider).toBe(fixture.provider);
      expect(cloudError.operation).toBe(operation);
      expect(cloudError.message).toContain(operation);
      expect(cloudError.message).toContain(fixture.provider);
      return cloudError;
    };

    const liveNodesTagged = async (tags: Record<string, string>) =>
      (await direct.listNodes({ tags })).filter((node) => node.state !== 'terminated' && node.state !== 'terminating');

    beforeAll(async () => {
      fixture = await setup();
      proxy = fixture.proxy;
      driver = await fixture.makeDriver(proxy.url, { retries: BUDGET, logger });
      direct = await fixture.makeDriver(fixture.upstreamUrl, { retries: 0 });
      for (let index = 0; index <= fixture.pageSize; index += 1) listed.push(await direct.createNode(request(listTag)));
    });

    afterEach(() => proxy.reset());

    afterAll(async () => {
      if (!fixture) return;
      const leftovers = await direct.listNodes({ tags: runTag }).catch(() => [] as Node[]);
      await Promise.allSettled(leftovers.map((node) => direct.destroyNode(node)));
      await fixture.cleanup();
    });

    describe('retries', () => {
      it('a throttled read succeeds after retries that honour Retry-After, within the attempt budget', async () => {
        proxy.inject({
          ...fixture.routes.getNode,
          first: BUDGET,
          fault: { kind: 'throttle', format: fixture.format, retryAfterSeconds: 1 },
        });
        const target = listed[0] as Node;
        const outcome = await observe(driver.getNode(target.id));
        expect(outcome.error, describeError(outcome.error)).toBeUndefined();
        expect(outcome.value?.id).toBe(target.id);
        expect(proxy.count(fixture.routes.getNode)).toBe(BUDGET + 1);
        if (traits.sendsRetryAfter) expect(outcome.ms).toBeGreaterThanOrEqual(BUDGET * 1_000 - 50);
      });

      it('persistent throttling fails with a RateLimitError after exactly the attempt budget', async () => {
        proxy.inject({ ...fixture.routes.getNode, fault: { kind: 'throttle', format: fixture.format, retryAfterSeconds: 0 } });
        const outcome = await observe(driver.getNode((listed[0] as Node).id));
        expect(isRateLimitError(outcome.error), describeError(outcome.error)).toBe(true);
        expectCloudError(outcome.error, 'getNode');
        expect(proxy.count(fixture.routes.getNode)).toBe(BUDGET + 1);
      });

      it('server-error bursts and lost connections on reads are retried until they succeed', async () => {
        proxy.inject({ ...fixture.routes.listNodes, nth: 1, fault: { kind: 'server-error', format: fixture.format } });
        proxy.inject({ ...fixture.routes.listNodes, nth: 2, fault: { kind: 'reset-before' } });
        const outcome = await observe(driver.listNodes({ tags: listTag, pageSize: fixture.pageSize }));
        expect(outcome.error, describeError(outcome.error)).toBeUndefined();
        expect(outcome.value?.map((node) => node.id).sort()).toEqual(listed.map((node) => node.id).sort());
        expect(proxy.count(fixture.routes.listNodes)).toBe(3);
      });

      if (traits.sendsRetryAfter) {
        it('a Retry-After longer than the policy allows fails at once with a RateLimitError carrying it', async () => {
          proxy.inject({ ...fixture.routes.getNode, fault: { kind: 'throttle', format: fixture.format, retryAfterSeconds: 120 } });
          const outcome = await observe(driver.getNode((listed[0] as Node).id));
          expect(isRateLimitError(outcome.error), describeError(outcome.error)).toBe(true);
          expect((outcome.error as RateLimitError).retryAfterMs).toBeGreaterThan(100_000);
          expect(outcome.ms).toBeLessThan(CANCEL_BOUND_MS);
          expect(proxy.count(fixture.routes.getNode)).toBe(1);
        });
      }

      it('a request that outlives the request timeout fails with a retryable TimeoutError after the budget', async () => {
        const impatient = await fixture.makeDriver(proxy.url, { retries: 1, requestTimeoutMs: 300 });
        proxy.inject({ ...fixture.routes.getNode, fault: { kind: 'latency', ms: STALL_MS } });
        const outcome = await observe(impatient.getNode((listed[0] as Node).id));
        expect(isTimeoutError(outcome.error), describeError(outcome.error)).toBe(true);
        expect(expectCloudError(outcome.error, 'getNode').retryable).toBe(true);
        expect(outcome.ms).toBeLessThan(2 * 300 + CANCEL_BOUND_MS);
        expect(proxy.count(fixture.routes.getNode)).toBe(2);
      });

      it('a read failing on every attempt gives up after the budget with a retryable ProviderUnavailableError', async () => {
        proxy.inject({ ...fixture.routes.getNode, fault: { kind: 'server-error', format: fixture.format, status: 503 } });
        const outcome = await observe(driver.getNode((listed[0] as Node).id));
        expect(isProviderUnavailableError(outcome.error), describeError(outcome.error)).toBe(true);
        expect(expectCloudError(outcome.error, 'getNode').retryable).toBe(true);
        expect(proxy.count(fixture.routes.getNode)).toBe(BUDGET + 1);
      });
    });

    describe('idempotent create', () => {
      const createOnce = async (fault: Fault, { mayFail = false } = {}) => {
        const tags = { 'rel-case': `create-${fault.kind}` };
        proxy.inject({ ...fixture.routes.createNode, first: 1, fault });
        const idempotent = request(tags, { idempotencyKey: `rel-${randomUUID()}` });
        // Every driver makes its create safe to repeat (token or tag check), so its own retry
        // recovers from a lost answer: the caller sees one successful call.
        const outcome = await observe(driver.createNode(idempotent));
        if (mayFail && outcome.error !== undefined) expectCloudError(outcome.error, 'createNode');
        else expect(outcome.error, describeError(outcome.error)).toBeUndefined();
        // Repeating the call with the same key returns the one node, however the first call ended.
        const again = await observe(driver.createNode(idempotent));
        expect(again.error, describeError(again.error)).toBeUndefined();
        if (outcome.value) expect(again.value?.id).toBe(outcome.value.id);
        const live = await liveNodesTagged({ ...runTag, ...tags });
        expect(live.map((node) => node.id)).toEqual([again.value?.id]);
      };

      it('a create whose answer was lost after the provider processed it yields exactly one node', async () => {
        await createOnce({ kind: 'reset-after' });
        expect(proxy.matching(fixture.routes.createNode).filter((each) => each.fault === 'reset-after')).toHaveLength(1);
      });

      it('a create whose request never arrived yields exactly one node', async () => {
        await createOnce({ kind: 'reset-before' });
      });

      it('a create throttled at first yields exactly one node', async () => {
        await createOnce({ kind: 'throttle', format: fixture.format, retryAfterSeconds: 0 });
      });

      it('a create answered with garbage after the provider acted fails cleanly or recovers, and one node exists', async () => {
        await createOnce({ kind: 'malformed' }, { mayFail: true });
      });
    });

    describe('lists', () => {
      it('spans several pages when nothing fails (control)', async () => {
        const nodes = await driver.listNodes({ tags: listTag, pageSize: fixture.pageSize });
        expect(nodes).toHaveLength(fixture.pageSize + 1);
        expect(proxy.count(fixture.routes.laterPage)).toBeGreaterThanOrEqual(1);
      });

      it('a list whose later page keeps failing raises instead of returning the first pages', async () => {
        proxy.inject({ ...fixture.routes.laterPage, fault: { kind: 'server-error', format: fixture.format } });
        const outcome = await observe(driver.listNodes({ tags: listTag, pageSize: fixture.pageSize }));
        expect(outcome.value, 'listNodes returned a partial list as if complete').toBeUndefined();
        expectCloudError(outcome.error, 'listNodes');
        expect(proxy.count(fixture.routes.laterPage)).toBe(BUDGET + 1);
      });

      it('iterating yields the first page, then raises', async () => {
        proxy.inject({ ...fixture.routes.laterPage, fault: { kind: 'server-error', format: fixture.format } });
        const seen: Node[] = [];
        const outcome = await observe(
          (async () => {
            for await (const node of driver.iterateNodes({ tags: listTag, pageSize: fixture.pageSize })) seen.push(node);
          })(),
        );
        expectCloudError(outcome.error, 'iterateNodes');
        expect(seen.length).toBeLessThanOrEqual(fixture.pageSize);
      });

      it('a truncated later page raises a CloudError', async () => {
        proxy.inject({ ...fixture.routes.laterPage, fault: { kind: 'truncate' } });
        const outcome = await observe(driver.listNodes({ tags: listTag, pageSize: fixture.pageSize }));
        expect(outcome.value, 'listNodes returned a partial list as if complete').toBeUndefined();
        expectCloudError(outcome.error, 'listNodes');
      });
    });

    describe('malformed answers', () => {
      const faults: [string, Fault][] = [
        ['a short, truncated body', { kind: 'truncate' }],
        ['a body cut off mid-transfer', { kind: 'truncate', keepBytes: 12, cut: true }],
        ['an HTML error page', { kind: 'malformed' }],
        ['an empty body', { kind: 'malformed', body: '' }],
        ['a JSON null', { kind: 'malformed', body: 'null' }],
        ['an empty JSON array', { kind: 'malformed', body: '[]' }],
        ['an empty JSON object', { kind: 'malformed', body: '{}' }],
      ];
      for (const [what, fault] of faults) {
        it(`${what} raises a CloudError naming provider and operation, never a TypeError`, async () => {
          proxy.inject({ ...fixture.routes.getNode, fault });
          proxy.inject({ ...fixture.routes.listNodes, fault });
          const get = await observe(driver.getNode((listed[0] as Node).id));
          expect(get.value, 'getNode returned a node from a malformed answer').toBeUndefined();
          expect(expectCloudError(get.error, 'getNode').name).not.toMatch(/^(TypeError|SyntaxError|RangeError)$/);
          expect(isNotFoundError(get.error), `a garbage answer is not proof that the node is gone: ${describeError(get.error)}`).toBe(
            false,
          );
          const list = await observe(driver.listNodes({ tags: listTag }));
          expect(list.value, 'listNodes returned nodes from a malformed answer').toBeUndefined();
          expect(expectCloudError(list.error, 'listNodes').name).not.toMatch(/^(TypeError|SyntaxError|RangeError)$/);
          expect(proxy.count(fixture.routes.getNode)).toBeGreaterThanOrEqual(1);
        });
      }
    });

    describe('timeouts and cancellation', () => {
      const waitForNoConnections = async () => {
        const deadline = performance.now() + CANCEL_BOUND_MS;
        while (proxy.openConnections() > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
        return proxy.openConnections();
      };

      it('an AbortSignal cancels a slow request promptly, with its reason, and closes the connection', async () => {
        proxy.inject({ ...fixture.routes.getNode, fault: { kind: 'latency', ms: STALL_MS } });
        const controller = new AbortController();
        const reason = new Error('caller gave up');
        setTimeout(() => controller.abort(reason), 200);
        const outcome = await observe(driver.getNode((listed[0] as Node).id, { signal: controller.signal }));
        expect(outcome.error).toBe(reason);
        expect(outcome.ms).toBeLessThan(200 + CANCEL_BOUND_MS);
        expect(await waitForNoConnections()).toBe(0);
      });

      it('a timeout signal cancels a body that drips in slowly', async () => {
        proxy.inject({ ...fixture.routes.listNodes, fault: { kind: 'drip', chunkBytes: 4, intervalMs: 1_000 } });
        const outcome = await observe(driver.listNodes({ tags: listTag }, { signal: AbortSignal.timeout(300) }));
        expect((outcome.error as Error | undefined)?.name, describeError(outcome.error)).toBe('TimeoutError');
        expect(outcome.ms).toBeLessThan(300 + CANCEL_BOUND_MS);
        expect(await waitForNoConnections()).toBe(0);
      });

      it('cancelling during a Retry-After pause stops the retries at once', async () => {
        proxy.inject({ ...fixture.routes.getNode, fault: { kind: 'throttle', format: fixture.format, retryAfterSeconds: 30 } });
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 300);
        const outcome = await observe(driver.getNode((listed[0] as Node).id, { signal: controller.signal }));
        expect(outcome.error).toBeDefined();
        expect(outcome.ms).toBeLessThan(300 + CANCEL_BOUND_MS);
        expect(proxy.count(fixture.routes.getNode)).toBeLessThanOrEqual(BUDGET + 1);
      });

      it('waitForNode times out within its bound with a TimeoutError naming the last state', async () => {
        const target = listed[0] as Node;
        const outcome = await observe(driver.waitForNode(target.id, 'stopped', { timeoutMs: 300, intervalMs: 50 }));
        expect(isTimeoutError(outcome.error), describeError(outcome.error)).toBe(true);
        expectCloudError(outcome.error, 'waitForNode');
        expect(outcome.ms).toBeLessThan(300 + CANCEL_BOUND_MS);
      });

      it(
        'a process whose calls were cancelled exits promptly: no dangling timers or sockets',
        async () => {
          const config = { module: fixture.factoryModule, endpoint: proxy.url, nodeId: (listed[0] as Node).id };
          const child = spawn(process.execPath, ['--import', 'tsx', CHILD_SCRIPT, JSON.stringify(config)], {
            cwd: process.cwd(),
            env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', METADATA_SERVER_DETECTION: 'none' },
            stdio: ['pipe', 'pipe', 'pipe'],
          });
          let stdout = '';
          let stderr = '';
          let reportedAt = 0;
          child.stdout.on('data', (chunk: Buffer) => {
            stdout += chunk.toString();
            if (stdout.startsWith('ready\n') && !child.stdin.writableEnded) {
              // The child is warm: stall its next calls, then let it run them.
              proxy.inject({ ...fixture.routes.getNode, fault: { kind: 'latency', ms: STALL_MS } });
              proxy.inject({ ...fixture.routes.listNodes, fault: { kind: 'throttle', format: fixture.format, retryAfterSeconds: 30 } });
              child.stdin.end('go\n');
            }
            if (!reportedAt && stdout.slice('ready\n'.length).includes('\n')) reportedAt = performance.now();
          });
          child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
          const exit = await new Promise<{ code: number | null; at: number }>((resolve) => {
            const killer = setTimeout(() => child.kill('SIGKILL'), 2 * STALL_MS);
            child.on('exit', (code) => {
              clearTimeout(killer);
              resolve({ code, at: performance.now() });
            });
          });
          expect(exit.code, `child failed: ${stderr}`).toBe(0);
          expect(proxy.count(fixture.routes.getNode), 'the stalled getNode never reached the proxy').toBeGreaterThanOrEqual(2);
          const report = JSON.parse(stdout.slice('ready\n'.length).trim()) as {
            getNode: { ms: number; error: string };
            listNodes: { ms: number; error: string };
          };
          expect(report.getNode.error).not.toBe('none');
          expect(report.getNode.ms).toBeLessThan(300 + CANCEL_BOUND_MS);
          expect(report.listNodes.error).not.toBe('none');
          expect(report.listNodes.ms).toBeLessThan(300 + CANCEL_BOUND_MS);
          // A dangling timer or socket would hold the child for the 60 s stall or the 30 s Retry-After.
          expect(exit.at - reportedAt, 'the child lingered after its last call: something still holds the event loop').toBeLessThan(
            CANCEL_BOUND_MS,
          );
        },
        4 * STALL_MS,
      );
    });

    if (traits.boundedTransport !== false) registerBoundsCases(() => ({ fixture, listed, observe, expectCloudError, listTag, produced }));

    describe('partial failures across providers', () => {
      const multiCloudWith = async (timeoutMs: number) => {
        const local = createLocalDriver({ clock: new VirtualClock() });
        const localNode = await local.createNode({
          name: 'healthy-1',
          size: 's-2vcpu-4gb',
          image: 'ubuntu-24.04-x64',
          location: 'fra1',
          tags: listTag,
        });
        return { multi: new MultiCloud({ drivers: { faulty: driver, healthy: local }, timeoutMs }), localNode };
      };

      it('a provider that fails is reported while the other provider’s nodes still arrive', async () => {
        const { multi, localNode } = await multiCloudWith(10_000);
        proxy.inject({ fault: { kind: 'server-error', format: fixture.format } });
        const result = await multi.listNodes({ tags: listTag });
        produced.push(result, ...result.failures.map((failure) => failure.error));
        expect(result.nodes.map((each) => each.node.id)).toEqual([localNode.id]);
        expect(result.failures).toHaveLength(1);
        expect(result.failures[0]?.cloud).toBe('faulty');
        expect(result.failures[0]?.provider).toBe(fixture.provider);
        expect(isCloudError(result.failures[0]?.error)).toBe(true);
      });

      it('a provider that hangs is reported as timed out within the bound while the other’s nodes arrive', async () => {
        const { multi, localNode } = await multiCloudWith(400);
        proxy.inject({ fault: { kind: 'latency', ms: STALL_MS } });
        const outcome = await settle(multi.listNodes({ tags: listTag }));
        produced.push(outcome.value);
        expect(outcome.ms).toBeLessThan(400 + CANCEL_BOUND_MS);
        expect(outcome.value?.nodes.map((each) => each.node.id)).toEqual([localNode.id]);
        expect(outcome.value?.failures.map((failure) => [failure.cloud, isTimeoutError(failure.error)])).toEqual([['faulty', true]]);
      });
    });

    // Drivers that list globally (one request covers every location) have no per-region fan-out to fail.
    if (traits.perRegion)
      describe('partial failures across regions', () => {
        it('a failing region is reported while the other region’s nodes still arrive', async () => {
          const regions = fixture.regions;
          if (!regions) throw new Error('a per-region driver must give `regions` in its reliability fixture');
          const twoRegions = await fixture.makeDriver(proxy.url, { retries: 1, locations: [fixture.location, regions.failing] });
          proxy.inject({ ...regions.failingRequests, fault: { kind: 'server-error', format: fixture.format } });
          const outcome = await observe(twoRegions.listNodes({ tags: listTag }));
          expect(isPartialFailureError(outcome.error), describeError(outcome.error)).toBe(true);
          const partial = outcome.error as PartialFailureError<Node>;
          expect(partial.partial.map((node) => node.id).sort()).toEqual(listed.map((node) => node.id).sort());
          expect(partial.failures).toHaveLength(1);
          expect(partial.failures[0]?.location ?? partial.failures[0]?.message).toContain(regions.failing);
          const seen: string[] = [];
          const iterated = await observe(
            (async () => {
              for await (const node of twoRegions.iterateNodes({ tags: listTag })) seen.push(node.id);
            })(),
          );
          expect(isPartialFailureError(iterated.error), describeError(iterated.error)).toBe(true);
          expect(seen.sort()).toEqual(listed.map((node) => node.id).sort());
        });
      });

    describe('input hardening', () => {
      registerInputHardening(() => ({
        driver,
        requestCount: () => proxy.count(),
        limits: fixture.limits,
        size: fixture.size,
        image: fixture.image,
        location: fixture.location,
        nodeId: fixture.missingNodeId,
      }));

      it('URL-encodes ids into request paths (or rejects them before any request)', async () => {
        for (const id of ['a.b:c@d_e-f', 'x:1', 'n@1']) {
          proxy.reset();
          const outcome = await observe(driver.getNode(id));
          // Rejected as malformed, or known not to exist without asking (e.g. not a number where ids are numbers).
          if (proxy.count() === 0) {
            expect(isInvalidRequestError(outcome.error) || isNotFoundError(outcome.error), describeError(outcome.error)).toBe(true);
            continue;
          }
          expect(isNotFoundError(outcome.error), describeError(outcome.error)).toBe(true);
          const sent = proxy.requests.map((each) => `${each.url} ${each.body}`).join('\n');
          expect(sent).toContain(encodeURIComponent(id));
          expect(proxy.requests.some((each) => each.path.includes(id))).toBe(false);
        }
      });
    });

    describe('endpoints', () => {
      it('a plain-http endpoint that is not loopback is rejected; https and loopback http are accepted', async () => {
        for (const endpoint of [
          'http://192.0.2.10:8080',
          'http://example.com',
          'http://10.0.0.1',
          'http://169.254.169.254',
          'ftp://127.0.0.1/',
          'https://user:pass@127.0.0.1',
        ]) {
          let error: unknown;
          try {
            const unsafe = await fixture.makeDriver(endpoint, { retries: 0 });
            await unsafe.listNodes({}, { signal: AbortSignal.timeout(1_000) });
          } catch (caught) {
            error = caught;
          }
          expect(isInvalidRequestError(error) || isConfigurationError(error), `${endpoint}: ${describeError(error)}`).toBe(true);
          expect((error as CloudError).provider).toBe(fixture.provider);
          expect((error as CloudError).message).toMatch(/endpoint/i);
        }
        for (const endpoint of ['https://api.example.com', 'http://127.0.0.1:1', 'http://localhost:1', 'http://[::1]:1']) {
          await expect(Promise.resolve().then(() => fixture.makeDriver(endpoint, { retries: 0 }))).resolves.toBeDefined();
        }
      });
    });

    describe('secrets', () => {
      it('no planted secret appears in any error, cause, log line, inspect or JSON output under any fault', async () => {
        const tokenLike = fixture.secrets.find((secret) => secret.onWire)?.value ?? fixture.secrets[0]?.value ?? '';
        const faults: Fault[] = [
          { kind: 'throttle', format: fixture.format, retryAfterSeconds: 0 },
          { kind: 'server-error', format: fixture.format, status: 500 },
          {
            kind: 'answer',
            answer: errorAnswer(
              fixture.format,
              401,
              fixture.format === 'ec2' ? 'AuthFailure' : 'unauthorized',
              `token ${tokenLike} was rejected; Authorization: Bearer ${tokenLike}`,
            ),
          },
          {
            kind: 'answer',
            answer: errorAnswer(fixture.format, 400, 'InvalidParameterValue', `bad request with X-Amz-Security-Token=${tokenLike}`),
          },
          { kind: 'reset-before' },
          { kind: 'reset-after' },
          { kind: 'truncate', cut: true },
          { kind: 'malformed', body: `{"message": "${tokenLike}"` },
        ];
        for (const fault of faults) {
          proxy.reset();
          proxy.inject({ fault });
          await observe(driver.getNode((listed[0] as Node).id));
          await observe(driver.listNodes({ tags: listTag }));
          await observe(driver.createNode(request({ 'rel-case': 'secrets' })));
          await observe(driver.destroyNode(fixture.missingNodeId));
        }
        const onWire = fixture.secrets.filter((secret) => secret.onWire);
        const wire = proxy.requests.map((each) => JSON.stringify(each.headers)).join('\n');
        for (const secret of onWire)
          expect(wire, 'the planted secret never reached the wire: the scan would prove nothing').toContain(secret.value);

        const texts = [
          ...produced.flatMap((item) => (item instanceof Error || isCloudError(item) ? textsOfError(item) : textsOfValue(item))),
          ...textsOfValue(driver),
          ...textsOfValue(direct),
          ...logLines,
        ];
        expect(produced.length).toBeGreaterThanOrEqual(faults.length * 4);
        expect(logLines.length, 'the driver logged nothing: the log scan would prove nothing').toBeGreaterThan(0);
        expect(
          findSecrets(
            texts,
            fixture.secrets.map((secret) => secret.value),
          ),
        ).toEqual([]);
      });
    });
  });
}
