/**
 * Cold start of a provider driver against its SDK alone, in fresh processes: importing
 * `polycloud/providers/aws` (or `gce`), creating the driver and making its first request (the
 * drivers build their SDK clients on first use), against importing the SDK package, building its
 * client and making the same first request. Both answer from a loopback server.
 */
import { fileURLToPath } from 'node:url';
import { startColdServer } from '../fakes/cold-server.js';
import { measureCold, medians } from '../lib/cold.js';
import { loadProvider } from '../lib/polycloud.js';
import { atMost, info, type Benchmark, type BenchmarkResult, type Metric } from '../lib/result.js';
import { round } from '../lib/stats.js';

const SCRIPT = fileURLToPath(new URL('../children/cold-provider.mjs', import.meta.url));

async function coldProvider(
  provider: 'aws' | 'gce',
  id: string,
  title: string,
  runs: number,
  log: (line: string) => void,
): Promise<BenchmarkResult> {
  const loaded = await loadProvider<Record<string, unknown>>(provider);
  if ('missing' in loaded) return { id, title, status: 'not measured', reason: loaded.missing };
  const server = await startColdServer();
  try {
    const variant = (name: string, kind: 'driver' | 'sdk' | 'sdk-require', mode: 'import' | 'call') => ({
      name,
      args: [SCRIPT, provider, kind, mode, server.url],
    });
    const variants = [variant('driverCall', 'driver', 'call'), variant('sdkCall', 'sdk', 'call')];
    // The AWS SDK is cheap enough to also time the import and client alone; Compute's full import takes seconds.
    if (provider === 'aws') {
      variants.push(variant('driverImport', 'driver', 'import'), variant('sdkImport', 'sdk', 'import'));
      variants.push(variant('sdkRequireCall', 'sdk-require', 'call'));
    }
    log(`${id}: ${runs} interleaved runs of ${variants.length} fresh processes`);
    const result = medians(await measureCold(variants, runs, 1));
    const metrics: Metric[] = [
      atMost(
        'import + driver + first request vs SDK import + client + same request',
        round((result.driverCall ?? 0) / (result.sdkCall ?? 1)),
        1.1,
      ),
    ];
    if (provider === 'aws')
      metrics.push(
        info('import + create, no request, vs SDK import + client', round((result.driverImport ?? 0) / (result.sdkImport ?? 1)), 'x'),
        // Like for like: the SDK loaded the way the driver loads it, so only the driver's own work is left.
        info(
          'import + driver + first request vs the SDK loaded with require() + same request',
          round((result.driverCall ?? 0) / (result.sdkRequireCall ?? 1)),
          'x',
        ),
      );
    const raw: Record<string, number> = {};
    for (const [name, ms] of Object.entries(result)) raw[`${name} (ms)`] = round(ms, 1);
    return {
      id,
      title,
      status: 'measured',
      runs,
      metrics,
      raw,
      notes:
        provider === 'gce'
          ? [
              'the SDK side imports `@google-cloud/compute` (all its clients) as its README shows; the driver imports only the six client modules it uses, on first use',
            ]
          : [
              'the SDK side imports `@aws-sdk/client-ec2` with `import()` and builds one `EC2Client`; the driver builds the same client but loads the SDK with `require()` (it is CommonJS), which spares Node a second compile and an export scan of its 2 MB bundle, so part of the gap is the load path, not the driver',
              'both sides send the same single DescribeInstances request, answered with one running t3.micro: the driver maps it and prices it from its catalog (loaded then), the SDK parses it; the require() row takes the load path out of the comparison',
            ],
    };
  } finally {
    await server.close();
  }
}

export const coldAws: Benchmark = {
  id: 'cold-aws',
  title: "cold `import('polycloud/providers/aws')` + first client vs `@aws-sdk/client-ec2` alone",
  run({ quick, log }) {
    return coldProvider('aws', this.id, this.title, quick ? 4 : 12, log);
  },
};

export const coldGce: Benchmark = {
  id: 'cold-gce',
  title: "cold `import('polycloud/providers/gce')` + first client vs `@google-cloud/compute` alone",
  run({ quick, log }) {
    return coldProvider('gce', this.id, this.title, quick ? 1 : 4, log);
  },
};
