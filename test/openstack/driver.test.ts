/**
 * The OpenStack driver's own promises: Keystone tokens renewed before expiry and after the cloud
 * refuses one (mid-listing), application credentials, clouds.yaml and OS_* configuration, the
 * requests Nova gets (microversion, actions, key pairs), prices only from the user's table, and no
 * credential in any error.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpenStackDriver, NOVA_MICROVERSION, OPENSTACK_ENV } from '../../providers/openstack/index.js';
import { createDriver } from '../../src/core/registry.js';
import { VirtualClock } from '../../src/core/clock.js';
import { isAuthenticationError, isConfigurationError } from '../../src/core/errors.js';
import { rejectionOf } from '../conformance/suite.js';
import type { OpenStackFake } from '../fakes/openstack/index.js';
import { OPENSTACK_APP_CREDENTIAL, OPENSTACK_PLANTED, startOpenStack } from './harness.js';

const create = { size: '2', image: 'a1f0c6a2-4c4e-4a8b-9a39-1c2a0b9f0001', location: 'nova' } as const;
let fake: OpenStackFake | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('openstack Keystone tokens', () => {
  it('renews the token when it expires in the middle of a listing, and loses no page', async () => {
    const started = await startOpenStack();
    fake = started.fake;
    const created = [];
    for (const name of ['a', 'b', 'c', 'd']) created.push((await started.driver.createNode({ ...create, name: `list-${name}` })).id);
    expect(fake.tokens).toHaveLength(1);

    const seen: string[] = [];
    for await (const node of started.driver.iterateNodes({ pageSize: 1 })) {
      seen.push(node.id);
      if (seen.length === 2) fake.expireTokens(); // the cloud ends the token early: the next page gets a 401
    }
    expect(seen.sort()).toEqual([...created].sort());
    expect(fake.tokens).toHaveLength(2);
    const laterPages = fake.requests.filter((request) => request.path.includes('/servers/detail') && request.query.get('marker'));
    expect(laterPages.length).toBeGreaterThanOrEqual(3);
    expect(fake.violations).toEqual([]);
  });

  it('keeps one page cap across a listing resumed after a token renewal', async () => {
    const started = await startOpenStack({}, { bounds: { maxPages: 3 } });
    fake = started.fake;
    for (const name of ['a', 'b', 'c', 'd', 'e']) await started.driver.createNode({ ...create, name: `cap-${name}` });
    const seen: string[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const node of started.driver.iterateNodes({ pageSize: 1 })) {
          seen.push(node.id);
          if (seen.length === 2) fake?.expireTokens();
        }
      })(),
    );
    // Resuming after the renewal does not start a fresh count: three pages in all, then the cap.
    expect((error as { code?: string }).code, String(error)).toBe('page-limit');
    expect(seen).toHaveLength(3);
    expect(fake.tokens).toHaveLength(2);
  });

  it('renews a token before its expires_at instead of waiting for a refusal', async () => {
    const clock = new VirtualClock(Date.now());
    const started = await startOpenStack({ tokenTtlMs: 600_000, now: () => clock.now() }, { clock });
    fake = started.fake;
    await started.driver.listSizes();
    expect(fake.tokens).toHaveLength(1);
    clock.advance(500_000); // within the renewal margin of the token's expiry
    await started.driver.listSizes();
    expect(fake.tokens).toHaveLength(2);
    // Two tokens, not three: the renewal came before any refusal (a refused token would be renewed once more).
    expect(
      fake.requests
        .filter((request) => request.path.startsWith('/compute/'))
        .every((request) => request.headers['x-auth-token'] === fake!.tokens[1] || request.headers['x-auth-token'] === fake!.tokens[0]),
    ).toBe(true);
    const lastCompute = fake.requests.filter((request) => request.path.startsWith('/compute/')).at(-1);
    expect(lastCompute?.headers['x-auth-token']).toBe(fake.tokens[1]);
  });

  it('authenticates with an application credential', async () => {
    const started = await startOpenStack(
      {},
      {
        username: undefined,
        password: undefined,
        projectName: undefined,
        applicationCredentialId: OPENSTACK_APP_CREDENTIAL.id,
        applicationCredentialSecret: OPENSTACK_APP_CREDENTIAL.secret,
      },
    );
    fake = started.fake;
    expect((await started.driver.listLocations()).map((location) => location.id)).toEqual(['GRA11', 'nova', 'az-2']);
    const tokenRequest = JSON.parse(fake.requests[0]!.body) as { auth: { identity: { methods: string[] } } };
    expect(tokenRequest.auth.identity.methods).toEqual(['application_credential']);
  });

  it('a refused password is an AuthenticationError that shows no credential, even when the server echoes it', async () => {
    const started = await startOpenStack({ echoRejectedBody: true }, { password: `${OPENSTACK_PLANTED.password}-wrong` });
    fake = started.fake;
    const error = await rejectionOf(started.driver.listNodes());
    expect(isAuthenticationError(error), String(error)).toBe(true);
    for (const text of [
      String(error),
      JSON.stringify(error),
      inspect(error, { depth: 10 }),
      (error as Error).stack ?? '',
      inspect(started.driver),
      JSON.stringify(started.driver),
    ]) {
      expect(text).not.toContain(OPENSTACK_PLANTED.password);
    }
  });
});

describe('openstack requests and mapping', () => {
  it('sends the microversion, imports the SSH key once as a key pair, and sends actions as Nova documents them', async () => {
    const started = await startOpenStack();
    fake = started.fake;
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOs3 me@laptop';
    const node = await started.driver.createNode({
      ...create,
      name: 'acts',
      sshKeys: [key],
      userData: '#cloud-config\n',
      tags: { team: 'web' },
    });
    await started.driver.createNode({ ...create, name: 'acts-2', sshKeys: [key] });
    expect(fake.requests.filter((request) => request.path.endsWith('/os-keypairs'))).toHaveLength(2); // second answered 409, reused
    await started.driver.waitForNode(node, 'running', { intervalMs: 20 });
    await started.driver.rebootNode(node);
    await started.driver.stopNode(node);
    await started.driver.waitForNode(node, 'stopped', { intervalMs: 20 });
    await started.driver.startNode(node);
    const actions = fake.requests
      .filter((request) => request.path.endsWith('/action'))
      .map((request) => JSON.parse(request.body) as unknown);
    expect(actions).toEqual([{ reboot: { type: 'SOFT' } }, { 'os-stop': null }, { 'os-start': null }]);
    const post = JSON.parse(fake.requests.find((request) => request.method === 'POST' && request.path.endsWith('/servers'))!.body) as {
      server: Record<string, unknown>;
    };
    expect(post.server).toMatchObject({ name: 'acts', networks: 'auto', availability_zone: 'nova', metadata: { team: 'web' } });
    expect(Buffer.from(String(post.server.user_data), 'base64').toString()).toBe('#cloud-config\n');
    const compute = fake.requests.filter((request) => request.path.startsWith('/compute/'));
    expect(compute.every((request) => request.headers['openstack-api-version'] === `compute ${NOVA_MICROVERSION}`)).toBe(true);
    expect((await started.driver.getNode(node.id)).tags).toEqual({ team: 'web' });
    expect(fake.violations).toEqual([]);
  });

  it('prices are null unless the user gives a price table', async () => {
    const started = await startOpenStack({}, { prices: { 'm1.small': { hourly: 0.02, currency: 'EUR', asOf: '2026-11-01' } } });
    fake = started.fake;
    const sizes = await started.driver.listSizes();
    expect(sizes.find((size) => size.name === 'm1.small')?.price).toMatchObject({
      hourly: 0.02,
      currency: 'EUR',
      source: 'catalog',
      asOf: '2026-11-01',
    });
    expect(sizes.filter((size) => size.name !== 'm1.small').every((size) => size.price === null)).toBe(true);
    const node = await started.driver.createNode({ ...create, name: 'priced' });
    expect(node.price?.hourly).toBe(0.02);
  });

  it('reads OS family and version from os_distro/os_version, else from the name', async () => {
    const started = await startOpenStack();
    fake = started.fake;
    const images = await started.driver.listImages();
    // In the core's listImages order (src/core/images.ts): family A→Z, newest version first.
    expect(images.map((image) => [image.os?.family, image.os?.version, image.arch])).toEqual([
      ['debian', '12', 'x86_64'],
      ['ubuntu', '24.04', 'x86_64'],
      ['ubuntu', '22.04', 'arm64'],
    ]);
  });
});

describe('openstack configuration', () => {
  const saved = Object.fromEntries([...OPENSTACK_ENV, 'OS_CLIENT_CONFIG_FILE'].map((name) => [name, process.env[name]]));
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('createDriver("openstack") without credentials is a ConfigurationError naming the OS_* variables', async () => {
    for (const name of OPENSTACK_ENV) delete process.env[name];
    const error = await rejectionOf(createDriver('openstack'));
    expect(isConfigurationError(error), String(error)).toBe(true);
    for (const name of OPENSTACK_ENV.filter((each) => each !== 'OS_CLOUD')) expect((error as Error).message).toContain(name);
  });

  it('reads a clouds.yaml entry named by OS_CLOUD', async () => {
    const started = await startOpenStack();
    fake = started.fake;
    const dir = mkdtempSync(join(tmpdir(), 'polycloud-os-'));
    try {
      const file = join(dir, 'clouds.yaml');
      writeFileSync(
        file,
        `clouds:\n  ovh:\n    auth:\n      auth_url: ${fake.authUrl}\n      username: demo\n      password: ${OPENSTACK_PLANTED.password}\n      project_name: demo-project\n      user_domain_name: Default\n      project_domain_name: Default\n    region_name: GRA11\n`,
      );
      for (const name of OPENSTACK_ENV) delete process.env[name];
      process.env.OS_CLIENT_CONFIG_FILE = file;
      process.env.OS_CLOUD = 'ovh';
      const driver = createOpenStackDriver();
      const locations = await driver.listLocations();
      expect(locations[0]).toMatchObject({ id: 'GRA11', country: 'FR', city: 'Gravelines', continent: 'Europe' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
