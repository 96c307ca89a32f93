/**
 * The Compute protocol as the gce driver speaks it, asserted on what reached the fake: paging of
 * aggregated and zonal lists, pushed filters, operations (polling, errors), requestIds across
 * retries, throttling, one retry layer, and the create body.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  isAuthenticationError,
  isConflictError,
  isInvalidRequestError,
  isNodeNotFoundError,
  isPartialFailureError,
  isProviderUnavailableError,
  isQuotaError,
  isRateLimitError,
  isTimeoutError,
  type CloudError,
  type InvalidRequestError,
  type PartialFailureError,
  type RateLimitError,
} from '../../src/core/errors.js';
import type { CreateNodeRequest, Node } from '../../src/core/types.js';
import type { GceProviderOptions } from '../../providers/gce/index.js';
import type { RecordedRequest } from '../fakes/http-server.js';
import { rejectionOf } from '../conformance/suite.js';
import { startGceFake } from '../fakes/gce/index.js';
import { createGceTestDriver, startGceTestSetup, TEST_PROJECT, TEST_TOKEN, type GceTestSetup } from './harness.js';

const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHk1qOSo3WfLrW0QbJ4pMMb2qJmZzL3R3R2nD9f0Q9aT test@polycloud';
let setup: GceTestSetup | undefined;

async function start(options: Parameters<typeof startGceTestSetup>[0] = {}): Promise<GceTestSetup> {
  setup = await startGceTestSetup(options);
  return setup;
}

afterEach(async () => {
  await setup?.close();
  setup = undefined;
});

const request = (overrides: Partial<CreateNodeRequest<GceProviderOptions>> = {}): CreateNodeRequest<GceProviderOptions> => ({
  name: 'web-1',
  size: 'e2-standard-2',
  image: 'ubuntu-os-cloud:ubuntu-2404-lts-amd64',
  location: 'us-central1-a',
  ...overrides,
});

const requestsTo = (requests: readonly RecordedRequest[], method: string, path: RegExp) =>
  requests.filter((each) => each.method === method && path.test(each.path));

describe('gce protocol: listing', () => {
  it('follows nextPageToken through every page of an aggregated list, with per-scope warnings', async () => {
    const { driver, fake } = await start();
    const zones = ['us-central1-a', 'europe-west3-b', 'asia-northeast1-a', 'us-central1-a', 'europe-west3-b'];
    const created: Node[] = [];
    for (const [index, zone] of zones.entries())
      created.push(await driver.createNode(request({ name: `page-${index}`, location: zone, tags: { suite: 'paging' } })));
    const before = fake.requests.length;

    const listed = await driver.listNodes({ tags: { suite: 'paging' }, pageSize: 2 });

    const pages = requestsTo(fake.requests.slice(before), 'GET', /\/compute\/v1\/projects\/polycloud-test\/aggregated\/instances$/);
    expect(pages).toHaveLength(3);
    expect(pages.map((page) => page.query.get('maxResults'))).toEqual(['2', '2', '2']);
    expect(pages[0]?.query.get('pageToken')).toBeNull();
    expect(pages[1]?.query.get('pageToken')).toBeTruthy();
    expect(pages[2]?.query.get('pageToken')).not.toBe(pages[1]?.query.get('pageToken'));
    expect(pages.every((page) => page.query.get('filter') === '(labels.suite eq "paging")')).toBe(true);
    expect(listed.map((node) => node.id).sort()).toEqual(created.map((node) => node.id).sort());
    expect(new Set(listed.map((node) => node.id)).size).toBe(5);
  });

  it('lists configured zones one by one, every page, concurrently bounded', async () => {
    const { fake } = await start();
    const driver = createGceTestDriver(fake.url, { zones: ['us-central1-a', 'europe-west3-b'], clock: setup?.clock });
    for (const [index, zone] of ['us-central1-a', 'us-central1-a', 'us-central1-a', 'europe-west3-b'].entries()) {
      await driver.createNode(request({ name: `zonal-${index}`, location: zone }));
    }
    await driver.createNode(request({ name: 'elsewhere', location: 'asia-northeast1-a' }));
    const before = fake.requests.length;

    const listed = await driver.listNodes({ pageSize: 2 });

    const lists = fake.requests.slice(before).filter((each) => each.method === 'GET' && /\/zones\/[^/]+\/instances$/.test(each.path));
    expect(lists.map((each) => each.path.split('/')[6]).sort()).toEqual(['europe-west3-b', 'us-central1-a', 'us-central1-a']);
    expect(requestsTo(fake.requests.slice(before), 'GET', /aggregated/)).toHaveLength(0);
    expect(listed.map((node) => node.name).sort()).toEqual(['zonal-0', 'zonal-1', 'zonal-2', 'zonal-3']);
  });

  it('keeps to the configured regions when listing across all zones', async () => {
    const { fake, clock } = await start();
    const driver = createGceTestDriver(fake.url, { regions: ['europe-west3'], clock });
    await driver.createNode(request({ name: 'frankfurt-a', location: 'europe-west3-a' }));
    await driver.createNode(request({ name: 'frankfurt-b', location: 'europe-west3-b' }));
    await driver.createNode(request({ name: 'iowa', location: 'us-central1-a' }));
    const before = fake.requests.length;
    const listed = await driver.listNodes();
    expect(listed.map((node) => node.name).sort()).toEqual(['frankfurt-a', 'frankfurt-b']);
    expect(requestsTo(fake.requests.slice(before), 'GET', /aggregated\/instances$/)).toHaveLength(1);
  });

  it('pushes label and status filters to Compute, and maps TERMINATED to stopped', async () => {
    const { driver, fake, clock } = await start();
    const web = await driver.createNode(request({ name: 'filtered-web', tags: { team: 'web' } }));
    await driver.createNode(request({ name: 'filtered-db', tags: { team: 'db' } }));
    await driver.waitForNode(web, 'running', { intervalMs: 500 });
    await driver.stopNode(web);
    clock.advance(60_000);
    const before = fake.requests.length;

    const stopped = await driver.listNodes({ tags: { team: 'web' }, states: ['stopped'] });

    const [list] = requestsTo(fake.requests.slice(before), 'GET', /aggregated\/instances$/);
    expect(list?.query.get('filter')).toBe('(labels.team eq "web") (status eq "STOPPED|SUSPENDED|TERMINATED")');
    expect(stopped.map((node) => [node.id, node.state, node.rawState])).toEqual([['us-central1-a.filtered-web', 'stopped', 'TERMINATED']]);
    expect(await driver.listNodes({ tags: { team: 'web' }, states: ['running'] })).toEqual([]);
  });

  it('asks nothing when the states match no Compute status or a tag no Compute label can carry', async () => {
    const { driver, fake } = await start();
    const before = fake.requests.length;
    expect(await driver.listNodes({ states: ['error'] })).toEqual([]);
    expect(await driver.listNodes({ tags: { Team: 'Web' } })).toEqual([]);
    expect(requestsTo(fake.requests.slice(before), 'GET', /instances/)).toHaveLength(0);
  });

  it('reports a zone Compute could not reach as a partial failure, keeping what it listed', async () => {
    const { driver, fake } = await start();
    await driver.createNode(request({ name: 'reachable', location: 'europe-west3-b' }));
    fake.unreachableZones.add('us-east1-b');

    const error = await rejectionOf(driver.listNodes());

    expect(isPartialFailureError(error), String(error)).toBe(true);
    const partial = error as PartialFailureError<Node>;
    expect(partial.partial.map((node) => node.name)).toEqual(['reachable']);
    expect(partial.failures.map((failure) => [failure.location, failure.name])).toEqual([['us-east1-b', 'ProviderUnavailableError']]);
  });
});

describe('gce protocol: nodes', () => {
  it('maps an instance: id, zone, region, country, IPs, labels, creation time, price', async () => {
    const { driver } = await start();
    const created = await driver.createNode(request({ name: 'mapped', location: 'europe-west3-b', tags: { env: 'prod' } }));
    const node = await driver.waitForNode(created, 'running', { intervalMs: 500 });
    expect(node.id).toBe('europe-west3-b.mapped');
    expect(node.location).toEqual({ id: 'europe-west3-b', region: 'europe-west3', zone: 'europe-west3-b', country: 'DE' });
    expect(node.sizeId).toBe('e2-standard-2');
    expect(node.tags).toEqual({ env: 'prod' });
    expect(node.privateIps).toHaveLength(1);
    expect(node.publicIps).toHaveLength(1);
    expect(node.createdAt?.getTime()).toBe(setup?.fake.cloud.peekNodes()[0]?.createdAt);
    expect(node.price?.hourly).toBeGreaterThan(0);
    expect(node.price?.currency).toBe('USD');
    expect(node.raw.status).toBe('RUNNING');
  });

  it('sends the create as Compute expects: machine type, image family, network, ssh-keys, user-data, labels', async () => {
    const { driver, fake } = await start();
    await driver.createNode(
      request({ name: 'body', sshKeys: [SSH_KEY], userData: '#cloud-config\npackages: [nginx]\n', tags: { app: 'nginx' } }),
    );
    const [insert] = requestsTo(fake.requests, 'POST', /\/zones\/us-central1-a\/instances$/);
    const body = JSON.parse(insert?.body ?? '{}');
    expect(body.name).toBe('body');
    expect(body.machineType).toBe('zones/us-central1-a/machineTypes/e2-standard-2');
    expect(body.labels).toEqual({ app: 'nginx' });
    expect(body.disks[0].initializeParams.sourceImage).toBe('projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-amd64');
    expect(body.disks[0].boot).toBe(true);
    expect(body.networkInterfaces[0].network).toBe('global/networks/default');
    expect(body.networkInterfaces[0].accessConfigs[0].type).toBe('ONE_TO_ONE_NAT');
    expect(body.metadata.items).toEqual([
      { key: 'ssh-keys', value: `ubuntu:${SSH_KEY}` },
      { key: 'user-data', value: '#cloud-config\npackages: [nginx]\n' },
    ]);
    expect(insert?.query.get('requestId')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(fake.cloud.peekNodes()[0]?.sshKeys).toEqual([SSH_KEY]);
  });

  it('applies providerOptions: startup-script, spot, network tags, no external IP, disk, ssh user', async () => {
    const { driver, fake } = await start();
    const node = await driver.createNode(
      request({
        name: 'options',
        image: 'debian-cloud:debian-12',
        sshKeys: [SSH_KEY],
        userData: '#!/bin/sh\necho hi\n',
        providerOptions: {
          userDataKey: 'startup-script',
          spot: true,
          networkTags: ['http-server'],
          externalIp: false,
          diskSizeGb: 30,
          diskType: 'pd-ssd',
          sshUser: 'ops',
        },
      }),
    );
    const body = JSON.parse(requestsTo(fake.requests, 'POST', /instances$/)[0]?.body ?? '{}');
    expect(body.metadata.items).toEqual([
      { key: 'ssh-keys', value: `ops:${SSH_KEY}` },
      { key: 'startup-script', value: '#!/bin/sh\necho hi\n' },
    ]);
    expect(body.scheduling.provisioningModel).toBe('SPOT');
    expect(body.tags).toEqual({ items: ['http-server'] });
    expect(body.networkInterfaces[0].accessConfigs).toBeUndefined();
    expect(body.disks[0].initializeParams).toMatchObject({ diskSizeGb: '30', diskType: 'zones/us-central1-a/diskTypes/pd-ssd' });
    expect(node.publicIps).toEqual([]);
  });

  it('creates from a pinned image name and from a region (first zone of it)', async () => {
    const { driver, fake } = await start();
    const node = await driver.createNode(
      request({ name: 'pinned', image: 'ubuntu-os-cloud:ubuntu-2404-noble-amd64-v20261105', location: 'europe-west3' }),
    );
    expect(node.location.zone).toBe('europe-west3-a');
    const body = JSON.parse(requestsTo(fake.requests, 'POST', /instances$/)[0]?.body ?? '{}');
    expect(body.disks[0].initializeParams.sourceImage).toBe('projects/ubuntu-os-cloud/global/images/ubuntu-2404-noble-amd64-v20261105');
  });

  it('takes the image as a Compute path, a self-link or the old <project>:<family> alias, and sends the path', async () => {
    const { driver, fake } = await start();
    const references: readonly [string, string][] = [
      ['projects/debian-cloud/global/images/family/debian-12', 'projects/debian-cloud/global/images/family/debian-12'],
      [
        'https://compute.googleapis.com/compute/v1/projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-amd64',
        'projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-amd64',
      ],
      [
        'https://www.googleapis.com/compute/v1/projects/ubuntu-os-cloud/global/images/ubuntu-2404-noble-amd64-v20261105',
        'projects/ubuntu-os-cloud/global/images/ubuntu-2404-noble-amd64-v20261105',
      ],
      ['debian-cloud:debian-12', 'projects/debian-cloud/global/images/family/debian-12'],
    ];
    for (const [index, [image]] of references.entries()) await driver.createNode(request({ name: `ref-${index}`, image }));
    const sent = requestsTo(fake.requests, 'POST', /instances$/).map(
      (insert) => JSON.parse(insert.body ?? '{}').disks[0].initializeParams.sourceImage,
    );
    expect(sent).toEqual(references.map(([, path]) => path));
    const listed = await driver.listImages({ os: 'debian', version: '12', arch: 'x86_64' });
    expect(listed.map((image) => image.id)).toEqual(['projects/debian-cloud/global/images/family/debian-12']);
  });

  it('refuses a malformed image path before any request', async () => {
    const { driver, fake } = await start();
    const before = fake.requests.length;
    for (const image of [
      'projects/../global/images/family/debian-12',
      'projects/debian-cloud/global/images/family/',
      'https://evil.example/compute/v1/projects/p/global/images/x',
    ]) {
      const error = await driver.createNode(request({ name: 'bad-ref', image })).catch((caught: unknown) => caught);
      expect(isInvalidRequestError(error), `${image}: ${String(error)}`).toBe(true);
      expect((error as { field?: string }).field).toBe('image');
    }
    expect(fake.requests.length).toBe(before);
  });

  it('creates in a region in its first zone that offers the machine type', async () => {
    const { driver, fake } = await start();
    const node = await driver.createNode(request({ name: 'placed', size: 'c3-standard-4', location: 'europe-west3' }));
    expect(node.location.zone).toBe('europe-west3-b');
    const lookups = requestsTo(fake.requests, 'GET', /\/machineTypes\/c3-standard-4$/).map((each) => each.path.split('/')[6]);
    expect(lookups).toEqual(['europe-west3-a', 'europe-west3-b']);
    const missing = await rejectionOf(driver.createNode(request({ name: 'nowhere', size: 't2a-standard-1', location: 'europe-west3' })));
    expect((missing as InvalidRequestError).field).toBe('size');
  });

  it('rejects bad labels, providerOptions and an arm image on an x86 machine type with InvalidRequestError', async () => {
    const { driver, fake } = await start();
    const before = fake.requests.length;
    const upper = await rejectionOf(driver.createNode(request({ tags: { Team: 'web' } })));
    expect((upper as InvalidRequestError).field).toBe('tags key');
    const value = await rejectionOf(driver.createNode(request({ tags: { team: 'Web Team' } })));
    expect((value as InvalidRequestError).field).toBe('tags.team');
    const option = await rejectionOf(driver.createNode(request({ providerOptions: { diskSizeGb: 1 } })));
    expect((option as InvalidRequestError).field).toBe('providerOptions.diskSizeGb');
    const unknown = await rejectionOf(driver.createNode(request({ providerOptions: { zone: 'x' } as unknown as GceProviderOptions })));
    expect((unknown as InvalidRequestError).field).toBe('providerOptions.zone');
    const name = await rejectionOf(driver.createNode(request({ name: 'Web_1' })));
    expect((name as InvalidRequestError).field).toBe('name');
    expect(fake.requests.length).toBe(before);

    const arch = await rejectionOf(driver.createNode(request({ image: 'ubuntu-os-cloud:ubuntu-2404-lts-arm64' })));
    expect(isInvalidRequestError(arch), String(arch)).toBe(true);
    expect((arch as InvalidRequestError).field).toBe('image');
    expect(requestsTo(fake.requests, 'POST', /instances$/)).toHaveLength(0);
  });

  it('treats getNode of a missing instance as NodeNotFoundError and destroy of it as done', async () => {
    const { driver } = await start();
    expect(isNodeNotFoundError(await rejectionOf(driver.getNode('us-central1-a.nothing-here')))).toBe(true);
    await driver.destroyNode('us-central1-a.nothing-here');
  });
});

describe('gce protocol: operations', () => {
  it('polls a zone operation with wait until it is DONE', async () => {
    const { driver, fake } = await start({ fake: { operationPolls: 3 } });
    const node = await driver.createNode(request({ name: 'polled' }));
    const operation = [...fake.operations.values()].find((each) => each.operationType === 'insert');
    const waits = requestsTo(fake.requests, 'POST', new RegExp(`/zones/us-central1-a/operations/${operation?.name}/wait$`));
    expect(waits).toHaveLength(4);
    expect(operation?.status).toBe('DONE');
    expect(node.name).toBe('polled');
  });

  it('surfaces an operation that ends in error as a CloudError with its code and requestId', async () => {
    const { driver, fake } = await start();
    fake.injectOperationError({
      operationType: 'insert',
      code: 'ZONE_RESOURCE_POOL_EXHAUSTED',
      message: "The zone 'projects/polycloud-test/zones/us-central1-a' does not have enough resources available to fulfill the request.",
      httpStatus: 503,
    });

    const error = (await rejectionOf(driver.createNode(request({ name: 'stockout' })))) as CloudError;

    expect(isProviderUnavailableError(error), String(error)).toBe(true);
    expect(error.code).toBe('ZONE_RESOURCE_POOL_EXHAUSTED');
    expect(error.retryable).toBe(false);
    expect(error.statusCode).toBe(503);
    expect(error.location).toBe('us-central1-a');
    expect(error.requestId).toBe(requestsTo(fake.requests, 'POST', /instances$/)[0]?.query.get('requestId'));
    expect(error.message).toMatch(/^createNode: .*provider gce/);
    expect(fake.cloud.peekNodes()).toEqual([]);
  });

  it('reports an instance quota hit inside the insert operation as QuotaError', async () => {
    const { driver } = await start({ fake: { maxInstances: 1 } });
    await driver.createNode(request({ name: 'first' }));
    const error = await rejectionOf(driver.createNode(request({ name: 'second' })));
    expect(isQuotaError(error), String(error)).toBe(true);
    expect((error as CloudError).code).toBe('QUOTA_EXCEEDED');
  });

  it('surfaces a failed stop operation as ConflictError for the node', async () => {
    const { driver, fake } = await start();
    const node = await driver.createNode(request({ name: 'busy' }));
    fake.injectOperationError({
      operationType: 'stop',
      code: 'RESOURCE_NOT_READY',
      message: "The resource 'busy' is not ready",
      httpStatus: 400,
    });
    const error = await rejectionOf(driver.stopNode(node));
    expect(isConflictError(error), String(error)).toBe(true);
    expect((error as CloudError).operation).toBe('stopNode');
  });

  it('lets operations.wait block longer than an ordinary request may take', async () => {
    // Ordered by events, not by the machine's speed: the fake holds the first operations.wait
    // until an ordinary request, sent with the same request limit after the wait arrived, has
    // timed out. The wait's own timer started earlier, so had the wait only an ordinary request's
    // deadline it would have fired first and stopNode would reject.
    let waitArrived!: () => void;
    const arrived = new Promise<void>((resolve) => (waitArrived = resolve));
    let releaseWait!: () => void;
    const released = new Promise<void>((resolve) => (releaseWait = resolve));
    let releaseProbe!: () => void;
    const probeHeld = new Promise<void>((resolve) => (releaseProbe = resolve));
    // Only the stop's first wait is held (create and its waits run before the test arms this).
    let armed = false;
    const fake = await startGceFake({
      project: TEST_PROJECT,
      waitBlocksMs: 60_000,
      timings: { stop: 200 },
      hold: (request) => {
        if (request.method === 'POST' && /\/operations\/[^/]+\/wait$/.test(request.path) && armed) {
          armed = false;
          waitArrived();
          return released;
        }
        return /\/instances\/probe$/.test(request.path) ? probeHeld : undefined;
      },
    });
    try {
      const setupDriver = createGceTestDriver(fake.url);
      const node = await setupDriver.createNode(request({ name: 'blocking-wait' }));
      const running = await setupDriver.waitForNode(node, 'running', { intervalMs: 200 });
      // Generous enough for one loopback request on a busy machine; the test never waits on it
      // except through the probe below.
      const strict = createGceTestDriver(fake.url, { requestTimeoutMs: 2_000, retry: { retries: 0 } });
      let stopSettled = false;
      armed = true;
      const stopping = strict.stopNode(running).finally(() => (stopSettled = true));
      await arrived;
      const probe = await rejectionOf(strict.getNode('us-central1-a.probe'));
      expect(isTimeoutError(probe), String(probe)).toBe(true);
      expect(stopSettled).toBe(false);
      releaseWait();
      await stopping;
      const stop = [...fake.operations.values()].find((each) => each.operationType === 'stop');
      expect(stop?.status).toBe('DONE');
      expect(requestsTo(fake.requests, 'POST', new RegExp(`/operations/${stop?.name}/wait$`))).toHaveLength(1);
      expect(fake.violations).toEqual([]);
      expect(fake.responseViolations).toEqual([]);
    } finally {
      releaseWait();
      releaseProbe();
      await fake.close();
    }
  });

  it('gives up on an operation that never finishes with TimeoutError', async () => {
    const { driver } = await start({ fake: { operationPolls: 1_000_000 }, driver: { operationTimeoutMs: 10_000 } });
    const error = await rejectionOf(driver.createNode(request({ name: 'slow' })));
    expect(isTimeoutError(error), String(error)).toBe(true);
    expect((error as CloudError).requestId).toMatch(/^operation-/);
    // The kit's pollUntil names the zone, the limit and the operation's last status.
    expect(error).toMatchObject({ provider: 'gce', operation: 'createNode', location: 'us-central1-a', timeoutMs: 10_000 });
    expect((error as CloudError).message).toContain('last seen RUNNING (insert)');
  });
});

describe('gce protocol: retries and idempotency', () => {
  it('retries a 429 and succeeds; the SDK does not retry on its own', async () => {
    const { driver, fake } = await start();
    fake.injectHttpError({ method: 'GET', path: /aggregated\/instances$/, status: 429, reason: 'rateLimitExceeded' });
    const before = fake.requests.length;
    expect(await driver.listNodes()).toEqual([]);
    expect(requestsTo(fake.requests.slice(before), 'GET', /aggregated\/instances$/)).toHaveLength(2);
  });

  it('tells rate limits (with RetryInfo) from quota by reason', async () => {
    const { fake } = await start();
    const driver = createGceTestDriver(fake.url, { retry: { retries: 0 } });
    fake.injectHttpError({ method: 'GET', path: /instances\/x-1$/, status: 429, reason: 'rateLimitExceeded', retryAfterSeconds: 7 });
    const throttled = await rejectionOf(driver.getNode('us-central1-a.x-1'));
    expect(isRateLimitError(throttled), String(throttled)).toBe(true);
    expect((throttled as RateLimitError).retryAfterMs).toBe(7_000);
    expect((throttled as RateLimitError).statusCode).toBe(429);

    fake.injectHttpError({
      method: 'GET',
      path: /instances\/x-1$/,
      status: 403,
      reason: 'quotaExceeded',
      message: "Quota 'CPUS' exceeded. Limit: 24.0 in region us-central1.",
    });
    const quota = await rejectionOf(driver.getNode('us-central1-a.x-1'));
    expect(isQuotaError(quota), String(quota)).toBe(true);
    expect((quota as CloudError).code).toBe('quotaExceeded');
  });

  it('has exactly one retry layer: with retries off, a 503 reaches the caller after one request', async () => {
    const { fake } = await start();
    const noRetry = createGceTestDriver(fake.url, { retry: { retries: 0 } });
    fake.injectHttpError({ method: 'GET', path: /instances\/one-layer$/, status: 503, reason: 'backendError', times: 5 });
    const error = await rejectionOf(noRetry.getNode('us-central1-a.one-layer'));
    expect(isProviderUnavailableError(error), String(error)).toBe(true);
    expect(requestsTo(fake.requests, 'GET', /instances\/one-layer$/)).toHaveLength(1);

    const twoRetries = createGceTestDriver(fake.url, { retry: { retries: 2, minDelayMs: 1, maxDelayMs: 1 } });
    await rejectionOf(twoRetries.getNode('us-central1-a.one-layer'));
    expect(requestsTo(fake.requests, 'GET', /instances\/one-layer$/)).toHaveLength(4);
  });

  it('gives up on a request that hangs after requestTimeoutMs, with a retryable TimeoutError, and retries reads', async () => {
    // The fake holds every read of the instance until the test ends: only the driver's own
    // request limit can end the call (without it, the call would run into the test's timeout).
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding = false;
    const fake = await startGceFake({
      project: TEST_PROJECT,
      hold: (each) => (holding && each.method === 'GET' && /\/instances\/hangs$/.test(each.path) ? held : undefined),
    });
    try {
      const node = await createGceTestDriver(fake.url).createNode(request({ name: 'hangs' }));
      const driver = createGceTestDriver(fake.url, { requestTimeoutMs: 300, retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 } });
      holding = true;
      const before = fake.requests.length;
      const error = await rejectionOf(driver.getNode(node.id));
      expect(isTimeoutError(error), String(error)).toBe(true);
      expect((error as CloudError).retryable).toBe(true);
      expect(requestsTo(fake.requests.slice(before), 'GET', /instances\/hangs$/)).toHaveLength(2);
      expect(fake.violations).toEqual([]);
      expect(fake.responseViolations).toEqual([]);
    } finally {
      release();
      await fake.close();
    }
  });

  it('repeats an insert whose response was lost with the same requestId, creating one instance', async () => {
    const { driver, fake } = await start();
    fake.injectHttpError({ method: 'POST', path: /\/instances$/, status: 503, reason: 'backendError', afterServing: true });

    const node = await driver.createNode(request({ name: 'lost-response' }));

    const inserts = requestsTo(fake.requests, 'POST', /\/instances$/);
    expect(inserts).toHaveLength(2);
    expect(inserts[0]?.query.get('requestId')).toBeTruthy();
    expect(inserts[1]?.query.get('requestId')).toBe(inserts[0]?.query.get('requestId'));
    expect(fake.cloud.peekNodes().map((each) => each.name)).toEqual(['lost-response']);
    expect([...fake.operations.values()].filter((each) => each.operationType === 'insert')).toHaveLength(1);
    expect(node.id).toBe('us-central1-a.lost-response');
  });

  it('sends a fresh requestId per mutation and reuses it across that mutation’s retries', async () => {
    const { driver, fake } = await start();
    const node = await driver.waitForNode(await driver.createNode(request({ name: 'resets' })), 'running', { intervalMs: 500 });
    fake.injectHttpError({ method: 'POST', path: /\/reset$/, status: 503, reason: 'backendError', afterServing: true });
    await driver.rebootNode(node);
    await driver.rebootNode(node);
    const resets = requestsTo(fake.requests, 'POST', /\/reset$/).map((each) => each.query.get('requestId'));
    expect(resets).toHaveLength(3);
    expect(resets[1]).toBe(resets[0]);
    expect(resets[2]).not.toBe(resets[0]);
    expect([...fake.operations.values()].filter((each) => each.operationType === 'reset')).toHaveLength(2);
  });

  it('rejects a reused idempotencyKey for a different node with ConflictError', async () => {
    const { driver } = await start();
    await driver.createNode(request({ name: 'keyed-a', idempotencyKey: 'deploy-42' }));
    const error = await rejectionOf(driver.createNode(request({ name: 'keyed-b', idempotencyKey: 'deploy-42' })));
    expect(isConflictError(error), String(error)).toBe(true);
  });
});

describe('gce protocol: auth and cancellation', () => {
  it('sends the test token on every request; a wrong token is an AuthenticationError', async () => {
    const { driver, fake } = await start();
    await driver.listNodes();
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(fake.requests.every((each) => each.headers.authorization === `Bearer ${TEST_TOKEN}`)).toBe(true);

    const { createTestAuthClient } = await import('./harness.js');
    const stranger = createGceTestDriver(fake.url, { authClient: createTestAuthClient('ya29.not-the-right-token') });
    const error = await rejectionOf(stranger.listNodes());
    expect(isAuthenticationError(error), String(error)).toBe(true);
    expect((error as CloudError).statusCode).toBe(401);
  });

  it('stops waiting when the signal aborts', async () => {
    const { driver } = await start({ fake: { operationPolls: 1_000_000 }, driver: { clock: undefined } });
    const controller = new AbortController();
    const pending = driver.createNode(request({ name: 'aborted' }), { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('caller gave up')), 300);
    const error = await rejectionOf(pending);
    expect((error as Error).message).toBe('caller gave up');
  });
});
