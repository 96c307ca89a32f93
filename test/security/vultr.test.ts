/**
 * Input hardening of the `vultr` driver: bad arguments never reach the Vultr fake.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/core/validate.js';
import { registerInputHardening } from './input-hardening.js';
import { startVultrHarness, type VultrHarness } from '../vultr/harness.js';

describe('input hardening: vultr', () => {
  let harness: VultrHarness;
  beforeAll(async () => {
    harness = await startVultrHarness();
  });
  afterAll(async () => {
    await harness.close();
  });
  registerInputHardening(() => ({
    driver: harness.driver,
    requestCount: () => harness.fake.requests.length,
    limits: { ...DEFAULT_LIMITS, maxTags: 49 },
    size: 'vc2-1c-1gb',
    image: '2284',
    location: 'ewr',
    nodeId: '00000000-0000-4000-8000-000000000000',
  }));
  it('sent nothing the official Vultr OpenAPI document refuses', () => {
    expect(harness.fake.violations).toEqual([]);
  });
});
