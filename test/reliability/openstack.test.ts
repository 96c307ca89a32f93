/**
 * The reliability suite for the OpenStack driver: driver (axios) → fault proxy → Keystone + Nova +
 * Glance fake. Token requests go through the proxy too; the catalog points back at it.
 */
import { fileURLToPath } from 'node:url';
import { startOpenStackFake } from '../fakes/openstack/index.js';
import { startFaultProxy } from '../fakes/fault-proxy/index.js';
import { OPENSTACK_REL_PLANTED, OPENSTACK_REL_USER, makeReliabilityDriver } from './factories/openstack.js';
import { runReliabilitySuite } from './suite.js';

const servers = /^\/compute\/v2\.1\/servers\/detail$/;
const laterPage = /(^|&)marker=/;

runReliabilitySuite('openstack', { perRegion: false, sendsRetryAfter: true }, async () => {
  const fake = await startOpenStackFake({ user: OPENSTACK_REL_USER });
  const proxy = await startFaultProxy(fake.url);
  return {
    provider: 'openstack',
    format: 'openstack',
    proxy,
    upstreamUrl: fake.url,
    factoryModule: fileURLToPath(new URL('./factories/openstack.ts', import.meta.url)),
    makeDriver: makeReliabilityDriver,
    location: 'nova',
    size: '2',
    image: 'a1f0c6a2-4c4e-4a8b-9a39-1c2a0b9f0001',
    missingNodeId: '00000000-0000-0000-0000-000000000000',
    pageSize: 2,
    routes: {
      listNodes: { method: 'GET', path: servers, query: new RegExp(`^(?!.*${laterPage.source})`) },
      laterPage: { method: 'GET', path: servers, query: laterPage },
      getNode: { method: 'GET', path: /^\/compute\/v2\.1\/servers\/[0-9a-f-]{36}$/ },
      createNode: { method: 'POST', path: /^\/compute\/v2\.1\/servers$/ },
    },
    endlessPage: (request) => {
      const marker = Number(new URLSearchParams(request.query).get('marker')?.split('-').pop() ?? '0');
      const id = `00000000-0000-0000-0000-${String(marker + 1).padStart(12, '0')}`;
      const server = {
        id,
        name: `endless-${marker + 1}`,
        status: 'ACTIVE',
        metadata: {},
        flavor: { id: '2' },
        image: { id: 'x' },
        addresses: {},
      };
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ servers: [server], servers_links: [{ rel: 'next', href: `/compute/v2.1/servers/detail?marker=${id}` }] }),
      };
    },
    // Nova lists servers as JSON under "servers": append the malformed entry there.
    withListEntry: (body, entry) => {
      const parsed = JSON.parse(body) as Record<string, unknown[]>;
      return JSON.stringify({ ...parsed, servers: [...(parsed.servers ?? []), entry] });
    },
    limits: { maxNameLength: 255, maxTags: 128, maxTagKeyLength: 255, maxTagValueLength: 255, maxUserDataBytes: 65_535 },
    // The password travels in the token request's body, not a header: the scan checks it never comes back out.
    secrets: [{ value: OPENSTACK_REL_PLANTED.password, onWire: false }],
    cleanup: async () => {
      await proxy.close();
      await fake.close();
    },
  };
});
