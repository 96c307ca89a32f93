/**
 * Checks a `startFleetMigration` request before anything is stored, and turns its limits into
 * DBOS queue parameters.
 *
 * @module
 */
import { InvalidRequestError } from '../core/errors.js';
import type { MigrationPlan } from '../multicloud/index.js';
import type { FleetMigrationRequest } from './types.js';

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

/** The plans of a request, checked, and the queue limits it asks for. */
export function checkRequest(request: FleetMigrationRequest, operation: string): { plans: MigrationPlan[]; queue: QueueLimits } {
  const fail = (field: string, message: string): never => {
    throw new InvalidRequestError(message, { provider: 'polycloud', operation, field });
  };
  if (typeof request !== 'object' || request === null) fail('request', '"request" must be an object');
  const plans = [...(request.plans ?? []), ...(request.plan ? [request.plan] : [])];
  if (plans.length === 0) fail('plan', '"plan" (or "plans") is required: a plan made by planMigration');
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
  return {
    plans,
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
