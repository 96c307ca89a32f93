/**
 * The Scaleway driver's launch spec on the wire: the `cloud-init` user data set at create comes
 * back as the exact text (after the server's user-data keys are listed); a server without any
 * gives none and one request; no SSH keys (they are the project's); a server that is gone is a
 * NodeNotFoundError; failures are typed and never echo the user data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNodeNotFoundError, isProviderUnavailableError, type CloudError } from '../../src/core/errors.js';
import { LAUNCH_USER_DATA_MAX_BYTES } from '../../src/core/user-data.js';
import { rejectionOf } from '../conformance/suite.js';
import { startScalewayHarness, type ScalewayHarness } from './harness.js';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx4b3JlbS1pcHN1bS1kb2xvci1zaXQtYW1ldC0x ops@example';
const SECRET_USER_DATA = '#cloud-config\nwrite_files:\n  - path: /etc/app.env\n    content: DB_PASSWORD=hunter2-scw ✓\n';
const request = { size: 'DEV1-S', image: 'ubuntu_noble', location: 'fr-par-1' } as const;

describe('scaleway getLaunchSpec', () => {
  let harness: ScalewayHarness;
  beforeAll(async () => {
    harness = await startScalewayHarness();
  });
  afterAll(async () => {
    expect(harness.fake.violations).toEqual([]);
    await harness.close();
  });

  const userDataRequests = (nodeId: string) => {
    const serverId = nodeId.split('/')[1] ?? '';
    return harness.fake.requests
      .filter((each) => each.path.includes(`/servers/${serverId}/user_data`) && each.method === 'GET')
      .map((each) => each.path.slice(each.path.indexOf('/user_data')));
  };

  it('reads back the cloud-init text exactly as set at create, and no SSH key', async () => {
    const node = await harness.driver.createNode({ ...request, name: 'ls-1', userData: SECRET_USER_DATA, sshKeys: [KEY] });
    const spec = await harness.driver.getLaunchSpec!(node);
    expect(spec).toEqual({ image: null, userData: SECRET_USER_DATA, sshKeys: [] });
    expect(userDataRequests(node.id)).toEqual(['/user_data', '/user_data/cloud-init']);
    const read = harness.fake.requests.filter((each) => each.path.endsWith('/user_data/cloud-init') && each.method === 'GET').at(-1);
    expect(read?.headers['x-auth-token']).toBe(harness.fake.token);
    await harness.driver.destroyNode(node);
  });

  it('gives no user data for a server created without, from the key list alone', async () => {
    const node = await harness.driver.createNode({ ...request, name: 'ls-2' });
    const spec = await harness.driver.getLaunchSpec!(node.id);
    expect('userData' in spec).toBe(false);
    expect(spec.sshKeys).toEqual([]);
    expect(userDataRequests(node.id)).toEqual(['/user_data']);
    await harness.driver.destroyNode(node);
  });

  it('refuses user data larger than the read-back bound, naming its size and never its text', async () => {
    const node = await harness.driver.createNode({ ...request, name: 'ls-4' });
    // Set elsewhere (not through polycloud, which refuses more than 16 KiB): straight to the API.
    const huge = `#cloud-config\n# hunter2 ${'x'.repeat(LAUNCH_USER_DATA_MAX_BYTES)}`;
    const set = await fetch(`${harness.fake.url}/instance/v1/zones/fr-par-1/servers/${node.id.split('/')[1]}/user_data/cloud-init`, {
      method: 'PATCH',
      headers: { 'x-auth-token': harness.fake.token, 'content-type': 'text/plain' },
      body: huge,
    });
    expect(set.status).toBe(204);
    const error = (await rejectionOf(harness.driver.getLaunchSpec!(node))) as CloudError;
    expect(error).toMatchObject({ provider: 'scaleway', operation: 'getLaunchSpec', code: 'malformed-response', location: 'fr-par-1' });
    expect(error.message).toContain(`user data of ${Buffer.byteLength(huge)} bytes, more than the ${LAUNCH_USER_DATA_MAX_BYTES} read back`);
    expect(error.message).not.toContain('hunter2');
    await harness.driver.destroyNode(node);
  });

  it('is a NodeNotFoundError for a server that is gone, and a typed error naming the zone when it fails', async () => {
    const node = await harness.driver.createNode({ ...request, name: 'ls-3', userData: SECRET_USER_DATA });
    harness.fake.failZone('fr-par-1');
    const failed = (await rejectionOf(harness.driver.getLaunchSpec!(node))) as CloudError;
    harness.fake.healZone('fr-par-1');
    expect(isProviderUnavailableError(failed)).toBe(true);
    expect(failed).toMatchObject({ provider: 'scaleway', operation: 'getLaunchSpec', location: 'fr-par-1' });
    expect(failed.message).not.toContain('hunter2');

    await harness.driver.destroyNode(node);
    const gone = { ...node, state: 'terminated' as const };
    expect(isNodeNotFoundError(await rejectionOf(harness.driver.getLaunchSpec!(gone)))).toBe(true);
  });
});
