/**
 * The reusable AWS test harness: moto (with the fixture AMIs), the EC2 front that counts requests
 * and adds EC2's ClientToken idempotency, and drivers wired to loopback with test credentials.
 *
 * ```ts
 * const moto = await startMoto();
 * const front = await startEc2Front(moto.url);
 * const driver = createAwsTestDriver(front.url, { regions: ['us-east-1'] });
 * ```
 */
import { createAwsDriver, type AwsDriver, type AwsDriverOptions } from '../../providers/aws/index.js';
import { startFaultProxy, type FaultProxy } from '../fakes/fault-proxy/index.js';
import { startEc2Front, type Ec2Front } from './ec2-front.js';
import { startMoto, type MotoServer } from './moto.js';

export { startMoto, type MotoServer, type StartMotoOptions } from './moto.js';
export { startEc2Front, type Ec2Front, type FrontRequest } from './ec2-front.js';
export * from './fixture-amis.js';

/** Credentials moto accepts; nothing real. */
export const TEST_CREDENTIALS = { accessKeyId: 'AKIAPOLYCLOUDTEST01', secretAccessKey: 'polycloud-test-secret-key-do-not-use' } as const;

/** The regions the AWS tests use by default. */
export const TEST_REGIONS: readonly string[] = ['us-east-1', 'eu-central-1'];

/**
 * An AWS driver against a loopback endpoint: explicit test credentials (no default chain, no
 * metadata service), the test regions and fast retries, unless `overrides` says otherwise.
 */
export function createAwsTestDriver(endpoint: string, overrides: AwsDriverOptions = {}): AwsDriver {
  // Belt and braces: the SDK must never look for the instance metadata service from a test.
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  return createAwsDriver({
    endpoint,
    credentials: TEST_CREDENTIALS,
    regions: TEST_REGIONS,
    retry: { retries: 3, minDelayMs: 5, maxDelayMs: 50, jitter: false },
    // moto answers DescribeInstanceTypes with ~900 types in one page, which takes seconds on a busy machine.
    requestTimeoutMs: 60_000,
    ...overrides,
  });
}

/** moto, the ClientToken-idempotent EC2 front before it, and a fault-injecting proxy before that. */
export interface ProxiedMoto {
  readonly moto: MotoServer;
  readonly front: Ec2Front;
  /** Point drivers here; inject faults and count attempts on it. */
  readonly proxy: FaultProxy;
  /** Stops all three, proxy first. */
  stop(): Promise<void>;
}

/** Starts the moto → EC2 front → fault proxy stack the AWS protocol tests run against. */
export async function startProxiedMoto(): Promise<ProxiedMoto> {
  const moto = await startMoto();
  const front = await startEc2Front(moto.url);
  const proxy = await startFaultProxy(front.url);
  return {
    moto,
    front,
    proxy,
    stop: async () => {
      await proxy.close();
      await front.close();
      await moto.stop();
    },
  };
}
