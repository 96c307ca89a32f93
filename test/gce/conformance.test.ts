import { runConformanceSuite } from '../conformance/suite.js';
import { createGceTestDriver, startGceTestSetup } from './harness.js';

runConformanceSuite('gce (Compute REST fake, aggregatedList)', async () => {
  const { driver, fake, clock, close } = await startGceTestSetup();
  return {
    driver,
    location: 'us-central1-a',
    otherLocation: 'europe-west3-b',
    size: 'e2-standard-2',
    image: 'ubuntu-os-cloud:ubuntu-2404-lts-amd64',
    pageSize: 2,
    maxPageSize: 500,
    driverWithUndefinedOptions: () =>
      createGceTestDriver(fake.url, {
        clock,
        requestTimeoutMs: undefined,
        operationTimeoutMs: undefined,
        maxConcurrency: undefined,
        imageProjects: undefined,
        priceSource: undefined,
      }),
    missingNodeId: 'us-central1-a.missing-node-0',
    wait: { intervalMs: 500 },
    requestCount: () => fake.requests.length,
    cleanup: close,
  };
});

runConformanceSuite('gce (Compute REST fake, per-zone list)', async () => {
  const { driver, fake, clock, close } = await startGceTestSetup({ driver: { zones: ['us-central1-a', 'europe-west3-b'] } });
  return {
    driver,
    location: 'us-central1-a',
    otherLocation: 'europe-west3-b',
    size: 'e2-standard-2',
    image: 'ubuntu-os-cloud:ubuntu-2404-lts-amd64',
    pageSize: 2,
    maxPageSize: 500,
    driverWithUndefinedOptions: () =>
      createGceTestDriver(fake.url, {
        clock,
        requestTimeoutMs: undefined,
        operationTimeoutMs: undefined,
        maxConcurrency: undefined,
        imageProjects: undefined,
        priceSource: undefined,
      }),
    missingNodeId: 'us-central1-a.missing-node-0',
    wait: { intervalMs: 500 },
    requestCount: () => fake.requests.length,
    cleanup: close,
  };
});
