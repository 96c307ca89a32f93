/**
 * The reliability suite for the Vultr driver: driver → fault proxy → Vultr fake.
 */
import { fileURLToPath } from 'node:url';
import { startVultrFake } from '../fakes/vultr/index.js';
import { cursorFor } from '../fakes/vultr/render.js';
import { startFaultProxy } from '../fakes/fault-proxy/index.js';
import { VULTR_PLANTED_TOKEN, makeReliabilityDriver } from './factories/vultr.js';
import { runReliabilitySuite } from './suite.js';

/** A later page carries the cursor of the page before it. */
const laterPage = /(^|&)cursor=[^&]+/;
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

// Vultr documents no Retry-After on its 429s.
runReliabilitySuite('vultr', { perRegion: false, sendsRetryAfter: false }, async () => {
  const fake = await startVultrFake({ token: VULTR_PLANTED_TOKEN, timings: { boot: 100, reboot: 100, stop: 100, terminate: 100 } });
  const proxy = await startFaultProxy(fake.server.url);
  return {
    provider: 'vultr',
    format: 'vultr',
    proxy,
    upstreamUrl: fake.server.url,
    factoryModule: fileURLToPath(new URL('./factories/vultr.ts', import.meta.url)),
    makeDriver: makeReliabilityDriver,
    location: 'ewr',
    size: 'vc2-1c-1gb',
    image: '2284',
    missingNodeId: '00000000-0000-4000-8000-000000000000',
    pageSize: 2,
    routes: {
      listNodes: { method: 'GET', path: /^\/v2\/instances$/, query: new RegExp(`^(?!.*${laterPage.source})`) },
      laterPage: { method: 'GET', path: /^\/v2\/instances$/, query: laterPage },
      getNode: { method: 'GET', path: new RegExp(`^/v2/instances/${UUID}$`) },
      createNode: { method: 'POST', path: /^\/v2\/instances$/ },
    },
    endlessPage: (request) => {
      const cursor = new URLSearchParams(request.query).get('cursor');
      const offset = cursor ? Number(/(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'))?.[1] ?? 0) : 0;
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ instances: [], meta: { total: 1_000_000_000, links: { next: cursorFor(offset + 2), prev: '' } } }),
      };
    },
    withListEntry: (body, entry) => {
      const parsed = JSON.parse(body) as Record<string, unknown[]>;
      return JSON.stringify({ ...parsed, instances: [...(parsed.instances ?? []), entry] });
    },
    limits: { maxNameLength: 63, maxTags: 49, maxTagKeyLength: 128, maxTagValueLength: 256, maxUserDataBytes: 16 * 1024 },
    secrets: [{ value: VULTR_PLANTED_TOKEN, onWire: true }],
    cleanup: async () => {
      await proxy.close();
      await fake.close();
    },
  };
});
