/**
 * `npx tsx bench/profile.ts <scenario>`: a CPU profile of one benchmark scenario, summed by
 * package, to see what dominates a miss. Needs `npm run build` first.
 *
 *   list-16-regions   the AWS driver listing 16 regions × 3 pages (50 ms per request), and the raw SDK doing the same at once
 *   list-10k          the AWS driver listing 10,000 instances, and the raw SDK paginator loop
 *   cold-import       `import('polycloud')`, and an empty ES module, in fresh processes (--cpu-prof)
 *   cold-aws          `polycloud/providers/aws` + first listNodes, and the SDK + the same first request, in fresh processes
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startColdServer } from './fakes/cold-server.js';
import { awsDriverFactory, SIXTEEN_REGIONS } from './lib/aws.js';
import { startEc2Fake } from './lib/ec2-fake.js';
import { describeProfile, selfTimeByBucket, type CpuProfile } from './lib/profile.js';
import { rawEc2Client, rawListInstances } from './lib/raw-ec2.js';
import { runNode } from './lib/spawn.js';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
const scenario = process.argv[2];

/** Profiles `repeat` runs in this process (after one warm-up) and prints their CPU time by package. */
async function profiled(label: string, repeat: number, run: () => Promise<unknown>): Promise<void> {
  await run();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  const started = performance.now();
  for (let index = 0; index < repeat; index += 1) await run();
  const wallMs = (performance.now() - started) / repeat;
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  const buckets = selfTimeByBucket([profile as unknown as CpuProfile]).map(([name, ms]) => [name, ms / repeat] as [string, number]);
  console.log(`${label}: ${wallMs.toFixed(1)} ms per run; CPU by package: ${describeProfile(buckets)}`);
}

/** Profiles 10 fresh processes of `args` (`--cpu-prof`) and prints their CPU time by area. */
async function coldProfiles(label: string, args: readonly string[]): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), 'polycloud-prof-'));
  try {
    for (let index = 0; index < 10; index += 1)
      await runNode(['--cpu-prof', `--cpu-prof-dir=${directory}`, '--cpu-prof-interval=200', ...args]);
    const files = await readdir(directory);
    const profiles = await Promise.all(files.map(async (file) => JSON.parse(await readFile(join(directory, file), 'utf8')) as CpuProfile));
    console.log(`${label}, ${profiles.length} fresh processes; CPU by area: ${describeProfile(selfTimeByBucket(profiles), 8)}`);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

if (scenario === 'list-16-regions' || scenario === 'list-10k') {
  const factory = await awsDriverFactory();
  if ('missing' in factory) throw new Error(factory.missing);
  const fake = await startEc2Fake();
  try {
    if (scenario === 'list-16-regions') {
      await fake.reset({ regions: Object.fromEntries(SIXTEEN_REGIONS.map((region) => [region, 15])), latencyMs: 50, maxPage: 5 });
      const driver = factory.create({ regions: SIXTEEN_REGIONS, endpoint: fake.url });
      const clients = SIXTEEN_REGIONS.map((region) => rawEc2Client(region, fake.url));
      await profiled('driver listNodes, 16 regions', 10, () => driver.listNodes());
      await profiled('raw SDK, 16 regions at once', 10, () => Promise.all(clients.map((client) => rawListInstances(client, 1000))));
    } else {
      await fake.reset({ regions: { 'us-east-1': 10_000 } });
      const driver = factory.create({ regions: ['us-east-1'], endpoint: fake.url });
      const client = rawEc2Client('us-east-1', fake.url);
      await profiled('driver listNodes, 10,000 instances', 3, () => driver.listNodes());
      await profiled('raw SDK paginator loop, 10,000 instances', 3, () => rawListInstances(client, 1000));
    }
  } finally {
    await fake.close();
  }
} else if (scenario === 'cold-import') {
  // The same profile of an empty ES module shows what Node's own start-up costs.
  await coldProfiles('empty ES module', ['--input-type=module', '-e', '0']);
  await coldProfiles("import('polycloud')", ['--input-type=module', '-e', "await import('polycloud')"]);
} else if (scenario === 'cold-aws') {
  const server = await startColdServer();
  const script = fileURLToPath(new URL('children/cold-provider.mjs', import.meta.url));
  try {
    for (const variant of ['driver', 'sdk'])
      await coldProfiles(`aws ${variant} + first request`, [script, 'aws', variant, 'call', server.url]);
  } finally {
    await server.close();
  }
} else {
  console.error('usage: npx tsx bench/profile.ts <list-16-regions|list-10k|cold-import|cold-aws>');
  process.exit(2);
}
