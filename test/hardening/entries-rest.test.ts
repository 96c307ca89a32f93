/**
 * Malformed list entries for the REST drivers (DigitalOcean, Hetzner, Linode, Vultr): driver → fault
 * proxy → the provider's fake. Every list (locations, sizes, images, nodes, key pairs) gets `{}`,
 * `null`, `42` and a real entry without its id; see `entries.ts`.
 */
import { afterAll, beforeAll } from 'vitest';
import { startDigitalOceanFake } from '../fakes/digitalocean/index.js';
import { startFaultProxy, type FaultProxy } from '../fakes/fault-proxy/index.js';
import { startHetznerFake } from '../fakes/hetzner/index.js';
import { startLinodeFake } from '../fakes/linode/index.js';
import { DIGITALOCEAN_PLANTED_TOKEN, makeReliabilityDriver as makeDigitalOcean } from '../reliability/factories/digitalocean.js';
import { HETZNER_PLANTED_TOKEN, makeReliabilityDriver as makeHetzner } from '../reliability/factories/hetzner.js';
import { LINODE_PLANTED_TOKEN, makeReliabilityDriver as makeLinode } from '../reliability/factories/linode.js';
import { startVultrFake } from '../fakes/vultr/index.js';
import { VULTR_PLANTED_TOKEN, makeReliabilityDriver as makeVultr } from '../reliability/factories/vultr.js';
import type { Driver } from '../../src/core/driver.js';
import { proxiedList, registerEntryCases, sshPublicKey, type EntryFixture, type ListUnderTest } from './entries.js';

const timings = { boot: 50, reboot: 50, stop: 50, terminate: 50 };

interface RestLists {
  readonly prefix: string;
  readonly locations: readonly [string, readonly string[], string];
  readonly sizes: readonly [string, readonly string[], string];
  readonly images: readonly [string, readonly string[], string];
  readonly nodes: readonly [string, readonly string[], string];
  readonly keys: readonly [string, readonly string[], string];
}

/** The five lists of a REST driver behind `proxy`: [path, JSON path of the array, id field]. */
function restLists(driver: Driver, proxy: FaultProxy, described: RestLists): ListUnderTest[] {
  const route = (path: string) => ({ method: 'GET', path: new RegExp(`^${described.prefix}${path}$`) });
  const list = (
    name: string,
    operation: string,
    [path, json, idField]: readonly [string, readonly string[], string],
    call: () => Promise<unknown>,
  ) => proxiedList(proxy, route(path), json, { list: name, operation, idField, call });
  return [
    list('locations', 'listLocations', described.locations, () => driver.listLocations()),
    list('sizes', 'listSizes', described.sizes, () => driver.listSizes()),
    list('images', 'listImages', described.images, () => driver.listImages()),
    list('nodes', 'listNodes', described.nodes, () => driver.listNodes()),
    list('key pairs', 'listKeyPairs', described.keys, () => driver.listKeyPairs()),
  ];
}

/** Starts a fake and its proxy, creates one node and one key pair (so each list has a real entry to copy). */
function restFixture(
  provider: string,
  start: () => Promise<{ url: string; close(): Promise<void> }>,
  make: (endpoint: string) => Driver,
  create: { size: string; image: string; location: string },
  described: RestLists,
): () => EntryFixture {
  let fixture: EntryFixture | undefined;
  beforeAll(async () => {
    const fake = await start();
    const proxy = await startFaultProxy(fake.url);
    const driver = make(proxy.url);
    await driver.createNode({ name: `entries-${provider}-1`, ...create });
    await driver.importKeyPair({ name: 'entries-key', publicKey: sshPublicKey('entries') });
    fixture = {
      provider,
      lists: restLists(driver, proxy, described),
      clear: () => proxy.reset(),
      close: async () => {
        await proxy.close();
        await fake.close();
      },
    };
  }, 120_000);
  afterAll(async () => fixture?.close());
  return () => {
    if (!fixture) throw new Error(`the ${provider} fixture did not start`);
    return fixture;
  };
}

registerEntryCases(
  'digitalocean',
  restFixture(
    'digitalocean',
    () => startDigitalOceanFake({ token: DIGITALOCEAN_PLANTED_TOKEN, timings }),
    (endpoint) => makeDigitalOcean(endpoint, { retries: 0 }),
    { size: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64', location: 'fra1' },
    {
      prefix: '/v2',
      locations: ['/regions', ['regions'], 'slug'],
      sizes: ['/sizes', ['sizes'], 'slug'],
      images: ['/images', ['images'], 'id'],
      nodes: ['/droplets', ['droplets'], 'id'],
      keys: ['/account/keys', ['ssh_keys'], 'id'],
    },
  ),
);

registerEntryCases(
  'hetzner',
  restFixture(
    'hetzner',
    async () => {
      const fake = await startHetznerFake({ token: HETZNER_PLANTED_TOKEN, timings });
      return { url: fake.server.url, close: () => fake.close() };
    },
    (endpoint) => makeHetzner(endpoint, { retries: 0 }),
    { size: 'cx22', image: '161547269', location: 'fsn1' },
    {
      prefix: '/v1',
      locations: ['/locations', ['locations'], 'name'],
      sizes: ['/server_types', ['server_types'], 'id'],
      images: ['/images', ['images'], 'id'],
      nodes: ['/servers', ['servers'], 'id'],
      keys: ['/ssh_keys', ['ssh_keys'], 'id'],
    },
  ),
);

registerEntryCases(
  'linode',
  restFixture(
    'linode',
    async () => {
      const fake = await startLinodeFake({ token: LINODE_PLANTED_TOKEN, timings });
      return { url: fake.server.url, close: () => fake.close() };
    },
    (endpoint) => makeLinode(endpoint, { retries: 0 }),
    { size: 'g6-nanode-1', image: 'linode:ubuntu24.04', location: 'us-east' },
    {
      prefix: '/v4',
      locations: ['/regions', ['data'], 'id'],
      sizes: ['/linode/types', ['data'], 'id'],
      images: ['/images', ['data'], 'id'],
      nodes: ['/linode/instances', ['data'], 'id'],
      keys: ['/profile/sshkeys', ['data'], 'id'],
    },
  ),
);

registerEntryCases(
  'vultr',
  restFixture(
    'vultr',
    async () => {
      const fake = await startVultrFake({ token: VULTR_PLANTED_TOKEN, timings });
      return { url: fake.server.url, close: () => fake.close() };
    },
    (endpoint) => makeVultr(endpoint, { retries: 0 }),
    { size: 'vc2-1c-1gb', image: '2284', location: 'ewr' },
    {
      prefix: '/v2',
      locations: ['/regions', ['regions'], 'id'],
      sizes: ['/plans', ['plans'], 'id'],
      images: ['/os', ['os'], 'id'],
      nodes: ['/instances', ['instances'], 'id'],
      keys: ['/ssh-keys', ['ssh_keys'], 'id'],
    },
  ),
);
