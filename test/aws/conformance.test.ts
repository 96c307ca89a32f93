/**
 * The conformance suite against moto, through the EC2 front that counts the requests reaching
 * the server and adds EC2's ClientToken idempotency (which moto lacks).
 */
import { runConformanceSuite } from '../conformance/suite.js';
import { UBUNTU_2404_AMD64, createAwsTestDriver, startEc2Front, startMoto } from './harness.js';

runConformanceSuite('aws (moto)', async () => {
  const moto = await startMoto();
  const front = await startEc2Front(moto.url);
  return {
    driver: createAwsTestDriver(front.url, { regions: ['us-east-1', 'eu-central-1'] }),
    location: 'us-east-1',
    otherLocation: 'eu-central-1',
    size: 't3.micro',
    image: UBUNTU_2404_AMD64,
    // DescribeInstances takes at least 5 results per page.
    pageSize: 5,
    maxPageSize: 1000,
    driverWithUndefinedOptions: () =>
      createAwsTestDriver(front.url, {
        regions: ['us-east-1', 'eu-central-1'],
        requestTimeoutMs: undefined,
        maxConcurrency: undefined,
        priceSource: undefined,
        sizeCacheTtlMs: undefined,
      }),
    missingNodeId: 'i-0123456789abcdef0',
    wait: { intervalMs: 20, maxIntervalMs: 100, timeoutMs: 20_000 },
    requestCount: () => front.count(),
    cleanup: async () => {
      await front.close();
      await moto.stop();
    },
  };
});
