/**
 * The per-node steps of a migration, each safe to repeat, so they can run in-process (`migrate`)
 * or as durable workflow steps (fleet mode):
 *
 * 1. {@link findReplacement} — look on the target for this source's replacement, by its
 *    migrated-from tag (never by listing the whole cloud, never by name): a live one is reused; one
 *    found terminated (destroyed by hand) moves the step to the next generation.
 * 2. {@link createReplacement} — create it with the generation's idempotency key, tags, SSH keys and
 *    user data; a name taken by a node that is not ours gets a suffix (policy `suffix`).
 * 3. {@link waitReplacementRunning} — poll until it runs.
 * 4. {@link verifyReplacement} — look again right before cleanup: it must run now.
 * 5. {@link cleanupSource} — destroy the source (only after 4 succeeded).
 *
 * @module
 */
import type { Driver } from '../core/driver.js';
import { ConflictError, isConflictError, isInvalidRequestError } from '../core/errors.js';
import { generatedCredentialsOf, type GeneratedCredentials } from '../core/launch-spec.js';
import type { CallOptions, CreateNodeRequest, Node, NodeState, WaitOptions } from '../core/types.js';
import {
  MIGRATED_FROM_TAG,
  MIGRATION_GENERATION_TAG,
  MIGRATION_KEY_TAG,
  PORTABLE_MIGRATED_FROM_TAG,
  PORTABLE_MIGRATION_KEY_TAG,
  generationOf,
  migrationKey,
  migrationKeyOf,
  portableMigrationTags,
} from './keys.js';
import { suffixedName, translateTags } from './target-rules.js';
import type { MigrationStep, NamePolicy } from './types.js';

const GONE: readonly NodeState[] = ['terminating', 'terminated'];

/** What {@link findReplacement} found. */
export interface FoundReplacement {
  /** A replacement that is not terminating or terminated: reuse it. */
  readonly node?: Node;
  /** The generation to create (when `node` is absent) or that `node` is. */
  readonly generation: number;
  /** How many gone (terminating/terminated) replacements were seen. */
  readonly gone: number;
}

/** The tag a step's replacement carries that names its source, as spelled for the target. */
export function sourceTagOf(step: MigrationStep): [string, string] | undefined {
  for (const key of [MIGRATED_FROM_TAG, PORTABLE_MIGRATED_FROM_TAG]) {
    const value = step.target.tags[key];
    if (value !== undefined) return [key, value];
  }
  const respelled = step.target.tagChanges?.find(
    (change) => (change.key === MIGRATED_FROM_TAG || change.key === PORTABLE_MIGRATED_FROM_TAG) && change.to,
  );
  return respelled?.to ? [respelled.to.key, respelled.to.value] : undefined;
}

/**
 * Step 1: the replacement an earlier run made, found by the step's migrated-from tag. Only nodes
 * carrying that tag are considered, so a node that merely has the same name is never adopted.
 */
export async function findReplacement(toDriver: Driver, step: MigrationStep, options: CallOptions = {}): Promise<FoundReplacement> {
  const tag = sourceTagOf(step);
  const planned = step.target.generation ?? 1;
  // A plan whose target dropped the tag (it cannot be): fall back to the key, on every node.
  // The migrated-from tag names the source provider and id only: two source clouds of one provider
  // can share node ids, so a candidate counts only when its key is one of this source's own keys
  // (any generation) — otherwise another cloud's replacement would pass for this node's.
  // The key is compared as the target spells it: a target with short tags (Linode: 50 characters
  // for "key:value") carries it shortened, so the full key would never match there.
  const ownKey = (node: Node) => {
    const key = migrationKeyOf(node.tags);
    if (key === undefined) return false;
    const generation = generationOf(node.tags);
    return (
      key === migrationKey(step.source.cloud, step.source.provider, step.source.id, generation) ||
      key === migrationKeyOf(keyAndTags(step, generation).tags)
    );
  };
  const candidates = (
    tag ? await toDriver.listNodes({ tags: { [tag[0]]: tag[1] } }, options) : await toDriver.listNodes({}, options)
  ).filter(ownKey);
  const live = candidates.filter((node) => !GONE.includes(node.state)).sort((a, b) => generationOf(b.tags) - generationOf(a.tags));
  const gone = candidates.filter((node) => GONE.includes(node.state));
  if (live[0]) return { node: live[0], generation: generationOf(live[0].tags), gone: gone.length };
  const newest = Math.max(planned - 1, ...gone.map((node) => generationOf(node.tags)));
  return { generation: gone.length > 0 ? newest + 1 : planned, gone: gone.length };
}

/** What {@link createReplacement} made. */
export interface CreatedReplacement {
  /** The replacement as `createNode` returned it (usually not running yet). */
  readonly node: Node;
  /** The name it was created with. */
  readonly name: string;
  /** The generation it was created under (1 for the first replacement). */
  readonly generation: number;
  /** The idempotency key it was created with (the plan's own for the plan's generation). */
  readonly idempotencyKey: string;
  /** Credentials the target generated (e.g. a root password), when it did. */
  readonly credentials?: GeneratedCredentials;
}

/** Options of {@link createReplacement}. */
export interface CreateReplacementOptions extends CallOptions {
  /**
   * The generation to create (from {@link findReplacement}).
   * @defaultValue the plan's (`MigrationTarget.generation`, itself 1 when absent)
   */
  readonly generation?: number;
  /**
   * What to do when the name is taken by a node that is not ours.
   * @defaultValue `suffix`
   */
  readonly names?: NamePolicy;
}

/** The idempotency key and tags of a step at a generation (the plan's own at its generation). */
export function keyAndTags(
  step: MigrationStep,
  generation: number,
): {
  /** The migration key of this source at this generation. */
  idempotencyKey: string;
  /** The target's tags at this generation, carrying that key (and the generation, from 2 on), as the target spells them. */
  tags: Record<string, string>;
} {
  if (generation === (step.target.generation ?? 1)) return { idempotencyKey: step.target.idempotencyKey, tags: { ...step.target.tags } };
  const idempotencyKey = migrationKey(step.source.cloud, step.source.provider, step.source.id, generation);
  const keyTag = [MIGRATION_KEY_TAG, PORTABLE_MIGRATION_KEY_TAG].find((key) => key in step.target.tags) ?? PORTABLE_MIGRATION_KEY_TAG;
  const { tags } = translateTags(
    step.target.provider,
    { ...step.target.tags, [keyTag]: idempotencyKey, [MIGRATION_GENERATION_TAG]: String(generation) },
    [keyTag, MIGRATION_GENERATION_TAG],
  );
  return { idempotencyKey, tags };
}

/**
 * Step 2: creates the replacement with the generation's key (so a repeated call creates nothing
 * twice), the step's tags, SSH keys and user data. When the name is taken by another node and the
 * policy is `suffix`, creates it under the suffixed name instead.
 */
export async function createReplacement(
  toDriver: Driver,
  step: MigrationStep,
  options: CreateReplacementOptions = {},
): Promise<CreatedReplacement> {
  const { target } = step;
  const generation = options.generation ?? target.generation ?? 1;
  const { idempotencyKey, tags } = keyAndTags(step, generation);
  const callOptions = options.signal ? { signal: options.signal } : {};
  const request: CreateNodeRequest = {
    name: target.name,
    size: target.size.id,
    image: target.image.id,
    location: target.location.id,
    tags,
    idempotencyKey,
    ...(target.launch && target.launch.sshKeys.length > 0 ? { sshKeys: target.launch.sshKeys } : {}),
    ...(target.launch?.userData !== undefined ? { userData: target.launch.userData } : {}),
  };
  const attempt = async (each: CreateNodeRequest): Promise<Node> => {
    try {
      return await toDriver.createNode(each, callOptions);
    } catch (error) {
      // Plans made before tags were translated per target: the portable spelling carries the same facts.
      const portable = portableMigrationTags(each.tags ?? {});
      if (!isTagRejection(error) || JSON.stringify(portable) === JSON.stringify(each.tags)) throw error;
      return toDriver.createNode({ ...each, tags: portable }, callOptions);
    }
  };
  let name = target.name;
  let node: Node;
  try {
    node = await attempt(request);
  } catch (error) {
    if ((options.names ?? 'suffix') !== 'suffix' || !isNameTaken(error)) throw error;
    name = suffixedName(target.provider, target.name, idempotencyKey);
    node = await attempt({ ...request, name });
  }
  const credentials = generatedCredentialsOf(node);
  return { node, name, generation, idempotencyKey, ...(credentials ? { credentials } : {}) };
}

/** Step 3: waits until the replacement runs. */
export function waitReplacementRunning(toDriver: Driver, node: Node | string, options: WaitOptions = {}): Promise<Node> {
  return toDriver.waitForNode(node, 'running', options);
}

/**
 * Step 4: looks at the replacement again; resolves with it when it runs now, else rejects with a
 * `ConflictError` (the source must then be kept).
 */
export async function verifyReplacement(toDriver: Driver, node: Node | string, options: CallOptions = {}): Promise<Node> {
  const seen = await toDriver.getNode(typeof node === 'string' ? node : node.id, options);
  if (seen.state !== 'running') {
    throw new ConflictError(`the replacement ${seen.id} is ${seen.state}, so the source was kept`, {
      provider: toDriver.provider,
      operation: 'migrate',
    });
  }
  return seen;
}

/** Step 5: destroys the source node (call only once {@link verifyReplacement} succeeded). */
export function cleanupSource(fromDriver: Driver, step: MigrationStep, options: CallOptions = {}): Promise<void> {
  return fromDriver.destroyNode(step.source.id, options);
}

/** A create refused because of a tag's spelling (the error names a tag field, or speaks of tags or labels). */
function isTagRejection(error: unknown): boolean {
  return isInvalidRequestError(error) && ((error.field ?? '').startsWith('tags') || /\b(tag|label)s?\b/i.test(error.message));
}

/**
 * A create refused because another node has the name: a conflict (Hetzner's `uniqueness_error`,
 * Compute's `alreadyExists`) or an invalid request saying the name or label must be unique
 * (Linode) — never an idempotency-key conflict.
 */
export function isNameTaken(error: unknown): boolean {
  if (!isConflictError(error) && !isInvalidRequestError(error)) return false;
  const message = (error as Error).message;
  if (/idempotency/i.test(message)) return false;
  if (isInvalidRequestError(error)) return /unique|already (used|exists|in use|taken)/i.test(message);
  return /name|label|already exists|already used|unique/i.test(message);
}
