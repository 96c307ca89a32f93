/** The demo's SSH chapter: a node from a raw image, bootstrapped, a failing command, keys removed with the node. */
import { expect, it } from 'vitest';
import { runSshDemo } from '../../src/cli/demo-ssh.js';

it('bootstraps a local node over SSH and cleans up after itself', async () => {
  const lines: string[] = [];
  const result = await runSshDemo((text = '') => lines.push(text));
  expect(result).toMatchObject({ ok: true, node: 'ssh-000001' });
  expect(result.steps).toEqual([
    { name: 'install', exitCode: 0, lastLine: 'installed app 1.4.2' },
    { name: 'health check', exitCode: 0, lastLine: 'config lines: 2' },
  ]);
  const story = lines.join('\n');
  expect(story).toContain('waiting for SSH on ssh-000001');
  expect(story).toContain('typed ScriptError: exit 3, stderr tail "disk almost full"');
  expect(story).toContain('0 key pair(s) left in the registry');
}, 60_000);
