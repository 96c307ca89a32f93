/**
 * deployNode end to end on the embedded local provider with `ssh: true`: every simulated node
 * answers SSH on 127.0.0.1 (ssh2's server) and runs commands with /bin/sh in its own sandbox.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalDriver, type LocalDriver } from '../../providers/local/index.js';
import { Secret } from '../../src/core/secrets.js';
import { deployNode, isDeployError, memoryHostKeys, runScript, waitForSsh, type DeployProgress } from '../../src/ssh/index.js';
import { makeKey, type TestKey } from './sshd.js';

let driver: LocalDriver;
let key: TestKey;
let other: TestKey;
let root: string;
const request = (name: string) => ({ name, size: 's-1vcpu-1gb', image: 'ubuntu-24.04-x64', location: 'fra1' });

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'polycloud-local-ssh-test-'));
  key = makeKey(root, 'deploy');
  other = makeKey(root, 'other');
  // Real time: the SSH sessions are real. Boot takes 300 ms, so SSH is first refused, then accepted.
  driver = createLocalDriver({ ssh: { root: join(root, 'sandboxes') }, timings: { boot: 300, terminate: 100 } });
});
afterAll(async () => {
  await driver.closeSsh();
  rmSync(root, { recursive: true, force: true });
});

describe('deployNode on the local provider', () => {
  it('creates a node from a raw image, waits for running and SSH, and runs each step in its sandbox', async () => {
    const progress: DeployProgress[] = [];
    const result = await deployNode(
      driver,
      { ...request('web-1'), idempotencyKey: 'web-1' },
      {
        privateKey: new Secret(key.privateKey),
        waitForCloudInit: true,
        steps: [
          { name: 'write', script: 'echo "$GREETING" > greeting.txt && pwd', env: { GREETING: 'hello from a step' } },
          { name: 'read', script: 'cat greeting.txt; id -un >/dev/null; echo "user=$USER"' },
        ],
        hostKeys: memoryHostKeys(),
        onProgress: (event) => progress.push(event),
      },
    );
    expect(result.login).toMatchObject({ user: 'ubuntu', host: '127.0.0.1' });
    expect(result.results.map((step) => [step.name, step.exitCode])).toEqual([
      ['cloud-init', 0],
      ['write', 0],
      ['read', 0],
    ]);
    expect(result.results[0]?.stdout).toContain('cloud-init is not installed');
    expect(result.results[1]?.stdout.trim()).toBe(join(root, 'sandboxes', result.node.id));
    expect(result.results[2]?.stdout).toBe('hello from a step\nuser=ubuntu\n');
    expect(result.node.state).toBe('running');
    expect(result.hostKey.fingerprint).toMatch(/^SHA256:/);
    expect([...new Set(progress.map((event) => event.phase))]).toEqual(['create', 'running', 'ssh', 'cloud-init', 'step', 'done']);

    // The same idempotency key deploys onto the same node; steps run again there.
    const again = await deployNode(
      driver,
      { ...request('web-1'), idempotencyKey: 'web-1' },
      {
        privateKey: new Secret(key.privateKey),
        script: 'cat greeting.txt',
      },
    );
    expect(again.node.id).toBe(result.node.id);
    expect(again.results[0]?.stdout).toBe('hello from a step\n');
    expect(again.hostKey.fingerprint).toBe(result.hostKey.fingerprint);
  }, 60_000);

  it('says which step failed, with its exit code and output, and keeps the node unless told otherwise', async () => {
    const error = await deployNode(
      driver,
      { ...request('web-2'), idempotencyKey: 'web-2' },
      {
        privateKey: new Secret(key.privateKey),
        steps: [
          { name: 'ok', script: 'true' },
          { name: 'install', script: 'echo fetching; echo "E: Unable to locate package nginxx" >&2; exit 100' },
          { name: 'never', script: 'touch never-ran' },
        ],
      },
    ).catch((e: unknown) => e);
    expect(isDeployError(error)).toBe(true);
    if (!isDeployError(error)) return;
    expect(error).toMatchObject({ phase: 'step', step: 'install', exitCode: 100, destroyed: false });
    expect(error.stderrTail).toContain('Unable to locate package nginxx');
    expect(error.message).toContain('step "install" failed on node');
    expect((await driver.getNode(error.nodeId ?? '')).state).toBe('running');

    const destroyed = await deployNode(
      driver,
      { ...request('web-3'), idempotencyKey: 'web-3' },
      {
        privateKey: new Secret(key.privateKey),
        script: 'exit 1',
        destroyOnFailure: true,
      },
    ).catch((e: unknown) => e);
    expect(destroyed).toMatchObject({ name: 'DeployError', phase: 'step', destroyed: true });
    const node = await driver.getNode((destroyed as { nodeId: string }).nodeId);
    expect(['terminating', 'terminated']).toContain(node.state);
  }, 60_000);

  it('accepts only the keys the node was created with, for the image login user', async () => {
    const node = await driver.createNode({ ...request('web-4'), sshKeys: [key.publicKey] });
    await driver.waitForNode(node, 'running', { intervalMs: 50 });
    const rejected = await runScript(node, 'true', { privateKey: other.privateKey, driver }).catch((e: unknown) => e);
    expect(rejected).toMatchObject({ name: 'SshConnectionError', obstacle: 'auth failed' });
    const wrongUser = await runScript(node, 'true', { privateKey: key.privateKey, driver, user: 'root' }).catch((e: unknown) => e);
    expect(wrongUser).toMatchObject({ obstacle: 'auth failed' });
    const debian = await driver.createNode({ ...request('web-5'), image: 'debian-12-x64', sshKeys: [key.publicKey] });
    expect((await driver.sshLogin(debian)).user).toBe('admin');
  }, 60_000);

  it('refuses SSH while a node is not running, and waitForSsh names it', async () => {
    // A node that stays pending for an hour: no timing involved.
    const slow = createLocalDriver({ ssh: { root: join(root, 'slow') }, timings: { boot: 3_600_000 } });
    try {
      const node = await slow.createNode({ ...request('web-6'), sshKeys: [key.publicKey] });
      const login = await slow.sshLogin(node);
      expect(login).toMatchObject({ user: 'ubuntu', host: '127.0.0.1' });
      const refused = await runScript(node, 'true', { privateKey: key.privateKey, driver: slow }).catch((e: unknown) => e);
      expect(refused).toMatchObject({ name: 'SshConnectionError', obstacle: 'refused' });
      const waited = await waitForSsh(node, { privateKey: key.privateKey, driver: slow, timeoutMs: 300, intervalMs: 50 }).catch(
        (e: unknown) => e,
      );
      expect(waited).toMatchObject({ name: 'SshTimeoutError', obstacle: 'node not running' });
    } finally {
      await slow.closeSsh();
    }
  }, 60_000);
});
