/**
 * What moto cannot show by itself: throttling, server errors, lost answers and a failing region.
 * The path is driver → fault proxy (injects the fault) → EC2 front (counts what reached the
 * server; ClientToken idempotency as EC2 does it) → moto.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  isConflictError,
  isPartialFailureError,
  isTimeoutError,
  type CloudError,
  type RateLimitError,
  isProviderUnavailableError,
  isRateLimitError,
  type PartialFailureError,
} from '../../src/core/errors.js';
import { rejectionOf } from '../conformance/suite.js';
import type { FaultProxy, ProxiedRequest } from '../fakes/fault-proxy/index.js';
import { UBUNTU_2404_AMD64, createAwsTestDriver, startProxiedMoto, type Ec2Front, type MotoServer, type ProxiedMoto } from './harness.js';

const regionOf = (request: ProxiedRequest) => /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(request.headers.authorization ?? ''))?.[1];
const param = (request: ProxiedRequest, name: string) => new URLSearchParams(request.body).get(name);

let moto: MotoServer;
let front: Ec2Front;
let proxy: FaultProxy;

let stack: ProxiedMoto | undefined;

beforeAll(async () => {
  stack = await startProxiedMoto();
  ({ moto, front, proxy } = stack);
});
afterAll(() => stack?.stop());
beforeEach(() => proxy.reset());

const oneRegion = () => createAwsTestDriver(proxy.url, { regions: ['us-east-1'] });
const create = (driver: ReturnType<typeof oneRegion>, tag: Record<string, string>, location = 'us-east-1', idempotencyKey?: string) =>
  driver.createNode({
    name: idempotencyKey ? 'res-same' : `res-${randomUUID().slice(0, 8)}`,
    size: 't3.micro',
    image: UBUNTU_2404_AMD64,
    location,
    tags: tag,
    ...(idempotencyKey ? { idempotencyKey } : {}),
  });

describe('throttling (503 RequestLimitExceeded, as EC2 sends it)', () => {
  it('retries through a burst and then answers', async () => {
    const driver = oneRegion();
    const tag = { run: randomUUID() };
    const node = await create(driver, tag);
    proxy.reset();
    const burst = proxy.inject({ action: 'DescribeInstances', first: 2, fault: { kind: 'throttle', format: 'ec2' } });
    const listed = await driver.listNodes({ tags: tag });
    expect(listed.map((each) => each.id)).toEqual([node.id]);
    expect(burst.fired).toBe(2);
    expect(proxy.count({ action: 'DescribeInstances' })).toBe(3);
  });

  it('gives up after the retries with a RateLimitError carrying code, region and request id', async () => {
    const driver = createAwsTestDriver(proxy.url, {
      regions: ['us-east-1'],
      retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5, jitter: false },
    });
    proxy.inject({ action: 'DescribeInstances', fault: { kind: 'throttle', format: 'ec2' } });
    const reachedMoto = front.count('DescribeInstances');
    const error = await rejectionOf(driver.listNodes());
    expect(isRateLimitError(error), String(error)).toBe(true);
    const rateLimit = error as RateLimitError;
    expect(rateLimit.code).toBe('RequestLimitExceeded');
    expect(rateLimit.location).toBe('us-east-1');
    expect(rateLimit.statusCode).toBe(503);
    expect(rateLimit.operation).toBe('listNodes');
    expect(rateLimit.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(rateLimit.message).toContain(rateLimit.requestId);
    expect(proxy.count({ action: 'DescribeInstances' })).toBe(3);
    expect(front.count('DescribeInstances')).toBe(reachedMoto);
  });
});

describe('server errors', () => {
  it('retries 500 InternalError on a read, then answers', async () => {
    const driver = oneRegion();
    const tag = { run: randomUUID() };
    const node = await create(driver, tag);
    proxy.reset();
    proxy.inject({ action: 'DescribeInstances', first: 2, fault: { kind: 'server-error', format: 'ec2', status: 500 } });
    expect((await driver.getNode(node.id)).id).toBe(node.id);
    expect(proxy.count({ action: 'DescribeInstances' })).toBe(3);
  });

  it('fails with ProviderUnavailableError when EC2 stays unavailable', async () => {
    const driver = oneRegion();
    proxy.inject({ action: 'DescribeInstances', fault: { kind: 'server-error', format: 'ec2' } });
    const error = await rejectionOf(driver.listNodes());
    expect(isProviderUnavailableError(error), String(error)).toBe(true);
    expect((error as CloudError).code).toBe('Unavailable');
    expect(proxy.count({ action: 'DescribeInstances' })).toBe(4);
  });

  it('does not retry a request EC2 rejected as bad', async () => {
    const driver = oneRegion();
    const error = await rejectionOf(
      driver.createNode({ name: 'bad-type', size: 'm9.huge', image: UBUNTU_2404_AMD64, location: 'us-east-1' }),
    );
    expect((error as { field?: string }).field).toBe('size');
    expect(proxy.count({ action: 'RunInstances' })).toBe(1);
  });
});

describe('a RunInstances answer lost after EC2 launched the instance', () => {
  it('retries with the same ClientToken and ends with exactly one instance', async () => {
    const driver = oneRegion();
    const tag = { run: randomUUID() };
    proxy.inject({ action: 'RunInstances', first: 1, fault: { kind: 'reset-after' } });
    const node = await create(driver, tag);

    const attempts = proxy.matching({ action: 'RunInstances' });
    expect(attempts).toHaveLength(2);
    expect(attempts[0]?.fault).toBe('reset-after');
    const tokens = attempts.map((attempt) => param(attempt, 'ClientToken'));
    expect(tokens[0]).toMatch(/^polycloud-[0-9a-f]{48}$/);
    expect(tokens[1]).toBe(tokens[0]);
    // moto received one RunInstances; the repeat was answered with that launch, as EC2 does.
    expect(
      front.requests
        .filter((each) => each.action === 'RunInstances' && each.params.ClientToken === tokens[0])
        .map((each) => each.forwarded),
    ).toEqual([true, false]);

    // Asked of moto directly, without the front or the proxy: one instance carries the tag.
    const direct = createAwsTestDriver(moto.url, { regions: ['us-east-1'] });
    const onServer = await direct.listNodes({ tags: tag });
    expect(onServer.map((each) => each.id)).toEqual([node.id]);
  });

  it('retries a RunInstances whose connection reset before EC2 saw it, and launches once', async () => {
    const driver = oneRegion();
    const tag = { run: randomUUID() };
    proxy.inject({ action: 'RunInstances', first: 1, fault: { kind: 'reset-before' } });
    const node = await create(driver, tag);
    expect(proxy.count({ action: 'RunInstances' })).toBe(2);
    const direct = createAwsTestDriver(moto.url, { regions: ['us-east-1'] });
    expect((await direct.listNodes({ tags: tag })).map((each) => each.id)).toEqual([node.id]);
  });

  it('sends the same ClientToken for the same idempotency key from another driver instance', async () => {
    const tag = { run: randomUUID() };
    const key = `key-${randomUUID()}`;
    const first = await create(oneRegion(), tag, 'us-east-1', key);
    const second = await create(oneRegion(), tag, 'us-east-1', key);
    expect(second.id).toBe(first.id);
    const [a, b] = proxy.matching({ action: 'RunInstances' });
    expect(a && param(a, 'ClientToken')).toMatch(/^polycloud-/);
    expect(a && param(a, 'ClientToken')).toBe(b && param(b, 'ClientToken'));
    // A repeat with other arguments is refused, as EC2 refuses it, instead of launching.
    const changed = await rejectionOf(
      oneRegion().createNode({
        name: 'res-other',
        size: 't3.micro',
        image: UBUNTU_2404_AMD64,
        location: 'us-east-1',
        tags: tag,
        idempotencyKey: key,
      }),
    );
    expect((changed as { code?: string }).code).toBe('IdempotentParameterMismatch');
    expect(isConflictError(changed)).toBe(true);
  });
});

describe('fan-out over regions', () => {
  const regions = ['us-east-1', 'eu-central-1', 'ap-southeast-2'];

  it('lists every region concurrently and reports a failing region by name, keeping the rest', async () => {
    const driver = createAwsTestDriver(proxy.url, { regions });
    const tag = { run: randomUUID() };
    const east = await create(driver, tag, 'us-east-1');
    const sydney = await create(driver, tag, 'ap-southeast-2');
    proxy.reset();
    proxy.inject({
      action: 'DescribeInstances',
      match: (request) => regionOf(request) === 'eu-central-1',
      fault: { kind: 'server-error', format: 'ec2' },
    });

    const error = await rejectionOf(driver.listNodes({ tags: tag }));
    expect(isPartialFailureError(error), String(error)).toBe(true);
    const partial = error as PartialFailureError<{ id: string }>;
    expect(partial.failures).toHaveLength(1);
    expect(partial.failures[0]?.location).toBe('eu-central-1');
    expect(partial.message).toContain('eu-central-1');
    expect(partial.partial.map((node) => node.id).sort()).toEqual([east.id, sydney.id].sort());
    // Each healthy region was asked once; the failing one through all its retries.
    expect(proxy.count({ action: 'DescribeInstances', match: (request) => regionOf(request) === 'us-east-1' })).toBe(1);
    expect(proxy.count({ action: 'DescribeInstances', match: (request) => regionOf(request) === 'ap-southeast-2' })).toBe(1);
    expect(proxy.count({ action: 'DescribeInstances', match: (request) => regionOf(request) === 'eu-central-1' })).toBe(4);

    // Iterating yields the healthy regions' nodes, then fails naming the region.
    const seen: string[] = [];
    const iterationError = await rejectionOf(
      (async () => {
        for await (const node of driver.iterateNodes({ tags: tag })) seen.push(node.id);
      })(),
    );
    expect(seen.sort()).toEqual([east.id, sydney.id].sort());
    expect((iterationError as PartialFailureError).failures[0]?.location).toBe('eu-central-1');
  });

  it('finds a node in any region with one request per region, then with one request', async () => {
    const tag = { run: randomUUID() };
    const sydney = await create(createAwsTestDriver(proxy.url, { regions }), tag, 'ap-southeast-2');
    const fresh = createAwsTestDriver(proxy.url, { regions });
    proxy.reset();
    expect((await fresh.getNode(sydney.id)).location.region).toBe('ap-southeast-2');
    expect(proxy.matching({ action: 'DescribeInstances' }).map(regionOf).sort()).toEqual([...regions].sort());
    await fresh.getNode(sydney.id);
    await fresh.stopNode(sydney.id);
    expect(proxy.count({ action: 'DescribeInstances' })).toBe(4);
    expect(proxy.matching({ action: 'StopInstances' }).map(regionOf)).toEqual(['ap-southeast-2']);
  });

  it('finds a node even when another region is down', async () => {
    const tag = { run: randomUUID() };
    const east = await create(createAwsTestDriver(proxy.url, { regions }), tag, 'us-east-1');
    const fresh = createAwsTestDriver(proxy.url, { regions });
    proxy.inject({
      action: 'DescribeInstances',
      match: (request) => regionOf(request) === 'eu-central-1',
      fault: { kind: 'server-error', format: 'ec2' },
    });
    expect((await fresh.getNode(east.id)).id).toBe(east.id);
  });

  it('resumes a listing at the page that failed, not at the first page', async () => {
    const driver = oneRegion();
    const tag = { run: randomUUID() };
    for (let index = 0; index < 7; index++) await create(driver, tag);
    proxy.reset();
    proxy.inject({ action: 'DescribeInstances', body: /NextToken=/, first: 1, fault: { kind: 'throttle', format: 'ec2' } });
    const listed = await driver.listNodes({ tags: tag, pageSize: 5 });
    expect(listed).toHaveLength(7);
    const requests = proxy.matching({ action: 'DescribeInstances' });
    expect(requests).toHaveLength(3);
    expect(param(requests[0]!, 'NextToken')).toBeNull();
    expect(param(requests[0]!, 'MaxResults')).toBe('5');
    expect(param(requests[1]!, 'NextToken')).toBeTruthy();
    expect(param(requests[2]!, 'NextToken')).toBe(param(requests[1]!, 'NextToken'));
  });
});

describe('slow answers', () => {
  it('gives up on a request after requestTimeoutMs and retries it', async () => {
    // moto builds a region on its first request, which may itself take longer than the limit below.
    await oneRegion().listNodes({ tags: { warm: 'up' } });
    proxy.reset();
    const driver = createAwsTestDriver(proxy.url, { regions: ['us-east-1'], requestTimeoutMs: 600 });
    // The first answer would come after 60 s: two requests and an answer prove the first was given up on.
    proxy.inject({ action: 'DescribeInstances', first: 1, fault: { kind: 'latency', ms: 60_000 } });
    const started = Date.now();
    await driver.listNodes({ tags: { run: randomUUID() } });
    expect(proxy.count({ action: 'DescribeInstances' })).toBe(2);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('fails with TimeoutError when every attempt is too slow', async () => {
    const driver = createAwsTestDriver(proxy.url, {
      regions: ['us-east-1'],
      requestTimeoutMs: 200,
      retry: { retries: 1, minDelayMs: 1, jitter: false },
    });
    proxy.inject({ action: 'DescribeInstances', fault: { kind: 'latency', ms: 1_000 } });
    const error = await rejectionOf(driver.listNodes());
    expect(isTimeoutError(error), String(error)).toBe(true);
    expect((error as CloudError).location).toBe('us-east-1');
    expect(proxy.count({ action: 'DescribeInstances' })).toBe(2);
  });
});
