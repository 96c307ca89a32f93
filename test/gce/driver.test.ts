/**
 * The gce driver's catalog calls (locations, sizes, images), its configuration, and what it must
 * never do: contact a host other than its endpoint, print a credential, or load the SDK early.
 */
import { execFile } from 'node:child_process';
import net from 'node:net';
import { inspect, promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createDriver } from '../../src/core/registry.js';
import { isInvalidRequestError, type InvalidRequestError } from '../../src/core/errors.js';
import { createGceDriver } from '../../providers/gce/index.js';
import { rejectionOf } from '../conformance/suite.js';
import { startGceTestSetup, TEST_PROJECT, type GceTestSetup } from './harness.js';

let setup: GceTestSetup | undefined;
afterEach(async () => {
  await setup?.close();
  setup = undefined;
});

describe('gce catalog', () => {
  it('lists regions and zones with ISO countries and cities', async () => {
    setup = await startGceTestSetup();
    const locations = await setup.driver.listLocations();
    const frankfurt = locations.find((location) => location.id === 'europe-west3-b');
    expect(frankfurt).toEqual({
      id: 'europe-west3-b',
      name: 'europe-west3-b (Frankfurt)',
      provider: 'gce',
      kind: 'zone',
      region: 'europe-west3',
      country: 'DE',
      city: 'Frankfurt',
      continent: 'Europe',
    });
    expect(locations.find((location) => location.id === 'us-central1')).toMatchObject({
      kind: 'region',
      country: 'US',
      region: 'us-central1',
    });
    expect(locations.filter((location) => location.kind === 'zone')).toHaveLength(11);
    expect(locations.filter((location) => location.kind === 'region')).toHaveLength(7);
  });

  it('lists the machine types of a zone with shared-core, GPU and arm flags and catalog prices for its region', async () => {
    setup = await startGceTestSetup();
    const sizes = await setup.driver.listSizes({ location: 'us-central1-a' });
    const byId = new Map(sizes.map((size) => [size.id, size]));
    expect(byId.get('e2-micro')).toMatchObject({
      vcpus: 2,
      memoryGiB: 1,
      sharedCore: true,
      arch: 'x86_64',
      priceLocation: 'us-central1-a',
    });
    expect(byId.get('a2-highgpu-1g')).toMatchObject({ gpus: 1, vcpus: 12 });
    expect(byId.get('t2a-standard-1')?.arch).toBe('arm64');
    const standard = byId.get('e2-standard-2');
    expect(standard?.price).toMatchObject({ currency: 'USD', source: 'catalog' });
    expect(standard?.price?.hourly).toBeGreaterThan(0);
    expect(sizes.every((size) => size.price === null || size.price.hourly > 0)).toBe(true);

    const frankfurt = await setup.driver.listSizes({ location: 'europe-west3' });
    expect(frankfurt.map((size) => size.id)).not.toContain('t2a-standard-1');
    expect(frankfurt.find((size) => size.id === 'e2-standard-2')?.price?.hourly).not.toBe(standard?.price?.hourly);
    const missing = await rejectionOf(setup.driver.listSizes({ location: 'mars-north1-a' }));
    expect((missing as InvalidRequestError).field).toBe('query.location');
  });

  it('lists public images by family as Compute image paths, in the core order, skipping deprecated and obsolete ones', async () => {
    setup = await startGceTestSetup();
    const images = await setup.driver.listImages();
    // The core's order on every driver: OS family, newest version first, x86_64 before arm64, newest image.
    expect(images.map((image) => image.id)).toEqual([
      'projects/debian-cloud/global/images/family/debian-12',
      'projects/debian-cloud/global/images/family/debian-12-arm64',
      'projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-amd64',
      'projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-arm64',
      'projects/ubuntu-os-cloud/global/images/family/ubuntu-2204-lts',
      'projects/ubuntu-os-cloud/global/images/family/ubuntu-2204-lts-arm64',
    ]);
    expect(images[2]).toMatchObject({
      os: { family: 'ubuntu', version: '24.04' },
      arch: 'x86_64',
      name: expect.stringContaining('2026-11-05'),
    });
    const debianArm = await setup.driver.listImages({ os: 'debian', version: '12', arch: 'arm64' });
    expect(debianArm.map((image) => image.id)).toEqual(['projects/debian-cloud/global/images/family/debian-12-arm64']);
    const pages = setup.fake.requests.filter((request) => /\/global\/images$/.test(request.path));
    expect(pages.map((request) => request.path).sort()).toEqual([
      '/compute/v1/projects/debian-cloud/global/images',
      '/compute/v1/projects/debian-cloud/global/images',
      '/compute/v1/projects/ubuntu-os-cloud/global/images',
      '/compute/v1/projects/ubuntu-os-cloud/global/images',
    ]);
  });
});

describe('gce configuration', () => {
  it('validates its options before any request', () => {
    const bad = [
      () => createGceDriver({ project: 'Not A Project' }),
      () => createGceDriver({ project: TEST_PROJECT, zones: ['us-central1'] }),
      () => createGceDriver({ project: TEST_PROJECT, regions: ['us-central1-a'] }),
      () => createGceDriver({ project: TEST_PROJECT, endpoint: 'http://compute.example.com' }),
      () => createGceDriver({ project: TEST_PROJECT, endpoint: 'http://127.0.0.1:1/prefix' }),
      () => createGceDriver({ project: TEST_PROJECT, maxConcurrency: 0 }),
    ];
    const fields = bad.map((make) => {
      try {
        make();
        return 'no error';
      } catch (error) {
        expect(isInvalidRequestError(error), String(error)).toBe(true);
        return (error as InvalidRequestError).field;
      }
    });
    expect(fields).toEqual(['project', 'zones', 'regions', 'endpoint', 'endpoint', 'maxConcurrency']);
  });

  // Without a project option or variable the project comes from the credentials: test/gce/credentials.test.ts.

  it('is created by createDriver("gce") and shows no credential in JSON or inspect', async () => {
    const privateKey =
      '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7polycloudsecret\n-----END PRIVATE KEY-----\n';
    const driver = await createDriver('gce', {
      project: TEST_PROJECT,
      credentials: { client_email: 'ci@polycloud-test.iam.gserviceaccount.com', private_key: privateKey },
    });
    expect(driver.provider).toBe('gce');
    expect(driver.capabilities).toMatchObject({ idempotency: 'native', locationKind: 'zone', startStop: true });
    expect(JSON.stringify(driver)).not.toContain('polycloudsecret');
    expect(inspect(driver, { depth: 10 })).not.toContain('polycloudsecret');
    expect(JSON.stringify(driver)).toContain(TEST_PROJECT);
  });

  it('contacts no host but its endpoint (no Google API, no metadata server)', async () => {
    setup = await startGceTestSetup();
    const targets: string[] = [];
    const original = net.Socket.prototype.connect;
    net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
      const first = (Array.isArray(args[0]) ? args[0][0] : args[0]) as { host?: string; port?: number; path?: string } | number;
      targets.push(
        typeof first === 'object' && first !== null
          ? `${first.host ?? first.path ?? '?'}:${first.port ?? ''}`
          : `${String(args[1] ?? 'localhost')}:${String(first)}`,
      );
      return (original as (...rest: unknown[]) => net.Socket).apply(this, args);
    } as typeof original;
    try {
      const node = await setup.driver.createNode({
        name: 'hosts',
        size: 'e2-micro',
        image: 'debian-cloud:debian-12',
        location: 'us-east1-b',
      });
      await setup.driver.listNodes();
      await setup.driver.destroyNode(node);
    } finally {
      net.Socket.prototype.connect = original;
    }
    expect(targets.length).toBeGreaterThan(0);
    expect(new Set(targets)).toEqual(new Set([`127.0.0.1:${setup.fake.port}`]));
  });

  it('loads no part of @google-cloud/compute until the first call', async () => {
    const script = [
      "import { createRequire } from 'node:module';",
      "const { createGceDriver } = await import('./providers/gce/index.ts');",
      "createGceDriver({ project: 'polycloud-test', endpoint: 'http://127.0.0.1:9' });",
      'const cache = createRequire(import.meta.url).cache;',
      "console.log(JSON.stringify(Object.keys(cache).filter((key) => key.includes('google-cloud') || key.includes('google-gax'))));",
    ].join('\n');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, METADATA_SERVER_DETECTION: 'none' },
    });
    expect(JSON.parse(stdout.trim().split('\n').pop() ?? 'null')).toEqual([]);
  });
});
