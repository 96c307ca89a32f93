/**
 * Output kept in bounded memory: a script that prints gigabytes keeps only its last bytes, and
 * says how much it printed in all.
 *
 * @module
 */

/** The end of a stream, at most `limit` bytes of it. */
export class BoundedOutput {
  readonly #limit: number;
  #chunks: Buffer[] = [];
  #kept = 0;
  /** Bytes received in all, kept or not. */
  total = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  push(chunk: Buffer): void {
    this.total += chunk.length;
    this.#chunks.push(chunk);
    this.#kept += chunk.length;
    // Drop whole chunks from the front while what is left still covers the limit, then trim.
    while (this.#kept - (this.#chunks[0]?.length ?? 0) >= this.#limit && this.#chunks.length > 1) {
      this.#kept -= this.#chunks.shift()?.length ?? 0;
    }
    if (this.#kept > this.#limit * 2) this.#compact();
  }

  /** True when bytes were dropped. */
  get truncated(): boolean {
    return this.total > this.#limit;
  }

  /** The kept end as UTF-8 text (a character cut at the start shows as U+FFFD). */
  text(): string {
    this.#compact();
    return Buffer.concat(this.#chunks).toString('utf8');
  }

  #compact(): void {
    const all = Buffer.concat(this.#chunks);
    const kept = all.length > this.#limit ? all.subarray(all.length - this.#limit) : all;
    this.#chunks = [Buffer.from(kept)];
    this.#kept = kept.length;
  }
}
