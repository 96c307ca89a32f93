/**
 * Droplet actions (reboot, power_on, power_off): start one, then follow it through
 * `GET /v2/actions/{id}` until it completes or errors.
 *
 * @module
 */
import type { Clock } from '../../src/core/clock.js';
import { CloudError, TimeoutError } from '../../src/core/errors.js';
import { field, urlPath, type RestClient } from '../../src/rest/index.js';
import type { DoAction } from './api.js';

/** How the driver waits for actions. */
export interface ActionWaitOptions {
  readonly clock: Clock;
  /** Pause between polls of an action, in ms. */
  readonly intervalMs: number;
  /** Give up after this long, in ms. */
  readonly timeoutMs: number;
}

/** The action types the driver starts. */
export type DropletActionType = 'reboot' | 'power_on' | 'power_off';

/** Starts a droplet action; returns it as the API answered (usually `in-progress`). */
export async function startDropletAction(
  client: RestClient,
  dropletId: string,
  type: DropletActionType,
  context: { readonly operation: string; readonly signal?: AbortSignal },
): Promise<DoAction> {
  const response = await client.request({
    method: 'POST',
    path: urlPath`/v2/droplets/${dropletId}/actions`,
    body: { type },
    operation: context.operation,
    nodeId: dropletId,
    ...(context.signal ? { signal: context.signal } : {}),
  });
  return checkAction(field(response, 'action', 'object', { provider: 'digitalocean', operation: context.operation }), context.operation);
}

/** Polls an action until it is `completed`; rejects with a `CloudError` when it `errored`, a `TimeoutError` when it takes too long. */
export async function waitForAction(
  client: RestClient,
  action: DoAction,
  wait: ActionWaitOptions,
  context: { readonly operation: string; readonly signal?: AbortSignal; readonly nodeId: string },
): Promise<DoAction> {
  const deadline = wait.clock.now() + wait.timeoutMs;
  let current = action;
  for (;;) {
    if (current.status === 'completed') return current;
    if (current.status === 'errored') {
      throw new CloudError(`droplet ${context.nodeId}: action ${current.type} (id ${current.id}) errored`, {
        provider: 'digitalocean',
        operation: context.operation,
        code: 'action_errored',
        ...(current.region_slug ? { location: current.region_slug } : {}),
      });
    }
    if (wait.clock.now() >= deadline) {
      throw new TimeoutError(
        `droplet ${context.nodeId}: action ${current.type} (id ${current.id}) still ${current.status} after ${wait.timeoutMs} ms`,
        {
          provider: 'digitalocean',
          operation: context.operation,
          timeoutMs: wait.timeoutMs,
        },
      );
    }
    await wait.clock.sleep(Math.min(wait.intervalMs, Math.max(0, deadline - wait.clock.now())), context.signal);
    const response = await client.request({
      method: 'GET',
      path: urlPath`/v2/actions/${current.id}`,
      operation: context.operation,
      ...(context.signal ? { signal: context.signal } : {}),
    });
    current = checkAction(
      field(response, 'action', 'object', { provider: 'digitalocean', operation: context.operation }),
      context.operation,
    );
  }
}

function checkAction(value: Record<string, unknown>, operation: string): DoAction {
  if (typeof value.id !== 'number' || typeof value.status !== 'string') {
    throw new CloudError('malformed response: an action without a numeric "id" and a "status"', {
      provider: 'digitalocean',
      operation,
      code: 'malformed-response',
    });
  }
  return value as unknown as DoAction;
}
