/**
 * `polycloud demo` (what `npm start` shows): two simulated clouds in memory, no credentials.
 * It provisions Ubuntu 24.04 nodes chosen by portable criteria, lists the fleet with places and
 * prices, ranks offers, takes one provider down (the listing reports it and still shows the
 * other), moves the fleet off the failing provider with a plan made from the last inventory,
 * and finishes the clean-up once the provider is back. Every figure comes from the simulator.
 *
 * @module
 */
import type { Command } from 'commander';
import { VirtualClock } from '../core/clock.js';
import { MultiCloud, checkInventory, type CloudNode, type MigrationReport } from '../multicloud/index.js';
import { findImage, findSizes } from '../multicloud/select.js';
import type { Arch } from '../core/types.js';
import type { LocalDriver } from '../../providers/local/index.js';
import { createDriver } from '../core/registry.js';
import { runSshDemo } from './demo-ssh.js';
import { action } from './context.js';
import { nodeTable } from './commands/nodes.js';
import { printPlan, printReport, runPlan } from './commands/migrate.js';
import { EXIT, formatHourly, printFailures, processOutput, table, toJson, type Output } from './output.js';
import { startProgress } from './progress.js';

/** A well-formed OpenSSH public key for the demo's nodes (bytes 0-31: nobody's private key). */
const DEMO_SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f demo@polycloud';

/** The fleet the demo starts with: what each node needs, not which size id it gets. */
const FLEET: readonly {
  cloud: 'standard' | 'budget';
  name: string;
  location: string;
  minVcpus: number;
  minMemoryGiB: number;
  arch: Arch;
}[] = [
  { cloud: 'standard', name: 'web-1', location: 'fra1', minVcpus: 2, minMemoryGiB: 4, arch: 'x86_64' },
  { cloud: 'standard', name: 'web-2', location: 'nyc1', minVcpus: 2, minMemoryGiB: 4, arch: 'x86_64' },
  { cloud: 'standard', name: 'api-1', location: 'lon1', minVcpus: 4, minMemoryGiB: 8, arch: 'x86_64' },
  { cloud: 'standard', name: 'worker-1', location: 'sgp1', minVcpus: 2, minMemoryGiB: 4, arch: 'arm64' },
  { cloud: 'standard', name: 'ml-1', location: 'nyc1', minVcpus: 8, minMemoryGiB: 32, arch: 'x86_64' },
  { cloud: 'budget', name: 'cache-1', location: 'de-nbg', minVcpus: 1, minMemoryGiB: 2, arch: 'x86_64' },
];

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('Run a self-contained demo on two simulated clouds: outage, migration, costs (no credentials needed)')
    .action(
      action(async (_options: object, command: Command) => {
        const json = command.optsWithGlobals<{ json?: boolean }>().json === true;
        return runDemo(processOutput(json));
      }),
    );
}

/** Runs the demo; returns the exit code. */
export async function runDemo(output: Output): Promise<number> {
  const say = (text = '') => {
    if (!output.json) output.out(text);
  };
  const clock = new VirtualClock();
  // Simulated time: boots take their 1.5 s on the virtual clock, instantly. Quick retries keep
  // the outage from costing real seconds.
  const retry = { retries: 1, minDelayMs: 1, maxDelayMs: 5 };
  const standard = await createDriver('local', { preset: 'standard', clock, idPrefix: 'std-', retry });
  const budget = await createDriver('local', { preset: 'budget', clock, idPrefix: 'bud-', retry });
  const drivers: Record<'standard' | 'budget', LocalDriver> = { standard, budget };
  const multi = new MultiCloud({ drivers });

  say('polycloud demo: two simulated clouds in memory, no credentials, no network.');
  say('  standard: the "standard" catalog, prices in USD   budget: the "budget" catalog, prices in EUR');
  say();

  say('1. Provision Ubuntu 24.04 nodes, sizes picked by need (findSizes) and images by OS (findImage)');
  // Progress lines go to stdout with the rest of the story when stdout is not a terminal.
  const story: Output = { ...output, err: output.out };
  const progress = startProgress(story, FLEET.length, 'provisioning');
  const created: CloudNode[] = [];
  for (const wanted of FLEET) {
    const driver = drivers[wanted.cloud];
    const [size] = await findSizes(driver, {
      minVcpus: wanted.minVcpus,
      minMemoryGiB: wanted.minMemoryGiB,
      arch: wanted.arch,
      location: wanted.location,
    });
    const image = await findImage(driver, { os: 'ubuntu', version: '24.04', arch: wanted.arch });
    if (!size || !image) throw new Error(`the ${wanted.cloud} catalog has no ${wanted.arch} size or image for ${wanted.name}`);
    const node = await driver.createNode({
      name: wanted.name,
      size,
      image,
      location: wanted.location,
      tags: { app: 'demo', role: wanted.name.replace(/-\d+$/, '') },
      // Launched with a key and a cloud-config: the migration carries both to the replacements.
      sshKeys: [DEMO_SSH_KEY],
      userData: '#cloud-config\npackages: [nginx]\n',
    });
    const ready = await driver.waitForNode(node, 'running');
    created.push({ cloud: wanted.cloud, node: ready });
    progress.tick(`${wanted.cloud}/${ready.name} ${size.id} in ${wanted.location}: ${ready.state}`);
  }
  progress.stop();
  say();

  say('2. The fleet across both clouds (MultiCloud.listNodes), and an inventory saved for a rainy day (takeInventory)');
  const { locations } = await multi.listLocations();
  const inventory = await multi.listNodes();
  say(fleetTable(inventory.nodes, locations));
  // As `polycloud inventory save FILE` does: plain JSON, read back later by a process that never saw the source.
  const savedInventory = JSON.stringify(await multi.takeInventory());
  const taken = checkInventory(JSON.parse(savedInventory));
  say(
    `  Inventory of ${Object.keys(taken.clouds).join(', ')}: nodes, how each was launched, and the catalogs a plan needs (${Math.round(savedInventory.length / 1024)} KiB of JSON).`,
  );
  say();

  say('3. Cheapest places for 2 vCPU / 4 GiB in Germany (MultiCloud.findOffers)');
  const offers = await multi.findOffers({ minVcpus: 2, minMemoryGiB: 4, countries: ['DE'] });
  say(
    table(
      ['CLOUD', 'LOCATION', 'SIZE', 'PRICE/HOUR', 'RANK'],
      [
        ...offers.offers.filter((offer) => offer.rank === 'priced').slice(0, 3),
        ...offers.offers.filter((offer) => offer.rank !== 'priced').slice(0, 3),
      ].map((offer) => [
        offer.cloud,
        `${offer.location.id} (${offer.location.city ?? offer.location.country})`,
        offer.size.id,
        formatHourly(offer.price),
        offer.rank,
      ]),
    ),
  );
  say(`  ${offers.offers.length} offers. Ranked in ${offers.currency}; offers in another currency are listed after, unconverted:`);
  say('  polycloud ships no exchange rates (pass exchangeRates to rank across currencies).');
  say();

  say('4. Outage: the standard cloud stops answering');
  standard.cloud.faults.set({ outage: true });
  const during = await multi.listNodes();
  printFailures({ ...output, err: say }, during.failures);
  say(
    `  The listing still answers for the other cloud: ${during.nodes.length} node(s) from ${[...new Set(during.nodes.map((each) => each.cloud))].join(', ') || 'none'}.`,
  );
  say(fleetTable(during.nodes, locations));
  const health = await multi.health();
  say(
    table(
      ['CLOUD', 'REACHABLE', 'ERROR'],
      health.map((entry) => [entry.cloud, entry.reachable ? 'yes' : 'NO', entry.error?.detail ?? '']),
    ),
  );
  say();

  say('5. Plan: move the standard fleet to budget, from the inventory taken before the outage (the source is not asked)');
  say('  Costs compared at an exchange rate we give: 1 EUR = 1.08 USD (polycloud ships none).');
  const plan = await multi.planMigration({ from: 'standard', to: 'budget', inventory: taken, exchangeRates: { EUR: 1.08 } });
  if (!output.json) printPlan(output, plan);
  say();

  say('6. Migrate: create the replacements, wait until they run, then destroy the sources (cleanupSource)');
  const first = await runPlan(story, multi, plan, { cleanupSource: true, concurrency: 3 });
  if (!output.json) printReport(output, first);
  say('  The replacements run; no source was destroyed, because the standard cloud cannot be reached yet.');
  say();

  say('7. The standard cloud recovers: run the same plan again');
  standard.cloud.faults.clear();
  const second = await runPlan(story, multi, plan, { cleanupSource: true, concurrency: 3 });
  if (!output.json) printReport(output, second);
  say();

  say('8. The fleet now');
  const after = await multi.listNodes({ states: ['pending', 'running', 'stopped', 'rebooting', 'stopping'] });
  say(fleetTable(after.nodes, locations));
  say();
  say(summary(plan.cost, first, second, after.nodes));
  say();
  const bootstrap = await runSshDemo(say);

  if (output.json) {
    output.out(
      toJson({
        inventory: inventory.nodes,
        outage: { nodes: during.nodes, failures: during.failures, health },
        offers,
        plan,
        runs: [first, second],
        after: after.nodes,
        bootstrap,
      }),
    );
  }
  const ok = second.failed === 0 && second.interrupted === 0 && during.failures.length === 1 && bootstrap.ok;
  return ok ? EXIT.ok : EXIT.failed;
}

function fleetTable(nodes: readonly CloudNode[], locations: readonly { cloud: string; location: { id: string; city?: string } }[]): string {
  if (nodes.length === 0) return 'No nodes.';
  const city = (cloud: string, id: string) => locations.find((each) => each.cloud === cloud && each.location.id === id)?.location.city;
  return nodeTable(
    nodes.map(({ cloud, node }) => ({
      cloud,
      node: { ...node, location: { ...node.location, id: `${node.location.id} (${city(cloud, node.location.id) ?? '?'})` } },
    })),
  );
}

function summary(
  cost: { before: { hourly: Readonly<Record<string, number>> }; after: { hourly: Readonly<Record<string, number>> } },
  first: MigrationReport,
  second: MigrationReport,
  now: readonly CloudNode[],
): string {
  const costLine = (hourly: Readonly<Record<string, number>>) =>
    Object.entries(hourly)
      .map(([currency, amount]) => `${amount.toFixed(4)} ${currency}/h (${(amount * 730).toFixed(2)} ${currency}/month)`)
      .join(' + ') || 'nothing';
  const counts = now.reduce<Record<string, number>>((sum, { cloud }) => ({ ...sum, [cloud]: (sum[cloud] ?? 0) + 1 }), {});
  return [
    'Summary',
    `  moved ${second.migrated} node(s); created ${first.created} replacement(s) in the first run and ${second.created} in the re-run (nothing twice)`,
    `  sources destroyed: ${first.sourcesDestroyed} during the outage, ${second.sourcesDestroyed} after recovery; ${first.unmatched.length} node(s) could not move: ${first.unmatched.map((each) => `${each.source.name} (${each.reason})`).join('; ') || 'none'}`,
    `  hourly cost of the moved nodes: before ${costLine(cost.before.hourly)}, after ${costLine(cost.after.hourly)}`,
    `  nodes now: ${Object.entries(counts)
      .map(([cloud, count]) => `${count} on ${cloud}`)
      .join(', ')}`,
  ].join('\n');
}
