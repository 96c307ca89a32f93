/**
 * The Hetzner driver on the wire: what it sends (checked against the official OpenAPI document by
 * the fake), how it pages, throttles, retries, awaits actions and stays idempotent.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  isAuthenticationError,
  isCloudError,
  isInvalidRequestError,
  isProviderUnavailableError,
  type CloudError,
} from '../../src/core/errors.js';
import { startFakeServer, type FakeServer } from '../fakes/http-server.js';
import { createDriver } from '../../src/core/registry.js';
import { rejectionOf } from '../conformance/suite.js';
import { createHetznerDriver } from '../../providers/hetzner/index.js';
import { IDEMPOTENCY_LABEL, idempotencyLabelValue } from '../../providers/hetzner/labels.js';
import { hetznerFingerprint } from '../../providers/hetzner/ssh-keys.js';
import { simPrice } from '../../src/simulator/index.js';
import { HETZNER_CATALOG } from '../fakes/hetzner/catalog.js';
import { startHetznerHarness, TEST_RETRY, type HetznerHarness } from './harness.js';

const KEY_A = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx4b3JlbS1pcHN1bS1kb2xvci1zaXQtYW1ldC0x alice@example';
const KEY_B = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJvYi1rZXktZm9yLXBvbHljbG91ZC10ZXN0cy0y bob@example';

const hetznerError = (status: number, code: string, message: string, headers: Record<string, string> = {}) => ({
  status,
  headers: { 'x-correlation-id': `corr-${code}`, ...headers },
  body: { error: { code, message, details: {} } },
});

let harness: HetznerHarness;

beforeEach(async () => {
  harness = await startHetznerHarness();
});

afterEach(async () => {
  expect(harness.fake.violations).toEqual([]);
  expect(harness.fake.responseViolations).toEqual([]);
  await harness.close();
});

/** Creates servers directly in the simulator (no requests), labelled like polycloud would. */
async function seedServers(count: number, labels: Record<string, string>) {
  for (let index = 0; index < count; index++) {
    await harness.fake.cloud.createNode({ name: `seed-${index}`, sizeId: 'cx22', imageId: '161547269', locationId: 'fsn1', tags: labels });
  }
}

const serverListRequests = () => harness.fake.requests.filter((request) => request.method === 'GET' && request.path === '/v1/servers');

describe('hetzner listing', () => {
  it('follows meta.pagination page by page on the configured endpoint, keeping the filters', async () => {
    await seedServers(7, { team: 'paging' });
    await seedServers(2, { team: 'other' });
    const nodes = await harness.driver.listNodes({ tags: { team: 'paging' }, pageSize: 3 });
    expect(nodes).toHaveLength(7);
    expect(new Set(nodes.map((node) => node.id)).size).toBe(7);
    const requests = serverListRequests();
    expect(requests.map((request) => request.query.get('page'))).toEqual([null, '2', '3']);
    for (const request of requests) {
      expect(request.query.get('label_selector')).toBe('team=paging');
      expect(request.query.get('per_page')).toBe('3');
      expect(request.headers.host).toBe(new URL(harness.fake.url).host);
    }
  });

  it('sends a status filter only when the states map to exactly one Hetzner status', async () => {
    await harness.driver.listNodes({ states: ['stopped'] });
    await harness.driver.listNodes({ states: ['pending'] });
    expect(serverListRequests().map((request) => request.query.getAll('status'))).toEqual([['off'], []]);
  });

  it('refuses a malformed next_page instead of following it or stopping silently', async () => {
    const elsewhere: FakeServer = await startFakeServer(() => ({ status: 200, body: { servers: [], meta: {} } }));
    try {
      await seedServers(2, { team: 'evil' });
      harness.fake.script.push({
        method: 'GET',
        path: '/v1/servers',
        response: {
          status: 200,
          body: {
            servers: [],
            meta: {
              pagination: {
                page: 1,
                per_page: 50,
                previous_page: null,
                next_page: `${elsewhere.url}/v1/servers?page=2`,
                last_page: 2,
                total_entries: 2,
              },
            },
          },
        },
      });
      const error = await rejectionOf(harness.driver.listNodes({ tags: { team: 'evil' } }));
      expect(isCloudError(error)).toBe(true);
      expect((error as CloudError).code).toBe('malformed-response');
      expect(elsewhere.requests).toEqual([]);
      // The scripted answer is malformed by the document too; that is the point of this case.
      expect(harness.fake.responseViolations.flatMap((violation) => violation.problems)).toEqual([
        'GET /servers 200: /meta/pagination/next_page must be number',
      ]);
      harness.fake.responseViolations.length = 0;
    } finally {
      await elsewhere.close();
    }
  });

  it('waits as long as Retry-After asks after a 429, then succeeds', async () => {
    await seedServers(1, { team: 'throttled' });
    harness.fake.script.push({
      method: 'GET',
      path: '/v1/servers',
      response: hetznerError(429, 'rate_limit_exceeded', 'limit of 3600 requests per hour reached', {
        'retry-after': '1',
        'ratelimit-remaining': '0',
      }),
    });
    const started = Date.now();
    const nodes = await harness.driver.listNodes({ tags: { team: 'throttled' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(nodes).toHaveLength(1);
    expect(serverListRequests()).toHaveLength(2);
  });

  it('retries a 5xx on a list, and reports a lasting one as ProviderUnavailableError with the correlation id', async () => {
    await seedServers(1, { team: 'flaky' });
    harness.fake.script.push({ method: 'GET', path: '/v1/servers', response: hetznerError(503, 'unavailable', 'service unavailable') });
    expect(await harness.driver.listNodes({ tags: { team: 'flaky' } })).toHaveLength(1);
    expect(serverListRequests()).toHaveLength(2);

    harness.fake.script.push({
      method: 'GET',
      path: '/v1/servers',
      times: (TEST_RETRY.retries ?? 0) + 1,
      response: hetznerError(503, 'unavailable', 'service unavailable'),
    });
    const error = await rejectionOf(harness.driver.listNodes({ tags: { team: 'flaky' } }));
    expect(isProviderUnavailableError(error), String(error)).toBe(true);
    expect((error as CloudError).statusCode).toBe(503);
    expect((error as CloudError).requestId).toBe('corr-unavailable');
    expect((error as CloudError).message).toContain('listNodes');
    expect(serverListRequests()).toHaveLength(2 + (TEST_RETRY.retries ?? 0) + 1);
  });
});

describe('hetzner actions', () => {
  it('awaits each action through /actions/{id} and reports a failed one', async () => {
    const node = await harness.driver.createNode({ name: 'acts-1', size: 'cx22', image: '161547269', location: 'fsn1' });
    await harness.driver.waitForNode(node, 'running', { intervalMs: 250 });
    await harness.driver.rebootNode(node);
    const reboot = harness.fake.requests.find((request) => request.path === `/v1/servers/${node.id}/actions/reboot`);
    expect(reboot?.method).toBe('POST');
    expect(reboot?.body).toBe('');
    expect(harness.fake.requests.some((request) => /^\/v1\/actions\/\d+$/.test(request.path))).toBe(true);

    harness.fake.failNextAction('reboot_server', { code: 'action_failed', message: 'the hypervisor refused the reboot' });
    const error = await rejectionOf(harness.driver.rebootNode(node.id));
    expect(isCloudError(error)).toBe(true);
    expect((error as CloudError).code).toBe('action_failed');
    expect((error as CloudError).message).toContain('reboot_server');
    expect((error as CloudError).message).toContain('the hypervisor refused the reboot');
    expect((error as CloudError).message).toMatch(/^rebootNode: /);
    expect((await harness.driver.getNode(node.id)).state).toBe('running');
  });

  it('stops waiting for an action as soon as the caller aborts', async () => {
    const slow = await startHetznerHarness({ fake: { timings: { reboot: 3_600_000 } } });
    try {
      const node = await slow.driver.createNode({ name: 'slow-1', size: 'cx22', image: '161547269', location: 'fsn1' });
      await slow.driver.waitForNode(node, 'running', { intervalMs: 250 });
      const controller = new AbortController();
      const reason = new Error('caller gave up');
      setTimeout(() => controller.abort(reason), 50);
      const started = Date.now();
      expect(await rejectionOf(slow.driver.rebootNode(node, { signal: controller.signal }))).toBe(reason);
      // The action never finishes: only the abort ends the call; the bound only catches a hang.
      expect(Date.now() - started).toBeLessThan(20_000);
      const pollCount = () => slow.fake.requests.filter((request) => /^\/v1\/actions\/\d+$/.test(request.path)).length;
      const atRejection = pollCount();
      // The virtual clock makes every poll interval instant, so a wait still running would add many
      // polls in this pause. One poll already on the wire when the signal fired may still land (the
      // abort cancels it on the client only) — before or after the pause, however loaded the machine.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(pollCount()).toBeGreaterThan(0);
      expect(pollCount() - atRejection).toBeLessThanOrEqual(1);
    } finally {
      await slow.close();
    }
  });

  it('stops with shutdown by default and poweroff when configured', async () => {
    const node = await harness.driver.createNode({ name: 'stops-1', size: 'cx22', image: '161547269', location: 'fsn1' });
    await harness.driver.waitForNode(node, 'running', { intervalMs: 250 });
    await harness.driver.stopNode(node);
    expect((await harness.driver.getNode(node.id)).rawState).toBe('off');
    await harness.driver.startNode(node);
    const hard = createHetznerDriver({
      token: harness.fake.token,
      endpoint: harness.fake.url,
      clock: harness.clock,
      actionPollIntervalMs: 250,
      stopMethod: 'poweroff',
    });
    await hard.stopNode(node.id);
    const paths = harness.fake.requests.filter((request) => request.method === 'POST').map((request) => request.path.split('/').pop());
    expect(paths).toEqual(['servers', 'shutdown', 'poweron', 'poweroff']);
  });

  it('fails createNode when the create action fails', async () => {
    harness.fake.failNextAction('create_server', { code: 'placement_error', message: 'no capacity for this server type' });
    const error = await rejectionOf(harness.driver.createNode({ name: 'fails-1', size: 'cx22', image: '161547269', location: 'fsn1' }));
    expect((error as CloudError).code).toBe('placement_error');
    expect((error as CloudError).retryable).toBe(false);
  });
});

describe('hetzner create', () => {
  it('registers raw SSH keys once (by fingerprint) and sends names, labels and user data', async () => {
    const node = await harness.driver.createNode({
      name: 'web-1',
      size: 'cx22',
      image: '161547269',
      location: 'nbg1',
      sshKeys: [KEY_A, KEY_B],
      userData: '#cloud-config\nruncmd:\n- [touch, /root/ok]\n',
      tags: { env: 'prod', 'example.com/team': 'web' },
      idempotencyKey: 'create-web-1',
    });
    expect(node.tags).toEqual({ env: 'prod', 'example.com/team': 'web' });
    expect(node.location).toEqual({ id: 'nbg1', region: 'nbg1', country: 'DE' });
    const create = harness.fake.requests.find((request) => request.method === 'POST' && request.path === '/v1/servers');
    const body = JSON.parse(create?.body ?? '{}') as Record<string, unknown>;
    const keyNames = [...harness.fake.sshKeys.values()].map((key) => key.name);
    expect(keyNames).toHaveLength(2);
    expect(body).toMatchObject({
      name: 'web-1',
      server_type: 'cx22',
      image: '161547269',
      location: 'nbg1',
      start_after_create: true,
      ssh_keys: keyNames,
      user_data: '#cloud-config\nruncmd:\n- [touch, /root/ok]\n',
      labels: { env: 'prod', 'example.com/team': 'web', [IDEMPOTENCY_LABEL]: idempotencyLabelValue('create-web-1') },
    });
    expect([...harness.fake.sshKeys.values()].map((key) => key.fingerprint)).toEqual([
      hetznerFingerprint(KEY_A),
      hetznerFingerprint(KEY_B),
    ]);
    expect(harness.fake.cloud.peekNodes()[0]?.sshKeys).toEqual([KEY_A, KEY_B]);

    await harness.driver.createNode({ name: 'web-2', size: 'cx22', image: '161547269', location: 'nbg1', sshKeys: [KEY_A] });
    expect(harness.fake.requests.filter((request) => request.method === 'POST' && request.path === '/v1/ssh_keys')).toHaveLength(2);
  });

  it('takes an image by name too, and Hetzner picks the build for the server type’s architecture', async () => {
    const arm = await harness.driver.createNode({ name: 'arm-1', size: 'cax11', image: 'ubuntu-24.04', location: 'hel1' });
    const armImage = (await harness.driver.listImages({ os: 'ubuntu', version: '24.04', arch: 'arm64' }))[0];
    expect(arm.imageId).toBe(armImage?.id);
    expect(arm.sizeId).toBe('cax11');
    const mismatch = await rejectionOf(harness.driver.createNode({ name: 'arm-2', size: 'cax11', image: '161547269', location: 'hel1' }));
    expect(isInvalidRequestError(mismatch)).toBe(true);
    expect((mismatch as { field?: string }).field).toBe('image');
  });

  it('creates exactly one server when the answer to the create is lost and the request repeated', async () => {
    harness.fake.script.push({
      method: 'POST',
      path: '/v1/servers',
      afterHandling: true,
      response: hetznerError(503, 'unavailable', 'connection to backend lost'),
    });
    const node = await harness.driver.createNode({
      name: 'lost-1',
      size: 'cx22',
      image: '161547269',
      location: 'fsn1',
      idempotencyKey: 'lost-answer-1',
    });
    // The repeat first looks for the server labelled with the key, finds it, and sends no second create.
    const posts = harness.fake.requests.filter((request) => request.method === 'POST' && request.path === '/v1/servers');
    expect(posts).toHaveLength(1);
    const lookups = harness.fake.requests.filter(
      (request) => request.method === 'GET' && request.query.get('label_selector')?.startsWith(IDEMPOTENCY_LABEL),
    );
    expect(lookups).toHaveLength(2);
    expect(harness.fake.requests.indexOf(lookups[1]!)).toBeGreaterThan(harness.fake.requests.indexOf(posts[0]!));
    expect(harness.fake.cloud.peekNodes().map((each) => each.name)).toEqual(['lost-1']);
    expect(node.name).toBe('lost-1');
  });

  it('refuses an idempotency key reused for a different request', async () => {
    await harness.driver.createNode({ name: 'same-key-1', size: 'cx22', image: '161547269', location: 'fsn1', idempotencyKey: 'reused' });
    const error = await rejectionOf(
      harness.driver.createNode({ name: 'same-key-2', size: 'cx22', image: '161547269', location: 'fsn1', idempotencyKey: 'reused' }),
    );
    expect((error as Error).name).toBe('ConflictError');
    expect(harness.fake.cloud.peekNodes()).toHaveLength(1);
  });

  it('passes providerOptions on the wire and refuses unknown or mistyped ones before any request', async () => {
    await harness.driver.createNode({
      name: 'opts-1',
      size: 'cx22',
      image: '161547269',
      location: 'fsn1',
      providerOptions: { firewalls: [38], networks: [4711], placementGroup: 7, enableIpv6: false },
    });
    const body = JSON.parse(
      harness.fake.requests.find((request) => request.method === 'POST' && request.path === '/v1/servers')?.body ?? '{}',
    ) as Record<string, unknown>;
    expect(body).toMatchObject({ firewalls: [{ firewall: 38 }], networks: [4711], placement_group: 7, public_net: { enable_ipv6: false } });
    const before = harness.fake.requests.length;
    const unknown = await rejectionOf(
      harness.driver.createNode({
        name: 'opts-2',
        size: 'cx22',
        image: '161547269',
        location: 'fsn1',
        providerOptions: { volumes: [1] } as never,
      }),
    );
    expect((unknown as { field?: string }).field).toBe('providerOptions.volumes');
    const mistyped = await rejectionOf(
      harness.driver.createNode({
        name: 'opts-3',
        size: 'cx22',
        image: '161547269',
        location: 'fsn1',
        providerOptions: { networks: ['x'] as never },
      }),
    );
    expect((mistyped as { field?: string }).field).toBe('providerOptions.networks');
    expect(harness.fake.requests.length).toBe(before);
  });

  it('rejects labels Hetzner would refuse before any request', async () => {
    const before = harness.fake.requests.length;
    const refused: Record<string, string>[] = [
      { 'bad key!': 'x' },
      { ok: '-leading-dash' },
      { 'hetzner.cloud/own': 'x' },
      { ok: 'x'.repeat(64) },
    ];
    for (const tags of refused) {
      const error = await rejectionOf(
        harness.driver.createNode({ name: 'labels-1', size: 'cx22', image: '161547269', location: 'fsn1', tags }),
      );
      expect(isInvalidRequestError(error), String(error)).toBe(true);
      expect((error as { field?: string }).field).toMatch(/^tags/);
    }
    expect(harness.fake.requests.length).toBe(before);
  });
});

describe('hetzner catalog', () => {
  it('prices sizes per location from the API, net by default and gross on request, in EUR', async () => {
    const net = await harness.driver.listSizes({ location: 'fsn1' });
    const cx22 = net.find((size) => size.id === 'cx22');
    expect(cx22).toMatchObject({ vcpus: 2, memoryGiB: 4, diskGiB: 40, arch: 'x86_64', sharedCore: true, priceLocation: 'fsn1' });
    expect(cx22?.price).toEqual({ hourly: 0.006, monthly: 4.38, currency: 'EUR', source: 'provider-api', asOf: '2026-01-01' });
    expect(net.map((size) => size.id)).not.toContain(undefined);
    const inAshburn = await harness.driver.listSizes({ location: 'ash' });
    expect(inAshburn.map((size) => size.id)).not.toContain('cx22');
    const cpx11 = HETZNER_CATALOG.sizes.find((size) => size.id === 'cpx11');
    const ash = HETZNER_CATALOG.locations.find((location) => location.id === 'ash');
    expect(inAshburn.find((size) => size.id === 'cpx11')?.price?.hourly).toBe(cpx11 && ash ? simPrice(cpx11, ash).hourly : NaN);

    const gross = createHetznerDriver({ token: harness.fake.token, endpoint: harness.fake.url, clock: harness.clock, priceBasis: 'gross' });
    const grossCx22 = (await gross.listSizes({ location: 'fsn1' })).find((size) => size.id === 'cx22');
    expect(grossCx22?.price?.hourly).toBeCloseTo(0.006 * 1.19, 8);
    const error = await rejectionOf(harness.driver.listSizes({ location: 'nowhere' }));
    expect((error as { field?: string }).field).toBe('query.location');
  });

  it('lists locations with the country and city the API gives, and system images by OS and architecture', async () => {
    const locations = await harness.driver.listLocations();
    expect(locations.find((location) => location.id === 'hel1')).toEqual({
      id: 'hel1',
      name: 'Helsinki DC Park 1',
      provider: 'hetzner',
      kind: 'region',
      region: 'hel1',
      country: 'FI',
      city: 'Helsinki',
      continent: 'Europe',
    });
    const arm = await harness.driver.listImages({ os: 'ubuntu', version: '24.04', arch: 'arm64' });
    expect(arm.map((image) => [image.id, image.name, image.arch])).toEqual([['161547270', 'ubuntu-24.04', 'arm64']]);
    const imageRequest = harness.fake.requests.filter((request) => request.path === '/v1/images').pop();
    expect(imageRequest?.query.get('type')).toBe('system');
    expect(imageRequest?.query.get('architecture')).toBe('arm');
    const all = await harness.driver.listImages();
    expect(all.map((image) => image.name)).not.toContain('ubuntu-20.04');
  });
});

describe('hetzner credentials and the spec check', () => {
  it('maps a rejected token to AuthenticationError without showing the token', async () => {
    const wrongToken = 'hcloud-wrong-token-zzzzzzzzzzzz';
    const driver = createHetznerDriver({ token: wrongToken, endpoint: harness.fake.url, retry: TEST_RETRY });
    const error = await rejectionOf(driver.listLocations());
    expect(isAuthenticationError(error)).toBe(true);
    expect((error as CloudError).code).toBe('unauthorized');
    expect(JSON.stringify(error)).not.toContain(wrongToken);
    expect(String((error as Error).stack)).not.toContain(wrongToken);
    expect(JSON.stringify(driver)).not.toContain(wrongToken);
  });

  it('is created lazily by createDriver("hetzner") with type-checked options', async () => {
    const driver = await createDriver('hetzner', { token: harness.fake.token, endpoint: harness.fake.url, retry: TEST_RETRY });
    expect(driver.provider).toBe('hetzner');
    expect((await driver.listLocations()).length).toBeGreaterThan(0);
  });

  it('takes HCLOUD_TOKEN from the environment, and fails clearly without one', () => {
    const saved = process.env.HCLOUD_TOKEN;
    try {
      delete process.env.HCLOUD_TOKEN;
      expect(() => createHetznerDriver()).toThrow(/HCLOUD_TOKEN/);
      process.env.HCLOUD_TOKEN = 'hcloud-env-token-0123456789';
      expect(createHetznerDriver({ endpoint: harness.fake.url }).provider).toBe('hetzner');
    } finally {
      if (saved === undefined) delete process.env.HCLOUD_TOKEN;
      else process.env.HCLOUD_TOKEN = saved;
    }
  });

  it('has the fake refuse (and record) a request the official document rejects', async () => {
    const response = await fetch(`${harness.fake.url}/servers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${harness.fake.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'no-type', image: 'ubuntu-24.04', ssh_keys: [42] }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_input');
    expect(harness.fake.violations).toHaveLength(1);
    expect(harness.fake.violations[0]?.problems.join(' ')).toMatch(/server_type/);
    harness.fake.violations.length = 0;
  });
});
