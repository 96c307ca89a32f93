/**
 * `polycloud/testing`: the conformance suite every polycloud driver passes, for drivers in
 * other packages too. It registers vitest cases (`vitest` is an optional peer dependency):
 *
 * ```ts
 * import { runConformanceSuite } from 'polycloud/testing';
 * runConformanceSuite('my-cloud', async () => ({ driver, location: 'r1', otherLocation: 'r2', … }));
 * ```
 *
 * @module polycloud/testing
 */
export { runConformanceSuite } from './conformance.js';
export type { ConformanceFixture } from './conformance.js';
export { runReliabilityCases } from './reliability.js';
export { runContractCases, MALFORMED_IDS } from './contract-cases.js';
export { rejectionOf } from './rejection.js';
