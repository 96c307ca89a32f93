/**
 * The plans and regions nodes are mapped with (a node's price comes from its plan, its country
 * from its region), fetched once per `catalogTtlMs` and shared by concurrent callers. A failed
 * fetch is not kept.
 *
 * @module
 */
import type { DriverContext, RestDriverOptions, RestRuntime } from '../../src/kit.js';
import type { VultrPlan, VultrRegion } from './api.js';
import { checkVultrPlan, checkVultrRegion } from './schemas.js';

/** Plans and regions by id. */
export interface VultrCatalog {
  readonly plans: ReadonlyMap<string, VultrPlan>;
  readonly regions: ReadonlyMap<string, VultrRegion>;
  readonly fetchedAt: number;
}

/** The driver's state: the catalog. */
export interface VultrState {
  catalog(context: DriverContext): Promise<VultrCatalog>;
}

/** Makes the catalog cache of one driver. */
export function catalogCache(runtime: RestRuntime<RestDriverOptions & { readonly catalogTtlMs?: number }, undefined>): VultrState {
  const ttl = runtime.options.catalogTtlMs as number;
  let cached: Promise<VultrCatalog> | undefined;
  const load = (context: DriverContext): Promise<VultrCatalog> => {
    if (cached) {
      const current = cached;
      return current.then((value) => (runtime.clock.now() - value.fetchedAt < ttl ? value : ((cached = undefined), load(context))));
    }
    const loading = Promise.all([
      runtime.listAll(context, '/plans', 'plans', { validate: checkVultrPlan }) as Promise<VultrPlan[]>,
      runtime.listAll(context, '/regions', 'regions', { validate: checkVultrRegion }) as Promise<VultrRegion[]>,
    ]).then(([plans, regions]) => ({
      plans: new Map(plans.map((plan) => [plan.id, plan])),
      regions: new Map(regions.map((region) => [region.id, region])),
      fetchedAt: runtime.clock.now(),
    }));
    cached = loading;
    loading.catch(() => {
      if (cached === loading) cached = undefined;
    });
    return loading;
  };
  return { catalog: load };
}
