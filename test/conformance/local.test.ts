import { VirtualClock } from '../../src/core/clock.js';
import { createLocalDriver } from '../../providers/local/index.js';
import { runConformanceSuite } from './suite.js';

runConformanceSuite('local', async () => {
  const driver = createLocalDriver({ clock: new VirtualClock(), pageSize: 3 });
  return {
    driver,
    location: 'fra1',
    otherLocation: 'ams1',
    size: 's-2vcpu-4gb',
    image: 'ubuntu-24.04-x64',
    pageSize: 3,
    maxPageSize: 1000,
    driverWithUndefinedOptions: () => createLocalDriver({ cloud: driver.cloud, pageSize: undefined, retry: undefined, preset: undefined }),
    requestCount: () => driver.cloud.operationCount,
    cleanup: async () => {},
  };
});
