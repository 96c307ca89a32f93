/**
 * Malformed list entries for the SDK and multi-service drivers: Compute (real gax client → fault
 * proxy → Compute fake), OpenStack (→ fault proxy → Keystone/Nova/Glance fake), Azure (real ARM
 * clients → the ARM fake over TLS, rewriting its own answers) and AWS (real EC2 client → a loopback
 * fake speaking EC2's XML). Every list each driver reads gets `{}`, `null`, `42` and a real entry
 * without its id; see `entries.ts`.
 *
 * A fresh driver reads each list, so no cache (zones, regions, catalogs) hides the injected entry.
 */
import { afterAll, beforeAll } from 'vitest';
import type { Driver } from '../../src/core/driver.js';
import { createAwsTestDriver } from '../aws/harness.js';
import { AZURE_PLANTED_TOKEN, AZURE_SUBSCRIPTION, plantedCredential } from '../azure/harness.js';
import { startAzureFake, type AzureFake } from '../fakes/azure/index.js';
import { startFaultProxy, type FaultProxy } from '../fakes/fault-proxy/index.js';
import { startGceFake } from '../fakes/gce/index.js';
import { startOpenStackFake } from '../fakes/openstack/index.js';
import { GCE_PROJECT, GCE_PLANTED, makeReliabilityDriver as makeGce } from '../reliability/factories/gce.js';
import { OPENSTACK_REL_USER, makeReliabilityDriver as makeOpenStack } from '../reliability/factories/openstack.js';
import { createAzureDriver } from '../../providers/azure/index.js';
import { EC2_LISTS, startEc2XmlFake, type Ec2ListAction, type Ec2XmlFake } from './ec2-xml-fake.js';
import { appendEntry, jsonEntry, proxiedList, registerEntryCases, type EntryFixture, type ListUnderTest } from './entries.js';

type Started = { fixture: EntryFixture };

function lazy(provider: string, start: () => Promise<EntryFixture>): () => EntryFixture {
  const holder: Partial<Started> = {};
  beforeAll(async () => {
    holder.fixture = await start();
  }, 180_000);
  afterAll(async () => holder.fixture?.close());
  return () => {
    if (!holder.fixture) throw new Error(`the ${provider} fixture did not start`);
    return holder.fixture;
  };
}

registerEntryCases(
  'gce',
  lazy('gce', async () => {
    const fake = await startGceFake({
      project: GCE_PROJECT,
      token: GCE_PLANTED.accessToken,
      timings: { boot: 50, reboot: 50, stop: 50, terminate: 50 },
    });
    const proxy: FaultProxy = await startFaultProxy(fake.url);
    const fresh = (): Driver => makeGce(proxy.url, { retries: 0 });
    await fresh().createNode({
      name: 'entries-gce-1',
      size: 'e2-standard-2',
      image: 'ubuntu-os-cloud:ubuntu-2404-lts-amd64',
      location: 'us-central1-a',
    });
    const project = `^/compute/v1/projects/${GCE_PROJECT}`;
    const lists: ListUnderTest[] = [
      proxiedList(proxy, { method: 'GET', path: new RegExp(`${project}/regions$`) }, ['items'], {
        list: 'regions',
        operation: 'listLocations',
        idField: 'name',
        call: () => fresh().listLocations(),
      }),
      proxiedList(proxy, { method: 'GET', path: new RegExp(`${project}/zones$`) }, ['items'], {
        list: 'zones',
        operation: 'listLocations',
        idField: 'name',
        call: () => fresh().listLocations(),
      }),
      proxiedList(proxy, { method: 'GET', path: new RegExp(`${project}/zones/[^/]+/machineTypes$`) }, ['items'], {
        list: 'machine types',
        operation: 'listSizes',
        idField: 'name',
        call: () => fresh().listSizes({ location: 'us-central1-a' }),
      }),
      proxiedList(proxy, { method: 'GET', path: /^\/compute\/v1\/projects\/[^/]+\/global\/images$/ }, ['items'], {
        list: 'images',
        operation: 'listImages',
        idField: 'name',
        call: () => fresh().listImages(),
      }),
      proxiedList(proxy, { method: 'GET', path: new RegExp(`${project}/zones/[^/]+/instances$`) }, ['items'], {
        list: 'instances',
        operation: 'listNodes',
        idField: 'name',
        call: () => fresh().listNodes(),
      }),
    ];
    return {
      provider: 'gce',
      lists,
      clear: () => proxy.reset(),
      close: async () => {
        await proxy.close();
        await fake.close();
      },
    };
  }),
);

registerEntryCases(
  'openstack',
  lazy('openstack', async () => {
    const fake = await startOpenStackFake({ user: OPENSTACK_REL_USER });
    const proxy = await startFaultProxy(fake.url);
    const fresh = (): Driver => makeOpenStack(proxy.url, { retries: 0 });
    await fresh().createNode({ name: 'entries-os-1', size: '2', image: 'a1f0c6a2-4c4e-4a8b-9a39-1c2a0b9f0001', location: 'nova' });
    const lists: ListUnderTest[] = [
      proxiedList(proxy, { method: 'GET', path: /^\/compute\/v2\.1\/os-availability-zone$/ }, ['availabilityZoneInfo'], {
        list: 'availability zones',
        operation: 'listLocations',
        idField: 'zoneName',
        call: () => fresh().listLocations(),
      }),
      proxiedList(proxy, { method: 'GET', path: /^\/compute\/v2\.1\/flavors\/detail$/ }, ['flavors'], {
        list: 'flavors',
        operation: 'listSizes',
        idField: 'id',
        call: () => fresh().listSizes(),
      }),
      proxiedList(proxy, { method: 'GET', path: /^\/image\/v2\/images$/ }, ['images'], {
        list: 'images',
        operation: 'listImages',
        idField: 'id',
        call: () => fresh().listImages(),
      }),
      proxiedList(proxy, { method: 'GET', path: /^\/compute\/v2\.1\/servers\/detail$/ }, ['servers'], {
        list: 'servers',
        operation: 'listNodes',
        idField: 'id',
        call: () => fresh().listNodes(),
      }),
    ];
    return {
      provider: 'openstack',
      lists,
      clear: () => proxy.reset(),
      close: async () => {
        await proxy.close();
        await fake.close();
      },
    };
  }),
);

registerEntryCases(
  'azure',
  lazy('azure', async () => {
    const fake: AzureFake = await startAzureFake({ subscriptionId: AZURE_SUBSCRIPTION, token: AZURE_PLANTED_TOKEN });
    const fresh = (): Driver =>
      createAzureDriver({
        subscriptionId: AZURE_SUBSCRIPTION,
        resourceGroup: 'polycloud',
        credential: plantedCredential,
        endpoint: fake.url,
        caCertificate: fake.certificate,
        pollIntervalMs: 10,
        requestTimeoutMs: 60_000,
        retry: { retries: 0 },
      });
    await fresh().createNode({
      name: 'entries-az-1',
      size: 'Standard_B2s',
      image: 'Canonical:ubuntu-24_04-lts:server:latest',
      location: 'westeurope',
    });
    /** The ARM fake rewrites its own answers: TLS-only ARM clients cannot go through the plain-HTTP proxy. */
    const armList = (path: RegExp, json: readonly string[], described: Omit<ListUnderTest, 'inject'>): ListUnderTest => ({
      ...described,
      inject: (kind) => {
        fake.faults.rewrite = (body, request) =>
          request.method === 'GET' && path.test(request.path)
            ? (JSON.parse(appendEntry(JSON.stringify(body), json, jsonEntry(kind, described.idField))) as unknown)
            : body;
      },
    });
    const lists: ListUnderTest[] = [
      armList(/\/subscriptions\/[^/]+\/locations$/i, ['value'], {
        list: 'locations',
        operation: 'listLocations',
        idField: 'name',
        call: () => fresh().listLocations(),
      }),
      armList(/\/locations\/[^/]+\/vmSizes$/i, ['value'], {
        list: 'VM sizes',
        operation: 'listSizes',
        idField: 'name',
        call: () => fresh().listSizes(),
      }),
      armList(/\/skus$/i, [], { list: 'image SKUs', operation: 'listImages', idField: 'name', call: () => fresh().listImages() }),
      armList(/\/virtualMachines$/i, ['value'], {
        list: 'virtual machines',
        operation: 'listNodes',
        idField: 'name',
        call: () => fresh().listNodes(),
      }),
    ];
    return {
      provider: 'azure',
      lists,
      clear: () => {
        delete fake.faults.rewrite;
      },
      close: () => fake.close(),
    };
  }),
);

/** The SDK field of each list's id, and the XML element it comes from. */
const EC2_IDS: Record<Ec2ListAction, { field: string; element: string; operation: string; regions?: false }> = {
  DescribeRegions: { field: 'RegionName', element: 'regionName', operation: 'listLocations', regions: false },
  DescribeAvailabilityZones: { field: 'ZoneName', element: 'zoneName', operation: 'listLocations' },
  DescribeInstanceTypes: { field: 'InstanceType', element: 'instanceType', operation: 'listSizes' },
  DescribeImages: { field: 'ImageId', element: 'imageId', operation: 'listImages' },
  DescribeInstances: { field: 'InstanceId', element: 'instanceId', operation: 'listNodes' },
  DescribeKeyPairs: { field: 'KeyPairId', element: 'keyPairId', operation: 'listKeyPairs' },
};

registerEntryCases(
  'aws',
  lazy('aws', async () => {
    const fake: Ec2XmlFake = await startEc2XmlFake();
    const driverFor = (regions: boolean): Driver =>
      createAwsTestDriver(fake.url, {
        ...(regions ? { regions: ['us-east-1'] } : { regions: undefined, defaultRegion: 'us-east-1' }),
        retry: { retries: 0 },
      });
    const operations: Record<string, (driver: Driver) => Promise<unknown>> = {
      listLocations: (driver) => driver.listLocations(),
      listSizes: (driver) => driver.listSizes(),
      listImages: (driver) => driver.listImages(),
      listNodes: (driver) => driver.listNodes(),
      listKeyPairs: (driver) => driver.listKeyPairs(),
    };
    const lists: ListUnderTest[] = (Object.keys(EC2_LISTS) as Ec2ListAction[]).map((action) => {
      const { field, element, operation, regions } = EC2_IDS[action];
      const realItem = EC2_LISTS[action].item;
      const inner =
        action === 'DescribeInstances' ? (/<instancesSet><item>(.*)<\/item><\/instancesSet>/.exec(realItem)?.[1] as string) : realItem;
      return {
        list: action,
        operation,
        idField: field,
        call: () => (operations[operation] as (driver: Driver) => Promise<unknown>)(driverFor(regions !== false)),
        inject: (kind) => {
          fake.extra[action] =
            kind === 'empty-object'
              ? '<item></item>'
              : kind === 'null'
                ? '<item/>'
                : kind === 'number'
                  ? '<item>42</item>'
                  : `<item>${inner.replace(new RegExp(`<${element}>[^<]*</${element}>`), '')}</item>`;
        },
      };
    });
    return {
      provider: 'aws',
      lists,
      clear: () => {
        for (const action of Object.keys(fake.extra)) delete fake.extra[action as Ec2ListAction];
      },
      close: () => fake.close(),
    };
  }),
);
