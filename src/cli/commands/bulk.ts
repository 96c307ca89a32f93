/**
 * `polycloud destroy` and `polycloud reboot`: by id (`cloud/id` or `id`), by tag, or every
 * node with an explicit `--all`; `--dry-run` shows what would happen.
 *
 * @module
 */
import type { Command } from 'commander';
import { InvalidRequestError } from '../../core/errors.js';
import type { BulkFilter, BulkReport, BulkResult, CloudFailure, MultiCloud } from '../../multicloud/index.js';
import { confirm } from '../confirm.js';
import { action, collect, collectList, contextOf, parseNumber, parsePairs } from '../context.js';
import { EXIT, printFailures, table, toJson } from '../output.js';

interface BulkCommandOptions {
  args?: [string[]];
  cloud?: string[];
  tag?: string[];
  all?: boolean;
  dryRun?: boolean;
  yes?: boolean;
  concurrency?: string;
}

export function registerBulk(program: Command): void {
  for (const [name, verb, method] of [
    ['destroy', 'Destroy', 'destroyNodes'],
    ['reboot', 'Reboot', 'rebootNodes'],
  ] as const) {
    program
      .command(name)
      .description(`${verb} nodes: by id (cloud/id or id), by --tag, or every node with --all`)
      .argument('[ids...]', 'node ids, as cloud/id or id')
      .option('--cloud <names>', 'only in these clouds', collectList)
      .option('--tag <key=value>', 'nodes with this tag (repeatable)', collect)
      .option('--all', `${name} every node of the selected clouds (must be explicit)`)
      .option('--dry-run', `show what would be ${name === 'destroy' ? 'destroyed' : 'rebooted'}, change nothing`)
      .option('--concurrency <n>', 'most operations at once', '8')
      .option(
        '--yes',
        name === 'destroy' ? 'destroy without asking (required when stdin is not a terminal)' : 'accepted for symmetry; reboot never asks',
      )
      .action(
        action(async (options: BulkCommandOptions, command: Command) => {
          const { multi, output } = await contextOf(command);
          const ids = options.args?.[0] ?? [];
          const tags = parsePairs('tag', options.tag);
          const concurrency = parseNumber('concurrency', options.concurrency) ?? 8;
          if (ids.length === 0 && !tags && !options.all) {
            throw new InvalidRequestError(`say which nodes: ids, --tag, or --all`, {
              provider: 'polycloud',
              operation: name,
              field: 'filter',
            });
          }
          const select = async (dryRun: boolean) => {
            const reports: BulkReport[] = [];
            const missing: string[] = [];
            const common = { ...(dryRun ? { dryRun: true } : {}), concurrency };
            if (ids.length > 0) {
              // Ids are per cloud: `a/node-1` must not also match node-1 of another cloud.
              for (const [cloud, wanted] of idsByCloud(multi, ids, options.cloud)) {
                const filter: BulkFilter = {
                  ids: wanted,
                  ...(cloud ? { clouds: [cloud] } : options.cloud ? { clouds: options.cloud } : {}),
                  ...(tags ? { tags } : {}),
                };
                const report = await multi[method](filter, common);
                reports.push(report);
                const found = new Set(report.results.map((result) => result.node.id));
                missing.push(...wanted.filter((id) => !found.has(id)).map((id) => (cloud ? `${cloud}/${id}` : id)));
              }
            } else {
              const selection = options.cloud ? { clouds: options.cloud } : {};
              reports.push(
                await multi[method](options.all ? { all: true, ...selection } : { ...selection, ...(tags ? { tags } : {}) }, common),
              );
            }
            return { reports, missing };
          };
          if (name === 'destroy' && !options.dryRun && !options.yes) {
            // At a terminal, show what would go before asking; in a script, refuse without looking.
            const preview = process.stdin.isTTY ? (await select(true)).reports.flatMap((report) => report.results) : [];
            if (process.stdin.isTTY && preview.length > 0)
              output.err(
                table(
                  ['CLOUD', 'ID', 'NAME', 'STATE'],
                  preview.map((each) => [each.cloud, each.node.id, each.node.name, each.node.state]),
                ),
              );
            if (!process.stdin.isTTY || preview.length > 0) await confirm(`Destroy ${preview.length} node(s)?`, options.yes, 'destroy');
          }
          const { reports, missing } = await select(options.dryRun === true);
          const results: BulkResult[] = reports.flatMap((report) => report.results);
          const failures: CloudFailure[] = reports.flatMap((report) => report.failures);
          if (output.json) {
            output.out(toJson({ operation: reports[0]?.operation, dryRun: options.dryRun === true, results, failures, missing }));
          } else {
            output.out(
              results.length === 0
                ? 'No matching nodes.'
                : table(
                    ['CLOUD', 'ID', 'NAME', 'STATE', 'RESULT'],
                    results.map((result) => [
                      result.cloud,
                      result.node.id,
                      result.node.name,
                      result.node.state,
                      result.status === 'failed'
                        ? `failed: ${result.error?.message}`
                        : result.status === 'would-act'
                          ? `would ${name}`
                          : name === 'destroy'
                            ? 'destroying'
                            : 'rebooting',
                    ]),
                  ),
            );
            for (const id of missing) output.err(`! ${id}: no such node`);
            printFailures(output, failures);
          }
          const failed = results.some((result) => result.status === 'failed') || failures.length > 0 || missing.length > 0;
          return failed ? EXIT.failed : EXIT.ok;
        }),
      );
  }
}

/** Groups `cloud/id` and bare ids by cloud (`undefined` for bare ids). */
function idsByCloud(multi: MultiCloud, ids: readonly string[], clouds: readonly string[] | undefined): Map<string | undefined, string[]> {
  const groups = new Map<string | undefined, string[]>();
  for (const id of ids) {
    const slash = id.indexOf('/');
    const cloud = slash > 0 && multi.clouds.includes(id.slice(0, slash)) ? id.slice(0, slash) : undefined;
    if (cloud && clouds && !clouds.includes(cloud)) continue;
    const bare = cloud ? id.slice(slash + 1) : id;
    groups.set(cloud, [...(groups.get(cloud) ?? []), bare]);
  }
  return groups;
}
