/**
 * The shared REST layer (`src/rest/`) over a loopback server: auth, retries, rate limits,
 * error mapping, malformed answers, cancellation, timeouts and pagination that stays on the
 * configured endpoint.
 */
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  isAuthenticationError,
  isCloudError,
  isInvalidRequestError,
  isNodeNotFoundError,
  isProviderUnavailableError,
  isQuotaError,
  isRateLimitError,
  isTimeoutError,
  type CloudError,
  type InvalidRequestError,
  type RateLimitError,
  type TimeoutError,
} from '../src/core/errors.js';
import { createRestClient, field, rateLimitDelayMs, urlPath, type ErrorBodyParser, type RestClientOptions } from '../src/rest/index.js';
import { Secret } from '../src/core/secrets.js';
import { rejectionOf } from './conformance/suite.js';
import { startFakeServer, type FakeHandler, type FakeServer } from './fakes/http-server.js';

const TOKEN = 'http-test-token-5c1f0a9e77';
const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handler: FakeHandler): Promise<FakeServer> {
  const server = await startFakeServer(handler);
  servers.push(server);
  return server;
}

/** DigitalOcean-style error bodies: `{ id, message, request_id }`. */
const parseErrorBody: ErrorBodyParser = (body) => {
  if (typeof body !== 'object' || body === null) return undefined;
  const { id, message, request_id: requestId } = body as Record<string, unknown>;
  return {
    ...(typeof message === 'string' ? { message } : {}),
    ...(typeof id === 'string' ? { code: id } : {}),
    ...(typeof requestId === 'string' ? { requestId } : {}),
    ...(id === 'droplet_limit_exceeded' ? { kind: 'quota' as const } : {}),
  };
};

function client(server: { url: string }, overrides: Partial<RestClientOptions> = {}) {
  return createRestClient({
    provider: 'digitalocean',
    endpoint: server.url,
    token: new Secret(TOKEN),
    parseErrorBody,
    retry: { minDelayMs: 5, maxDelayMs: 20, jitter: false },
    ...overrides,
  });
}

function expectNoToken(error: unknown): void {
  const seen = [
    String(error),
    JSON.stringify(error),
    inspect(error, { depth: 10 }),
    String((error as Error).stack),
    inspect((error as Error).cause, { depth: 10 }),
  ];
  for (const text of seen) expect(text).not.toContain(TOKEN);
}

describe('REST client: requests', () => {
  it('sends the bearer token, JSON body and encoded query to the configured endpoint', async () => {
    const server = await serve(() => ({ status: 201, body: { droplet: { id: 7 } }, headers: { 'x-request-id': 'req-1' } }));
    const response = await client(server).request<{ droplet: { id: number } }>({
      method: 'POST',
      path: urlPath`/v2/droplets/${'a b/c'}`,
      query: { tag_name: 'env:prod', page: 2, skip: undefined, multi: ['x', 'y'] },
      body: { name: 'web-1' },
      operation: 'createNode',
    });
    expect(response.status).toBe(201);
    expect(response.data.droplet.id).toBe(7);
    expect(response.requestId).toBe('req-1');
    const [received] = server.requests;
    expect(received?.method).toBe('POST');
    expect(received?.path).toBe('/v2/droplets/a%20b%2Fc');
    expect(received?.query.get('tag_name')).toBe('env:prod');
    expect(received?.query.get('page')).toBe('2');
    expect(received?.query.has('skip')).toBe(false);
    expect(received?.query.getAll('multi')).toEqual(['x', 'y']);
    expect(received?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(received?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(received?.body ?? '')).toEqual({ name: 'web-1' });
  });

  it('checks the endpoint and the token before any request', () => {
    const bad = (options: Partial<RestClientOptions>) => {
      try {
        client({ url: 'http://127.0.0.1:1' }, options);
      } catch (error) {
        return error as InvalidRequestError;
      }
      throw new Error('expected createRestClient to throw');
    };
    expect(bad({ endpoint: 'http://api.example.com' }).field).toBe('endpoint');
    expect(bad({ endpoint: 'https://user:pw@api.example.com' }).field).toBe('endpoint');
    expect(bad({ token: new Secret('abc\r\nX-Evil: 1') }).field).toBe('token');
    expect(bad({ token: new Secret('') }).field).toBe('token');
  });

  it('refuses paths that could leave the endpoint', async () => {
    const server = await serve(() => ({ status: 200, body: {} }));
    for (const path of ['//evil.example/v2/droplets', 'https://evil.example/v2', 'v2/droplets', '/v2/droplets?page=2']) {
      const error = await rejectionOf(client(server).request({ method: 'GET', path, operation: 'listNodes' }));
      expect(isCloudError(error), String(error)).toBe(true);
    }
    expect(server.requests).toHaveLength(0);
  });

  it('does not follow redirects (they could carry the token elsewhere)', async () => {
    const elsewhere = await serve(() => ({ status: 200, body: { stolen: true } }));
    const server = await serve(() => ({ status: 302, headers: { location: `${elsewhere.url}/v2/droplets` } }));
    const error = await rejectionOf(
      client(server).request({ method: 'GET', path: '/v2/droplets', operation: 'listNodes', idempotent: false }),
    );
    expect(isCloudError(error)).toBe(true);
    expect((error as CloudError).statusCode).toBe(302);
    expect(elsewhere.requests).toHaveLength(0);
  });
});

describe('REST client: error mapping', () => {
  it('maps statuses to CloudErrors with provider message, code and request id, without the token', async () => {
    const answers: Record<string, { status: number; body: unknown }> = {
      '/401': { status: 401, body: { id: 'unauthorized', message: 'Unable to authenticate you', request_id: 'rid-401' } },
      '/422': { status: 422, body: { id: 'unprocessable_entity', message: 'Name is invalid', request_id: 'rid-422' } },
      '/quota': { status: 422, body: { id: 'droplet_limit_exceeded', message: 'creating this droplet will exceed your droplet limit' } },
      '/404': { status: 404, body: { id: 'not_found', message: 'The resource you requested could not be found.' } },
    };
    const server = await serve((request) => answers[request.path] ?? { status: 500, body: 'no' });
    const rest = client(server);
    const unauthorized = await rejectionOf(rest.request({ method: 'GET', path: '/401', operation: 'listNodes' }));
    expect(isAuthenticationError(unauthorized)).toBe(true);
    expect((unauthorized as CloudError).requestId).toBe('rid-401');
    expect((unauthorized as CloudError).message).toContain('Unable to authenticate you');
    expect((unauthorized as CloudError).message).toMatch(/^listNodes: .*provider digitalocean/);
    expectNoToken(unauthorized);

    const invalid = await rejectionOf(rest.request({ method: 'POST', path: '/422', body: {}, operation: 'createNode' }));
    expect(isInvalidRequestError(invalid)).toBe(true);
    expect((invalid as CloudError).code).toBe('unprocessable_entity');
    expect((invalid as CloudError).statusCode).toBe(422);

    expect(isQuotaError(await rejectionOf(rest.request({ method: 'POST', path: '/quota', body: {}, operation: 'createNode' })))).toBe(true);

    const missing = await rejectionOf(rest.request({ method: 'GET', path: '/404', operation: 'getNode', nodeId: '42' }));
    expect(isNodeNotFoundError(missing)).toBe(true);
    expect(server.requests).toHaveLength(4); // none of these is retried
  });

  it('turns a truncated or non-JSON success body into a CloudError, not a TypeError', async () => {
    const server = await serve((request) =>
      request.path === '/truncated'
        ? { status: 200, body: '{"droplets": [{"id": 1, "na', headers: { 'content-type': 'application/json' } }
        : { status: 200, body: { droplets: 'nope' } },
    );
    const rest = client(server, { retry: { retries: 1, minDelayMs: 1, jitter: false } });
    const truncated = await rejectionOf(rest.request({ method: 'GET', path: '/truncated', operation: 'listNodes' }));
    expect(isCloudError(truncated)).toBe(true);
    expect((truncated as CloudError).code).toBe('malformed-response');
    expect(server.requests).toHaveLength(2); // a GET with a broken body is retried once, then reported

    const response = await rest.request({ method: 'GET', path: '/wrong-shape', operation: 'listNodes' });
    const wrongShape = (() => {
      try {
        return field(response, 'droplets', 'array', { provider: 'digitalocean', operation: 'listNodes' });
      } catch (error) {
        return error;
      }
    })();
    expect(isCloudError(wrongShape)).toBe(true);
    expect((wrongShape as CloudError).message).toContain('"droplets" to be an array');
  });

  it('reports a refused connection as a retryable ProviderUnavailableError whose cause holds no request config', async () => {
    const server = await serve(() => ({ status: 200, body: {} }));
    const url = server.url;
    await servers.splice(0)[0]?.close();
    const error = await rejectionOf(
      client({ url }, { retry: { retries: 1, minDelayMs: 1 } }).request({ method: 'GET', path: '/v2/droplets', operation: 'listNodes' }),
    );
    expect(isProviderUnavailableError(error), String(error)).toBe(true);
    expect((error as CloudError).retryable).toBe(true);
    expect((error as CloudError).code).toBe('ECONNREFUSED');
    const cause = (error as Error).cause as Record<string, unknown>;
    expect(cause).toBeInstanceOf(Error);
    expect(Object.keys(cause)).not.toContain('config');
    expectNoToken(error);
  });

  it('times out with a TimeoutError naming the limit', async () => {
    const server = await serve(() => new Promise((resolve) => setTimeout(() => resolve({ status: 200, body: {} }), 60_000).unref()));
    const error = await rejectionOf(
      client(server, { timeoutMs: 100, retry: { retries: 0 } }).request({ method: 'GET', path: '/slow', operation: 'listNodes' }),
    );
    expect(isTimeoutError(error), String(error)).toBe(true);
    expect((error as TimeoutError).timeoutMs).toBe(100);
  });

  it('cancels with the AbortSignal and rejects with its reason', async () => {
    const server = await serve(() => new Promise((resolve) => setTimeout(() => resolve({ status: 200, body: {} }), 60_000).unref()));
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    setTimeout(() => controller.abort(reason), 50);
    const started = Date.now();
    const error = await rejectionOf(
      client(server).request({ method: 'GET', path: '/slow', operation: 'listNodes', signal: controller.signal }),
    );
    expect(error).toBe(reason);
    // The server would answer after 60 s: only the abort ends the call; the bound only catches a hang.
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

describe('REST client: retries', () => {
  it('waits out a 429 Retry-After, then succeeds', async () => {
    let calls = 0;
    const server = await serve(() =>
      ++calls === 1
        ? { status: 429, headers: { 'retry-after': '1' }, body: { id: 'too_many_requests', message: 'API rate limit exceeded' } }
        : { status: 200, body: { ok: true } },
    );
    const started = Date.now();
    const response = await client(server).request<{ ok: boolean }>({ method: 'GET', path: '/v2/sizes', operation: 'listSizes' });
    expect(response.data.ok).toBe(true);
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('reads the rate-limit reset header when there is no Retry-After', async () => {
    const resetAt = Math.floor(Date.now() / 1000) + 30;
    const server = await serve(() => ({
      status: 429,
      headers: { 'ratelimit-reset': String(resetAt) },
      body: { id: 'too_many_requests', message: 'slow down' },
    }));
    const error = (await rejectionOf(
      client(server, { retry: { retries: 0 } }).request({ method: 'GET', path: '/v2/sizes', operation: 'listSizes' }),
    )) as RateLimitError;
    expect(isRateLimitError(error)).toBe(true);
    expect(error.retryAfterMs).toBeGreaterThan(25_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(30_000);
    expect(rateLimitDelayMs({ 'x-ratelimit-reset': '5' }, ['x-ratelimit-reset'])).toBe(5_000);
    expect(rateLimitDelayMs({ 'retry-after': '2', 'ratelimit-reset': String(resetAt) }, ['ratelimit-reset'])).toBe(2_000);
  });

  it('gives up on a Retry-After longer than maxRetryAfterMs instead of blocking', async () => {
    const server = await serve(() => ({ status: 429, headers: { 'retry-after': '3600' }, body: {} }));
    const error = (await rejectionOf(
      client(server).request({ method: 'GET', path: '/v2/sizes', operation: 'listSizes' }),
    )) as RateLimitError;
    expect(error.retryAfterMs).toBe(3_600_000);
    expect(server.requests).toHaveLength(1);
  });

  it('retries 5xx on a read, and gives up after the configured attempts', async () => {
    let calls = 0;
    const flaky = await serve(() => (++calls <= 2 ? { status: 503, body: 'upstream down' } : { status: 200, body: { ok: 1 } }));
    expect((await client(flaky).request({ method: 'GET', path: '/v2/droplets', operation: 'listNodes' })).status).toBe(200);
    expect(flaky.requests).toHaveLength(3);

    const down = await serve(() => ({ status: 502, body: { id: 'server_error', message: 'bad gateway', request_id: 'rid-502' } }));
    const error = await rejectionOf(
      client(down, { retry: { retries: 2, minDelayMs: 1, jitter: false } }).request({
        method: 'GET',
        path: '/v2/droplets',
        operation: 'listNodes',
      }),
    );
    expect(isProviderUnavailableError(error)).toBe(true);
    expect((error as CloudError).requestId).toBe('rid-502');
    expect(down.requests).toHaveLength(3);
  });

  it('never repeats a non-idempotent write after a 5xx, but does after a 429', async () => {
    const failing = await serve(() => ({ status: 500, body: { id: 'server_error', message: 'oops' } }));
    const error = await rejectionOf(
      client(failing).request({ method: 'POST', path: '/v2/droplets', body: { name: 'a' }, operation: 'createNode' }),
    );
    expect(isProviderUnavailableError(error)).toBe(true);
    expect(failing.requests).toHaveLength(1);

    let calls = 0;
    const throttled = await serve(() =>
      ++calls === 1 ? { status: 429, headers: { 'retry-after': '0' }, body: {} } : { status: 202, body: { action: { id: 1 } } },
    );
    const response = await client(throttled).request({
      method: 'POST',
      path: '/v2/droplets/1/actions',
      body: { type: 'reboot' },
      operation: 'rebootNode',
    });
    expect(response.status).toBe(202);
    expect(throttled.requests).toHaveLength(2);

    let marked = 0;
    const flaky = await serve(() => (++marked === 1 ? { status: 503, body: '' } : { status: 201, body: {} }));
    await client(flaky).request({ method: 'POST', path: '/v2/things', body: {}, idempotent: true, operation: 'createNode' });
    expect(flaky.requests).toHaveLength(2);
  });
});

describe('REST client: pagination', () => {
  const listing = (pages: number, link: (page: number) => string) => (request: { query: URLSearchParams }) => {
    const page = Number(request.query.get('page') ?? '1');
    return { status: 200, body: { items: [page * 10, page * 10 + 1], links: page < pages ? { pages: { next: link(page + 1) } } : {} } };
  };
  const nextLink = (page: { data: { links?: { pages?: { next?: string } } } }) => {
    const next = page.data.links?.pages?.next;
    return next ? { link: next } : undefined;
  };

  it("follows every page, keeping the first request's filters", async () => {
    const server = await serve(listing(3, (page) => `https://api.digitalocean.com/v2/droplets?page=${page}&per_page=2`));
    const items: number[] = [];
    for await (const page of client(server).paginate<{ items: number[]; links?: { pages?: { next?: string } } }>(
      { method: 'GET', path: '/v2/droplets', query: { per_page: 2, tag_name: 'env:prod' }, operation: 'listNodes' },
      nextLink,
    )) {
      items.push(...page.data.items);
    }
    expect(items).toEqual([10, 11, 20, 21, 30, 31]);
    expect(server.requests.map((request) => request.url)).toEqual([
      '/v2/droplets?per_page=2&tag_name=env%3Aprod',
      '/v2/droplets?per_page=2&tag_name=env%3Aprod&page=2',
      '/v2/droplets?per_page=2&tag_name=env%3Aprod&page=3',
    ]);
  });

  it('follows a next link on another host only on the configured endpoint', async () => {
    const other = await serve(listing(2, (page) => `/v2/droplets?page=${page}`));
    const server = await serve(listing(2, (page) => `${other.url}/v2/droplets?page=${page}`));
    const pages = [];
    for await (const page of client(server).paginate({ method: 'GET', path: '/v2/droplets', operation: 'listNodes' }, nextLink))
      pages.push(page);
    expect(pages).toHaveLength(2);
    expect(server.requests).toHaveLength(2);
    expect(other.requests).toHaveLength(0);
    expect(server.requests.every((request) => request.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('keeps the endpoint base path when rebasing a link', async () => {
    const server = await serve(listing(2, (page) => `https://api.hetzner.cloud/v1/servers?page=${page}`));
    const rest = createRestClient({ provider: 'hetzner', endpoint: `${server.url}/v1`, token: new Secret(TOKEN) });
    let pages = 0;
    for await (const page of rest.paginate({ method: 'GET', path: '/servers', operation: 'listNodes' }, nextLink))
      pages += page.status === 200 ? 1 : 0;
    expect(pages).toBe(2);
    expect(server.requests.map((request) => request.url)).toEqual(['/v1/servers', '/v1/servers?page=2']);
  });

  it('refuses a next link to a different resource, and a pagination loop', async () => {
    const elsewhere = await serve(listing(2, () => 'https://api.digitalocean.com/v2/account/keys?page=2'));
    const pages = client(elsewhere).paginate({ method: 'GET', path: '/v2/droplets', operation: 'listNodes' }, nextLink);
    await pages.next();
    const error = await rejectionOf(pages.next());
    expect(isCloudError(error)).toBe(true);
    expect((error as CloudError).code).toBe('bad-pagination');
    expect(elsewhere.requests).toHaveLength(1);

    const looping = await serve(listing(5, () => '/v2/droplets?page=1'));
    const loop = client(looping).paginate({ method: 'GET', path: '/v2/droplets', query: { page: 1 }, operation: 'listNodes' }, nextLink);
    await loop.next();
    expect(((await rejectionOf(loop.next())) as CloudError).code).toBe('bad-pagination');
  });

  it('pages by query cursor (Hetzner next_page, Linode page/pages)', async () => {
    const server = await serve((request) => {
      const page = Number(request.query.get('page') ?? '1');
      return { status: 200, body: { data: [page], page, pages: 3 } };
    });
    const seen: number[] = [];
    for await (const page of client(server).paginate<{ data: number[]; page: number; pages: number }>(
      { method: 'GET', path: '/v4/linode/instances', query: { page_size: 25 }, operation: 'listNodes' },
      ({ data }) => (data.page < data.pages ? { query: { page: data.page + 1 } } : undefined),
    )) {
      seen.push(...page.data.data);
    }
    expect(seen).toEqual([1, 2, 3]);
    expect(server.requests.map((request) => request.query.get('page_size'))).toEqual(['25', '25', '25']);
  });

  it('retries a 5xx on a page and carries on', async () => {
    let failed = false;
    const handler = listing(3, (page) => `/v2/droplets?page=${page}`);
    const server = await serve((request) => {
      if (request.query.get('page') === '2' && !failed) {
        failed = true;
        return { status: 500, body: { id: 'server_error', message: 'try again' } };
      }
      return handler(request);
    });
    let count = 0;
    for await (const page of client(server).paginate<{ items: number[]; links?: { pages?: { next?: string } } }>(
      { method: 'GET', path: '/v2/droplets', operation: 'listNodes' },
      nextLink,
    ))
      count += page.data.items.length;
    expect(count).toBe(6);
    expect(server.requests).toHaveLength(4);
  });
});
