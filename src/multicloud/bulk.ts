/**
 * Bulk `destroyNodes` / `rebootNodes`: list the matching nodes in every selected cloud, act on
 * each with bounded concurrency, and report every node's outcome. A filter that would match
 * every node must say so (`{ all: true }`), so a forgotten filter never destroys a fleet.
 *
 * @module
 */
import pLimit from 'p-limit';
import { InvalidRequestError } from '../core/errors.js';
import type { NodeQuery, NodeState } from '../core/types.js';
import type { CloudSet } from './clouds.js';
import { asCloudError } from './timeout.js';
import type { BulkFilter, BulkOptions, BulkReport, BulkResult } from './types.js';

const DEFAULT_CONCURRENCY = 8;

/** States a node is in when destroying it is already under way or done. */
const GONE: readonly NodeState[] = ['terminating', 'terminated'];

export async function runBulk(
  clouds: CloudSet,
  operation: 'destroyNode' | 'rebootNode',
  filter: BulkFilter,
  options: BulkOptions = {},
): Promise<BulkReport> {
  const query = checkFilter(operation, filter);
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new InvalidRequestError('"concurrency" must be a whole number, 1 or more', {
      provider: 'polycloud',
      operation,
      field: 'concurrency',
    });
  }
  const ids = 'ids' in filter && filter.ids ? new Set(filter.ids) : undefined;
  const listed = await clouds.each(
    clouds.select(filter, operation),
    'listNodes',
    (driver, callOptions) => driver.listNodes(query, callOptions),
    options,
  );
  const targets = listed.values.flatMap(({ cloud, value }) =>
    value
      .filter((node) => !ids || ids.has(node.id))
      // Destroying a node that is already going away is a no-op; rebooting one is an error, so neither is attempted.
      .filter((node) => !GONE.includes(node.state) || ('states' in filter && filter.states?.includes(node.state)))
      .map((node) => ({ cloud, node })),
  );

  let results: BulkResult[];
  if (options.dryRun) {
    results = targets.map(({ cloud, node }) => ({ cloud, node, status: 'would-act' as const }));
  } else {
    const limit = pLimit(concurrency);
    results = await Promise.all(
      targets.map(({ cloud, node }) =>
        limit(async (): Promise<BulkResult> => {
          options.signal?.throwIfAborted();
          const driver = clouds.driver(cloud, 'cloud', operation);
          try {
            await (operation === 'destroyNode' ? driver.destroyNode(node, options) : driver.rebootNode(node, options));
            return { cloud, node, status: 'succeeded' };
          } catch (error) {
            if (options.signal?.aborted) throw options.signal.reason;
            return { cloud, node, status: 'failed', error: asCloudError(error, driver.provider, operation) };
          }
        }),
      ),
    );
  }
  return {
    operation,
    dryRun: options.dryRun === true,
    results,
    failures: listed.failures,
    succeeded: results.filter((result) => result.status === 'succeeded').length,
    failed: results.filter((result) => result.status === 'failed').length,
  };
}

function checkFilter(operation: string, filter: BulkFilter): NodeQuery {
  const fail = (detail: string, field = 'filter'): never => {
    throw new InvalidRequestError(detail, { provider: 'polycloud', operation, field });
  };
  if (typeof filter !== 'object' || filter === null) fail('"filter" must be an object; to act on every node, pass { all: true }');
  if (filter.all === true) {
    const extra = Object.keys(filter).filter((key) => key !== 'all' && key !== 'clouds');
    if (extra.length > 0) fail(`"filter" with all: true cannot also have ${extra.join(', ')}`);
    return {};
  }
  const given = filter as Exclude<BulkFilter, { all: true }>;
  if (
    given.ids !== undefined &&
    (!Array.isArray(given.ids) || given.ids.length === 0 || given.ids.some((id) => typeof id !== 'string' || id === ''))
  ) {
    fail('"filter.ids" must be a non-empty list of node ids', 'filter.ids');
  }
  const hasCriterion =
    given.ids !== undefined ||
    (given.tags !== undefined && Object.keys(given.tags).length > 0) ||
    given.location !== undefined ||
    given.states !== undefined;
  if (!hasCriterion) fail('"filter" matches every node; name ids, tags, location or states, or pass { all: true } to act on every node');
  return {
    ...(given.tags ? { tags: given.tags } : {}),
    ...(given.location !== undefined ? { location: given.location } : {}),
    ...(given.states ? { states: given.states } : {}),
  };
}
