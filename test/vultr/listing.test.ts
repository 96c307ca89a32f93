/**
 * The Vultr driver on the wire, reading: cursor paging (`meta.links.next` sent back as
 * `cursor`), the page cap, malformed and looping cursors, filters pushed down, plans with the
 * API's prices, regions with polycloud's facts, operating systems as images, and credentials.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isCloudError, isConfigurationError, isInvalidRequestError, type CloudError } from '../../src/core/errors.js';
import { Secret } from '../../src/core/secrets.js';
import { createDriver } from '../../src/core/registry.js';
import { rejectionOf } from '../conformance/suite.js';
import { createVultrDriver } from '../../providers/vultr/index.js';
import { TEST_RETRY, useVultrHarness } from './harness.js';

const harness = useVultrHarness();

async function seed(count: number, tags: readonly string[], region = 'ewr'): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index++)
    ids.push(await harness().fake.seed({ label: `seed-${region}-${index}`, region, plan: 'vc2-1c-1gb', os_id: 2284, tags }));
  return ids;
}

const listRequests = (path: string) => harness().fake.requests.filter((request) => request.method === 'GET' && request.path === path);

describe('vultr listing', () => {
  it('follows meta.links.next as the cursor on the configured endpoint until it is empty, pushing one region and one tag down', async () => {
    const wanted = await seed(5, ['team:paging']);
    await seed(2, ['team:paging'], 'fra');
    await seed(2, ['team:other']);
    const nodes = await harness().driver.listNodes({ tags: { team: 'paging' }, location: 'ewr', pageSize: 2 });
    expect(nodes.map((node) => node.id).sort()).toEqual([...wanted].sort());
    const requests = listRequests('/v2/instances');
    expect(requests).toHaveLength(3);
    expect(requests[0]?.query.get('cursor')).toBeNull();
    for (const request of requests) {
      expect(request.query.get('per_page')).toBe('2');
      expect(request.query.get('region')).toBe('ewr');
      expect(request.query.get('tag')).toBe('team:paging');
      expect(request.headers.host).toBe(new URL(harness().fake.url).host);
    }
    // Each later request carries the cursor the previous answer named, and nothing else changes.
    expect(new Set(requests.slice(1).map((request) => request.query.get('cursor'))).size).toBe(2);
    expect(nodes.every((node) => node.tags.team === 'paging' && node.location.country === 'US')).toBe(true);
  });

  it('asks for the largest page (500) by default, and refuses a page size outside 1–500 before any request', async () => {
    await harness().driver.listNodes();
    expect(listRequests('/v2/instances')[0]?.query.get('per_page')).toBe('500');
    const before = harness().fake.requests.length;
    const error = await rejectionOf(harness().driver.listNodes({ pageSize: 501 }));
    expect(isInvalidRequestError(error) && error.field).toBe('query.pageSize');
    expect(harness().fake.requests.length).toBe(before);
  });

  it('stops at the page cap with a CloudError instead of listing for ever', async () => {
    await seed(5, ['team:cap']);
    const capped = createVultrDriver({
      token: harness().fake.token,
      endpoint: harness().fake.url,
      clock: harness().clock,
      retry: TEST_RETRY,
      pageSize: 1,
      bounds: { maxPages: 3 },
    });
    const error = (await rejectionOf(capped.listNodes())) as CloudError;
    expect(isCloudError(error)).toBe(true);
    expect(error.code).toBe('page-limit');
    expect(error.provider).toBe('vultr');
    expect(listRequests('/v2/instances')).toHaveLength(3);
  });

  it('refuses a cursor that is not a string, and one it has already followed, instead of ending the list silently', async () => {
    harness().fake.script.push({
      method: 'GET',
      path: '/v2/instances',
      response: { status: 200, body: { instances: [], meta: { total: 9, links: { next: 7, prev: '' } } } },
    });
    const malformed = (await rejectionOf(harness().driver.listNodes())) as CloudError;
    expect(malformed.code).toBe('malformed-response');
    expect(malformed.message).toContain('meta.links.next');
    // The scripted answer itself breaks the document on purpose: the fake's check saw it too.
    expect(
      harness()
        .fake.responseViolations.splice(0)
        .flatMap((violation) => violation.problems),
    ).toEqual(['list-instances 200: /meta/links/next must be string']);

    const loop = { status: 200, body: { instances: [], meta: { total: 9, links: { next: 'c2FtZQ', prev: '' } } } };
    harness().fake.script.push({ method: 'GET', path: '/v2/instances', response: loop, times: 3 });
    const looping = (await rejectionOf(harness().driver.listNodes())) as CloudError;
    expect(looping.code).toBe('bad-pagination');
  });
});

describe('vultr catalogs', () => {
  it('prices plans with the monthly and hourly figures of the API, in USD, dated by the driver’s clock', async () => {
    const sizes = await harness().driver.listSizes();
    const small = sizes.find((size) => size.id === 'vc2-1c-1gb');
    expect(small).toMatchObject({ vcpus: 1, memoryGiB: 1, diskGiB: 25, arch: 'x86_64', sharedCore: true });
    expect(small?.price).toEqual({
      hourly: 0.007,
      monthly: 5,
      currency: 'USD',
      source: 'provider-api',
      asOf: new Date(harness().clock.now()).toISOString().slice(0, 10),
    });
    expect(sizes.find((size) => size.id === 'voc-g-2c-8gb-50s-amd')?.sharedCore).toBeUndefined();
    expect(listRequests('/v2/plans')[0]?.query.get('per_page')).toBe('500');
  });

  it('prices a plan without hourly_cost (the 2023 document has none) as null, never 0', async () => {
    const plan = {
      id: 'vc2-1c-1gb',
      vcpu_count: 1,
      ram: 1024,
      disk: 25,
      bandwidth: 1024,
      monthly_cost: 5,
      type: 'vc2',
      locations: ['ewr'],
    };
    harness().fake.script.push({
      method: 'GET',
      path: '/v2/plans',
      response: { status: 200, body: { plans: [plan], meta: { total: 1, links: { next: '', prev: '' } } } },
    });
    const [size] = await harness().driver.listSizes();
    expect(size?.id).toBe('vc2-1c-1gb');
    expect(size?.price).toBeNull();
  });

  it('lists the plans offered in a location, and refuses a location Vultr does not have', async () => {
    const inSydney = await harness().driver.listSizes({ location: 'syd' });
    expect(inSydney.map((size) => size.id)).not.toContain('voc-g-2c-8gb-50s-amd');
    expect(inSydney.every((size) => size.priceLocation === 'syd')).toBe(true);
    expect((await harness().driver.listSizes({ location: 'fra' })).map((size) => size.id)).toContain('voc-g-2c-8gb-50s-amd');
    const error = await rejectionOf(harness().driver.listSizes({ location: 'zzz' }));
    expect(isInvalidRequestError(error) && error.field).toBe('query.location');
  });

  it('gives regions polycloud’s facts: ISO country, city and a continent from polycloud’s list', async () => {
    const locations = await harness().driver.listLocations();
    expect(locations.map((location) => location.id).sort()).toEqual(['ams', 'ewr', 'fra', 'lhr', 'sgp', 'syd']);
    expect(locations.find((location) => location.id === 'syd')).toEqual({
      id: 'syd',
      name: 'Sydney',
      provider: 'vultr',
      kind: 'region',
      region: 'syd',
      country: 'AU',
      city: 'Sydney',
      // The API says "Australia"; polycloud's continents say Oceania.
      continent: 'Oceania',
    });
    expect(locations.find((location) => location.id === 'ewr')).toMatchObject({ country: 'US', continent: 'North America' });
  });

  it('lists operating systems as images with family, version and arch, leaving out ISOs, snapshots, backups and apps', async () => {
    const images = await harness().driver.listImages();
    expect(images.map((image) => image.id)).toEqual(['2136', '2284', '2290', '1743']);
    expect(images.find((image) => image.id === '2284')).toEqual({
      id: '2284',
      name: 'Ubuntu 24.04 LTS x64',
      provider: 'vultr',
      os: { family: 'ubuntu', version: '24.04' },
      arch: 'x86_64',
    });
    expect(images.find((image) => image.id === '2290')?.arch).toBe('arm64');
    const [latestUbuntuArm] = await harness().driver.listImages({ os: 'ubuntu', arch: 'arm64' });
    expect(latestUbuntuArm?.id).toBe('2290');
  });
});

describe('vultr credentials', () => {
  it('without a token or VULTR_API_KEY, createDriver fails with a ConfigurationError naming VULTR_API_KEY, before any request', async () => {
    const saved = process.env.VULTR_API_KEY;
    delete process.env.VULTR_API_KEY;
    try {
      const error = await rejectionOf(createDriver('vultr', { endpoint: harness().fake.url }));
      expect(isConfigurationError(error)).toBe(true);
      expect((error as Error).message).toContain('VULTR_API_KEY');
      expect((error as CloudError).operation).toBe('configure');
      expect(harness().fake.requests).toEqual([]);
    } finally {
      if (saved !== undefined) process.env.VULTR_API_KEY = saved;
    }
  });

  it('reads VULTR_API_KEY, sends it only as a bearer token, and never shows it', async () => {
    const saved = process.env.VULTR_API_KEY;
    process.env.VULTR_API_KEY = harness().fake.token;
    try {
      const driver = await createDriver('vultr', { endpoint: harness().fake.url, retry: TEST_RETRY });
      expect(await driver.listLocations()).toHaveLength(6);
      expect(harness().fake.requests.at(-1)?.headers.authorization).toBe(`Bearer ${harness().fake.token}`);
      expect(JSON.stringify(driver)).not.toContain(harness().fake.token);
      expect(inspect(driver, { depth: 10 })).not.toContain(harness().fake.token);
    } finally {
      if (saved === undefined) delete process.env.VULTR_API_KEY;
      else process.env.VULTR_API_KEY = saved;
    }
  });

  it('takes the token as a Secret', async () => {
    const driver = createVultrDriver({ token: new Secret(harness().fake.token), endpoint: harness().fake.url, retry: TEST_RETRY });
    expect((await driver.listImages()).length).toBeGreaterThan(0);
    expect(harness().fake.requests.at(-1)?.headers.authorization).toBe(`Bearer ${harness().fake.token}`);
  });
});
