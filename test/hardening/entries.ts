/**
 * Malformed list entries, for every list of every driver (issue 18): a server puts `{}`, `null`,
 * `42` or a copy of a real entry without its id into a list (locations, sizes, images, nodes, key
 * pairs). Each must end in one `CloudError` with `code: 'malformed-response'` naming the provider,
 * the operation and the field, never a `TypeError`, a silently shorter list or a node with
 * `id: "undefined"`.
 *
 * The drivers run against their loopback fakes; the entry is put into the real answer on its way
 * (by the fault proxy, or the fake's own rewrite hook where the transport is TLS-only).
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isCloudError, type CloudError } from '../../src/core/errors.js';
import { MALFORMED_RESPONSE_CODE } from '../../src/core/entries.js';
import type { RequestPattern } from '../fakes/fault-proxy/index.js';
import type { FaultProxy } from '../fakes/fault-proxy/index.js';

/** How an injected entry is made from the first real entry of the list (if any). */
export type MakeEntry = (first: unknown) => unknown;

/** One list of one driver. */
export interface ListUnderTest {
  /** What the list holds, for the test name: `sizes`. */
  readonly list: string;
  /** The driver operation that reads it: `listSizes`. */
  readonly operation: string;
  /** The field a real entry is identified by: `slug`, `id`, `InstanceId`. */
  readonly idField: string;
  /** Calls the operation. */
  call(): Promise<unknown>;
  /** Puts what `make` returns into the next answers of this list. */
  inject(make: MakeEntry): void;
}

/** What a driver's entry cases need. */
export interface EntryFixture {
  readonly provider: string;
  readonly lists: readonly ListUnderTest[];
  /** Removes every injected entry. */
  clear(): void;
  close(): Promise<void>;
}

/** The malformed entries every list gets. */
export const MALFORMED_ENTRIES: readonly (readonly [string, MakeEntry])[] = [
  ['an empty object', () => ({})],
  ['null', () => null],
  ['a number', () => 42],
];

/** A copy of `first` without `field` (a well-formed entry that lost its id). */
export function withoutField(first: unknown, field: string): unknown {
  if (typeof first !== 'object' || first === null) throw new Error(`the list had no real entry to copy (got ${JSON.stringify(first)})`);
  const { [field]: _dropped, ...rest } = first as Record<string, unknown>;
  return rest;
}

/** Rewrites a JSON answer: `make(first entry)` appended to the array at `path` (`[]`: the body itself). */
export function appendEntry(body: string, path: readonly string[], make: MakeEntry): string {
  const data = JSON.parse(body) as unknown;
  if (path.length === 0) {
    const list = data as unknown[];
    return JSON.stringify([...list, make(list[0])]);
  }
  let holder = data as Record<string, unknown>;
  for (const key of path.slice(0, -1)) holder = holder[key] as Record<string, unknown>;
  const last = path[path.length - 1] as string;
  const list = (holder[last] ?? []) as unknown[];
  holder[last] = [...list, make(list[0])];
  return JSON.stringify(data);
}

/** A list whose answers go through `proxy`: the entry is appended to the JSON array at `path`. */
export function proxiedList(
  proxy: FaultProxy,
  route: RequestPattern,
  path: readonly string[],
  described: Omit<ListUnderTest, 'inject'>,
): ListUnderTest {
  return {
    ...described,
    inject: (make) => void proxy.inject({ ...route, fault: { kind: 'malformed', body: (upstream) => appendEntry(upstream, path, make) } }),
  };
}

/** A fresh OpenSSH ed25519 public key line. */
export function sshPublicKey(comment: string): string {
  const der = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' });
  const raw = der.subarray(der.length - 32);
  const field = (bytes: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, bytes.length]), bytes]);
  return `ssh-ed25519 ${Buffer.concat([field(Buffer.from('ssh-ed25519')), field(raw)]).toString('base64')} ${comment}`;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : `no error (value ${JSON.stringify(error)?.slice(0, 200)})`;
}

async function failureOf(call: () => Promise<unknown>): Promise<unknown> {
  try {
    const value = await call();
    return { notAnError: value };
  } catch (error) {
    return error;
  }
}

function expectMalformed(error: unknown, provider: string, operation: string): CloudError {
  expect(isCloudError(error), describeError(error)).toBe(true);
  const cloud = error as CloudError;
  expect(cloud.code, describeError(error)).toBe(MALFORMED_RESPONSE_CODE);
  expect(cloud.provider).toBe(provider);
  expect(cloud.operation).toBe(operation);
  expect(cloud.message).not.toMatch(/TypeError|Cannot read|is not a function|undefined"/);
  return cloud;
}

/**
 * Registers, for each list of the fixture, one case per malformed entry and one for a real entry
 * without its id. `setup` runs once (in `beforeAll` of the caller's choosing) and is awaited lazily.
 */
export function registerEntryCases(name: string, fixture: () => EntryFixture): void {
  describe(`${name}: malformed list entries`, () => {
    it('every list reads fine before anything is injected (the cases below start from a good answer)', async () => {
      const { lists, clear } = fixture();
      clear();
      for (const list of lists) await expect(list.call(), `${list.operation} of a well-formed answer`).resolves.toBeDefined();
    });

    for (const [what, make] of MALFORMED_ENTRIES) {
      it(`${what} in any list is one CloudError "malformed-response" naming provider and operation`, async () => {
        const { provider, lists, clear } = fixture();
        for (const list of lists) {
          clear();
          list.inject(make);
          const error = await failureOf(() => list.call());
          const cloud = expectMalformed(error, provider, list.operation);
          // `{}` names its first missing field; `null` and `42` have no field, so the shape is named.
          expect(cloud.message, `${list.list}: ${cloud.message}`).toMatch(
            what === 'an empty object' ? /malformed "[^"]+"/ : /malformed (shape|"[^"]+")/,
          );
        }
        clear();
      });
    }

    it('a real entry without its id is one CloudError naming the id field', async () => {
      const { provider, lists, clear } = fixture();
      for (const list of lists) {
        clear();
        list.inject((first) => withoutField(first, list.idField));
        const error = await failureOf(() => list.call());
        const cloud = expectMalformed(error, provider, list.operation);
        expect(cloud.message, `${list.list}: ${cloud.message}`).toContain(`"${list.idField}"`);
      }
      clear();
    });
  });
}
