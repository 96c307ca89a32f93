import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isConfigurationError, isCloudError } from '../../src/index.js';
import { loadPriceTable } from '../../src/pricing/index.js';
import { CatalogFormatError, type CatalogType } from '../../src/pricing/catalog-data.js';
import { fetchGceBillingCatalog, parseDescription, type MachineTypeSpec } from '../../providers/gce/price-billing.js';
import { SKUS_PATH, startFakeGceBilling, type FakeGceBilling } from '../fakes/pricing/gce-billing.js';
import { GCE_SKU_RATES, GCE_TEST_API_KEY } from '../fakes/pricing/fixtures.js';

const NO_RETRY = { retries: 0 };
let fake: FakeGceBilling;
let machineTypes: Record<string, MachineTypeSpec>;

beforeAll(async () => {
  fake = await startFakeGceBilling({ rates: GCE_SKU_RATES, apiKey: GCE_TEST_API_KEY, effectiveTime: '2026-10-15T07:00:00.000Z' });
  // The machine types' shapes come from the bundled catalog, as in the refresh tool.
  const bundled = await loadPriceTable('gce');
  machineTypes = Object.fromEntries(bundled.sizeIds().map((id) => [id, bundled.spec(id)!]));
  return () => fake.close();
});

afterEach(() => {
  fake.setFault(undefined);
  fake.requests.length = 0;
});

const fetchFromFake = (extra: Partial<Parameters<typeof fetchGceBillingCatalog>[0]> = {}) =>
  fetchGceBillingCatalog({ endpoint: fake.url, apiKey: GCE_TEST_API_KEY, machineTypes, retry: NO_RETRY, ...extra });

describe('Cloud Billing Catalog SKUs', () => {
  it('turns per-vCPU and per-GiB rates into the published machine type prices', async () => {
    const data = await fetchFromFake();
    const price = (type: string, region: string) => (data.types[type] as CatalogType | undefined)?.prices[region];
    expect(price('e2-standard-2', 'us-central1')).toBe(0.06701142);
    expect(price('n2-standard-2', 'us-central1')).toBe(0.097118);
    expect(price('e2-micro', 'us-central1')).toBe(0.00837643);
    expect(price('c2-standard-4', 'us-central1')).toBe(0.208808);
    expect(price('g2-standard-4', 'us-central1')).toBe(0.70683226);
    expect(price('f1-micro', 'us-central1')).toBe(0.0076);
    // Only a multi-region SKU covers us-east1.
    expect(price('e2-standard-2', 'us-east1')).toBe(Math.round((2 * 0.03 + 8 * 0.004) * 1e8) / 1e8);
    expect(price('e2-standard-2', 'europe-west3')).toBe(Math.round((2 * 0.02578 + 8 * 0.003455) * 1e8) / 1e8);
    expect(data.asOf).toBe('2026-10-15');
    expect(data.provider).toBe('gce');
  });

  it('never prices a type with a missing component', async () => {
    const data = await fetchFromFake();
    // No N2 rates in europe-west3; no L4 rate outside us-central1; no M2 upgrade premium modelled.
    expect(data.types['n2-standard-2']!.prices['europe-west3']).toBeUndefined();
    expect(Object.keys(data.types['g2-standard-4']!.prices)).toEqual(['us-central1']);
    expect(data.types['m2-ultramem-208']).toBeUndefined();
    for (const type of Object.values(data.types)) for (const value of Object.values(type.prices)) expect(value).toBeGreaterThan(0);
  });

  it('pages through the listing and sends the API key as a header, never in the URL', async () => {
    await fetchFromFake();
    expect(fake.requests.length).toBeGreaterThan(3);
    expect(new Set(fake.requests.map((request) => request.path))).toEqual(new Set([SKUS_PATH]));
    expect(fake.requests[0]!.query.get('pageToken')).toBeNull();
    expect(fake.requests[1]!.query.get('pageToken')).toBe('3');
    expect(fake.requests.every((request) => request.headers['x-goog-api-key'] === GCE_TEST_API_KEY)).toBe(true);
    expect(fake.requests.every((request) => !request.url.includes(GCE_TEST_API_KEY))).toBe(true);
    expect(fake.requests[0]!.query.get('currencyCode')).toBe('USD');
  });

  it('rejects a truncated page with a clear error', async () => {
    fake.setFault('truncated-page-2');
    const error = await fetchFromFake().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CatalogFormatError);
    expect((error as Error).message).toMatch(/skus: body is not complete JSON .*malformed or truncated/);
  });

  it('rejects a page without a SKU list', async () => {
    fake.setFault('malformed-page-2');
    await expect(fetchFromFake()).rejects.toThrow(/page 2: no "skus" array/);
  });

  it('needs credentials, and says so before any request', async () => {
    const error = await fetchFromFake({ apiKey: undefined }).catch((e: unknown) => e);
    expect(isConfigurationError(error)).toBe(true);
    expect(fake.requests).toHaveLength(0);
  });

  it('reports a rejected key without echoing it', async () => {
    const error = await fetchFromFake({ apiKey: 'AIzaWrongKey-zyxwvutsrqponmlk' }).catch((e: unknown) => e);
    expect(isCloudError(error)).toBe(true);
    expect((error as { statusCode?: number }).statusCode).toBe(400);
    expect((error as Error).message).toContain('API key not valid');
    expect(JSON.stringify(error)).not.toContain('AIzaWrongKey-zyxwvutsrqponmlk');
  });
});

describe('SKU descriptions', () => {
  it.each([
    ['E2 Instance Core running in Americas', { family: 'e2', component: 'core' }],
    ['N1 Predefined Instance Ram running in Zurich', { family: 'n1', component: 'ram' }],
    ['N2D AMD Instance Core running in Frankfurt', { family: 'n2d', component: 'core' }],
    ['T2A Arm Instance Ram running in Americas', { family: 't2a', component: 'ram' }],
    ['Compute optimized Core running in Americas', { family: 'c2', component: 'core' }],
    ['Compute optimized Instance Ram running in Mexico', { family: 'c2', component: 'ram' }],
    ['Memory-optimized Instance Core running in Tokyo', { family: 'm1', component: 'core' }],
    ['M3 Memory-optimized Instance Ram running in Americas', { family: 'm3', component: 'ram' }],
    ['Nvidia Tesla A100 80GB GPU running in Americas', { family: '*', component: 'gpu:a100-80gb' }],
    ['Nvidia H100 80GB GPU running in Americas', { family: '*', component: 'gpu:h100-80gb' }],
    ['SSD backed Local Storage running in Iowa', { family: '*', component: 'localssd' }],
  ])('%s', (description, expected) => {
    expect(parseDescription(description)).toEqual(expected);
  });

  it.each([
    'N2 Custom Instance Core running in Americas',
    'N2 Custom Extended Instance Ram running in Americas',
    'Sole Tenancy Instance Core running in Jakarta',
    'Memory Optimized Upgrade Premium for Memory-optimized Instance Core running in Americas',
    'Licensing Fee for Windows Server 2012 BYOL (CPU cost)',
  ])('ignores %s', (description) => {
    expect(parseDescription(description)).toBeUndefined();
  });
});
