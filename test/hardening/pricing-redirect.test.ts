/**
 * Live prices never hand an API key to another host (issue 18): a redirect from the price API to
 * another host is refused when the request carries `X-Goog-Api-Key`, and the key never reaches the
 * other host; a same-host redirect and a keyless cross-host redirect are still followed. A price
 * document that drips in is cut off by the whole-exchange bound.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCloudError, isPermissionError, isTimeoutError } from '../../src/core/errors.js';
import { fetchJson } from '../../src/pricing/fetch-json.js';
import { startFakeServer, type FakeServer } from '../fakes/http-server.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const KEY = 'AIzaSyPLANTED-pricing-key-0123456789abcd';

let other: FakeServer;
let origin: FakeServer;
let drip: Server;
let dripUrl: string;

beforeAll(async () => {
  other = await startFakeServer(() => ({ status: 200, body: { skus: [], from: 'other' } }));
  // `localhost` and `127.0.0.1` are the same machine but different hosts to a client: enough to
  // tell "another host" without any traffic leaving loopback.
  const otherUrl = other.url.replace('127.0.0.1', 'localhost');
  origin = await startFakeServer((request) => {
    if (request.path === '/away') return { status: 302, headers: { location: `${otherUrl}/skus` } };
    if (request.path === '/here') return { status: 302, headers: { location: '/final' } };
    return { status: 200, body: { skus: [], from: 'origin' } };
  });
  drip = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.write('{"skus": [');
    const timer = setInterval(() => response.write(' '), 100);
    response.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => drip.listen(0, '127.0.0.1', resolve));
  dripUrl = `http://127.0.0.1:${(drip.address() as AddressInfo).port}/skus`;
});

afterAll(async () => {
  await Promise.all([other.close(), origin.close()]);
  drip.closeAllConnections();
  await new Promise((resolve) => drip.close(resolve));
});

const base = { provider: 'gce', operation: 'fetchPrices', retry: { retries: 0 } } as const;

describe('redirects of live price requests', () => {
  it('a request carrying X-Goog-Api-Key is not redirected to another host, and the key never gets there', async () => {
    const error = await fetchJson({ ...base, url: `${origin.url}/away`, headers: { 'x-goog-api-key': KEY } }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(isPermissionError(error), String(error)).toBe(true);
    expect(other.requests).toHaveLength(0);
    expect(JSON.stringify(error)).not.toContain(KEY);
  });

  it('a same-host redirect is followed with the key', async () => {
    const body = await fetchJson({ ...base, url: `${origin.url}/here`, headers: { 'x-goog-api-key': KEY } });
    expect(body).toEqual({ skus: [], from: 'origin' });
  });

  it('a request without a credential may follow a redirect to another host', async () => {
    const before = other.requests.length;
    const body = await fetchJson({ ...base, url: `${origin.url}/away` });
    expect(body).toEqual({ skus: [], from: 'other' });
    expect(other.requests.length).toBe(before + 1);
  });
});

describe('time bound of live price requests', () => {
  it('a document that drips in is cut off by the whole-exchange bound', async () => {
    const error = await fetchJson({ ...base, url: dripUrl, timeoutMs: 1_000 }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(isCloudError(error) && isTimeoutError(error), String(error)).toBe(true);
  });
});
