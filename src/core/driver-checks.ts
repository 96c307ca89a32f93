/**
 * The argument checks `defineDriver` runs before any request: node queries, create requests and
 * listing queries, with ids checked against the driver's declared id patterns.
 *
 * @module
 */
import { CapabilityError } from './errors.js';
import { DEFAULT_ID_PATTERN, type IdKind, type IdPattern, type IdPatterns } from './ids.js';
import type {
  Capabilities,
  CreateNodeRequest,
  ImageQuery,
  NodeQuery,
  NodeState,
  ProviderLimits,
  ResolvedCreateNodeRequest,
  SizeQuery,
} from './types.js';
import {
  checkId,
  checkIdOrObject,
  checkIdempotencyKey,
  checkName,
  checkObject,
  checkQueryLocations,
  checkSshKeys,
  checkStates,
  checkTags,
  checkUserData,
  INPUT_CAPS,
  invalid,
  type CheckContext,
} from './validate.js';

/** A node query after validation: locations as a list, and only given criteria present. */
export interface NormalizedNodeQuery {
  /** Location ids (region or zone) a node must be in, checked against the driver's id pattern; absent means every location. */
  readonly locations?: readonly string[];
  /** States a node must be in, one of them; absent means any state. */
  readonly states?: readonly NodeState[];
  /** Tags a node must carry, every key with exactly this value; absent means no tag filter. */
  readonly tags?: Readonly<Record<string, string>>;
  /** Nodes per provider request, within the driver's page-size limits; absent means the driver's own choice (usually its maximum). */
  readonly pageSize?: number;
}

/** Every kind's id pattern: the driver's where it declared one, else {@link DEFAULT_ID_PATTERN}. */
export function resolveIdPatterns(declared: IdPatterns | undefined, legacyNode?: IdPattern): Readonly<Record<IdKind, IdPattern>> {
  return Object.freeze({
    node: declared?.node ?? legacyNode ?? DEFAULT_ID_PATTERN,
    image: declared?.image ?? DEFAULT_ID_PATTERN,
    size: declared?.size ?? DEFAULT_ID_PATTERN,
    location: declared?.location ?? DEFAULT_ID_PATTERN,
  });
}

/** What the checks need to know of the driver. */
export interface DriverRules {
  readonly provider: string;
  readonly capabilities: Capabilities;
  readonly limits: ProviderLimits;
  readonly idPatterns: Readonly<Record<IdKind, IdPattern>>;
}

/** A whole number within the driver's page-size range, else `InvalidRequestError` naming `query.pageSize`. */
export function checkPageSize(context: CheckContext, value: unknown, limits: ProviderLimits): number | undefined {
  if (value === undefined) return undefined;
  const min = limits.minPageSize ?? 1;
  const max = limits.maxPageSize;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    invalid(context, 'query.pageSize', `a whole number from ${min} to ${max}`, value);
  }
  return value;
}

/** Checks and normalises a `NodeQuery`. */
export function normalizeNodeQuery(context: CheckContext, query: NodeQuery | undefined, rules: DriverRules): NormalizedNodeQuery {
  const given = checkObject(context, 'query', query, true) as NodeQuery;
  const normalized: { -readonly [K in keyof NormalizedNodeQuery]: NormalizedNodeQuery[K] } = {};
  if (given.location !== undefined) {
    const locations = Array.isArray(given.location) ? given.location : [given.location];
    if (locations.length === 0) invalid(context, 'query.location', 'a location id or a non-empty list of them', given.location);
    checkQueryLocations(context, locations);
    normalized.locations = locations.map((location: unknown) => checkId(context, 'query.location', location, rules.idPatterns.location));
  }
  if (given.states !== undefined) normalized.states = checkStates(context, 'query.states', given.states);
  if (given.tags !== undefined)
    normalized.tags = checkTags(context, 'query.tags', given.tags, { ...rules.limits, maxTags: INPUT_CAPS.maxQueryTags });
  const pageSize = checkPageSize(context, given.pageSize, rules.limits);
  if (pageSize !== undefined) normalized.pageSize = pageSize;
  return normalized;
}

/** Checks a `SizeQuery`. */
export function checkSizeQuery(context: CheckContext, query: SizeQuery | undefined, rules: DriverRules): SizeQuery {
  const given = checkObject(context, 'query', query, true) as SizeQuery;
  if (given.location !== undefined) checkId(context, 'query.location', given.location, rules.idPatterns.location);
  return given;
}

/** Checks an `ImageQuery`. */
export function checkImageQuery(context: CheckContext, query: ImageQuery | undefined, rules: DriverRules): ImageQuery {
  const given = checkObject(context, 'query', query, true) as ImageQuery;
  if (given.location !== undefined) checkId(context, 'query.location', given.location, rules.idPatterns.location);
  for (const field of ['os', 'version'] as const) {
    if (given[field] !== undefined && (typeof given[field] !== 'string' || given[field] === '')) {
      invalid(context, `query.${field}`, 'a non-empty string', given[field]);
    }
  }
  if (given.arch !== undefined && given.arch !== 'x86_64' && given.arch !== 'arm64') {
    invalid(context, 'query.arch', '"x86_64" or "arm64"', given.arch);
  }
  // OS families are lower-case in every driver's images; `Ubuntu` finds them too.
  return given.os === undefined ? given : { ...given, os: given.os.toLowerCase() };
}

/** Checks a create request and resolves it: ids from objects, an idempotency key always present. */
export function resolveCreateRequest<ProviderOptions>(
  context: CheckContext,
  request: CreateNodeRequest<ProviderOptions>,
  rules: DriverRules,
): ResolvedCreateNodeRequest<ProviderOptions> {
  const { provider, capabilities, limits, idPatterns } = rules;
  const given = checkObject(context, 'request', request, false) as unknown as CreateNodeRequest<ProviderOptions>;
  const idempotencyKey = checkIdempotencyKey(context, given.idempotencyKey);
  const userData = checkUserData(context, given.userData, limits);
  const resolved: ResolvedCreateNodeRequest<ProviderOptions> = {
    name: checkName(context, given.name, limits),
    sizeId: checkIdOrObject(context, 'size', 'Size', given.size, provider, idPatterns.size),
    imageId: checkIdOrObject(context, 'image', 'Image', given.image, provider, idPatterns.image),
    locationId: checkIdOrObject(context, 'location', 'Location', given.location, provider, idPatterns.location),
    sshKeys: checkSshKeys(context, given.sshKeys),
    tags: checkTags(context, 'tags', given.tags, limits),
    // node:crypto is fetched on use, not imported: loading it would slow every `import('polycloud')`.
    idempotencyKey: idempotencyKey ?? process.getBuiltinModule('node:crypto').randomUUID(),
    idempotencyKeyGiven: idempotencyKey !== undefined,
    ...(userData === undefined ? {} : { userData }),
    ...(given.providerOptions === undefined
      ? {}
      : { providerOptions: checkObject(context, 'providerOptions', given.providerOptions, false) as ProviderOptions }),
  };
  if (resolved.sshKeys.length > 0 && !capabilities.sshKeys) {
    throw new CapabilityError('this provider does not take sshKeys on create', { provider, operation: context.operation });
  }
  if (resolved.userData !== undefined && !capabilities.userData) {
    throw new CapabilityError('this provider does not take userData on create', { provider, operation: context.operation });
  }
  return resolved;
}
