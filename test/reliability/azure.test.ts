/**
 * The reliability suite for the Azure driver: Azure SDK → fault proxy (HTTPS, the fake's throwaway
 * certificate) → ARM fake. The SDKs send bearer tokens over TLS only, so the proxy terminates TLS
 * with the same loopback certificate the fake uses and forwards over TLS; the fake writes its
 * `nextLink` and operation URLs on the host the client called, so later pages and polls cross the
 * proxy too.
 */
import { fileURLToPath } from 'node:url';
import { startAzureFake } from '../fakes/azure/index.js';
import { loopbackCertificate } from '../fakes/azure/tls.js';
import { startFaultProxy } from '../fakes/fault-proxy/index.js';
import { AZURE_PLANTED_TOKEN, AZURE_SUBSCRIPTION } from '../azure/harness.js';
import { makeReliabilityDriver } from './factories/azure.js';
import { runReliabilitySuite } from './suite.js';

const vms = /^\/subscriptions\/[^/]+\/resourceGroups\/polycloud\/providers\/Microsoft\.Compute\/virtualMachines$/i;
const oneVm = /^\/subscriptions\/[^/]+\/resourceGroups\/polycloud\/providers\/Microsoft\.Compute\/virtualMachines\/[^/]+$/i;
const laterPage = /(^|&)(%24|\$)skiptoken=/i;

runReliabilitySuite('azure', { perRegion: false, sendsRetryAfter: true }, async () => {
  const certificate = loopbackCertificate();
  const fake = await startAzureFake({ subscriptionId: AZURE_SUBSCRIPTION, token: AZURE_PLANTED_TOKEN, pageSize: 2 });
  const proxy = await startFaultProxy(fake.url, { tls: { ...certificate, ca: certificate.cert } });
  return {
    provider: 'azure',
    format: 'azure',
    proxy,
    upstreamUrl: fake.url,
    factoryModule: fileURLToPath(new URL('./factories/azure.ts', import.meta.url)),
    makeDriver: makeReliabilityDriver,
    location: 'eastus',
    size: 'Standard_B1s',
    image: 'Canonical:ubuntu-24_04-lts:server:latest',
    missingNodeId: 'rel-missing-vm',
    pageSize: 2,
    routes: {
      listNodes: { method: 'GET', path: vms, query: new RegExp(`^(?!.*${laterPage.source})`) },
      laterPage: { method: 'GET', path: vms, query: laterPage },
      getNode: { method: 'GET', path: oneVm },
      createNode: { method: 'PUT', path: oneVm },
    },
    endlessPage: (request) => {
      const skip = Number(new URLSearchParams(request.query).get('$skiptoken') ?? '0');
      const next = `https://${String(request.headers.host)}${request.path}?api-version=${new URLSearchParams(request.query).get('api-version') ?? ''}&$skiptoken=${skip + 1}`;
      return {
        status: 200,
        headers: { 'content-type': 'application/json; charset=utf-8', 'x-ms-request-id': crypto.randomUUID() },
        body: JSON.stringify({ value: [], nextLink: next }),
      };
    },
    // ARM lists resources as JSON under "value": append the malformed entry there.
    withListEntry: (body, entry) => {
      const parsed = JSON.parse(body) as Record<string, unknown[]>;
      return JSON.stringify({ ...parsed, value: [...(parsed.value ?? []), entry] });
    },
    // The driver's own limits: ARM allows 50 tags, two of which the driver keeps for itself.
    limits: { maxNameLength: 64, maxTags: 48, maxTagKeyLength: 512, maxTagValueLength: 256, maxUserDataBytes: 64 * 1024 },
    secrets: [{ value: AZURE_PLANTED_TOKEN, onWire: true }],
    cleanup: async () => {
      await proxy.close();
      await fake.close();
    },
  };
});
