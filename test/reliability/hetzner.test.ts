/**
 * The reliability suite for the Hetzner driver: driver → fault proxy → Hetzner fake.
 */
import { fileURLToPath } from 'node:url';
import { startHetznerFake } from '../fakes/hetzner/index.js';
import { startFaultProxy } from '../fakes/fault-proxy/index.js';
import { HETZNER_PLANTED_TOKEN, makeReliabilityDriver } from './factories/hetzner.js';
import { runReliabilitySuite } from './suite.js';

const laterPage = /(^|&)page=([2-9]|\d{2,})(&|$)/;

runReliabilitySuite('hetzner', { perRegion: false, sendsRetryAfter: true }, async () => {
  const fake = await startHetznerFake({ token: HETZNER_PLANTED_TOKEN, timings: { boot: 100, reboot: 100, stop: 100, terminate: 100 } });
  const proxy = await startFaultProxy(fake.server.url);
  return {
    provider: 'hetzner',
    format: 'hetzner',
    proxy,
    upstreamUrl: fake.server.url,
    factoryModule: fileURLToPath(new URL('./factories/hetzner.ts', import.meta.url)),
    makeDriver: makeReliabilityDriver,
    location: 'fsn1',
    size: 'cx22',
    image: '161547269',
    missingNodeId: '999999999',
    pageSize: 2,
    routes: {
      listNodes: { method: 'GET', path: /^\/v1\/servers$/, query: new RegExp(`^(?!.*${laterPage.source})`) },
      laterPage: { method: 'GET', path: /^\/v1\/servers$/, query: laterPage },
      getNode: { method: 'GET', path: /^\/v1\/servers\/\d+$/ },
      createNode: { method: 'POST', path: /^\/v1\/servers$/ },
    },
    endlessPage: (request) => {
      const page = Number(new URLSearchParams(request.query).get('page') ?? '1');
      const pagination = {
        page,
        per_page: 2,
        previous_page: page > 1 ? page - 1 : null,
        next_page: page + 1,
        last_page: null,
        total_entries: null,
      };
      return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ servers: [], meta: { pagination } }) };
    },
    withListEntry: (body, entry) => {
      const parsed = JSON.parse(body) as Record<string, unknown[]>;
      return JSON.stringify({ ...parsed, servers: [...(parsed.servers ?? []), entry] });
    },
    limits: { maxNameLength: 63, maxTags: 50, maxTagKeyLength: 317, maxTagValueLength: 63, maxUserDataBytes: 32 * 1024 },
    secrets: [{ value: HETZNER_PLANTED_TOKEN, onWire: true }],
    cleanup: async () => {
      await proxy.close();
      await fake.close();
    },
  };
});
