/**
 * Live prices from the Azure Retail Prices API format (`{ Items, NextPageLink }`), served over
 * HTTPS on loopback: Linux pay-as-you-go hourly items only, every page followed on the configured
 * host, and `null` (never 0) for a size without a price.
 */
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import type { AzureFake } from '../fakes/azure/index.js';
import { loopbackCertificate } from '../fakes/azure/tls.js';
import { startAzure } from './harness.js';

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
