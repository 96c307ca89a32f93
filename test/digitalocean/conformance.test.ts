import { describe, expect, it } from 'vitest';
import { runConformanceSuite } from '../conformance/suite.js';
import { DIGITALOCEAN_FAKE_WAIT, startDigitalOceanHarness, type DigitalOceanHarness } from './harness.js';

let harness: DigitalOceanHarness | undefined;

runConformanceSuite('digitalocean (fake, checked against the official OpenAPI document)', async () => {
  harness = await startDigitalOceanHarness();
  const { driver, fake } = harness;
  return {
    driver,
    location: 'fra1',
    otherLocation: 'ams3',
    size: 's-1vcpu-1gb',
    image: 'ubuntu-24-04-x64',
    pageSize: 3,
    missingNodeId: '999999999',
    wait: DIGITALOCEAN_FAKE_WAIT,
    requestCount: () => fake.requests.length,
    cleanup: () => fake.close(),
  };
});

describe('digitalocean conformance run', () => {
  it('sent only requests the official OpenAPI document accepts', () => {
    expect(harness?.fake.requests.length).toBeGreaterThan(50);
    expect(harness?.fake.violations).toEqual([]);
  });

  it('answered only in the shapes the official OpenAPI document describes', () => {
    expect(harness?.fake.responseViolations).toEqual([]);
  });
});
