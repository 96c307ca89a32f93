/**
 * Root passwords the target generates come back once, as `Secret`s, in the migration report:
 * Hetzner returns one for a server created without SSH keys; the Linode driver generates one for
 * every instance. Asserted against what the fakes hold or answered.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { MultiCloud } from '../../src/multicloud/index.js';
import { createLocalDriver } from '../../providers/local/index.js';
import { startHetznerHarness, type HetznerHarness } from '../hetzner/harness.js';
import { startLinodeHarness, type LinodeHarness } from '../linode/harness.js';
import { SSH_KEY } from './helpers.js';

let hetzner: HetznerHarness | undefined;
let linode: LinodeHarness | undefined;
afterEach(async () => {
  await hetzner?.close();
  await linode?.close();
  hetzner = linode = undefined;
});

const WAIT = { intervalMs: 500, maxIntervalMs: 2_000, timeoutMs: 300_000 };

async function sourceWith(sshKeys: string[]) {
  const local = createLocalDriver({ idPrefix: 'src-', timings: { boot: 5 } });
  await local.waitForNode(
    await local.createNode({ name: 'web-1', size: 's-2vcpu-4gb', image: 'ubuntu-24.04-x64', location: 'fra1', sshKeys }),
    'running',
    { intervalMs: 5 },
  );
  return local;
}

describe('generated root passwords in the migration report', () => {
  it('Hetzner: the root_password of a server created without keys, once, never printed', async () => {
    hetzner = await startHetznerHarness();
    const multi = new MultiCloud({ drivers: { local: await sourceWith([]), hetzner: hetzner.driver } });
    const plan = await multi.planMigration({ from: 'local', to: 'hetzner' });
    expect(plan.steps[0]?.target.launch?.warnings.join(' ')).toMatch(/nobody can log in/);
    const report = await multi.migrate(plan, { wait: WAIT });
    const password = report.results[0]?.credentials?.rootPassword;
    expect(password?.reveal()).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    const answered = hetzner.fake.requests.find((request) => request.method === 'POST' && request.path.endsWith('/servers'));
    expect(answered).toBeDefined();
    const printed = `${JSON.stringify(report)} ${inspect(report, { depth: 10 })}`;
    expect(printed).not.toContain(password?.reveal());
    const again = await multi.migrate(plan, { wait: WAIT });
    expect(again).toMatchObject({ created: 0 });
    expect(again.results[0]?.credentials).toBeUndefined();
  });

  it('Linode: the password the driver generated is the one the instance was created with', async () => {
    linode = await startLinodeHarness();
    const multi = new MultiCloud({ drivers: { local: await sourceWith([SSH_KEY]), linode: linode.driver } });
    const report = await multi.migrate(await multi.planMigration({ from: 'local', to: 'linode' }), { wait: WAIT });
    const result = report.results[0];
    const sent = linode.fake.created.get(Number(result?.target?.node.id));
    expect(sent?.rootPass).toBeDefined();
    expect(result?.credentials?.rootPassword?.reveal()).toBe(sent?.rootPass);
    expect(JSON.stringify(report)).not.toContain(sent?.rootPass);
  });
});
