/**
 * The demo's last chapter: a node provisioned from a raw image and bootstrapped over SSH, on the
 * local provider with `ssh: true` (a real SSH server on 127.0.0.1 per node, commands run with
 * /bin/sh in a temporary sandbox directory that is removed afterwards).
 *
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalDriver } from '../../providers/local/index.js';
import { isConfigurationError } from '../core/errors.js';
import { createDriver } from '../core/registry.js';
import { Secret } from '../core/secrets.js';
import { deployNode, isScriptError, memoryHostKeys, runScript } from '../ssh/index.js';
import { loadSsh2 } from '../ssh/load.js';
import { table } from './output.js';

/** What the chapter did, for `--json`. */
export interface SshDemoResult {
  readonly ok: boolean;
  readonly skipped?: string;
  readonly node?: string;
  readonly steps?: readonly { readonly name: string; readonly exitCode: number | null; readonly lastLine: string }[];
}

const STEPS = [
  {
    name: 'install',
    script:
      'mkdir -p etc/app bin && printf "port=8080\\nworkers=2\\n" > etc/app/app.conf && printf "#!/bin/sh\\necho ok\\n" > bin/health && chmod +x bin/health && echo "installed app 1.4.2"',
  },
  { name: 'health check', script: './bin/health && grep -c = etc/app/app.conf | sed "s/^/config lines: /"' },
];

/** Runs the chapter, telling the story through `say`. */
export async function runSshDemo(say: (text?: string) => void): Promise<SshDemoResult> {
  say('9. From a raw image to a ready server (polycloud/ssh deployNode on the local provider with ssh: true)');
  let ssh2;
  try {
    ssh2 = await loadSsh2('demo');
  } catch (error) {
    if (!isConfigurationError(error)) throw error;
    say('  skipped: the optional package ssh2 is not installed (npm install ssh2)');
    return { ok: true, skipped: 'ssh2 is not installed' };
  }
  const root = mkdtempSync(join(tmpdir(), 'polycloud-demo-ssh-'));
  // Real time here: the SSH sessions are real. A short boot keeps the wait brief.
  const driver = (await createDriver('local', { ssh: { root }, timings: { boot: 500 }, idPrefix: 'ssh-' })) as LocalDriver;
  try {
    const pair = ssh2.utils.generateKeyPairSync('ed25519');
    const privateKey = new Secret(pair.private);
    const result = await deployNode(
      driver,
      { name: 'app-1', size: 's-1vcpu-1gb', image: 'ubuntu-24.04-x64', location: 'fra1', idempotencyKey: 'demo-app-1' },
      { privateKey, steps: STEPS, hostKeys: memoryHostKeys(), onProgress: ({ message }) => say(`  … ${message}`) },
    );
    const steps = result.results.map((step) => ({
      name: step.name,
      exitCode: step.exitCode,
      lastLine: step.stdout.trim().split('\n').at(-1) ?? '',
    }));
    say(
      table(
        ['STEP', 'EXIT', 'LAST LINE OF OUTPUT'],
        steps.map((step) => [step.name, String(step.exitCode), step.lastLine]),
      ),
    );
    const failed = await runScript(result.node, 'echo "checking disk"; echo "disk almost full" >&2; exit 3', {
      privateKey,
      driver,
    }).catch((error: unknown) => error);
    if (isScriptError(failed))
      say(`  A failing command is a typed ScriptError: exit ${failed.exitCode}, stderr tail "${failed.stderrTail.trim()}"`);
    await driver.destroyNode(result.node, { removeKeys: true });
    const keysLeft = (await driver.listKeyPairs()).length;
    say(`  Destroyed ${result.node.id} with removeKeys: ${keysLeft} key pair(s) left in the registry.`);
    say();
    return { ok: steps.every((step) => step.exitCode === 0) && isScriptError(failed) && keysLeft === 0, node: result.node.id, steps };
  } finally {
    await driver.closeSsh();
    rmSync(root, { recursive: true, force: true });
  }
}
