/**
 * The Scaleway driver over the wire (axios → loopback fake): configuration and credentials, the
 * X-Auth-Token header, per-zone fan-out and partial failures, prices from the API, marketplace
 * images, create (powered on, image resolved per zone and arch, SSH keys in IAM), destroy (root
 * volume removed through the Block API), paging, error mapping, and the fake's own request check.
 */
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDriver } from '../../src/index.js';
import {
  isConfigurationError,
  isInvalidRequestError,
  isNodeNotFoundError,
  isPartialFailureError,
  isProviderUnavailableError,
  type InvalidRequestError,
  type PartialFailureError,
} from '../../src/core/errors.js';
import type { Node } from '../../src/core/types.js';
import { createScalewayDriver } from '../../providers/scaleway/index.js';
import { rejectionOf } from '../conformance/suite.js';
import { startScalewayHarness, type ScalewayHarness } from './harness.js';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx4b3JlbS1pcHN1bS1kb2xvci1zaXQtYW1ldC0x alice@example';
const SCW_ENV = ['SCW_SECRET_KEY', 'SCW_DEFAULT_PROJECT_ID', 'SCW_DEFAULT_ZONE', 'SCW_API_URL'] as const;

describe('scaleway: configuration', () => {
  const saved = Object.fromEntries(SCW_ENV.map((name) => [name, process.env[name]]));
  afterEach(() => {
    for (const name of SCW_ENV) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it("createDriver('scaleway') without credentials is a ConfigurationError naming SCW_SECRET_KEY, SCW_DEFAULT_PROJECT_ID and SCW_DEFAULT_ZONE", async () => {
    for (const name of SCW_ENV) delete process.env[name];
    const error = await rejectionOf(createDriver('scaleway'));
    expect(isConfigurationError(error), String(error)).toBe(true);
    for (const name of ['SCW_SECRET_KEY', 'SCW_DEFAULT_PROJECT_ID', 'SCW_DEFAULT_ZONE']) expect((error as Error).message).toContain(name);
  });

  it('reads the token, project and zone from the SCW_* variables, and names only what is missing', async () => {
    for (const name of SCW_ENV) delete process.env[name];
    process.env.SCW_SECRET_KEY = 'scw-env-secret-0000';
    process.env.SCW_DEFAULT_ZONE = 'nl-ams-1';
    const error = await rejectionOf(createDriver('scaleway'));
    expect((error as Error).message).toContain('SCW_DEFAULT_PROJECT_ID');
    expect((error as Error).message).not.toContain('SCW_SECRET_KEY');
    process.env.SCW_DEFAULT_PROJECT_ID = '11111111-1111-4111-8111-111111111111';
    const driver = await createDriver('scaleway');
    expect(driver.provider).toBe('scaleway');
    expect(inspect(driver)).toContain('nl-ams-1');
    expect(inspect(driver)).not.toContain('scw-env-secret-0000');
    expect(JSON.stringify(driver)).not.toContain('scw-env-secret-0000');
  });

  it('refuses an undocumented zone and a project id that is not a UUID, naming the option', () => {
    const base = { token: 't0k3n', projectId: '11111111-1111-4111-8111-111111111111', zone: 'fr-par-1' };
    for (const [options, field] of [
      [{ ...base, zone: 'mars-1' }, 'zone'],
      [{ ...base, zones: ['fr-par-1', 'xx-yyy-9'] }, 'zones[1]'],
      [{ ...base, projectId: 'my-project' }, 'projectId'],
    ] as const) {
      let error: unknown;
      try {
        createScalewayDriver(options);
      } catch (caught) {
        error = caught;
      }
      expect(isInvalidRequestError(error), String(error)).toBe(true);
      expect((error as InvalidRequestError).field).toBe(field);
    }
  });
});

describe('scaleway: over the wire', () => {
  let harness: ScalewayHarness;
  beforeAll(async () => {
    harness = await startScalewayHarness({
      fake: {
        // One type with no price in the API: its price must be null, never 0.
        serverTypes: {
          'pl-waw-1': {
            'DEV1-S': { arch: 'x86_64', ncpus: 2, ram: 2 * 1024 ** 3, hourly_price: 0.01368, monthly_price: 9.9864 },
            'NOPRICE-1': { arch: 'x86_64', ncpus: 1, ram: 1024 ** 3 },
          },
        },
      },
    });
  });
  afterAll(() => harness.close());

  it('sends the secret key as X-Auth-Token and never as Authorization', async () => {
    harness.fake.requests.length = 0;
    await harness.driver.listNodes();
    expect(harness.fake.requests.length).toBeGreaterThan(0);
    for (const request of harness.fake.requests) {
      expect(request.headers['x-auth-token']).toBe(harness.fake.token);
      expect(request.headers.authorization).toBeUndefined();
    }
  });

  it('refuses a node id in a zone Scaleway does not document, before any request', async () => {
    const before = harness.fake.requests.length;
    const error = await rejectionOf(harness.driver.getNode('xx-yyy-1/00000000-0000-4000-8000-000000000000'));
    expect(isInvalidRequestError(error), String(error)).toBe(true);
    expect((error as InvalidRequestError).field).toBe('id');
    expect(harness.fake.requests.length).toBe(before);
  });

  it('prices sizes from the API in EUR (hourly and monthly, dated), and an unpriced type as null', async () => {
    const sizes = await harness.driver.listSizes({ location: 'fr-par-1' });
    const dev1s = sizes.find((size) => size.id === 'DEV1-S');
    expect(dev1s).toMatchObject({ vcpus: 2, memoryGiB: 2, arch: 'x86_64', sharedCore: true, priceLocation: 'fr-par-1' });
    expect(dev1s?.price).toEqual({ hourly: 0.01368, monthly: 9.9864, currency: 'EUR', source: 'provider-api', asOf: '2026-01-01' });
    expect(sizes.find((size) => size.id === 'COPARM1-2C-8G')?.arch).toBe('arm64');
    const waw = await harness.driver.listSizes({ location: 'pl-waw-1' });
    expect(waw.find((size) => size.id === 'NOPRICE-1')?.price).toBeNull();
  });

  it('follows every page of server types by X-Total-Count', async () => {
    const small = harness.driverWith({ pageSize: 2 });
    harness.fake.requests.length = 0;
    const sizes = await small.listSizes({ location: 'fr-par-3' });
    const pages = harness.fake.requests.filter((request) => request.path === '/instance/v1/zones/fr-par-3/products/servers');
    expect(sizes).toHaveLength(9);
    expect(pages.map((request) => request.query.get('page') ?? '1')).toEqual(['1', '2', '3', '4', '5']);
  });

  it('lists every zone as a location with ISO country, city and continent', async () => {
    const locations = await harness.driver.listLocations();
    expect(locations).toHaveLength(10);
    expect(locations.find((location) => location.id === 'pl-waw-2')).toEqual({
      id: 'pl-waw-2',
      name: 'Warsaw 2',
      provider: 'scaleway',
      kind: 'zone',
      region: 'pl-waw',
      country: 'PL',
      city: 'Warsaw',
      continent: 'Europe',
    });
  });

  it('lists a zone’s marketplace images with OS family, version and arch from the marketplace', async () => {
    const images = await harness.driver.listImages({ location: 'nl-ams-1', os: 'debian' });
    expect(images.map((image) => [image.os?.version, image.arch])).toEqual([
      ['12', 'x86_64'],
      ['12', 'arm64'],
    ]);
    expect(images[0]).toMatchObject({ name: 'Debian 12 (Bookworm) (x86_64)', location: 'nl-ams-1' });
  });

  it('creates a server powered on, from the marketplace label resolved for the size’s arch in its zone', async () => {
    const node = await harness.driver.createNode({
      name: 'arm-1',
      size: 'COPARM1-2C-8G',
      image: 'ubuntu_noble',
      location: 'nl-ams-1',
      tags: { env: 'test' },
    });
    expect(node.id).toMatch(/^nl-ams-1\/[0-9a-f-]{36}$/);
    expect(node.state).toBe('pending');
    expect(node.location).toMatchObject({ id: 'nl-ams-1', region: 'nl-ams', zone: 'nl-ams-1', country: 'NL' });
    expect(node.price).toMatchObject({ hourly: 0.0426, currency: 'EUR' });
    expect(node.tags).toEqual({ env: 'test' });
    const arm = (await harness.driver.listImages({ location: 'nl-ams-1', os: 'ubuntu', version: '24.04', arch: 'arm64' }))[0];
    expect(node.imageId).toBe(arm?.id);
    const sent = harness.fake.requests.filter(
      (request) => request.method === 'POST' && request.path.startsWith('/instance/v1/zones/nl-ams-1/servers'),
    );
    const create = JSON.parse(sent[0]?.body ?? '{}') as Record<string, unknown>;
    expect(create).toMatchObject({ name: 'arm-1', commercial_type: 'COPARM1-2C-8G', image: arm?.id, project: harness.fake.projectId });
    expect(create.tags).toEqual(expect.arrayContaining(['env=test', expect.stringMatching(/^polycloud-idempotency=/)]));
    expect(JSON.parse(sent[1]?.body ?? '{}')).toEqual({ action: 'poweron' });
    await harness.driver.destroyNode(node);
  });

  it('refuses a label with no build for the size’s arch in the zone, before any create', async () => {
    harness.fake.requests.length = 0;
    const error = await rejectionOf(
      harness.driver.createNode({ name: 'arm-2', size: 'COPARM1-2C-8G', image: 'rockylinux_9', location: 'fr-par-1' }),
    );
    expect(isInvalidRequestError(error), String(error)).toBe(true);
    expect((error as InvalidRequestError).field).toBe('image');
    expect(harness.fake.requests.some((request) => request.method === 'POST')).toBe(false);
  });

  it('destroys a running server by terminate and its stopped twin by DELETE, deleting each root volume through the Block API', async () => {
    const volumesBefore = harness.fake.volumeIds().length;
    const running = await harness.driver.createNode({ name: 'gone-1', size: 'DEV1-S', image: 'ubuntu_noble', location: 'fr-par-1' });
    const stopped = await harness.driver.createNode({ name: 'gone-2', size: 'DEV1-S', image: 'debian_bookworm', location: 'fr-par-1' });
    await harness.driver.waitForNode(running, 'running', { intervalMs: 100 });
    await harness.driver.waitForNode(stopped, 'running', { intervalMs: 100 });
    await harness.driver.stopNode(stopped);
    await harness.driver.waitForNode(stopped, 'stopped', { intervalMs: 100 });
    expect(harness.fake.volumeIds()).toHaveLength(volumesBefore + 2);
    harness.fake.requests.length = 0;
    await harness.driver.destroyNode(running);
    await harness.driver.destroyNode(stopped);
    const writes = harness.fake.requests
      .filter((request) => request.method !== 'GET')
      .map((request) => `${request.method} ${request.path} ${request.body}`);
    expect(writes).toEqual([
      `POST /instance/v1/zones/fr-par-1/servers/${running.id.split('/')[1]}/action {"action":"terminate"}`,
      expect.stringMatching(/^DELETE \/block\/v1alpha1\/zones\/fr-par-1\/volumes\/[0-9a-f-]{36} $/),
      `DELETE /instance/v1/zones/fr-par-1/servers/${stopped.id.split('/')[1]} `,
      expect.stringMatching(/^DELETE \/block\/v1alpha1\/zones\/fr-par-1\/volumes\/[0-9a-f-]{36} $/),
    ]);
    expect(harness.fake.volumeIds()).toHaveLength(volumesBefore);
    expect(isNodeNotFoundError(await rejectionOf(harness.driver.getNode(running.id)))).toBe(true);
  });

  it('registers SSH keys in IAM for the project and marks the server with them', async () => {
    const node = await harness.driver.createNode({
      name: 'keyed-1',
      size: 'DEV1-S',
      image: 'ubuntu_noble',
      location: 'fr-par-1',
      sshKeys: [KEY],
    });
    const registered = harness.fake.requests.find((request) => request.method === 'POST' && request.path === '/iam/v1alpha1/ssh-keys');
    expect(JSON.parse(registered?.body ?? '{}')).toMatchObject({ public_key: KEY, project_id: harness.fake.projectId });
    const keys = await harness.driver.listKeyPairs();
    expect(keys.map((key) => key.publicKey)).toEqual([KEY]);
    expect(node.tags).toEqual({});
    expect((node.raw.tags ?? []).some((tag) => tag.startsWith('polycloud-key:'))).toBe(true);
    // The same key again is found in IAM, not registered twice.
    await harness.driver.destroyNode(
      await harness.driver.createNode({ name: 'keyed-2', size: 'DEV1-S', image: 'ubuntu_noble', location: 'fr-par-1', sshKeys: [KEY] }),
    );
    expect(harness.fake.requests.filter((request) => request.method === 'POST' && request.path === '/iam/v1alpha1/ssh-keys')).toHaveLength(
      1,
    );
    await harness.driver.destroyNode(node);
  });

  it('treats starting a running server and stopping a stopped one as done', async () => {
    const node = await harness.driver.createNode({ name: 'twice-1', size: 'DEV1-S', image: 'ubuntu_noble', location: 'fr-par-1' });
    await harness.driver.waitForNode(node, 'running', { intervalMs: 100 });
    await expect(harness.driver.startNode(node)).resolves.toBeUndefined();
    await harness.driver.stopNode(node);
    await harness.driver.waitForNode(node, 'stopped', { intervalMs: 100 });
    harness.fake.requests.length = 0;
    await expect(harness.driver.stopNode(node)).resolves.toBeUndefined();
    // Scaleway refused the second poweroff (400); the driver looked and found the server stopped.
    expect(harness.fake.requests.map((request) => request.method)).toEqual(['POST', 'GET']);
    await harness.driver.destroyNode(node);
  });

  it('removes the IAM key a destroyed server was the last to use, with removeKeys', async () => {
    const other = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJvYi1rZXktZm9yLXBvbHljbG91ZC10ZXN0cy0y bob@example';
    const node = await harness.driver.createNode({
      name: 'bob-1',
      size: 'DEV1-S',
      image: 'ubuntu_noble',
      location: 'fr-par-1',
      sshKeys: [other],
    });
    expect((await harness.driver.listKeyPairs()).map((key) => key.publicKey)).toContain(other);
    await harness.driver.destroyNode(node, { removeKeys: true });
    expect((await harness.driver.listKeyPairs()).map((key) => key.publicKey)).not.toContain(other);
  });

  it('maps invalid_arguments to an InvalidRequestError naming the field, with the request id', async () => {
    // The fake refuses per_page above 100 exactly as the API does; the driver never sends one, so ask directly.
    const response = await fetch(`${harness.fake.url}/instance/v1/zones/fr-par-1/servers?per_page=500`, {
      headers: { 'X-Auth-Token': harness.fake.token },
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { type: string; details: { argument_name: string }[] };
    expect(body.type).toBe('invalid_arguments');
    const { parseScalewayError } = await import('../../providers/scaleway/errors.js');
    expect(parseScalewayError(body)).toMatchObject({ code: 'invalid_arguments', field: 'per_page', kind: 'invalid' });
    expect(
      parseScalewayError({ type: 'invalid_arguments', message: 'invalid argument(s)', details: [{ argument_name: 'commercial_type' }] }),
    ).toMatchObject({ field: 'size' });
  });

  it('sent only requests the SDK-derived index allows', () => {
    expect(harness.fake.violations).toEqual([]);
  });
});

describe('scaleway: zones', () => {
  let harness: ScalewayHarness;
  beforeAll(async () => {
    harness = await startScalewayHarness();
  });
  afterAll(() => harness.close());

  it('lists every configured zone concurrently, and reports a failing zone as a PartialFailureError beside the other zone’s nodes', async () => {
    const here = await harness.driver.createNode({
      name: 'par-1',
      size: 'DEV1-S',
      image: 'ubuntu_noble',
      location: 'fr-par-1',
      tags: { set: 'zones' },
    });
    const there = await harness.driver.createNode({
      name: 'ams-1',
      size: 'DEV1-S',
      image: 'ubuntu_noble',
      location: 'nl-ams-1',
      tags: { set: 'zones' },
    });
    expect((await harness.driver.listNodes({ tags: { set: 'zones' } })).map((node) => node.id).sort()).toEqual([here.id, there.id].sort());

    harness.fake.failZone('nl-ams-1');
    const error = await rejectionOf(harness.driver.listNodes({ tags: { set: 'zones' } }));
    expect(isPartialFailureError(error), String(error)).toBe(true);
    const partial = error as PartialFailureError<Node>;
    expect(partial.partial.map((node) => node.id)).toEqual([here.id]);
    expect(partial.failures).toHaveLength(1);
    expect(partial.failures[0]?.location).toBe('nl-ams-1');
    expect(isProviderUnavailableError(partial.failures[0])).toBe(true);

    // Asking only the healthy zone is not a partial failure.
    expect((await harness.driver.listNodes({ tags: { set: 'zones' }, location: 'fr-par-1' })).map((node) => node.id)).toEqual([here.id]);
    harness.fake.healZone('nl-ams-1');
    await Promise.all([harness.driver.destroyNode(here), harness.driver.destroyNode(there)]);
  });

  it('reaches a zone outside the configured ones when a query names it', async () => {
    const node = await harness.driver.createNode({ name: 'mil-1', size: 'DEV1-S', image: 'ubuntu_noble', location: 'it-mil-1' });
    expect((await harness.driver.listNodes()).map((each) => each.id)).not.toContain(node.id);
    expect((await harness.driver.listNodes({ location: 'it-mil-1' })).map((each) => each.id)).toEqual([node.id]);
    await harness.driver.destroyNode(node);
  });

  it('the fake’s request check is not vacuous: an undocumented field or an Authorization header is a violation', async () => {
    const before = harness.fake.violations.length;
    await fetch(`${harness.fake.url}/instance/v1/zones/fr-par-1/servers`, {
      method: 'POST',
      headers: { 'X-Auth-Token': harness.fake.token, Authorization: 'Bearer x', 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'x', commercial_type: 'DEV1-S', ssh_keys: ['k'] }),
    });
    const problems = harness.fake.violations.slice(before).flatMap((violation) => violation.problems);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Authorization'),
        expect.stringContaining('"ssh_keys" is not documented'),
        expect.stringContaining('exactly one of project, organization'),
      ]),
    );
    harness.fake.violations.splice(before);
    expect(harness.fake.violations).toEqual([]);
  });
});
