import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CatalogData } from '../../src/pricing/catalog-data.js';
import { priceTableFromData } from '../../src/pricing/index.js';
import { catalogFile, readCatalogModule, writeCatalogModule } from '../../scripts/catalog-file.js';
import { updatePrices } from '../../scripts/update-prices.js';
import { startFakeAwsPriceList, type FakeAwsPriceList } from '../fakes/pricing/aws-price-list.js';
import { startFakeGceBilling, type FakeGceBilling } from '../fakes/pricing/gce-billing.js';
import { AWS_OFFER_PRICES, GCE_SKU_RATES, GCE_TEST_API_KEY } from '../fakes/pricing/fixtures.js';

const run = promisify(execFile);

/** A small "previous" catalog: us-east-1 figures to be replaced, ap-south-1 figures to be kept. */
const PREVIOUS_AWS: CatalogData = {
  format: 1,
  provider: 'aws',
  currency: 'USD',
  basis: 'On-demand, Linux, shared tenancy; USD per hour',
  asOf: '2025-01-01',
  regionAsOf: { 'ap-south-1': '2024-04-04' },
  generatedAt: '2025-01-01T00:00:00Z',
  sources: [{ role: 'test', origin: 'https://example.com/previous', date: '2025-01-01', license: 'test' }],
  notes: ['previous'],
  types: {
    't3.micro': { vcpus: 2, memoryGiB: 1, arch: 'x86_64', prices: { 'ap-south-1': 0.0112, 'us-east-1': 0.0099 } },
    'm4.large': { vcpus: 2, memoryGiB: 8, arch: 'x86_64', prices: { 'ap-south-1': 0.105, 'us-east-1': 0.1 } },
  },
};

const PREVIOUS_GCE: CatalogData = {
  format: 1,
  provider: 'gce',
  currency: 'USD',
  basis: 'On-demand; USD per hour',
  asOf: '2025-01-01',
  generatedAt: '2025-01-01T00:00:00Z',
  sources: [{ role: 'test', origin: 'https://example.com/previous', date: '2025-01-01', license: 'test' }],
  notes: [],
  types: {
    'e2-standard-2': { vcpus: 2, memoryGiB: 8, arch: 'x86_64', prices: { 'us-central1': 0.067 } },
    'e2-micro': { vcpus: 0.25, memoryGiB: 1, arch: 'x86_64', sharedCore: true, prices: { 'us-central1': 0.0084 } },
    'n2-standard-2': { vcpus: 2, memoryGiB: 8, arch: 'x86_64', prices: { 'us-central1': 0.097 } },
  },
};

let aws: FakeAwsPriceList;
let gce: FakeGceBilling;
let dir: string;

beforeAll(async () => {
  aws = await startFakeAwsPriceList({ regions: AWS_OFFER_PRICES, publicationDate: '2026-10-01T00:00:00Z' });
  gce = await startFakeGceBilling({ rates: GCE_SKU_RATES, apiKey: GCE_TEST_API_KEY });
});
afterAll(async () => Promise.all([aws.close(), gce.close()]));

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'polycloud-prices-'));
  await writeCatalogModule(PREVIOUS_AWS, dir);
  await writeCatalogModule(PREVIOUS_GCE, dir);
});
afterEach(async () => {
  aws.requests.length = 0;
  for (const region of Object.keys(AWS_OFFER_PRICES)) aws.setFault(region, undefined);
  gce.setFault(undefined);
  await rm(dir, { recursive: true, force: true });
});

const options = () => ({
  awsEndpoint: aws.url,
  awsRegions: ['us-east-1', 'eu-west-1'],
  gceEndpoint: gce.url,
  gceApiKey: GCE_TEST_API_KEY,
  outDir: dir,
});

describe('prices:update', () => {
  it('rebuilds both catalogs from the official formats and reproduces the known prices', async () => {
    const lines: string[] = [];
    const results = await updatePrices({ ...options(), log: (line) => lines.push(line) });
    expect(results.map((result) => [result.provider, result.ok])).toEqual([
      ['aws', true],
      ['gce', true],
    ]);
    const awsTable = priceTableFromData((await readCatalogModule('aws', dir))!, 'catalog');
    expect(awsTable.price('t3.micro', 'us-east-1')).toMatchObject({ hourly: 0.0104, asOf: '2026-10-01' });
    expect(awsTable.price('m5.large', 'eu-west-1')).toMatchObject({ hourly: 0.107, asOf: '2026-10-01' });
    expect(awsTable.price('t4g.small', 'us-east-1')).toMatchObject({ hourly: 0.0168 });
    expect(awsTable.spec('t4g.small')?.arch).toBe('arm64');
    const gceTable = priceTableFromData((await readCatalogModule('gce', dir))!, 'catalog');
    expect(gceTable.price('e2-standard-2', 'us-central1')).toMatchObject({ hourly: 0.06701142, asOf: '2026-10-15' });
    expect(gceTable.price('n2-standard-2', 'us-central1')?.hourly).toBe(0.097118);
    expect(gceTable.price('e2-micro', 'us-central1')?.hourly).toBe(0.00837643);
    expect(lines[0]).toMatch(/^aws: wrote .*aws\/price-catalog\.ts \(\d+ types, \d+ prices, as of 2026-10-01\)$/);
    expect(lines[1]).toMatch(/^gce: wrote .*gce\/price-catalog\.ts \(3 types, 7 prices, as of 2026-10-15\)$/);
  });

  it('reads the JSON edition of the offer files when asked', async () => {
    const [result] = await updatePrices({ ...options(), providers: ['aws'], awsFormat: 'json' });
    expect(result).toMatchObject({ provider: 'aws', ok: true });
    expect(
      aws.requests
        .filter((request) => request.path.endsWith('/index.json'))
        .map((request) => request.path)
        .sort(),
    ).toEqual(['/offers/v1.0/aws/AmazonEC2/current/eu-west-1/index.json', '/offers/v1.0/aws/AmazonEC2/current/us-east-1/index.json']);
    expect(priceTableFromData((await readCatalogModule('aws', dir))!, 'catalog').price('m5.large', 'eu-west-1')?.hourly).toBe(0.107);
  });

  it('keeps regions it did not refresh, each with its own date', async () => {
    await updatePrices({ ...options(), providers: ['aws'] });
    const data = (await readCatalogModule('aws', dir))!;
    const table = priceTableFromData(data, 'catalog');
    expect(table.price('t3.micro', 'ap-south-1')).toMatchObject({ hourly: 0.0112, asOf: '2024-04-04' });
    expect(table.price('m4.large', 'ap-south-1')).toMatchObject({ hourly: 0.105, asOf: '2024-04-04' });
    // us-east-1 was refreshed whole: m4.large is not in the new us-east-1 offer, so it has no us-east-1 price.
    expect(table.price('m4.large', 'us-east-1')).toBeNull();
    expect(data.sources.map((source) => source.origin)).toContain('https://example.com/previous');
  });

  it('rejects a truncated offer file and keeps the previous catalog byte for byte', async () => {
    const before = await readFile(catalogFile('aws', dir), 'utf8');
    aws.setFault('eu-west-1', 'truncated');
    const [result] = await updatePrices({ ...options(), providers: ['aws'] });
    expect(result).toMatchObject({ provider: 'aws', ok: false });
    expect(result!.error).toMatch(/eu-west-1\/index\.csv: .*truncated/);
    expect(await readFile(catalogFile('aws', dir), 'utf8')).toBe(before);
    // No temporary file is left beside the catalog.
    expect((await readdir(join(dir, 'aws'))).sort()).toEqual(['price-catalog.ts']);
  });

  it('rejects a malformed SKU page and keeps the previous GCE catalog, while AWS still updates', async () => {
    const before = await readFile(catalogFile('gce', dir), 'utf8');
    gce.setFault('malformed-page-2');
    const results = await updatePrices(options());
    expect(results.map((result) => [result.provider, result.ok])).toEqual([
      ['aws', true],
      ['gce', false],
    ]);
    expect(results[1]!.error).toMatch(/no "skus" array/);
    expect(await readFile(catalogFile('gce', dir), 'utf8')).toBe(before);
  });

  it('runs as `npm run prices:update` and exits non-zero, keeping the catalog, on a bad file', async () => {
    const args = [
      'run',
      '--silent',
      'prices:update',
      '--',
      '--provider',
      'aws',
      '--aws-endpoint',
      aws.url,
      '--aws-regions',
      'us-east-1',
      '--out',
      dir,
    ];
    const ok = await run('npm', args, { cwd: process.cwd(), env: { ...process.env, NO_COLOR: '1' } });
    expect(ok.stdout).toMatch(/prices:update aws: wrote .*aws\/price-catalog\.ts/);
    expect(priceTableFromData((await readCatalogModule('aws', dir))!, 'catalog').price('t3.micro', 'us-east-1')?.hourly).toBe(0.0104);

    const before = await readFile(catalogFile('aws', dir), 'utf8');
    aws.setFault('us-east-1', 'bad-price');
    const failed = await run('npm', args, { cwd: process.cwd() }).catch((error: { code?: number; stdout?: string }) => error);
    expect((failed as { code?: number }).code).toBe(1);
    expect((failed as { stdout?: string }).stdout).toMatch(/aws: update failed, previous catalog kept: .*not a number/);
    expect(await readFile(catalogFile('aws', dir), 'utf8')).toBe(before);
  }, 60_000);
});
