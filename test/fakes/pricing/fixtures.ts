/**
 * Known prices the price fakes serve, in the providers' own units. The expected figures are
 * the published on-demand prices (AWS EC2 Linux, Compute Engine list rates), so a refresh
 * against the fakes must reproduce exactly the catalog's spot checks.
 */
import type { FakeInstancePrice } from './aws-price-list.js';
import type { FakeSkuRate } from './gce-billing.js';

export const AWS_OFFER_PRICES: Readonly<Record<string, Readonly<Record<string, FakeInstancePrice>>>> = {
  'us-east-1': {
    't3.micro': { hourly: 0.0104, vcpu: 2, memory: '1 GiB' },
    'm5.large': { hourly: 0.096, vcpu: 2, memory: '8 GiB' },
    't4g.small': { hourly: 0.0168, vcpu: 2, memory: '2 GiB', physicalProcessor: 'AWS Graviton2 Processor' },
    'x2iedn.32xlarge': { hourly: 26.676, vcpu: 128, memory: '4,096 GiB' },
  },
  'eu-west-1': {
    't3.micro': { hourly: 0.0114, vcpu: 2, memory: '1 GiB' },
    'm5.large': { hourly: 0.107, vcpu: 2, memory: '8 GiB' },
  },
};

/** The E2/N2/G2 rates behind e2-standard-2 = 0.06701142, n2-standard-2 = 0.097118, e2-micro = 0.00837643 in us-central1. */
export const GCE_SKU_RATES: readonly FakeSkuRate[] = [
  { description: 'E2 Instance Core', regions: ['us-central1'], usageUnit: 'h', usd: 0.02181159 },
  { description: 'E2 Instance Ram', regions: ['us-central1'], usageUnit: 'GiBy.h', usd: 0.00292353 },
  // A multi-region SKU: the region-specific rates above must win where both exist.
  { description: 'E2 Instance Core', regions: ['us-central1', 'us-east1'], usageUnit: 'h', usd: 0.03 },
  { description: 'E2 Instance Ram', regions: ['us-central1', 'us-east1'], usageUnit: 'GiBy.h', usd: 0.004 },
  { description: 'N2 Instance Core', regions: ['us-central1'], usageUnit: 'h', usd: 0.031611 },
  { description: 'N2 Instance Ram', regions: ['us-central1'], usageUnit: 'GiBy.h', usd: 0.004237 },
  { description: 'E2 Instance Core', regions: ['europe-west3'], usageUnit: 'h', usd: 0.02578 },
  { description: 'E2 Instance Ram', regions: ['europe-west3'], usageUnit: 'GiBy.h', usd: 0.003455 },
  // g2-standard-4 (4 vCPU, 16 GiB, 1 × L4) = 0.70683226
  { description: 'G2 Instance Core', regions: ['us-central1'], usageUnit: 'h', usd: 0.02486631 },
  { description: 'G2 Instance Ram', regions: ['us-central1'], usageUnit: 'GiBy.h', usd: 0.002960189 },
  { description: 'Nvidia L4 GPU', regions: ['us-central1'], usageUnit: 'h', usd: 0.560004 },
  { description: 'Micro Instance with burstable CPU', regions: ['us-central1'], usageUnit: 'h', usd: 0.0076 },
  // c2-standard-4 (4 vCPU, 16 GiB) = 0.208808
  { description: 'Compute optimized Core', regions: ['us-central1'], usageUnit: 'h', usd: 0.03398 },
  { description: 'Compute optimized Ram', regions: ['us-central1'], usageUnit: 'GiBy.h', usd: 0.0045555 },
];

export const GCE_TEST_API_KEY = 'AIzaFakeTestKey-0123456789abcdefghij';
