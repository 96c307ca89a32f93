/**
 * Saving a simulated cloud to a JSON state file that several processes share (successive and
 * concurrent CLI commands see the same nodes).
 *
 * Why a lock and not an embedded database: the state is a few hundred records that every command
 * reads whole, the file must stay readable JSON a user can inspect and delete, and `proper-lockfile`
 * (a small, widely used dependency with stale-lock recovery) gives cross-process mutual exclusion
 * without a native module or a second file format. Every change runs as lock → re-read → change →
 * write to a temporary file → rename → unlock, so no process writes from a stale copy (no lost
 * update) and ids are derived from what is stored at that moment (no id given twice). Readers do
 * not lock: a rename is atomic, so they see the state before or after a change, never half of one.
 *
 * A symlinked state file stays a symlink: the write goes to the file the link points to. Each
 * record is validated on its own, and a bad one is reported by its index and id.
 *
 * @module
 */
import { mkdirSync, readFileSync, readlinkSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import lockfile from 'proper-lockfile';
import * as v from 'valibot';
import type { SimNodeRecord } from './cloud.js';
import { SimulatorError } from './errors.js';

/** The state file's content. */
export interface PersistedState {
  readonly version: 1;
  /** The highest id number ever given; ids are never given twice, even after a node is purged. */
  readonly counter: number;
  readonly nodes: readonly SimNodeRecord[];
  readonly idempotency: Readonly<Record<string, string>>;
}

/** The empty state a new file starts with. */
export const EMPTY_STATE: PersistedState = { version: 1, counter: 0, nodes: [], idempotency: {} };

const STATES = ['pending', 'running', 'rebooting', 'stopping', 'stopped', 'terminating', 'terminated'] as const;
const stringMap = v.record(v.string(), v.string());
const finite = v.pipe(v.number(), v.finite());

/** One stored node, field by field. */
const NodeRecordSchema = v.object({
  id: v.pipe(v.string(), v.minLength(1)),
  name: v.string(),
  sizeId: v.string(),
  imageId: v.string(),
  locationId: v.string(),
  tags: stringMap,
  userData: v.optional(v.string()),
  sshKeys: v.array(v.string()),
  createdAt: finite,
  state: v.picklist(STATES),
  stateSince: finite,
  next: v.optional(v.object({ state: v.picklist(STATES), at: finite })),
  publicIp: v.string(),
  privateIp: v.string(),
  idempotencyKey: v.optional(v.string()),
  extra: v.optional(v.record(v.string(), v.unknown())),
});

const StateShapeSchema = v.object({
  version: v.literal(1),
  counter: v.pipe(v.number(), v.integer(), v.minValue(0)),
  nodes: v.array(v.unknown()),
  idempotency: stringMap,
});

/** The file a state path really names: a symlink is followed (even one whose target does not exist yet). */
export function stateTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return resolve(dirname(path), readlinkSync(path));
    } catch {
      return resolve(path);
    }
  }
}

/** Reads a state file; `undefined` when there is none yet (or it is empty, as a new lock target is). */
export function loadState(path: string): PersistedState | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (text.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw SimulatorError.internal(`state file ${path} is not valid JSON`);
  }
  return parseState(parsed, path);
}

/**
 * Checks a parsed state file record by record.
 *
 * @throws SimulatorError (`internal`) naming the file, the record (`nodes[3]`, with its id when
 *   it has one) and the field at fault.
 */
export function parseState(value: unknown, path: string): PersistedState {
  const shape = v.safeParse(StateShapeSchema, value);
  if (!shape.success) {
    throw SimulatorError.internal(`state file ${path} is not a polycloud simulator state (version 1): ${describeIssue(shape.issues[0])}`);
  }
  const nodes: SimNodeRecord[] = [];
  const ids = new Set<string>();
  shape.output.nodes.forEach((entry, index) => {
    const record = v.safeParse(NodeRecordSchema, entry);
    const id = typeof (entry as { id?: unknown } | null)?.id === 'string' ? ` (id ${JSON.stringify((entry as { id: string }).id)})` : '';
    if (!record.success) {
      throw SimulatorError.internal(`state file ${path}: record nodes[${index}]${id} is malformed: ${describeIssue(record.issues[0])}`);
    }
    if (ids.has(record.output.id)) throw SimulatorError.internal(`state file ${path}: record nodes[${index}]${id} repeats an id`);
    ids.add(record.output.id);
    nodes.push({ ...record.output, extra: record.output.extra ?? {} } as SimNodeRecord);
  });
  return { version: 1, counter: shape.output.counter, nodes, idempotency: shape.output.idempotency };
}

function describeIssue(issue: v.BaseIssue<unknown> | undefined): string {
  if (!issue) return 'unknown problem';
  const path = v.getDotPath(issue);
  const received = issue.received;
  return `${path ? `"${path}"` : 'the value'}: expected ${issue.expected ?? 'something else'}, got ${received}`;
}

/**
 * Writes a state file atomically: a temporary file beside the real target, renamed over it. A
 * symlinked path keeps its link.
 */
export function saveState(path: string, state: PersistedState): void {
  const target = stateTarget(path);
  mkdirSync(dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(state));
  renameSync(temporary, target);
}

/** How long a process waits for another's lock before giving up, in ms. */
const LOCK_WAIT = { retries: 400, minTimeout: 5, maxTimeout: 50, factor: 1.3 } as const;

/**
 * Runs `change` on the current stored state under the cross-process lock and writes what it
 * returns. `change` gets the state as stored at that moment (or `undefined` for none).
 *
 * @returns what `change` returned beside the new state.
 * @throws SimulatorError (`unavailable`) when the lock cannot be had (another process holds it
 *   for longer than about 20 seconds).
 */
export async function updateState<T>(
  path: string,
  change: (current: PersistedState | undefined) => { readonly state: PersistedState; readonly result: T },
): Promise<T> {
  const target = stateTarget(path);
  mkdirSync(dirname(target), { recursive: true });
  // The lock is a `<target>.lock` directory beside the file; with `realpath: false` the file itself
  // need not exist yet, so no empty state file is ever visible to a reader.
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(target, { retries: LOCK_WAIT, stale: 10_000, realpath: false });
  } catch (error) {
    throw SimulatorError.unavailable(`state file ${path} is locked by another process: ${(error as Error).message}`);
  }
  try {
    const { state, result } = change(loadState(target));
    saveState(target, state);
    return result;
  } finally {
    await release().catch(() => undefined);
  }
}
