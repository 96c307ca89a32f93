/** Key pairs on AWS, over the wire against moto (through the EC2 front that records requests). */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AwsDriver } from '../../providers/aws/index.js';
import { UBUNTU_2404_AMD64, createAwsTestDriver, startProxiedMoto, type ProxiedMoto } from '../aws/harness.js';
import { makeKey } from '../ssh/sshd.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyPairSuite } from './suite.js';

let stack: ProxiedMoto;
let driver: AwsDriver;
beforeAll(async () => {
  stack = await startProxiedMoto();
  driver = createAwsTestDriver(stack.proxy.url, { regions: ['us-east-1', 'eu-central-1'] });
}, 120_000);
afterAll(() => stack?.stop());

keyPairSuite('aws', () => ({
  driver,
  createRequest: (name, sshKeys) => ({ name, size: 't3.micro', image: UBUNTU_2404_AMD64, location: 'us-east-1', sshKeys }),
  requestCount: () => stack.front.count(),
}));

it('aws: importKeyPair registers the key in every covered region, with ids region:key-…', async () => {
  const key = makeKey(mkdtempSync(join(tmpdir(), 'polycloud-aws-keys-')), 'regional');
  const imported = await driver.importKeyPair({ name: 'regional', publicKey: key.publicKey });
  expect(imported.id).toMatch(/^us-east-1:key-[0-9a-f]+$/);
  const imports = stack.front.requests.filter((request) => request.action === 'ImportKeyPair' && request.params.KeyName === 'regional');
  expect(imports.map((request) => request.region).sort()).toEqual(['eu-central-1', 'us-east-1']);
  const listed = (await driver.listKeyPairs()).filter((each) => each.name === 'regional');
  expect(listed.map((each) => each.id.split(':')[0]).sort()).toEqual(['eu-central-1', 'us-east-1']);
  for (const each of listed) await driver.deleteKeyPair(each);
  // Deleted by name (every EC2 implementation takes KeyName), once per region.
  const deletes = stack.front.requests.filter((request) => request.action === 'DeleteKeyPair' && request.params.KeyName === 'regional');
  expect(deletes.map((request) => request.region).sort()).toEqual(['eu-central-1', 'us-east-1']);
  expect((await driver.listKeyPairs()).some((each) => each.name === 'regional')).toBe(false);
});

it('aws: the login user comes from the AMI (ubuntu for an Ubuntu image)', async () => {
  const node = await driver.createNode({ name: 'login-user', size: 't3.micro', image: UBUNTU_2404_AMD64, location: 'us-east-1' });
  expect(await driver.sshLogin(node)).toMatchObject({ user: 'ubuntu', port: 22 });
  await driver.destroyNode(node);
});
