/** Key pairs on Hetzner, over the wire against the Hetzner fake (requests checked against the official OpenAPI document). */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KEY_MARK_LABEL_PREFIX } from '../../src/rest/index.js';
import { startHetznerHarness, type HetznerHarness } from '../hetzner/harness.js';
import { makeKey } from '../ssh/sshd.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyPairSuite } from './suite.js';

let harness: HetznerHarness;
beforeAll(async () => {
  harness = await startHetznerHarness();
});
afterAll(() => harness?.close());

keyPairSuite('hetzner', () => ({
  driver: harness.driver,
  createRequest: (name, sshKeys) => ({ name, size: 'cx22', image: '161547269', location: 'fsn1', sshKeys }),
  requestCount: () => harness.fake.requests.length,
}));

it('hetzner: a server is created with its registered key (by name) and a key label, hidden from Node.tags', async () => {
  const key = makeKey(mkdtempSync(join(tmpdir(), 'polycloud-hetzner-keys-')), 'marked');
  const node = await harness.driver.createNode({
    name: 'marked',
    size: 'cx22',
    image: '161547269',
    location: 'fsn1',
    sshKeys: [key.publicKey],
    tags: { env: 'test' },
  });
  const create = harness.fake.requests.find(
    (request) => request.method === 'POST' && request.path.endsWith('/servers') && request.body.includes('"marked"'),
  );
  const body = JSON.parse(create?.body ?? '{}') as { ssh_keys: string[]; labels: Record<string, string> };
  const [registered] = (await harness.driver.listKeyPairs()).filter((each) => each.fingerprint === key.fingerprint);
  expect(registered?.managed).toBe(true);
  expect(body.ssh_keys).toEqual([registered?.name]);
  expect(Object.keys(body.labels)).toContain(`${KEY_MARK_LABEL_PREFIX}${registered?.name.slice('polycloud-'.length)}`);
  expect(node.tags).toEqual({ env: 'test' });
  await harness.driver.destroyNode(node, { removeKeys: true });
  expect((await harness.driver.listKeyPairs()).some((each) => each.fingerprint === key.fingerprint)).toBe(false);
});

it('hetzner: sent only requests the official OpenAPI document allows', () => {
  expect(harness.fake.violations).toEqual([]);
});
