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
import type { Continent, Image, Location, Node, NodeQuery, NodeState, Price, Size } from '../core/types.js';
import { DEFAULT_LIMITS } from '../core/validate.js';
import type { CloudSet } from './clouds.js';
import { MIGRATED_FROM_TAG, MIGRATION_KEY_TAG, migratedFromValue, migrationKey } from './keys.js';
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
  const options = request.signal ? { signal: request.signal } : {};

  const nodes = await sourceNodes(clouds, request, fromDriver);
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
  // The source's own locations tell each node's continent; when the source cannot be reached
  // (and they are not cached), continents are read from the target's locations where the
  // countries coincide, and otherwise stay unknown.
  const sourceLocations = await clouds.locations(request.from, options).catch(() => [] as Location[]);
  const continents = new Map<string, Continent>();
  for (const location of [...targetLocations, ...sourceLocations])
    if (location.continent) continents.set(location.country.toUpperCase(), location.continent);

  const steps: MigrationStep[] = [];
  const unmatched: UnmatchedNode[] = [];
  for (const node of nodes) {
    const source = sourceOf(request.from, node);
    const reasonOrStep = await planNode(clouds, request, toDriver, node, source, targetLocations, continents, options);
    if (typeof reasonOrStep === 'string') unmatched.push({ source, reason: reasonOrStep });
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
    cost: { before, after, hourlyChange: changeOf(before, after) },
  };
}

async function sourceNodes(clouds: CloudSet, request: MigrationPlanRequest, fromDriver: Driver): Promise<Node[]> {
  const filter = request.filter ?? {};
  let nodes: readonly Node[];
  if (request.nodes !== undefined) {
    if (!Array.isArray(request.nodes)) {
      throw new InvalidRequestError('"nodes" must be a list of nodes of the source cloud', {
        provider: 'polycloud',
        operation: 'planMigration',
        field: 'nodes',
      });
    }
    const foreign = request.nodes.find((node) => node.provider !== fromDriver.provider);
    if (foreign) {
      throw new InvalidRequestError(
        `"nodes" must be nodes of ${request.from} (${fromDriver.provider}); ${foreign.id} is a ${foreign.provider} node`,
        {
          provider: 'polycloud',
          operation: 'planMigration',
          field: 'nodes',
        },
      );
    }
    nodes = request.nodes.filter((node) => matchesFilter(node, filter));
  } else {
    const outcome = await clouds.attempt(
      request.from,
      'listNodes',
      (driver, options) => driver.listNodes(filter, options),
      request.signal ? { signal: request.signal } : {},
    );
    if (!outcome.ok) throw outcome.failure.error;
    nodes = outcome.value;
  }
  return nodes.filter((node) => !GONE.includes(node.state) || filter.states?.includes(node.state));
}

function matchesFilter(node: Node, filter: NodeQuery): boolean {
  const locations = filter.location === undefined ? undefined : typeof filter.location === 'string' ? [filter.location] : filter.location;
  if (locations && !locations.some((location) => [node.location.id, node.location.region, node.location.zone].includes(location)))
    return false;
  if (filter.states && !filter.states.includes(node.state)) return false;
  return Object.entries(filter.tags ?? {}).every(([key, value]) => node.tags[key] === value);
}

function sourceOf(cloud: string, node: Node): MigrationSource {
  return {
    cloud,
    provider: node.provider,
    id: node.id,
    name: node.name,
    location: node.location,
    sizeId: node.sizeId,
    imageId: node.imageId,
    price: node.price,
  };
}

/** One node's step, or the reason it cannot be moved. */
async function planNode(
  clouds: CloudSet,
  request: MigrationPlanRequest,
  toDriver: Driver,
  node: Node,
  source: MigrationSource,
  targetLocations: readonly Location[],
  continents: ReadonlyMap<string, Continent>,
  options: { signal?: AbortSignal },
): Promise<MigrationStep | string> {
  if (node.sizeId === null) return 'the source node does not say its size';
  if (node.imageId === null) return 'the source node does not say its image';
  let sourceSize: Size | undefined;
  let sourceImage: Image | undefined;
  try {
    sourceSize = (await clouds.sizes(request.from, node.location.id, options)).find((size) => size.id === node.sizeId);
    sourceImage = (await clouds.images(request.from, node.location.id, options)).find((image) => image.id === node.imageId);
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    return `the source catalog cannot be read (${(error as Error).message})`;
  }
  if (!sourceSize) return `size ${node.sizeId} is not in the source catalog for ${node.location.id}`;
  if (!sourceImage?.os) return `image ${node.imageId} is not a base image with a known OS in the source catalog`;
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
    if (choice.ok) return stepOf(request, toDriver, node, source, choice);
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
  node: Node,
  source: MigrationSource,
  choice: Extract<Choice, { ok: true }>,
): MigrationStep | string {
  const idempotencyKey = migrationKey(request.from, node.provider, node.id);
  const { [MIGRATED_FROM_TAG]: _from, [MIGRATION_KEY_TAG]: _key, ...kept } = node.tags;
  const tags = { ...kept, [MIGRATED_FROM_TAG]: migratedFromValue(node.provider, node.id), [MIGRATION_KEY_TAG]: idempotencyKey };
  const limits = DEFAULT_LIMITS;
  if (Object.keys(tags).length > limits.maxTags)
    return `the node has ${Object.keys(kept).length} tags; with the two migration tags that is more than ${limits.maxTags}`;
  const tooLong = Object.entries(tags).find(
    ([key, value]) => key.length > limits.maxTagKeyLength || value.length > limits.maxTagValueLength,
  );
  if (tooLong)
    return `tag ${tooLong[0]} is longer than the ${limits.maxTagKeyLength}/${limits.maxTagValueLength} character key/value limit`;
  return {
    source,
    target: {
      cloud: request.to,
      provider: toDriver.provider,
      name: targetName(node.name),
      size: choice.size,
      image: choice.image,
      location: choice.location,
      placement: choice.reason,
      tags,
      idempotencyKey,
      price: choice.size.price,
    },
  };
}

/** The source's name when it is a valid name everywhere; otherwise the nearest name that is. */
function targetName(name: string): string {
  const pattern = DEFAULT_LIMITS.namePattern?.pattern;
  if (name.length <= DEFAULT_LIMITS.maxNameLength && (!pattern || pattern.test(name))) return name;
  const cleaned = name
    .replace(/[^A-Za-z0-9.-]+/g, '-')
    .slice(0, DEFAULT_LIMITS.maxNameLength)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return cleaned || 'migrated-node';
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

function changeOf(before: CostSummary, after: CostSummary): MigrationPlan['cost']['hourlyChange'] {
  const [beforeCurrency, ...moreBefore] = Object.keys(before.hourly);
  const [afterCurrency, ...moreAfter] = Object.keys(after.hourly);
  if (!beforeCurrency || beforeCurrency !== afterCurrency || moreBefore.length > 0 || moreAfter.length > 0) return null;
  if (before.unknownPrice > 0 || after.unknownPrice > 0) return null;
  return { amount: round((after.hourly[afterCurrency] ?? 0) - (before.hourly[beforeCurrency] ?? 0)), currency: beforeCurrency };
}

/** Sums of prices keep six decimals, so float noise never shows. */
function round(value: number): number {
  return Math.round(value * 1_000_000) / 1_000_000;
}
