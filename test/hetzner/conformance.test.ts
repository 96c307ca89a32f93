import { afterAll, expect, it } from 'vitest';
import { runConformanceSuite } from '../conformance/suite.js';
import { startHetznerHarness, type HetznerHarness } from './harness.js';

const harnesses: HetznerHarness[] = [];

runConformanceSuite('hetzner (fake, validated against the official OpenAPI document)', async () => {
  const harness = await startHetznerHarness();
  harnesses.push(harness);
  return {
    driver: harness.driver,
    location: 'fsn1',
    otherLocation: 'nbg1',
    size: 'cx22',
    image: '161547269',
    pageSize: 3,
    missingNodeId: '999999999',
    requestCount: () => harness.fake.requests.length,
    wait: { intervalMs: 250 },
    cleanup: async () => {},
  };
});

it('sent only requests (and got only answers) the official Hetzner OpenAPI document allows', () => {
  expect(harnesses.length).toBe(1);
  for (const harness of harnesses) {
    expect(harness.fake.violations).toEqual([]);
    expect(harness.fake.responseViolations).toEqual([]);
  }
});

afterAll(async () => {
  await Promise.all(harnesses.map((harness) => harness.close()));
});
