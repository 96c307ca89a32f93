/**
 * The fault proxy itself: it forwards faithfully, counts per pattern, fires on schedule and
 * injects each fault the way the reliability suite relies on.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from '../fakes/http-server.js';
import { startFaultProxy, type FaultProxy, type WireFormat } from '../fakes/fault-proxy/index.js';

let upstream: FakeServer;
let proxy: FaultProxy;
const document = { items: Array.from({ length: 20 }, (_, index) => ({ id: `item-${index}`, name: `name ${index}` })) };

beforeAll(async () => {
  upstream = await startFakeServer((request) => ({ status: 200, body: { ...document, echo: request.url } }));
  proxy = await startFaultProxy(upstream.url);
});
afterAll(async () => {
  await proxy.close();
  await upstream.close();
});
afterEach(() => {
  proxy.reset();
  upstream.requests.length = 0;
});

const get = (path: string) => fetch(`${proxy.url}${path}`);

describe('fault proxy', () => {
  it('forwards requests unchanged, percent-encoding included, and records them', async () => {
    const response = await fetch(`${proxy.url}/v2/droplets/a%2Fb?page=2&per_page=5`, {
      method: 'POST',
      body: 'hello',
      headers: { authorization: 'Bearer t' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ...document, echo: '/v2/droplets/a%2Fb?page=2&per_page=5' });
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]).toMatchObject({ method: 'POST', url: '/v2/droplets/a%2Fb?page=2&per_page=5', body: 'hello' });
    expect(upstream.requests[0]?.headers.authorization).toBe('Bearer t');
    expect(proxy.requests[0]).toMatchObject({ method: 'POST', path: '/v2/droplets/a%2Fb', query: 'page=2&per_page=5', body: 'hello' });
  });

  it('reads the Query-protocol Action from the form body and counts per pattern', async () => {
    const form = (action: string) =>
      fetch(`${proxy.url}/`, {
        method: 'POST',
        body: `Action=${action}&Version=2016-11-15`,
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      });
    await form('DescribeInstances');
    await form('DescribeInstances');
    await form('RunInstances');
    expect(proxy.count({ action: 'DescribeInstances' })).toBe(2);
    expect(proxy.count({ action: /^Run/ })).toBe(1);
    expect(proxy.count({ method: 'POST', path: /^\/$/ })).toBe(3);
    expect(proxy.count()).toBe(3);
  });

  it('counts a request on every rule it matches; the first rule that fires wins', async () => {
    const outer = proxy.inject({ path: /^\/v2\//, first: 1, fault: { kind: 'server-error', format: 'linode' } });
    const inner = proxy.inject({ path: /^\/v2\/linode/, fault: { kind: 'throttle', format: 'linode' } });
    expect((await get('/v2/linode/instances')).status).toBe(503);
    expect((await get('/v2/linode/instances')).status).toBe(429);
    expect([outer.matched, outer.fired, inner.matched, inner.fired]).toEqual([2, 1, 2, 1]);
    inner.remove();
    expect((await get('/v2/linode/instances')).status).toBe(200);
  });

  it('fires rules on the first n, the nth, every k-th and from the nth matching request', async () => {
    const first = proxy.inject({ path: /^\/first/, first: 2, fault: { kind: 'server-error', format: 'digitalocean' } });
    const nth = proxy.inject({ path: /^\/nth/, nth: [2, 4], fault: { kind: 'server-error', format: 'digitalocean' } });
    const every = proxy.inject({ path: /^\/every/, every: 3, fault: { kind: 'server-error', format: 'digitalocean' } });
    const from = proxy.inject({ path: /^\/from/, from: 4, fault: { kind: 'server-error', format: 'digitalocean' } });
    const statuses = async (path: string) => {
      const result: number[] = [];
      for (let index = 0; index < 6; index += 1) result.push((await get(path)).status);
      return result;
    };
    expect(await statuses('/first')).toEqual([503, 503, 200, 200, 200, 200]);
    expect(await statuses('/nth')).toEqual([200, 503, 200, 503, 200, 200]);
    expect(await statuses('/every')).toEqual([200, 200, 503, 200, 200, 503]);
    expect(await statuses('/from')).toEqual([200, 200, 200, 503, 503, 503]);
    expect([first.matched, first.fired, nth.fired, every.fired, from.fired]).toEqual([6, 2, 2, 2, 3]);
    expect(upstream.requests).toHaveLength(24 - 9);
    expect(proxy.requests.filter((request) => request.fault === 'server-error')).toHaveLength(9);
  });

  const throttles: Record<WireFormat, (response: Response, body: string) => void> = {
    ec2: (response, body) => {
      expect(response.status).toBe(503);
      expect(body).toMatch(
        /<Response><Errors><Error><Code>RequestLimitExceeded<\/Code>.*<RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>/,
      );
    },
    openstack: (response, body) => {
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('2');
      expect(JSON.parse(body)).toMatchObject({ overLimit: { code: 429, retryAfter: '2' } });
    },
    gce: (response, body) => {
      expect(response.status).toBe(429);
      expect(JSON.parse(body)).toMatchObject({ error: { code: 429, errors: [{ reason: 'rateLimitExceeded' }] } });
    },
    digitalocean: (response, body) => {
      expect(response.status).toBe(429);
      expect(JSON.parse(body)).toMatchObject({ id: 'too_many_requests' });
      expect(response.headers.get('ratelimit-remaining')).toBe('0');
      expect(Number(response.headers.get('ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
      expect(response.headers.get('retry-after')).toBe('2');
    },
    hetzner: (response, body) => {
      expect(response.status).toBe(429);
      expect(JSON.parse(body)).toMatchObject({ error: { code: 'rate_limit_exceeded' } });
      expect(response.headers.get('ratelimit-remaining')).toBe('0');
      expect(response.headers.get('retry-after')).toBe('2');
    },
    azure: (response, body) => {
      expect(response.status).toBe(429);
      expect(JSON.parse(body)).toMatchObject({ error: { code: 'TooManyRequests' } });
      expect(response.headers.get('retry-after')).toBe('2');
      expect(response.headers.get('x-ms-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    },
    linode: (response, body) => {
      expect(response.status).toBe(429);
      expect(JSON.parse(body)).toEqual({ errors: [{ reason: 'Too Many Requests' }] });
      expect(response.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(response.headers.get('retry-after')).toBe('2');
    },
    scaleway: (response, body) => {
      expect(response.status).toBe(429);
      expect(JSON.parse(body)).toMatchObject({ type: 'too_many_requests' });
      expect(response.headers.get('retry-after')).toBe('2');
    },
    vultr: (response, body) => {
      expect(response.status).toBe(429);
      expect(JSON.parse(body)).toMatchObject({ error: expect.stringContaining('Rate limit'), status: 429 });
      expect(response.headers.get('retry-after')).toBeNull();
    },
  };
  for (const [format, check] of Object.entries(throttles) as [WireFormat, (response: Response, body: string) => void][]) {
    it(`throttles in the ${format} format without forwarding`, async () => {
      proxy.inject({ fault: { kind: 'throttle', format, retryAfterSeconds: 2 } });
      const response = await get('/anything');
      check(response, await response.text());
      expect(upstream.requests).toHaveLength(0);
    });
  }

  it('answers server errors in the provider format', async () => {
    proxy.inject({ path: /^\/compute/, fault: { kind: 'server-error', format: 'gce', status: 500 } });
    proxy.inject({ path: /^\/$/, fault: { kind: 'server-error', format: 'ec2' } });
    const gce = await get('/compute/v1/projects/p/zones/z/instances');
    expect(gce.status).toBe(500);
    expect(await gce.json()).toMatchObject({ error: { code: 500, errors: [{ reason: 'backendError' }] } });
    const ec2 = await get('/');
    expect(ec2.status).toBe(503);
    expect(await ec2.text()).toContain('<Code>Unavailable</Code>');
  });

  it('resets the connection before forwarding: the upstream never sees the request', async () => {
    proxy.inject({ fault: { kind: 'reset-before' } });
    await expect(get('/v2/droplets')).rejects.toThrow();
    expect(upstream.requests).toHaveLength(0);
    expect(proxy.count()).toBe(1);
  });

  it('resets the connection after the upstream processed the request: the answer is lost', async () => {
    proxy.inject({ method: 'POST', fault: { kind: 'reset-after' } });
    await expect(fetch(`${proxy.url}/v2/droplets`, { method: 'POST', body: '{}' })).rejects.toThrow();
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]?.method).toBe('POST');
  });

  it('truncates bodies: short but complete, or cut mid-body', async () => {
    proxy.inject({ path: /^\/short/, fault: { kind: 'truncate' } });
    proxy.inject({ path: /^\/cut/, fault: { kind: 'truncate', keepBytes: 10, cut: true } });
    const short = await get('/short');
    const text = await short.text();
    expect(short.status).toBe(200);
    expect(text.length).toBeGreaterThan(10);
    expect(JSON.stringify({ ...document, echo: '/short' }).startsWith(text)).toBe(true);
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    const cut = await get('/cut');
    await expect(cut.text()).rejects.toThrow();
  });

  it('replaces bodies with malformed ones, by default and by function', async () => {
    proxy.inject({ path: /^\/one/, fault: { kind: 'malformed' } });
    proxy.inject({ path: /^\/two/, fault: { kind: 'malformed', body: (body) => body.replace('"items"', '"items":"x","_"') } });
    const garbage = await get('/one');
    expect(garbage.status).toBe(200);
    expect(garbage.headers.get('content-type')).toContain('application/json');
    await expect(garbage.json()).rejects.toThrow(SyntaxError);
    const reshaped = await get('/two');
    expect(((await reshaped.json()) as { items: unknown }).items).toBe('x');
  });

  it('adds latency and drips bodies slowly, delivering them intact', async () => {
    proxy.inject({ path: /^\/slow/, fault: { kind: 'latency', ms: 200 } });
    proxy.inject({ path: /^\/drip/, fault: { kind: 'drip', chunkBytes: 200, intervalMs: 40 } });
    let started = performance.now();
    expect((await get('/slow')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    started = performance.now();
    const dripped = await get('/drip');
    const body = await dripped.json();
    const chunks = Math.ceil(JSON.stringify({ ...document, echo: '/drip' }).length / 200);
    expect(body).toEqual({ ...document, echo: '/drip' });
    expect(performance.now() - started).toBeGreaterThanOrEqual((chunks - 1) * 40 - 10);
  });

  it('refuses to forward anywhere but loopback', async () => {
    await expect(startFaultProxy('http://example.com:80')).rejects.toThrow(/loopback/);
  });
});
