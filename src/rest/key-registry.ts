/**
 * SSH-key registries: providers whose create takes keys registered with the account (by id, name
 * or fingerprint) rather than key text. A spec describes the registry (list, look-up, create,
 * delete, mapper); this module registers each key once, found again by its fingerprint (checked on
 * the client), and lists, imports and deletes key pairs for any such provider.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import type { DriverContext } from '../core/driver.js';
import { isConflictError, isInvalidRequestError, isNotFoundError } from '../core/errors.js';
import { isManagedKeyName, publicKeyFingerprint, type KeyPair } from '../core/key-pairs.js';
import type { ProviderName } from '../core/types.js';
import { field } from './body.js';
import type { Query } from './pages.js';
import type { ListRequest, RestRuntime } from './spec.js';

/** A provider's SSH-key registry, described. */
export interface KeyRegistrySpec {
  /** Listing every key: path, answer field, and the query that filters by fingerprint where the API has one. */
  readonly list: {
    /** The list path, e.g. `/v2/account/keys`. */
    readonly path: string;
    /** The field of each page holding the keys, e.g. `ssh_keys`. */
    readonly field: string;
    /**
     * Query parameters that narrow the list to keys with this provider `fingerprint`; the match is
     * checked on the client anyway.
     * @defaultValue none (the whole list is read and searched)
     */
    query?(fingerprint: string): Query;
    /**
     * Extra parts of every list request (a page-size parameter of its own, a project filter).
     * @defaultValue none
     */
    readonly request?: Pick<ListRequest, 'query' | 'pageSize'>;
  };
  /**
   * A direct look-up by fingerprint (a 404 means absent), where the API has one; otherwise keys
   * are found through `list`.
   */
  readonly get?: {
    /** The key's path for its provider fingerprint, built with `urlPath` so it is encoded. */
    path(fingerprint: string): string;
    /** The answer's field holding the key, e.g. `ssh_key`. */
    readonly field: string;
  };
  /** Registering a key: path, body, and the answer field holding the new key (none: the body is the key). */
  readonly create: {
    /** The create path, e.g. `/v2/account/keys`. */
    readonly path: string;
    /** The JSON body registering `publicKey` (an OpenSSH line) under `name`. */
    body(publicKey: string, name: string): unknown;
    /** The answer's field holding the new key; absent when the body is the key. */
    readonly field?: string;
  };
  /** Deleting a key by its id. */
  readonly delete: {
    /** The key's path for its registry id, built with `urlPath` so it is encoded. */
    path(id: string): string;
  };
  /**
   * The provider's fingerprint of a public key, used in look-ups.
   * @defaultValue {@link md5Fingerprint}
   */
  fingerprint?(publicKey: string): string;
  /**
   * The name polycloud registers a key under when the caller gives none.
   * @defaultValue {@link managedKeyName} (`polycloud-…`, a managed key)
   */
  name?(publicKey: string): string;
  /**
   * A registry entry as a {@link KeyPair}: `fingerprint` the OpenSSH `SHA256:…` one where the
   * entry has its public key (see `publicKeyFingerprint`), `managed` for `polycloud-…` names.
   */
  map(entry: unknown): KeyPair;
  /** Checks each registry entry (listed, looked up or just created) before it is mapped (a schema plugs in here). */
  readonly validate?: (entry: unknown) => string | undefined;
  /** What a create request names a key by: its id, its name, or the provider's `fingerprint` of it. */
  reference(key: KeyPair, fingerprint: string): string;
}

/** MD5 of the key blob as colon-separated hex: the fingerprint DigitalOcean and Hetzner index keys by. */
export function md5Fingerprint(publicKey: string): string {
  const blob = Buffer.from(publicKey.trim().split(/\s+/)[1] ?? '', 'base64');
  return (createHash('md5').update(blob).digest('hex').match(/../g) ?? []).join(':');
}

/** `polycloud-` and 16 hex digits of the key blob's SHA-256: stable per key. */
export function managedKeyName(publicKey: string): string {
  const blob = publicKey.trim().split(/\s+/)[1] ?? '';
  return `polycloud-${createHash('sha256').update(blob).digest('hex').slice(0, 16)}`;
}

/** The registry operations of one driver. */
export interface KeyRegistry {
  /** Every key of the account. */
  list(context: DriverContext): Promise<KeyPair[]>;
  /** The registered key holding `publicKey`, or `undefined`. */
  find(publicKey: string, context: DriverContext): Promise<KeyPair | undefined>;
  /** Registers a key (or returns the one already registered with its fingerprint). */
  importKey(publicKey: string, context: DriverContext, name?: string): Promise<KeyPair>;
  /** Deletes a key by id; a key already gone is success. */
  deleteKey(id: string, context: DriverContext): Promise<void>;
  /** Registers every key not registered yet; returns what a create names them by, in order. */
  ensure(publicKeys: readonly string[], context: DriverContext): Promise<string[]>;
}

/** The registry operations for a spec's registry on a driver's runtime. */
export function keyRegistry(spec: KeyRegistrySpec, runtime: RestRuntime): KeyRegistry {
  const fingerprintOf = (publicKey: string) => (spec.fingerprint ?? md5Fingerprint)(publicKey);
  const mapChecked = (entry: unknown, context: DriverContext): KeyPair => {
    runtime.checkEntry(context, entry, spec.validate);
    return spec.map(entry);
  };
  // The spec's own list extras (a project filter, its page-size parameter) go with every list request.
  const listed = (query?: Query) => {
    const merged = { ...spec.list.request?.query, ...query };
    return {
      ...spec.list.request,
      ...(Object.keys(merged).length > 0 ? { query: merged } : {}),
      ...(spec.validate ? { validate: spec.validate } : {}),
    };
  };

  async function list(context: DriverContext): Promise<KeyPair[]> {
    return (await runtime.listAll(context, spec.list.path, spec.list.field, listed())).map((entry) => spec.map(entry));
  }

  async function find(publicKey: string, context: DriverContext): Promise<KeyPair | undefined> {
    const fingerprint = fingerprintOf(publicKey);
    let candidates: KeyPair[];
    if (spec.get) {
      try {
        const response = await runtime.request(context, { method: 'GET', path: spec.get.path(fingerprint) });
        candidates = [mapChecked(field(response, spec.get.field, 'object', runtime.where(context)), context)];
      } catch (error) {
        if (isNotFoundError(error)) return undefined;
        throw error;
      }
    } else {
      const query = spec.list.query?.(fingerprint);
      candidates = (await runtime.listAll(context, spec.list.path, spec.list.field, listed(query))).map((entry) => spec.map(entry));
    }
    // The server's filter is a hint: the key itself is compared here.
    return candidates.find((key) => (key.publicKey === null ? key.fingerprint === fingerprint : sameKey(key.publicKey, publicKey)));
  }

  async function importKey(publicKey: string, context: DriverContext, name?: string): Promise<KeyPair> {
    const existing = await find(publicKey, context);
    if (existing) return existing;
    try {
      const response = await runtime.request(context, {
        method: 'POST',
        path: spec.create.path,
        body: spec.create.body(publicKey, name ?? (spec.name ?? managedKeyName)(publicKey)),
        // Safe to repeat: a second registration of the same key is refused, and found below.
        idempotent: true,
      });
      return mapChecked(
        spec.create.field === undefined ? response.data : field(response, spec.create.field, 'object', runtime.where(context)),
        context,
      );
    } catch (error) {
      // Registered meanwhile (a concurrent call, or a retry whose first answer was lost).
      const raced = isConflictError(error) || isInvalidRequestError(error) ? await find(publicKey, context) : undefined;
      if (!raced) throw error;
      return raced;
    }
  }

  async function deleteKey(id: string, context: DriverContext): Promise<void> {
    try {
      await runtime.request(context, { method: 'DELETE', path: spec.delete.path(id) });
    } catch (error) {
      if (!isNotFoundError(error)) throw error;
    }
  }

  async function ensure(publicKeys: readonly string[], context: DriverContext): Promise<string[]> {
    const references: string[] = [];
    for (const publicKey of publicKeys) references.push(spec.reference(await importKey(publicKey, context), fingerprintOf(publicKey)));
    return references;
  }

  return { list, find, importKey, deleteKey, ensure };
}

/** Whether two OpenSSH public key lines hold the same key (comments aside). */
function sameKey(a: string, b: string): boolean {
  const fingerprint = publicKeyFingerprint(a);
  return fingerprint !== null && fingerprint === publicKeyFingerprint(b);
}

/**
 * A {@link KeyPair} from what a registry entry says: the OpenSSH `SHA256:…` fingerprint when the
 * public key is there (else the provider's own), `managed` for keys named `polycloud-…`.
 */
export function keyPairOf(
  provider: ProviderName,
  entry: {
    readonly id: string | number;
    readonly name: string;
    readonly publicKey?: string | null;
    readonly fingerprint?: string | null;
    readonly createdAt?: string | null;
  },
): KeyPair {
  const created = entry.createdAt ? new Date(entry.createdAt) : null;
  return {
    id: String(entry.id),
    name: entry.name,
    provider,
    fingerprint: (entry.publicKey ? publicKeyFingerprint(entry.publicKey) : null) ?? entry.fingerprint ?? null,
    publicKey: entry.publicKey ?? null,
    managed: isManagedKeyName(entry.name),
    createdAt: created && !Number.isNaN(created.getTime()) ? created : null,
  };
}
