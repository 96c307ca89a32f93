/**
 * `polycloud inventory save FILE`: takes an inventory of the configured clouds (nodes, how each
 * was launched, the catalogs a migration plan needs) and writes it as JSON, so that a migration
 * can later be planned from it (`polycloud migrate --inventory FILE`) while the source is down.
 *
 * @module
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Inventory } from '../../multicloud/index.js';
import { action, collectList, contextOf } from '../context.js';
import { EXIT, table, toJson, type Output } from '../output.js';

interface InventorySaveOptions {
  args?: string[];
  cloud?: string[];
}

/** The inventory as a table: per cloud, its nodes and launch specs. */
export function printInventory(output: Output, inventory: Inventory, file: string): void {
  output.out(`Inventory taken at ${inventory.takenAt}, saved to ${file}`);
  const rows = Object.entries(inventory.clouds).map(([cloud, entry]) => [
    cloud,
    entry.provider,
    entry.nodes.length,
    Object.keys(entry.launchSpecs).length,
    Object.keys(entry.catalog.sizes).length,
    Object.keys(entry.launchSpecFailures ?? {}).length,
  ]);
  if (rows.length > 0) output.out(table(['CLOUD', 'PROVIDER', 'NODES', 'LAUNCH SPECS', 'CATALOG LOCATIONS', 'SPECS UNREAD'], rows));
  for (const failure of inventory.failures)
    output.err(`! ${failure.cloud} (${failure.provider}) could not be inventoried: ${failure.error}: ${failure.message}`);
}

export function registerInventory(program: Command): void {
  const inventory = program
    .command('inventory')
    .description('Save what a migration needs to know about your clouds, to plan from it later');
  inventory
    .command('save')
    .description('Take an inventory (nodes, launch specs, catalogs) and write it to FILE as JSON')
    .argument('<file>', 'where to write the inventory')
    .option('--cloud <names>', 'only these clouds (comma-separated or repeated)', collectList)
    .action(
      action(async (options: InventorySaveOptions, command: Command) => {
        const { multi, output } = await contextOf(command);
        const file = options.args?.[0] ?? '';
        const taken = await multi.takeInventory(options.cloud ? { clouds: options.cloud } : {});
        // The file may hold user data: readable by its owner only.
        writeFileSync(file, JSON.stringify(taken, null, 2), { mode: 0o600 });
        if (output.json) output.out(toJson({ file, inventory: summary(taken) }));
        else printInventory(output, taken, file);
        return taken.failures.length > 0 ? EXIT.failed : EXIT.ok;
      }),
    );
}

function summary(inventory: Inventory) {
  return {
    takenAt: inventory.takenAt,
    clouds: Object.fromEntries(
      Object.entries(inventory.clouds).map(([cloud, entry]) => [
        cloud,
        { provider: entry.provider, nodes: entry.nodes.length, launchSpecs: Object.keys(entry.launchSpecs).length },
      ]),
    ),
    failures: inventory.failures,
  };
}
