/**
 * Bounds on every Compute request: the client library sends each request through its auth
 * client's `fetch` (gaxios), and this installs, per request, a `fetchImplementation` that
 *
 * - keeps one deadline on the whole exchange, headers and body (the library's `timeout` only
 *   bounds the call until headers in some paths, and a body that drips would never end);
 * - reads the body with a size bound, counted after decompression (`fetch` inflates gzip itself);
 * - never follows a redirect: the request carries the OAuth token, and Compute does not redirect.
 *
 * A bound that fails is recorded for the call under way (an `AsyncLocalStorage` store), because
 * the library rewraps every transport failure into its own error; {@link runBounded} turns the
 * record back into the `CloudError` that names the bound.
 *
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { bodyTooLargeError, requestTimeoutError, CloudError } from '../../src/kit.js';

/** Bounds of one Compute request. */
export interface GceRequestBounds {
  /** The whole exchange, in ms. */
  readonly requestTimeoutMs: number;
  /** Largest body, decompressed, in bytes. */
  readonly maxBodyBytes: number;
}

type BoundKind = 'timeout' | 'size' | 'redirect';
interface CallRecord {
  failure?: BoundKind;
  /** This call's own whole-exchange deadline (operations.wait may block up to ~2 minutes by design). */
  readonly timeoutMs?: number;
}

const calls = new AsyncLocalStorage<CallRecord>();
const BOUNDED = Symbol.for('polycloud.gce.bounded');

/** An auth client (or `GoogleAuth`) as the library calls it. */
interface FetchingAuth {
  fetch(input: unknown, init?: Record<string, unknown>): Promise<unknown>;
}

/**
 * Makes every request the library sends through `auth` bounded, in place: for the `GoogleAuth`
 * the library made itself. Idempotent.
 */
export function boundAuthFetch(auth: unknown, bounds: GceRequestBounds): void {
  if (typeof auth !== 'object' || auth === null || typeof (auth as FetchingAuth).fetch !== 'function') return;
  const target = auth as FetchingAuth & { [BOUNDED]?: true };
  if (target[BOUNDED]) return;
  const original = target.fetch.bind(target);
  const fetchImplementation = boundedFetch(bounds);
  target.fetch = (input, init) => original(input, { ...init, fetchImplementation, maxRedirects: 0 });
  Object.defineProperty(target, BOUNDED, { value: true });
}

/**
 * A view of a caller's auth client whose `fetch` is bounded; the caller's own object is not
 * changed (they may use it for other APIs).
 */
export function boundedAuthClient<T extends object>(auth: T, bounds: GceRequestBounds): T {
  if (typeof (auth as Partial<FetchingAuth>).fetch !== 'function') return auth;
  const original = (auth as unknown as FetchingAuth).fetch.bind(auth);
  const fetchImplementation = boundedFetch(bounds);
  const fetchBounded = (input: unknown, init?: Record<string, unknown>) =>
    original(input, { ...init, fetchImplementation, maxRedirects: 0 });
  return new Proxy(auth, {
    get(target, property) {
      if (property === 'fetch') return fetchBounded;
      if (property === BOUNDED) return true;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * Runs one attempt of a call; a failure caused by a bound becomes the `CloudError` naming it.
 * `context.timeoutMs`, when given, replaces `bounds.requestTimeoutMs` for this call's exchanges:
 * a long-poll such as `operations.wait` carries its own deadline.
 */
export async function runBounded<T>(
  bounds: GceRequestBounds,
  context: { readonly operation: string; readonly location?: string; readonly timeoutMs?: number },
  attempt: () => Promise<T>,
): Promise<T> {
  const timeoutMs = context.timeoutMs ?? bounds.requestTimeoutMs;
  const record: CallRecord = { timeoutMs };
  try {
    return await calls.run(record, attempt);
  } catch (error) {
    const where = { provider: 'gce' as const, operation: context.operation, ...(context.location ? { location: context.location } : {}) };
    if (record.failure === 'timeout') throw requestTimeoutError(where, timeoutMs);
    if (record.failure === 'size') throw bodyTooLargeError(where, bounds.maxBodyBytes);
    if (record.failure === 'redirect') {
      throw new CloudError('Compute answered with a redirect; a request carrying the OAuth token never follows one', {
        ...where,
        code: 'redirect-refused',
        retryable: false,
      });
    }
    throw error;
  }
}

/** The part of a node-fetch response read here. */
interface NodeFetchResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Iterable<[string, string]>;
  readonly body: (NodeJS.ReadableStream & { destroy(): void }) | null;
}
type NodeFetch = (input: unknown, init: Record<string, unknown>) => Promise<NodeFetchResponse>;

let nodeFetchPromise: Promise<NodeFetch> | undefined;
/** node-fetch, gaxios' own dependency, loaded on first use. */
function nodeFetch(): Promise<NodeFetch> {
  nodeFetchPromise ??= loadNodeFetch();
  return nodeFetchPromise;
}

async function loadNodeFetch(): Promise<NodeFetch> {
  // Inside a `try`, so a bundler leaves the import for run time (it comes with the Compute SDK, not with us).
  try {
    const module = await import('node-fetch');
    return module.default as unknown as NodeFetch;
  } catch (error) {
    nodeFetchPromise = undefined;
    throw error;
  }
}

function boundedFetch(bounds: GceRequestBounds) {
  return async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const record = calls.getStore();
    const fail = (kind: BoundKind): never => {
      if (record) record.failure = kind;
      throw new Error(`polycloud bound: ${kind}`);
    };
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), record?.timeoutMs ?? bounds.requestTimeoutMs);
    timer.unref?.();
    const given = init.signal ?? undefined;
    const signal = given ? AbortSignal.any([given, deadline.signal]) : deadline.signal;
    try {
      // The same fetch gaxios uses by default in Node (node-fetch: its agent closes an aborted
      // request's socket at once), with redirects off and the body read here under the bounds.
      const fetchOf = await nodeFetch();
      let response: NodeFetchResponse;
      try {
        response = await fetchOf(input, { ...init, signal, redirect: 'manual' });
      } catch (error) {
        if (deadline.signal.aborted && !given?.aborted) fail('timeout');
        throw error;
      }
      if (response.status >= 300 && response.status < 400) {
        response.body?.destroy();
        fail('redirect');
      }
      const chunks: Buffer[] = [];
      let received = 0;
      if (response.body) {
        try {
          for await (const chunk of response.body as AsyncIterable<Buffer>) {
            received += chunk.length;
            if (received > bounds.maxBodyBytes) {
              response.body.destroy();
              fail('size');
            }
            chunks.push(chunk);
          }
        } catch (error) {
          if (deadline.signal.aborted && !given?.aborted) fail('timeout');
          throw error;
        }
      }
      const headers = new Headers([...response.headers]);
      // The body handed on is already inflated.
      headers.delete('content-encoding');
      headers.delete('content-length');
      const empty = response.status === 204 || response.status === 304;
      return new Response(empty ? null : Buffer.concat(chunks), { status: response.status, statusText: response.statusText, headers });
    } finally {
      clearTimeout(timer);
    }
  };
}
