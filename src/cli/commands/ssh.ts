/**
 * `polycloud ssh NODE`: hands over to the system `ssh` with the node's login user, address and
 * port, the host key recorded under an alias per node (so loopback nodes on many ports, or an
 * address reused by a new node, never clash in `known_hosts`).
 *
 * @module
 */
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { ConflictError } from '../../core/errors.js';
import { action, contextOf, parseNumber } from '../context.js';
import { EXIT } from '../output.js';
import { locateNode } from './ssh-common.js';

interface SshOptions {
  args?: unknown[];
  cloud?: string;
  key?: string;
  user?: string;
  port?: string;
  print?: boolean;
}

/** The `ssh` command line for a login. */
export function sshArguments(
  login: { user: string; host: string; port: number },
  alias: string,
  key: string | undefined,
  extra: readonly string[],
): string[] {
  return [...(key ? ['-i', key] : []), '-p', String(login.port), '-o', `HostKeyAlias=${alias}`, `${login.user}@${login.host}`, ...extra];
}

export function registerSsh(program: Command): void {
  program
    .command('ssh')
    .description('Open an SSH session to a node with the system ssh (user, address and port from the driver)')
    .argument('<node>', 'node id or name')
    .argument('[ssh-args...]', 'more arguments for ssh, after --')
    .option('--cloud <name>', 'the cloud the node is in (default: look in every configured cloud)')
    .option('--key <file>', 'private key for ssh -i (default: ssh’s own choice)')
    .option('--user <name>', 'login user (default: the image’s, e.g. ubuntu)')
    .option('--port <port>', 'SSH port (default: the driver’s)')
    .option('--print', 'print the ssh command instead of running it')
    .action(
      action(async (options: SshOptions, command: Command) => {
        const [target, extra = []] = (options.args ?? []) as [string, string[]?];
        const { multi, output } = await contextOf(command);
        const { driver, node } = await locateNode(multi, target, options.cloud);
        const login = await driver.sshLogin(node);
        if (!login.host) throw new ConflictError(`node ${node.id} has no address yet`, { provider: node.provider, operation: 'cli' });
        const port = parseNumber('port', options.port);
        const args = sshArguments(
          { user: options.user ?? login.user, host: login.host, port: port ?? login.port },
          `polycloud-${node.provider}-${node.id}`,
          options.key,
          extra,
        );
        if (options.print) {
          output.out(['ssh', ...args].map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`)).join(' '));
          return EXIT.ok;
        }
        const child = spawn('ssh', args, { stdio: 'inherit' });
        return new Promise<number>((resolve) => {
          child.on('error', () => resolve(EXIT.failed));
          child.on('exit', (code) => resolve(code ?? EXIT.failed));
        });
      }),
    );
}
