/**
 * Client-side pacing after a provider throttles. Requests to one rate-limited API (e.g. one EC2
 * region) go no faster than a send rate learned from the throttles — additive increase on every
 * success, multiplicative decrease on a throttle — so a burst of work (destroying a fleet)
 * settles at the provider's limit instead of spending its retries on throttled requests. Nothing
 * is paced until the first throttle, nor again after a spell without one.
 *
 * @module
 */
import { systemClock, type Clock } from './clock.js';

/** Successes in this window (ms) estimate the rate the provider allowed when it first throttles. */
const WINDOW_MS = 1_000;
/** Send rate (requests/s) after a throttle with no recent success to learn from. */
const FLOOR_RATE = 10;
/** Multiplicative decrease per throttle. */
const DECREASE = 0.8;
/** Requests/s added per success. */
const INCREASE = 0.25;
/** Throttles closer together than this are one event (one burst hitting the limit). */
const DECREASE_GAP_MS = 100;
/** Pacing stops after this long without a throttle. */
const RELAX_MS = 5_000;

/** Paces the requests to one rate-limited API. */
export class AdaptivePacer {
  #rate = Number.POSITIVE_INFINITY;
  #nextAt = 0;
  #lastThrottleAt = Number.NEGATIVE_INFINITY;
  #lastDecreaseAt = Number.NEGATIVE_INFINITY;
  readonly #successes: number[] = [];

  constructor(private readonly clock: Clock = systemClock) {}

  /** The current send rate in requests per second; `Infinity` while unpaced. */
  get rate(): number {
    return this.#rate;
  }

  /** Waits for this request's turn (at once while unpaced). */
  async acquire(signal?: AbortSignal): Promise<void> {
    const now = this.clock.now();
    if (this.#rate !== Number.POSITIVE_INFINITY && now - this.#lastThrottleAt > RELAX_MS) this.#rate = Number.POSITIVE_INFINITY;
    if (this.#rate === Number.POSITIVE_INFINITY) return;
    const at = Math.max(now, this.#nextAt);
    this.#nextAt = at + 1000 / this.#rate;
    if (at > now) await this.clock.sleep(at - now, signal);
  }

  /** A request went through. */
  succeeded(): void {
    const now = this.clock.now();
    this.#successes.push(now);
    while ((this.#successes[0] ?? now) < now - WINDOW_MS) this.#successes.shift();
    if (this.#rate !== Number.POSITIVE_INFINITY) this.#rate += INCREASE;
  }

  /** A request was throttled. */
  throttled(): void {
    const now = this.clock.now();
    this.#lastThrottleAt = now;
    if (now - this.#lastDecreaseAt < DECREASE_GAP_MS) return;
    this.#lastDecreaseAt = now;
    if (this.#rate === Number.POSITIVE_INFINITY) {
      // The first throttle: start from the rate that just went through.
      while ((this.#successes[0] ?? now) < now - WINDOW_MS) this.#successes.shift();
      const first = this.#successes[0];
      const spanMs = first === undefined ? WINDOW_MS : Math.max(DECREASE_GAP_MS, now - first);
      this.#rate = Math.max(FLOOR_RATE, (this.#successes.length * 1000) / spanMs);
    }
    this.#rate = Math.max(1, this.#rate * DECREASE);
    this.#nextAt = Math.max(this.#nextAt, now + 1000 / this.#rate);
  }
}
