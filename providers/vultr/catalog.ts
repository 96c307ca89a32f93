/**
 * The plans and regions nodes are mapped with (a node's price comes from its plan, its country
 * from its region), and the operating systems a launch spec names a node's image from, each
 * fetched once per `catalogTtlMs` and shared by concurrent callers. A failed fetch is not kept.
 *
 * @module
 */
import { ttlCache, type DriverContext, type RestDriverOptions, type RestRuntime } from '../../src/kit.js';
import type { VultrOs, VultrPlan, VultrRegion } from './api.js';
import { checkVultrOs, checkVultrPlan, checkVultrRegion } from './schemas.js';

/** Plans and regions by id. */
export interface VultrCatalog {
  readonly plans: ReadonlyMap<string, VultrPlan>;
  readonly regions: ReadonlyMap<string, VultrRegion>;
  readonly fetchedAt: number;
}

/** The driver's state: the catalog. */
export interface VultrState {
  /** Plans and regions by id. */
  catalog(context: DriverContext): Promise<VultrCatalog>;
  /** The operating systems (`GET /os`) by id; read only by `getLaunchSpec`, so fetched apart from the plans. */
  operatingSystems(context: DriverContext): Promise<ReadonlyMap<number, VultrOs>>;
}

/** Makes the catalog cache of one driver. */
export function catalogCache(runtime: RestRuntime<RestDriverOptions & { readonly catalogTtlMs?: number }, undefined>): VultrState {
  const fetchCatalog = async (context: DriverContext): Promise<VultrCatalog> => {
    const [plans, regions] = await Promise.all([
      runtime.listAll(context, '/plans', 'plans', { validate: checkVultrPlan }) as Promise<VultrPlan[]>,
      runtime.listAll(context, '/regions', 'regions', { validate: checkVultrRegion }) as Promise<VultrRegion[]>,
    ]);
    return {
      plans: new Map(plans.map((plan) => [plan.id, plan])),
      regions: new Map(regions.map((region) => [region.id, region])),
      fetchedAt: runtime.clock.now(),
    };
  };
  const fetchOperatingSystems = async (context: DriverContext): Promise<ReadonlyMap<number, VultrOs>> => {
    const entries = (await runtime.listAll(context, '/os', 'os', { validate: checkVultrOs })) as VultrOs[];
    return new Map(entries.map((os) => [os.id, os]));
  };
  const ttl = runtime.options.catalogTtlMs as number;
  return { catalog: ttlCache(fetchCatalog, ttl, runtime.clock), operatingSystems: ttlCache(fetchOperatingSystems, ttl, runtime.clock) };
}
