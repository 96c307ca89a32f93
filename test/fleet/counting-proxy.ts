/**
 * A loopback HTTP proxy in front of one fake cloud, shared by every worker: it counts the
 * requests in flight at that cloud (the real concurrency the workers produce, whatever process
 * they come from), tells which worker sent each request by its own token (each worker has its
 * own credentials; the proxy swaps in the fake's), and lets a test act on a chosen request —
 * e.g. kill the worker that sent it after the cloud has answered, so that the answer is lost.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the proxy saw it. */
export interface ProxiedRequest {
  readonly worker: string | undefined;
  readonly method: string;
  readonly path: string;
  /** `Date.now()` when the cloud's answer reached the proxy. */
  answeredAt?: number;
  readonly status?: number;
}

/**
 * What to do with a request once the cloud has answered it: `forward` the answer, or `drop` it
 * (the connection is destroyed; the caller never learns the outcome).
 */
export type Verdict = 'forward' | 'drop';

/** A rule a test installs: sees each answered request and decides. */
export type Interceptor = (request: ProxiedRequest) => Verdict | Promise<Verdict>;

export interface CountingProxy {
  readonly url: string;
  /** Most requests in flight at once so far. */
  readonly maxInFlight: number;
  readonly inFlight: number;
  readonly requests: ProxiedRequest[];
  intercept(rule: Interceptor | undefined): void;
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 forwarding to `upstream`, mapping each worker token to `upstreamToken`. */
export async function startCountingProxy(
  upstream: string,
  upstreamToken: string,
  tokens: ReadonlyMap<string, string>,
): Promise<CountingProxy> {
  const target = new URL(upstream);
  const requests: ProxiedRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let rule: Interceptor | undefined;

  const server: Server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let counted = true;
    const done = () => {
      if (counted) inFlight -= 1;
      counted = false;
    };
    response.on('close', done);
    const token = (incoming.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
    const worker = tokens.get(token);
    const headers = { ...incoming.headers, host: target.host, authorization: `Bearer ${worker ? upstreamToken : 'unknown-worker'}` };
    const outgoing = httpRequest(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const seen: ProxiedRequest = {
            worker,
            method: incoming.method ?? 'GET',
            path: (incoming.url ?? '/').split('?')[0] ?? '/',
            answeredAt: Date.now(),
            ...(answer.statusCode === undefined ? {} : { status: answer.statusCode }),
          };
          requests.push(seen);
          Promise.resolve(rule ? rule(seen) : 'forward')
            .then((verdict) => {
              if (verdict === 'drop') {
                response.destroy();
                return;
              }
              response.writeHead(answer.statusCode ?? 502, answer.headers);
              response.end(Buffer.concat(chunks));
            })
            .catch(() => response.destroy());
        });
      },
    );
    outgoing.on('error', () => response.destroy());
    incoming.pipe(outgoing);
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get maxInFlight() {
      return maxInFlight;
    },
    get inFlight() {
      return inFlight;
    },
    requests,
    intercept(next) {
      rule = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
