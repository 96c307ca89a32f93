import { afterAll, expect, it } from 'vitest';
import { runConformanceSuite } from '../conformance/suite.js';
import type { OpenStackFake } from '../fakes/openstack/index.js';
import { startOpenStack } from './harness.js';

const fakes: OpenStackFake[] = [];

runConformanceSuite('openstack (Keystone + Nova + Glance fake, validated against the api-ref)', async () => {
  const { fake, driver } = await startOpenStack();
  fakes.push(fake);
  return {
    driver,
    location: 'nova',
    otherLocation: 'az-2',
    size: '2',
    image: 'a1f0c6a2-4c4e-4a8b-9a39-1c2a0b9f0001',
    pageSize: 2,
    missingNodeId: '00000000-0000-0000-0000-000000000000',
    requestCount: () => fake.requests.length,
    wait: { intervalMs: 20, maxIntervalMs: 100 },
    cleanup: async () => {},
  };
});

it('sent only requests the OpenStack api-ref and Keystone samples allow', () => {
  expect(fakes.length).toBe(1);
  for (const fake of fakes) {
    expect(fake.requests.length).toBeGreaterThan(20);
    expect(fake.violations).toEqual([]);
  }
});

afterAll(async () => {
  await Promise.all(fakes.map((fake) => fake.close()));
});
