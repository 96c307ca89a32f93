import { afterAll, expect, it } from 'vitest';
import { runConformanceSuite } from '../conformance/suite.js';
import { startLinodeHarness, type LinodeHarness } from './harness.js';

const harnesses: LinodeHarness[] = [];

runConformanceSuite('linode (fake, validated against the official OpenAPI document)', async () => {
  const harness = await startLinodeHarness();
  harnesses.push(harness);
  return {
    driver: harness.driver,
    location: 'us-east',
    otherLocation: 'eu-central',
    size: 'g6-nanode-1',
    image: 'linode/ubuntu24.04',
    // Linode's smallest page is 25.
    pageSize: 25,
    missingNodeId: '999999999',
    requestCount: () => harness.fake.requests.length,
    wait: { intervalMs: 250 },
    cleanup: async () => {},
  };
});

it('sent only requests (and got only answers) the official Linode OpenAPI document allows', () => {
  expect(harnesses.length).toBe(1);
  for (const harness of harnesses) {
    expect(harness.fake.violations).toEqual([]);
    expect(harness.fake.responseViolations).toEqual([]);
  }
});

afterAll(async () => {
  await Promise.all(harnesses.map((harness) => harness.close()));
});
