/** Key pairs on Linode, over the wire against the Linode fake (requests checked against the official OpenAPI document). */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KEY_MARK_TAG_PREFIX } from '../../src/rest/index.js';
import { startLinodeHarness, type LinodeHarness } from '../linode/harness.js';
import { makeKey } from '../ssh/sshd.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyPairSuite } from './suite.js';

let harness: LinodeHarness;
beforeAll(async () => {
  harness = await startLinodeHarness();
});
afterAll(() => harness?.close());

keyPairSuite('linode', () => ({
  driver: harness.driver,
  createRequest: (name, sshKeys) => ({ name, size: 'g6-nanode-1', image: 'linode/ubuntu24.04', location: 'us-east', sshKeys }),
  requestCount: () => harness.fake.requests.length,
}));

it('linode: an instance gets its key as text, the key is registered in the profile, and a key tag is hidden from Node.tags', async () => {
  const key = makeKey(mkdtempSync(join(tmpdir(), 'polycloud-linode-keys-')), 'marked');
  const node = await harness.driver.createNode({
    name: 'marked',
    size: 'g6-nanode-1',
    image: 'linode/ubuntu24.04',
    location: 'us-east',
    sshKeys: [key.publicKey],
    tags: { env: 'test' },
  });
  const create = harness.fake.requests.find(
    (request) => request.method === 'POST' && request.path === '/v4/linode/instances' && request.body.includes('"marked"'),
  );
  const body = JSON.parse(create?.body ?? '{}') as { authorized_keys: string[]; tags: string[] };
  const [registered] = (await harness.driver.listKeyPairs()).filter((each) => each.fingerprint === key.fingerprint);
  expect(registered?.managed).toBe(true);
  expect(body.authorized_keys).toEqual([key.publicKey]);
  expect(body.tags).toContain(`${KEY_MARK_TAG_PREFIX}${registered?.name.slice('polycloud-'.length)}`);
  expect(node.tags).toEqual({ env: 'test' });
  await harness.driver.destroyNode(node, { removeKeys: true });
  expect((await harness.driver.listKeyPairs()).some((each) => each.fingerprint === key.fingerprint)).toBe(false);
});

it('linode: sent only requests the official OpenAPI document allows', () => {
  expect(harness.fake.violations).toEqual([]);
});
