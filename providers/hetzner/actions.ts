/**
 * Hetzner runs every change as an action (`create_server`, `reboot_server`, …) and answers with
 * it at once; polycloud polls `GET /actions/{id}` until it has finished, so a failed reboot or
 * delete is an error of the call that asked for it.
 *
 * @module
 */
import type { Clock } from '../../src/core/clock.js';
import type { DriverContext } from '../../src/core/driver.js';
import { TimeoutError } from '../../src/core/errors.js';
import { field } from '../../src/rest/body.js';
import { urlPath, type RestClient } from '../../src/rest/client.js';
import type { HetznerAction } from './api.js';
import { actionFailure } from './errors.js';

/** How actions are awaited. */
export interface ActionWaitOptions {
  readonly clock: Clock;
  /** Pause between polls, in ms. */
  readonly intervalMs: number;
  /** Give up after this long, in ms. */
  readonly timeoutMs: number;
}

/** Polls an action until it succeeds; throws its failure, or `TimeoutError` when it takes too long. */
export async function waitForAction(
  client: RestClient,
  action: HetznerAction,
  options: ActionWaitOptions,
  context: DriverContext,
): Promise<HetznerAction> {
  const deadline = options.clock.now() + options.timeoutMs;
  let current = action;
  for (;;) {
    if (current.status === 'success') return current;
    if (current.status === 'error') throw actionFailure(current, context.operation);
    const remaining = deadline - options.clock.now();
    if (remaining <= 0) {
      throw new TimeoutError(`action ${current.id} (${current.command}) did not finish within ${options.timeoutMs} ms`, {
        provider: 'hetzner',
        operation: context.operation,
        timeoutMs: options.timeoutMs,
      });
    }
    await options.clock.sleep(Math.min(options.intervalMs, remaining), context.signal);
    const response = await client.request({
      method: 'GET',
      path: urlPath`/actions/${current.id}`,
      operation: context.operation,
      ...(context.signal ? { signal: context.signal } : {}),
    });
    current = field(response, 'action', 'object', { provider: 'hetzner', operation: context.operation }) as unknown as HetznerAction;
  }
}
