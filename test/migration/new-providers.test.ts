/**
 * Migration with the providers added in issue 16, over their wire-level fakes: one cycle
 * local → azure → local → openstack → local. Each hop moves the nodes the previous hop made plus
 * one node made on the source for this hop, with an SSH key and user data, and must leave exactly
 * one replacement per source on the target and every source destroyed afterwards. Local and Azure
 * read a node's key and user data back, so a hop from them carries the source's own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Driver } from '../../src/core/driver.js';
import type { Node } from '../../src/core/types.js';
import { MultiCloud, type LaunchRequest } from '../../src/multicloud/index.js';
import { createLocalDriver, type LocalDriver } from '../../providers/local/index.js';
import type { AzureFake } from '../fakes/azure/index.js';
import type { OpenStackFake } from '../fakes/openstack/index.js';
import { startAzure } from '../azure/harness.js';
import { startOpenStack } from '../openstack/harness.js';
import { SSH_KEY, USER_DATA } from './helpers.js';

/** One provider of the cycle. */
interface Stop {
  readonly name: string;
  readonly driver: Driver;
  /** Makes this hop's own source node. */
  fresh(): Promise<Node>;
  readonly wait: { intervalMs: number; timeoutMs: number };
  /** Whether the driver reads a node's launch spec back (else the plan is given the key and user data). */
  readonly readsLaunch: boolean;
}

let azureFake: AzureFake | undefined;
let openstackFake: OpenStackFake | undefined;
let stops: Stop[] = [];
let carried: Node[] = [];
const WAIT = { intervalMs: 20, timeoutMs: 60_000 };

const live = async (driver: Driver) =>
  (await driver.listNodes()).filter((node) => node.state !== 'terminated' && node.state !== 'terminating');

beforeAll(async () => {
  const local: LocalDriver = createLocalDriver({ idPrefix: 'loc-', timings: { boot: 5, terminate: 5 } });
  const azure = await startAzure();
  azureFake = azure.fake;
  const openstack = await startOpenStack();
  openstackFake = openstack.fake;
  const launch = { sshKeys: [SSH_KEY], userData: USER_DATA };
  const up = async (driver: Driver, request: Parameters<Driver['createNode']>[0]) =>
    driver.waitForNode(await driver.createNode({ ...request, ...launch }), 'running', WAIT);
  stops = [
    {
      name: 'local',
      driver: local,
      wait: WAIT,
      readsLaunch: true,
      fresh: () => up(local, { name: 'hop-local', size: 's-2vcpu-4gb', image: 'ubuntu-24.04-x64', location: 'fra1' }),
    },
    {
      name: 'azure',
      driver: azure.driver,
      wait: WAIT,
      // Azure gives back the VM's user data (`$expand=userData`) and its SSH keys.
      readsLaunch: true,
      fresh: () =>
        up(azure.driver, {
          name: 'hop-azure',
          size: 'Standard_B2s',
          image: 'Canonical:ubuntu-24_04-lts:server:latest',
          location: 'germanywestcentral',
        }),
    },
    {
      name: 'openstack',
      driver: openstack.driver,
      wait: WAIT,
      readsLaunch: false,
      fresh: () =>
        up(openstack.driver, { name: 'hop-openstack', size: '2', image: 'a1f0c6a2-4c4e-4a8b-9a39-1c2a0b9f0001', location: 'nova' }),
    },
  ];
}, 120_000);

afterAll(async () => {
  await Promise.all([azureFake?.close(), openstackFake?.close()]);
});

const hops = [
  ['local', 'azure'],
  ['azure', 'local'],
  ['local', 'openstack'],
  ['openstack', 'local'],
] as const;

describe('migration with azure and openstack', () => {
  it.each(hops)(
    '%s → %s: exactly one replacement per source, every source destroyed after',
    async (fromName, toName) => {
      const from = stops.find((stop) => stop.name === fromName) as Stop;
      const to = stops.find((stop) => stop.name === toName) as Stop;
      const fresh = await from.fresh();
      const sources = [...carried, fresh];
      const before = new Set((await live(to.driver)).map((node) => node.id));
      const multi = new MultiCloud({ drivers: { [from.name]: from.driver, [to.name]: to.driver }, timeoutMs: 60_000 });
      const launch: LaunchRequest | undefined = from.readsLaunch ? undefined : { sshKeys: [SSH_KEY], userData: USER_DATA };
      const plan = await multi.planMigration({
        from: from.name,
        to: to.name,
        filter: { location: [...new Set(sources.map((node) => node.location.id))] },
        ...(launch ? { launch } : {}),
      });
      expect(plan.unmatched).toEqual([]);
      expect(plan.steps.map((step) => step.source.id).sort()).toEqual(sources.map((node) => node.id).sort());
      const origin = from.readsLaunch ? 'source' : 'request';
      for (const step of plan.steps)
        expect(step.target.launch).toMatchObject({ userData: USER_DATA, userDataFrom: origin, sshKeys: [SSH_KEY], sshKeysFrom: origin });

      const report = await multi.migrate(JSON.parse(JSON.stringify(plan)), { cleanupSource: true, wait: to.wait });
      expect(report.results.filter((result) => result.status !== 'migrated')).toEqual([]);
      expect(report).toMatchObject({ migrated: sources.length, created: sources.length, sourcesDestroyed: sources.length });

      // Exactly one replacement per source: the target gained as many nodes as there were sources, each a report's target.
      const gained = (await live(to.driver)).filter((node) => !before.has(node.id));
      const targets = report.results.map((result) => result.target?.node.id);
      expect(gained.map((node) => node.id).sort()).toEqual([...targets].sort());
      expect(new Set(targets).size).toBe(sources.length);
      // Where the target reads launch specs too, each replacement was created with the source's user data and key.
      for (const result of report.results) {
        const spec = await to.driver.getLaunchSpec?.(result.target!.node);
        if (spec) expect(spec).toMatchObject({ userData: USER_DATA, sshKeys: [SSH_KEY] });
      }
      // Every source is gone from the source cloud.
      const remaining = new Set((await live(from.driver)).map((node) => node.id));
      expect(sources.filter((node) => remaining.has(node.id))).toEqual([]);

      // Re-running finds every replacement: nothing is created twice.
      const again = await multi.migrate(plan, { wait: to.wait });
      expect(again).toMatchObject({ migrated: sources.length, created: 0 });
      expect((await live(to.driver)).filter((node) => !before.has(node.id))).toHaveLength(sources.length);

      carried = report.results.map((result) => result.target?.node as Node);
    },
    180_000,
  );
});
