/**
 * The HTTP client the Azure SDK pipelines send every request through (`httpClient` of their
 * options), in place of the SDK's own: it keeps the bounds every polycloud transport keeps.
 *
 * - One deadline on the whole exchange, headers and body: a server that drips its answer a few
 *   bytes at a time never goes silent, so an idle timeout alone would never fire.
 * - The body is read with a size bound counted after decompression (a small gzip can inflate to
 *   gigabytes).
 * - The caller's abort closes the connection at once.
 *
 * A bound that fails is recorded for the call under way (an `AsyncLocalStorage` store), because the
 * SDK's pollers and pagers may rewrap a transport failure; {@link runBoundedCall} turns the record
 * back into the `CloudError` that names the bound. Redirects are turned off in the pipeline
 * (`redirectOptions.maxRetries: 0`): a request carrying the bearer token never follows one.
 *
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { bodyTooLargeError, requestTimeoutError } from '../../src/kit.js';

/** Bounds of one Azure request. */
export interface AzureRequestBounds {
  /** The whole exchange, in ms. */
  readonly requestTimeoutMs: number;
  /** Largest body, decompressed, in bytes. */
  readonly maxBodyBytes: number;
}

/** The parts of `@azure/core-rest-pipeline`'s `PipelineRequest` read here. */
interface PipelineRequestShape {
  readonly url: string;
  readonly method: string;
  readonly headers: { toJSON(options?: { preserveCase?: boolean }): Record<string, string> };
  readonly body?: unknown;
  readonly abortSignal?: AbortSignal;
}

/** `@azure/core-rest-pipeline`'s `HttpClient`, typed loosely so our typings never name the optional peer. */
export interface AzureHttpClient {
  sendRequest(request: PipelineRequestShape): Promise<{
    request: PipelineRequestShape;
    status: number;
    headers: unknown;
    bodyAsText?: string;
  }>;
}

type BoundKind = 'timeout' | 'size';
interface CallRecord {
  failure?: BoundKind;
}

const calls = new AsyncLocalStorage<CallRecord>();

/**
 * Runs one attempt of a call; a failure caused by a bound becomes the `CloudError` naming it
 * (a retryable `TimeoutError` for the deadline, a non-retryable `body-too-large` for the size).
 */
export async function runBoundedCall<T>(
  bounds: AzureRequestBounds,
  context: { readonly operation: string; readonly location?: string },
  attempt: () => Promise<T>,
): Promise<T> {
  const record: CallRecord = {};
  try {
    return await calls.run(record, attempt);
  } catch (error) {
    const where = { provider: 'azure' as const, operation: context.operation, ...(context.location ? { location: context.location } : {}) };
    if (record.failure === 'timeout') throw requestTimeoutError(where, bounds.requestTimeoutMs);
    if (record.failure === 'size') throw bodyTooLargeError(where, bounds.maxBodyBytes);
    throw error;
  }
}

/**
 * A bounded HTTP client for the SDK pipelines. `createHttpHeaders` comes from
 * `@azure/core-rest-pipeline` (loaded with the SDKs); `caCertificate` is trusted besides the system roots.
 */
export function createBoundedHttpClient(
  bounds: AzureRequestBounds,
  createHttpHeaders: (raw: Record<string, string>) => unknown,
  caCertificate?: string,
): AzureHttpClient {
  // Keep-alive like the SDK's own client; idle sockets are unreferenced, so they never hold a process open.
  const agent = new Agent({ keepAlive: true, ...(caCertificate ? { ca: caCertificate } : {}) });
  return {
    async sendRequest(request) {
      const record = calls.getStore();
      const fail = (kind: BoundKind): Error => {
        if (record) record.failure = kind;
        return new Error(`polycloud bound: ${kind === 'size' ? 'maxBodyBytes' : 'requestTimeoutMs'}`);
      };
      const url = new URL(request.url);
      const body = bodyOf(request.body);
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(fail('timeout')), bounds.requestTimeoutMs);
      const given = request.abortSignal;
      const signal = given ? AbortSignal.any([given, deadline.signal]) : deadline.signal;
      try {
        signal.throwIfAborted();
        const response = await send(url, request, body, agent, signal);
        const text = await readBounded(response, bounds.maxBodyBytes, signal, () => fail('size'));
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(response.headers)) {
          if (value === undefined || name === 'content-encoding' || name === 'content-length') continue;
          headers[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        return { request, status: response.statusCode ?? 0, headers: createHttpHeaders(headers), bodyAsText: text };
      } catch (error) {
        if (given?.aborted) throw abortError(given.reason);
        if (deadline.signal.aborted) throw deadline.signal.reason as Error;
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function bodyOf(body: unknown): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body);
  // The driver sends only JSON bodies; a stream or form body would mean an SDK change to look at.
  throw new Error('the Azure transport sends only string or byte bodies');
}

/** An error the SDK recognises as a cancellation (`name: 'AbortError'`), keeping the caller's reason as its cause. */
function abortError(reason: unknown): Error {
  const error = new Error('The operation was aborted.', { cause: reason });
  error.name = 'AbortError';
  return error;
}

function send(
  url: URL,
  request: PipelineRequestShape,
  body: Buffer | undefined,
  agent: Agent,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...request.headers.toJSON({ preserveCase: true }) };
    if (body) headers['Content-Length'] = String(body.length);
    const options = { method: request.method, headers, signal };
    const outgoing =
      url.protocol === 'https:'
        ? httpsRequest(url, { ...options, agent }, resolve)
        : httpRequest(url, { ...options, agent: false }, resolve);
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** Reads the body, decompressed, refusing more than `maxBodyBytes`; the connection is closed on any failure. */
async function readBounded(response: IncomingMessage, maxBodyBytes: number, signal: AbortSignal, tooLarge: () => Error): Promise<string> {
  const encoding = String(response.headers['content-encoding'] ?? '').toLowerCase();
  const inflater =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip()
      : encoding === 'deflate'
        ? createInflate()
        : encoding === 'br'
          ? createBrotliDecompress()
          : undefined;
  const source: Readable = inflater ? response.pipe(inflater) : response;
  if (inflater) response.on('error', (error) => inflater.destroy(error));
  const onAbort = () => {
    response.destroy(signal.reason as Error);
    inflater?.destroy(signal.reason as Error);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received > maxBodyBytes) throw tooLarge();
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch (error) {
    response.destroy();
    inflater?.destroy();
    throw error;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
