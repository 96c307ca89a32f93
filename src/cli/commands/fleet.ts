/**
 * `polycloud fleet …`: migrations as durable DBOS workflows in PostgreSQL, run by any number of
 * workers. `migrate` stores a plan as a run (and, with `--workers N`, runs N local workers) and
 * shows progress until it is done; `worker` is a long-running worker with this machine's clouds;
 * `status`, `cancel`, `resume` and `recover` manage runs. The database URL comes from
 * `--database` or `POLYCLOUD_FLEET_DATABASE`; it holds plans and results, never credentials.
 *
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidRequestError } from '../../core/errors.js';
import {
  cancelFleetMigration,
  fleetStatus,
  recoverFleetWorker,
  resumeFleetMigration,
  startFleetMigration,
  startFleetWorker,
  type FleetQuery,
  type FleetStatus,
} from '../../fleet/index.js';
import { Secret } from '../../core/secrets.js';
import { checkInventory, type Inventory, type MigrationPlan } from '../../multicloud/index.js';
import { action, collect, contextOf, parseNumber, parsePairs, type GlobalOptions } from '../context.js';
import { EXIT, processOutput, table, toJson, type Output } from '../output.js';

interface DatabaseOption {
  database?: string;
}

/** The database URL: the option, else `POLYCLOUD_FLEET_DATABASE`. */
function databaseOf(options: DatabaseOption): string {
  const database = options.database ?? process.env.POLYCLOUD_FLEET_DATABASE;
  if (!database) {
    throw new InvalidRequestError('--database (or POLYCLOUD_FLEET_DATABASE) is required: the PostgreSQL URL the workers share', {
      provider: 'polycloud',
      operation: 'cli',
      field: 'database',
    });
  }
  return database;
}

function whole(field: string, value: string | undefined): number | undefined {
  const number = parseNumber(field, value);
  if (number !== undefined && !Number.isInteger(number)) {
    throw new InvalidRequestError(`--${field} must be a whole number, got ${JSON.stringify(value)}`, {
      provider: 'polycloud',
      operation: 'cli',
      field,
    });
  }
  return number;
}

function readPlans(path: string): MigrationPlan[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InvalidRequestError(
      `--plan ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : 'not valid JSON'}`,
      {
        provider: 'polycloud',
        operation: 'cli',
        field: 'plan',
      },
    );
  }
  // A file written by `polycloud migrate --plan-out` (a plan), or a JSON array of plans, or `migrate --json` output.
  const value = parsed as { plan?: unknown } | unknown[];
  if (Array.isArray(value)) return value as MigrationPlan[];
  return [('plan' in (value as object) ? (value as { plan: unknown }).plan : value) as MigrationPlan];
}

/** An inventory file (from `polycloud inventory save`), checked. */
function readInventory(path: string): Inventory {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InvalidRequestError(
      `--inventory ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : 'not valid JSON'}`,
      { provider: 'polycloud', operation: 'cli', field: 'inventory' },
    );
  }
  return checkInventory(parsed, 'inventory', 'cli');
}

/** What `fleet migrate` moves: a plan file, or an inventory file with --from/--to (and filters). */
function sourceOf(options: MigrateOptions): { plans: MigrationPlan[] } | { inventory: Inventory; query: FleetQuery } {
  const fail = (field: string, message: string): never => {
    throw new InvalidRequestError(message, { provider: 'polycloud', operation: 'cli', field });
  };
  if (options.plan && options.inventory) fail('plan', 'give --plan or --inventory (with --from and --to), not both');
  if (options.plan) return { plans: readPlans(options.plan) };
  if (!options.inventory) fail('plan', 'give --plan FILE, or --inventory FILE with --from and --to');
  if (!options.from || !options.to) fail(options.from ? 'to' : 'from', '--inventory needs --from and --to');
  if (options.names !== undefined && options.names !== 'keep' && options.names !== 'suffix')
    fail('names', `--names must be keep or suffix, got ${JSON.stringify(options.names)}`);
  const tags = parsePairs('tag', options.tag);
  const filter = { ...(tags ? { tags } : {}), ...(options.location ? { location: options.location } : {}) };
  return {
    inventory: readInventory(options.inventory as string),
    query: {
      from: options.from as string,
      to: options.to as string,
      filter,
      ...(options.toLocation ? { placement: { location: options.toLocation } } : {}),
      ...(options.sshKey ? { launch: { sshKeys: options.sshKey } } : {}),
      ...(options.names ? { names: options.names as 'keep' | 'suffix' } : {}),
    },
  };
}

interface MigrateOptions extends DatabaseOption {
  plan?: string;
  inventory?: string;
  from?: string;
  to?: string;
  tag?: string[];
  location?: string;
  toLocation?: string;
  sshKey?: string[];
  names?: string;
  workers?: string;
  concurrency?: string;
  maxInFlight?: string;
  requestsPerSecond?: string;
  keepSources?: boolean;
  verifySsh?: boolean;
  verifyCommand?: string;
  runId?: string;
  detach?: boolean;
}

/** One line: `run-… 120/300 migrated, 3 failed, 40 queued, create 10, wait 20, cleanup 7`. */
export function statusLine(status: FleetStatus): string {
  if (status.plan === 'planning') return `${status.runId}: waiting for a worker to plan it from the inventory`;
  if (status.plan === 'failed') return `${status.runId}: planning failed: ${status.planError?.message ?? 'unknown error'}`;
  const { counts } = status;
  return (
    `${status.runId}: ${counts.migrated}/${status.total} migrated, ${counts.failed} failed, ${counts.cancelled} cancelled; ` +
    `in flight: create ${counts.create}, wait ${counts.wait}, verify ${counts.verify}, cleanup ${counts.cleanup}; queued ${counts.queued}`
  );
}

function printStatus(output: Output, status: FleetStatus): void {
  if (output.json) {
    output.out(toJson(status));
    return;
  }
  output.out(statusLine(status));
  output.out(`${status.created} target(s) created, ${status.sourcesDestroyed} source(s) destroyed${status.done ? ' — done' : ''}`);
  if (status.failures.length > 0) {
    output.out(
      table(
        ['SOURCE', 'STEP', 'ERROR'],
        status.failures.map((failure) => [
          `${failure.source.cloud}/${failure.source.name} (${failure.source.id})`,
          failure.phase,
          failure.error.message,
        ]),
      ),
    );
  }
}

/** Polls the run until it is done (or the signal aborts), printing a line when it changes. */
async function watch(output: Output, database: string, runId: string, signal: AbortSignal, intervalMs = 1_000): Promise<FleetStatus> {
  let last = '';
  for (;;) {
    const status = await fleetStatus(database, runId);
    const line = statusLine(status);
    if (line !== last && !output.json) output.err(line);
    last = line;
    if (status.done || signal.aborted) return status;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Starts `count` worker processes of this same command, with the same config. */
function spawnWorkers(count: number, database: string, globals: GlobalOptions, runId: string): ChildProcess[] {
  const script = process.argv[1];
  if (!script) return [];
  return Array.from({ length: count }, (_, index) =>
    spawn(
      process.execPath,
      [
        ...process.execArgv,
        script,
        ...(globals.config ? ['--config', globals.config] : []),
        'fleet',
        'worker',
        '--database',
        database,
        '--worker-id',
        `${runId}-local-${index + 1}`,
        '--quiet',
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    ),
  );
}

export function registerFleet(program: Command): void {
  const fleet = program
    .command('fleet')
    .description('Migrations as durable workflows in PostgreSQL (DBOS), run by any number of workers: migrate, worker, status');

  fleet
    .command('migrate')
    .description(
      'Store a plan (from `polycloud migrate --plan-out`), or an inventory (from `polycloud inventory save`) with --from/--to, as a fleet run, and watch it until done',
    )
    .option('--plan <file>', 'the plan (JSON), or a JSON array of plans')
    .option('--inventory <file>', 'an inventory: a worker plans it with --from/--to (the source is not contacted)')
    .option('--from <cloud>', 'with --inventory: the source cloud')
    .option('--to <cloud>', 'with --inventory: the target cloud')
    .option('--tag <key=value>', 'with --inventory: only source nodes with this tag (repeatable)', collect)
    .option('--location <id>', 'with --inventory: only source nodes in this location')
    .option('--to-location <id>', 'with --inventory: put every node in this target location')
    .option('--ssh-key <key>', 'with --inventory: OpenSSH public key for targets whose source does not say its keys (repeatable)', collect)
    .option('--names <policy>', 'with --inventory: when a target name is taken: suffix (default) or keep')
    .option('--database <url>', 'PostgreSQL URL shared by the workers (default: $POLYCLOUD_FLEET_DATABASE)')
    .option('--workers <n>', "also run this many worker processes here, with this machine's config", '0')
    .option('--concurrency <n>', 'most nodes in flight across the fleet', '32')
    .option('--max-in-flight <n>', 'most nodes in flight per target cloud', '8')
    .option('--requests-per-second <n>', 'most node starts per second per target cloud')
    .option('--keep-sources', 'do not destroy the sources once their replacements run')
    .option('--verify-ssh', "before destroying a source, wait until its target accepts SSH with the workers' key")
    .option('--verify-command <cmd>', 'and run this command on it over SSH: a non-zero exit keeps the source (implies --verify-ssh)')
    .option('--run-id <id>', 'name the run (default: derived from the plan)')
    .option('--detach', 'store the run and exit without watching it')
    .action(
      action(async (options: MigrateOptions, command: Command) => {
        const globals = command.optsWithGlobals<GlobalOptions>();
        const output = processOutput(globals.json === true);
        const database = databaseOf(options);
        const source = sourceOf(options);
        const workers = whole('workers', options.workers) ?? 0;
        const rps = parseNumber('requests-per-second', options.requestsPerSecond);
        const verify =
          options.verifySsh || options.verifyCommand !== undefined
            ? { ...(options.verifyCommand !== undefined ? { command: options.verifyCommand } : {}) }
            : undefined;
        const run = await startFleetMigration({
          ...source,
          database,
          concurrency: whole('concurrency', options.concurrency) ?? 32,
          perCloud: {
            maxInFlight: whole('max-in-flight', options.maxInFlight) ?? 8,
            ...(rps === undefined ? {} : { requestsPerSecond: rps }),
          },
          node: { cleanupSource: options.keepSources !== true, ...(verify ? { verify } : {}) },
          ...(options.runId ? { runId: options.runId } : {}),
        });
        if (!output.json) {
          output.out(
            `Run ${run.runId}: ${run.total === null ? 'a worker plans it from the inventory' : `${run.total} node(s)`}${run.unmatched ? `, ${run.unmatched} unmatched (not moved)` : ''}${run.created ? '' : ' (started before: continuing it)'}`,
          );
          output.out(`Watch it with: polycloud fleet status ${run.runId}`);
        }
        if (options.detach) {
          if (output.json) output.out(toJson(run));
          return EXIT.ok;
        }
        const children = spawnWorkers(workers, database, globals, run.runId);
        const controller = new AbortController();
        const onSignal = () => controller.abort();
        process.once('SIGINT', onSignal);
        try {
          const status = await watch(output, database, run.runId, controller.signal);
          printStatus(output, status);
          if (!status.done) return EXIT.interrupted;
          return status.counts.failed > 0 ? EXIT.failed : EXIT.ok;
        } finally {
          process.removeListener('SIGINT', onSignal);
          await Promise.all(children.map((child) => stopChild(child)));
        }
      }),
    );

  fleet
    .command('worker')
    .description("Run a fleet worker with this machine's clouds (config file or environment) until Ctrl-C")
    .option('--database <url>', 'PostgreSQL URL shared by the workers (default: $POLYCLOUD_FLEET_DATABASE)')
    .option('--worker-id <id>', 'a stable id: restarted with it, the worker takes over what it left unfinished')
    .option('--quiet', 'no line per finished node')
    .option('--log-level <level>', 'DBOS log level: error, warn, info or debug', 'error')
    .option('--ssh-key-file <path>', 'private key for runs that verify targets over SSH (stays on this machine)')
    .action(
      action(
        async (
          options: DatabaseOption & { workerId?: string; quiet?: boolean; logLevel?: string; sshKeyFile?: string },
          command: Command,
        ) => {
          const { multi, output, loaded } = await contextOf(command);
          const database = databaseOf(options);
          const ssh = options.sshKeyFile ? { privateKey: new Secret(readKeyFile(options.sshKeyFile)) } : undefined;
          let finished = 0;
          const worker = await startFleetWorker({
            database,
            clouds: multi,
            ...(options.workerId ? { workerId: options.workerId } : {}),
            logLevel: logLevelOf(options.logLevel),
            ...(ssh ? { ssh } : {}),
            onProgress: ({ result, name }) => {
              finished += 1;
              if (options.quiet) return;
              const line =
                result.status === 'migrated'
                  ? `${name}: migrated to ${result.target?.cloud}/${result.target?.id}${result.sourceDestroyed ? ', source destroyed' : ''}`
                  : `${name}: failed at ${result.phase}: ${result.error?.message ?? ''}`;
              if (output.json) output.out(JSON.stringify({ name, ...result }));
              else output.err(`  [${finished}] ${line}`);
            },
          });
          if (!output.json)
            output.err(`Worker ${worker.workerId} running with ${multi.clouds.join(', ')} (${loaded.source}); Ctrl-C to stop`);
          await new Promise<void>((resolve) => {
            process.once('SIGINT', () => resolve());
            process.once('SIGTERM', () => resolve());
          });
          await worker.stop();
          if (!output.json) output.err(`Worker ${worker.workerId} stopped after ${finished} node(s)`);
          return EXIT.ok;
        },
      ),
    );

  fleet
    .command('status')
    .description('Where every node of a run is: counts per step, failures with their errors')
    .argument('<run>', 'the run id')
    .option('--database <url>', 'PostgreSQL URL (default: $POLYCLOUD_FLEET_DATABASE)')
    .action(
      action(async (options: DatabaseOption & { args: string[] }, command: Command) => {
        const output = processOutput(command.optsWithGlobals<GlobalOptions>().json === true);
        const status = await fleetStatus(databaseOf(options), options.args[0] ?? '');
        printStatus(output, status);
        return status.counts.failed > 0 ? EXIT.failed : EXIT.ok;
      }),
    );

  const simple = (
    name: string,
    description: string,
    argument: string,
    run: (database: string, id: string) => Promise<Record<string, number>>,
  ) =>
    fleet
      .command(name)
      .description(description)
      .argument(`<${argument}>`)
      .option('--database <url>', 'PostgreSQL URL (default: $POLYCLOUD_FLEET_DATABASE)')
      .action(
        action(async (options: DatabaseOption & { args: string[] }, command: Command) => {
          const output = processOutput(command.optsWithGlobals<GlobalOptions>().json === true);
          const result = await run(databaseOf(options), options.args[0] ?? '');
          output.out(
            output.json
              ? toJson(result)
              : Object.entries(result)
                  .map(([key, value]) => `${key}: ${value}`)
                  .join(', '),
          );
          return EXIT.ok;
        }),
      );
  simple('cancel', 'Cancel a run: queued nodes never start, nodes in flight stop after their current step', 'run', cancelFleetMigration);
  simple('resume', 'Resume a run: cancelled nodes queue again, failed nodes run again (safely)', 'run', resumeFleetMigration);
  simple('recover', 'Hand the unfinished nodes of a dead worker (that will not restart) to the others', 'worker-id', recoverFleetWorker);
}

function readKeyFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new InvalidRequestError(
      `--ssh-key-file ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : 'cannot be read'}`,
      {
        provider: 'polycloud',
        operation: 'cli',
        field: 'ssh-key-file',
      },
    );
  }
}

function logLevelOf(value: string | undefined): 'error' | 'warn' | 'info' | 'debug' {
  const level = value ?? 'error';
  if (level === 'error' || level === 'warn' || level === 'info' || level === 'debug') return level;
  throw new InvalidRequestError(`--log-level must be error, warn, info or debug, got ${JSON.stringify(value)}`, {
    provider: 'polycloud',
    operation: 'cli',
    field: 'log-level',
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
