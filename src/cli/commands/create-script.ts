/**
 * `polycloud create … --script setup.sh`: create, wait for running and SSH, run the script, with
 * progress on stderr and the step's result (or the failing step, exit code and output tail).
 *
 * @module
 */
import { readFileBounded } from '../../core/files.js';
import type { Driver } from '../../core/driver.js';
import type { CreateNodeRequest } from '../../core/types.js';
import { MAX_SCRIPT_BYTES, deployNode } from '../../ssh/index.js';
import { parseNumber } from '../context.js';
import { EXIT, table, toJson, type Output } from '../output.js';
import { nodeTable } from './nodes.js';
import { cliHostKeys, readPrivateKey } from './ssh-common.js';

/** Deploys a node with `--script`; returns the exit code. */
export async function deployWithScript(
  driver: Driver,
  output: Output,
  cloud: string,
  options: { script?: string; key?: string; waitTimeout?: string },
  request: CreateNodeRequest,
): Promise<number> {
  const script = await readFileBounded(options.script ?? '', MAX_SCRIPT_BYTES, {
    provider: 'polycloud',
    operation: 'createNode',
    field: '--script',
  });
  const { key } = await readPrivateKey(options.key);
  const timeoutMs = (parseNumber('wait-timeout', options.waitTimeout) ?? 600) * 1000;
  const result = await deployNode(driver, request, {
    privateKey: key,
    steps: [{ name: options.script ?? 'script', script }],
    hostKeys: cliHostKeys(),
    runningTimeoutMs: timeoutMs,
    sshTimeoutMs: timeoutMs,
    ...(output.json ? {} : { onProgress: ({ message }) => output.err(`… ${message}`) }),
  });
  if (output.json) {
    output.out(toJson({ cloud, node: result.node, login: result.login, hostKey: result.hostKey, results: result.results }));
    return EXIT.ok;
  }
  output.out(nodeTable([{ cloud, node: result.node }]));
  output.out(
    table(
      ['step', 'exit', 'ms', 'last line of output'],
      result.results.map((step) => [
        step.name,
        String(step.exitCode),
        String(step.durationMs),
        step.stdout.trim().split('\n').at(-1) ?? '',
      ]),
    ),
  );
  output.out(`ssh: ${result.login.user}@${result.login.host} -p ${result.login.port}  (host key ${result.hostKey.fingerprint})`);
  return EXIT.ok;
}
