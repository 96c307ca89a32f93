/** The AWS driver as the benchmarks create it: built package, explicit test credentials, the fake's endpoint. */
import type { AwsDriver, AwsDriverOptions } from '../../providers/aws/index.js';
import { loadProvider } from './polycloud.js';

type AwsModule = { createAwsDriver(options: AwsDriverOptions): AwsDriver };

/** The 16 regions of the fan-out benchmark. */
export const SIXTEEN_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-southeast-1',
  'ap-southeast-2',
] as const;

export const BENCH_CREDENTIALS = { accessKeyId: 'AKIDBENCHMARK', secretAccessKey: 'bench-secret' } as const;

/** A factory for AWS drivers against `endpoint`, or the reason there is none yet. */
export async function awsDriverFactory(): Promise<
  { create: (options: { regions: readonly string[]; endpoint: string } & Partial<AwsDriverOptions>) => AwsDriver } | { missing: string }
> {
  const loaded = await loadProvider<AwsModule>('aws');
  if ('missing' in loaded) return loaded;
  const { createAwsDriver } = loaded.module;
  if (typeof createAwsDriver !== 'function') return { missing: 'polycloud/providers/aws has no createAwsDriver' };
  return { create: (options) => createAwsDriver({ credentials: BENCH_CREDENTIALS, ...options }) };
}
