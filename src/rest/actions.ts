/**
 * Following a provider action (DigitalOcean's droplet actions, Hetzner's actions) to its end
 * through the core's `pollUntil`: the same backoff, interval floor, cancellation and
 * `TimeoutError` as every other wait in polycloud.
 *
 * @module
 */
import type { DriverContext } from '../core/driver.js';
import { pollUntil } from '../core/poll.js';
import { field } from './body.js';
import type { RestResponse } from './client.js';
import { malformedResponse } from './errors.js';
import type { RestActionOptions } from './options.js';
import type { RestActions, RestRuntime } from './spec.js';

/** The action an answer carries in `spec.field`, checked; `undefined` when it carries none. */
export function actionIn(
  spec: RestActions,
  response: RestResponse,
  runtime: RestRuntime,
  context: DriverContext,
): Record<string, unknown> | undefined {
  const body = response.data;
  if (typeof body !== 'object' || body === null || !(spec.field in body)) return undefined;
  const action = field(response, spec.field, 'object', runtime.where(context));
  runtime.checkEntry(context, action, spec.validate);
  return action;
}

/**
 * Polls `action` until it is done; rejects with the spec's failure when it fails, and with the
 * core's `TimeoutError` when it takes longer than `actionTimeoutMs`.
 */
export async function waitForAction(
  spec: RestActions,
  action: Record<string, unknown>,
  runtime: RestRuntime,
  context: DriverContext,
  timing: Pick<RestActionOptions, 'actionPollIntervalMs' | 'actionTimeoutMs'>,
  nodeId?: string,
): Promise<Record<string, unknown>> {
  let current: Record<string, unknown> | undefined = action;
  const { actionPollIntervalMs, actionTimeoutMs } = timing;
  return pollUntil(
    async (signal) => {
      if (current === undefined) {
        const response = await runtime.request({ ...context, ...(signal ? { signal } : {}) }, { method: 'GET', path: spec.path(action) });
        current = actionIn(spec, response, runtime, context);
        if (current === undefined)
          throw malformedResponse(`no "${spec.field}" in the answer`, runtime.where(context), response.status, response.requestId);
      }
      const seen = current;
      current = undefined;
      const status = spec.status(seen);
      if (status === 'failed') throw spec.failure(seen, context.operation, nodeId);
      return status === 'done' ? { done: true, value: seen } : { done: false, state: String(seen.status ?? status) };
    },
    {
      provider: runtime.provider,
      operation: context.operation,
      what: spec.describe(action),
      clock: runtime.clock,
      ...(context.signal ? { signal: context.signal } : {}),
      ...(actionPollIntervalMs !== undefined ? { intervalMs: actionPollIntervalMs } : {}),
      ...(actionTimeoutMs !== undefined ? { timeoutMs: actionTimeoutMs } : {}),
    },
  );
}
