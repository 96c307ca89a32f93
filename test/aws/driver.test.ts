/**
 * The AWS driver's requests and answers on the wire, against moto (through the fault proxy and
 * the EC2 front): what each call sends, what it makes of EC2's answers and errors, and what it
 * refuses before sending anything.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  isAuthenticationError,
  isCloudError,
  isInvalidRequestError,
  isNodeNotFoundError,
  isPermissionError,
  isProviderUnavailableError,
  isQuotaError,
  type CloudError,
  type InvalidRequestError,
} from '../../src/core/errors.js';
import { createAwsDriver } from '../../providers/aws/index.js';
import { VirtualClock } from '../../src/core/clock.js';
import { keyPairNameFor } from '../../providers/aws/create.js';
import { loadPriceCatalog } from '../../src/pricing/index.js';
import { createDriver } from '../../src/core/registry.js';
import { Secret } from '../../src/core/secrets.js';
import { rejectionOf } from '../conformance/suite.js';
import type { CannedAnswer, FaultProxy, ProxiedRequest } from '../fakes/fault-proxy/index.js';
import {
  DEBIAN_12_ARM64,
  DEBIAN_12_AMD64,
  UBUNTU_2204_AMD64,
  UBUNTU_2404_AMD64,
  UBUNTU_2404_ARM64,
  createAwsTestDriver,
  startProxiedMoto,
  type ProxiedMoto,
  type Ec2Front,
} from './harness.js';

const params = (request: ProxiedRequest) => Object.fromEntries(new URLSearchParams(request.body));
const regionOf = (request: ProxiedRequest) => /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(request.headers.authorization ?? ''))?.[1];

/** An EC2 error document as EC2 sends it. */
function ec2Error(status: number, code: string, message: string, requestId = randomUUID()): CannedAnswer {
  return {
    status,
    headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
  };
}

/** A fresh OpenSSH ed25519 public key line. */
function sshKey(comment: string): string {
  const der = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' });
  const raw = der.subarray(der.length - 32);
  const field = (bytes: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, bytes.length]), bytes]);
  return `ssh-ed25519 ${Buffer.concat([field(Buffer.from('ssh-ed25519')), field(raw)]).toString('base64')} ${comment}`;
}

let front: Ec2Front;
let proxy: FaultProxy;

let stack: ProxiedMoto | undefined;

beforeAll(async () => {
  stack = await startProxiedMoto();
  ({ front, proxy } = stack);
});
afterAll(() => stack?.stop());
beforeEach(() => proxy.reset());

const driverFor = (regions = ['us-east-1', 'eu-central-1']) => createAwsTestDriver(proxy.url, { regions });
const base = { size: 't3.micro', image: UBUNTU_2404_AMD64, location: 'us-east-1' } as const;

describe('createNode', () => {
  it('sends the name as the Name tag, tags, base64 user data, an imported key pair, IMDSv2 and a ClientToken', async () => {
    const driver = driverFor();
    const key = sshKey('alice@example');
    const userData = '#!/bin/sh\necho hello > /tmp/hello\n';
    const node = await driver.createNode({
      ...base,
      location: 'us-east-1b',
      name: 'web-1',
      tags: { env: 'test' },
      sshKeys: [key],
      userData,
    });

    const [imported] = proxy.matching({ action: 'ImportKeyPair' });
    expect(imported && params(imported).KeyName).toBe(keyPairNameFor(key));
    expect(imported && Buffer.from(params(imported).PublicKeyMaterial ?? '', 'base64').toString()).toBe(key);
    const [run] = proxy.matching({ action: 'RunInstances' }).map(params);
    expect(run).toMatchObject({
      ImageId: UBUNTU_2404_AMD64,
      InstanceType: 't3.micro',
      MinCount: '1',
      MaxCount: '1',
      KeyName: keyPairNameFor(key),
      'Placement.AvailabilityZone': 'us-east-1b',
      'TagSpecification.1.ResourceType': 'instance',
      'TagSpecification.1.Tag.1.Key': 'Name',
      'TagSpecification.1.Tag.1.Value': 'web-1',
      'TagSpecification.1.Tag.2.Key': 'env',
      'TagSpecification.1.Tag.2.Value': 'test',
      'MetadataOptions.HttpTokens': 'required',
    });
    expect(run?.ClientToken).toMatch(/^polycloud-[0-9a-f]{48}$/);
    expect(Buffer.from(run?.UserData ?? '', 'base64').toString('utf8')).toBe(userData);

    expect(node).toMatchObject({
      name: 'web-1',
      provider: 'aws',
      sizeId: 't3.micro',
      imageId: UBUNTU_2404_AMD64,
      tags: { Name: 'web-1', env: 'test' },
    });
    expect(node.location).toEqual({ id: 'us-east-1b', region: 'us-east-1', zone: 'us-east-1b', country: 'US' });
    expect(node.raw.KeyName).toBe(keyPairNameFor(key));
    expect(node.privateIps.length).toBeGreaterThan(0);

    // The same key again: EC2 says the pair exists, and the driver uses it.
    proxy.reset();
    const again = await driver.createNode({ ...base, name: 'web-2', sshKeys: [key] });
    expect(again.raw.KeyName).toBe(keyPairNameFor(key));
    expect(proxy.count({ action: 'ImportKeyPair' })).toBe(1);
    expect(front.requests.filter((request) => request.action === 'ImportKeyPair').length).toBe(2);
  });

  it('puts further SSH keys into cloud-config user data when the caller brought none', async () => {
    const driver = driverFor();
    const keys = [sshKey('one'), sshKey('two'), sshKey('three')];
    await driver.createNode({ ...base, name: 'keys-1', sshKeys: keys });
    const [run] = proxy.matching({ action: 'RunInstances' }).map(params);
    expect(run?.KeyName).toBe(keyPairNameFor(keys[0]!));
    const cloudConfig = Buffer.from(run?.UserData ?? '', 'base64').toString('utf8');
    expect(cloudConfig.startsWith('#cloud-config\nssh_authorized_keys:\n')).toBe(true);
    expect(cloudConfig).toContain(JSON.stringify(keys[1]));
    expect(cloudConfig).toContain(JSON.stringify(keys[2]));
    expect(cloudConfig).not.toContain(JSON.stringify(keys[0]));
  });

  it('passes subnet, security groups, instance profile and spot through providerOptions', async () => {
    const driver = driverFor();
    await rejectionOf(
      driver.createNode({
        ...base,
        name: 'opts-1',
        providerOptions: {
          subnetId: 'subnet-0123456789abcdef0',
          securityGroupIds: ['sg-0123456789abcdef0'],
          iamInstanceProfile: 'arn:aws:iam::123456789012:instance-profile/web',
          spot: { maxPrice: '0.05' },
          keyName: 'existing-pair',
        },
      }),
    ).catch(() => undefined);
    const [run] = proxy.matching({ action: 'RunInstances' }).map(params);
    expect(run).toMatchObject({
      SubnetId: 'subnet-0123456789abcdef0',
      'SecurityGroupId.1': 'sg-0123456789abcdef0',
      'IamInstanceProfile.Arn': 'arn:aws:iam::123456789012:instance-profile/web',
      'InstanceMarketOptions.MarketType': 'spot',
      'InstanceMarketOptions.SpotOptions.MaxPrice': '0.05',
      'InstanceMarketOptions.SpotOptions.SpotInstanceType': 'one-time',
      KeyName: 'existing-pair',
    });
  });

  it('refuses AWS-specific bad input before any request', async () => {
    const driver = driverFor();
    const cases: [Parameters<typeof driver.createNode>[0], string][] = [
      [{ ...base, name: 'x', tags: { Name: 'other' } }, 'tags.Name'],
      [{ ...base, name: 'x', tags: { 'aws:owner': 'me' } }, 'tags.aws:owner'],
      [{ ...base, name: 'x', providerOptions: { subnetId: 'net-1' } }, 'providerOptions.subnetId'],
      [{ ...base, name: 'x', providerOptions: { securityGroupIds: [] } }, 'providerOptions.securityGroupIds'],
      [{ ...base, name: 'x', providerOptions: { colour: 'blue' } as never }, 'providerOptions.colour'],
      [{ ...base, name: 'x', providerOptions: { spot: { maxPrice: 'cheap' } } }, 'providerOptions.spot'],
      [{ ...base, name: 'x', sshKeys: [sshKey('a'), sshKey('b')], userData: '#!/bin/sh\n' }, 'sshKeys'],
      [{ ...base, name: 'x', image: 'ubuntu-24.04' }, 'image'],
      [{ ...base, name: 'x', size: 'large' }, 'size'],
      [{ ...base, name: 'x', location: 'mars-north-1' }, 'location'],
      [{ ...base, name: 'x', location: 'ap-southeast-2' }, 'location'],
    ];
    for (const [request, field] of cases) {
      const error = await rejectionOf(driver.createNode(request));
      expect(isInvalidRequestError(error), `${field}: ${String(error)}`).toBe(true);
      expect((error as InvalidRequestError).field).toBe(field);
    }
    expect(proxy.count()).toBe(0);
  });

  it('maps EC2 rejections of well-formed input to InvalidRequestError naming the field', async () => {
    const driver = driverFor();
    const size = await rejectionOf(driver.createNode({ ...base, name: 'x', size: 'm9.huge' }));
    expect((size as InvalidRequestError).field).toBe('size');
    const image = await rejectionOf(driver.createNode({ ...base, name: 'x', image: 'ami-0000000000000dead' }));
    expect((image as InvalidRequestError).field).toBe('image');
    const zone = await rejectionOf(driver.createNode({ ...base, name: 'x', location: 'us-east-1z' }));
    expect((zone as InvalidRequestError).field).toBe('location');
    for (const error of [size, image, zone]) {
      expect(isInvalidRequestError(error)).toBe(true);
      expect((error as CloudError).requestId).toBeTruthy();
      expect((error as CloudError).location).toBe('us-east-1');
    }
  });
});

describe('errors EC2 answers with', () => {
  const cases: [string, number, string, (error: unknown) => boolean, string][] = [
    ['AuthFailure', 401, 'AWS was not able to validate the provided access credentials', isAuthenticationError, 'DescribeInstances'],
    ['UnauthorizedOperation', 403, 'You are not authorized to perform this operation.', isPermissionError, 'DescribeInstances'],
    [
      'InstanceLimitExceeded',
      400,
      'You have requested more instances (21) than your current instance limit of 20 allows.',
      isQuotaError,
      'RunInstances',
    ],
    [
      'VcpuLimitExceeded',
      400,
      'You have requested more vCPU capacity than your current vCPU limit of 32 allows.',
      isQuotaError,
      'RunInstances',
    ],
    [
      'InsufficientInstanceCapacity',
      500,
      'We currently do not have sufficient t3.micro capacity in the Availability Zone you requested.',
      isProviderUnavailableError,
      'RunInstances',
    ],
  ];
  for (const [code, status, message, guard, action] of cases) {
    it(`${code} → the matching CloudError with request id, region and code, not retried`, async () => {
      const driver = driverFor(['us-east-1']);
      const requestId = randomUUID();
      proxy.inject({ action, fault: { kind: 'answer', answer: ec2Error(status, code, message, requestId) } });
      const error = await rejectionOf(action === 'RunInstances' ? driver.createNode({ ...base, name: 'err-1' }) : driver.listNodes());
      expect(guard(error), String(error)).toBe(true);
      expect(error).toMatchObject({ provider: 'aws', code, requestId, location: 'us-east-1', statusCode: status });
      expect((error as Error).message).toContain(requestId);
      expect(proxy.count({ action })).toBe(1);
    });
  }

  it('InvalidInstanceID.NotFound → NodeNotFoundError; a malformed id is refused before any request', async () => {
    const driver = driverFor();
    expect(isNodeNotFoundError(await rejectionOf(driver.getNode('i-0123456789abcdef0')))).toBe(true);
    expect(proxy.count({ action: 'DescribeInstances' })).toBe(2);
    proxy.reset();
    const malformed = await rejectionOf(driver.getNode('web-server-1'));
    expect((malformed as InvalidRequestError).field).toBe('id');
    expect(proxy.count()).toBe(0);
    await driver.destroyNode('i-0123456789abcdef0');
  });

  it('keeps credentials out of errors, their JSON and inspection, and out of the driver', async () => {
    const secret = `polycloud-secret-${randomUUID()}`;
    const driver = createAwsDriver({
      endpoint: proxy.url,
      regions: ['us-east-1'],
      credentials: { accessKeyId: 'AKIAPOLYCLOUDSECRET1', secretAccessKey: new Secret(secret) },
      retry: { retries: 0 },
    });
    proxy.inject({
      action: 'DescribeInstances',
      fault: { kind: 'answer', answer: ec2Error(401, 'AuthFailure', 'AWS was not able to validate the provided access credentials') },
    });
    const error = await rejectionOf(driver.listNodes());
    expect(isAuthenticationError(error)).toBe(true);
    for (const text of [
      String(error),
      JSON.stringify(error),
      inspect(error, { depth: 10 }),
      inspect(driver, { depth: 10 }),
      JSON.stringify(driver),
    ]) {
      expect(text).not.toContain(secret);
    }
    const [sent] = proxy.matching({ action: 'DescribeInstances' });
    expect(String(sent?.headers.authorization)).toContain('Credential=AKIAPOLYCLOUDSECRET1/');
    expect(sent?.body).not.toContain(secret);
  });
});

describe('listNodes', () => {
  it('pushes state and tag filters to EC2, asks only the region of the zone named, and keeps only that zone', async () => {
    const driver = driverFor();
    const tag = randomUUID();
    const node = await driver.createNode({ ...base, location: 'us-east-1c', name: 'filter-1', tags: { team: tag } });
    proxy.reset();
    const other = await driver.createNode({ ...base, location: 'us-east-1d', name: 'filter-2', tags: { team: tag } });
    proxy.reset();
    const listed = await driver.listNodes({ location: 'us-east-1c', states: ['running', 'pending'], tags: { team: tag } });
    expect(listed.map((each) => each.id)).toEqual([node.id]);
    expect(listed.map((each) => each.id)).not.toContain(other.id);
    const requests = proxy.matching({ action: 'DescribeInstances' });
    expect(requests.map(regionOf)).toEqual(['us-east-1']);
    const filters = Object.entries(params(requests[0]!)).filter(([name]) => name.startsWith('Filter.'));
    expect(Object.fromEntries(filters)).toEqual({
      'Filter.1.Name': 'instance-state-name',
      'Filter.1.Value.1': 'pending',
      'Filter.1.Value.2': 'running',
      'Filter.2.Name': `tag:team`,
      'Filter.2.Value.1': tag,
    });
  });

  it('maps every EC2 state and sends nothing for states EC2 never reports', async () => {
    const driver = driverFor();
    const tag = { team: randomUUID() };
    const node = await driver.createNode({ ...base, name: 'states-1', tags: tag });
    await driver.destroyNode(node);
    const terminated = await driver.listNodes({ tags: tag, states: ['terminated', 'terminating'] });
    expect(terminated.map((each) => [each.id, each.state, each.rawState])).toEqual([[node.id, 'terminated', 'terminated']]);
    proxy.reset();
    expect(await driver.listNodes({ states: ['rebooting', 'error'] })).toEqual([]);
    expect(proxy.count()).toBe(0);
  });

  it("prices each listed node from polycloud's catalog for its region, on a fresh driver's first call", async () => {
    const tag = { team: randomUUID() };
    const node = await driverFor().createNode({ ...base, name: 'priced-1', tags: tag });
    // The catalog loads with the first node to price, not before the first request: a new driver shows it does.
    const listed = await driverFor().listNodes({ tags: tag });
    const catalog = await loadPriceCatalog('aws');
    expect(listed.map((each) => [each.id, each.price])).toEqual([[node.id, catalog.price('t3.micro', 'us-east-1')]]);
    expect(listed[0]?.price).toMatchObject({ hourly: 0.0104, source: 'catalog', currency: 'USD' });
  });

  it('refuses a location outside the configured regions before any request', async () => {
    const error = await rejectionOf(driverFor().listNodes({ location: 'ap-southeast-2' }));
    expect((error as InvalidRequestError).field).toBe('query.location');
    expect(proxy.count()).toBe(0);
  });
});

describe('listImages', () => {
  it("finds the current Ubuntu 24.04 builds from Canonical's account only, in one request", async () => {
    const driver = driverFor();
    const images = await driver.listImages({ os: 'ubuntu', version: '24.04', location: 'eu-central-1' });
    expect(images.map((image) => [image.id, image.arch])).toEqual([
      [UBUNTU_2404_AMD64, 'x86_64'],
      [UBUNTU_2404_ARM64, 'arm64'],
    ]);
    expect(images.every((image) => image.location === 'eu-central-1' && image.os?.family === 'ubuntu')).toBe(true);
    const requests = proxy.matching({ action: 'DescribeImages' });
    expect(requests).toHaveLength(1);
    expect(regionOf(requests[0]!)).toBe('eu-central-1');
    const sent = params(requests[0]!);
    expect(Object.entries(sent).filter(([name]) => name.startsWith('Owner.'))).toEqual([['Owner.1', '099720109477']]);
    expect(sent['Filter.1.Name']).toBe('name');
  });

  it('finds Debian by version and architecture, leaving out backports images', async () => {
    const images = await driverFor().listImages({ os: 'debian', version: '12', arch: 'arm64' });
    expect(images.map((image) => image.id)).toEqual([DEBIAN_12_ARM64]);
  });

  it('lists the current images of every supported release when asked for none, and nothing unknown', async () => {
    const driver = driverFor();
    const images = await driver.listImages();
    expect(images.map((image) => `${image.os?.family} ${image.os?.version} ${image.arch}`)).toEqual([
      'debian 12 x86_64',
      'debian 12 arm64',
      'ubuntu 24.04 x86_64',
      'ubuntu 24.04 arm64',
      'ubuntu 22.04 x86_64',
    ]);
    expect(images.map((image) => image.id)).toEqual(expect.arrayContaining([DEBIAN_12_AMD64, UBUNTU_2204_AMD64]));
    for (const request of proxy.matching({ action: 'DescribeImages' })) {
      expect(Object.keys(params(request)).some((name) => name.startsWith('Owner.'))).toBe(true);
    }
    proxy.reset();
    expect(await driver.listImages({ os: 'windows' })).toEqual([]);
    expect(await driver.listImages({ os: 'ubuntu', version: '*' })).toEqual([]);
    expect(proxy.count()).toBe(0);
  });
});

describe('listSizes and listLocations', () => {
  it("prices every size from polycloud's catalog for the region (null where it has none)", async () => {
    const driver = driverFor();
    const sizes = await driver.listSizes({ location: 'eu-central-1a' });
    const catalog = await loadPriceCatalog('aws');
    expect(sizes.length).toBeGreaterThan(100);
    for (const size of sizes) {
      expect(size.price).toEqual(catalog.price(size.id, 'eu-central-1'));
      expect(size.priceLocation).toBe('eu-central-1');
    }
    expect(sizes.find((size) => size.id === 't3.micro')).toMatchObject({ vcpus: 2, memoryGiB: 1, arch: 'x86_64', sharedCore: true });
    expect(sizes.find((size) => size.id === 't3.micro')?.price?.hourly).toBeGreaterThan(0);
    expect(sizes.find((size) => size.id === 'm7g.large')).toMatchObject({ vcpus: 2, memoryGiB: 8, arch: 'arm64' });
    expect(sizes.find((size) => size.id === 'g5.xlarge')).toMatchObject({ gpus: 1 });
    expect(proxy.matching({ action: 'DescribeInstanceTypes' }).map(regionOf)).toEqual(['eu-central-1']);
  }, 180_000);

  it("keeps a region's instance types for sizeCacheTtlMs, and asks again after it", async () => {
    const clock = new VirtualClock();
    const driver = createAwsTestDriver(proxy.url, { regions: ['us-east-1'], clock, sizeCacheTtlMs: 60_000 });
    const first = await driver.listSizes({ location: 'us-east-1' });
    const second = await driver.listSizes({ location: 'us-east-1' });
    expect(second).toEqual(first);
    expect(proxy.count({ action: 'DescribeInstanceTypes' })).toBe(1);
    clock.advance(60_000);
    await driver.listSizes({ location: 'us-east-1' });
    expect(proxy.count({ action: 'DescribeInstanceTypes' })).toBe(2);
  }, 180_000);

  it('lists configured regions and their zones with country, city and continent', async () => {
    const locations = await driverFor().listLocations();
    expect(locations.find((location) => location.id === 'eu-central-1')).toMatchObject({
      kind: 'region',
      country: 'DE',
      city: 'Frankfurt',
      continent: 'Europe',
    });
    expect(locations.find((location) => location.id === 'us-east-1a')).toMatchObject({ kind: 'zone', region: 'us-east-1', country: 'US' });
    expect(proxy.matching({ action: 'DescribeAvailabilityZones' }).map(regionOf).sort()).toEqual(['eu-central-1', 'us-east-1']);
  });

  it('covers every enabled region when none are configured, asking DescribeRegions once', async () => {
    const driver = createAwsTestDriver(proxy.url, { regions: undefined, defaultRegion: 'us-east-1' });
    const locations = await driver.listLocations();
    await driver.listNodes({ tags: { absent: randomUUID() } });
    expect(proxy.count({ action: 'DescribeRegions' })).toBe(1);
    const regions = locations.filter((location) => location.kind === 'region').map((location) => location.id);
    expect(regions).toEqual(expect.arrayContaining(['us-east-1', 'eu-central-1', 'ap-southeast-2']));
    expect(proxy.matching({ action: 'DescribeInstances' }).map(regionOf).sort()).toEqual([...regions].sort());
  });
});

describe('configuration', () => {
  it('refuses unsafe endpoints and malformed options', () => {
    const attempts: [() => unknown, string][] = [
      [() => createAwsDriver({ endpoint: 'http://ec2.example.com' }), 'endpoint'],
      [() => createAwsDriver({ regions: ['nowhere'] }), 'regions'],
      [() => createAwsDriver({ regions: [] }), 'regions'],
      [() => createAwsDriver({ maxConcurrency: 0 }), 'maxConcurrency'],
      [() => createAwsDriver({ priceSource: 'guess' as 'live' }), 'priceSource'],
      [() => createAwsDriver({ sizeCacheTtlMs: -1 }), 'sizeCacheTtlMs'],
    ];
    for (const [attempt, field] of attempts) {
      let thrown: unknown;
      try {
        attempt();
      } catch (error) {
        thrown = error;
      }
      expect(isInvalidRequestError(thrown), field).toBe(true);
      expect((thrown as InvalidRequestError).field).toBe(field);
    }
  });

  it("is created by createDriver('aws') and works", async () => {
    const driver = await createDriver('aws', {
      endpoint: proxy.url,
      regions: ['us-east-1'],
      credentials: { accessKeyId: 'AKIAPOLYCLOUDTEST01', secretAccessKey: 'test-secret-key-xyz' },
    });
    expect(driver.provider).toBe('aws');
    expect(driver.capabilities).toMatchObject({ startStop: true, idempotency: 'native' });
    expect((await driver.listLocations()).some((location) => location.id === 'us-east-1')).toBe(true);
  });

  it('stops before any request when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('caller gave up'));
    const error = await rejectionOf(driverFor().listNodes({}, { signal: controller.signal }));
    expect((error as Error).message).toBe('caller gave up');
    expect(isCloudError(error)).toBe(false);
    expect(proxy.count()).toBe(0);
  });
});
