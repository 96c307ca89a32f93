/**
 * A bounded request handler for the AWS SDK: the SDK's `NodeHttpHandler`, with one deadline on the
 * whole exchange (connect to the last byte of the body; the SDK's `requestTimeout` only fires on
 * a silent socket, so a body that drips a byte at a time would never end) and a largest body,
 * counted after decompression (a gzip that inflates to gigabytes is refused). `NodeHttpHandler`
 * never follows redirects, so no request (and no signature) leaves the configured host.
 *
 * A bound that fails raises an `Error` with a `polycloudBound` marker from the body stream; the
 * SDK passes it up, and {@link boundFailureOf} turns it into the `CloudError` that names the bound.
 *
 * @module
 */
import { Transform, pipeline, type Readable } from 'node:stream';
import { createBrotliDecompress, createUnzip } from 'node:zlib';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpResponse } from '@smithy/types';

type HttpRequest = Parameters<NodeHttpHandler['handle']>[0];
import { bodyTooLargeError, requestTimeoutError, type CloudError } from '../../src/kit.js';

/** Bounds of one EC2 request. */
export interface AwsRequestBounds {
  /** The whole exchange, in ms. */
  readonly requestTimeoutMs: number;
  /** Largest body, decompressed, in bytes. */
  readonly maxBodyBytes: number;
}

type BoundKind = 'timeout' | 'size';
const BOUND = Symbol.for('polycloud.aws.bound');

/** An error raised by a bound, marked so that it can be told from any SDK error. */
function boundError(kind: BoundKind): Error {
  const error = new Error(kind === 'timeout' ? 'request deadline passed' : 'body larger than allowed');
  Object.defineProperty(error, BOUND, { value: kind });
  return error;
}

/**
 * The `CloudError` for a failure raised by a bound, or `undefined` for any other failure.
 */
export function boundFailureOf(
  error: unknown,
  bounds: AwsRequestBounds,
  context: { readonly operation: string; readonly location?: string },
): CloudError | undefined {
  const kind = typeof error === 'object' && error !== null ? (error as { [BOUND]?: BoundKind })[BOUND] : undefined;
  const where = { provider: 'aws' as const, operation: context.operation, ...(context.location ? { location: context.location } : {}) };
  if (kind === 'timeout') return requestTimeoutError(where, bounds.requestTimeoutMs);
  if (kind === 'size') return bodyTooLargeError(where, bounds.maxBodyBytes);
  return undefined;
}

/**
 * A request handler for `EC2ClientConfig.requestHandler`, bounding every exchange. The SDK's own
 * connect and idle timeouts stay, inside the whole-exchange deadline.
 */
export function createBoundedRequestHandler(bounds: AwsRequestBounds): NodeHttpHandler {
  const inner = new NodeHttpHandler({
    requestTimeout: bounds.requestTimeoutMs,
    throwOnRequestTimeout: true,
    connectionTimeout: Math.min(bounds.requestTimeoutMs, 10_000),
  });
  const handler = {
    metadata: { handlerProtocol: 'http/1.1' },
    async handle(request: HttpRequest, options: { abortSignal?: AbortSignal; requestTimeout?: number } = {}) {
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(boundError('timeout')), bounds.requestTimeoutMs);
      timer.unref?.();
      const given = options.abortSignal as AbortSignal | undefined;
      const abortSignal = given ? AbortSignal.any([given, deadline.signal]) : deadline.signal;
      let result: { response: HttpResponse };
      try {
        result = await inner.handle(request, { ...options, abortSignal });
      } catch (error) {
        clearTimeout(timer);
        if (deadline.signal.aborted && !given?.aborted) throw deadline.signal.reason;
        throw error;
      }
      const { response } = result;
      const body = response.body as Readable | undefined;
      if (!body || typeof body.pipe !== 'function') {
        clearTimeout(timer);
        return result;
      }
      response.body = boundedBody(body, response, bounds.maxBodyBytes, deadline.signal, () => clearTimeout(timer));
      return result;
    },
    updateHttpClientConfig: (key: never, value: never) => inner.updateHttpClientConfig(key, value),
    httpHandlerConfigs: () => inner.httpHandlerConfigs(),
    destroy: () => inner.destroy(),
  };
  return handler as unknown as NodeHttpHandler;
}

/**
 * The body, decompressed when the answer says it is compressed (the SDK would not), counted, and
 * cut off when the deadline passes.
 */
function boundedBody(body: Readable, response: HttpResponse, maxBodyBytes: number, deadline: AbortSignal, done: () => void): Readable {
  const encoding = String(response.headers['content-encoding'] ?? '').toLowerCase();
  const inflate = encoding === 'gzip' || encoding === 'deflate' ? createUnzip() : encoding === 'br' ? createBrotliDecompress() : undefined;
  if (inflate) {
    delete response.headers['content-encoding'];
    delete response.headers['content-length'];
  }
  let received = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      if (received > maxBodyBytes) callback(boundError('size'));
      else callback(null, chunk);
    },
  });
  const onDeadline = () => counter.destroy(deadline.reason as Error);
  deadline.addEventListener('abort', onDeadline, { once: true });
  const finish = () => {
    deadline.removeEventListener('abort', onDeadline);
    done();
  };
  const stages: (Readable | Transform)[] = inflate ? [body, inflate, counter] : [body, counter];
  // pipeline destroys every stage (and so the socket) when one fails.
  pipeline(stages as unknown as [Readable, Transform], () => finish());
  counter.on('close', finish);
  return counter;
}
