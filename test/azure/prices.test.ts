/**
 * Azure prices in the Retail Prices API's item format: the bundled and a given catalog (offline),
 * and live prices from the Retail Prices API format (`{ Items, NextPageLink }`), served over
 * HTTPS on loopback: Linux pay-as-you-go hourly items only, every page followed on the configured
 * host, and `null` (never 0) for a size without a price.
 */
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import type { AzureFake } from '../fakes/azure/index.js';
import { loopbackCertificate } from '../fakes/azure/tls.js';
import { BUNDLED_AZURE_PRICES, priceTableFromItems } from '../../providers/azure/price-catalog.js';
import { createAzureDriver } from '../../providers/azure/index.js';
import { AZURE_SUBSCRIPTION, startAzure } from './harness.js';

const item = (armSkuName: string, retailPrice: number, extra: Record<string, unknown> = {}) => ({
  currencyCode: 'USD',
  retailPrice,
  unitPrice: retailPrice,
  armRegionName: 'westeurope',
  effectiveStartDate: '2026-06-01T00:00:00Z',
  meterName: armSkuName.replace('Standard_', ''),
  productName: 'Virtual Machines BS Series',
  skuName: armSkuName.replace('Standard_', ''),
  serviceName: 'Virtual Machines',
  type: 'Consumption',
  unitOfMeasure: '1 Hour',
  armSkuName,
  ...extra,
});

let fake: AzureFake | undefined;
const closers: (() => void)[] = [];
afterEach(async () => {
  await fake?.close();
  for (const close of closers.splice(0)) close();
});

it('prices sizes from every page of the Retail Prices API, Linux pay-as-you-go only, null when absent', async () => {
  const certificate = loopbackCertificate();
  const queries: string[] = [];
  const prices = createServer({ cert: certificate.cert, key: certificate.key }, (request, response) => {
    const url = new URL(request.url ?? '/', 'https://127.0.0.1');
    queries.push(url.search);
    const second = url.searchParams.get('$skip') === '100';
    const body = second
      ? { Items: [item('Standard_D2s_v5', 0.115)], NextPageLink: null }
      : {
          Items: [
            item('Standard_B2s', 0.0456),
            item('Standard_B2s', 0.0616, { productName: 'Virtual Machines BS Series Windows' }),
            item('Standard_B2s', 0.0091, { skuName: 'B2s Spot', meterName: 'B2s Spot' }),
          ],
          // The API's links name its own host; the driver must stay on the configured one.
          NextPageLink: `https://prices.azure.com:443/api/retail/prices?${url.searchParams.toString()}&$skip=100`,
        };
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => prices.listen(0, '127.0.0.1', resolve));
  closers.push(() => prices.close());
  const pricesEndpoint = `https://127.0.0.1:${(prices.address() as AddressInfo).port}`;

  const started = await startAzure({}, { priceSource: 'live', pricesEndpoint });
  fake = started.fake;
  const sizes = await started.driver.listSizes({ location: 'westeurope' });
  const byId = Object.fromEntries(sizes.map((size) => [size.id, size.price]));
  expect(byId.Standard_B2s).toEqual({ hourly: 0.0456, monthly: 33.288, currency: 'USD', source: 'provider-api', asOf: '2026-06-01' });
  expect(byId.Standard_D2s_v5?.hourly).toBe(0.115);
  expect(byId.Standard_B1s).toBeNull();
  expect(queries).toHaveLength(2);
  expect(decodeURIComponent(queries[0] ?? '')).toContain("armRegionName eq 'westeurope'");
});

/** A loopback Retail Prices API answering each request with `answer`; counts what it received. */
async function startPriceServer(answer: (url: URL, count: number) => { status?: number; body: string }) {
  const certificate = loopbackCertificate();
  const seen: URL[] = [];
  const server = createServer({ cert: certificate.cert, key: certificate.key }, (request, response) => {
    const url = new URL(request.url ?? '/', 'https://127.0.0.1');
    seen.push(url);
    const { status = 200, body } = answer(url, seen.length);
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => server.close());
  return { seen, endpoint: `https://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const logged = () => {
  const lines: string[] = [];
  return { lines, logger: { debug: () => undefined, warn: (line: string) => lines.push(line) } };
};

it('the bundled catalog keeps the documentation’s example items, none a Linux pay-as-you-go price: every size is null', async () => {
  expect(BUNDLED_AZURE_PRICES.provenance.origin).toContain('learn.microsoft.com');
  expect(BUNDLED_AZURE_PRICES.items).toHaveLength(3);
  expect(priceTableFromItems(BUNDLED_AZURE_PRICES.items, 'catalog', '2021-12-13').size).toBe(0);
  const started = await startAzure();
  fake = started.fake;
  const sizes = await started.driver.listSizes({ location: 'westeurope' });
  expect(sizes.length).toBeGreaterThan(0);
  expect(sizes.map((size) => size.price)).toEqual(sizes.map(() => null));
});

it('a catalog of Retail Prices items prices sizes offline: hourly, monthly, currency, source and date; others null', async () => {
  const priceCatalog = {
    provenance: { origin: 'pages saved from prices.azure.com', date: '2026-06-02', license: 'Microsoft retail price list' },
    items: [
      item('Standard_B2s', 0.0456),
      item('Standard_B2s', 0.0616, { productName: 'Virtual Machines BS Series Windows' }),
      item('Standard_B1s', 0.0091, { skuName: 'B1s Low Priority', meterName: 'B1s Low Priority' }),
      item('Standard_D2s_v5', 0.096, { armRegionName: 'eastus', effectiveStartDate: undefined }),
      item('Standard_D2s_v5', 0.115),
      item('Standard_D2s_v5', 0.104, { effectiveStartDate: '2025-01-01T00:00:00Z' }),
    ],
  };
  const started = await startAzure({}, { priceCatalog });
  fake = started.fake;
  const byId = Object.fromEntries((await started.driver.listSizes({ location: 'westeurope' })).map((size) => [size.id, size.price]));
  expect(byId.Standard_B2s).toEqual({ hourly: 0.0456, monthly: 33.288, currency: 'USD', source: 'catalog', asOf: '2026-06-01' });
  // The newest of two qualifying items wins.
  expect(byId.Standard_D2s_v5).toEqual({ hourly: 0.115, monthly: 83.95, currency: 'USD', source: 'catalog', asOf: '2026-06-01' });
  expect(byId.Standard_B1s).toBeNull();
  expect(byId.Standard_B1s).not.toBe(0);
  const eastus = Object.fromEntries((await started.driver.listSizes({ location: 'eastus' })).map((size) => [size.id, size.price]));
  // An item without a date carries the snapshot's.
  expect(eastus.Standard_D2s_v5).toEqual({ hourly: 0.096, monthly: 70.08, currency: 'USD', source: 'catalog', asOf: '2026-06-02' });
  expect(eastus.Standard_B2s).toBeNull();
  expect(() => createAzureDriver({ subscriptionId: AZURE_SUBSCRIPTION, priceSource: 'cheap' as never })).toThrow(/priceSource/);
  expect(() => createAzureDriver({ subscriptionId: AZURE_SUBSCRIPTION, priceCatalog: {} as never })).toThrow(/priceCatalog/);
});

it('live prices are cached per region: a second listing asks the API nothing', async () => {
  const api = await startPriceServer(() => ({ body: JSON.stringify({ Items: [item('Standard_B2s', 0.0456)], NextPageLink: null }) }));
  const started = await startAzure({}, { priceSource: 'live', pricesEndpoint: api.endpoint });
  fake = started.fake;
  await started.driver.listSizes({ location: 'westeurope' });
  const again = await started.driver.listSizes({ location: 'westeurope' });
  expect(again.find((size) => size.id === 'Standard_B2s')?.price?.hourly).toBe(0.0456);
  expect(api.seen).toHaveLength(1);
});

it('a live price API that links every page to another stops at the page cap: prices null, logged, listing still answers', async () => {
  const api = await startPriceServer((url, count) => ({
    body: JSON.stringify({ Items: [], NextPageLink: `https://prices.azure.com/api/retail/prices?$skip=${count * 100}` }),
  }));
  const log = logged();
  const started = await startAzure({}, { priceSource: 'live', pricesEndpoint: api.endpoint, bounds: { maxPages: 5 }, logger: log.logger });
  fake = started.fake;
  const sizes = await started.driver.listSizes({ location: 'westeurope' });
  expect(sizes.length).toBeGreaterThan(0);
  expect(sizes.every((size) => size.price === null)).toBe(true);
  expect(api.seen).toHaveLength(5);
  expect(log.lines.filter((line) => /maxPages/.test(line))).toHaveLength(1);
});

it('a live price answer larger than the body bound is refused: prices null, logged', async () => {
  const filler = 'x'.repeat(64 * 1024);
  const api = await startPriceServer(() => ({
    body: JSON.stringify({ Items: [item('Standard_B2s', 0.0456, { filler })], NextPageLink: null }),
  }));
  const log = logged();
  const started = await startAzure(
    {},
    { priceSource: 'live', pricesEndpoint: api.endpoint, bounds: { maxBodyBytes: 16 * 1024 }, logger: log.logger },
  );
  fake = started.fake;
  const sizes = await started.driver.listSizes({ location: 'westeurope' });
  expect(sizes.find((size) => size.id === 'Standard_B2s')?.price).toBeNull();
  expect(api.seen).toHaveLength(1);
  expect(log.lines.join('\n')).toMatch(/maxBodyBytes/);
});

it('a live price API that fails gives null prices (never 0) and is asked again on the next call', async () => {
  const api = await startPriceServer((url, count) =>
    count <= 3
      ? { status: 503, body: '{"error":"unavailable"}' }
      : { body: JSON.stringify({ Items: [item('Standard_B2s', 0.0456)], NextPageLink: null }) },
  );
  const log = logged();
  const started = await startAzure({}, { priceSource: 'live', pricesEndpoint: api.endpoint, logger: log.logger });
  fake = started.fake;
  const first = await started.driver.listSizes({ location: 'westeurope' });
  expect(first.find((size) => size.id === 'Standard_B2s')?.price).toBeNull();
  // The harness's retry budget: 1 attempt + 2 retries.
  expect(api.seen).toHaveLength(3);
  expect(log.lines.filter((line) => /HTTP 503/.test(line))).toHaveLength(1);
  const second = await started.driver.listSizes({ location: 'westeurope' });
  expect(second.find((size) => size.id === 'Standard_B2s')?.price?.hourly).toBe(0.0456);
  expect(api.seen).toHaveLength(4);
});
