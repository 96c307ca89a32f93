/** Key pairs on Vultr, over the wire against the Vultr fake (requests checked against the official OpenAPI document). */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startVultrHarness, type VultrHarness } from '../vultr/harness.js';
import { keyPairSuite } from './suite.js';

let harness: VultrHarness;
beforeAll(async () => {
  harness = await startVultrHarness();
});
afterAll(() => harness?.close());

keyPairSuite('vultr', () => ({
  driver: harness.driver,
  createRequest: (name, sshKeys) => ({ name, size: 'vc2-1c-1gb', image: '2284', location: 'ewr', sshKeys }),
  requestCount: () => harness.fake.requests.length,
}));

it('vultr: sent only requests (and got only answers) the official OpenAPI document allows', () => {
  expect(harness.fake.violations).toEqual([]);
  expect(harness.fake.responseViolations).toEqual([]);
});
