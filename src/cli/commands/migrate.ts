/**
 * `polycloud migrate --from A --to B`: plan moving nodes between clouds (size, image, location,
 * cost before/after), show the plan, and run it with live progress unless `--dry-run`. Ctrl-C
 * stops cleanly; running the same command again finishes the rest without creating twice.
 *
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { confirm } from '../confirm.js';
import type { Command } from 'commander';
import { InvalidRequestError, isInvalidRequestError } from '../../core/errors.js';
import {
  checkInventory,
  type Inventory,
  type MigrationPlan,
  type MigrationReport,
  type MultiCloud,
  type PlacementRule,
} from '../../multicloud/index.js';
import { onInterrupt } from '../interrupt.js';
import { action, collect, collectList, contextOf, parseNumber, parsePairs } from '../context.js';
import { EXIT, formatCost, formatHourly, table, toJson, type Output } from '../output.js';
import { startProgress } from '../progress.js';

interface MigrateCommandOptions {
  from?: string;
  to?: string;
  inventory?: string;
  plan?: string;
  rate?: string[];
  sshKey?: string[];
  userDataFile?: string;
  names?: 'keep' | 'suffix';
  yes?: boolean;
  credentialsOut?: string;
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
  for (const { source, target } of plan.steps) {
    const launch = target.launch;
    if (launch)
      output.out(
        `  ${source.name}: ${launch.sshKeys.length} SSH key(s) from ${launch.sshKeysFrom}, user data from ${launch.userDataFrom}${target.name !== source.name ? `, named ${target.name}` : ''}`,
      );
    for (const warning of launch?.warnings ?? []) output.out(`    ! ${warning}`);
    for (const change of target.tagChanges ?? [])
      output.out(
        `    tag ${change.key}=${change.value} → ${change.to ? `${change.to.key}=${change.to.value}` : 'dropped'} (${change.reason})`,
      );
  }
  output.out(`Cost before: ${formatCost(plan.cost.before.hourly, plan.cost.before.unknownPrice)}`);
  output.out(`Cost after:  ${formatCost(plan.cost.after.hourly, plan.cost.after.unknownPrice)}`);
  output.out(
    plan.cost.hourlyChange
      ? `Change:      ${plan.cost.hourlyChange.amount >= 0 ? '+' : ''}${plan.cost.hourlyChange.amount.toFixed(4)} ${plan.cost.hourlyChange.currency}/h${ratesText(plan.cost.hourlyChange.ratesUsed)}`
      : `Change:      not computed (${Object.keys(plan.cost.before.hourly).join('/') || '-'} vs ${Object.keys(plan.cost.after.hourly).join('/') || '-'}: give an exchange rate with --rate, e.g. --rate EUR=1.08)`,
  );
}

function ratesText(rates: Readonly<Record<string, number>> | undefined): string {
  const entries = Object.entries(rates ?? {});
  return entries.length > 0 ? ` (rates used: ${entries.map(([code, rate]) => `1 ${code} = ${rate}`).join(', ')})` : '';
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
        result.target ? `${result.target.cloud}/${result.target.node.id} ${result.targetName ?? result.target.node.name}` : '-',
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
    .option('--from <cloud>', 'the source cloud (not with --plan)')
    .option('--to <cloud>', 'the target cloud (not with --plan)')
    .option('--inventory <file>', 'plan from this inventory (polycloud inventory save): the source is not contacted')
    .option('--plan <file>', 'run this saved plan (from --plan-out) instead of planning')
    .option('--plan-out <file>', 'save the plan as JSON and stop (run it later with --plan)')
    .option('--tag <key=value>', 'only source nodes with this tag (repeatable)', collect)
    .option('--location <id>', 'only source nodes in this location')
    .option('--to-location <id>', 'put every node in this target location')
    .option('--to-country <codes>', 'only target locations in these countries', collectList)
    .option('--no-fallback', 'leave nodes unmatched when no target location shares their country or continent')
    .option('--rate <CUR=rate>', "exchange rate into the source's currency, e.g. EUR=1.08 (repeatable)", collect)
    .option('--ssh-key <key>', 'OpenSSH public key for targets whose source does not say its keys (repeatable)', collect)
    .option('--user-data-file <file>', 'cloud-init user data for targets whose source does not say its own')
    .option('--names <policy>', 'when a target name is taken: suffix (default) or keep (fail that node)')
    .option('--dry-run', 'show the plan, change nothing')
    .option('--cleanup-source', 'destroy each source node once its replacement runs')
    .option('--yes', 'destroy sources (--cleanup-source) without asking; needed when stdin is not a terminal')
    .option('--credentials-out <file>', 'write root passwords the target generated here (mode 600); never printed')
    .option('--concurrency <n>', 'creates and cleanups in flight at once', '4')
    .option('--wait-timeout <seconds>', 'how long a target may take to run', '600')
    .action(
      action(async (options: MigrateCommandOptions, command: Command) => {
        const { multi, output } = await contextOf(command);
        // Ctrl-C from here on (planning included) stops cleanly with exit 130.
        const controller = new AbortController();
        const onSignal = () => controller.abort(new Error('interrupted'));
        const release = onInterrupt(onSignal);
        try {
          return await planAndRun(multi, output, options, controller.signal);
        } catch (error) {
          if (controller.signal.aborted) return EXIT.interrupted;
          throw error;
        } finally {
          release();
        }
      }),
    );
}

/** Plans (or reads the saved plan), then saves it, shows it, or runs it. */
async function planAndRun(multi: MultiCloud, output: Output, options: MigrateCommandOptions, signal: AbortSignal): Promise<number> {
  // The same rules as `destroy --all` (confirm.ts). In a script, refuse before anything is asked
  // of a cloud; at a terminal, ask once the plan shows what would be destroyed.
  const destroysSources = options.cleanupSource === true && !options.dryRun && !options.planOut;
  if (destroysSources && !process.stdin.isTTY) await confirm('', options.yes, DESTROY_SOURCES);
  const plan = options.plan ? readPlan(options) : await makePlan(multi, options, signal);
  if (options.planOut) {
    writeFileSync(options.planOut, toJson(plan));
    if (output.json) output.out(toJson({ dryRun: true, planOut: options.planOut, plan }));
    else {
      output.out(`Plan: ${plan.from} → ${plan.to} (saved to ${options.planOut}; run it with: polycloud migrate --plan ${options.planOut})`);
      printPlan(output, plan);
    }
    return EXIT.ok;
  }
  if (options.dryRun) {
    if (output.json) output.out(toJson({ dryRun: true, plan }));
    else {
      output.out(`Plan: ${plan.from} → ${plan.to} (dry run, nothing changed)`);
      printPlan(output, plan);
    }
    return EXIT.ok;
  }
  if (!output.json) {
    output.out(`Plan: ${plan.from} → ${plan.to}${options.plan ? ` (from ${options.plan}, made ${plan.createdAt})` : ''}`);
    printPlan(output, plan);
  }
  if (destroysSources) {
    await confirm(`Destroy each of the ${plan.steps.length} source node(s) once its replacement runs?`, options.yes, DESTROY_SOURCES);
  }
  const report: MigrationReport = await runPlan(output, multi, plan, {
    cleanupSource: options.cleanupSource === true,
    concurrency: parseNumber('concurrency', options.concurrency) ?? 4,
    signal,
    waitTimeoutMs: (parseNumber('wait-timeout', options.waitTimeout) ?? 600) * 1000,
  });
  saveCredentials(output, report, options.credentialsOut);
  if (output.json) output.out(toJson({ dryRun: false, plan, report }));
  else printReport(output, report);
  if (report.interrupted > 0) return EXIT.interrupted;
  return report.failed > 0 ? EXIT.failed : EXIT.ok;
}

/** What `--cleanup-source` does, as confirmation messages name it. */
const DESTROY_SOURCES = 'destroy the source nodes (--cleanup-source)';

function usage(field: string, detail: string): never {
  throw new InvalidRequestError(detail, { provider: 'polycloud', operation: 'cli', field });
}

/** A saved plan, checked enough to fail early with a clear message. */
function readPlan(options: MigrateCommandOptions): MigrationPlan {
  if (options.from || options.to || options.inventory)
    usage('plan', '--plan runs a saved plan as it is: --from, --to and --inventory belong to planning');
  const file = options.plan ?? '';
  let plan: MigrationPlan;
  try {
    plan = JSON.parse(readFileSync(file, 'utf8')) as MigrationPlan;
  } catch (error) {
    return usage('plan', `--plan ${file} cannot be read as JSON: ${(error as Error).message}`);
  }
  if (typeof plan !== 'object' || plan === null || !Array.isArray(plan.steps) || typeof plan.from !== 'string')
    usage('plan', `--plan ${file} is not a plan saved with --plan-out`);
  return plan;
}

/** Plans from the options (and the inventory file, when given). */
async function makePlan(multi: MultiCloud, options: MigrateCommandOptions, signal: AbortSignal): Promise<MigrationPlan> {
  if (!options.from || !options.to) usage(options.from ? 'to' : 'from', 'give --from and --to (or --plan with a saved plan)');
  const tags = parsePairs('tag', options.tag);
  const placement: PlacementRule = {
    ...(options.toLocation ? { location: options.toLocation } : {}),
    ...(options.toCountry ? { countries: options.toCountry } : {}),
    ...(options.fallback === false ? { fallback: 'none' as const } : {}),
  };
  const filter = { ...(tags ? { tags } : {}), ...(options.location ? { location: options.location } : {}) };
  const rates = parsePairs('rate', options.rate);
  const exchangeRates = rates
    ? Object.fromEntries(Object.entries(rates).map(([code, rate]) => [code.toUpperCase(), parseNumber('rate', rate) ?? 0]))
    : undefined;
  let inventory: Inventory | undefined;
  if (options.inventory) {
    try {
      inventory = checkInventory(JSON.parse(readFileSync(options.inventory, 'utf8')), 'inventory', 'cli');
    } catch (error) {
      if (isInvalidRequestError(error)) throw error;
      usage('inventory', `--inventory ${options.inventory} cannot be read as JSON: ${(error as Error).message}`);
    }
  }
  if (options.names !== undefined && options.names !== 'keep' && options.names !== 'suffix')
    usage('names', `--names must be keep or suffix, got ${JSON.stringify(options.names)}`);
  const userData = options.userDataFile ? readFileSync(options.userDataFile, 'utf8') : undefined;
  const launch =
    options.sshKey || userData !== undefined
      ? { ...(options.sshKey ? { sshKeys: options.sshKey } : {}), ...(userData !== undefined ? { userData } : {}) }
      : undefined;
  return multi.planMigration({
    from: options.from,
    to: options.to,
    filter,
    placement,
    ...(inventory ? { inventory } : {}),
    ...(exchangeRates ? { exchangeRates } : {}),
    ...(launch ? { launch } : {}),
    ...(options.names ? { names: options.names } : {}),
    signal,
  });
}

/** Writes generated root passwords to a file readable by its owner only; never prints them. */
function saveCredentials(output: Output, report: MigrationReport, file: string | undefined): void {
  const generated = report.results.filter((result) => result.credentials?.rootPassword && result.target);
  if (generated.length === 0) return;
  if (!file) {
    output.err(
      `! ${generated.length} target(s) got a generated root password, which is handed back once and was not saved: pass --credentials-out FILE to keep them.`,
    );
    return;
  }
  const lines = generated.map((result) => ({
    cloud: result.target?.cloud,
    node: result.target?.node.id,
    name: result.targetName,
    rootPassword: result.credentials?.rootPassword?.reveal(),
  }));
  writeFileSync(file, `${JSON.stringify(lines, null, 2)}\n`, { mode: 0o600 });
  output.err(`${generated.length} generated root password(s) written to ${file} (mode 600).`);
}
