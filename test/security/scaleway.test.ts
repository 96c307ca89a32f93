/**
 * Input hardening of the `scaleway` driver straight against its fake: bad arguments never reach
 * the wire. (The reliability suite runs the same cases, and the secret scan, behind the fault proxy.)
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { startScalewayHarness, type ScalewayHarness } from '../scaleway/harness.js';
import { registerInputHardening } from './input-hardening.js';

describe('input hardening: scaleway', () => {
  let harness: ScalewayHarness;
  beforeAll(async () => {
    harness = await startScalewayHarness();
  });
  afterAll(() => harness.close());
  registerInputHardening(() => ({
    driver: harness.driver,
    requestCount: () => harness.fake.requests.length,
    limits: { maxNameLength: 63, maxTags: 50, maxTagKeyLength: 64, maxTagValueLength: 128, maxUserDataBytes: 16 * 1024 },
    size: 'DEV1-S',
    image: 'ubuntu_noble',
    location: 'fr-par-1',
    nodeId: 'fr-par-1/00000000-0000-4000-8000-000000000000',
  }));
});
