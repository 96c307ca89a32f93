/**
 * Saving a simulated cloud to a JSON state file, so that successive CLI commands see the same
 * nodes. Writes go to a temporary file first and are renamed into place, so a crash never
 * leaves half a file.
 *
 * @module
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SimNodeRecord } from './cloud.js';
import { SimulatorError } from './errors.js';

/** The state file's content. */
export interface PersistedState {
  readonly version: 1;
  readonly counter: number;
  readonly nodes: readonly SimNodeRecord[];
  readonly idempotency: Readonly<Record<string, string>>;
}

/** Reads a state file; `undefined` when there is none yet. */
export function loadState(path: string): PersistedState | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch {
    throw SimulatorError.internal(`state file ${path} is not valid JSON`);
  }
  if (!isPersistedState(state)) throw SimulatorError.internal(`state file ${path} is not a polycloud simulator state (version 1)`);
  return state;
}

/** Writes a state file atomically. */
export function saveState(path: string, state: PersistedState): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(state));
  renameSync(temporary, path);
}

function isPersistedState(value: unknown): value is PersistedState {
  if (typeof value !== 'object' || value === null) return false;
  const state = value as Partial<PersistedState>;
  return state.version === 1 && typeof state.counter === 'number' && Array.isArray(state.nodes) && typeof state.idempotency === 'object';
}
