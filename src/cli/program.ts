/**
 * The `polycloud` command: commander program with every subcommand, run to an exit code.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerBulk } from './commands/bulk.js';
import { registerCreate } from './commands/create.js';
import { registerInventory } from './commands/inventory.js';
import { registerFleet } from './commands/fleet.js';
import { registerMigrate } from './commands/migrate.js';
import { registerNodes } from './commands/nodes.js';
import { registerSizes } from './commands/sizes.js';
import { registerKeys } from './commands/keys.js';
import { registerRun } from './commands/run.js';
import { registerSsh } from './commands/ssh.js';
import { outcome } from './context.js';
import { registerDemo } from './demo.js';
import { EXIT } from './output.js';

/** The package version, read from the package.json above this file (src/ or dist/src/). */
function version(): string {
  for (const relative of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'polycloud' && pkg.version) return pkg.version;
    } catch {
      // try the next level up
    }
  }
  return 'unknown';
}

/** Builds the program. */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('polycloud')
    .description('Manage virtual machines on every cloud through one API; move them when a provider fails or costs too much.')
    .version(version())
    .option('--json', 'print JSON for scripts instead of tables')
    .option('--config <file>', 'config file naming the clouds (default: $POLYCLOUD_CONFIG or ~/.polycloud/config.json)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .addHelpText(
      'after',
      [
        '',
        'Clouds come from the config file, else POLYCLOUD_PROVIDERS (e.g. aws,hetzner), else the credentials in the',
        'environment (AWS_*, GOOGLE_CLOUD_PROJECT, DIGITALOCEAN_TOKEN, HCLOUD_TOKEN, LINODE_TOKEN, AZURE_SUBSCRIPTION_ID, OS_CLOUD/OS_AUTH_URL), else the embedded',
        'local provider with its state in $POLYCLOUD_STATE_FILE (default ~/.polycloud/local-state.json).',
        'Exit codes: 0 success, 1 failure (also partial: a cloud or node failed), 2 bad usage, 130 interrupted.',
      ].join('\n'),
    );
  registerNodes(program);
  registerSizes(program);
  registerCreate(program);
  registerBulk(program);
  registerInventory(program);
  registerMigrate(program);
  registerFleet(program);
  registerRun(program);
  registerSsh(program);
  registerKeys(program);
  registerDemo(program);
  return program;
}

/** Runs the command line (`argv` as in `process.argv`) and returns the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  outcome.exitCode = EXIT.ok;
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
      // Commander has printed the message already.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    throw error;
  }
  return outcome.exitCode;
}
