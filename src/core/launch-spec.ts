/**
 * What a node was launched with — its image (whatever the build), user data and SSH keys — read
 * back from the provider so that a replacement elsewhere can be launched the same way, and the
 * credentials a provider generated on create (e.g. a root password), handed back once.
 *
 * Both are optional parts of the driver contract: a driver that can read a node's launch spec
 * implements {@link LaunchSpecImplementation.getLaunchSpec}, and `defineDriver` then offers
 * {@link LaunchSpecDriver.getLaunchSpec} with the core's checks and error handling. A driver
 * whose provider generates credentials on create attaches them to the node it returns with
 * {@link attachGeneratedCredentials}; they are not enumerable, so they never reach
 * `JSON.stringify` or `util.inspect`, and they are {@link Secret}s besides.
 *
 * @module
 */
import type { DriverContext } from './driver.js';
import { Secret } from './secrets.js';
import type { CallOptions, Image, Node } from './types.js';

/** How a node was launched, as far as its provider says. */
export interface LaunchSpec {
  /**
   * The image the node was created from, with its OS family, version and architecture when
   * known; any build (an old one too). `null` when the provider cannot tell.
   */
  readonly image: Image | null;
  /** The cloud-init user data, as plain text; absent when the node has none or the provider cannot say. */
  readonly userData?: string;
  /** OpenSSH public keys authorised on the node at launch. */
  readonly sshKeys: readonly string[];
  /**
   * Names of provider-side key pairs the node was launched with whose public key could not be
   * read (so cannot be carried to another provider). Empty when every key was read.
   */
  readonly unreadableKeyNames?: readonly string[];
}

/** The optional method a driver implementation provides to read launch specs. */
export interface LaunchSpecImplementation<Raw> {
  /**
   * Reads how `node` was launched. Receives a node the core fetched or the caller gave (of this
   * provider); may make further read-only requests (e.g. user data, the boot disk).
   */
  getLaunchSpec?(node: Node<Raw>, context: DriverContext): Promise<LaunchSpec>;
}

/** The optional driver method, present only on drivers whose provider can say how a node was launched. */
export interface LaunchSpecDriver {
  /**
   * How a node was launched: image (any build), user data and SSH keys. Takes a node (as listed)
   * or an id. Absent on drivers that cannot read it.
   */
  getLaunchSpec?(node: Node | string, options?: CallOptions): Promise<LaunchSpec>;
}

/** Credentials a provider generated for a node on create, handed back once. */
export interface GeneratedCredentials {
  /** The root (or administrator) password the provider or driver generated. */
  readonly rootPassword?: Secret;
}

const GENERATED = Symbol.for('polycloud.generatedCredentials');

/**
 * Attaches generated credentials to a node a driver's `createNode` returns, as a non-enumerable
 * property (never serialised, never inspected). Returns the same node.
 */
export function attachGeneratedCredentials<N extends Node>(node: N, credentials: GeneratedCredentials): N {
  if (Object.isFrozen(node)) {
    const copy = { ...node } as N;
    Object.defineProperty(copy, GENERATED, { value: credentials, enumerable: false });
    return copy;
  }
  Object.defineProperty(node, GENERATED, { value: credentials, enumerable: false });
  return node;
}

/** The credentials generated for a node just created, when its driver attached any. */
export function generatedCredentialsOf(node: Node): GeneratedCredentials | undefined {
  return (node as unknown as Record<symbol, GeneratedCredentials | undefined>)[GENERATED];
}

/** A generated root password as a {@link Secret} (registered, so it is scrubbed from every message). */
export function generatedPassword(value: string): Secret {
  return new Secret(value, { generated: true });
}

/**
 * The `getLaunchSpec` member `defineDriver` adds when the implementation has one: the node is
 * fetched when an id is given, and the call runs through the core's guard (validation, errors).
 */
export function launchSpecMember<Raw>(
  implementation: LaunchSpecImplementation<Raw>,
  guarded: <T>(operation: string, options: CallOptions | undefined, run: (context: DriverContext) => Promise<T>) => Promise<T>,
  getNode: (id: string, options?: CallOptions) => Promise<Node<Raw>>,
  nodeIdOf: (operation: string, node: unknown) => string,
): LaunchSpecDriver {
  const read = implementation.getLaunchSpec?.bind(implementation);
  if (!read) return {};
  return {
    getLaunchSpec: (node, options) =>
      guarded('getLaunchSpec', options, async (context) => {
        const id = nodeIdOf('getLaunchSpec', node);
        const full = typeof node === 'object' && node !== null && 'raw' in node ? (node as Node<Raw>) : await getNode(id, options);
        return read(full, context);
      }),
  };
}
