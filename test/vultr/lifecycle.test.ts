/**
 * The Vultr driver on the wire, changing things: the create body, tag idempotency checked on the
 * client, a lost create answer, SSH keys registered once by fingerprint, the generated root
 * password handed back once, start/halt/reboot/delete, and provider failures as typed errors.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  isAuthenticationError,
  isConflictError,
  isInvalidRequestError,
  isQuotaError,
  isRateLimitError,
  type CloudError,
  type InvalidRequestError,
} from '../../src/core/errors.js';
import { generatedCredentialsOf } from '../../src/core/launch-spec.js';
import { publicKeyFingerprint } from '../../src/core/key-pairs.js';
import { rejectionOf } from '../conformance/suite.js';
import { createVultrDriver } from '../../providers/vultr/index.js';
import { idempotencyTag } from '../../providers/vultr/tags.js';
import { TEST_RETRY, useVultrHarness } from './harness.js';

const KEY_A = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx4b3JlbS1pcHN1bS1kb2xvci1zaXQtYW1ldC0x alice@example';
const WAIT = { intervalMs: 250, timeoutMs: 120_000 };

const harness = useVultrHarness();

const base = { size: 'vc2-1c-1gb', image: '2284', location: 'ewr' } as const;
const requestsTo = (method: string, path: string) =>
  harness().fake.requests.filter((request) => request.method === method && request.path === path);
const vultrError = (status: number, message: string) => ({ status, body: { error: message, status } });

describe('vultr create', () => {
  it('sends the documented body: region, plan, os_id, label, tags with the idempotency mark, key ids and base64 user data', async () => {
    const node = await harness().driver.createNode({
      ...base,
      name: 'web-1',
      tags: { env: 'prod', web: '' },
      sshKeys: [KEY_A],
      userData: '#cloud-config\nruncmd: [echo hi]\n',
      idempotencyKey: 'deploy-42',
      providerOptions: { enableIpv6: true, backups: false, hostname: 'web-1.example.com' },
    });
    const [post] = requestsTo('POST', '/v2/instances');
    const body = JSON.parse(post!.body) as Record<string, unknown>;
    const [keyId] = [...harness().fake.sshKeys.keys()];
    expect(body).toEqual({
      region: 'ewr',
      plan: 'vc2-1c-1gb',
      os_id: 2284,
      label: 'web-1',
      tags: ['env:prod', 'web', idempotencyTag('deploy-42'), expect.stringMatching(/^polycloud-key:[0-9a-f]{16}$/)],
      sshkey_id: [keyId],
      user_data: Buffer.from('#cloud-config\nruncmd: [echo hi]\n').toString('base64'),
      hostname: 'web-1.example.com',
      enable_ipv6: true,
      backups: 'disabled',
    });
    expect(harness().fake.created.get(node.id)?.sshKeys).toEqual([KEY_A]);
    expect(harness().fake.created.get(node.id)?.userData).toBe('#cloud-config\nruncmd: [echo hi]\n');
    expect(node).toMatchObject({ name: 'web-1', state: 'pending', sizeId: 'vc2-1c-1gb', imageId: '2284', tags: { env: 'prod', web: '' } });
    expect(node.location).toEqual({ id: 'ewr', region: 'ewr', country: 'US' });
    expect(node.price).toMatchObject({ hourly: 0.007, monthly: 5, currency: 'USD', source: 'provider-api' });
  });

  it('hands the generated root password back once as a Secret, and keeps it (and the console link) out of Node.raw', async () => {
    const node = await harness().driver.createNode({ ...base, name: 'secret-1' });
    const password = harness().fake.created.get(node.id)!.password;
    const credentials = generatedCredentialsOf(node);
    expect(credentials?.rootPassword?.reveal()).toBe(password);
    expect(JSON.stringify(node)).not.toContain(password);
    expect(inspect(node, { depth: 10 })).not.toContain(password);
    expect(node.raw).not.toHaveProperty('default_password');
    expect(node.raw).not.toHaveProperty('kvm');
    const again = await harness().driver.getNode(node.id);
    expect(generatedCredentialsOf(again)).toBeUndefined();
  });

  it('registers an SSH key once, found again by its fingerprint, and removes it with the last instance that used it', async () => {
    const first = await harness().driver.createNode({ ...base, name: 'keys-1', sshKeys: [KEY_A] });
    const second = await harness().driver.createNode({ ...base, name: 'keys-2', sshKeys: [KEY_A] });
    expect(requestsTo('POST', '/v2/ssh-keys')).toHaveLength(1);
    const [key] = await harness().driver.listKeyPairs();
    expect(key).toMatchObject({ provider: 'vultr', fingerprint: publicKeyFingerprint(KEY_A), managed: true });
    expect((await harness().driver.importKeyPair({ name: key!.name, publicKey: KEY_A })).id).toBe(key?.id);
    await harness().driver.destroyNode(first, { removeKeys: true });
    expect(harness().fake.sshKeys.has(key!.id)).toBe(true);
    await harness().driver.destroyNode(second, { removeKeys: true });
    expect(harness().fake.sshKeys.size).toBe(0);
    expect(requestsTo('DELETE', `/v2/ssh-keys/${key!.id}`)).toHaveLength(1);
  });

  it('imports, lists and deletes a key pair by name', async () => {
    const imported = await harness().driver.importKeyPair({ name: 'alice', publicKey: KEY_A });
    expect(JSON.parse(requestsTo('POST', '/v2/ssh-keys')[0]!.body)).toEqual({ name: 'alice', ssh_key: KEY_A });
    expect((await harness().driver.listKeyPairs()).map((key) => key.name)).toEqual(['alice']);
    await harness().driver.deleteKeyPair(imported.id);
    expect(await harness().driver.listKeyPairs()).toEqual([]);
  });

  it('returns the instance carrying the key’s tag on a repeat, checking the tag on the client whatever the server filtered', async () => {
    const other = await harness().driver.createNode({ ...base, name: 'other-1', idempotencyKey: 'key-other' });
    // A server that ignores the tag filter: every list answer holds every instance, the other one first.
    const everything = await fetch(`${harness().fake.url}/instances?per_page=500`, {
      headers: { authorization: `Bearer ${harness().fake.token}` },
    }).then((response) => response.json());
    harness().fake.script.push({ method: 'GET', path: '/v2/instances', response: { status: 200, body: everything }, times: 1 });
    const first = await harness().driver.createNode({ ...base, name: 'idem-1', idempotencyKey: 'key-1' });
    expect(first.id).not.toBe(other.id);
    const again = await harness().driver.createNode({ ...base, name: 'idem-1', idempotencyKey: 'key-1' });
    expect(again.id).toBe(first.id);
    expect(requestsTo('POST', '/v2/instances')).toHaveLength(2);
    const lookups = requestsTo('GET', '/v2/instances').map((request) => request.query.get('tag'));
    expect(lookups).toContain(idempotencyTag('key-1'));
    const conflict = await rejectionOf(harness().driver.createNode({ ...base, name: 'idem-2', idempotencyKey: 'key-1' }));
    expect(isConflictError(conflict)).toBe(true);
  });

  it('makes one instance when the create answer is lost: the repeat finds it by its tag', async () => {
    harness().fake.script.push({
      method: 'POST',
      path: '/v2/instances',
      afterHandling: true,
      response: vultrError(503, 'Service Unavailable'),
    });
    const node = await harness().driver.createNode({ ...base, name: 'lost-1', idempotencyKey: 'lost' });
    expect(requestsTo('POST', '/v2/instances')).toHaveLength(1);
    expect(harness().fake.created.size).toBe(1);
    expect(harness().fake.created.has(node.id)).toBe(true);
  });

  it('refuses bad providerOptions and a tag key with ":" before any request', async () => {
    const before = harness().fake.requests.length;
    const cases: [Record<string, unknown>, string][] = [
      [{ providerOptions: { enableIpv6: 'yes' } }, 'providerOptions.enableIpv6'],
      [{ providerOptions: { attachVpc: ['not-a-uuid'] } }, 'providerOptions.attachVpc'],
      [{ providerOptions: { hostname: 'bad host' } }, 'providerOptions.hostname'],
      [{ providerOptions: { sizeOverride: 1 } }, 'providerOptions.sizeOverride'],
      [{ tags: { 'a:b': 'c' } }, 'tags.a:b'],
      [{ image: 'ubuntu-24.04' }, 'image'],
      [{ location: 'EWR-1' }, 'location'],
    ];
    for (const [extra, field] of cases) {
      const error = (await rejectionOf(harness().driver.createNode({ ...base, name: 'bad-1', ...extra } as never))) as InvalidRequestError;
      expect(isInvalidRequestError(error), `${field}: ${String(error)}`).toBe(true);
      expect(error.field).toBe(field);
    }
    expect(harness().fake.requests.length).toBe(before);
  });
});

describe('vultr lifecycle', () => {
  it('halts, starts, reboots and deletes with the documented 204 routes, and treats a second delete as done', async () => {
    const node = await harness().driver.createNode({ ...base, name: 'life-1' });
    const running = await harness().driver.waitForNode(node, 'running', WAIT);
    expect(running.publicIps).toHaveLength(1);
    expect(running.rawState).toBe('active/running/ok');
    await harness().driver.stopNode(node);
    expect((await harness().driver.waitForNode(node, 'stopped', WAIT)).rawState).toBe('active/stopped/ok');
    await harness().driver.startNode(node);
    await harness().driver.waitForNode(node, 'running', WAIT);
    await harness().driver.rebootNode(node);
    await harness().driver.waitForNode(node, 'running', WAIT);
    await harness().driver.destroyNode(node);
    await harness().driver.destroyNode(node);
    for (const verb of ['halt', 'start', 'reboot']) expect(requestsTo('POST', `/v2/instances/${node.id}/${verb}`)).toHaveLength(1);
    expect(requestsTo('DELETE', `/v2/instances/${node.id}`)).toHaveLength(2);
    const gone = await rejectionOf(harness().driver.getNode(node.id));
    expect((gone as CloudError).name).toBe('NodeNotFoundError');
  });
});

describe('vultr failures', () => {
  it('maps { error, status } bodies to typed errors naming provider, operation and field', async () => {
    harness().fake.script.push({ method: 'POST', path: '/v2/instances', response: vultrError(400, 'Invalid plan.') });
    const invalid = (await rejectionOf(harness().driver.createNode({ ...base, name: 'fail-1' }))) as InvalidRequestError;
    expect(isInvalidRequestError(invalid)).toBe(true);
    expect(invalid.field).toBe('size');
    expect(invalid).toMatchObject({ provider: 'vultr', operation: 'createNode', statusCode: 400 });

    harness().fake.script.push({
      method: 'POST',
      path: '/v2/instances',
      response: vultrError(400, 'You have reached the maximum instance limit.'),
    });
    expect(isQuotaError(await rejectionOf(harness().driver.createNode({ ...base, name: 'fail-2' })))).toBe(true);

    const wrongKey = createVultrDriver({ token: 'WRONGKEY', endpoint: harness().fake.url, retry: TEST_RETRY });
    const auth = (await rejectionOf(wrongKey.listNodes())) as CloudError;
    expect(isAuthenticationError(auth)).toBe(true);
    expect(auth.message).toContain('Invalid API token');
    expect(auth.message).not.toContain('WRONGKEY');
  });

  it('retries a read after 429 and 503 answers within its budget, and reports a throttle that outlasts it', async () => {
    harness().fake.script.push({ method: 'GET', path: '/v2/regions', response: vultrError(429, 'Rate limit reached'), times: 1 });
    harness().fake.script.push({ method: 'GET', path: '/v2/regions', response: vultrError(503, 'Service Unavailable'), times: 1 });
    expect(await harness().driver.listLocations()).toHaveLength(6);
    expect(requestsTo('GET', '/v2/regions')).toHaveLength(3);
    harness().fake.script.push({ method: 'GET', path: '/v2/os', response: vultrError(429, 'Rate limit reached'), times: 10 });
    const error = (await rejectionOf(harness().driver.listImages())) as CloudError;
    expect(isRateLimitError(error)).toBe(true);
    expect(requestsTo('GET', '/v2/os')).toHaveLength(TEST_RETRY.retries! + 1);
    harness().fake.script.clear();
  });
});
