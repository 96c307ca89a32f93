/**
 * Input hardening of the `local` driver: bad arguments never reach the simulated cloud.
 */
import { describe } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { DEFAULT_LIMITS } from '../../src/core/validate.js';
import { createLocalDriver } from '../../providers/local/index.js';
import { registerInputHardening } from './input-hardening.js';

describe('input hardening: local', () => {
  const driver = createLocalDriver({ clock: new VirtualClock() });
  registerInputHardening(() => ({
    driver,
    requestCount: () => driver.cloud.operationCount,
    limits: DEFAULT_LIMITS,
    size: 's-2vcpu-4gb',
    image: 'ubuntu-24.04-x64',
    location: 'fra1',
    nodeId: 'node-missing-1',
  }));
});
