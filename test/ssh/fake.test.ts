/**
 * deployNode over a wire-level fake of another provider (DigitalOcean): create, wait for `active`
 * and register the key all go over HTTP to the fake; SSH goes to the real test sshd. The fake's
 * droplets carry simulated public addresses (198.18.x), so the test points `host`/`port` at the
 * loopback sshd, as a user would for a node reached through a tunnel.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Secret } from '../../src/core/secrets.js';
import { deployNode, isDeployError, memoryHostKeys } from '../../src/ssh/index.js';
import { startDigitalOceanHarness, type DigitalOceanHarness } from '../digitalocean/harness.js';
import { TestSshd } from './sshd.js';

let harness: DigitalOceanHarness;
let sshd: TestSshd;
beforeAll(async () => {
  harness = await startDigitalOceanHarness();
  sshd = await new TestSshd().start();
}, 60_000);
afterAll(async () => {
  await sshd?.dispose();
  await harness?.close();
});

const request = { name: 'web-1', size: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64', location: 'fra1', idempotencyKey: 'do-web-1' };

it('deploys onto a DigitalOcean droplet: steps run over SSH, the same key deploys onto the same droplet, failures name the step', async () => {
  const options = {
    privateKey: new Secret(sshd.clientKey.privateKey),
    host: '127.0.0.1',
    port: sshd.port,
    user: sshd.user,
    hostKeys: memoryHostKeys(),
  };
  const first = await deployNode(harness.driver, request, {
    ...options,
    steps: [{ name: 'hello', script: 'echo "hello from $(id -un)"' }],
  });
  expect(first.node.provider).toBe('digitalocean');
  expect(first.node.state).toBe('running');
  expect(first.results).toMatchObject([{ name: 'hello', exitCode: 0, stdout: `hello from ${sshd.user}\n` }]);
  expect(first.hostKey).toMatchObject({ fingerprint: sshd.hostKey.fingerprint, firstUse: true });
  expect(first.login).toEqual({ user: sshd.user, host: '127.0.0.1', port: sshd.port });
  // The key of the private key was registered with the account and named on the create, over the wire.
  const posted = harness.fake.requests.filter((each) => each.method === 'POST').map((each) => each.path);
  expect(posted).toEqual(expect.arrayContaining(['/v2/account/keys', '/v2/droplets']));

  const again = await deployNode(harness.driver, request, { ...options, script: 'exit 0' });
  expect(again.node.id).toBe(first.node.id);
  expect(again.hostKey.firstUse).toBe(false);
  expect((await harness.driver.listNodes()).filter((node) => node.name === 'web-1')).toHaveLength(1);

  const failed = await deployNode(harness.driver, request, {
    ...options,
    steps: [{ name: 'migrate db', script: 'echo "no database" >&2; exit 12' }],
  }).catch((e: unknown) => e);
  expect(isDeployError(failed) && failed).toMatchObject({
    phase: 'step',
    step: 'migrate db',
    exitCode: 12,
    nodeId: first.node.id,
    destroyed: false,
  });
}, 120_000);
