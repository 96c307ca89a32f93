/**
 * `polycloud get`, `polycloud start` and `polycloud stop`: one node, or a few, by id (`cloud/id`,
 * or a bare id with `--cloud` or when only one cloud is configured).
 *
 * @module
 */
import type { Command } from 'commander';
import type { MultiCloud } from '../../multicloud/index.js';
import type { Node, NodeState } from '../../core/types.js';
import { action, contextOf, parseNumber, pickCloud } from '../context.js';
import { EXIT, addressOf, formatHourly, table, toJson } from '../output.js';
import { isCloudError } from '../../core/errors.js';

/** `cloud/id` → `{ cloud, id }`; a bare id belongs to `--cloud` or the only configured cloud. */
export function targetOf(multi: MultiCloud, given: string, cloudOption: string | undefined): { cloud: string; id: string } {
  const slash = given.indexOf('/');
  if (slash > 0 && multi.clouds.includes(given.slice(0, slash))) return { cloud: given.slice(0, slash), id: given.slice(slash + 1) };
  return { cloud: pickCloud(multi, cloudOption), id: given };
}

/** A node as `FIELD value` lines, for `get`. */
function nodeDetails(cloud: string, node: Node): string {
  return table(
    ['FIELD', 'VALUE'],
    [
      ['cloud', cloud],
      ['id', node.id],
      ['name', node.name],
      ['state', `${node.state} (${node.rawState})`],
      ['location', `${node.location.id} (${node.location.country ?? '?'})`],
      ['size', node.sizeId ?? '?'],
      ['image', node.imageId ?? '?'],
      ['public IPs', node.publicIps.join(', ') || '-'],
      ['private IPs', node.privateIps.join(', ') || '-'],
      [
        'tags',
        Object.entries(node.tags)
          .map(([key, value]) => `${key}=${value}`)
          .join(', ') || '-',
      ],
      ['created', node.createdAt?.toISOString() ?? '?'],
      ['price/hour', formatHourly(node.price)],
    ],
  );
}

export function registerLifecycle(program: Command): void {
  program
    .command('get')
    .description('Show one node: state, location, size, image, addresses, tags, price')
    .argument('<id>', 'node id, as cloud/id or id')
    .option('--cloud <name>', 'the cloud of a bare id (required when several are configured)')
    .action(
      action(async (options: { args?: [string]; cloud?: string }, command: Command) => {
        const { multi, output } = await contextOf(command);
        const { cloud, id } = targetOf(multi, options.args?.[0] ?? '', options.cloud);
        const node = await multi.driver(cloud).getNode(id);
        output.out(output.json ? toJson({ cloud, node }) : nodeDetails(cloud, node));
        return EXIT.ok;
      }),
    );

  for (const [name, verb, method, target] of [
    ['start', 'Start', 'startNode', 'running'],
    ['stop', 'Stop', 'stopNode', 'stopped'],
  ] as const) {
    program
      .command(name)
      .description(`${verb} nodes by id (cloud/id or id); --wait until they are ${target}`)
      .argument('<ids...>', 'node ids, as cloud/id or id')
      .option('--cloud <name>', 'the cloud of bare ids (required when several are configured)')
      .option('--wait', `wait until each node is ${target}`)
      .option('--wait-timeout <seconds>', 'give up waiting after this long', '600')
      .action(
        action(async (options: { args?: [string[]]; cloud?: string; wait?: boolean; waitTimeout?: string }, command: Command) => {
          const { multi, output } = await contextOf(command);
          const timeoutMs = (parseNumber('wait-timeout', options.waitTimeout) ?? 600) * 1000;
          // Every id is resolved (and a bad one rejected) before anything changes.
          const targets = (options.args?.[0] ?? []).map((given) => targetOf(multi, given, options.cloud));
          const results = await Promise.all(
            targets.map(async ({ cloud, id }) => {
              const driver = multi.driver(cloud);
              try {
                await driver[method](id);
                const node = options.wait ? await driver.waitForNode(id, target as NodeState, { timeoutMs, intervalMs: 250 }) : undefined;
                return { cloud, id, status: 'ok' as const, ...(node ? { node } : {}) };
              } catch (error) {
                return {
                  cloud,
                  id,
                  status: 'failed' as const,
                  error: isCloudError(error) ? error.toJSON() : { message: String((error as Error)?.message ?? error) },
                };
              }
            }),
          );
          if (output.json) output.out(toJson({ operation: name, results }));
          else
            output.out(
              table(
                ['CLOUD', 'ID', 'RESULT', 'ADDRESS'],
                results.map((result) => [
                  result.cloud,
                  result.id,
                  result.status === 'failed' ? `failed: ${String(result.error.message)}` : (result.node?.state ?? `${name} requested`),
                  result.status === 'ok' && result.node ? addressOf(result.node) : '',
                ]),
              ),
            );
          return results.some((result) => result.status === 'failed') ? EXIT.failed : EXIT.ok;
        }),
      );
  }
}
