/**
 * The reliability suite for the Scaleway driver: driver (axios) → fault proxy → Scaleway fake.
 * Scaleway fans out per zone, so the suite's partial-failure case runs with a failing zone.
 */
import { fileURLToPath } from 'node:url';
import { startScalewayFake } from '../fakes/scaleway/index.js';
import { startFaultProxy } from '../fakes/fault-proxy/index.js';
import { SCALEWAY_PLANTED_TOKEN, SCALEWAY_REL_PROJECT, makeReliabilityDriver } from './factories/scaleway.js';
import { runReliabilitySuite } from './suite.js';

const servers = /^\/instance\/v1\/zones\/fr-par-1\/servers$/;
const laterPage = /(^|&)page=([2-9]|\d{2,})(&|$)/;

runReliabilitySuite('scaleway', { perRegion: true, sendsRetryAfter: true }, async () => {
  const fake = await startScalewayFake({
    token: SCALEWAY_PLANTED_TOKEN,
    projectId: SCALEWAY_REL_PROJECT,
    timings: { boot: 100, stop: 100, terminate: 100 },
  });
  const proxy = await startFaultProxy(fake.url);
  return {
    provider: 'scaleway',
    format: 'scaleway',
    proxy,
    upstreamUrl: fake.url,
    factoryModule: fileURLToPath(new URL('./factories/scaleway.ts', import.meta.url)),
    makeDriver: makeReliabilityDriver,
    location: 'fr-par-1',
    size: 'DEV1-S',
    image: 'ubuntu_noble',
    missingNodeId: 'fr-par-1/00000000-0000-4000-8000-000000000000',
    pageSize: 2,
    routes: {
      listNodes: { method: 'GET', path: servers, query: new RegExp(`^(?!.*${laterPage.source})`) },
      laterPage: { method: 'GET', path: servers, query: laterPage },
      getNode: { method: 'GET', path: /^\/instance\/v1\/zones\/[a-z]{2}-[a-z]{3}-\d\/servers\/[0-9a-f-]{36}$/ },
      createNode: { method: 'POST', path: /^\/instance\/v1\/zones\/[a-z]{2}-[a-z]{3}-\d\/servers$/ },
    },
    regions: { failing: 'nl-ams-1', failingRequests: { path: /^\/instance\/v1\/zones\/nl-ams-1\// } },
    // Every page holds one new server and claims many more: the listing only ends at the page cap.
    endlessPage: (request) => {
      const page = Number(new URLSearchParams(request.query).get('page') ?? '1');
      const id = `00000000-0000-4000-8000-${String(page).padStart(12, '0')}`;
      const server = { id, name: `endless-${page}`, state: 'running', zone: 'fr-par-1', commercial_type: 'DEV1-S', tags: [] };
      return {
        status: 200,
        headers: { 'content-type': 'application/json', 'x-total-count': '1000000' },
        body: JSON.stringify({ servers: [server] }),
      };
    },
    withListEntry: (body, entry) => {
      const parsed = JSON.parse(body) as Record<string, unknown[]>;
      return JSON.stringify({ ...parsed, servers: [...(parsed.servers ?? []), entry] });
    },
    limits: { maxNameLength: 63, maxTags: 50, maxTagKeyLength: 64, maxTagValueLength: 128, maxUserDataBytes: 16 * 1024 },
    secrets: [{ value: SCALEWAY_PLANTED_TOKEN, onWire: true }],
    cleanup: async () => {
      await proxy.close();
      await fake.close();
    },
  };
});
