/**
 * The reliability suite for the GCE driver: driver (real SDK, REST transport) → fault proxy →
 * Compute REST fake.
 */
import { fileURLToPath } from 'node:url';
import { startGceFake } from '../fakes/gce/index.js';
import { startFaultProxy } from '../fakes/fault-proxy/index.js';
import { GCE_PLANTED, GCE_PROJECT, makeReliabilityDriver } from './factories/gce.js';
import { runReliabilitySuite } from './suite.js';

const instances = (zone = '[a-z0-9-]+') => new RegExp(`^/compute/v1/projects/${GCE_PROJECT}/zones/${zone}/instances$`);

runReliabilitySuite('gce', { perRegion: true, sendsRetryAfter: false }, async () => {
  const fake = await startGceFake({
    project: GCE_PROJECT,
    token: GCE_PLANTED.accessToken,
    timings: { boot: 100, reboot: 100, stop: 100, terminate: 100 },
  });
  const proxy = await startFaultProxy(fake.url);
  return {
    provider: 'gce',
    format: 'gce',
    proxy,
    upstreamUrl: fake.url,
    factoryModule: fileURLToPath(new URL('./factories/gce.ts', import.meta.url)),
    makeDriver: makeReliabilityDriver,
    location: 'us-central1-a',
    size: 'e2-standard-2',
    image: 'ubuntu-os-cloud:ubuntu-2404-lts-amd64',
    missingNodeId: 'us-central1-a.missing-node-0',
    pageSize: 2,
    routes: {
      listNodes: { method: 'GET', path: instances(), query: /^(?![\s\S]*pageToken=)/ },
      laterPage: { method: 'GET', path: instances(), query: /pageToken=/ },
      getNode: { method: 'GET', path: /^\/compute\/v1\/projects\/[^/]+\/zones\/[^/]+\/instances\/[^/]+$/ },
      createNode: { method: 'POST', path: instances() },
    },
    endlessPage: (request) => {
      const token = /pageToken=page-(\d+)/.exec(request.query)?.[1];
      const page = token === undefined ? 1 : Number(token);
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'compute#instanceList', id: `endless-${page}`, items: [], nextPageToken: `page-${page + 1}` }),
      };
    },
    withListEntry: (body, entry) => {
      const parsed = JSON.parse(body) as Record<string, unknown[]>;
      return JSON.stringify({ ...parsed, items: [...(parsed.items ?? []), entry] });
    },
    limits: { maxNameLength: 63, maxTags: 64, maxTagKeyLength: 63, maxTagValueLength: 63, maxUserDataBytes: 256 * 1024 },
    secrets: [
      { value: GCE_PLANTED.accessToken, onWire: true },
      { value: GCE_PLANTED.clientSecret, onWire: false },
      { value: GCE_PLANTED.refreshToken, onWire: false },
    ],
    regions: { failing: 'europe-west3-b', failingRequests: { path: instances('europe-west3-b') } },
    cleanup: async () => {
      await proxy.close();
      await fake.close();
    },
  };
});
