/**
 * Scripted answers for the REST fakes: a test queues "the next N matching requests get this
 * answer" (a 429 with `Retry-After`, a 503 …) ahead of the fake's normal handling. Used by the
 * Hetzner and Linode fakes alike.
 */
import type { FakeResponse, RecordedRequest } from '../http-server.js';

/** One scripted answer. */
export interface ScriptedAnswer {
  /** Only requests with this method. Default: any. */
  readonly method?: string;
  /** Only requests whose path (without query) equals this string or matches this pattern. Default: any. */
  readonly path?: string | RegExp;
  /** How many matching requests get the answer. Default: 1. */
  readonly times?: number;
  /**
   * Replace the answer only after the request has been handled (it takes effect, its answer is
   * lost), instead of answering in its place. Default: false.
   */
  readonly afterHandling?: boolean;
  readonly response: FakeResponse;
}

/** A queue of scripted answers. */
export class AnswerScript {
  readonly #queue: { rule: ScriptedAnswer; left: number }[] = [];

  /** Queues an answer for the next matching request(s). */
  push(rule: ScriptedAnswer): void {
    this.#queue.push({ rule, left: rule.times ?? 1 });
  }

  /** Drops every queued answer. */
  clear(): void {
    this.#queue.length = 0;
  }

  /** The scripted answer for this request in this phase, if one is queued (and uses it up). */
  take(request: RecordedRequest, phase: 'before' | 'after' = 'before'): FakeResponse | undefined {
    const index = this.#queue.findIndex(({ rule }) => (rule.afterHandling === true) === (phase === 'after') && matches(rule, request));
    const entry = this.#queue[index];
    if (!entry) return undefined;
    entry.left -= 1;
    if (entry.left <= 0) this.#queue.splice(index, 1);
    return entry.rule.response;
  }
}

function matches(rule: ScriptedAnswer, request: RecordedRequest): boolean {
  if (rule.method && rule.method.toUpperCase() !== request.method) return false;
  if (rule.path === undefined) return true;
  return typeof rule.path === 'string' ? rule.path === request.path : rule.path.test(request.path);
}
