import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { HOURS_PER_MONTH, isInvalidRequestError } from '../../src/index.js';
import { loadPriceCatalog, loadPriceTable, makePrice, validateCatalogData } from '../../src/pricing/index.js';

// Published on-demand prices (USD/hour) the bundled snapshot must carry.
const SPOT_CHECKS = [
  ['aws', 't3.micro', 'us-east-1', 0.0104],
  ['aws', 'm5.large', 'us-east-1', 0.096],
  ['aws', 'm5.large', 'eu-west-1', 0.107],
  ['aws', 't4g.small', 'us-east-1', 0.0168],
  ['gce', 'e2-standard-2', 'us-central1', 0.06701142],
  ['gce', 'n2-standard-2', 'us-central1', 0.097118],
  ['gce', 'e2-micro', 'us-central1', 0.00837643],
] as const;

describe('bundled price catalog', () => {
  it.each(SPOT_CHECKS)('%s %s in %s costs %f per hour', async (provider, size, region, hourly) => {
    const catalog = await loadPriceCatalog(provider);
    const price = catalog.price(size, region);
    expect(price).not.toBeNull();
    expect(price!.hourly).toBe(hourly);
    expect(price!.monthly).toBeCloseTo(hourly * HOURS_PER_MONTH, 8);
    expect(price!.currency).toBe('USD');
    expect(price!.source).toBe('catalog');
  });

  it.each(['aws', 'gce'] as const)('%s: every price is positive, in USD, from the catalog and dated', async (provider) => {
    const table = await loadPriceTable(provider);
    let count = 0;
    for (const size of table.sizeIds()) {
      for (const region of table.regions()) {
        const price = table.price(size, region);
        if (price === null) continue;
        count += 1;
        expect(price.hourly, `${size} ${region}`).toBeGreaterThan(0);
        expect(Number.isFinite(price.hourly)).toBe(true);
        expect(price.monthly).toBeGreaterThan(0);
        expect(price.currency).toBe('USD');
        expect(price.source).toBe('catalog');
        expect(price.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    }
    expect(count).toBeGreaterThan(provider === 'aws' ? 13_000 : 17_000);
  });

  it('dates AWS prices outside us-east-1 with the older source date, us-east-1 with the newer', async () => {
    const aws = await loadPriceTable('aws');
    expect(aws.price('m5.large', 'us-east-1')!.asOf).toBe('2026-07-20');
    expect(aws.price('m5.large', 'eu-west-1')!.asOf).toBe('2024-04-04');
    expect(aws.priceAsOf('ap-southeast-2')).toBe('2024-04-04');
    expect(aws.asOf).toBe('2026-07-20');
  });

  it('keeps source, licence and date metadata inside each catalog', async () => {
    const aws = await loadPriceTable('aws');
    const gce = await loadPriceTable('gce');
    expect(aws.sources.map((source) => source.origin)).toEqual(
      expect.arrayContaining([
        'https://github.com/aws/karpenter-provider-aws',
        'https://github.com/vantage-sh/ec2instances.info',
        'https://github.com/getmoto/moto',
      ]),
    );
    expect(aws.sources.every((source) => source.license.length > 0 && /^\d{4}-\d{2}-\d{2}$/.test(source.date))).toBe(true);
    expect(gce.sources[0]).toMatchObject({
      origin: 'https://github.com/Cyclenerd/google-cloud-pricing-cost-calculator',
      license: 'Apache-2.0',
      date: '2026-07-30',
    });
    expect(aws.notes.length).toBeGreaterThan(0);
    // The MIT-licensed source's notice ships with the data, in the data module itself.
    expect(aws.notices.join('\n')).toContain('Copyright (c) 2013 Garret Heaton');
    const module = readFileSync(new URL('../../providers/aws/price-catalog.ts', import.meta.url), 'utf8');
    expect(module.slice(0, 2000)).toContain('Permission is hereby granted, free of charge');
  });

  it('resolves a zone to its region', async () => {
    const aws = await loadPriceCatalog('aws');
    const gce = await loadPriceCatalog('gce');
    expect(aws.price('t3.micro', 'us-east-1a')?.hourly).toBe(0.0104);
    expect(gce.price('e2-standard-2', 'us-central1-f')?.hourly).toBe(0.06701142);
  });

  it('answers null, never 0, for an unknown size, an unknown region or a region without a price', async () => {
    const aws = await loadPriceTable('aws');
    expect(aws.price('t99.gigantic', 'us-east-1')).toBeNull();
    expect(aws.price('t3.micro', 'mars-north-1')).toBeNull();
    // p5.48xlarge outside us-east-1 was dropped from the data (2024 price predates a price cut).
    expect(aws.price('p5.48xlarge', 'us-east-1')).not.toBeNull();
    expect(aws.price('p5.48xlarge', 'eu-west-1')).toBeNull();
    expect(aws.price('toString', 'us-east-1')).toBeNull();
    expect(aws.price('t3.micro', '__proto__')).toBeNull();
  });

  it('exposes the shape of each size', async () => {
    const aws = await loadPriceTable('aws');
    const gce = await loadPriceTable('gce');
    expect(aws.spec('t4g.small')).toEqual({ vcpus: 2, memoryGiB: 2, arch: 'arm64' });
    expect(gce.spec('e2-micro')).toEqual({ vcpus: 0.25, memoryGiB: 1, arch: 'x86_64', sharedCore: true });
    expect(gce.spec('g2-standard-4')).toMatchObject({ gpus: { l4: 1 } });
    expect(aws.spec('nope')).toBeUndefined();
  });

  it('ships bundled data that passes the catalog validation (the loader trusts it, so this test checks it)', async () => {
    const aws = await import('../../providers/aws/price-catalog.js');
    const gce = await import('../../providers/gce/price-catalog.js');
    expect(Object.keys(validateCatalogData(JSON.parse(aws.catalogJson), 'aws', 500).types).length).toBeGreaterThan(500);
    expect(Object.keys(validateCatalogData(JSON.parse(gce.catalogJson), 'gce', 100).types).length).toBeGreaterThan(100);
  });

  it('loads once: repeated loads return the same catalog', async () => {
    expect(await loadPriceCatalog('aws')).toBe(await loadPriceCatalog('aws'));
  });

  it('rejects an unknown provider or price source before doing anything', async () => {
    const provider = await loadPriceCatalog('azure' as 'aws').catch((error: unknown) => error);
    expect(isInvalidRequestError(provider)).toBe(true);
    expect((provider as { field?: string }).field).toBe('provider');
    const source = await loadPriceCatalog('aws', 'cheap' as 'live').catch((error: unknown) => error);
    expect(isInvalidRequestError(source)).toBe(true);
    expect((source as { field?: string }).field).toBe('priceSource');
  });

  it.each(['aws', 'gce'])('%s: the data module stays well under 1 MB gzipped', (provider) => {
    const text = readFileSync(new URL(`../../providers/${provider}/price-catalog.ts`, import.meta.url));
    expect(gzipSync(text).length).toBeLessThan(300 * 1024);
  });
});

describe('self-contained data', () => {
  it('no pricing or region module refers to the reference data directory', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    // The machinery in src/, the data and fetchers with their providers.
    const providerFiles = ['aws', 'gce'].flatMap((provider) =>
      [
        'regions.ts',
        'prices.ts',
        'price-catalog.ts',
        ...(provider === 'aws' ? ['price-offers.ts', 'price-offer-csv.ts'] : ['price-billing.ts']),
      ].map((file) => `providers/${provider}/${file}`),
    );
    const files = [
      'src/core/regions.ts',
      ...readdirSync(join(root, 'src/pricing'), { recursive: true, encoding: 'utf8' }).map((file) => `src/pricing/${file}`),
      ...providerFiles,
    ].filter((file) => file.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const text = readFileSync(join(root, file), 'utf8');
      expect(/\.\.\/shared|\/work\/shared/.test(text), file).toBe(false);
    }
  });
});

describe('makePrice', () => {
  it('computes monthly as hourly × 730 unless the source gives monthly', () => {
    expect(makePrice(0.01, { currency: 'USD', source: 'catalog', asOf: '2026-01-01' })).toEqual({
      hourly: 0.01,
      monthly: 7.3,
      currency: 'USD',
      source: 'catalog',
      asOf: '2026-01-01',
    });
    expect(makePrice(0.0071, { currency: 'EUR', source: 'provider-api', asOf: '2026-01-01', monthly: 4.51 })?.monthly).toBe(4.51);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, null, undefined])('is null for %s', (hourly) => {
    expect(makePrice(hourly, { currency: 'USD', source: 'catalog', asOf: '2026-01-01' })).toBeNull();
  });
});
