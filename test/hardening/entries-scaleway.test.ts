/**
 * Malformed list entries for Scaleway: driver → fault proxy → the Scaleway fake. Every list it reads
 * as an array — servers (per zone), local images, IAM SSH keys — gets `{}`, `null`, `42` and a real
 * entry without its id; see `entries.ts`. (Scaleway's zones are a table in the driver, and its server
 * types come as a map keyed by name, so neither is an array entry to corrupt.)
 */
import { afterAll, beforeAll } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { createScalewayDriver } from '../../providers/scaleway/index.js';
import { startFaultProxy } from '../fakes/fault-proxy/index.js';
import { startScalewayFake } from '../fakes/scaleway/index.js';
import { proxiedList, registerEntryCases, sshPublicKey, type EntryFixture } from './entries.js';

let fixture: EntryFixture | undefined;

beforeAll(async () => {
  const clock = new VirtualClock();
  const fake = await startScalewayFake({ clock });
  const proxy = await startFaultProxy(fake.url);
  const driver = createScalewayDriver({
    token: fake.token,
    projectId: fake.projectId,
    endpoint: proxy.url,
    zone: 'fr-par-1',
    zones: ['fr-par-1', 'nl-ams-1'],
    clock,
    actionPollIntervalMs: 100,
    retry: { retries: 0 },
  });
  await driver.createNode({ name: 'entries-scaleway-1', size: 'DEV1-S', image: 'ubuntu_noble', location: 'fr-par-1' });
  // One server per zone, so each zone's list has a real entry to copy without its id.
  await driver.createNode({ name: 'entries-scaleway-2', size: 'DEV1-S', image: 'ubuntu_noble', location: 'nl-ams-1' });
  await driver.importKeyPair({ name: 'entries-key', publicKey: sshPublicKey('entries') });
  fixture = {
    provider: 'scaleway',
    lists: [
      proxiedList(proxy, { method: 'GET', path: /^\/instance\/v1\/zones\/[a-z0-9-]+\/servers$/ }, ['servers'], {
        list: 'nodes',
        operation: 'listNodes',
        idField: 'id',
        call: () => driver.listNodes(),
      }),
      proxiedList(proxy, { method: 'GET', path: /^\/marketplace\/v2\/local-images$/ }, ['local_images'], {
        list: 'images',
        operation: 'listImages',
        idField: 'id',
        call: () => driver.listImages({ location: 'fr-par-1' }),
      }),
      proxiedList(proxy, { method: 'GET', path: /^\/iam\/v1alpha1\/ssh-keys$/ }, ['ssh_keys'], {
        list: 'key pairs',
        operation: 'listKeyPairs',
        idField: 'id',
        call: () => driver.listKeyPairs(),
      }),
    ],
    clear: () => proxy.reset(),
    close: async () => {
      await proxy.close();
      await fake.close();
    },
  };
}, 120_000);
afterAll(async () => fixture?.close());

registerEntryCases('scaleway', () => {
  if (!fixture) throw new Error('the scaleway fixture did not start');
  return fixture;
});
