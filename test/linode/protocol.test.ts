/**
 * The Linode driver on the wire: what it sends (checked against the official OpenAPI document by
 * the fake), how it pages and filters, throttles, retries and stays idempotent.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  isAuthenticationError,
  isCloudError,
  isConflictError,
  isInvalidRequestError,
  isProviderUnavailableError,
  type CloudError,
  type InvalidRequestError,
} from '../../src/core/errors.js';
import { simPrice } from '../../src/simulator/index.js';
import { createDriver } from '../../src/core/registry.js';
import { rejectionOf } from '../conformance/suite.js';
import { startFakeServer, type FakeServer } from '../fakes/http-server.js';
import { LINODE_CATALOG } from '../fakes/linode/catalog.js';
import { createLinodeDriver } from '../../providers/linode/index.js';
import { idempotencyTag } from '../../providers/linode/tags.js';
import { startLinodeHarness, TEST_RETRY, type LinodeHarness } from './harness.js';

const KEY_A = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx4b3JlbS1pcHN1bS1kb2xvci1zaXQtYW1ldC0x alice@example';

const linodeError = (status: number, reason: string, headers: Record<string, string> = {}) => ({
  status,
  headers: { 'x-request-id': `req-${status}`, ...headers },
  body: { errors: [{ reason }] },
});

let harness: LinodeHarness;

beforeEach(async () => {
  harness = await startLinodeHarness();
});

afterEach(async () => {
  expect(harness.fake.violations).toEqual([]);
  expect(harness.fake.responseViolations).toEqual([]);
  await harness.close();
});

/** Creates instances directly in the simulator (no requests), tagged like polycloud would. */
async function seedInstances(count: number, tags: readonly string[], locationId = 'us-east') {
  for (let index = 0; index < count; index++) {
    await harness.fake.cloud.createNode({
      name: `seed-${locationId}-${index}`,
      sizeId: 'g6-nanode-1',
      imageId: 'linode/ubuntu24.04',
      locationId,
      extra: { tags },
    });
  }
}

const instanceListRequests = () =>
  harness.fake.requests.filter((request) => request.method === 'GET' && request.path === '/v4/linode/instances');

describe('linode listing', () => {
  it('pages with page/pages on the configured endpoint and pushes tags and regions into X-Filter', async () => {
    await seedInstances(30, ['team:paging']);
    await seedInstances(3, ['team:paging'], 'eu-central');
    await seedInstances(2, ['team:other']);
    const nodes = await harness.driver.listNodes({ tags: { team: 'paging' }, location: 'us-east', pageSize: 25 });
    expect(nodes).toHaveLength(30);
    expect(new Set(nodes.map((node) => node.id)).size).toBe(30);
    const requests = instanceListRequests();
    expect(requests.map((request) => request.query.get('page'))).toEqual([null, '2']);
    for (const request of requests) {
      expect(JSON.parse(String(request.headers['x-filter']))).toEqual({ '+and': [{ tags: 'team:paging' }, { region: 'us-east' }] });
      expect(request.query.get('page_size')).toBe('25');
      expect(request.headers.host).toBe(new URL(harness.fake.url).host);
    }
    const both = await harness.driver.listNodes({ tags: { team: 'paging' }, location: ['us-east', 'eu-central'] });
    expect(both).toHaveLength(33);
    expect(JSON.parse(String(instanceListRequests().pop()?.headers['x-filter']))).toEqual({
      '+and': [{ tags: 'team:paging' }, { '+or': [{ region: 'us-east' }, { region: 'eu-central' }] }],
    });
  });

  it('refuses a page size below Linode’s minimum of 25 before any request', async () => {
    const before = harness.fake.requests.length;
    const error = (await rejectionOf(harness.driver.listNodes({ pageSize: 3 }))) as InvalidRequestError;
    expect(error.field).toBe('query.pageSize');
    expect(error.message).toContain('25 to 500');
    expect(harness.fake.requests.length).toBe(before);
  });

  it('refuses an answer without page numbers instead of stopping silently, and never leaves the endpoint', async () => {
    const elsewhere: FakeServer = await startFakeServer(() => ({ status: 200, body: { data: [], page: 2, pages: 2, results: 0 } }));
    try {
      harness.fake.script.push({
        method: 'GET',
        path: '/v4/linode/instances',
        response: { status: 200, body: { data: [], next: `${elsewhere.url}/v4/linode/instances?page=2` } },
      });
      const error = await rejectionOf(harness.driver.listNodes());
      expect(isCloudError(error)).toBe(true);
      expect((error as CloudError).code).toBe('malformed-response');
      expect(elsewhere.requests).toEqual([]);
    } finally {
      await elsewhere.close();
    }
  });

  it('waits as long as Retry-After asks after a 429, then succeeds', async () => {
    await seedInstances(1, ['team:throttled']);
    harness.fake.script.push({
      method: 'GET',
      path: '/v4/linode/instances',
      response: linodeError(429, 'Too Many Requests', { 'retry-after': '1', 'x-ratelimit-remaining': '0' }),
    });
    const started = Date.now();
    const nodes = await harness.driver.listNodes({ tags: { team: 'throttled' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(nodes).toHaveLength(1);
    expect(instanceListRequests()).toHaveLength(2);
  });

  it('retries a 5xx on a list, and reports a lasting one as ProviderUnavailableError with the request id', async () => {
    await seedInstances(1, ['team:flaky']);
    harness.fake.script.push({ method: 'GET', path: '/v4/linode/instances', response: linodeError(502, 'Bad Gateway') });
    expect(await harness.driver.listNodes({ tags: { team: 'flaky' } })).toHaveLength(1);
    expect(instanceListRequests()).toHaveLength(2);

    harness.fake.script.push({
      method: 'GET',
      path: '/v4/linode/instances',
      times: (TEST_RETRY.retries ?? 0) + 1,
      response: linodeError(503, 'Service Unavailable'),
    });
    const error = await rejectionOf(harness.driver.listNodes({ tags: { team: 'flaky' } }));
    expect(isProviderUnavailableError(error), String(error)).toBe(true);
    expect((error as CloudError).statusCode).toBe(503);
    expect((error as CloudError).requestId).toBe('req-503');
    expect((error as CloudError).message).toContain('Service Unavailable');
  });
});

describe('linode actions', () => {
  it('reboots, shuts down and boots through the instance action paths, without a body', async () => {
    const node = await harness.driver.createNode({ name: 'acts-1', size: 'g6-nanode-1', image: 'linode/ubuntu24.04', location: 'us-east' });
    await harness.driver.waitForNode(node, 'running', { intervalMs: 250 });
    await harness.driver.rebootNode(node);
    expect((await harness.driver.getNode(node.id)).rawState).toBe('rebooting');
    await harness.driver.waitForNode(node, 'running', { intervalMs: 250 });
    await harness.driver.stopNode(node);
    expect((await harness.driver.getNode(node.id)).rawState).toBe('shutting_down');
    await harness.driver.waitForNode(node, 'stopped', { intervalMs: 250 });
    const actions = harness.fake.requests.filter(
      (request) => request.method === 'POST' && request.path.startsWith(`/v4/linode/instances/${node.id}/`),
    );
    expect(actions.map((request) => [request.path.split('/').pop(), request.body])).toEqual([
      ['reboot', ''],
      ['shutdown', ''],
    ]);

    const error = await rejectionOf(harness.driver.rebootNode(node.id));
    expect(isConflictError(error), String(error)).toBe(true);
    expect((error as CloudError).message).toContain('Linode busy');
    await harness.driver.startNode(node);
    expect((await harness.driver.waitForNode(node, 'running', { intervalMs: 250 })).rawState).toBe('running');
  });
});

describe('linode create', () => {
  it('sends a generated strong root password, base64 user data, keys and k:v tags', async () => {
    const node = await harness.driver.createNode({
      name: 'web-1',
      size: 'g6-standard-1',
      image: 'linode/ubuntu24.04',
      location: 'eu-central',
      sshKeys: [KEY_A],
      userData: '#cloud-config\nruncmd:\n- [touch, /root/ok]\n',
      tags: { env: 'prod', role: 'web' },
      idempotencyKey: 'create-web-1',
    });
    expect(node.tags).toEqual({ env: 'prod', role: 'web' });
    expect(node.location).toEqual({ id: 'eu-central', region: 'eu-central', country: 'DE' });
    expect(node.imageId).toBe('linode/ubuntu24.04');
    expect(node.publicIps.length).toBeGreaterThan(0);
    expect(node.privateIps.every((ip) => ip.startsWith('192.168.'))).toBe(true);
    const create = harness.fake.requests.find((request) => request.method === 'POST' && request.path === '/v4/linode/instances');
    const body = JSON.parse(create?.body ?? '{}') as Record<string, unknown>;
    expect(body).toMatchObject({
      label: 'web-1',
      type: 'g6-standard-1',
      region: 'eu-central',
      image: 'linode/ubuntu24.04',
      booted: true,
      authorized_keys: [KEY_A],
      // The last tag records the key the instance was created with (Linode does not list an instance's keys).
      tags: ['env:prod', 'role:web', idempotencyTag('create-web-1'), expect.stringMatching(/^polycloud-key:[0-9a-f]{16}$/)],
      metadata: { user_data: Buffer.from('#cloud-config\nruncmd:\n- [touch, /root/ok]\n').toString('base64') },
    });
    const rootPass = String(body.root_pass);
    expect(rootPass).toHaveLength(32);
    for (const pattern of [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/]) expect(rootPass).toMatch(pattern);
    expect(harness.fake.created.get(Number(node.id))?.userData).toBe('#cloud-config\nruncmd:\n- [touch, /root/ok]\n');
    expect(JSON.stringify(node)).not.toContain(rootPass);

    // The older polycloud form `linode:ubuntu24.04` is an alias of Linode's own id.
    await harness.driver.createNode({ name: 'web-2', size: 'g6-standard-1', image: 'linode:ubuntu24.04', location: 'eu-central' });
    const second = JSON.parse(harness.fake.requests.filter((request) => request.method === 'POST').pop()?.body ?? '{}') as {
      root_pass?: string;
      image?: string;
    };
    expect(second.root_pass).not.toBe(rootPass);
    expect(second.image).toBe('linode/ubuntu24.04');
  });

  it("takes Linode's own image id, and the older forms as aliases, and refuses a malformed one before any request", async () => {
    const given = ['linode/ubuntu24.04', 'linode:ubuntu24.04', 'ubuntu24.04', 'linode/debian12'];
    for (const [index, image] of given.entries()) {
      const node = await harness.driver.createNode({ name: `img-${index + 1}`, size: 'g6-nanode-1', image, location: 'us-east' });
      expect(node.imageId).toBe(image === 'linode/debian12' ? 'linode/debian12' : 'linode/ubuntu24.04');
    }
    const sent = harness.fake.requests
      .filter((request) => request.method === 'POST' && request.path === '/v4/linode/instances')
      .map((request) => (JSON.parse(request.body) as { image?: string }).image);
    expect(sent).toEqual(['linode/ubuntu24.04', 'linode/ubuntu24.04', 'linode/ubuntu24.04', 'linode/debian12']);

    const before = harness.fake.requests.length;
    const malformed = [
      'linode/../instances',
      'linode/ubuntu24.04/extra',
      'linode/',
      '/ubuntu24.04',
      'someone/ubuntu24.04',
      'linode/ubuntu 24.04',
      'linode%2Fubuntu24.04',
    ];
    for (const image of malformed) {
      const error = await rejectionOf(harness.driver.createNode({ name: 'img-bad', size: 'g6-nanode-1', image, location: 'us-east' }));
      expect(isInvalidRequestError(error), `${image}: ${String(error)}`).toBe(true);
      expect((error as InvalidRequestError).field).toBe('image');
    }
    expect(harness.fake.requests.length).toBe(before);
  });

  it('creates exactly one instance when the answer to the create is lost and the request repeated', async () => {
    harness.fake.script.push({
      method: 'POST',
      path: '/v4/linode/instances',
      afterHandling: true,
      response: linodeError(503, 'Service Unavailable'),
    });
    const node = await harness.driver.createNode({
      name: 'lost-1',
      size: 'g6-nanode-1',
      image: 'linode/ubuntu24.04',
      location: 'us-east',
      idempotencyKey: 'lost-answer-1',
    });
    // The repeat first looks for the instance tagged with the key, finds it, and sends no second create.
    const posts = harness.fake.requests.filter((request) => request.method === 'POST' && request.path === '/v4/linode/instances');
    expect(posts).toHaveLength(1);
    const marker = JSON.stringify({ tags: idempotencyTag('lost-answer-1') });
    const lookups = harness.fake.requests.filter((request) => request.method === 'GET' && request.headers['x-filter'] === marker);
    expect(lookups).toHaveLength(2);
    expect(harness.fake.requests.indexOf(lookups[1]!)).toBeGreaterThan(harness.fake.requests.indexOf(posts[0]!));
    expect(harness.fake.cloud.peekNodes().map((each) => each.name)).toEqual(['lost-1']);
    expect(node.name).toBe('lost-1');
  });

  it('never shows a given root password, even when refusing it', async () => {
    const password = 'sh0rt!';
    const error = await rejectionOf(
      harness.driver.createNode({
        name: 'pw-1',
        size: 'g6-nanode-1',
        image: 'linode/ubuntu24.04',
        location: 'us-east',
        providerOptions: { rootPassword: password },
      }),
    );
    expect(isInvalidRequestError(error)).toBe(true);
    expect((error as { field?: string }).field).toBe('providerOptions.rootPassword');
    expect(JSON.stringify(error)).not.toContain(password);
    expect((error as Error).message).not.toContain(password);
  });

  it('passes providerOptions on the wire and refuses unknown ones before any request', async () => {
    await harness.driver.createNode({
      name: 'opts-1',
      size: 'g6-nanode-1',
      image: 'ubuntu24.04',
      location: 'us-east',
      providerOptions: { rootPassword: 'Correct-Horse-Battery-9', privateIp: true, authorizedUsers: ['alice'], firewallId: 12 },
    });
    const body = JSON.parse(harness.fake.requests.find((request) => request.method === 'POST')?.body ?? '{}') as Record<string, unknown>;
    expect(body).toMatchObject({
      image: 'linode/ubuntu24.04',
      root_pass: 'Correct-Horse-Battery-9',
      private_ip: true,
      authorized_users: ['alice'],
      firewall_id: 12,
    });
    const before = harness.fake.requests.length;
    const error = await rejectionOf(
      harness.driver.createNode({
        name: 'opts-2',
        size: 'g6-nanode-1',
        image: 'ubuntu24.04',
        location: 'us-east',
        providerOptions: { swapSize: 512 } as never,
      }),
    );
    expect((error as { field?: string }).field).toBe('providerOptions.swapSize');
    expect(harness.fake.requests.length).toBe(before);
  });

  it('rejects labels Linode would refuse before any request', async () => {
    const before = harness.fake.requests.length;
    for (const name of ['ab', '1abc', 'a--b', 'ab__c', 'a..b', 'abc-', 'x'.repeat(65)]) {
      const error = await rejectionOf(harness.driver.createNode({ name, size: 'g6-nanode-1', image: 'ubuntu24.04', location: 'us-east' }));
      expect(isInvalidRequestError(error), name).toBe(true);
      expect((error as { field?: string }).field).toBe('name');
    }
    expect(harness.fake.requests.length).toBe(before);
  });

  it('rejects tags Linode would refuse before any request', async () => {
    const before = harness.fake.requests.length;
    const refused: Record<string, string>[] = [{ 'a:b': 'x' }, { k: '' }, { long: 'x'.repeat(48) }];
    for (const tags of refused) {
      const error = await rejectionOf(
        harness.driver.createNode({ name: 'tags-1', size: 'g6-nanode-1', image: 'linode/ubuntu24.04', location: 'us-east', tags }),
      );
      expect(isInvalidRequestError(error), String(error)).toBe(true);
      expect((error as { field?: string }).field).toMatch(/^tags/);
    }
    expect(harness.fake.requests.length).toBe(before);
  });
});

describe('linode catalog', () => {
  it('prices types per region from price and region_prices, in USD, with MB turned into GiB', async () => {
    const newark = await harness.driver.listSizes({ location: 'us-east' });
    const nanode = newark.find((size) => size.id === 'g6-nanode-1');
    expect(nanode).toMatchObject({
      name: 'Nanode 1GB',
      vcpus: 1,
      memoryGiB: 1,
      diskGiB: 25,
      arch: 'x86_64',
      sharedCore: true,
      priceLocation: 'us-east',
    });
    expect(nanode?.price).toEqual({ hourly: 0.0075, monthly: 5.48, currency: 'USD', source: 'provider-api', asOf: '2026-01-01' });
    const gpu = newark.find((size) => size.id === 'g1-gpu-rtx6000-1');
    expect(gpu?.gpus).toBe(1);
    expect(gpu?.sharedCore).toBeUndefined();

    const saoPaulo = await harness.driver.listSizes({ location: 'br-gru' });
    const size = LINODE_CATALOG.sizes.find((each) => each.id === 'g6-nanode-1');
    const region = LINODE_CATALOG.locations.find((each) => each.id === 'br-gru');
    expect(saoPaulo.find((each) => each.id === 'g6-nanode-1')?.price?.hourly).toBe(size && region ? simPrice(size, region).hourly : NaN);
    const error = await rejectionOf(harness.driver.listSizes({ location: 'mars-1' }));
    expect((error as { field?: string }).field).toBe('query.location');
  });

  it('lists regions with upper-case countries and cities from the label, and public distribution images', async () => {
    const regions = await harness.driver.listLocations();
    expect(regions.find((region) => region.id === 'ap-northeast')).toEqual({
      id: 'ap-northeast',
      name: 'Tokyo 2, JP',
      provider: 'linode',
      kind: 'region',
      region: 'ap-northeast',
      country: 'JP',
      city: 'Tokyo',
      continent: 'Asia',
    });
    const images = await harness.driver.listImages({ os: 'ubuntu' });
    expect(images.map((image) => [image.id, image.os?.version])).toEqual([
      ['linode/ubuntu24.04', '24.04'],
      ['linode/ubuntu22.04', '22.04'],
    ]);
    expect(await harness.driver.listImages({ arch: 'arm64' })).toEqual([]);
  });
});

describe('linode credentials and the spec check', () => {
  it('maps a rejected token to AuthenticationError without showing the token', async () => {
    const wrongToken = 'linode-wrong-token-zzzzzzzzzzzz';
    const driver = createLinodeDriver({ token: wrongToken, endpoint: harness.fake.url, retry: TEST_RETRY });
    const error = await rejectionOf(driver.listLocations());
    expect(isAuthenticationError(error)).toBe(true);
    expect(JSON.stringify(error)).not.toContain(wrongToken);
    expect(String((error as Error).stack)).not.toContain(wrongToken);
  });

  it('is created lazily by createDriver("linode") with type-checked options', async () => {
    const driver = await createDriver('linode', { token: harness.fake.token, endpoint: harness.fake.url, retry: TEST_RETRY });
    expect(driver.provider).toBe('linode');
    expect((await driver.listLocations()).length).toBeGreaterThan(0);
  });

  it('takes LINODE_TOKEN from the environment, and fails clearly without one', () => {
    const saved = process.env.LINODE_TOKEN;
    try {
      delete process.env.LINODE_TOKEN;
      expect(() => createLinodeDriver()).toThrow(/LINODE_TOKEN/);
      process.env.LINODE_TOKEN = 'linode-env-token-0123456789';
      expect(createLinodeDriver({ endpoint: harness.fake.url }).provider).toBe('linode');
    } finally {
      if (saved === undefined) delete process.env.LINODE_TOKEN;
      else process.env.LINODE_TOKEN = saved;
    }
  });

  it('has the fake refuse (and record) a request the official document rejects', async () => {
    const response = await fetch(`${harness.fake.url}/linode/instances?page_size=10`, {
      headers: { authorization: `Bearer ${harness.fake.token}` },
    });
    expect(response.status).toBe(400);
    expect(harness.fake.violations).toHaveLength(1);
    expect(harness.fake.violations[0]?.problems.join(' ')).toMatch(/page_size/);
    harness.fake.violations.length = 0;
  });
});
