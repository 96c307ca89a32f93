/**
 * `planMigration`: for every source node, the target size (the cheapest that has at least the
 * source's vCPUs and memory, same architecture), the equivalent base image (same OS family,
 * version and architecture), and the target location (same country, else same continent, else
 * the placement rule), with the hourly cost before and after. Nodes that cannot be matched are
 * listed with the reason. The plan is plain data; `migrate` runs it.
 *
 * @module
 */
import pLimit from 'p-limit';
import type { Driver } from '../core/driver.js';
import { InvalidRequestError } from '../core/errors.js';
import { equivalentSize, pickImage } from './select.js';
import type { Continent, Image, Location, NodeQuery, NodeState, Price, ProviderName, Size } from '../core/types.js';
import type { CloudSet } from './clouds.js';
import {
  checkInventory,
  inventoryNode,
  inventoryOfCloud,
  type InventoryCloud,
  type InventoryLaunchSpec,
  type InventoryNode,
} from './inventory.js';
import {
  MIGRATED_FROM_TAG,
  MIGRATION_GENERATION_TAG,
  MIGRATION_KEY_TAG,
  PORTABLE_MIGRATED_FROM_TAG,
  PORTABLE_MIGRATION_KEY_TAG,
  migratedFromValue,
  migrationKey,
  portableMigrationTags,
} from './keys.js';
import { resolveLaunch, type LaunchInput } from './launch.js';
import { acceptsTag, targetName, translateTags, type TagChange } from './target-rules.js';
import type {
  CostSummary,
  MigrationPlan,
  MigrationPlanRequest,
  MigrationSource,
  MigrationStep,
  PlacementReason,
  UnmatchedNode,
} from './types.js';

const GONE: readonly NodeState[] = ['terminating', 'terminated'];
/** Most source launch specs (and catalogs) read at once when the plan reads the source itself. */
const LAUNCH_SPEC_CONCURRENCY = 8;
/** Most target locations whose catalog is read at once. */
const LOCATION_CONCURRENCY = 4;

/** A target location worth trying, and why. */
interface Candidate {
  readonly location: Location;
  readonly reason: PlacementReason;
}

/** The outcome of trying one tier of candidate locations. */
type Choice =
  | { readonly ok: true; readonly location: Location; readonly size: Size; readonly image: Image; readonly reason: PlacementReason }
  | { readonly ok: false; readonly why: string };

/** Where the source's nodes, catalogs and launch specs come from, for one plan. */
interface SourceData {
  readonly cloud: InventoryCloud;
  /** Set when the source catalog could not be read: every node is unmatched with it. */
  readonly catalogError?: string;
  readonly origin: 'inventory' | 'nodes' | 'live';
  readonly takenAt?: string;
}

export async function planMigration(clouds: CloudSet, request: MigrationPlanRequest): Promise<MigrationPlan> {
  const operation = 'planMigration';
  const fail = (field: string, detail: string): never => {
    throw new InvalidRequestError(detail, { provider: 'polycloud', operation, field });
  };
  if (typeof request !== 'object' || request === null) fail('request', '"request" must be an object with from and to');
  const fromDriver = clouds.driver(request.from, 'from', operation);
  const toDriver = clouds.driver(request.to, 'to', operation);
  if (request.from === request.to) fail('to', '"to" must be a different cloud than "from"');
  const placement = request.placement ?? {};
  if (placement.fallback !== undefined && placement.fallback !== 'cheapest' && placement.fallback !== 'none')
    fail('placement.fallback', '"placement.fallback" must be "cheapest" or "none"');
  if (placement.countries !== undefined && (!Array.isArray(placement.countries) || placement.countries.length === 0)) {
    fail('placement.countries', '"placement.countries" must be a non-empty list of ISO 3166-1 alpha-2 codes');
  }
  if (request.names !== undefined && request.names !== 'keep' && request.names !== 'suffix')
    fail('names', '"names" must be "keep" or "suffix"');
  checkRates(request.exchangeRates, fail);
  checkLaunch(request.launch, fail);
  const options = request.signal ? { signal: request.signal } : {};

  const source = await sourceData(clouds, request, fromDriver);
  const filter = request.filter ?? {};
  const nodes = source.cloud.nodes.filter(
    (node) => matchesFilter(node, filter) && (!GONE.includes(node.state) || filter.states?.includes(node.state)),
  );
  const countries = placement.countries?.map((country) => country.toUpperCase());
  const targetLocations = (await clouds.locations(request.to, options)).filter(
    (location) => !countries || countries.includes(location.country.toUpperCase()),
  );
  if (placement.location !== undefined && !targetLocations.some((location) => location.id === placement.location)) {
    fail(
      'placement.location',
      `"placement.location" must be a location of ${request.to}${countries ? ` in ${countries.join(', ')}` : ''}, got ${JSON.stringify(placement.location)}`,
    );
  }
  // The source's own locations (from the inventory) tell each node's continent; where they are
  // unknown, continents are read from the target's locations where the countries coincide.
  const continents = new Map<string, Continent>();
  for (const location of [...targetLocations, ...source.cloud.catalog.locations])
    if (location.continent) continents.set(location.country.toUpperCase(), location.continent);

  const steps: MigrationStep[] = [];
  const unmatched: UnmatchedNode[] = [];
  for (const node of nodes) {
    const step = sourceOf(request.from, node);
    const reasonOrStep = source.catalogError
      ? `the source catalog cannot be read (${source.catalogError})`
      : await planNode(clouds, request, toDriver, source.cloud, node, step, targetLocations, continents, options);
    if (typeof reasonOrStep === 'string') unmatched.push({ source: step, reason: reasonOrStep });
    else steps.push(reasonOrStep);
  }

  const before = costOf(steps.map((step) => step.source.price));
  const after = costOf(steps.map((step) => step.target.price));
  return {
    from: request.from,
    to: request.to,
    createdAt: new Date().toISOString(),
    steps,
    unmatched,
    cost: { before, after, hourlyChange: changeOf(before, after, request.exchangeRates) },
    names: request.names ?? 'suffix',
    sourceData: source.origin,
    ...(source.takenAt ? { inventoryTakenAt: source.takenAt } : {}),
  };
}

/** The source's part of an inventory: the one given, or one taken now (of the given nodes, or of the listed ones). */
async function sourceData(clouds: CloudSet, request: MigrationPlanRequest, fromDriver: Driver): Promise<SourceData> {
  const fail = (field: string, detail: string): never => {
    throw new InvalidRequestError(detail, { provider: 'polycloud', operation: 'planMigration', field });
  };
  const options = request.signal ? { signal: request.signal } : {};
  if (request.inventory !== undefined) {
    const inventory = checkInventory(request.inventory);
    const cloud = inventory.clouds[request.from];
    if (!cloud) {
      const failed = inventory.failures.find((failure) => failure.cloud === request.from);
      return fail(
        'inventory',
        `"inventory" has no nodes of ${request.from}${failed ? ` (it could not be inventoried: ${failed.message})` : ''}; it covers ${Object.keys(inventory.clouds).join(', ') || 'no cloud'}`,
      );
    }
    if (cloud.provider !== fromDriver.provider)
      fail(
        'inventory',
        `"inventory" holds ${request.from} as a ${cloud.provider} cloud, but ${request.from} is a ${fromDriver.provider} driver`,
      );
    return { cloud, origin: 'inventory', takenAt: inventory.takenAt };
  }
  if (request.nodes !== undefined) {
    if (!Array.isArray(request.nodes)) fail('nodes', '"nodes" must be a list of nodes of the source cloud');
    const foreign = request.nodes.find((node) => node.provider !== fromDriver.provider);
    if (foreign)
      fail('nodes', `"nodes" must be nodes of ${request.from} (${fromDriver.provider}); ${foreign.id} is a ${foreign.provider} node`);
    try {
      // Given nodes are what was known before an outage: the source is asked only for its catalog
      // (remembered for catalogTtlMs), never for launch specs.
      return {
        cloud: await inventoryOfCloud(clouds, request.from, fromDriver, request.nodes, LAUNCH_SPEC_CONCURRENCY, options, false),
        origin: 'nodes',
      };
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      const empty: InventoryCloud = {
        provider: fromDriver.provider,
        nodes: request.nodes.map(inventoryNode),
        launchSpecs: {},
        catalog: { locations: [], sizes: {}, images: {} },
      };
      return { cloud: empty, catalogError: (error as Error).message, origin: 'nodes' };
    }
  }
  const listed = await clouds.attempt(
    request.from,
    'listNodes',
    (driver, callOptions) => driver.listNodes(request.filter ?? {}, callOptions),
    options,
  );
  if (!listed.ok) throw listed.failure.error;
  const live = listed.value.filter((node) => !GONE.includes(node.state) || request.filter?.states?.includes(node.state));
  return { cloud: await inventoryOfCloud(clouds, request.from, fromDriver, live, LAUNCH_SPEC_CONCURRENCY, options), origin: 'live' };
}

function matchesFilter(node: InventoryNode, filter: NodeQuery): boolean {
  const locations = filter.location === undefined ? undefined : typeof filter.location === 'string' ? [filter.location] : filter.location;
  if (locations && !locations.some((location) => [node.location.id, node.location.region, node.location.zone].includes(location)))
    return false;
  if (filter.states && !filter.states.includes(node.state)) return false;
  return Object.entries(filter.tags ?? {}).every(([key, value]) => node.tags[key] === value);
}

function sourceOf(cloud: string, node: InventoryNode): MigrationSource {
  return {
    cloud,
    provider: node.provider,
    id: node.id,
    name: node.name,
    location: node.location,
    sizeId: node.sizeId,
    imageId: node.imageId,
    price: node.price,
    tags: node.tags,
  };
}

/** One node's step, or the reason it cannot be moved. */
async function planNode(
  clouds: CloudSet,
  request: MigrationPlanRequest,
  toDriver: Driver,
  inventory: InventoryCloud,
  node: InventoryNode,
  source: MigrationSource,
  targetLocations: readonly Location[],
  continents: ReadonlyMap<string, Continent>,
  options: { signal?: AbortSignal },
): Promise<MigrationStep | string> {
  if (node.sizeId === null) return 'the source node does not say its size';
  const spec = inventory.launchSpecs[node.id];
  // The launch spec names the node's own image, whatever its build; the catalog only the newest builds.
  const specImage = spec?.image?.os ? spec.image : undefined;
  // An image the source names but whose OS it cannot tell (e.g. a custom image): say which and why.
  if (spec?.image && !spec.image.os)
    return `the source image ${spec.image.id} has no known OS family and version (${spec.image.name}), so no target image can be matched to it`;
  if (node.imageId === null && !specImage) return 'the source node does not say its image';
  const sourceSize = inventory.catalog.sizes[node.location.id]?.find((size) => size.id === node.sizeId);
  const sourceImage = specImage ?? inventory.catalog.images[node.location.id]?.find((image) => image.id === node.imageId);
  if (!sourceSize) return `size ${node.sizeId} is not in the source catalog for ${node.location.id}`;
  if (!sourceImage?.os)
    return `image ${node.imageId ?? spec?.image?.id ?? '?'} is not a base image with a known OS in the source catalog${spec ? '' : ' (and the source does not say how the node was launched)'}`;
  const os = sourceImage.os;
  const arch = sourceImage.arch ?? sourceSize.arch;
  const describe = `${sourceSize.vcpus} vCPU / ${sourceSize.memoryGiB} GiB${arch ? ` ${arch}` : ''}${sourceSize.gpus ? ` with ${sourceSize.gpus} GPU` : ''}, ${os.family} ${os.version}`;

  const country = node.location.country?.toUpperCase() ?? null;
  const continent = country ? continents.get(country) : undefined;
  const tiers: Candidate[][] = [];
  const placement = request.placement ?? {};
  if (placement.location !== undefined) {
    tiers.push(
      targetLocations
        .filter((location) => location.id === placement.location)
        .map((location) => ({ location, reason: 'placement-location' as const })),
    );
  } else {
    if (country)
      tiers.push(
        targetLocations
          .filter((location) => location.country.toUpperCase() === country)
          .map((location) => ({ location, reason: 'same-country' as const })),
      );
    if (continent) {
      tiers.push(
        targetLocations
          .filter((location) => location.continent === continent && location.country.toUpperCase() !== country)
          .map((location) => ({ location, reason: 'same-continent' as const })),
      );
    }
    if ((placement.fallback ?? 'cheapest') === 'cheapest')
      tiers.push(targetLocations.map((location) => ({ location, reason: 'cheapest-anywhere' as const })));
  }

  const misses: string[] = [];
  for (const tier of tiers.filter((each) => each.length > 0)) {
    const choice = await bestInTier(clouds, request.to, tier, sourceSize, { family: os.family, version: os.version, arch }, options);
    if (choice.ok) return stepOf(request, toDriver, node, source, choice, spec);
    misses.push(choice.why);
  }
  if (misses.length === 0) {
    const where = [country && `country ${country}`, continent && `continent ${continent}`].filter(Boolean).join(' or ');
    return `no location of ${request.to} is in ${where || 'a known place'} and the placement fallback is "none"`;
  }
  return `nothing in ${request.to} matches ${describe}: ${[...new Set(misses)].join('; ')}`;
}

/** The tier's location with the cheapest equivalent size that has a matching image. */
async function bestInTier(
  clouds: CloudSet,
  cloud: string,
  tier: readonly Candidate[],
  sourceSize: Size,
  os: { family: string; version: string; arch: Size['arch'] },
  options: { signal?: AbortSignal },
): Promise<Choice> {
  const limit = pLimit(LOCATION_CONCURRENCY);
  const evaluated = await Promise.all(
    tier.map(({ location, reason }) =>
      limit(async () => {
        const size = equivalentSize({ ...sourceSize, arch: os.arch ?? sourceSize.arch }, await clouds.sizes(cloud, location.id, options));
        if (!size) return 'no-size' as const;
        const arch = size.arch ?? os.arch;
        const image = pickImage(await clouds.images(cloud, location.id, options), {
          os: os.family,
          version: os.version,
          ...(arch ? { arch } : {}),
          location: location.id,
        });
        return image ? { ok: true as const, location, size, image, reason } : ('no-image' as const);
      }),
    ),
  );
  let best: Extract<Choice, { ok: true }> | undefined;
  // In tier order, so equal prices keep the first location listed.
  for (const each of evaluated) if (typeof each === 'object' && (!best || cheaper(each.size.price, best.size.price))) best = each;
  const noSize = evaluated.filter((each) => each === 'no-size').length;
  const noImage = evaluated.filter((each) => each === 'no-image').length;
  if (best) return best;
  const where =
    tier[0]?.reason === 'cheapest-anywhere'
      ? 'any location'
      : `${tier.map((candidate) => candidate.location.id).join(', ')} (${tier[0]?.reason})`;
  return {
    ok: false,
    why:
      noImage > 0 && noSize === 0
        ? `no matching ${os.family} ${os.version} image in ${where}`
        : noImage > 0
          ? `no size big enough, or no matching image, in ${where}`
          : `no size big enough in ${where}`,
  };
}

function cheaper(a: Price | null, b: Price | null): boolean {
  if (a === null) return false;
  if (b === null) return true;
  return a.currency === b.currency && a.hourly < b.hourly;
}

function stepOf(
  request: MigrationPlanRequest,
  toDriver: Driver,
  node: InventoryNode,
  source: MigrationSource,
  choice: Extract<Choice, { ok: true }>,
  spec: InventoryLaunchSpec | undefined,
): MigrationStep {
  const idempotencyKey = migrationKey(request.from, node.provider, node.id);
  const { tags, tagChanges } = migrationTags(toDriver.provider, node.tags, migratedFromValue(node.provider, node.id), idempotencyKey, 1);
  const launch = resolveLaunch(node.id, spec ? { ...spec, image: null } : undefined, request.launch, toDriver);
  return {
    source,
    target: {
      cloud: request.to,
      provider: toDriver.provider,
      name: targetName(toDriver.provider, node.name),
      size: choice.size,
      image: choice.image,
      location: choice.location,
      placement: choice.reason,
      tags,
      tagChanges,
      idempotencyKey,
      generation: 1,
      launch,
      price: choice.size.price,
    },
  };
}

/**
 * The target's tags: the source's (less any migration tags it carries from an earlier move) and
 * the migration's own, in the canonical spelling where the target takes it, else the portable
 * one, all translated to the target's rules.
 */
export function migrationTags(
  provider: ProviderName,
  sourceTags: Readonly<Record<string, string>>,
  migratedFrom: string,
  key: string,
  generation: number,
): {
  /** The target's tags, as the target provider takes them. */
  tags: Record<string, string>;
  /** Every tag respelled or dropped on the way, with the reason. */
  tagChanges: TagChange[];
} {
  const {
    [MIGRATED_FROM_TAG]: _from,
    [MIGRATION_KEY_TAG]: _key,
    [PORTABLE_MIGRATED_FROM_TAG]: _portableFrom,
    [PORTABLE_MIGRATION_KEY_TAG]: _portableKey,
    [MIGRATION_GENERATION_TAG]: _generation,
    ...kept
  } = sourceTags;
  const canonical = { [MIGRATED_FROM_TAG]: migratedFrom, [MIGRATION_KEY_TAG]: key };
  const own = Object.entries(canonical).every(([tag, value]) => acceptsTag(provider, tag, value))
    ? canonical
    : portableMigrationTags(canonical);
  const withGeneration = generation > 1 ? { ...own, [MIGRATION_GENERATION_TAG]: String(generation) } : own;
  const { tags, changes } = translateTags(provider, { ...withGeneration, ...kept }, Object.keys(withGeneration));
  return { tags, tagChanges: changes };
}

function costOf(prices: readonly (Price | null)[]): CostSummary {
  const hourly: Record<string, number> = {};
  let unknownPrice = 0;
  for (const price of prices) {
    if (price === null) unknownPrice += 1;
    else hourly[price.currency] = round((hourly[price.currency] ?? 0) + price.hourly);
  }
  return { hourly, unknownPrice };
}

/**
 * `after − before` in the source's currency: both sides fully priced, every other currency
 * converted with a given rate (and the rates used reported); `null` otherwise.
 */
function changeOf(
  before: CostSummary,
  after: CostSummary,
  rates: Readonly<Record<string, number>> | undefined,
): MigrationPlan['cost']['hourlyChange'] {
  if (before.unknownPrice > 0 || after.unknownPrice > 0) return null;
  const currencies = [...Object.keys(before.hourly), ...Object.keys(after.hourly)];
  const base = Object.keys(before.hourly)[0] ?? Object.keys(after.hourly)[0];
  if (base === undefined) return null;
  const ratesUsed: Record<string, number> = {};
  for (const currency of currencies) {
    if (currency === base) continue;
    const rate = rates?.[currency];
    if (rate === undefined) return null;
    ratesUsed[currency] = rate;
  }
  const total = (summary: CostSummary) =>
    Object.entries(summary.hourly).reduce(
      (sum, [currency, amount]) => sum + amount * (currency === base ? 1 : (ratesUsed[currency] ?? 0)),
      0,
    );
  return { amount: round(total(after) - total(before)), currency: base, ...(Object.keys(ratesUsed).length > 0 ? { ratesUsed } : {}) };
}

function checkRates(rates: MigrationPlanRequest['exchangeRates'], fail: (field: string, detail: string) => never): void {
  if (rates === undefined) return;
  if (typeof rates !== 'object' || rates === null) fail('exchangeRates', '"exchangeRates" must be an object of currency → rate');
  for (const [code, rate] of Object.entries(rates)) {
    if (!/^[A-Z]{3}$/.test(code) || !(typeof rate === 'number' && Number.isFinite(rate) && rate > 0))
      fail(`exchangeRates.${code}`, `"exchangeRates.${code}" must be a positive rate keyed by an upper-case ISO 4217 code`);
  }
}

function checkLaunch(launch: MigrationPlanRequest['launch'], fail: (field: string, detail: string) => never): void {
  if (launch === undefined) return;
  if (typeof launch !== 'object' || launch === null) fail('launch', '"launch" must be an object with sshKeys, userData or perNode');
  const checkOne = (field: string, input: LaunchInput) => {
    if (
      input.sshKeys !== undefined &&
      (!Array.isArray(input.sshKeys) || input.sshKeys.some((key) => typeof key !== 'string' || key === ''))
    )
      fail(`${field}.sshKeys`, `"${field}.sshKeys" must be a list of OpenSSH public keys`);
    if (input.userData !== undefined && typeof input.userData !== 'string')
      fail(`${field}.userData`, `"${field}.userData" must be a string (cloud-init user data)`);
  };
  checkOne('launch', launch);
  for (const [id, input] of Object.entries(launch.perNode ?? {})) {
    if (typeof input !== 'object' || input === null) fail(`launch.perNode.${id}`, `"launch.perNode.${id}" must be an object`);
    checkOne(`launch.perNode.${id}`, input);
  }
}

/** Sums of prices keep six decimals, so float noise never shows. */
function round(value: number): number {
  return Math.round(value * 1_000_000) / 1_000_000;
}
