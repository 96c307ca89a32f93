/**
 * A small seeded PRNG (mulberry32) so that a simulated cloud's addresses and injected faults
 * are the same on every run with the same seed.
 *
 * @module
 */

/** Returns a function yielding numbers in [0, 1), determined by `seed`. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
