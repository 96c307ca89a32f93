/**
 * The key-pair contract, run against every driver that has a key registry: import, list,
 * delete, validation before any request, keys registered implicitly on create, and cleanup of
 * the managed keys no node uses any more.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Driver } from '../../src/core/driver.js';
import { isCapabilityError, isConflictError, isInvalidRequestError } from '../../src/core/errors.js';
import type { CreateNodeRequest } from '../../src/core/types.js';
import { makeKey } from '../ssh/sshd.js';

/** What the suite needs for one driver. */
export interface KeyPairSubject {
  readonly driver: Driver;
  /** A create request for a node authorised with `sshKeys`. */
  createRequest(name: string, sshKeys: readonly string[]): CreateNodeRequest;
  /** Requests that reached the provider (or the simulator) so far. */
  requestCount(): number;
}

/** Registers the key-pair cases for `name`; `subject()` is called inside each test. */
export function keyPairSuite(name: string, subject: () => KeyPairSubject): void {
  const dir = mkdtempSync(join(tmpdir(), 'polycloud-keypairs-'));
  let counter = 0;
  const freshKey = () => makeKey(dir, `key${(counter += 1)}`);

  describe(`key pairs: ${name}`, () => {
    it('says it has a key registry', () => {
      expect(subject().driver.capabilities.keyPairs).toBe(true);
    });

    it('imports, lists and deletes a key; deleting it again succeeds', async () => {
      const { driver } = subject();
      const key = freshKey();
      const imported = await driver.importKeyPair({ name: `laptop-${counter}`, publicKey: key.publicKey });
      expect(imported).toMatchObject({ name: `laptop-${counter}`, provider: driver.provider, managed: false });
      const listed = (await driver.listKeyPairs()).filter((each) => each.name === imported.name);
      expect(listed.length).toBeGreaterThanOrEqual(1);
      for (const each of listed) {
        expect(each.fingerprint).not.toBeNull();
        if (each.publicKey !== null) expect(each.fingerprint).toBe(key.fingerprint);
      }
      for (const each of listed) await driver.deleteKeyPair(each);
      expect((await driver.listKeyPairs()).some((each) => each.name === imported.name)).toBe(false);
      await driver.deleteKeyPair(imported.id);
    });

    it('refuses a second key of the same name with a ConflictError', async () => {
      const { driver } = subject();
      const first = await driver.importKeyPair({ name: `dup-${counter}`, publicKey: freshKey().publicKey });
      const error = await driver.importKeyPair({ name: first.name, publicKey: freshKey().publicKey }).catch((e: unknown) => e);
      expect(isConflictError(error)).toBe(true);
      for (const each of (await driver.listKeyPairs()).filter((key) => key.name === first.name)) await driver.deleteKeyPair(each);
    });

    it('rejects bad names and keys before any request, naming the field and never echoing a private key', async () => {
      const { driver, requestCount } = subject();
      const key = freshKey();
      const before = requestCount();
      const cases: [unknown, string][] = [
        [{ name: '', publicKey: key.publicKey }, 'name'],
        [{ name: 'has space', publicKey: key.publicKey }, 'name'],
        [{ name: 'x'.repeat(65), publicKey: key.publicKey }, 'name'],
        [{ name: 'ok', publicKey: 'ssh-ed25519 not-base64!' }, 'publicKey'],
        [{ name: 'ok', publicKey: `ssh-rsa ${key.publicKey.split(' ')[1]}` }, 'publicKey'],
        [{ name: 'ok', publicKey: `ssh-ed25519 ${'A'.repeat(10_000)}` }, 'publicKey'],
        [{ name: 'ok', publicKey: key.privateKey }, 'publicKey'],
        [{ name: 'ok', publicKey: `${key.publicKey}\n${key.publicKey}` }, 'publicKey'],
      ];
      for (const [request, field] of cases) {
        const error = await driver.importKeyPair(request as never).catch((e: unknown) => e);
        expect(isInvalidRequestError(error) && error.field).toBe(field);
        expect(JSON.stringify(error) + String(error)).not.toContain(key.privateKey.split('\n')[2] ?? 'unused');
      }
      expect(isInvalidRequestError(await driver.deleteKeyPair('bad/id').catch((e: unknown) => e))).toBe(true);
      expect(requestCount()).toBe(before);
    });

    it('recognises keys registered on create as managed, keeps them while a node uses them, and removes them after', async () => {
      const { driver, createRequest } = subject();
      const handMade = await driver.importKeyPair({ name: `by-hand-${counter}`, publicKey: freshKey().publicKey });
      const implicit = freshKey();
      const shared = freshKey();
      const one = await driver.createNode(createRequest(`kp-one-${counter}`, [implicit.publicKey]));
      const two = await driver.createNode(createRequest(`kp-two-${counter}`, [shared.publicKey]));
      const three = await driver.createNode(createRequest(`kp-three-${counter}`, [shared.publicKey]));
      const managed = (await driver.listKeyPairs()).filter((key) => key.managed);
      expect(managed.every((key) => key.name.startsWith('polycloud-'))).toBe(true);
      expect(managed.length).toBeGreaterThanOrEqual(2);

      // Every node lives: nothing to clean.
      expect(await driver.cleanupKeyPairs()).toEqual([]);

      // destroyNode with removeKeys: the implicit key of node one goes; the shared key stays while three uses it.
      const beforeOne = (await driver.listKeyPairs()).filter((key) => key.managed).length;
      await driver.destroyNode(one, { removeKeys: true });
      const afterOne = (await driver.listKeyPairs()).filter((key) => key.managed);
      expect(afterOne.length).toBe(beforeOne - 1);
      await driver.destroyNode(two, { removeKeys: true });
      expect((await driver.listKeyPairs()).filter((key) => key.managed).length).toBe(afterOne.length);

      // Plain destroy, then cleanup: the shared key goes now; the hand-made key never does.
      await driver.destroyNode(three);
      const removed = await driver.cleanupKeyPairs();
      expect(removed.length).toBeGreaterThanOrEqual(1);
      expect(removed.every((key) => key.managed)).toBe(true);
      const left = await driver.listKeyPairs();
      expect(left.some((key) => key.name === handMade.name)).toBe(true);
      expect(left.filter((key) => key.managed)).toEqual([]);
      await driver.deleteKeyPair(handMade);
    });
  });
}

/** For drivers without a key registry: every key-pair call is a CapabilityError. */
export function noKeyPairSuite(name: string, subject: () => Driver): void {
  it(`${name}: key-pair calls are CapabilityErrors`, async () => {
    const driver = subject();
    expect(driver.capabilities.keyPairs ?? false).toBe(false);
    expect(isCapabilityError(await driver.listKeyPairs().catch((e: unknown) => e))).toBe(true);
    expect(isCapabilityError(await driver.cleanupKeyPairs().catch((e: unknown) => e))).toBe(true);
  });
}
