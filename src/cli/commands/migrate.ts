/**
 * `polycloud migrate --from A --to B`: plan moving nodes between clouds (size, image, location,
 * cost before/after), show the plan, and run it with live progress unless `--dry-run`. Ctrl-C
 * stops cleanly; running the same command again finishes the rest without creating twice.
 *
 * @module
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { MigrationPlan, MigrationReport, MultiCloud, PlacementRule } from '../../multicloud/index.js';
import { onInterrupt } from '../interrupt.js';
import { action, collect, collectList, contextOf, parseNumber, parsePairs } from '../context.js';
import { EXIT, formatCost, formatHourly, table, toJson, type Output } from '../output.js';
import { startProgress } from '../progress.js';

interface MigrateCommandOptions {
  from: string;
  to: string;
  tag?: string[];
  location?: string;
  toLocation?: string;
  toCountry?: string[];
  fallback?: boolean;
  dryRun?: boolean;
  cleanupSource?: boolean;
  concurrency?: string;
  waitTimeout?: string;
  planOut?: string;
}

/** The plan as a table, then its cost. */
export function printPlan(output: Output, plan: MigrationPlan): void {
  if (plan.steps.length > 0) {
    output.out(
      table(
        ['SOURCE', 'FROM', 'SIZE', 'COST/HOUR', '→ TO', 'SIZE', 'IMAGE', 'COST/HOUR', 'WHY THERE'],
        plan.steps.map(({ source, target }) => [
          `${source.name} (${source.id})`,
          `${source.location.id} ${source.location.country ?? ''}`.trim(),
          source.sizeId ?? '?',
          formatHourly(source.price),
          `${target.location.id} ${target.location.country}`,
          target.size.id,
          target.image.id,
          formatHourly(target.price),
          target.placement,
        ]),
      ),
    );
  } else {
    output.out('No node can be moved.');
  }
  for (const { source, reason } of plan.unmatched) output.out(`  cannot move ${source.name} (${source.id}): ${reason}`);
  output.out(`Cost before: ${formatCost(plan.cost.before.hourly, plan.cost.before.unknownPrice)}`);
  output.out(`Cost after:  ${formatCost(plan.cost.after.hourly, plan.cost.after.unknownPrice)}`);
  output.out(
    plan.cost.hourlyChange
      ? `Change:      ${plan.cost.hourlyChange.amount >= 0 ? '+' : ''}${plan.cost.hourlyChange.amount.toFixed(4)} ${plan.cost.hourlyChange.currency}/h`
      : `Change:      not computed (${Object.keys(plan.cost.before.hourly).join('/') || '-'} vs ${Object.keys(plan.cost.after.hourly).join('/') || '-'}: polycloud does not convert currencies)`,
  );
}

/** Runs a plan with a live progress display. */
export async function runPlan(
  output: Output,
  multi: MultiCloud,
  plan: MigrationPlan,
  options: { cleanupSource: boolean; concurrency: number; signal?: AbortSignal; waitTimeoutMs?: number },
): Promise<MigrationReport> {
  const progress = startProgress(output, plan.steps.length, 'migrating');
  try {
    return await multi.migrate(plan, {
      cleanupSource: options.cleanupSource,
      concurrency: options.concurrency,
      ...(options.signal ? { signal: options.signal } : {}),
      wait: { intervalMs: 250, ...(options.waitTimeoutMs ? { timeoutMs: options.waitTimeoutMs } : {}) },
      onProgress: (event) => {
        const label = `${event.source.name}: ${event.phase} ${event.status}`;
        if (event.status === 'started') progress.note(label);
        else progress.tick(event.status === 'failed' ? `${label}: ${event.error?.message ?? ''}` : `${event.source.name}: done`);
      },
    });
  } finally {
    progress.stop();
  }
}

/** The report as a table. */
export function printReport(output: Output, report: MigrationReport): void {
  output.out(
    table(
      ['SOURCE', 'RESULT', 'TARGET', 'TARGET STATE', 'CREATED NOW', 'SOURCE DESTROYED', 'ERROR'],
      report.results.map((result) => [
        `${result.source.name} (${result.source.id})`,
        result.status === 'migrated' ? 'migrated' : `${result.status} at ${result.phase}`,
        result.target ? `${result.target.cloud}/${result.target.node.id}` : '-',
        result.target?.node.state ?? '-',
        result.created ? 'yes' : 'no',
        result.sourceDestroyed ? 'yes' : 'no',
        result.error?.message ?? '',
      ]),
    ),
  );
  output.out(
    `${report.migrated} migrated, ${report.failed} failed, ${report.interrupted} interrupted, ${report.created} created in this run, ${report.sourcesDestroyed} source(s) destroyed.`,
  );
}

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('Move nodes from one cloud to another: plan (size, image, location, cost) and run it')
    .requiredOption('--from <cloud>', 'the source cloud')
    .requiredOption('--to <cloud>', 'the target cloud')
    .option('--tag <key=value>', 'only source nodes with this tag (repeatable)', collect)
    .option('--location <id>', 'only source nodes in this location')
    .option('--to-location <id>', 'put every node in this target location')
    .option('--to-country <codes>', 'only target locations in these countries', collectList)
    .option('--no-fallback', 'leave nodes unmatched when no target location shares their country or continent')
    .option('--dry-run', 'show the plan, change nothing')
    .option('--cleanup-source', 'destroy each source node once its replacement runs')
    .option('--concurrency <n>', 'nodes migrated at once', '4')
    .option('--wait-timeout <seconds>', 'how long a target may take to run', '600')
    .option('--plan-out <file>', 'also save the plan as JSON')
    .action(
      action(async (options: MigrateCommandOptions, command: Command) => {
        const { multi, output } = await contextOf(command);
        const tags = parsePairs('tag', options.tag);
        const placement: PlacementRule = {
          ...(options.toLocation ? { location: options.toLocation } : {}),
          ...(options.toCountry ? { countries: options.toCountry } : {}),
          ...(options.fallback === false ? { fallback: 'none' as const } : {}),
        };
        const filter = { ...(tags ? { tags } : {}), ...(options.location ? { location: options.location } : {}) };
        const plan = await multi.planMigration({ from: options.from, to: options.to, filter, placement });
        if (options.planOut) writeFileSync(options.planOut, toJson(plan));
        if (options.dryRun) {
          if (output.json) output.out(toJson({ dryRun: true, plan }));
          else {
            output.out(`Plan: ${options.from} → ${options.to} (dry run, nothing changed)`);
            printPlan(output, plan);
          }
          return EXIT.ok;
        }
        if (!output.json) {
          output.out(`Plan: ${options.from} → ${options.to}`);
          printPlan(output, plan);
        }
        const controller = new AbortController();
        const onSignal = () => controller.abort(new Error('interrupted'));
        const release = onInterrupt(onSignal);
        let report: MigrationReport;
        try {
          report = await runPlan(output, multi, plan, {
            cleanupSource: options.cleanupSource === true,
            concurrency: parseNumber('concurrency', options.concurrency) ?? 4,
            signal: controller.signal,
            waitTimeoutMs: (parseNumber('wait-timeout', options.waitTimeout) ?? 600) * 1000,
          });
        } finally {
          release();
        }
        if (output.json) output.out(toJson({ dryRun: false, plan, report }));
        else printReport(output, report);
        if (report.interrupted > 0) return EXIT.interrupted;
        return report.failed > 0 ? EXIT.failed : EXIT.ok;
      }),
    );
}
