/**
 * The reliability suite for the Linode driver: driver → fault proxy → Linode fake.
 */
import { fileURLToPath } from 'node:url';
import { startLinodeFake } from '../fakes/linode/index.js';
import { startFaultProxy } from '../fakes/fault-proxy/index.js';
import { LINODE_PLANTED_TOKEN, makeReliabilityDriver } from './factories/linode.js';
import { runReliabilitySuite } from './suite.js';

const laterPage = /(^|&)page=([2-9]|\d{2,})(&|$)/;

runReliabilitySuite('linode', { perRegion: false, sendsRetryAfter: true }, async () => {
  const fake = await startLinodeFake({ token: LINODE_PLANTED_TOKEN, timings: { boot: 100, reboot: 100, stop: 100, terminate: 100 } });
  const proxy = await startFaultProxy(fake.server.url);
  return {
    provider: 'linode',
    format: 'linode',
    proxy,
    upstreamUrl: fake.server.url,
    factoryModule: fileURLToPath(new URL('./factories/linode.ts', import.meta.url)),
    makeDriver: makeReliabilityDriver,
    location: 'us-east',
    size: 'g6-nanode-1',
    image: 'linode/ubuntu24.04',
    missingNodeId: '999999999',
    // Linode's smallest page is 25.
    pageSize: 25,
    routes: {
      listNodes: { method: 'GET', path: /^\/v4\/linode\/instances$/, query: new RegExp(`^(?!.*${laterPage.source})`) },
      laterPage: { method: 'GET', path: /^\/v4\/linode\/instances$/, query: laterPage },
      getNode: { method: 'GET', path: /^\/v4\/linode\/instances\/\d+$/ },
      createNode: { method: 'POST', path: /^\/v4\/linode\/instances$/ },
    },
    endlessPage: (request) => {
      const page = Number(new URLSearchParams(request.query).get('page') ?? '1');
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ data: [], page, pages: page + 1, results: 1_000_000_000 }),
      };
    },
    withListEntry: (body, entry) => {
      const parsed = JSON.parse(body) as Record<string, unknown[]>;
      return JSON.stringify({ ...parsed, data: [...(parsed.data ?? []), entry] });
    },
    limits: { maxNameLength: 64, maxTags: 50, maxTagKeyLength: 48, maxTagValueLength: 48, maxUserDataBytes: 16 * 1024 },
    secrets: [{ value: LINODE_PLANTED_TOKEN, onWire: true }],
    cleanup: async () => {
      await proxy.close();
      await fake.close();
    },
  };
});
