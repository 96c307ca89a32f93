/**
 * The reliability suite for the DigitalOcean driver: driver → fault proxy → DigitalOcean fake.
 */
import { fileURLToPath } from 'node:url';
import { startDigitalOceanFake } from '../fakes/digitalocean/index.js';
import { startFaultProxy } from '../fakes/fault-proxy/index.js';
import { DIGITALOCEAN_PLANTED_TOKEN, makeReliabilityDriver } from './factories/digitalocean.js';
import { runReliabilitySuite } from './suite.js';

const laterPage = /(^|&)page=([2-9]|\d{2,})(&|$)/;

runReliabilitySuite('digitalocean', { perRegion: false, sendsRetryAfter: true }, async () => {
  const fake = await startDigitalOceanFake({
    token: DIGITALOCEAN_PLANTED_TOKEN,
    timings: { boot: 100, reboot: 100, stop: 100, terminate: 100 },
  });
  const proxy = await startFaultProxy(fake.url);
  return {
    provider: 'digitalocean',
    format: 'digitalocean',
    proxy,
    upstreamUrl: fake.url,
    factoryModule: fileURLToPath(new URL('./factories/digitalocean.ts', import.meta.url)),
    makeDriver: makeReliabilityDriver,
    location: 'fra1',
    size: 's-1vcpu-1gb',
    image: 'ubuntu-24-04-x64',
    missingNodeId: '999999999',
    pageSize: 2,
    routes: {
      listNodes: { method: 'GET', path: /^\/v2\/droplets$/, query: new RegExp(`^(?!.*${laterPage.source})`) },
      laterPage: { method: 'GET', path: /^\/v2\/droplets$/, query: laterPage },
      getNode: { method: 'GET', path: /^\/v2\/droplets\/\d+$/ },
      createNode: { method: 'POST', path: /^\/v2\/droplets$/ },
    },
    endlessPage: (request) => {
      const page = Number(new URLSearchParams(request.query).get('page') ?? '1');
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          droplets: [],
          links: { pages: { next: `https://api.digitalocean.com/v2/droplets?page=${page + 1}&per_page=2` } },
          meta: { total: 1_000_000_000 },
        }),
      };
    },
    withListEntry: (body, entry) => {
      const parsed = JSON.parse(body) as Record<string, unknown[]>;
      return JSON.stringify({ ...parsed, droplets: [...(parsed.droplets ?? []), entry] });
    },
    limits: { maxNameLength: 255, maxTags: 49, maxTagKeyLength: 128, maxTagValueLength: 126, maxUserDataBytes: 64 * 1024 },
    secrets: [{ value: DIGITALOCEAN_PLANTED_TOKEN, onWire: true }],
    cleanup: async () => {
      await proxy.close();
      await fake.close();
    },
  };
});
