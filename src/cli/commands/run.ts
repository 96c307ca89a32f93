/**
 * `polycloud run NODE -- command…`: runs a command on a node over SSH, streams its output, and
 * exits with its exit code.
 *
 * @module
 */
import type { Command } from 'commander';
import { InvalidRequestError } from '../../core/errors.js';
import { isScriptError, runScript } from '../../ssh/index.js';
import { action, contextOf, parseNumber } from '../context.js';
import { EXIT, toJson } from '../output.js';
import { cliHostKeys, locateNode, readPrivateKey } from './ssh-common.js';

interface RunOptions {
  args?: unknown[];
  cloud?: string;
  key?: string;
  user?: string;
  port?: string;
  timeout?: string;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('Run a command on a node over SSH (as the login user of its image); exits with its exit code')
    .argument('<node>', 'node id or name')
    .argument('<command...>', 'the command, after --')
    .option('--cloud <name>', 'the cloud the node is in (default: look in every configured cloud)')
    .option('--key <file>', 'private key (default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa)')
    .option('--user <name>', 'login user (default: the image’s, e.g. ubuntu)')
    .option('--port <port>', 'SSH port (default: the driver’s)')
    .option('--timeout <seconds>', 'give up after this long', '1800')
    .action(
      action(async (options: RunOptions, command: Command) => {
        const [target, words] = (options.args ?? []) as [string, string[]];
        if (!words?.length)
          throw new InvalidRequestError('give the command after --', { provider: 'polycloud', operation: 'cli', field: 'command' });
        const { multi, output } = await contextOf(command);
        const { driver, node } = await locateNode(multi, target, options.cloud);
        const { key } = await readPrivateKey(options.key);
        const port = parseNumber('port', options.port);
        try {
          const result = await runScript(node, words.join(' '), {
            privateKey: key,
            driver,
            hostKeys: cliHostKeys(),
            throwOnFailure: false,
            timeoutMs: (parseNumber('timeout', options.timeout) ?? 1800) * 1000,
            ...(options.user ? { user: options.user } : {}),
            ...(port !== undefined ? { port } : {}),
            // People see the output as it comes; scripts get it in the JSON document.
            ...(output.json ? {} : { onOutput: (chunk, stream) => (stream === 'stdout' ? process.stdout : process.stderr).write(chunk) }),
          });
          if (output.json) output.out(toJson({ node: node.id, ...result }));
          return result.exitCode ?? EXIT.failed;
        } catch (error) {
          if (isScriptError(error)) return error.exitCode ?? EXIT.failed;
          throw error;
        }
      }),
    );
}
