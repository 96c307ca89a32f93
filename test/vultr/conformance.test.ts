import { afterAll, expect, it } from 'vitest';
import { runConformanceSuite } from '../conformance/suite.js';
import { startVultrHarness, type VultrHarness } from './harness.js';

const harnesses: VultrHarness[] = [];

runConformanceSuite('vultr (fake, validated against the official OpenAPI document)', async () => {
  const harness = await startVultrHarness();
  harnesses.push(harness);
  return {
    driver: harness.driver,
    location: 'ewr',
    otherLocation: 'fra',
    size: 'vc2-1c-1gb',
    image: '2284',
    pageSize: 2,
    maxPageSize: 500,
    missingNodeId: '00000000-0000-4000-8000-000000000000',
    requestCount: () => harness.fake.requests.length,
    wait: { intervalMs: 250 },
    cleanup: async () => {},
  };
});

it('sent only requests (and got only answers) the official Vultr OpenAPI document allows', () => {
  expect(harnesses.length).toBe(1);
  for (const harness of harnesses) {
    expect(harness.fake.violations).toEqual([]);
    expect(harness.fake.responseViolations).toEqual([]);
  }
});

afterAll(async () => {
  await Promise.all(harnesses.map((harness) => harness.close()));
});
