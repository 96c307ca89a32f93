/**
 * A fake of the Cloud Billing Catalog API for Compute Engine
 * (`GET /v1/services/6F81-5844-456A/skus`): SKUs in the official shape (category, serviceRegions,
 * pricingInfo[].pricingExpression.tieredRates[].unitPrice {units, nanos}), paged with
 * `pageSize`/`pageToken`, requiring an API key, and mixed with the SKUs a parser must ignore
 * (Spot, commitments, custom, sole tenancy).
 */
import { startFakeServer, type FakeResponse, type FakeServer } from '../http-server.js';

/** One rate to serve: a SKU description (without "running in …"), its regions, unit and USD price. */
export interface FakeSkuRate {
  /** e.g. `E2 Instance Core`, `Nvidia L4 GPU`, `SSD backed Local Storage`. */
  readonly description: string;
  /** Region ids; more than one makes a multi-region (`Americas`) SKU. */
  readonly regions: readonly string[];
  /** `h`, `GiBy.h` or `GiBy.mo`. */
  readonly usageUnit: 'h' | 'GiBy.h' | 'GiBy.mo';
  readonly usd: number;
  /** Default: `OnDemand`. */
  readonly usageType?: 'OnDemand' | 'Preemptible' | 'Commit1Yr';
  readonly resourceGroup?: string;
}

export type BillingFault = 'truncated-page-2' | 'malformed-page-2' | 'server-error' | undefined;

export interface FakeGceBillingOptions {
  readonly rates: readonly FakeSkuRate[];
  /** The API key the fake accepts. */
  readonly apiKey: string;
  /** Effective time of every price. Default: `2026-10-15T00:00:00Z`. */
  readonly effectiveTime?: string;
  /** Largest page the fake serves whatever `pageSize` asks. Default: 3 (to force paging). */
  readonly maxPageSize?: number;
}

export interface FakeGceBilling extends FakeServer {
  setFault(fault: BillingFault): void;
}

export const SKUS_PATH = '/v1/services/6F81-5844-456A/skus';

export async function startFakeGceBilling(options: FakeGceBillingOptions): Promise<FakeGceBilling> {
  let fault: BillingFault;
  const skus = [...options.rates.map((rate, index) => sku(rate, index, options.effectiveTime)), ...noise(options.effectiveTime)];
  const server = await startFakeServer((request): FakeResponse => {
    if (request.method !== 'GET' || request.path !== SKUS_PATH)
      return { status: 404, body: { error: { code: 404, message: 'Not found', status: 'NOT_FOUND' } } };
    const key = request.headers['x-goog-api-key'] ?? request.query.get('key');
    if (key === undefined || key === null) {
      return {
        status: 403,
        body: { error: { code: 403, message: 'The request is missing a valid API key.', status: 'PERMISSION_DENIED' } },
      };
    }
    if (key !== options.apiKey) {
      return {
        status: 400,
        body: { error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT' } },
      };
    }
    if (fault === 'server-error')
      return { status: 503, body: { error: { code: 503, message: 'The service is currently unavailable.', status: 'UNAVAILABLE' } } };
    const pageSize = Math.min(Number(request.query.get('pageSize') ?? 5000), options.maxPageSize ?? 3);
    const start = Number(request.query.get('pageToken') || 0);
    const page = skus.slice(start, start + pageSize);
    const next = start + pageSize < skus.length ? String(start + pageSize) : '';
    const text = JSON.stringify({ skus: page, nextPageToken: next }, null, 2);
    if (start > 0 && fault === 'truncated-page-2')
      return { status: 200, headers: { 'content-type': 'application/json' }, body: text.slice(0, text.length - 40) };
    if (start > 0 && fault === 'malformed-page-2') return { status: 200, body: { nextPageToken: '' } };
    return { status: 200, headers: { 'content-type': 'application/json; charset=UTF-8' }, body: text };
  });
  return { ...server, setFault: (next) => (fault = next) };
}

function sku(rate: FakeSkuRate, index: number, effectiveTime = '2026-10-15T00:00:00Z') {
  const skuId = `FAKE-${String(index).padStart(4, '0')}-${rate.usageUnit === 'h' ? 'H' : 'G'}`;
  const units = Math.floor(rate.usd);
  const nanos = Math.round((rate.usd - units) * 1e9);
  const where = rate.regions.length > 1 ? 'Americas' : rate.regions[0];
  return {
    name: `services/6F81-5844-456A/skus/${skuId}`,
    skuId,
    description: `${rate.description} running in ${where}`,
    category: {
      serviceDisplayName: 'Compute Engine',
      resourceFamily: /Storage/.test(rate.description) ? 'Storage' : 'Compute',
      resourceGroup:
        rate.resourceGroup ??
        (/Core/.test(rate.description) ? 'CPU' : /Ram/.test(rate.description) ? 'RAM' : /GPU/.test(rate.description) ? 'GPU' : 'LocalSSD'),
      usageType: rate.usageType ?? 'OnDemand',
    },
    serviceRegions: rate.regions,
    pricingInfo: [
      {
        summary: '',
        pricingExpression: {
          usageUnit: rate.usageUnit,
          displayQuantity: 1,
          tieredRates: [{ startUsageAmount: 0, unitPrice: { currencyCode: 'USD', units: String(units), nanos } }],
          usageUnitDescription: rate.usageUnit === 'h' ? 'hour' : rate.usageUnit === 'GiBy.h' ? 'gibibyte hour' : 'gibibyte month',
          baseUnit: rate.usageUnit === 'h' ? 's' : rate.usageUnit === 'GiBy.h' ? 'By.s' : 'By.s',
          baseUnitDescription: rate.usageUnit === 'h' ? 'second' : 'byte second',
          baseUnitConversionFactor: rate.usageUnit === 'h' ? 3600 : rate.usageUnit === 'GiBy.h' ? 3865470566400 : 2.8759101014016e15,
        },
        currencyConversionRate: 1,
        effectiveTime,
      },
    ],
    serviceProviderName: 'Google',
    geoTaxonomy: { type: rate.regions.length > 1 ? 'MULTI_REGIONAL' : 'REGIONAL', regions: rate.regions },
  };
}

/** SKUs the real listing has that must not price an on-demand machine type. */
function noise(effectiveTime?: string) {
  const rates: FakeSkuRate[] = [
    { description: 'Spot Preemptible E2 Instance Core', regions: ['us-central1'], usageUnit: 'h', usd: 0.0065, usageType: 'Preemptible' },
    {
      description: 'Commitment v1: E2 Cpu in Americas for 1 Year',
      regions: ['us-central1'],
      usageUnit: 'h',
      usd: 0.0137,
      usageType: 'Commit1Yr',
    },
    { description: 'N2 Custom Instance Core', regions: ['us-central1'], usageUnit: 'h', usd: 0.033, resourceGroup: 'CPU' },
    { description: 'N2 Custom Extended Instance Ram', regions: ['us-central1'], usageUnit: 'GiBy.h', usd: 0.0096 },
    { description: 'Sole Tenancy Instance Core', regions: ['us-central1'], usageUnit: 'h', usd: 0.0347 },
    {
      description: 'Memory Optimized Upgrade Premium for Memory-optimized Instance Core',
      regions: ['us-central1'],
      usageUnit: 'h',
      usd: 0.0196,
    },
    { description: 'Network Internet Egress from Americas to Americas', regions: ['us-central1'], usageUnit: 'GiBy.mo', usd: 0.12 },
  ];
  return rates.map((rate, index) => sku(rate, 9000 + index, effectiveTime));
}
