/**
 * The simulated cloud's SSH key registry: named public keys, optionally kept in a JSON file next
 * to the cloud's state file so that several processes (CLI runs) see the same keys.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import { SimulatorError } from './errors.js';

/** A registered key as stored. */
export interface SimKeyRecord {
  /** The registry id, `key-` and six or more hex digits, e.g. `key-000001`. */
  readonly id: string;
  /** The key's name; unique in the registry. */
  readonly name: string;
  /** The OpenSSH public key line as registered, trimmed. */
  readonly publicKey: string;
  /** OpenSSH `SHA256:…` fingerprint. */
  readonly fingerprint: string;
  /** Epoch ms. */
  readonly createdAt: number;
}

/** Fingerprint of an OpenSSH public key line (type, base64 blob, optional comment). */
export function simKeyFingerprint(publicKey: string): string {
  const blob = Buffer.from(publicKey.trim().split(/\s+/)[1] ?? '', 'base64');
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Named public keys, unique by name. */
export class SimKeyRegistry {
  readonly #file?: string;
  readonly #clock: Clock;
  #keys: SimKeyRecord[] = [];
  #counter = 0;

  constructor(
    options: {
      /**
       * JSON file the keys are kept in, re-read before every call so that several processes share them.
       * @defaultValue none (keys in memory only)
       */
      readonly file?: string;
      /**
       * The clock `createdAt` is read from.
       * @defaultValue the system clock
       */
      readonly clock?: Clock;
    } = {},
  ) {
    this.#clock = options.clock ?? systemClock;
    if (options.file) this.#file = options.file;
    this.#load();
  }

  /** Every registered key, in registration order (copies: changing them changes nothing). */
  list(): SimKeyRecord[] {
    this.#load();
    return this.#keys.map((key) => ({ ...key }));
  }

  /** Registers a key; a name already taken is a `conflict`. */
  add(name: string, publicKey: string): SimKeyRecord {
    this.#load();
    if (this.#keys.some((key) => key.name === name)) throw SimulatorError.conflict(`a key named ${JSON.stringify(name)} already exists`);
    this.#counter += 1;
    const record: SimKeyRecord = {
      id: `key-${this.#counter.toString(16).padStart(6, '0')}`,
      name,
      publicKey: publicKey.trim(),
      fingerprint: simKeyFingerprint(publicKey),
      createdAt: this.#clock.now(),
    };
    this.#keys.push(record);
    this.#save();
    return { ...record };
  }

  /** Removes a key by id; a missing key is `not-found`. */
  remove(id: string): void {
    this.#load();
    const before = this.#keys.length;
    this.#keys = this.#keys.filter((key) => key.id !== id);
    if (this.#keys.length === before) throw SimulatorError.notFound(`key ${JSON.stringify(id)} does not exist`);
    this.#save();
  }

  #load(): void {
    if (!this.#file) return;
    try {
      const parsed = JSON.parse(readFileSync(this.#file, 'utf8')) as { counter: number; keys: SimKeyRecord[] };
      this.#keys = parsed.keys;
      this.#counter = parsed.counter;
    } catch {
      // No file yet: an empty registry.
    }
  }

  #save(): void {
    if (!this.#file) return;
    mkdirSync(dirname(this.#file), { recursive: true });
    const temporary = `${this.#file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ counter: this.#counter, keys: this.#keys }, null, 2));
    renameSync(temporary, this.#file);
  }
}
