/**
 * The DigitalOcean driver over the wire: pagination, rate limits, server errors, failing actions,
 * page links on foreign hosts, tag-based idempotency, tags, SSH keys, units and prices, checked
 * against what reached the fake (which validates every request against the official document).
 */
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  isAuthenticationError,
  isCloudError,
  isConfigurationError,
  isConflictError,
  isInvalidRequestError,
  isProviderUnavailableError,
  isQuotaError,
  type CloudError,
  type InvalidRequestError,
} from '../../src/core/errors.js';
import { createDigitalOceanDriver, idempotencyTag, sshKeyFingerprint } from '../../providers/digitalocean/index.js';
import { Secret } from '../../src/core/secrets.js';
import { mapDropletStatus } from '../../providers/digitalocean/map.js';
import { rejectionOf } from '../conformance/suite.js';
import { startFakeServer, type FakeServer } from '../fakes/http-server.js';
import { DIGITALOCEAN_FAKE_WAIT, startDigitalOceanHarness, type DigitalOceanHarness, type DigitalOceanHarnessOptions } from './harness.js';

const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ops@example';
const base = { size: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64', location: 'fra1' } as const;

const open: (DigitalOceanHarness | FakeServer)[] = [];
/** Harnesses whose fake was scripted to send malformed answers on purpose. */
const brokenOnPurpose = new Set<DigitalOceanHarness>();
afterEach(async () => {
  const harnesses = open.splice(0);
  for (const each of harnesses) {
    if (!('fake' in each)) continue;
    expect(each.fake.violations).toEqual([]);
    if (!brokenOnPurpose.has(each)) expect(each.fake.responseViolations).toEqual([]);
  }
  brokenOnPurpose.clear();
  await Promise.all(harnesses.map((each) => each.close()));
});

async function harness(options?: DigitalOceanHarnessOptions): Promise<DigitalOceanHarness> {
  const started = await startDigitalOceanHarness(options);
  open.push(started);
  return started;
}

const dropletLists = (h: DigitalOceanHarness) =>
  h.fake.requests.filter((request) => request.method === 'GET' && request.path === '/v2/droplets');

describe('digitalocean: listing', () => {
  it('follows links.pages.next through every page, on the configured endpoint', async () => {
    const h = await harness({ driver: { pageSize: 2 } });
    const created = [];
    for (let index = 0; index < 5; index++)
      created.push(await h.driver.createNode({ ...base, name: `page-${index}`, tags: { suite: 'paging' } }));
    const before = dropletLists(h).length;
    const listed = await h.driver.listNodes({ tags: { suite: 'paging' } });
    expect(listed.map((node) => node.id).sort()).toEqual(created.map((node) => node.id).sort());
    const pages = dropletLists(h).slice(before);
    expect(pages.map((request) => [request.query.get('page'), request.query.get('per_page'), request.query.get('tag_name')])).toEqual([
      [null, '2', 'suite:paging'],
      ['2', '2', 'suite:paging'],
      ['3', '2', 'suite:paging'],
    ]);
  });

  it('never follows a next link to the host it names', async () => {
    const decoy: FakeServer = await startFakeServer(() => ({ status: 200, body: { droplets: [], links: {}, meta: { total: 0 } } }));
    open.push(decoy);
    const h = await harness({ fake: { linkOrigin: decoy.url }, driver: { pageSize: 1 } });
    await h.driver.createNode({ ...base, name: 'first' });
    await h.driver.createNode({ ...base, name: 'second' });
    const names = (await h.driver.listNodes()).map((node) => node.name);
    expect(names.sort()).toEqual(['first', 'second']);
    expect(decoy.requests).toHaveLength(0);
    expect(dropletLists(h).map((request) => request.query.get('page'))).toContain('2');
  });

  it('retries a list that fails with 5xx, and reports one that keeps failing with its request id', async () => {
    const h = await harness();
    await h.driver.createNode({ ...base, name: 'survivor' });
    h.fake.script({
      method: 'GET',
      path: '/v2/droplets',
      times: 2,
      response: { status: 500, body: { id: 'server_error', message: 'Unexpected server-side error' } },
    });
    expect((await h.driver.listNodes()).map((node) => node.name)).toEqual(['survivor']);
    expect(dropletLists(h).length).toBeGreaterThanOrEqual(3);

    h.fake.script({
      method: 'GET',
      path: '/v2/droplets',
      times: 10,
      response: { status: 503, body: { id: 'service_unavailable', message: 'down for maintenance', request_id: 'rid-503' } },
    });
    const error = await rejectionOf(h.driver.listNodes());
    expect(isProviderUnavailableError(error), String(error)).toBe(true);
    expect((error as CloudError).requestId).toBe('rid-503');
    expect((error as CloudError).operation).toBe('listNodes');
  });

  it('waits out a 429 with Retry-After, then succeeds', async () => {
    const h = await harness();
    h.fake.script({
      method: 'GET',
      path: '/v2/sizes',
      response: {
        status: 429,
        headers: { 'retry-after': '1', 'ratelimit-remaining': '0' },
        body: { id: 'too_many_requests', message: 'API Rate limit exceeded.' },
      },
    });
    const started = Date.now();
    const sizes = await h.driver.listSizes({ location: 'fra1' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(sizes.length).toBeGreaterThan(0);
    expect(h.fake.requests.filter((request) => request.path === '/v2/sizes')).toHaveLength(2);
  });

  it('reports a truncated answer as a CloudError, not a TypeError', async () => {
    const h = await harness({ driver: { retry: { retries: 1, minDelayMs: 1 } } });
    brokenOnPurpose.add(h);
    const node = await h.driver.createNode({ ...base, name: 'cut-short' });
    h.fake.script({
      method: 'GET',
      path: `/v2/droplets/${node.id}`,
      times: 2,
      response: { status: 200, headers: { 'content-type': 'application/json' }, body: '{"droplet": {"id": 5, "name": "cut' },
    });
    const error = await rejectionOf(h.driver.getNode(node.id));
    expect(isCloudError(error)).toBe(true);
    expect((error as CloudError).code).toBe('malformed-response');
    h.fake.script({ method: 'GET', path: `/v2/droplets/${node.id}`, response: { status: 200, body: { droplet: { id: 'x' } } } });
    const shapeError = await rejectionOf(h.driver.getNode(node.id));
    expect((shapeError as CloudError).code).toBe('malformed-response');
  });
});

describe('digitalocean: create', () => {
  it('sends name, region, size, image, tags, SSH key fingerprints and user data as the API documents them', async () => {
    const h = await harness();
    const node = await h.driver.createNode({
      ...base,
      name: 'web-1',
      tags: { env: 'prod', web: '' },
      sshKeys: [SSH_KEY],
      userData: '#cloud-config\nruncmd:\n  - touch /ok\n',
      providerOptions: { ipv6: true, monitoring: true },
    });
    const create = h.fake.requests.find((request) => request.method === 'POST' && request.path === '/v2/droplets');
    const body = JSON.parse(create?.body ?? '{}') as Record<string, unknown>;
    const fingerprint = sshKeyFingerprint(SSH_KEY);
    expect(body).toMatchObject({
      name: 'web-1',
      region: 'fra1',
      size: 's-1vcpu-1gb',
      image: 'ubuntu-24-04-x64',
      ssh_keys: [fingerprint],
      user_data: '#cloud-config\nruncmd:\n  - touch /ok\n',
      ipv6: true,
      monitoring: true,
    });
    expect(body.tags).toEqual(['env:prod', 'web', expect.stringMatching(/^polycloud-idempotency:[0-9a-f]{40}$/)]);
    expect(h.fake.sshKeys.get(fingerprint)?.public_key).toBe(SSH_KEY);
    // A key polycloud registers by itself is named polycloud-… (a managed key, as src/core/key-pairs.ts defines).
    expect(h.fake.sshKeys.get(fingerprint)?.name).toMatch(/^polycloud-[0-9a-f]{16}$/);
    expect(node.tags).toEqual({ env: 'prod', web: '' });
    expect(node.state).toBe('pending');
    expect(node.rawState).toBe('new');
    expect(node.location).toEqual({ id: 'fra1', region: 'fra1', country: 'DE' });
    expect(h.fake.cloud.peekNodes()[0]?.sshKeys).toEqual([SSH_KEY]);

    // The key is registered once; a second create finds it by fingerprint.
    await h.driver.createNode({ ...base, name: 'web-2', sshKeys: [SSH_KEY] });
    expect(h.fake.requests.filter((request) => request.method === 'POST' && request.path === '/v2/account/keys')).toHaveLength(1);
  });

  it('makes one droplet when the answer to the create is lost and the create is retried', async () => {
    const h = await harness();
    h.fake.script({
      method: 'POST',
      path: '/v2/droplets',
      afterHandling: true,
      response: { status: 503, body: { id: 'service_unavailable', message: 'upstream timeout' } },
    });
    const node = await h.driver.createNode({ ...base, name: 'once-only', idempotencyKey: 'deploy-42' });
    expect(h.fake.cloud.peekNodes().map((each) => each.name)).toEqual(['once-only']);
    expect(node.name).toBe('once-only');
    expect(h.fake.requests.filter((request) => request.method === 'POST' && request.path === '/v2/droplets')).toHaveLength(1);
    // Asking again with the same key returns the same droplet; with another request it is a conflict.
    expect((await h.driver.createNode({ ...base, name: 'once-only', idempotencyKey: 'deploy-42' })).id).toBe(node.id);
    expect(isConflictError(await rejectionOf(h.driver.createNode({ ...base, name: 'other-name', idempotencyKey: 'deploy-42' })))).toBe(
      true,
    );
    expect(h.fake.cloud.peekNodes()).toHaveLength(1);
  });

  it('checks the idempotency tag on the droplet itself, not trusting the tag_name filter', async () => {
    const h = await harness({ fake: { ignoreTagFilter: true } });
    const other = await h.driver.createNode({ ...base, name: 'someone-else', idempotencyKey: 'their-key' });
    const mine = await h.driver.createNode({ ...base, name: 'mine', idempotencyKey: 'my-key' });
    expect(mine.id).not.toBe(other.id);
    expect(mine.raw.tags).toContain(idempotencyTag('my-key'));
    expect((await h.driver.createNode({ ...base, name: 'mine', idempotencyKey: 'my-key' })).id).toBe(mine.id);
    const lookups = h.fake.requests.filter((request) => request.method === 'GET' && request.query.get('tag_name') !== null);
    expect(lookups).toHaveLength(3);
    expect(h.fake.requests.filter((request) => request.method === 'POST' && request.path === '/v2/droplets')).toHaveLength(2);
  });

  it('takes DIGITALOCEAN_ACCESS_TOKEN (doctl’s variable) after DIGITALOCEAN_TOKEN, and a Secret token', async () => {
    const h = await harness();
    const saved = [process.env.DIGITALOCEAN_TOKEN, process.env.DIGITALOCEAN_ACCESS_TOKEN];
    try {
      delete process.env.DIGITALOCEAN_TOKEN;
      process.env.DIGITALOCEAN_ACCESS_TOKEN = h.fake.token;
      expect((await createDigitalOceanDriver({ endpoint: h.fake.url, clock: h.clock }).listLocations()).length).toBeGreaterThan(0);
      process.env.DIGITALOCEAN_TOKEN = 'dop_v1_first_variable_wins_0000000';
      const error = await rejectionOf(createDigitalOceanDriver({ endpoint: h.fake.url, clock: h.clock }).listLocations());
      expect(isAuthenticationError(error)).toBe(true);
      const withSecret = createDigitalOceanDriver({ endpoint: h.fake.url, clock: h.clock, token: new Secret(h.fake.token) });
      expect((await withSecret.listLocations()).length).toBeGreaterThan(0);
    } finally {
      for (const [name, value] of [
        ['DIGITALOCEAN_TOKEN', saved[0]],
        ['DIGITALOCEAN_ACCESS_TOKEN', saved[1]],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('retries a create throttled with 429, and never a create that failed with 5xx without an existence check', async () => {
    const h = await harness();
    h.fake.script({
      method: 'POST',
      path: '/v2/droplets',
      response: { status: 429, headers: { 'retry-after': '0' }, body: { id: 'too_many_requests', message: 'API Rate limit exceeded.' } },
    });
    await h.driver.createNode({ ...base, name: 'throttled' });
    const posts = h.fake.requests.filter((request) => request.method === 'POST' && request.path === '/v2/droplets');
    expect(posts).toHaveLength(2);
    // Between the two POSTs the driver looked for a droplet carrying the idempotency tag again.
    const between = h.fake.requests.slice(h.fake.requests.indexOf(posts[0]!), h.fake.requests.indexOf(posts[1]!));
    expect(
      between.some(
        (request) =>
          request.path === '/v2/droplets' &&
          request.method === 'GET' &&
          request.query.get('tag_name')?.startsWith('polycloud-idempotency:'),
      ),
    ).toBe(true);
    expect(h.fake.cloud.peekNodes()).toHaveLength(1);
  });

  it('maps an account limit to QuotaError and unknown slugs to InvalidRequestError naming the field', async () => {
    const h = await harness({ fake: { maxNodes: 1 } });
    await h.driver.createNode({ ...base, name: 'only-one' });
    const quota = await rejectionOf(h.driver.createNode({ ...base, name: 'one-too-many' }));
    expect(isQuotaError(quota), String(quota)).toBe(true);
    const badSize = (await rejectionOf(h.driver.createNode({ ...base, name: 'bad', size: 's-99vcpu' }))) as InvalidRequestError;
    expect(isInvalidRequestError(badSize)).toBe(true);
    expect(badSize.field).toBe('size');
    expect(badSize.statusCode).toBe(422);
  });

  it('rejects DigitalOcean-invalid names, tags and providerOptions before any request', async () => {
    const h = await harness();
    const before = h.fake.requests.length;
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'ends-with-dash-' }, 'name'],
      [{ name: 'x'.repeat(256) }, 'name'],
      [{ tags: { 'has space': 'v' } }, 'tags.has space'],
      [{ tags: { 'team:a': 'v' } }, 'tags.team:a'],
      [{ tags: { env: 'pr od' } }, 'tags.env'],
      [{ providerOptions: { vpcUuid: 'not-a-uuid' } }, 'providerOptions.vpcUuid'],
      [{ providerOptions: { ipv6: 'yes' } }, 'providerOptions.ipv6'],
      [{ providerOptions: { floatingIp: true } }, 'providerOptions.floatingIp'],
    ];
    for (const [overrides, field] of cases) {
      const error = (await rejectionOf(h.driver.createNode({ ...base, name: 'ok', ...overrides } as never))) as InvalidRequestError;
      expect(isInvalidRequestError(error), `${field}: ${String(error)}`).toBe(true);
      expect(error.field).toBe(field);
    }
    const manyTags = Object.fromEntries(Array.from({ length: 50 }, (_, index) => [`k${index}`, 'v']));
    expect(((await rejectionOf(h.driver.createNode({ ...base, name: 'ok', tags: manyTags }))) as InvalidRequestError).field).toBe('tags');
    const tooBig = (await rejectionOf(
      h.driver.createNode({ ...base, name: 'ok', userData: 'u'.repeat(64 * 1024 + 1) }),
    )) as InvalidRequestError;
    expect(tooBig.field).toBe('userData');
    const badId = (await rejectionOf(h.driver.getNode('web-1'))) as InvalidRequestError;
    expect(badId.field).toBe('id');
    expect(h.fake.requests.length).toBe(before);
  });
});

describe('digitalocean: limits', () => {
  it('applies DigitalOcean limits, not the defaults: 255-character names, 49 tags, 64 KiB user data', async () => {
    const h = await harness();
    const tags = Object.fromEntries(Array.from({ length: 49 }, (_, index) => [`k${index}`, 'v']));
    const node = await h.driver.createNode({ ...base, name: `n${'a'.repeat(253)}z`, tags, userData: 'u'.repeat(64 * 1024) });
    expect(node.name).toHaveLength(255);
    expect(Object.keys(node.tags)).toHaveLength(49);
    expect(h.fake.cloud.peekNodes()[0]?.userData).toHaveLength(64 * 1024);
  });
});

describe('digitalocean: actions', () => {
  it('waits for power_off and power_on to complete, and treats an already-reached state as done', async () => {
    const h = await harness();
    const node = await h.driver.createNode({ ...base, name: 'cycle' });
    await h.driver.waitForNode(node, 'running', DIGITALOCEAN_FAKE_WAIT);
    await h.driver.stopNode(node);
    // stopNode returned after the action completed: the droplet is off without any further wait.
    expect((await h.driver.getNode(node.id)).state).toBe('stopped');
    const actionPolls = h.fake.requests.filter((request) => /^\/v2\/actions\/\d+$/.test(request.path));
    expect(actionPolls.length).toBeGreaterThan(0);
    await h.driver.stopNode(node); // 422 "already powered off" → nothing to do
    await h.driver.startNode(node);
    expect((await h.driver.getNode(node.id)).state).toBe('running');
    const types = h.fake.requests.filter((request) => request.path.endsWith('/actions')).map((request) => JSON.parse(request.body).type);
    expect(types).toEqual(['power_off', 'power_off', 'power_on']);
  });

  it('fails rebootNode with a CloudError when the action errors', async () => {
    const h = await harness();
    const node = await h.driver.createNode({ ...base, name: 'doomed' });
    await h.driver.waitForNode(node, 'running', DIGITALOCEAN_FAKE_WAIT);
    h.fake.failNextAction('reboot');
    const error = await rejectionOf(h.driver.rebootNode(node));
    expect(isCloudError(error)).toBe(true);
    expect((error as CloudError).code).toBe('action_errored');
    expect((error as CloudError).message).toMatch(/^rebootNode: .*reboot.*errored/);
    expect((await h.driver.getNode(node.id)).state).toBe('running');
  });

  it('can return without waiting for actions', async () => {
    const h = await harness({ driver: { waitForActions: false } });
    const node = await h.driver.createNode({ ...base, name: 'fire-and-forget' });
    await h.driver.waitForNode(node, 'running', DIGITALOCEAN_FAKE_WAIT);
    await h.driver.stopNode(node);
    expect(h.fake.requests.filter((request) => /^\/v2\/actions\/\d+$/.test(request.path))).toHaveLength(0);
    expect((await h.driver.waitForNode(node, 'stopped', DIGITALOCEAN_FAKE_WAIT)).rawState).toBe('off');
  });
});

describe('digitalocean: catalog', () => {
  it('normalises memory to GiB and keeps DigitalOcean prices with the fetch date', async () => {
    const h = await harness();
    const sizes = await h.driver.listSizes({ location: 'fra1' });
    const smallest = sizes.find((size) => size.id === 's-1vcpu-512mb-10gb');
    expect(smallest).toMatchObject({ vcpus: 1, memoryGiB: 0.5, diskGiB: 10, arch: 'x86_64', sharedCore: true, priceLocation: 'fra1' });
    expect(smallest?.price).toEqual({ hourly: 0.00595, monthly: 4, currency: 'USD', source: 'provider-api', asOf: '2026-01-01' });
    expect(sizes.find((size) => size.id === 'c-2')?.sharedCore).toBeUndefined();
    // Not offered in lon1: left out there.
    expect((await h.driver.listSizes({ location: 'lon1' })).map((size) => size.id)).not.toContain('s-1vcpu-512mb-10gb');
    expect(h.fake.requests.find((request) => request.path === '/v2/sizes')?.query.get('per_page')).toBe('200');
  });

  it('lists regions with country and city from the facts table', async () => {
    const h = await harness();
    const locations = await h.driver.listLocations();
    expect(locations.find((location) => location.id === 'blr1')).toEqual({
      id: 'blr1',
      name: 'Bangalore 1',
      provider: 'digitalocean',
      kind: 'region',
      region: 'blr1',
      country: 'IN',
      city: 'Bangalore',
      continent: 'Asia',
    });
    expect(locations).toHaveLength(9);
  });

  it('lists distribution images by slug with OS family and version', async () => {
    const h = await harness();
    const debian = await h.driver.listImages({ os: 'debian' });
    expect(debian.map((image) => [image.id, image.os?.version, image.arch])).toEqual([['debian-12-x64', '12', 'x86_64']]);
    expect(h.fake.requests.find((request) => request.path === '/v2/images')?.query.get('type')).toBe('distribution');
    expect(await h.driver.listImages({ arch: 'arm64' })).toEqual([]);
  });

  it('maps every documented droplet status', () => {
    expect(['new', 'active', 'off', 'archive', 'melting'].map(mapDropletStatus)).toEqual([
      'pending',
      'running',
      'stopped',
      'terminated',
      'unknown',
    ]);
  });
});

describe('digitalocean: credentials', () => {
  it('takes DIGITALOCEAN_TOKEN from the environment, and fails clearly without a token', async () => {
    const h = await harness();
    const saved = process.env.DIGITALOCEAN_TOKEN;
    try {
      delete process.env.DIGITALOCEAN_TOKEN;
      const missing = (() => {
        try {
          createDigitalOceanDriver({ endpoint: h.fake.url });
        } catch (error) {
          return error;
        }
        return undefined;
      })();
      expect(isConfigurationError(missing)).toBe(true);
      expect(String(missing)).toContain('DIGITALOCEAN_TOKEN');
      process.env.DIGITALOCEAN_TOKEN = h.fake.token;
      const fromEnv = createDigitalOceanDriver({ endpoint: h.fake.url, clock: h.clock });
      expect((await fromEnv.listLocations()).length).toBeGreaterThan(0);
    } finally {
      if (saved === undefined) delete process.env.DIGITALOCEAN_TOKEN;
      else process.env.DIGITALOCEAN_TOKEN = saved;
    }
  });

  it('rejects a wrong token with AuthenticationError and never shows the token', async () => {
    const h = await harness();
    const wrongToken = 'dop_v1_wrong_token_that_must_not_leak_0001';
    const driver = createDigitalOceanDriver({ endpoint: h.fake.url, token: wrongToken, clock: h.clock });
    const error = await rejectionOf(driver.listNodes());
    expect(isAuthenticationError(error)).toBe(true);
    for (const text of [String(error), JSON.stringify(error), inspect(error, { depth: 10 }), JSON.stringify(driver), inspect(driver)]) {
      expect(text).not.toContain(wrongToken);
    }
    expect(h.fake.requests.at(-1)?.headers.authorization).toBe(`Bearer ${wrongToken}`);
  });

  it('is created by createDriver("digitalocean")', async () => {
    const h = await harness();
    const { createDriver } = await import('../../src/core/registry.js');
    const driver = await createDriver('digitalocean', { endpoint: h.fake.url, token: h.fake.token });
    expect(driver.provider).toBe('digitalocean');
    expect(driver.capabilities.idempotency).toBe('tag');
    expect((await driver.listLocations()).map((location) => location.id)).toContain('fra1');
  });
});

describe('digitalocean: failures of the cloud', () => {
  it('reports an outage of the simulated cloud as ProviderUnavailableError after retrying', async () => {
    const h = await harness({ driver: { retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 } } });
    h.fake.cloud.faults.set({ outage: true });
    const before = h.fake.requests.length;
    const error = await rejectionOf(h.driver.listNodes());
    expect(isProviderUnavailableError(error), String(error)).toBe(true);
    expect((error as CloudError).statusCode).toBe(503);
    expect(h.fake.requests.length - before).toBe(3);
    h.fake.cloud.faults.clear();
    expect(await h.driver.listNodes()).toEqual([]);
  });

  it('leaves out (and logs) a region missing from the facts table, and rejects sizes for an unknown location', async () => {
    const warnings: string[] = [];
    const h = await harness({ driver: { logger: { warn: (message) => warnings.push(message) } } });
    h.fake.script({
      method: 'GET',
      path: '/v2/regions',
      response: {
        status: 200,
        body: {
          regions: [
            { slug: 'fra1', name: 'Frankfurt 1', sizes: ['s-1vcpu-1gb'], available: true, features: [] },
            { slug: 'xyz1', name: 'Somewhere 1', sizes: ['s-1vcpu-1gb'], available: true, features: [] },
            { slug: 'nyc2', name: 'New York 2', sizes: [], available: false, features: [] },
          ],
          links: {},
          meta: { total: 3 },
        },
      },
    });
    expect((await h.driver.listLocations()).map((location) => location.id)).toEqual(['fra1']);
    expect(warnings).toEqual([expect.stringContaining('xyz1')]);
    const error = (await rejectionOf(h.driver.listSizes({ location: 'mars1' }))) as InvalidRequestError;
    expect(error.field).toBe('query.location');
  });

  it("cancels a wait for an action with the caller's signal", async () => {
    const h = await harness({ fake: { timings: { stop: 60_000 } } });
    const node = await h.driver.createNode({ ...base, name: 'slow-stop' });
    await h.driver.waitForNode(node, 'running', DIGITALOCEAN_FAKE_WAIT);
    const controller = new AbortController();
    const reason = new Error('deploy cancelled');
    const polls = () => h.fake.requests.filter((request) => /^\/v2\/actions\/\d+$/.test(request.path)).length;
    const stopping = h.driver.stopNode(node, { signal: controller.signal });
    while (polls() < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort(reason);
    expect(await rejectionOf(stopping)).toBe(reason);
  });
});
