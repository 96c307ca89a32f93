/**
 * The key-pair contract: SSH public keys registered with a provider's key registry (EC2 key
 * pairs, DigitalOcean/Hetzner/Linode SSH keys, the local cloud's registry). The core validates
 * every argument before any request and implements `cleanupKeyPairs` and
 * `destroyNode(node, { removeKeys: true })` once, for every driver that lists, imports and
 * deletes keys and says which keys a node uses.
 *
 * Keys polycloud registers by itself (when `createNode` is given `sshKeys` on a provider that
 * needs them registered) are named `polycloud-…` and reported with `managed: true`; only those
 * are ever removed implicitly.
 *
 * @module
 */
import { CapabilityError } from './errors.js';
import type { CallOptions, Capabilities, Node, NodeState, ProviderName } from './types.js';
import { checkId, checkObject, invalid, type CheckContext } from './validate.js';
import { addressOf, defaultLoginUser, type SshLogin } from './login.js';

/** An SSH public key registered with a provider. */
export interface KeyPair {
  /** The provider's id for the key (the EC2 key name's pair id, a numeric id, …). */
  readonly id: string;
  /** The name the key is registered under in the provider's registry; `polycloud-…` for keys polycloud registered itself. */
  readonly name: string;
  /** The provider whose registry holds the key. */
  readonly provider: ProviderName;
  /** OpenSSH `SHA256:…` fingerprint when the public key is known, else the provider's own fingerprint, else `null`. */
  readonly fingerprint: string | null;
  /** The OpenSSH public key line, when the provider returns it. */
  readonly publicKey: string | null;
  /** True for keys polycloud registered implicitly on create (named `polycloud-…`). */
  readonly managed: boolean;
  /** When the key was registered, or `null` where the provider does not say. */
  readonly createdAt: Date | null;
}

/** What {@link KeyPairMethods.importKeyPair} registers. */
export interface ImportKeyPairRequest {
  /** 1-64 letters, digits, `.`, `_` or `-`, starting with a letter or digit. */
  readonly name: string;
  /** An OpenSSH public key line: `ssh-ed25519 AAAA… comment`. */
  readonly publicKey: string;
}

/** Options of `destroyNode`. */
export interface DestroyNodeOptions extends CallOptions {
  /**
   * Also delete the managed key pairs (`polycloud-…`) the node used, when no other live node uses
   * them. Keys registered by hand are never deleted.
   *
   * @defaultValue false
   */
  readonly removeKeys?: boolean;
}

/** The key-pair and login methods every {@link Driver} has. */
export interface KeyPairMethods {
  /** Every key registered with the provider. `CapabilityError` where `capabilities.keyPairs` is false. */
  listKeyPairs(options?: CallOptions): Promise<KeyPair[]>;
  /** Registers a public key under `name`. */
  importKeyPair(request: ImportKeyPairRequest, options?: CallOptions): Promise<KeyPair>;
  /** Deletes a key; deleting a key that is already gone succeeds. */
  deleteKeyPair(keyPair: KeyPair | string, options?: CallOptions): Promise<void>;
  /**
   * Deletes the managed keys (`polycloud-…`) that no node, apart from terminating and terminated
   * ones, uses any more, and returns them. Keys registered by hand are never touched.
   */
  cleanupKeyPairs(options?: CallOptions): Promise<KeyPair[]>;
  /** How to log in to `node` over SSH: its image's default user, its address and SSH port. */
  sshLogin(node: Node, options?: CallOptions): Promise<SshLogin>;
}

/** What a provider implements for key pairs and login; every member is optional. */
export interface KeyPairImplementation<Raw> {
  /** Every registered key, `managed` set for `polycloud-…` names (see {@link isManagedKeyName}). */
  listKeyPairs?(context: { readonly operation: string; readonly signal?: AbortSignal }): Promise<KeyPair[]>;
  /** Registers a validated key. */
  importKeyPair?(request: ImportKeyPairRequest, context: { readonly operation: string; readonly signal?: AbortSignal }): Promise<KeyPair>;
  /** Deletes a key by id; succeeds when it is already gone. */
  deleteKeyPair?(id: string, context: { readonly operation: string; readonly signal?: AbortSignal }): Promise<void>;
  /**
   * The keys a node uses, as key ids, names or fingerprints (whatever the node records: EC2's
   * `KeyName`, a label, the authorised keys). Without it, cleanup cannot tell which keys are in use.
   */
  keyPairsOfNode?(node: Node<Raw>): readonly string[];
  /**
   * The node's SSH login where it differs from the default; fields left out keep theirs.
   *
   * @defaultValue user `root`, the node's first public (else private) address, port 22
   */
  sshLogin?(node: Node<Raw>, context: { readonly operation: string; readonly signal?: AbortSignal }): Promise<Partial<SshLogin>>;
}

/** Prefix of the names of keys polycloud registers implicitly. */
export const MANAGED_KEY_PREFIX = 'polycloud-';

/** Whether a key name is one polycloud registers implicitly. */
export function isManagedKeyName(name: string): boolean {
  return name.startsWith(MANAGED_KEY_PREFIX);
}

const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Longest accepted public key line: an RSA 16384-bit key is about 2 800 characters. */
export const MAX_PUBLIC_KEY_LENGTH = 8_192;
const KEY_TYPES = new Set([
  'ssh-rsa',
  'ssh-ed25519',
  'ssh-dss',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
]);

/** The decoded blob of an OpenSSH public key line, or `undefined` when the line is not one. */
function parsePublicKey(line: string): { type: string; blob: Buffer } | undefined {
  const [type, data] = line.trim().split(/\s+/);
  if (!type || !data || !KEY_TYPES.has(type) || !/^[A-Za-z0-9+/]+={0,3}$/.test(data)) return undefined;
  const blob = Buffer.from(data, 'base64');
  if (blob.length < 4) return undefined;
  const length = blob.readUInt32BE(0);
  // The blob starts with its own type name: a key pasted with the wrong prefix is caught here.
  if (blob.length < 4 + length || blob.subarray(4, 4 + length).toString('ascii') !== type) return undefined;
  return { type, blob };
}

/** OpenSSH's `SHA256:…` fingerprint of a public key line, or `null` when it is not one. */
export function publicKeyFingerprint(publicKey: string): string | null {
  const parsed = parsePublicKey(publicKey);
  if (!parsed) return null;
  // node:crypto is fetched on use, not imported: loading it would slow every `import('polycloud')`.
  const { createHash } = process.getBuiltinModule('node:crypto');
  return `SHA256:${createHash('sha256').update(parsed.blob).digest('base64').replace(/=+$/, '')}`;
}

/** Checks an {@link ImportKeyPairRequest}: name, key format and size. */
export function checkImportKeyPair(context: CheckContext, request: unknown): ImportKeyPairRequest {
  const given = checkObject(context, 'request', request, false);
  const { name, publicKey } = given;
  if (typeof name !== 'string' || !KEY_NAME.test(name)) {
    invalid(context, 'name', "1-64 letters, digits, '.', '_' or '-', starting with a letter or digit", name);
  }
  if (typeof publicKey !== 'string' || publicKey.length === 0) invalid(context, 'publicKey', 'an OpenSSH public key line', publicKey);
  if (publicKey.length > MAX_PUBLIC_KEY_LENGTH) {
    invalid(context, 'publicKey', `at most ${MAX_PUBLIC_KEY_LENGTH} characters`, `${publicKey.length} characters`);
  }
  if (/-----BEGIN|PRIVATE KEY/.test(publicKey)) {
    // Never echo it: this is a private key pasted in the wrong place.
    invalid(context, 'publicKey', 'a public key (this looks like a private key; it was not sent anywhere)', 'a private key');
  }
  if (/[\r\n]/.test(publicKey.trim()) || !parsePublicKey(publicKey)) {
    invalid(context, 'publicKey', 'one OpenSSH public key line such as "ssh-ed25519 AAAA… comment"', publicKey);
  }
  return { name, publicKey: publicKey.trim() };
}

/** States in which a node no longer counts as using its keys. */
const GONE_STATES: readonly NodeState[] = ['terminating', 'terminated'];

/** What {@link keyPairMethods} needs from `defineDriver`. */
export interface KeyPairDeps<Raw> {
  readonly provider: ProviderName;
  readonly capabilities: Capabilities;
  readonly implementation: KeyPairImplementation<Raw>;
  readonly nodeIdPattern?: { readonly pattern: RegExp; readonly description: string };
  guarded<T>(
    operation: string,
    options: CallOptions | undefined,
    run: (context: { readonly operation: string; readonly signal?: AbortSignal }) => Promise<T>,
  ): Promise<T>;
  /** Every node, every page, every location. */
  allNodes(context: { readonly operation: string; readonly signal?: AbortSignal }): AsyncIterable<Node<Raw>>;
}

/** The key-pair methods of a driver, built once by `defineDriver`. */
export function keyPairMethods<Raw>(deps: KeyPairDeps<Raw>): KeyPairMethods & {
  /** The keys `node` uses (ids, names or fingerprints), for `destroyNode(…, { removeKeys })`. */
  keysOf(node: Node<Raw>): readonly string[];
  /** Deletes the managed keys among `refs` that no live node other than `exceptNodeId` uses. */
  removeUnused(
    refs: readonly string[] | undefined,
    exceptNodeId: string | undefined,
    context: { operation: string; signal?: AbortSignal },
  ): Promise<KeyPair[]>;
} {
  const { provider, capabilities, implementation } = deps;
  const check = (operation: string): CheckContext => ({ provider, operation });

  function require<K extends 'listKeyPairs' | 'importKeyPair' | 'deleteKeyPair' | 'keyPairsOfNode'>(operation: string, method: K) {
    const found = implementation[method];
    if (!capabilities.keyPairs || !found) {
      throw new CapabilityError(`${provider} has no key-pair registry polycloud can use`, { provider, operation });
    }
    return found.bind(implementation) as NonNullable<KeyPairImplementation<Raw>[K]>;
  }

  function keysOf(node: Node<Raw>): readonly string[] {
    return implementation.keyPairsOfNode?.(node) ?? [];
  }

  async function removeUnused(
    refs: readonly string[] | undefined,
    exceptNodeId: string | undefined,
    context: { operation: string; signal?: AbortSignal },
  ): Promise<KeyPair[]> {
    const list = require(context.operation, 'listKeyPairs');
    const remove = require(context.operation, 'deleteKeyPair');
    const usedBy = require(context.operation, 'keyPairsOfNode');
    const matches = (key: KeyPair, set: ReadonlySet<string>) =>
      set.has(key.id) || set.has(key.name) || (key.fingerprint !== null && set.has(key.fingerprint));
    const wanted = refs === undefined ? undefined : new Set(refs);
    const candidates = (await list(context)).filter((key) => key.managed && (!wanted || matches(key, wanted)));
    if (candidates.length === 0) return [];
    const used = new Set<string>();
    for await (const node of deps.allNodes(context)) {
      if (node.id === exceptNodeId || GONE_STATES.includes(node.state)) continue;
      for (const ref of usedBy(node)) used.add(ref);
    }
    const removed: KeyPair[] = [];
    // One at a time: cleanup is rare, and providers throttle bursts of deletes.
    for (const key of candidates) {
      if (matches(key, used)) continue;
      await remove(key.id, context);
      removed.push(key);
    }
    return removed;
  }

  return {
    keysOf,
    removeUnused,
    listKeyPairs: (options) => deps.guarded('listKeyPairs', options, (context) => require('listKeyPairs', 'listKeyPairs')(context)),
    importKeyPair: (request, options) =>
      deps.guarded('importKeyPair', options, (context) => {
        const valid = checkImportKeyPair(check('importKeyPair'), request);
        return require('importKeyPair', 'importKeyPair')(valid, context);
      }),
    deleteKeyPair: (keyPair, options) =>
      deps.guarded('deleteKeyPair', options, (context) => {
        const id = checkId(check('deleteKeyPair'), 'keyPair', typeof keyPair === 'object' && keyPair !== null ? keyPair.id : keyPair);
        return require('deleteKeyPair', 'deleteKeyPair')(id, context);
      }),
    cleanupKeyPairs: (options) => deps.guarded('cleanupKeyPairs', options, (context) => removeUnused(undefined, undefined, context)),
    sshLogin: (node, options) =>
      deps.guarded('sshLogin', options, async (context) => {
        const given = checkObject(check('sshLogin'), 'node', node, false) as unknown as Node<Raw>;
        if (given.provider !== provider)
          invalid(check('sshLogin'), 'node', `a node of provider ${provider}`, `a node of ${String(given.provider)}`);
        checkId(check('sshLogin'), 'node.id', given.id, deps.nodeIdPattern);
        const own = (await implementation.sshLogin?.(given, context)) ?? {};
        return {
          user: own.user ?? defaultLoginUser(undefined),
          host: own.host !== undefined ? own.host : addressOf(given),
          port: own.port ?? 22,
        };
      }),
  };
}
