/**
 * User data on Scaleway over the wire (axios → loopback fake): set as `text/plain` under the
 * `cloud-init` key between the create and the power-on, byte for byte; refused when too large
 * before any request; a server whose user data cannot be set is deleted again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isInvalidRequestError, type InvalidRequestError } from '../../src/core/errors.js';
import { rejectionOf } from '../conformance/suite.js';
import { startScalewayHarness, type ScalewayHarness } from './harness.js';

const SCRIPT = '#cloud-config\nruncmd:\n  - echo "héllo wörld ✓" > /etc/motd\n  - [ sh, -c, "echo $((1 + 1))" ]\n';

describe('scaleway: user data', () => {
  let harness: ScalewayHarness;
  beforeAll(async () => {
    harness = await startScalewayHarness();
  });
  afterAll(async () => harness.close());

  it('sets the user data as text/plain under cloud-init after the create and before the power-on, exactly as given', async () => {
    harness.fake.requests.length = 0;
    const node = await harness.driver.createNode({
      name: 'ud-1',
      size: 'DEV1-S',
      image: 'ubuntu_noble',
      location: 'fr-par-1',
      userData: SCRIPT,
    });
    const serverId = node.id.split('/')[1] ?? '';
    const writes = harness.fake.requests
      .filter((request) => request.method !== 'GET')
      .map((request) => `${request.method} ${request.path}`);
    expect(writes).toEqual([
      'POST /instance/v1/zones/fr-par-1/servers',
      `PATCH /instance/v1/zones/fr-par-1/servers/${serverId}/user_data/cloud-init`,
      `POST /instance/v1/zones/fr-par-1/servers/${serverId}/action`,
    ]);
    const patch = harness.fake.requests.find((request) => request.method === 'PATCH');
    expect(patch?.headers['content-type']).toBe('text/plain');
    expect(patch?.body).toBe(SCRIPT);
    expect(harness.fake.userDataOf(node.id, 'cloud-init')).toBe(SCRIPT);
    expect(harness.fake.violations).toEqual([]);
    await harness.driver.destroyNode(node);
  });

  it('sends no user-data call when none is given', async () => {
    harness.fake.requests.length = 0;
    const node = await harness.driver.createNode({ name: 'ud-2', size: 'DEV1-S', image: 'ubuntu_noble', location: 'fr-par-1' });
    expect(harness.fake.requests.some((request) => request.path.includes('/user_data'))).toBe(false);
    expect(harness.fake.userDataOf(node.id, 'cloud-init')).toBeUndefined();
    await harness.driver.destroyNode(node);
  });

  it('refuses user data over 16 KiB as an InvalidRequestError naming userData, before any request', async () => {
    harness.fake.requests.length = 0;
    const error = await rejectionOf(
      harness.driver.createNode({
        name: 'ud-3',
        size: 'DEV1-S',
        image: 'ubuntu_noble',
        location: 'fr-par-1',
        userData: 'x'.repeat(16 * 1024 + 1),
      }),
    );
    expect(isInvalidRequestError(error), String(error)).toBe(true);
    expect((error as InvalidRequestError).field).toBe('userData');
    expect(harness.fake.requests).toEqual([]);
  });

  it('deletes the server (and its root volume) when its user data is refused, and throws the refusal', async () => {
    const refusing = await startScalewayHarness();
    try {
      refusing.fake.refuseUserData();
      const error = await rejectionOf(
        refusing.driver.createNode({ name: 'ud-4', size: 'DEV1-S', image: 'ubuntu_noble', location: 'fr-par-1', userData: SCRIPT }),
      );
      expect(isInvalidRequestError(error), String(error)).toBe(true);
      expect(refusing.fake.requests.some((request) => request.method === 'POST' && request.path.endsWith('/action'))).toBe(false);
      expect(refusing.fake.requests.some((request) => request.method === 'DELETE' && /\/servers\/[0-9a-f-]{36}$/.test(request.path))).toBe(
        true,
      );
      expect(refusing.fake.serverIds()).toEqual([]);
      expect(refusing.fake.volumeIds()).toEqual([]);
    } finally {
      await refusing.close();
    }
  });
});
