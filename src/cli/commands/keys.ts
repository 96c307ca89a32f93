/**
 * `polycloud keys list|import|delete|cleanup`: the SSH key registries of the configured clouds.
 *
 * @module
 */
import { readFileBounded } from '../../core/files.js';
import { MAX_PUBLIC_KEY_LENGTH } from '../../core/key-pairs.js';
import type { Command } from 'commander';
import type { KeyPair } from '../../core/key-pairs.js';
import { action, contextOf, pickCloud } from '../context.js';
import { EXIT, table, toJson } from '../output.js';

function keyTable(rows: readonly { cloud: string; key: KeyPair }[]): string {
  return table(
    ['cloud', 'id', 'name', 'fingerprint', 'managed', 'created'],
    rows.map(({ cloud, key }) => [
      cloud,
      key.id,
      key.name,
      key.fingerprint ?? '-',
      key.managed ? 'yes' : 'no',
      key.createdAt?.toISOString() ?? '-',
    ]),
  );
}

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('SSH key pairs registered with the clouds (where the provider has a registry)');

  keys
    .command('list')
    .description('List key pairs; "managed" ones were registered by polycloud on create')
    .option('--cloud <name>', 'only this cloud (default: every cloud with a key registry)')
    .action(
      action(async (options: { cloud?: string }, command: Command) => {
        const { multi, output } = await contextOf(command);
        const clouds = options.cloud ? [options.cloud] : multi.clouds.filter((name) => multi.driver(name).capabilities.keyPairs);
        const rows: { cloud: string; key: KeyPair }[] = [];
        for (const cloud of clouds) for (const key of await multi.driver(cloud).listKeyPairs()) rows.push({ cloud, key });
        output.out(output.json ? toJson(rows) : rows.length ? keyTable(rows) : 'no key pairs');
        return EXIT.ok;
      }),
    );

  keys
    .command('import')
    .description('Register a public key')
    .requiredOption('--name <name>', 'key name')
    .requiredOption('--public-key <file>', 'OpenSSH public key file, e.g. ~/.ssh/id_ed25519.pub')
    .option('--cloud <name>', 'the cloud (required when several are configured)')
    .action(
      action(async (options: { name: string; publicKey: string; cloud?: string }, command: Command) => {
        const { multi, output } = await contextOf(command);
        const cloud = pickCloud(multi, options.cloud);
        const key = await multi.driver(cloud).importKeyPair({
          name: options.name,
          publicKey: (
            await readFileBounded(options.publicKey, MAX_PUBLIC_KEY_LENGTH + 2, {
              provider: 'polycloud',
              operation: 'importKeyPair',
              field: '--public-key',
            })
          ).trim(),
        });
        output.out(output.json ? toJson({ cloud, key }) : keyTable([{ cloud, key }]));
        return EXIT.ok;
      }),
    );

  keys
    .command('delete')
    .description('Delete a key pair by id')
    .argument('<id>', 'key pair id (see keys list)')
    .option('--cloud <name>', 'the cloud (required when several are configured)')
    .action(
      action(async (options: { args?: unknown[]; cloud?: string }, command: Command) => {
        const [id] = (options.args ?? []) as [string];
        const { multi, output } = await contextOf(command);
        const cloud = pickCloud(multi, options.cloud);
        await multi.driver(cloud).deleteKeyPair(id);
        output.out(output.json ? toJson({ cloud, deleted: id }) : `deleted ${id} from ${cloud}`);
        return EXIT.ok;
      }),
    );

  keys
    .command('cleanup')
    .description('Delete the managed key pairs (polycloud-…) that no node uses any more')
    .option('--cloud <name>', 'only this cloud (default: every cloud with a key registry)')
    .action(
      action(async (options: { cloud?: string }, command: Command) => {
        const { multi, output } = await contextOf(command);
        const clouds = options.cloud ? [options.cloud] : multi.clouds.filter((name) => multi.driver(name).capabilities.keyPairs);
        const rows: { cloud: string; key: KeyPair }[] = [];
        for (const cloud of clouds) for (const key of await multi.driver(cloud).cleanupKeyPairs()) rows.push({ cloud, key });
        output.out(output.json ? toJson({ removed: rows }) : rows.length ? `removed:\n${keyTable(rows)}` : 'nothing to remove');
        return EXIT.ok;
      }),
    );
}
