/**
 * A fault-injecting reverse proxy on loopback. It sits in front of any fake server (or moto),
 * forwards every request, records it, and — for requests matching a rule — injects a fault:
 * latency, a provider-formatted throttle or server error, a connection reset before forwarding
 * or after the upstream processed the request, a truncated or malformed body, or a body that
 * drips out slowly. With `tls` it speaks HTTPS on its side and forwards to an HTTPS upstream
 * trusting `tls.ca` (the Azure SDKs send bearer tokens over TLS only).
 */
import { createServer as createTlsServer, request as httpsRequest } from 'node:https';
import {
  request as httpRequest,
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { serverErrorAnswer, throttleAnswer, type CannedAnswer, type ThrottleOptions, type WireFormat } from './provider-answers.js';

export {
  echoAnswer,
  errorAnswer,
  serverErrorAnswer,
  throttleAnswer,
  type CannedAnswer,
  type ThrottleOptions,
  type WireFormat,
} from './provider-answers.js';

/** Which requests a rule (or a count) is about. Every given criterion must match. */
export interface RequestPattern {
  /** HTTP method, case-insensitive. Default: any. */
  readonly method?: string;
  /** Tested against the path without the query string. Default: any. */
  readonly path?: RegExp;
  /** Tested against the raw query string (without `?`). Default: any. */
  readonly query?: RegExp;
  /** Tested against the EC2 / Query-protocol `Action`, from the query string or the form body. Default: any. */
  readonly action?: RegExp | string;
  /** Tested against the request body. Default: any. */
  readonly body?: RegExp;
  /** Any other test, e.g. on a header. Default: any. */
  readonly match?: (request: ProxiedRequest) => boolean;
}

/**
 * When a rule fires, by the number of requests that matched its pattern so far (1-based). All
 * given conditions must hold; with none, the rule fires on every match.
 */
export interface FaultSchedule {
  /** Only on the first `first` matches. */
  readonly first?: number;
  /** Only on these matches. */
  readonly nth?: number | readonly number[];
  /** Only on every `every`-th match (the `every`-th, `2×every`-th, …). */
  readonly every?: number;
  /** Only from this match on. */
  readonly from?: number;
}

/** What happens to a request a rule fires on. */
export type Fault =
  /** Waits, then forwards normally. */
  | { readonly kind: 'latency'; readonly ms: number }
  /** Answers with the provider's throttling answer, without forwarding. */
  | ({ readonly kind: 'throttle'; readonly format: WireFormat } & ThrottleOptions)
  /** Answers with the provider's server error (default 503), without forwarding. */
  | { readonly kind: 'server-error'; readonly format: WireFormat; readonly status?: number }
  /** Answers with this, without forwarding. */
  | { readonly kind: 'answer'; readonly answer: CannedAnswer }
  /** Answers with what `answer` makes of the request after `delayMs` (default 0), without forwarding. */
  | { readonly kind: 'respond'; readonly answer: (request: ProxiedRequest) => CannedAnswer; readonly delayMs?: number }
  /** Resets the connection without forwarding: the upstream never sees the request. */
  | { readonly kind: 'reset-before' }
  /** Forwards, lets the upstream finish, then resets the connection: the answer is lost. */
  | { readonly kind: 'reset-after' }
  /**
   * Forwards, then sends only the first `keepBytes` bytes of the body (default: half).
   * `cut: true` declares the full length and drops the connection mid-body; otherwise the
   * response is complete but short (a body that ends mid-document).
   */
  | { readonly kind: 'truncate'; readonly keepBytes?: number; readonly cut?: boolean }
  /**
   * Forwards, then replaces the body (status and headers kept). Default body: not valid JSON or
   * XML. A function gets the upstream body and the request (e.g. to link a page to a new one).
   */
  | { readonly kind: 'malformed'; readonly body?: string | ((upstreamBody: string, request: ProxiedRequest) => string) }
  /**
   * Answers 200 with headers, then a body that never ends: `chunk` (default 64 KiB of spaces
   * inside a JSON string) every `intervalMs` (default 0) until the client hangs up. The bytes
   * written are counted in the request's `bytesSent`.
   */
  | { readonly kind: 'endless'; readonly contentType?: string; readonly intervalMs?: number }
  /**
   * Answers 200 with `Content-Encoding: gzip` and a small body that inflates to `inflatedBytes`
   * (default 1 GiB) of spaces, rounded up to whole MiB.
   */
  | { readonly kind: 'gzip-bomb'; readonly inflatedBytes?: number; readonly contentType?: string }
  /** Forwards, then sends the body `chunkBytes` at a time, one chunk every `intervalMs`. */
  | { readonly kind: 'drip'; readonly chunkBytes?: number; readonly intervalMs: number };

/** A fault injected on matching requests. */
export interface FaultRule extends RequestPattern, FaultSchedule {
  /** Shown in the request log. Default: the fault's kind. */
  readonly name?: string;
  readonly fault: Fault;
}

/** A request as it reached the proxy. */
export interface ProxiedRequest {
  readonly method: string;
  /** Path and query exactly as sent (percent-encoding preserved). */
  readonly url: string;
  /** The raw path, percent-encoding preserved. */
  readonly path: string;
  /** The raw query string without `?`. */
  readonly query: string;
  /** The Query-protocol `Action`, if any. */
  readonly action?: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The rule that fired on this request, if any. */
  fault?: string;
  /** Body bytes the proxy wrote to the client for an `endless` or `gzip-bomb` answer. */
  bytesSent?: number;
}

/** An installed rule, with its counters. */
export interface InstalledRule {
  readonly rule: FaultRule;
  /** Requests that matched the pattern. */
  readonly matched: number;
  /** Requests the fault was injected into. */
  readonly fired: number;
  /** Stops the rule. */
  remove(): void;
}

/** A running fault proxy. */
export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: point the driver's `endpoint` here. */
  readonly url: string;
  /** Every request received, oldest first. */
  readonly requests: readonly ProxiedRequest[];
  /** Installs a rule; rules are tried in installation order and the first one that fires wins. */
  inject(rule: FaultRule): InstalledRule;
  /** Requests so far that match `pattern` (all requests without one). */
  count(pattern?: RequestPattern): number;
  /** Requests so far that match `pattern`. */
  matching(pattern: RequestPattern): ProxiedRequest[];
  /** Removes every rule and forgets the request log. */
  reset(): void;
  /** Connections currently open from clients to the proxy. */
  openConnections(): number;
  close(): Promise<void>;
}

/** TLS on both sides of the proxy: a certificate for `127.0.0.1` and the CA the upstream's certificate is signed by. */
export interface FaultProxyTls {
  readonly cert: string;
  readonly key: string;
  /** Trusted for the upstream (an `https:` upstream). */
  readonly ca: string;
}

/** How a fault proxy is started. */
export interface FaultProxyOptions {
  /** Serve HTTPS with this certificate and forward to an HTTPS upstream. Default: plain HTTP both ways. */
  readonly tls?: FaultProxyTls;
}

interface RuleState {
  rule: FaultRule;
  matched: number;
  fired: number;
  removed: boolean;
}

interface UpstreamAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Starts a fault proxy on 127.0.0.1 forwarding to `upstream` (`http://127.0.0.1:<port>`). */
export async function startFaultProxy(upstream: string, options: FaultProxyOptions = {}): Promise<FaultProxy> {
  const target = new URL(upstream);
  const scheme = options.tls ? 'https:' : 'http:';
  if (target.protocol !== scheme || !['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) {
    throw new Error(`the fault proxy only forwards to loopback ${scheme.slice(0, -1)}, got ${upstream}`);
  }
  const ca = options.tls?.ca;
  let rules: RuleState[] = [];
  let log: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();

  const onRequest = (incoming: IncomingMessage, response: ServerResponse): void => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const request = describe(incoming, Buffer.concat(chunks));
      log.push(request);
      const rule = pickRule(rules, request);
      if (rule) request.fault = rule.name ?? rule.fault.kind;
      handle(request, rule?.fault, response, target, ca).catch(() => response.socket?.destroy());
    });
  };
  const server: Server = options.tls
    ? (createTlsServer({ cert: options.tls.cert, key: options.tls.key }, onRequest) as unknown as Server)
    : createServer(onRequest);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `${scheme}//127.0.0.1:${port}`,
    get requests() {
      return log;
    },
    inject(rule) {
      const state: RuleState = { rule, matched: 0, fired: 0, removed: false };
      rules.push(state);
      return {
        rule,
        get matched() {
          return state.matched;
        },
        get fired() {
          return state.fired;
        },
        remove() {
          state.removed = true;
          rules = rules.filter((each) => each !== state);
        },
      };
    },
    count: (pattern) => (pattern ? log.filter((request) => matches(pattern, request)).length : log.length),
    matching: (pattern) => log.filter((request) => matches(pattern, request)),
    reset() {
      for (const state of rules) state.removed = true;
      rules = [];
      log = [];
    },
    openConnections: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Whether `request` matches every criterion of `pattern`. */
export function matches(pattern: RequestPattern, request: ProxiedRequest): boolean {
  if (pattern.method !== undefined && pattern.method.toUpperCase() !== request.method.toUpperCase()) return false;
  if (pattern.path && !pattern.path.test(request.path)) return false;
  if (pattern.query && !pattern.query.test(request.query)) return false;
  if (pattern.action !== undefined) {
    if (request.action === undefined) return false;
    if (typeof pattern.action === 'string' ? pattern.action !== request.action : !pattern.action.test(request.action)) return false;
  }
  if (pattern.body && !pattern.body.test(request.body)) return false;
  if (pattern.match && !pattern.match(request)) return false;
  return true;
}

function describe(incoming: IncomingMessage, body: Buffer): ProxiedRequest {
  const url = incoming.url ?? '/';
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const query = queryAt === -1 ? '' : url.slice(queryAt + 1);
  const text = body.toString('utf8');
  const isForm = String(incoming.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded');
  const action = new URLSearchParams(query).get('Action') ?? (isForm ? new URLSearchParams(text).get('Action') : null);
  return { method: incoming.method ?? 'GET', url, path, query, headers: incoming.headers, body: text, ...(action ? { action } : {}) };
}

/** Counts the match on every rule whose pattern matches; returns the first whose schedule fires. */
function pickRule(rules: readonly RuleState[], request: ProxiedRequest): FaultRule | undefined {
  let chosen: FaultRule | undefined;
  for (const state of rules) {
    if (state.removed || !matches(state.rule, request)) continue;
    state.matched += 1;
    if (!chosen && fires(state.rule, state.matched)) {
      state.fired += 1;
      chosen = state.rule;
    }
  }
  return chosen;
}

function fires(schedule: FaultSchedule, n: number): boolean {
  if (schedule.first !== undefined && n > schedule.first) return false;
  if (schedule.from !== undefined && n < schedule.from) return false;
  if (schedule.every !== undefined && n % schedule.every !== 0) return false;
  if (schedule.nth !== undefined) {
    const list = typeof schedule.nth === 'number' ? [schedule.nth] : schedule.nth;
    if (!list.includes(n)) return false;
  }
  return true;
}

async function handle(
  request: ProxiedRequest,
  fault: Fault | undefined,
  response: ServerResponse,
  target: URL,
  ca: string | undefined,
): Promise<void> {
  const socket = response.socket;
  switch (fault?.kind) {
    case 'throttle':
      return sendCanned(response, throttleAnswer(fault.format, fault));
    case 'server-error':
      return sendCanned(response, serverErrorAnswer(fault.format, fault.status));
    case 'answer':
      return sendCanned(response, fault.answer);
    case 'respond':
      if (fault.delayMs) await sleep(fault.delayMs);
      if (socket?.destroyed) return;
      return sendCanned(response, fault.answer(request));
    case 'reset-before':
      resetSocket(socket);
      return;
    case 'endless':
      return endless(request, response, fault.contentType ?? 'application/json', fault.intervalMs ?? 0);
    case 'gzip-bomb':
      return gzipBomb(request, response, fault.inflatedBytes ?? 1024 ** 3, fault.contentType ?? 'application/json');
    case 'latency':
      await sleep(fault.ms);
      if (socket?.destroyed) return;
      break;
    default:
      break;
  }
  const answer = await forward(request, target, ca);
  if (socket?.destroyed) return;
  switch (fault?.kind) {
    case 'reset-after':
      resetSocket(socket);
      return;
    case 'truncate': {
      const keep = answer.body.subarray(0, fault.keepBytes ?? Math.floor(answer.body.length / 2));
      if (fault.cut) {
        response.writeHead(answer.status, { ...passHeaders(answer.headers), 'content-length': String(answer.body.length) });
        response.write(keep, () => resetSocket(socket));
        return;
      }
      return send(response, answer.status, answer.headers, keep);
    }
    case 'malformed': {
      const given = fault.body;
      const body =
        typeof given === 'function'
          ? given(answer.body.toString('utf8'), request)
          : (given ?? '<html><body>502 Bad Gateway</body></html>{"');
      return send(response, answer.status, answer.headers, Buffer.from(body));
    }
    case 'drip':
      return drip(response, answer, fault.chunkBytes ?? 1, fault.intervalMs);
    default:
      return send(response, answer.status, answer.headers, answer.body);
  }
}

/** Drops the connection with a TCP reset; a TLS socket (whose handle is not TCP) is destroyed instead. */
function resetSocket(socket: Socket | null | undefined): void {
  if (!socket) return;
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

function forward(request: ProxiedRequest, target: URL, ca: string | undefined): Promise<UpstreamAnswer> {
  return new Promise((resolve, reject) => {
    const headers = { ...request.headers };
    delete headers['content-length'];
    delete headers['transfer-encoding'];
    delete headers.connection;
    const body = Buffer.from(request.body, 'utf8');
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const outgoing = send(
      {
        ...(ca ? { ca } : {}),
        host: target.hostname.replace(/^\[|\]$/g, ''),
        port: target.port,
        method: request.method,
        path: request.url,
        headers: { ...headers, 'content-length': String(body.length) },
        agent: false,
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) }));
        answer.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'proxy-connection',
  'upgrade',
  'te',
  'trailer',
]);

function passHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) result[name] = value;
  return result;
}

function send(response: ServerResponse, status: number, headers: IncomingHttpHeaders, body: Buffer): void {
  response.writeHead(status, { ...passHeaders(headers), 'content-length': String(body.length) });
  response.end(body);
}

function sendCanned(response: ServerResponse, answer: CannedAnswer): void {
  const body = Buffer.from(answer.body, 'utf8');
  response.writeHead(answer.status, { ...answer.headers, 'content-length': String(body.length) });
  response.end(body);
}

async function drip(response: ServerResponse, answer: UpstreamAnswer, chunkBytes: number, intervalMs: number): Promise<void> {
  response.writeHead(answer.status, { ...passHeaders(answer.headers), 'content-length': String(answer.body.length) });
  for (let offset = 0; offset < answer.body.length; offset += chunkBytes) {
    if (response.destroyed || response.socket?.destroyed) return;
    response.write(answer.body.subarray(offset, offset + chunkBytes));
    await sleep(intervalMs);
  }
  response.end();
}

const ENDLESS_CHUNK = Buffer.alloc(64 * 1024, ' ');

async function endless(request: ProxiedRequest, response: ServerResponse, contentType: string, intervalMs: number): Promise<void> {
  response.writeHead(200, { 'content-type': contentType });
  request.bytesSent = 0;
  response.write(contentType.includes('json') ? '{"filler": "' : '<?xml version="1.0"?><Response><filler>');
  while (!response.destroyed && !response.socket?.destroyed) {
    // Honour back-pressure: wait for the client to read (or to hang up) before writing more.
    const drained = response.write(ENDLESS_CHUNK);
    request.bytesSent += ENDLESS_CHUNK.length;
    if (!drained) await new Promise((resolve) => response.once('drain', resolve).once('close', resolve));
    if (intervalMs > 0) await sleep(intervalMs);
    else await new Promise((resolve) => setImmediate(resolve));
  }
}

const bombs = new Map<number, Buffer>();

/**
 * A gzip of `inflatedBytes` spaces: one member holding 1 MiB, repeated (a gzip stream may be a
 * series of members, and every inflater reads them all), so no gigabyte is ever compressed here.
 */
function bombOf(inflatedBytes: number): Buffer {
  let bomb = bombs.get(inflatedBytes);
  if (!bomb) {
    const member = gzipSync(Buffer.alloc(1024 * 1024, ' '), { level: 9 });
    const members = Math.ceil(inflatedBytes / (1024 * 1024));
    bomb = Buffer.concat(Array.from({ length: members }, () => member));
    bombs.set(inflatedBytes, bomb);
  }
  return bomb;
}

async function gzipBomb(request: ProxiedRequest, response: ServerResponse, inflatedBytes: number, contentType: string): Promise<void> {
  const body = bombOf(inflatedBytes);
  request.bytesSent = body.length;
  response.writeHead(200, { 'content-type': contentType, 'content-encoding': 'gzip', 'content-length': String(body.length) });
  response.end(body);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
