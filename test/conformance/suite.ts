/**
 * The conformance suite lives in `src/testing` (published as `polycloud/testing`); this file
 * keeps the path the repository's tests import it from.
 */
export { runConformanceSuite, rejectionOf, type ConformanceFixture } from '../../src/testing/index.js';
