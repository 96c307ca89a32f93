import { afterAll, expect, it } from 'vitest';
import { runConformanceSuite } from '../conformance/suite.js';
import { startScalewayHarness, type ScalewayHarness } from './harness.js';

const harnesses: ScalewayHarness[] = [];

runConformanceSuite('scaleway (fake, checked against the SDK-derived index and recorded exchanges)', async () => {
  const harness = await startScalewayHarness();
  harnesses.push(harness);
  return {
    driver: harness.driver,
    location: 'fr-par-1',
    otherLocation: 'nl-ams-1',
    size: 'DEV1-S',
    image: 'ubuntu_noble',
    pageSize: 2,
    maxPageSize: 100,
    missingNodeId: 'fr-par-1/00000000-0000-4000-8000-000000000000',
    requestCount: () => harness.fake.requests.length,
    driverWithUndefinedOptions: () =>
      harness.driverWith({ requestTimeoutMs: undefined, pageSize: undefined, retry: undefined, actionTimeoutMs: undefined }),
    wait: { intervalMs: 100 },
    cleanup: async () => {},
  };
});

it('sent only requests the official SDK allows (operations, query, body fields, X-Auth-Token)', () => {
  expect(harnesses.length).toBe(1);
  for (const harness of harnesses) expect(harness.fake.violations).toEqual([]);
});

afterAll(async () => {
  await Promise.all(harnesses.map((harness) => harness.close()));
});
