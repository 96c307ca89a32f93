/**
 * Fault injection for the simulated cloud: added latency, a random error rate, and a full
 * outage, to rehearse a provider failure.
 *
 * @module
 */
import type { Clock } from '../core/clock.js';
import { SimulatorError } from './errors.js';

/** Faults to inject. Every field is optional; nothing is injected by default. */
export interface FaultSettings {
  /**
   * Added to every operation, in ms of the cloud's clock.
   * @defaultValue 0
   */
  readonly latencyMs?: number;
  /**
   * Share of operations (0–1) that fail with a retryable `unavailable` error.
   * @defaultValue 0
   */
  readonly errorRate?: number;
  /**
   * Every operation fails with `unavailable`.
   * @defaultValue false
   */
  readonly outage?: boolean;
  /**
   * Limit the faults to these operations (e.g. `['createNode']`).
   * @defaultValue every operation
   */
  readonly operations?: readonly string[];
}

/** Holds the current fault settings and applies them to each operation. */
export class FaultInjector {
  #settings: FaultSettings;
  constructor(
    private readonly random: () => number,
    settings: FaultSettings = {},
  ) {
    this.#settings = checkSettings(settings);
  }
  /** The faults in force. */
  get settings(): FaultSettings {
    return this.#settings;
  }
  /** Replaces the fault settings. */
  set(settings: FaultSettings): void {
    this.#settings = checkSettings(settings);
  }
  /** Stops injecting faults. */
  clear(): void {
    this.#settings = {};
  }
  /** Delays and/or fails the operation as the settings say. */
  async apply(operation: string, clock: Clock): Promise<void> {
    const { latencyMs = 0, errorRate = 0, outage = false, operations } = this.#settings;
    if (operations && !operations.includes(operation)) return;
    if (latencyMs > 0) await clock.sleep(latencyMs);
    if (outage) throw SimulatorError.unavailable('the simulated cloud is in an outage');
    if (errorRate > 0 && this.random() < errorRate) throw SimulatorError.unavailable(`injected failure of ${operation}`);
  }
}

function checkSettings(settings: FaultSettings): FaultSettings {
  if (settings.errorRate !== undefined && !(settings.errorRate >= 0 && settings.errorRate <= 1)) {
    throw new RangeError(`faults.errorRate must be between 0 and 1, got ${settings.errorRate}`);
  }
  if (settings.latencyMs !== undefined && !(settings.latencyMs >= 0)) {
    throw new RangeError(`faults.latencyMs must be 0 or more, got ${settings.latencyMs}`);
  }
  return { ...settings };
}
