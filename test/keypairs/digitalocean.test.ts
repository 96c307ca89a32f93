/** Key pairs on DigitalOcean, over the wire against the DigitalOcean fake (requests checked against the official OpenAPI document). */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KEY_MARK_TAG_PREFIX } from '../../src/rest/index.js';
import { startDigitalOceanHarness, type DigitalOceanHarness } from '../digitalocean/harness.js';
import { makeKey } from '../ssh/sshd.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyPairSuite } from './suite.js';

let harness: DigitalOceanHarness;
beforeAll(async () => {
  harness = await startDigitalOceanHarness();
});
afterAll(() => harness?.close());

keyPairSuite('digitalocean', () => ({
  driver: harness.driver,
  createRequest: (name, sshKeys) => ({ name, size: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64', location: 'fra1', sshKeys }),
  requestCount: () => harness.fake.requests.length,
}));

it('digitalocean: a droplet is created with its registered key (by fingerprint) and a key tag, hidden from Node.tags', async () => {
  const key = makeKey(mkdtempSync(join(tmpdir(), 'polycloud-do-keys-')), 'marked');
  const node = await harness.driver.createNode({
    name: 'marked',
    size: 's-1vcpu-1gb',
    image: 'ubuntu-24-04-x64',
    location: 'fra1',
    sshKeys: [key.publicKey],
    tags: { env: 'test' },
  });
  const create = harness.fake.requests.find(
    (request) => request.method === 'POST' && request.path === '/v2/droplets' && request.body.includes('"marked"'),
  );
  const body = JSON.parse(create?.body ?? '{}') as { ssh_keys: string[]; tags: string[] };
  const [registered] = (await harness.driver.listKeyPairs()).filter((each) => each.fingerprint === key.fingerprint);
  expect(registered?.managed).toBe(true);
  expect(body.ssh_keys).toHaveLength(1);
  expect(body.tags).toContain(`${KEY_MARK_TAG_PREFIX}${registered?.name.slice('polycloud-'.length)}`);
  expect(node.tags).toEqual({ env: 'test' });
  await harness.driver.destroyNode(node, { removeKeys: true });
  expect((await harness.driver.listKeyPairs()).some((each) => each.fingerprint === key.fingerprint)).toBe(false);
});

it('digitalocean: sent only requests the official OpenAPI document allows', () => {
  expect(harness.fake.violations).toEqual([]);
});
