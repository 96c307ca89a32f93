/** Key pairs on the local provider: the simulator's key registry, also shared through the state file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createLocalDriver } from '../../providers/local/index.js';
import { VirtualClock } from '../../src/core/clock.js';
import { makeKey } from '../ssh/sshd.js';
import { keyPairSuite } from './suite.js';

const driver = createLocalDriver({ clock: new VirtualClock(), timings: { terminate: 10 } });
keyPairSuite('local', () => ({
  driver,
  createRequest: (name, sshKeys) => ({ name, size: 's-1vcpu-1gb', image: 'ubuntu-24.04-x64', location: 'fra1', sshKeys }),
  // The registry is local state; the simulator's operation count covers node calls.
  requestCount: () => driver.cloud.operationCount,
}));

const dir = mkdtempSync(join(tmpdir(), 'polycloud-local-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('local: keys live beside the state file, so another process (driver) sees them', async () => {
  const stateFile = join(dir, 'state.json');
  const key = makeKey(dir, 'shared');
  await createLocalDriver({ stateFile }).importKeyPair({ name: 'shared', publicKey: key.publicKey });
  const other = await createLocalDriver({ stateFile }).listKeyPairs();
  expect(other.map((each) => [each.name, each.fingerprint])).toEqual([['shared', key.fingerprint]]);
});
