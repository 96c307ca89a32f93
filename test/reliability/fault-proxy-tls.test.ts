/**
 * The fault proxy's HTTPS mode (for the Azure SDKs, which send bearer tokens over TLS only): it
 * terminates TLS with the loopback certificate, forwards over TLS trusting the given CA, records
 * requests and injects faults exactly as in plain HTTP.
 */
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loopbackCertificate } from '../fakes/azure/tls.js';
import { startFaultProxy, type FaultProxy } from '../fakes/fault-proxy/index.js';

const certificate = loopbackCertificate();
let upstream: Server;
let proxy: FaultProxy;
const seen: string[] = [];

beforeAll(async () => {
  upstream = createServer({ cert: certificate.cert, key: certificate.key }, (incoming, response) => {
    seen.push(`${incoming.method} ${incoming.url}`);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ ok: true }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  proxy = await startFaultProxy(`https://127.0.0.1:${(upstream.address() as AddressInfo).port}`, {
    tls: { ...certificate, ca: certificate.cert },
  });
});

afterAll(async () => {
  await proxy.close();
  upstream.close();
});

function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(`${proxy.url}${path}`, { ca: certificate.cert, agent: false }, (answer) => {
      let body = '';
      answer.on('data', (chunk: Buffer) => (body += chunk.toString()));
      answer.on('end', () => resolve({ status: answer.statusCode ?? 0, body }));
      answer.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

it('serves HTTPS and forwards over HTTPS to the upstream, recording the request', async () => {
  expect(proxy.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  expect(await get('/a?x=1')).toEqual({ status: 200, body: '{"ok":true}' });
  expect(seen).toContain('GET /a?x=1');
  expect(proxy.count({ path: /^\/a$/ })).toBe(1);
});

it('injects faults over TLS: an ARM throttle without forwarding, a lost answer after forwarding', async () => {
  proxy.inject({ path: /^\/throttled$/, fault: { kind: 'throttle', format: 'azure', retryAfterSeconds: 3 } });
  const throttled = await get('/throttled');
  expect(throttled.status).toBe(429);
  expect(JSON.parse(throttled.body)).toMatchObject({ error: { code: 'TooManyRequests' } });
  expect(seen).not.toContain('GET /throttled');

  proxy.inject({ path: /^\/lost$/, fault: { kind: 'reset-after' } });
  await expect(get('/lost')).rejects.toThrow();
  expect(seen).toContain('GET /lost');
});

it('refuses an upstream whose scheme does not match its mode', async () => {
  await expect(startFaultProxy('http://127.0.0.1:1', { tls: { ...certificate, ca: certificate.cert } })).rejects.toThrow(/https/);
});
