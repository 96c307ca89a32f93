/**
 * Checks a `startFleetMigration` request before anything is stored, and turns its limits into
 * DBOS queue parameters.
 *
 * @module
 */
import { InvalidRequestError } from '../core/errors.js';
import { checkInventory, type Inventory, type MigrationPlan } from '../multicloud/index.js';
import type { FleetMigrationRequest, FleetQuery, FleetVerifyOptions } from './types.js';

/** Default most node migrations in flight across the fleet. */
export const DEFAULT_CONCURRENCY = 32;
/** Default most node migrations in flight per target cloud. */
export const DEFAULT_MAX_IN_FLIGHT = 8;

/** DBOS queue parameters (the subset fleet mode sets). */
export interface QueueLimits {
  readonly globalConcurrency: number;
  readonly workerConcurrency?: number;
  readonly partitionConcurrency: number;
  readonly partitionRateLimit?: { readonly limitPerPeriod: number; readonly periodSec: number };
  readonly minPollingIntervalMs?: number;
}

/** What a checked request holds. */
export interface CheckedRequest {
  readonly plans: MigrationPlan[];
  /** For a run from an inventory: the inventory and the queries a worker plans with it. */
  readonly inventory?: Inventory;
  readonly queries?: FleetQuery[];
  readonly queue: QueueLimits;
}

/** The plans (or inventory and queries) of a request, checked, and the queue limits it asks for. */
export function checkRequest(request: FleetMigrationRequest, operation: string): CheckedRequest {
  const fail = (field: string, message: string): never => {
    throw new InvalidRequestError(message, { provider: 'polycloud', operation, field });
  };
  if (typeof request !== 'object' || request === null) fail('request', '"request" must be an object');
  const plans = [...(request.plans ?? []), ...(request.plan ? [request.plan] : [])];
  const fromInventory = checkInventoryQuery(request, plans.length > 0, fail);
  if (plans.length === 0 && !fromInventory)
    fail('plan', '"plan" (or "plans", or "inventory" and "query") is required: a plan made by planMigration');
  plans.forEach((plan, index) => {
    if (typeof plan !== 'object' || plan === null || !Array.isArray(plan.steps) || !Array.isArray(plan.unmatched)) {
      fail(request.plan ? 'plan' : `plans[${index}]`, 'each plan must be a plan made by planMigration');
    }
    plan.steps.forEach((step, stepIndex) => {
      if (typeof step?.target?.idempotencyKey !== 'string' || typeof step?.source?.id !== 'string') {
        fail(`plans[${index}].steps[${stepIndex}]`, 'each step must have a source id and a target idempotencyKey');
      }
    });
  });
  const keys = plans.flatMap((plan) => plan.steps.map((step) => step.target.idempotencyKey));
  if (new Set(keys).size !== keys.length) fail('plans', 'the plans move the same source node twice');
  if (request.runId !== undefined && !(typeof request.runId === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(request.runId))) {
    fail('runId', '"runId" must be 1-64 letters, digits, ".", "_" or "-"');
  }
  const whole = (field: string, value: number | undefined, fallback: number | undefined): number | undefined => {
    if (value === undefined) return fallback;
    if (!(Number.isInteger(value) && value >= 1)) fail(field, `"${field}" must be a whole number, 1 or more`);
    return value;
  };
  const rps = request.perCloud?.requestsPerSecond;
  if (rps !== undefined && !(typeof rps === 'number' && Number.isFinite(rps) && rps > 0)) {
    fail('perCloud.requestsPerSecond', '"perCloud.requestsPerSecond" must be a number above 0');
  }
  const workerConcurrency = whole('workerConcurrency', request.workerConcurrency, undefined);
  const pollIntervalMs = whole('pollIntervalMs', request.pollIntervalMs, undefined);
  for (const field of ['waitTimeoutMs', 'waitIntervalMs', 'waitMaxIntervalMs', 'stepAttempts', 'retryIntervalMs'] as const) {
    whole(`node.${field}`, request.node?.[field], undefined);
  }
  checkVerify(request.node?.verify, whole, fail);
  return {
    plans,
    ...(fromInventory ?? {}),
    queue: {
      globalConcurrency: whole('concurrency', request.concurrency, DEFAULT_CONCURRENCY) as number,
      partitionConcurrency: whole('perCloud.maxInFlight', request.perCloud?.maxInFlight, DEFAULT_MAX_IN_FLIGHT) as number,
      ...(workerConcurrency === undefined ? {} : { workerConcurrency }),
      ...(rps === undefined
        ? {}
        : { partitionRateLimit: rps >= 1 ? { limitPerPeriod: Math.round(rps), periodSec: 1 } : { limitPerPeriod: 1, periodSec: 1 / rps } }),
      ...(pollIntervalMs === undefined ? {} : { minPollingIntervalMs: pollIntervalMs }),
    },
  };
}

const VERIFY_KEYS = ['command', 'user', 'timeoutMs', 'intervalMs'] as const;

/** `node.verify`: an object of known keys, a non-empty command and user, whole-number times. */
function checkVerify(
  verify: FleetVerifyOptions | undefined,
  whole: (field: string, value: number | undefined, fallback: number | undefined) => number | undefined,
  fail: (field: string, message: string) => never,
): void {
  if (verify === undefined) return;
  if (typeof verify !== 'object' || verify === null || Array.isArray(verify)) {
    fail('node.verify', '"node.verify" must be an object { command?, user?, timeoutMs?, intervalMs? }');
  }
  for (const key of Object.keys(verify)) {
    if (!(VERIFY_KEYS as readonly string[]).includes(key)) {
      fail(`node.verify.${key}`, `"node.verify.${key}" is not an option; known: ${VERIFY_KEYS.join(', ')}`);
    }
  }
  for (const field of ['command', 'user'] as const) {
    const value = verify[field];
    if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) {
      fail(`node.verify.${field}`, `"node.verify.${field}" must be a non-empty string`);
    }
  }
  whole('node.verify.timeoutMs', verify.timeoutMs, undefined);
  whole('node.verify.intervalMs', verify.intervalMs, undefined);
}

/** `inventory` + `query`: both or neither, not with plans; each query names two different clouds of the inventory's source. */
function checkInventoryQuery(
  request: FleetMigrationRequest,
  hasPlans: boolean,
  fail: (field: string, message: string) => never,
): { inventory: Inventory; queries: FleetQuery[] } | undefined {
  if (request.inventory === undefined && request.query === undefined) return undefined;
  if (hasPlans) fail('inventory', 'give either "plan"/"plans" or "inventory" and "query", not both');
  if (request.inventory === undefined) fail('inventory', '"query" needs "inventory": an inventory from MultiCloud.takeInventory');
  if (request.query === undefined) fail('query', '"inventory" needs "query": { from, to, filter?, … } as planMigration takes');
  const inventory = checkInventory(request.inventory, 'inventory', 'startFleetMigration');
  const queries = (Array.isArray(request.query) ? request.query : [request.query]) as FleetQuery[];
  if (queries.length === 0) fail('query', '"query" must name at least one { from, to }');
  queries.forEach((query, index) => {
    const field = Array.isArray(request.query) ? `query[${index}]` : 'query';
    if (typeof query !== 'object' || query === null) fail(field, `"${field}" must be an object { from, to, … }`);
    for (const side of ['from', 'to'] as const) {
      if (typeof query[side] !== 'string' || query[side] === '') fail(`${field}.${side}`, `"${field}.${side}" must be a cloud name`);
    }
    if (query.from === query.to) fail(`${field}.to`, `"${field}.to" must be a different cloud than "from"`);
    if (!inventory.clouds[query.from]) {
      fail(
        `${field}.from`,
        `"${field}.from" must be a cloud of the inventory (${Object.keys(inventory.clouds).join(', ') || 'none'}), got ${JSON.stringify(query.from)}`,
      );
    }
  });
  return { inventory, queries };
}
