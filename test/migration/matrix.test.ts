/**
 * The migration matrix: every provider as source and as target, over the project's own
 * wire-level fakes and moto, in one cycle local → aws → gce → digitalocean → hetzner → linode →
 * local. Each hop moves the replacements of the previous hop plus one node created on the source
 * for this hop, with an SSH key and user data, a tag the target refuses (where the source can hold
 * one the target refuses), on an older image build (where the provider has builds), and with a
 * name already taken on the target by a node that is not the migration's.
 *
 * What each target received is read back from its server: the fakes' simulators (keys, user data,
 * tags), and for EC2 the instance's own attributes through the driver's launch spec.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Driver } from '../../src/core/driver.js';
import type { Node } from '../../src/core/types.js';
import { MultiCloud, type LaunchRequest, type MigrationPlan } from '../../src/multicloud/index.js';
import { createLocalDriver, type LocalDriver, type SimulatedCloud } from '../../providers/local/index.js';
import { UBUNTU_2404_AMD64_OLD, createAwsTestDriver, startProxiedMoto, type ProxiedMoto } from '../aws/harness.js';
import { startDigitalOceanHarness, type DigitalOceanHarness } from '../digitalocean/harness.js';
import { startGceTestSetup, type GceTestSetup } from '../gce/harness.js';
import { startHetznerHarness, type HetznerHarness } from '../hetzner/harness.js';
import { startLinodeHarness, type LinodeHarness } from '../linode/harness.js';
import { OLD_UBUNTU_BUILD, SSH_KEY, STANDARD_WITH_OLD_BUILD, USER_DATA } from './helpers.js';

/** One provider of the cycle. */
interface Stop {
  readonly name: string;
  readonly driver: Driver;
  /** The simulator behind a fake (absent for moto: EC2 is read back through the driver). */
  readonly cloud?: SimulatedCloud;
  /** Creates this hop's own source node: key, user data, a tag the next target refuses, an old build where there is one. */
  fresh(): Promise<Node>;
  /** How to wait for nodes here. */
  readonly wait: { intervalMs: number; maxIntervalMs?: number; timeoutMs: number };
  /** Whether the driver reads launch specs (else the plan is given the key and user data). */
  readonly readsLaunch: boolean;
  /** The tag `fresh()` puts on its node, and whether the next target refuses it. */
  readonly tag: readonly [string, string];
  readonly tagRefusedByNext: boolean;
  /** Whether `fresh()` uses an older build of its image. */
  readonly oldBuild: boolean;
  /** Whether this provider refuses a second node of the same name (the name policy then suffixes). */
  readonly uniqueNames: boolean;
}

let moto: ProxiedMoto | undefined;
let gce: GceTestSetup | undefined;
let digitalocean: DigitalOceanHarness | undefined;
let hetzner: HetznerHarness | undefined;
let linode: LinodeHarness | undefined;
let stops: Stop[] = [];
/** The replacements made by the previous hop: the next hop moves them on. */
let carried: Node[] = [];

const FAKE_WAIT = { intervalMs: 500, maxIntervalMs: 2_000, timeoutMs: 300_000 };

async function running(driver: Driver, node: Node, wait: Stop['wait']): Promise<Node> {
  return driver.waitForNode(node, 'running', wait);
}

beforeAll(async () => {
  moto = await startProxiedMoto();
  gce = await startGceTestSetup();
  digitalocean = await startDigitalOceanHarness();
  hetzner = await startHetznerHarness();
  linode = await startLinodeHarness();
  const local: LocalDriver = createLocalDriver({ catalog: STANDARD_WITH_OLD_BUILD, idPrefix: 'loc-', timings: { boot: 5, terminate: 5 } });
  const aws = createAwsTestDriver(moto.proxy.url, { regions: ['us-east-1'] });
  const launchOf = { sshKeys: [SSH_KEY], userData: USER_DATA };
  const at = <T extends Driver>(driver: T, wait: Stop['wait']) => ({
    create: async (request: Parameters<Driver['createNode']>[0]) =>
      running(driver, await driver.createNode({ ...request, ...launchOf }), wait),
  });
  const localWait = { intervalMs: 5, timeoutMs: 60_000 };
  const awsWait = { intervalMs: 100, maxIntervalMs: 500, timeoutMs: 120_000 };
  stops = [
    {
      name: 'local',
      driver: local,
      cloud: local.cloud,
      wait: localWait,
      readsLaunch: true,
      tag: ['aws:owner', 'ops'],
      tagRefusedByNext: true,
      oldBuild: true,
      uniqueNames: false,
      fresh: () =>
        at(local, localWait).create({
          name: 'edge-local',
          size: 's-2vcpu-4gb',
          image: OLD_UBUNTU_BUILD,
          location: 'fra1',
          tags: { 'aws:owner': 'ops' },
        }),
    },
    {
      name: 'aws',
      driver: aws,
      wait: awsWait,
      readsLaunch: true,
      tag: ['Cost Center', 'R&D Web'],
      tagRefusedByNext: true,
      oldBuild: true,
      uniqueNames: false,
      fresh: () =>
        at(aws, awsWait).create({
          name: 'edge-aws',
          size: 't3.medium',
          image: UBUNTU_2404_AMD64_OLD,
          location: 'us-east-1',
          tags: { 'Cost Center': 'R&D Web' },
        }),
    },
    {
      name: 'gce',
      driver: gce.driver,
      cloud: gce.fake.cloud,
      wait: FAKE_WAIT,
      readsLaunch: true,
      // Compute labels are lower-case letters, digits, '_' and '-': every one is a valid DigitalOcean tag.
      tag: ['tier', 'edge'],
      tagRefusedByNext: false,
      oldBuild: true,
      uniqueNames: true,
      fresh: () =>
        at(gce!.driver, FAKE_WAIT).create({
          name: 'edge-gce',
          size: 'e2-medium',
          image: 'ubuntu-os-cloud:ubuntu-2404-noble-amd64-v20261015',
          location: 'europe-west3-a',
          tags: { tier: 'edge' },
        }),
    },
    {
      name: 'digitalocean',
      driver: digitalocean.driver,
      cloud: digitalocean.fake.cloud,
      wait: FAKE_WAIT,
      readsLaunch: false,
      tag: ['ref', 'ticket:42'],
      tagRefusedByNext: true,
      oldBuild: false,
      uniqueNames: false,
      fresh: () =>
        at(digitalocean!.driver, FAKE_WAIT).create({
          name: 'edge-digitalocean',
          size: 's-2vcpu-4gb',
          image: 'ubuntu-24-04-x64',
          location: 'fra1',
          tags: { ref: 'ticket:42' },
        }),
    },
    {
      name: 'hetzner',
      driver: hetzner.driver,
      cloud: hetzner.fake.cloud,
      wait: FAKE_WAIT,
      readsLaunch: false,
      tag: ['note', 'n'.repeat(60)],
      tagRefusedByNext: true,
      oldBuild: false,
      uniqueNames: true,
      fresh: () =>
        at(hetzner!.driver, FAKE_WAIT).create({
          name: 'edge-hetzner',
          size: 'cx22',
          image: 'ubuntu-24.04',
          location: 'fsn1',
          tags: { note: 'n'.repeat(60) },
        }),
    },
    {
      name: 'linode',
      driver: linode.driver,
      cloud: linode.fake.cloud,
      wait: FAKE_WAIT,
      readsLaunch: false,
      // Linode tags are at most 50 characters: every one fits the local provider's limits.
      tag: ['tier', 'edge'],
      tagRefusedByNext: false,
      oldBuild: false,
      uniqueNames: true,
      fresh: () =>
        at(linode!.driver, FAKE_WAIT).create({
          name: 'edge-linode',
          size: 'g6-standard-2',
          image: 'linode/ubuntu24.04',
          location: 'eu-central',
          tags: { tier: 'edge' },
        }),
    },
  ];
}, 600_000);

afterAll(async () => {
  await Promise.all([moto?.stop(), gce?.close(), digitalocean?.close(), hetzner?.close(), linode?.close()]);
});

/** What a target node was launched with, read back from its server. */
async function receivedLaunch(stop: Stop, node: Node): Promise<{ sshKeys: readonly string[]; userData?: string }> {
  if (stop.cloud) {
    // The fakes' simulators hold what each create carried; the node is found by its address.
    const record = stop.cloud.peekNodes().find((each) => node.publicIps.includes(each.publicIp));
    expect(record, `${stop.name} node ${node.id} at ${node.publicIps.join(', ')}`).toBeDefined();
    return { sshKeys: record?.sshKeys ?? [], ...(record?.userData !== undefined ? { userData: record.userData } : {}) };
  }
  const spec = await stop.driver.getLaunchSpec?.(node);
  return { sshKeys: spec?.sshKeys ?? [], ...(spec?.userData !== undefined ? { userData: spec.userData } : {}) };
}

const hops = ['local', 'aws', 'gce', 'digitalocean', 'hetzner', 'linode'].map(
  (name, index, all) => [name, all[(index + 1) % all.length]] as const,
);

describe('migration matrix: every provider as source and as target', () => {
  it.each(hops)(
    '%s → %s: keys, user data, refused tags, a taken name and an old build',
    async (fromName, toName) => {
      const from = stops.find((stop) => stop.name === fromName) as Stop;
      const to = stops.find((stop) => stop.name === toName) as Stop;
      const fresh = await from.fresh();
      const sources = [...carried, fresh];
      const multi = new MultiCloud({ drivers: { [from.name]: from.driver, [to.name]: to.driver }, timeoutMs: 120_000 });
      const launch: LaunchRequest | undefined = from.readsLaunch ? undefined : { sshKeys: [SSH_KEY], userData: USER_DATA };
      const plan: MigrationPlan = await multi.planMigration({
        from: from.name,
        to: to.name,
        filter: { location: [...new Set(sources.map((node) => node.location.id))] },
        ...(launch ? { launch } : {}),
      });
      expect(plan.unmatched).toEqual([]);
      expect(plan.steps.map((step) => step.source.id).sort()).toEqual(sources.map((node) => node.id).sort());
      for (const step of plan.steps) {
        expect(step.target.launch).toMatchObject({
          sshKeys: [SSH_KEY],
          userData: USER_DATA,
          sshKeysFrom: from.readsLaunch ? 'source' : 'request',
        });
      }
      const freshStep = plan.steps.find((step) => step.source.id === fresh.id);
      if (from.oldBuild) expect(freshStep?.target.image.os).toEqual({ family: 'ubuntu', version: '24.04' });
      const [tagKey, tagValue] = from.tag;
      const change = freshStep?.target.tagChanges?.find((each) => each.key === tagKey);
      if (from.tagRefusedByNext) expect(change?.to ?? change).toBeDefined();
      else expect(freshStep?.target.tags[tagKey]).toBe(tagValue);

      // A node that is not the migration's already has the fresh node's target name, where it will land.
      const stranger = await running(
        to.driver,
        await to.driver.createNode({
          name: freshStep?.target.name ?? 'x',
          size: freshStep?.target.size.id ?? '',
          image: freshStep?.target.image.id ?? '',
          location: freshStep?.target.location.id ?? '',
          sshKeys: [SSH_KEY],
        }),
        to.wait,
      );

      const report = await multi.migrate(JSON.parse(JSON.stringify(plan)), { cleanupSource: true, wait: to.wait });
      expect(report.results.filter((result) => result.status !== 'migrated')).toEqual([]);
      expect(report).toMatchObject({ migrated: sources.length, created: sources.length, sourcesDestroyed: sources.length });
      const freshResult = report.results.find((result) => result.source.id === fresh.id);
      expect(freshResult?.target?.node.id).not.toBe(stranger.id);
      if (to.uniqueNames) expect(freshResult?.targetName).not.toBe(stranger.name);
      else expect(freshResult?.targetName).toBe(stranger.name);

      // What each target received: the key and the user data.
      for (const result of report.results) {
        const received = await receivedLaunch(to, result.target?.node as Node);
        expect(received.sshKeys.map((key) => key.split(' ').slice(0, 2).join(' '))).toContain(SSH_KEY.split(' ').slice(0, 2).join(' '));
        expect(received.userData).toBe(USER_DATA);
      }
      // Re-running finds every replacement by its tag: nothing created twice.
      const again = await multi.migrate(plan, { wait: to.wait });
      expect(again).toMatchObject({ migrated: sources.length, created: 0 });

      await to.driver.destroyNode(stranger);
      carried = report.results.map((result) => result.target?.node as Node);
      // Generous: moto answers DescribeInstanceTypes slowly on a busy machine; only a hang should fail here.
    },
    600_000,
  );
});
