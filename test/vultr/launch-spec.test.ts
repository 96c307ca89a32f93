/**
 * The Vultr driver's launch spec on the wire: the user data given at create read back from
 * `GET /instances/{id}/user-data`, the image from `GET /os`, the keys polycloud marked the
 * instance with from the registry; none for an instance created without; failures as typed
 * errors that never echo the user data.
 */
import { describe, expect, it } from 'vitest';
import { isCloudError, isNodeNotFoundError, type CloudError } from '../../src/core/errors.js';
import { LAUNCH_USER_DATA_MAX_BYTES } from '../../src/core/user-data.js';
import { rejectionOf } from '../conformance/suite.js';
import { useVultrHarness } from './harness.js';

const KEY_A = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx4b3JlbS1pcHN1bS1kb2xvci1zaXQtYW1ldC0x alice@example';
const SECRET_USER_DATA = '#cloud-config\nwrite_files:\n  - path: /etc/app.env\n    content: DB_PASSWORD=hunter2-vultr\n';
const base = { size: 'vc2-1c-1gb', image: '2284', location: 'ewr' } as const;

const harness = useVultrHarness();

const requestsTo = (method: string, path: string) =>
  harness().fake.requests.filter((request) => request.method === method && request.path === path);

describe('vultr getLaunchSpec', () => {
  it('reads back the user data, the OS image and the marked SSH key of an instance created with them', async () => {
    const node = await harness().driver.createNode({ ...base, name: 'web-1', userData: SECRET_USER_DATA, sshKeys: [KEY_A] });
    const [osListsBefore, keyListsBefore] = [requestsTo('GET', '/v2/os').length, requestsTo('GET', '/v2/ssh-keys').length];
    const spec = await harness().driver.getLaunchSpec!(node);
    expect(spec.userData).toBe(SECRET_USER_DATA);
    expect(spec.sshKeys).toEqual([KEY_A.trim()]);
    expect(spec.unreadableKeyNames).toBeUndefined();
    expect(spec.image).toMatchObject({ id: '2284', provider: 'vultr', os: { family: 'ubuntu', version: '24.04' } });
    const [read] = requestsTo('GET', `/v2/instances/${node.id}/user-data`);
    expect(read?.headers.authorization).toBe(`Bearer ${harness().fake.token}`);
    expect(requestsTo('GET', '/v2/os')).toHaveLength(osListsBefore + 1);
    expect(requestsTo('GET', '/v2/ssh-keys')).toHaveLength(keyListsBefore + 1);
  });

  it('gives no user data and no keys for an instance created without, and does not read the key registry', async () => {
    const node = await harness().driver.createNode({ ...base, name: 'bare' });
    const keyListsBefore = requestsTo('GET', '/v2/ssh-keys').length;
    const spec = await harness().driver.getLaunchSpec!(node.id);
    expect('userData' in spec).toBe(false);
    expect(spec.sshKeys).toEqual([]);
    expect(requestsTo('GET', `/v2/instances/${node.id}/user-data`)).toHaveLength(1);
    expect(requestsTo('GET', '/v2/ssh-keys')).toHaveLength(keyListsBefore);
  });

  it('names a marked key that is no longer registered instead of dropping it silently', async () => {
    const node = await harness().driver.createNode({ ...base, name: 'keyed', sshKeys: [KEY_A] });
    const [key] = [...harness().fake.sshKeys.values()];
    await harness().driver.deleteKeyPair!(key!.id);
    const spec = await harness().driver.getLaunchSpec!(node);
    expect(spec.sshKeys).toEqual([]);
    expect(spec.unreadableKeyNames).toEqual([key!.name]);
  });

  it('maps a failed user-data read to a typed error naming provider, operation and request id, without the user data', async () => {
    const node = await harness().driver.createNode({ ...base, name: 'failing', userData: SECRET_USER_DATA });
    harness().fake.script.push({
      method: 'GET',
      path: `/v2/instances/${node.id}/user-data`,
      times: 10,
      response: { status: 500, headers: { 'x-request-id': 'req-vultr-7' }, body: { error: 'Internal Server Error', status: 500 } },
    });
    const error = (await rejectionOf(harness().driver.getLaunchSpec!(node))) as CloudError;
    expect(isCloudError(error)).toBe(true);
    expect(error).toMatchObject({ provider: 'vultr', operation: 'getLaunchSpec', requestId: 'req-vultr-7', statusCode: 500 });
    expect(error.message).not.toContain('hunter2');
  });

  it('refuses user data larger than the read-back bound, saying only its size', async () => {
    const node = await harness().driver.createNode({ ...base, name: 'huge' });
    const oversized = Buffer.from(`#cloud-config\n# hunter2 ${'x'.repeat(LAUNCH_USER_DATA_MAX_BYTES)}`).toString('base64');
    harness().fake.script.push({
      method: 'GET',
      path: `/v2/instances/${node.id}/user-data`,
      response: { status: 200, body: { user_data: { data: oversized } } },
    });
    const error = (await rejectionOf(harness().driver.getLaunchSpec!(node))) as CloudError;
    expect(error).toMatchObject({ provider: 'vultr', operation: 'getLaunchSpec', code: 'malformed-response' });
    expect(error.message).toMatch(/user data of about \d+ bytes, more than the 1048576 read back/);
    expect(error.message).not.toContain('hunter2');
  });

  it('is a NodeNotFoundError for an instance that is gone', async () => {
    const node = await harness().driver.createNode({ ...base, name: 'gone' });
    await harness().driver.destroyNode(node.id);
    const error = await rejectionOf(harness().driver.getLaunchSpec!(node.id));
    expect(isNodeNotFoundError(error)).toBe(true);
  });
});
