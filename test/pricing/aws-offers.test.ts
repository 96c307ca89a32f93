import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isCloudError, isInvalidRequestError, isProviderUnavailableError, isPartialFailureError } from '../../src/index.js';
import { parseCsvLine } from '../../providers/aws/price-offer-csv.js';
import { fetchAwsOfferCatalog } from '../../providers/aws/price-offers.js';
import { CatalogFormatError } from '../../src/pricing/catalog-data.js';
import { startFakeAwsPriceList, type FakeAwsPriceList } from '../fakes/pricing/aws-price-list.js';
import { AWS_OFFER_PRICES } from '../fakes/pricing/fixtures.js';

const NO_RETRY = { retries: 0 };
const OFFER = '/offers/v1.0/aws/AmazonEC2/current';
let fake: FakeAwsPriceList;

beforeAll(async () => {
  fake = await startFakeAwsPriceList({ regions: AWS_OFFER_PRICES, publicationDate: '2026-10-01T18:02:11Z' });
  return () => fake.close();
});

afterEach(() => {
  for (const region of Object.keys(AWS_OFFER_PRICES)) fake.setFault(region, undefined);
  fake.requests.length = 0;
});

describe.each(['csv', 'json'] as const)('AWS Price List offer files (%s edition)', (format) => {
  const fetchOffers = (extra: Partial<Parameters<typeof fetchAwsOfferCatalog>[0]> = {}) =>
    fetchAwsOfferCatalog({ endpoint: fake.url, format, retry: NO_RETRY, ...extra });

  it('reproduces the Linux shared on-demand prices of every region in the region index', async () => {
    const data = await fetchOffers();
    expect(data.provider).toBe('aws');
    expect(data.asOf).toBe('2026-10-01');
    expect(data.types['t3.micro']).toEqual({
      vcpus: 2,
      memoryGiB: 1,
      arch: 'x86_64',
      prices: { 'eu-west-1': 0.0114, 'us-east-1': 0.0104 },
    });
    expect(data.types['m5.large']!.prices).toEqual({ 'eu-west-1': 0.107, 'us-east-1': 0.096 });
    expect(data.types['t4g.small']).toMatchObject({ arch: 'arm64', memoryGiB: 2, prices: { 'us-east-1': 0.0168 } });
    expect(data.types['x2iedn.32xlarge']).toMatchObject({ vcpus: 128, memoryGiB: 4096 });
    expect(Object.keys(data.types).sort()).toEqual(['m5.large', 't3.micro', 't4g.small', 'x2iedn.32xlarge']);
    expect(data.sources[0]!.origin).toContain(`${OFFER}/<region>/index.${format}`);
    expect(fake.requests.map((request) => request.path).sort()).toEqual([
      `${OFFER}/eu-west-1/index.${format}`,
      `${OFFER}/region_index.json`,
      `${OFFER}/us-east-1/index.${format}`,
    ]);
  });

  it('fetches only the regions asked for', async () => {
    const data = await fetchOffers({ regions: ['eu-west-1'] });
    expect(data.types['m5.large']!.prices).toEqual({ 'eu-west-1': 0.107 });
    expect(fake.requests.map((request) => request.path)).toEqual([`${OFFER}/eu-west-1/index.${format}`]);
  });

  it('rejects a truncated offer file with a clear error', async () => {
    fake.setFault('us-east-1', 'truncated');
    const error = await fetchOffers({ regions: ['us-east-1'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CatalogFormatError);
    expect((error as Error).message).toMatch(new RegExp(`us-east-1/index\\.${format}: .*truncated`));
    expect((error as CatalogFormatError).provider).toBe('aws');
    expect((error as CatalogFormatError).retryable).toBe(false);
  });

  it('rejects a malformed offer file and a non-numeric price', async () => {
    fake.setFault('us-east-1', 'malformed');
    await expect(fetchOffers({ regions: ['us-east-1'] })).rejects.toThrow(
      format === 'csv' ? /header has no "PricePerUnit" column/ : /no "terms\.OnDemand"/,
    );
    fake.setFault('us-east-1', 'bad-price');
    await expect(fetchOffers({ regions: ['us-east-1'] })).rejects.toThrow(/not a number: "n\/a"/);
  });

  it('fails the whole fetch, naming the file, when one of several regions fails', async () => {
    fake.setFault('eu-west-1', 'truncated');
    const error = await fetchOffers().catch((e: unknown) => e);
    expect(isPartialFailureError(error)).toBe(true);
    expect((error as Error).message).toMatch(new RegExp(`eu-west-1/index\\.${format}: .*truncated`));
  });

  it('retries a server error and succeeds when the source recovers', async () => {
    fake.setFault('us-east-1', 'server-error');
    const failed = await fetchOffers({ regions: ['us-east-1'] }).catch((e: unknown) => e);
    expect(isProviderUnavailableError(failed)).toBe(true);
    expect((failed as { statusCode?: number }).statusCode).toBe(503);
    expect((failed as { requestId?: string }).requestId).toBe('FAKE503');

    fake.requests.length = 0;
    fake.setFault('us-east-1', 'server-error', 1);
    const data = await fetchOffers({ regions: ['us-east-1'], retry: { retries: 2, minDelayMs: 10, jitter: false } });
    expect(data.types['t3.micro']!.prices['us-east-1']).toBe(0.0104);
    expect(fake.requests.map((request) => request.path)).toEqual([
      `${OFFER}/us-east-1/index.${format}`,
      `${OFFER}/us-east-1/index.${format}`,
    ]);
  });

  it('names a missing region file as not found', async () => {
    const error = await fetchOffers({ regions: ['ap-south-9'] }).catch((e: unknown) => e);
    expect(isCloudError(error)).toBe(true);
    expect((error as { statusCode?: number }).statusCode).toBe(404);
  });
});

describe('AWS offer files', () => {
  it('refuses a plain-http endpoint off loopback before any request', async () => {
    const error = await fetchAwsOfferCatalog({ endpoint: 'http://pricing.example.com' }).catch((e: unknown) => e);
    expect(isInvalidRequestError(error)).toBe(true);
    expect(fake.requests).toHaveLength(0);
  });

  it('splits CSV lines with quoted commas, doubled quotes and empty fields', () => {
    const never = (): never => {
      throw new Error('unterminated');
    };
    expect(parseCsvLine('"a","b, c",,"d ""e""",', never)).toEqual(['a', 'b, c', '', 'd "e"', '']);
    expect(parseCsvLine('x,"y"', never)).toEqual(['x', 'y']);
    expect(() => parseCsvLine('"a","b', never)).toThrow('unterminated');
  });
});
