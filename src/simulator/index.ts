/**
 * The simulated cloud engine behind the `local` provider and the tests' fake servers.
 *
 * @module
 */
export { SimulatedCloud, DEFAULT_TIMINGS } from './cloud.js';
export type {
  SimulatedCloudOptions,
  SimTimings,
  SimState,
  SimNode,
  SimNodeRecord,
  SimCreateInput,
  SimListQuery,
  SimPage,
} from './cloud.js';
export { STANDARD_CATALOG, BUDGET_CATALOG, SIM_PRESETS, simPrice, sizeOfferedIn } from './catalog.js';
export type { SimCatalog, SimLocation, SimSize, SimImage, SimPresetName } from './catalog.js';
export { FaultInjector } from './faults.js';
export type { FaultSettings } from './faults.js';
export { SimulatorError, isSimulatorError } from './errors.js';
export type { SimulatorErrorCode } from './errors.js';
export { SimKeyRegistry, simKeyFingerprint } from './ssh-keys.js';
export type { SimKeyRecord } from './ssh-keys.js';
export { SimSshEndpoints } from './ssh-server.js';
export type { SimSshEndpoint, SimSshOptions } from './ssh-server.js';
