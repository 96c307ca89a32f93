/**
 * The Cloud Billing price listing keeps the same page cap as every driver listing (issue 18): a
 * server whose every SKU page links to another stops at `maxPages` with the shared typed error,
 * after exactly that many requests.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isCloudError, type CloudError } from '../../src/core/errors.js';
import { BOUND_CODES } from '../../src/core/limits.js';
import { fetchGceBillingCatalog } from '../../providers/gce/price-billing.js';

let requests = 0;
const server = createServer((_request, response) => {
  requests += 1;
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ skus: [], nextPageToken: `page-${requests + 1}` }));
});
let url = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it('SKU pages that link on for ever stop at maxPages with the shared page-limit error, after exactly maxPages requests', async () => {
  const error = await fetchGceBillingCatalog({
    endpoint: url,
    apiKey: 'billing-test-key-not-real',
    machineTypes: {},
    retry: { retries: 0 },
    bounds: { maxPages: 7 },
  }).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(isCloudError(error), String(error)).toBe(true);
  expect((error as CloudError).code).toBe(BOUND_CODES.pageLimit);
  expect((error as CloudError).message).toContain('maxPages');
  expect(requests).toBe(7);
});
