/**
 * `polycloud nodes` and `polycloud health`.
 *
 * @module
 */
import type { Command } from 'commander';
import { InvalidRequestError } from '../../core/errors.js';
import { NODE_STATES, type NodeState } from '../../core/types.js';
import { closest } from '../schema.js';
import { action, collect, collectList, contextOf, parsePairs } from '../context.js';
import { EXIT, addressOf, formatHourly, printFailures, table, toJson } from '../output.js';
import type { CloudNode } from '../../multicloud/index.js';

/** The node table, shared with `create` and the demo. */
export function nodeTable(nodes: readonly CloudNode[]): string {
  return table(
    ['CLOUD', 'ID', 'NAME', 'STATE', 'IP', 'LOCATION', 'COUNTRY', 'SIZE', 'PRICE/HOUR'],
    nodes.map(({ cloud, node }) => [
      cloud,
      node.id,
      node.name,
      node.state,
      addressOf(node),
      node.location.id,
      node.location.country ?? '?',
      node.sizeId ?? '?',
      formatHourly(node.price),
    ]),
  );
}

/** `--state` values, checked before any cloud is asked: a typo is bad input (exit 2), not an outage. */
export function parseStates(states: readonly string[] | undefined): NodeState[] | undefined {
  if (!states) return undefined;
  for (const state of states) {
    if (!(NODE_STATES as readonly string[]).includes(state)) {
      const hint = closest(state, NODE_STATES);
      throw new InvalidRequestError(
        `--state must be one of ${NODE_STATES.join(', ')}, got ${JSON.stringify(state)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ''}`,
        { provider: 'polycloud', operation: 'cli', field: 'state' },
      );
    }
  }
  return states as NodeState[];
}

export function registerNodes(program: Command): void {
  program
    .command('nodes')
    .description('List the nodes of every configured cloud (a cloud that fails is reported, the others still listed)')
    .option('--cloud <names>', 'only these clouds (comma-separated or repeated)', collectList)
    .option('--state <states>', 'only nodes in these states, e.g. running,stopped', collectList)
    .option('--tag <key=value>', 'only nodes with this tag (repeatable)', collect)
    .option('--location <id>', 'only nodes in this location')
    .action(
      action(async (options: { cloud?: string[]; state?: string[]; tag?: string[]; location?: string }, command: Command) => {
        const states = parseStates(options.state);
        const tags = parsePairs('tag', options.tag);
        const { multi, output } = await contextOf(command);
        const { nodes, failures } = await multi.listNodes({
          ...(options.cloud ? { clouds: options.cloud } : {}),
          ...(states ? { states } : {}),
          ...(tags ? { tags } : {}),
          ...(options.location ? { location: options.location } : {}),
        });
        if (output.json) output.out(toJson({ nodes, failures }));
        else {
          output.out(nodes.length > 0 ? nodeTable(nodes) : 'No nodes.');
          printFailures(output, failures);
        }
        return failures.length > 0 ? EXIT.failed : EXIT.ok;
      }),
    );

  program
    .command('health')
    .description('Check that every configured cloud answers an authenticated call, and how fast')
    .option('--cloud <names>', 'only these clouds (comma-separated or repeated)', collectList)
    .action(
      action(async (options: { cloud?: string[] }, command: Command) => {
        const { multi, output, loaded } = await contextOf(command);
        const health = await multi.health(options.cloud ? { clouds: options.cloud } : {});
        if (output.json) output.out(toJson({ source: loaded.source, clouds: health }));
        else {
          output.out(`Clouds from ${loaded.source}`);
          output.out(
            table(
              ['CLOUD', 'PROVIDER', 'REACHABLE', 'LATENCY', 'ERROR'],
              health.map((entry) => [
                entry.cloud,
                entry.provider,
                entry.reachable ? 'yes' : 'NO',
                `${entry.latencyMs} ms`,
                entry.error?.message ?? '',
              ]),
            ),
          );
        }
        return health.every((entry) => entry.reachable) ? EXIT.ok : EXIT.failed;
      }),
    );
}
