import { afterAll, expect, it } from 'vitest';
import { runConformanceSuite } from '../conformance/suite.js';
import type { AzureFake } from '../fakes/azure/index.js';
import { startAzure } from './harness.js';

const fakes: AzureFake[] = [];

runConformanceSuite('azure (ARM fake over HTTPS, validated against the official swagger)', async () => {
  const { fake, driver } = await startAzure({ pageSize: 3 });
  fakes.push(fake);
  return {
    driver,
    location: 'westeurope',
    otherLocation: 'germanywestcentral',
    size: 'Standard_B2s',
    image: 'Canonical:ubuntu-24_04-lts:server:latest',
    pageSize: 3,
    missingNodeId: 'missing-node-0',
    requestCount: () => fake.requests.length,
    wait: { intervalMs: 20, maxIntervalMs: 100 },
    cleanup: async () => {},
  };
});

it('sent only requests the official Azure REST API specs allow', () => {
  expect(fakes.length).toBe(1);
  for (const fake of fakes) {
    expect(fake.requests.length).toBeGreaterThan(20);
    expect(fake.violations).toEqual([]);
  }
});

afterAll(async () => {
  await Promise.all(fakes.map((fake) => fake.close()));
});
