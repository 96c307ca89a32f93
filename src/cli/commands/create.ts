/**
 * `polycloud create`: one node, by size id or by portable criteria, with the image by id or by
 * OS family and version.
 *
 * @module
 */
import { readFileBounded, USER_DATA_FILE, USER_DATA_FILE_MAX_BYTES } from '../../core/files.js';
import type { Command } from 'commander';
import { InvalidRequestError } from '../../core/errors.js';
import { findImage } from '../../multicloud/select.js';
import type { Arch } from '../../core/types.js';
import { action, collect, contextOf, parseNumber, parsePairs, pickCloud } from '../context.js';
import { EXIT, toJson } from '../output.js';
import { startProgress } from '../progress.js';
import { nodeTable } from './nodes.js';
import { deployWithScript } from './create-script.js';

interface CreateOptions {
  cloud?: string;
  name: string;
  size: string;
  location: string;
  image?: string;
  os?: string;
  osVersion?: string;
  arch?: string;
  tag?: string[];
  sshKey?: string[];
  userDataFile?: string;
  idempotencyKey?: string;
  wait?: boolean;
  waitTimeout?: string;
  script?: string;
  key?: string;
}

export function registerCreate(program: Command): void {
  program
    .command('create')
    .description('Create a node (the image by id, or by --os and --os-version)')
    .option('--cloud <name>', 'the cloud to create it in (required when several are configured)')
    .requiredOption('--name <name>', 'node name')
    .requiredOption('--size <id>', 'size id (see `polycloud sizes`)')
    .requiredOption('--location <id>', 'location id')
    .option('--image <id>', 'image id')
    .option('--os <family>', 'OS family of a base image, e.g. ubuntu (instead of --image)')
    .option('--os-version <version>', 'OS version, e.g. 24.04 (with --os)')
    .option('--arch <arch>', 'image architecture, x86_64 or arm64 (with --os; default: any)')
    .option('--tag <key=value>', 'tag (repeatable)', collect)
    .option('--ssh-key <key>', 'OpenSSH public key to authorise (repeatable)', collect)
    .option('--user-data-file <path>', 'cloud-init user data file')
    .option('--idempotency-key <key>', 'repeat-safe key: the same key never creates a second node')
    .option('--wait', 'wait until the node is running')
    .option('--wait-timeout <seconds>', 'give up waiting after this long', '600')
    .option('--script <file>', 'bootstrap: wait for SSH, then run this shell script on the node (see polycloud/ssh)')
    .option('--key <file>', 'private key for --script (default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa)')
    .action(
      action(async (options: CreateOptions, command: Command) => {
        const { multi, output } = await contextOf(command);
        const cloud = pickCloud(multi, options.cloud);
        const driver = multi.driver(cloud);
        let image = options.image;
        if (image === undefined) {
          if (!options.os || !options.osVersion) {
            throw new InvalidRequestError('give --image, or --os and --os-version', {
              provider: 'polycloud',
              operation: 'cli',
              field: 'image',
            });
          }
          // Without --arch, the image must still suit the size: its architecture decides.
          const arch =
            (options.arch as Arch | undefined) ??
            (await driver.listSizes({ location: options.location })).find((size) => size.id === options.size)?.arch;
          const found = await findImage(driver, {
            os: options.os,
            version: options.osVersion,
            location: options.location,
            ...(arch ? { arch } : {}),
          });
          if (!found)
            throw new InvalidRequestError(
              `${cloud} has no ${options.os} ${options.osVersion} image${options.arch ? ` for ${options.arch}` : ''}`,
              { provider: 'polycloud', operation: 'cli', field: 'os' },
            );
          image = found.id;
        }
        const tags = parsePairs('tag', options.tag);
        const userData =
          options.userDataFile === undefined
            ? undefined
            : await readFileBounded(options.userDataFile, USER_DATA_FILE_MAX_BYTES, USER_DATA_FILE);
        if (options.script) {
          return deployWithScript(driver, output, cloud, options, {
            name: options.name,
            size: options.size,
            image,
            location: options.location,
            ...(tags ? { tags } : {}),
            ...(options.sshKey ? { sshKeys: options.sshKey } : {}),
            ...(userData !== undefined ? { userData } : {}),
            ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
          });
        }
        let node = await driver.createNode({
          name: options.name,
          size: options.size,
          image,
          location: options.location,
          ...(tags ? { tags } : {}),
          ...(options.sshKey ? { sshKeys: options.sshKey } : {}),
          ...(userData !== undefined ? { userData } : {}),
          ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
        });
        if (options.wait) {
          const progress = startProgress(output, 1, 'waiting');
          progress.note(`${node.name} ${node.state}`);
          node = await driver.waitForNode(node, 'running', {
            timeoutMs: (parseNumber('wait-timeout', options.waitTimeout) ?? 600) * 1000,
            intervalMs: 250,
          });
          progress.tick(`${node.name} ${node.state}`);
          progress.stop();
        }
        output.out(output.json ? toJson({ cloud, node }) : nodeTable([{ cloud, node }]));
        return EXIT.ok;
      }),
    );
}
