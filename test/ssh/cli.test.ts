/**
 * The SSH commands of the built `polycloud` binary, against the local provider with SSH on
 * (POLYCLOUD_LOCAL_SSH=1): `create --script`, `run`, `ssh --print`, `keys list|cleanup`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeKey, type TestKey } from './sshd.js';

const binary = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'src', 'cli', 'main.js');
let home: string;
let key: TestKey;

function polycloud(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(AWS_|GOOGLE_|DIGITALOCEAN_|HCLOUD_|LINODE_|POLYCLOUD_)/.test(name)),
  ) as Record<string, string>;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [binary, ...args],
      // The local provider named on purpose: the CLI's simulator fallback would add its notice to stderr.
      {
        env: { ...env, HOME: home, POLYCLOUD_PROVIDERS: 'local', POLYCLOUD_STATE_FILE: join(home, 'state.json'), POLYCLOUD_LOCAL_SSH: '1' },
        timeout: 120_000,
      },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'polycloud-cli-ssh-'));
  key = makeKey(home, 'id_test');
  writeFileSync(join(home, 'setup.sh'), 'set -e\nmkdir -p app\necho healthy > app/status\necho "set up as $USER"\n');
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

it('create --script bootstraps a node; run streams a command and exits with its code; keys and ssh --print work', async () => {
  const keyPath = join(home, 'id_test');
  const created = await polycloud([
    'create',
    '--name',
    'web-1',
    '--size',
    's-1vcpu-1gb',
    '--location',
    'fra1',
    '--os',
    'ubuntu',
    '--os-version',
    '24.04',
    '--script',
    join(home, 'setup.sh'),
    '--key',
    keyPath,
  ]);
  expect(created.stderr).toContain('waiting for SSH on node-000001');
  expect(created.code).toBe(0);
  expect(created.stdout).toContain('set up as ubuntu');
  expect(created.stdout).toMatch(/ssh: ubuntu@127\.0\.0\.1 -p \d+ {2}\(host key SHA256:/);

  const ran = await polycloud(['run', 'web-1', '--key', keyPath, '--', 'cat app/status; echo oops >&2; exit 4']);
  expect(ran).toMatchObject({ code: 4, stdout: 'healthy\n', stderr: 'oops\n' });
  const json = await polycloud(['--json', 'run', 'node-000001', '--key', keyPath, '--', 'echo', 'hi']);
  expect(JSON.parse(json.stdout)).toMatchObject({ node: 'node-000001', exitCode: 0, stdout: 'hi\n' });
  expect(json.stdout).not.toContain(key.privateKey.split('\n')[2]);

  const printed = await polycloud(['ssh', 'web-1', '--key', keyPath, '--print']);
  expect(printed.stdout).toMatch(
    new RegExp(`^ssh -i ${keyPath} -p \\d+ -o HostKeyAlias=polycloud-local-node-000001 ubuntu@127\\.0\\.0\\.1\\n$`),
  );

  const listed = JSON.parse((await polycloud(['--json', 'keys', 'list'])).stdout) as { key: { fingerprint: string; managed: boolean } }[];
  expect(listed.map((row) => [row.key.fingerprint, row.key.managed])).toEqual([[key.fingerprint, true]]);
  expect((await polycloud(['keys', 'cleanup'])).stdout).toContain('nothing to remove');
}, 180_000);
