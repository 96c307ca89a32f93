import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Secret, isConfigurationError, isInvalidRequestError } from '../../src/index.js';
import { CatalogFormatError, clearLivePriceCache, loadPriceCatalog, loadPriceTable } from '../../src/pricing/index.js';
import { createAwsDriver, type AwsLivePriceOptions } from '../../providers/aws/index.js';
import { createGceDriver, type GceLivePriceOptions } from '../../providers/gce/index.js';
import { startGceTestSetup } from '../gce/harness.js';
import { startFakeAwsPriceList, type FakeAwsPriceList } from '../fakes/pricing/aws-price-list.js';
import { startFakeGceBilling, type FakeGceBilling } from '../fakes/pricing/gce-billing.js';
import { AWS_OFFER_PRICES, GCE_SKU_RATES, GCE_TEST_API_KEY } from '../fakes/pricing/fixtures.js';

let aws: FakeAwsPriceList;
let gce: FakeGceBilling;
const savedKey = process.env.POLYCLOUD_GCE_BILLING_API_KEY;

beforeAll(async () => {
  delete process.env.POLYCLOUD_GCE_BILLING_API_KEY;
  aws = await startFakeAwsPriceList({ regions: AWS_OFFER_PRICES, publicationDate: '2026-10-01T00:00:00Z' });
  gce = await startFakeGceBilling({ rates: GCE_SKU_RATES, apiKey: GCE_TEST_API_KEY, maxPageSize: 50 });
});

afterAll(async () => {
  if (savedKey !== undefined) process.env.POLYCLOUD_GCE_BILLING_API_KEY = savedKey;
  await Promise.all([aws.close(), gce.close()]);
});

afterEach(() => {
  clearLivePriceCache();
  awsLive = {};
  gceLive = {};
  for (const region of Object.keys(AWS_OFFER_PRICES)) aws.setFault(region, undefined);
  aws.requests.length = 0;
  gce.requests.length = 0;
});

// Live-price settings are options of each call (and of the aws/gce drivers), never process-global.
let awsLive: AwsLivePriceOptions = {};
let gceLive: GceLivePriceOptions = {};
const useFakeAws = (extra: AwsLivePriceOptions = {}) => {
  awsLive = { endpoint: aws.url, regions: ['us-east-1', 'eu-west-1'], retry: { retries: 0 }, ...extra };
};

describe("priceSource 'live'", () => {
  it('AWS: fetches current prices from the offer files and marks them provider-api', async () => {
    useFakeAws();
    const catalog = await loadPriceCatalog('aws', 'live', { livePrices: awsLive });
    expect(catalog.provider).toBe('aws');
    expect(catalog.price('t3.micro', 'us-east-1a')).toEqual({
      hourly: 0.0104,
      monthly: 7.592,
      currency: 'USD',
      source: 'provider-api',
      asOf: '2026-10-01',
    });
    expect(catalog.price('m5.large', 'eu-west-1')?.hourly).toBe(0.107);
    // Not fetched: unknown, so null (the live catalog does not fall back to old figures).
    expect(catalog.price('m5.large', 'ap-south-1')).toBeNull();
    expect(aws.requests.map((request) => request.path).sort()).toEqual([
      '/offers/v1.0/aws/AmazonEC2/current/eu-west-1/index.csv',
      '/offers/v1.0/aws/AmazonEC2/current/us-east-1/index.csv',
    ]);
  });

  it('GCE: prices machine types from the Cloud Billing SKUs', async () => {
    gceLive = { endpoint: gce.url, apiKey: new Secret(GCE_TEST_API_KEY), retry: { retries: 0 } };
    const catalog = await loadPriceTable('gce', 'live', { livePrices: gceLive });
    expect(catalog.source).toBe('provider-api');
    expect(catalog.price('e2-standard-2', 'us-central1-b')).toMatchObject({
      hourly: 0.06701142,
      source: 'provider-api',
      asOf: '2026-10-15',
    });
    expect(catalog.price('n2-standard-2', 'us-central1')?.hourly).toBe(0.097118);
    expect(catalog.price('e2-micro', 'us-central1')?.hourly).toBe(0.00837643);
    expect(gce.requests.every((request) => request.headers['x-goog-api-key'] === GCE_TEST_API_KEY)).toBe(true);
  });

  it('GCE: takes the API key from POLYCLOUD_GCE_BILLING_API_KEY when none is set', async () => {
    gceLive = { endpoint: gce.url, retry: { retries: 0 } };
    process.env.POLYCLOUD_GCE_BILLING_API_KEY = GCE_TEST_API_KEY;
    try {
      const catalog = await loadPriceCatalog('gce', 'live', { livePrices: gceLive });
      expect(catalog.price('e2-standard-2', 'us-central1')?.hourly).toBe(0.06701142);
    } finally {
      delete process.env.POLYCLOUD_GCE_BILLING_API_KEY;
    }
  });

  it('caches: later loads within the TTL make no request; concurrent loads share one fetch', async () => {
    useFakeAws();
    const [first, second] = await Promise.all([
      loadPriceCatalog('aws', 'live', { livePrices: awsLive }),
      loadPriceCatalog('aws', 'live', { livePrices: awsLive }),
    ]);
    expect(first.price('t3.micro', 'us-east-1')).toEqual(second.price('t3.micro', 'us-east-1'));
    expect(aws.requests).toHaveLength(2);
    await loadPriceCatalog('aws', 'live', { livePrices: awsLive });
    expect(aws.requests).toHaveLength(2);
  });

  it('fetches again once the TTL has passed', async () => {
    useFakeAws({ ttlMs: 30 });
    await loadPriceCatalog('aws', 'live', { livePrices: awsLive });
    expect(aws.requests).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 60));
    await loadPriceCatalog('aws', 'live', { livePrices: awsLive });
    expect(aws.requests).toHaveLength(4);
  });

  it('does not cache a failure: a truncated file fails the load, the next load succeeds', async () => {
    useFakeAws();
    aws.setFault('us-east-1', 'truncated', 1);
    const error = await loadPriceCatalog('aws', 'live', { livePrices: awsLive }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/us-east-1\/index\.csv: .*truncated/);
    const catalog = await loadPriceCatalog('aws', 'live', { livePrices: awsLive });
    expect(catalog.price('t3.micro', 'us-east-1')?.hourly).toBe(0.0104);
  });

  it('leaves the bundled catalog alone', async () => {
    useFakeAws();
    await loadPriceCatalog('aws', 'live', { livePrices: awsLive });
    const bundled = await loadPriceCatalog('aws');
    expect(bundled.price('t3.micro', 'us-east-1')).toMatchObject({ hourly: 0.0104, source: 'catalog', asOf: '2026-07-20' });
    expect(bundled.price('m5.large', 'ap-south-1')).not.toBeNull();
  });

  it('stops waiting when the signal aborts', async () => {
    useFakeAws();
    const controller = new AbortController();
    controller.abort(new Error('caller gave up'));
    await expect(loadPriceCatalog('aws', 'live', { livePrices: awsLive, signal: controller.signal })).rejects.toThrow('caller gave up');
    expect(aws.requests).toHaveLength(0);

    // Aborting while a fetch runs releases that caller; the shared fetch completes for the others.
    const late = new AbortController();
    const pending = loadPriceCatalog('aws', 'live', { livePrices: awsLive, signal: late.signal });
    late.abort(new Error('stopped waiting'));
    await expect(pending).rejects.toThrow('stopped waiting');
    const catalog = await loadPriceCatalog('aws', 'live', { livePrices: awsLive });
    expect(catalog.price('t3.micro', 'us-east-1')?.hourly).toBe(0.0104);
    expect(aws.requests).toHaveLength(2);
  });

  it('refuses an unsafe endpoint and missing GCE credentials before any request', async () => {
    awsLive = { endpoint: 'http://prices.example.com' };
    expect(isInvalidRequestError(await loadPriceCatalog('aws', 'live', { livePrices: awsLive }).catch((e: unknown) => e))).toBe(true);
    gceLive = { endpoint: gce.url };
    expect(isConfigurationError(await loadPriceCatalog('gce', 'live', { livePrices: gceLive }).catch((e: unknown) => e))).toBe(true);
    expect(aws.requests).toHaveLength(0);
    expect(gce.requests).toHaveLength(0);
  });

  it('rejects bad live options: in a load, and when a driver is configured, before any request', async () => {
    const badLoad = await loadPriceCatalog('aws', 'live', { livePrices: { ttlMs: -1 } }).catch((e: unknown) => e);
    expect(isConfigurationError(badLoad) && (badLoad as Error).message).toMatch(/livePrices\.ttlMs/);
    const unknown = await loadPriceCatalog('azure', 'live').catch((e: unknown) => e);
    expect(isInvalidRequestError(unknown) && (unknown as Error).message).toMatch(/aws' and 'gce/);
    expect(() => createAwsDriver({ priceSource: 'live', livePrices: { ttlMs: Number.NaN } })).toThrow(/livePrices\.ttlMs/);
    expect(() => createGceDriver({ project: 'my-project-1', livePrices: 'fast' as never })).toThrow(/"livePrices" must be an object/);
    expect(aws.requests).toHaveLength(0);
  });

  it('a gce driver with priceSource live prices its sizes from its own livePrices', async () => {
    const setup = await startGceTestSetup({
      driver: { priceSource: 'live', livePrices: { endpoint: gce.url, apiKey: new Secret(GCE_TEST_API_KEY), retry: { retries: 0 } } },
    });
    try {
      const sizes = await setup.driver.listSizes({ location: 'us-central1-a' });
      const e2 = sizes.find((size) => size.id === 'e2-standard-2');
      expect(e2?.price).toMatchObject({ hourly: 0.06701142, source: 'provider-api', asOf: '2026-10-15' });
      expect(gce.requests.length).toBeGreaterThan(0);
      expect(gce.requests.every((request) => request.headers['x-goog-api-key'] === GCE_TEST_API_KEY)).toBe(true);
    } finally {
      await setup.close();
    }
  });

  it('exposes the malformed-file error class', async () => {
    useFakeAws({ regions: ['us-east-1'] });
    aws.setFault('us-east-1', 'malformed');
    await expect(loadPriceCatalog('aws', 'live', { livePrices: awsLive })).rejects.toBeInstanceOf(CatalogFormatError);
  });
});
