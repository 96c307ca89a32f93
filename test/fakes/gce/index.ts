/**
 * The Compute Engine wire-level fake: `startGceFake(options)` returns the loopback server (every
 * request recorded) with its simulated `cloud`, and hooks to inject HTTP and operation errors.
 */
export { startGceFake } from './server.js';
export type { GceFake, GceFakeOptions, InjectedHttpError, InjectedOperationError } from './server.js';
export { FAKE_IMAGES, FAKE_MACHINE_TYPES, FAKE_ZONES, GCE_SIM_CATALOG } from './catalog.js';
export type { FakeGceImage, FakeMachineType } from './catalog.js';
export { parseFilter, FilterSyntaxError } from './filter.js';
